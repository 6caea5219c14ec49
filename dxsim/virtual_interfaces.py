"""Virtual interfaces (private and public), hosted VIF allocation and confirmation."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from dxsim.base import BackendBase
from dxsim.wire import compact
from dxsim.world import Resource, World


@dataclass(kw_only=True)
class VirtualInterface(Resource):
    """A virtual interface; `bgpPeers` comes from the BGP peer table.

    `connection_id` may name a connection, a hosted connection or a LAG. `allocated_by` is the
    connection owner that allocated a hosted VIF to `owner_account`. Deleted VIFs stay visible
    for 15 simulated minutes (`gone_at` + retention), as AWS does.
    """

    KIND: ClassVar[str] = "virtual_interface"
    STATE_FIELD: ClassVar[str] = "virtual_interface_state"

    owner_account: str
    connection_id: str
    location: str
    region: str
    virtual_interface_type: str
    virtual_interface_name: str
    vlan: int
    asn: int
    amazon_side_asn: int | None = None
    auth_key: str | None = None
    amazon_address: str | None = None
    customer_address: str | None = None
    address_family: str = "ipv4"
    virtual_interface_state: str = "pending"
    customer_router_config: str | None = None
    mtu: int = 1500
    jumbo_frame_capable: bool = False
    virtual_gateway_id: str = ""
    direct_connect_gateway_id: str = ""
    route_filter_prefixes: list[str] = field(default_factory=list)
    aws_device_v2: str = ""
    allocated_by: str | None = None
    created_at: float = 0.0

    def peers(self, world: World) -> list[Any]:
        peers = [p for p in world.bgp_peers.values() if p.virtual_interface_id == self.id]
        return sorted(peers, key=lambda p: p.created_at)

    def to_wire(self, world: World) -> dict[str, Any]:
        return compact(
            {
                "ownerAccount": self.owner_account,
                "virtualInterfaceId": self.id,
                "location": self.location,
                "connectionId": self.connection_id,
                "virtualInterfaceType": self.virtual_interface_type,
                "virtualInterfaceName": self.virtual_interface_name,
                "vlan": self.vlan,
                "asn": self.asn,
                "amazonSideAsn": self.amazon_side_asn,
                "authKey": self.auth_key,
                "amazonAddress": self.amazon_address,
                "customerAddress": self.customer_address,
                "addressFamily": self.address_family,
                "virtualInterfaceState": self.virtual_interface_state,
                "customerRouterConfig": self.customer_router_config,
                "mtu": self.mtu,
                "jumboFrameCapable": self.jumbo_frame_capable,
                "virtualGatewayId": self.virtual_gateway_id,
                "directConnectGatewayId": self.direct_connect_gateway_id,
                "routeFilterPrefixes": [{"cidr": c} for c in self.route_filter_prefixes],
                "bgpPeers": [p.to_wire(world) for p in self.peers(world)],
                "region": self.region,
                "awsDeviceV2": self.aws_device_v2,
            }
        )


class VirtualInterfaceOperations(BackendBase):
    """Operations on this resource kind; composed into `DirectConnectBackend`."""

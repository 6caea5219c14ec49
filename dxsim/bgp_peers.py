"""BGP peers: sessions on a virtual interface, one per address family unless redundancy allows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from dxsim.base import BackendBase
from dxsim.wire import compact
from dxsim.world import Resource, World


@dataclass(kw_only=True)
class BgpPeer(Resource):
    """A BGP peer; it appears on the wire only embedded in its virtual interface."""

    KIND: ClassVar[str] = "bgp_peer"
    STATE_FIELD: ClassVar[str] = "bgp_peer_state"

    virtual_interface_id: str
    asn: int
    auth_key: str | None = None
    address_family: str = "ipv4"
    amazon_address: str | None = None
    customer_address: str | None = None
    bgp_peer_state: str = "pending"
    bgp_status: str = "down"
    aws_device_v2: str = ""
    created_at: float = 0.0

    def to_wire(self, world: World) -> dict[str, Any]:
        return compact(
            {
                "bgpPeerId": self.id,
                "asn": self.asn,
                "authKey": self.auth_key,
                "addressFamily": self.address_family,
                "amazonAddress": self.amazon_address,
                "customerAddress": self.customer_address,
                "bgpPeerState": self.bgp_peer_state,
                "bgpStatus": self.bgp_status,
                "awsDeviceV2": self.aws_device_v2,
            }
        )


class BgpPeerOperations(BackendBase):
    """Operations on this resource kind; composed into `DirectConnectBackend`."""

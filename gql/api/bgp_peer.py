"""BGP peers: the sessions on a virtual interface (embedded in the VIF on the wire)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

import strawberry
from strawberry import relay

from gql.api.common import mask, node_key, split_key
from gql.api.deferred import Deferred
from gql.api.enums import AddressFamily, BgpPeerState, BgpStatus, parse_enum
from gql.api.scalars import BigInt
from resolvers import links
from resolvers.context import Info, context_only
from resolvers.data.plan import reads

if TYPE_CHECKING:
    from gql.api.virtual_interface import VirtualInterface

_VirtualInterface = Deferred("gql.api.virtual_interface", "VirtualInterface")

__all__ = ["BgpPeer"]


@strawberry.type(description="A BGP peer configured on a virtual interface.")
class BgpPeer(relay.Node):
    LIST_KIND: ClassVar[str] = "virtual_interfaces"

    key: relay.NodeID[str]
    bgp_peer_id: str | None = strawberry.field(description="The ID of the BGP peer.")
    asn: BigInt | None = strawberry.field(
        description="The autonomous system (AS) number for BGP configuration."
    )
    address_family: AddressFamily | None = strawberry.field(description="The address family.")
    amazon_address: str | None = strawberry.field(
        description="The IP address assigned to the Amazon interface."
    )
    customer_address: str | None = strawberry.field(
        description="The IP address assigned to the customer interface."
    )
    bgp_peer_state: BgpPeerState | None = strawberry.field(description="The state of the BGP peer.")
    bgp_status: BgpStatus | None = strawberry.field(
        description="The status of the BGP peer (does not indicate the routing function's state)."
    )
    aws_device_v2: str | None = strawberry.field(
        description="The Direct Connect endpoint that terminates the BGP peer."
    )
    asn_long: BigInt | None = strawberry.field(
        description=(
            "The long ASN (1-4294967294) of the peer, as AWS sends it; AWS sends 0 in the legacy "
            "`asn` member for a 4-byte ASN (this schema's `asn` shows the long one)."
        )
    )
    aws_logical_device_id: str | None = strawberry.field(
        description="The Direct Connect endpoint that terminates the BGP peer's logical connection."
    )
    region: str = strawberry.field(description="The AWS Region of the virtual interface.")
    virtual_interface_id: str = strawberry.field(description="The ID of the virtual interface.")
    raw_auth_key: strawberry.Private[str | None]
    vif_data: strawberry.Private[dict[str, Any]]

    @classmethod
    def from_aws(cls, data: dict[str, Any], vif: dict[str, Any], region: str) -> BgpPeer:
        vif_id = vif["virtualInterfaceId"]
        return cls(
            key=node_key(region, vif_id, data.get("bgpPeerId") or "-"),
            bgp_peer_id=data.get("bgpPeerId"),
            asn=data.get("asnLong") or data.get("asn"),
            address_family=parse_enum(AddressFamily, data.get("addressFamily")),
            amazon_address=data.get("amazonAddress"),
            customer_address=data.get("customerAddress"),
            bgp_peer_state=parse_enum(BgpPeerState, data.get("bgpPeerState")),
            bgp_status=parse_enum(BgpStatus, data.get("bgpStatus")),
            aws_device_v2=data.get("awsDeviceV2"),
            asn_long=data.get("asnLong"),
            aws_logical_device_id=data.get("awsLogicalDeviceId"),
            region=region,
            virtual_interface_id=vif_id,
            raw_auth_key=data.get("authKey"),
            vif_data=vif,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[BgpPeer | None]:
        found: list[BgpPeer | None] = []
        for key in node_ids:
            region, vif_id, peer_id = split_key(key, 3)
            vif = await links.find(info, "virtual_interfaces", vif_id, region)
            peers = [p for p in (vif or {}).get("bgpPeers", []) if p.get("bgpPeerId") == peer_id]
            found.append(cls.from_aws(peers[0], vif, region) if vif and peers else None)
        return found

    @strawberry.field(
        description="The BGP MD5 authentication key; masked unless the caller may read secrets.",
        metadata={**reads(), **context_only()},
    )
    def auth_key(self, info: Info) -> str | None:
        return mask(self.raw_auth_key, info.context.show_secrets)

    @strawberry.field(description="The virtual interface this peer belongs to.", metadata=reads())
    def virtual_interface(
        self,
    ) -> Annotated[VirtualInterface, strawberry.lazy("gql.api.virtual_interface")]:
        vif: VirtualInterface = _VirtualInterface.from_aws(self.vif_data, self.region)
        return vif

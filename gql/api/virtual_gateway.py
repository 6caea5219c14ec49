"""Virtual private gateways (EC2 resources) as Direct Connect sees them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

import strawberry
from strawberry import relay

from gql.api.common import node_key, split_key
from gql.api.deferred import Deferred
from gql.api.enums import VirtualGatewayState, parse_enum
from resolvers import links
from resolvers.context import Info
from resolvers.data.plan import reads

if TYPE_CHECKING:
    from gql.api.direct_connect_gateway import DirectConnectGateway
    from gql.api.direct_connect_gateway_association import DirectConnectGatewayAssociation
    from gql.api.virtual_interface import VirtualInterface

_DirectConnectGateway = Deferred("gql.api.direct_connect_gateway", "DirectConnectGateway")
_DirectConnectGatewayAssociation = Deferred(
    "gql.api.direct_connect_gateway_association", "DirectConnectGatewayAssociation"
)
_VirtualInterface = Deferred("gql.api.virtual_interface", "VirtualInterface")

__all__ = ["VirtualGateway"]


@strawberry.type(
    description=(
        "A virtual private gateway (VGW): the VPN concentrator on the Amazon side, attached to "
        "one VPC. Private virtual interfaces connect to it directly or through a Direct Connect "
        "gateway."
    )
)
class VirtualGateway(relay.Node):
    LIST_KIND: ClassVar[str] = "virtual_gateways"

    key: relay.NodeID[str]
    virtual_gateway_id: str = strawberry.field(description="The ID of the virtual private gateway.")
    virtual_gateway_state: VirtualGatewayState | None = strawberry.field(
        description="The state of the virtual private gateway."
    )
    region: str = strawberry.field(description="The AWS Region of the virtual private gateway.")

    @classmethod
    def from_aws(cls, data: dict[str, Any], region: str) -> VirtualGateway:
        return cls(
            key=node_key(region, data["virtualGatewayId"]),
            virtual_gateway_id=data["virtualGatewayId"],
            virtual_gateway_state=parse_enum(VirtualGatewayState, data.get("virtualGatewayState")),
            region=region,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[VirtualGateway | None]:
        found: list[VirtualGateway | None] = []
        for key in node_ids:
            region, vgw_id = split_key(key, 2)
            raw = await links.find(info, "virtual_gateways", vgw_id, region)
            found.append(cls.from_aws(raw, region) if raw else None)
        return found

    @strawberry.field(
        description="Associations of this VGW with Direct Connect gateways.",
        metadata=reads("associations"),
    )
    def associations(
        self, info: Info
    ) -> list[
        Annotated[
            DirectConnectGatewayAssociation,
            strawberry.lazy("gql.api.direct_connect_gateway_association"),
        ]
    ]:
        return links.associations_of_virtual_gateway(  # type: ignore[no-any-return]
            info, self.virtual_gateway_id, _DirectConnectGatewayAssociation.from_aws
        )

    @strawberry.field(
        description="The Direct Connect gateways this VGW is associated with.",
        metadata=reads("associations"),
    )
    async def direct_connect_gateways(
        self, info: Info
    ) -> list[Annotated[DirectConnectGateway, strawberry.lazy("gql.api.direct_connect_gateway")]]:
        found = []
        associations = links.associations_of_virtual_gateway(
            info, self.virtual_gateway_id, lambda raw: raw
        )
        if not isinstance(associations, list):
            associations = await associations
        for association in associations:
            raw = await links.find_gateway(info, association["directConnectGatewayId"])
            if raw is not None:
                found.append(_DirectConnectGateway.from_aws(raw))
        return found

    @strawberry.field(
        description="Private virtual interfaces attached directly to this VGW.",
        metadata=reads("virtual_interfaces"),
    )
    def virtual_interfaces(
        self, info: Info
    ) -> list[Annotated[VirtualInterface, strawberry.lazy("gql.api.virtual_interface")]]:
        return links.related(  # type: ignore[no-any-return]
            info,
            "virtual_interfaces",
            self.region,
            "virtualGatewayId",
            self.virtual_gateway_id,
            lambda v: _VirtualInterface.from_aws(v, self.region),
        )

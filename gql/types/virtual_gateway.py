"""Virtual private gateways (EC2 resources) as Direct Connect sees them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry import relay

from gql.context import Info
from gql.enums import VirtualGatewayState, parse_enum
from gql.types.common import node_key, split_key

if TYPE_CHECKING:
    from gql.types.direct_connect_gateway import DirectConnectGateway
    from gql.types.direct_connect_gateway_association import DirectConnectGatewayAssociation
    from gql.types.virtual_interface import VirtualInterface

__all__ = ["VirtualGateway"]


@strawberry.type(
    description=(
        "A virtual private gateway (VGW): the VPN concentrator on the Amazon side, attached to "
        "one VPC. Private virtual interfaces connect to it directly or through a Direct Connect "
        "gateway."
    )
)
class VirtualGateway(relay.Node):
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
            raw = await info.context.loaders.find("virtual_gateways", vgw_id, region)
            found.append(cls.from_aws(raw, region) if raw else None)
        return found

    async def _associations(self, info: Info) -> list[dict[str, Any]]:
        return [
            a
            for a in await info.context.loaders.all_associations()
            if a.get("virtualGatewayId") == self.virtual_gateway_id
        ]

    @strawberry.field(description="Associations of this VGW with Direct Connect gateways.")
    async def associations(
        self, info: Info
    ) -> list[
        Annotated[
            DirectConnectGatewayAssociation,
            strawberry.lazy("gql.types.direct_connect_gateway_association"),
        ]
    ]:
        from gql.types.direct_connect_gateway_association import DirectConnectGatewayAssociation

        return [DirectConnectGatewayAssociation.from_aws(a) for a in await self._associations(info)]

    @strawberry.field(description="The Direct Connect gateways this VGW is associated with.")
    async def direct_connect_gateways(
        self, info: Info
    ) -> list[Annotated[DirectConnectGateway, strawberry.lazy("gql.types.direct_connect_gateway")]]:
        from gql.types.direct_connect_gateway import DirectConnectGateway

        found = []
        for association in await self._associations(info):
            raw = await info.context.loaders.find_gateway(association["directConnectGatewayId"])
            if raw is not None:
                found.append(DirectConnectGateway.from_aws(raw))
        return found

    @strawberry.field(description="Private virtual interfaces attached directly to this VGW.")
    async def virtual_interfaces(
        self, info: Info
    ) -> list[Annotated[VirtualInterface, strawberry.lazy("gql.types.virtual_interface")]]:
        from gql.types.virtual_interface import VirtualInterface

        vifs = await info.context.loaders.related(
            "virtual_interfaces", self.region, "virtualGatewayId", self.virtual_gateway_id
        )
        return [VirtualInterface.from_aws(v, self.region) for v in vifs]

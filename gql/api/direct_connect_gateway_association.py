"""Associations between Direct Connect gateways and virtual private gateways."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry import relay

from gql.api.common import node_key, split_key
from gql.api.deferred import Deferred
from gql.api.enums import AssociationState, parse_enum
from resolvers import links
from resolvers.context import Info
from resolvers.data.plan import reads

if TYPE_CHECKING:
    from gql.api.direct_connect_gateway import DirectConnectGateway
    from gql.api.virtual_gateway import VirtualGateway

_DirectConnectGateway = Deferred("gql.api.direct_connect_gateway", "DirectConnectGateway")
_VirtualGateway = Deferred("gql.api.virtual_gateway", "VirtualGateway")

__all__ = ["DirectConnectGatewayAssociation"]


@strawberry.type(
    description="An association between a Direct Connect gateway and a virtual private gateway."
)
class DirectConnectGatewayAssociation(relay.Node):
    key: relay.NodeID[str]
    direct_connect_gateway_id: str = strawberry.field(
        description="The ID of the Direct Connect gateway."
    )
    virtual_gateway_id: str | None = strawberry.field(
        description="The ID of the virtual private gateway."
    )
    virtual_gateway_region: str | None = strawberry.field(
        description="The AWS Region where the virtual private gateway is located."
    )
    virtual_gateway_owner_account: str | None = strawberry.field(
        description="The ID of the AWS account that owns the virtual private gateway."
    )
    association_state: AssociationState | None = strawberry.field(
        description="The state of the association."
    )
    state_change_error: str | None = strawberry.field(
        description="The error message if the state of an object failed to advance."
    )

    @classmethod
    def from_aws(cls, data: dict[str, Any]) -> DirectConnectGatewayAssociation:
        gateway_id = data["directConnectGatewayId"]
        return cls(
            key=node_key(gateway_id, data.get("virtualGatewayId") or "-"),
            direct_connect_gateway_id=gateway_id,
            virtual_gateway_id=data.get("virtualGatewayId"),
            virtual_gateway_region=data.get("virtualGatewayRegion"),
            virtual_gateway_owner_account=data.get("virtualGatewayOwnerAccount"),
            association_state=parse_enum(AssociationState, data.get("associationState")),
            state_change_error=data.get("stateChangeError"),
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[DirectConnectGatewayAssociation | None]:
        found: list[DirectConnectGatewayAssociation | None] = []
        for key in node_ids:
            gateway_id, vgw_id = split_key(key, 2)
            items = await links.of_gateway_raw(info, "associations", gateway_id)
            match = [a for a in items if a.get("virtualGatewayId") == vgw_id]
            found.append(cls.from_aws(match[0]) if match else None)
        return found

    @strawberry.field(description="The Direct Connect gateway.", metadata=reads("gateways"))
    def direct_connect_gateway(
        self, info: Info
    ) -> Annotated[DirectConnectGateway, strawberry.lazy("gql.api.direct_connect_gateway")] | None:
        return links.gateway(  # type: ignore[no-any-return]
            info, self.direct_connect_gateway_id, _DirectConnectGateway.from_aws
        )

    @strawberry.field(
        description="The virtual private gateway (when its region is served).",
        metadata=reads("virtual_gateways"),
    )
    def virtual_gateway(
        self, info: Info
    ) -> Annotated[VirtualGateway, strawberry.lazy("gql.api.virtual_gateway")] | None:
        region = self.virtual_gateway_region
        if region is None or not links.served(info, region):
            return None
        return links.one(  # type: ignore[no-any-return]
            info,
            "virtual_gateways",
            self.virtual_gateway_id,
            region,
            lambda raw: _VirtualGateway.from_aws(raw, region),
        )

"""Associations between Direct Connect gateways and virtual private or transit gateways.

The node key is `<DX gateway id>/<associationId>`: AWS names every association today, and the
older key `<DX gateway id>/<virtualGatewayId or "-">` gave every transit gateway association of
one DX gateway the same ID (they carry no virtualGatewayId). Old keys still resolve: a VGW id
finds its association, and `-` finds the gateway's one association without a VGW when there is
exactly one (with several, the old ID never named one of them, so it resolves to null).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry import relay

from gql.api.common import node_key, split_key
from gql.api.deferred import Deferred
from gql.api.enums import AssociatedGatewayType, AssociationState, parse_enum
from resolvers import links
from resolvers.context import Info
from resolvers.data.plan import reads

if TYPE_CHECKING:
    from gql.api.direct_connect_gateway import DirectConnectGateway
    from gql.api.virtual_gateway import VirtualGateway

_DirectConnectGateway = Deferred("gql.api.direct_connect_gateway", "DirectConnectGateway")
_VirtualGateway = Deferred("gql.api.virtual_gateway", "VirtualGateway")

__all__ = ["AssociatedGateway", "DirectConnectGatewayAssociation"]

# The second part of an association's node key in the old form, for an association without a VGW.
NO_VIRTUAL_GATEWAY = "-"


@strawberry.type(
    description="The virtual private gateway or transit gateway on the other side of an "
    "association (AWS's associatedGateway)."
)
class AssociatedGateway:
    id: str = strawberry.field(description="The ID of the VGW (`vgw-…`) or TGW (`tgw-…`).")
    type: AssociatedGatewayType | None = strawberry.field(description="The kind of gateway.")
    owner_account: str | None = strawberry.field(
        description="The ID of the AWS account that owns the gateway."
    )
    region: str | None = strawberry.field(
        description="The AWS Region where the gateway is located."
    )

    @classmethod
    def from_aws(cls, data: dict[str, Any]) -> AssociatedGateway | None:
        """AWS's `associatedGateway`; for an answer without one (older API versions), the
        legacy `virtualGateway*` members, which only ever named a VGW."""
        gateway = data.get("associatedGateway")
        if gateway and gateway.get("id"):
            return cls(
                id=gateway["id"],
                type=parse_enum(AssociatedGatewayType, gateway.get("type")),
                owner_account=gateway.get("ownerAccount"),
                region=gateway.get("region"),
            )
        vgw_id = data.get("virtualGatewayId")
        if not vgw_id:
            return None
        return cls(
            id=vgw_id,
            type=AssociatedGatewayType.VIRTUAL_PRIVATE_GATEWAY,
            owner_account=data.get("virtualGatewayOwnerAccount"),
            region=data.get("virtualGatewayRegion"),
        )


def association_key(data: dict[str, Any]) -> str:
    """The node key of a raw association: by `associationId` when AWS gives one, else the old
    form (see the module docstring)."""
    second = data.get("associationId") or data.get("virtualGatewayId") or NO_VIRTUAL_GATEWAY
    return node_key(data["directConnectGatewayId"], second)


def match_key(items: list[dict[str, Any]], second: str) -> dict[str, Any] | None:
    """The raw association of one DX gateway named by the second part of a node key: an
    associationId, a VGW id (old keys), or `-` when exactly one association has no VGW."""
    if second == NO_VIRTUAL_GATEWAY:
        without_vgw = [a for a in items if not a.get("virtualGatewayId")]
        return without_vgw[0] if len(without_vgw) == 1 else None
    for item in items:
        if item.get("associationId") == second:
            return item
    for item in items:
        if item.get("virtualGatewayId") == second:
            return item
    return None


@strawberry.type(
    description="An association between a Direct Connect gateway and a virtual private gateway "
    "or a transit gateway."
)
class DirectConnectGatewayAssociation(relay.Node):
    key: relay.NodeID[str]
    association_id: str | None = strawberry.field(
        description="The ID of the association (AWS's associationId)."
    )
    direct_connect_gateway_id: str = strawberry.field(
        description="The ID of the Direct Connect gateway."
    )
    direct_connect_gateway_owner_account: str | None = strawberry.field(
        description="The ID of the AWS account that owns the Direct Connect gateway."
    )
    associated_gateway: AssociatedGateway | None = strawberry.field(
        description="The VGW or transit gateway associated with the Direct Connect gateway."
    )
    allowed_prefixes_to_direct_connect_gateway: list[str] = strawberry.field(
        description="The CIDRs advertised to on-premises through this association (for a "
        "transit gateway, exactly these; for a VGW, a filter on the VPC's CIDRs)."
    )
    virtual_gateway_id: str | None = strawberry.field(
        description="The ID of the virtual private gateway (null for a transit gateway; see "
        "associatedGateway)."
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
        return cls(
            key=association_key(data),
            association_id=data.get("associationId"),
            direct_connect_gateway_id=data["directConnectGatewayId"],
            direct_connect_gateway_owner_account=data.get("directConnectGatewayOwnerAccount"),
            associated_gateway=AssociatedGateway.from_aws(data),
            allowed_prefixes_to_direct_connect_gateway=[
                p["cidr"]
                for p in data.get("allowedPrefixesToDirectConnectGateway") or ()
                if p.get("cidr")
            ],
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
            gateway_id, second = split_key(key, 2)
            items = await links.of_gateway_raw(info, "associations", gateway_id)
            match = match_key(items, second)
            found.append(None if match is None else cls.from_aws(match))
        return found

    @strawberry.field(description="The Direct Connect gateway.", metadata=reads("gateways"))
    def direct_connect_gateway(
        self, info: Info
    ) -> Annotated[DirectConnectGateway, strawberry.lazy("gql.api.direct_connect_gateway")] | None:
        return links.gateway(  # type: ignore[no-any-return]
            info, self.direct_connect_gateway_id, _DirectConnectGateway.from_aws
        )

    @strawberry.field(
        description="The virtual private gateway (when its region is served; null for a transit "
        "gateway association).",
        metadata=reads("virtual_gateways"),
    )
    def virtual_gateway(
        self, info: Info
    ) -> Annotated[VirtualGateway, strawberry.lazy("gql.api.virtual_gateway")] | None:
        # A transit gateway is not a VGW: never look one up among the VGWs, even if an answer
        # named it in the legacy virtualGatewayId member.
        associated = self.associated_gateway
        if associated is not None and associated.type is AssociatedGatewayType.TRANSIT_GATEWAY:
            return None
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

"""Direct Connect gateways: global gateways joining VIFs to VGWs in any region."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable
from typing import TYPE_CHECKING, Annotated, Any, TypeVar, cast

import strawberry
from strawberry import relay

from gql.context import Info
from gql.enums import DirectConnectGatewayState, parse_enum
from gql.scalars import BigInt
from gql.types.common import gateway_arn, tags_for

if TYPE_CHECKING:
    from gql.types.direct_connect_gateway_association import DirectConnectGatewayAssociation
    from gql.types.direct_connect_gateway_attachment import DirectConnectGatewayAttachment
    from gql.types.tag import Tag
    from gql.types.virtual_gateway import VirtualGateway
    from gql.types.virtual_interface import VirtualInterface

__all__ = ["DirectConnectGateway"]

T = TypeVar("T")

AssociationRef = Annotated[
    "DirectConnectGatewayAssociation",
    strawberry.lazy("gql.types.direct_connect_gateway_association"),
]
AttachmentRef = Annotated[
    "DirectConnectGatewayAttachment", strawberry.lazy("gql.types.direct_connect_gateway_attachment")
]


@strawberry.type(
    description=(
        "A Direct Connect gateway: global (visible in every Region), it connects private virtual "
        "interfaces to virtual private gateways in any Region."
    )
)
class DirectConnectGateway(relay.Node):
    key: relay.NodeID[str]
    direct_connect_gateway_id: str = strawberry.field(
        description="The ID of the Direct Connect gateway."
    )
    direct_connect_gateway_name: str | None = strawberry.field(
        description="The name of the Direct Connect gateway."
    )
    amazon_side_asn: BigInt | None = strawberry.field(
        description="The autonomous system number (ASN) for the Amazon side of the connection."
    )
    owner_account: str | None = strawberry.field(
        description="The ID of the AWS account that owns the Direct Connect gateway."
    )
    direct_connect_gateway_state: DirectConnectGatewayState | None = strawberry.field(
        description="The state of the Direct Connect gateway."
    )
    state_change_error: str | None = strawberry.field(
        description="The error message if the state of an object failed to advance."
    )

    @classmethod
    def from_aws(cls, data: dict[str, Any]) -> DirectConnectGateway:
        return cls(
            key=data["directConnectGatewayId"],
            direct_connect_gateway_id=data["directConnectGatewayId"],
            direct_connect_gateway_name=data.get("directConnectGatewayName"),
            amazon_side_asn=data.get("amazonSideAsn"),
            owner_account=data.get("ownerAccount"),
            direct_connect_gateway_state=parse_enum(
                DirectConnectGatewayState, data.get("directConnectGatewayState")
            ),
            state_change_error=data.get("stateChangeError"),
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[DirectConnectGateway | None]:
        found: list[DirectConnectGateway | None] = []
        for key in node_ids:
            raw = await info.context.loaders.find_gateway(key)
            found.append(cls.from_aws(raw) if raw else None)
        return found

    def arn_for(self, info: Info) -> str:
        return gateway_arn(
            self.owner_account or info.context.account_id, self.direct_connect_gateway_id
        )

    @strawberry.field(description="The ARN of the Direct Connect gateway (global: no region).")
    def arn(self, info: Info) -> str:
        return self.arn_for(info)

    async def _associations(self, info: Info) -> list[dict[str, Any]]:
        return await info.context.loaders.gateway_associations.load(self.direct_connect_gateway_id)

    async def _attachments(self, info: Info) -> list[dict[str, Any]]:
        return await info.context.loaders.gateway_attachments.load(self.direct_connect_gateway_id)

    @relay.connection(
        relay.ListConnection[AssociationRef],
        description="Associations with virtual private gateways (paged by AWS; all pages read).",
    )
    def associations(self, info: Info) -> Iterable[AssociationRef]:
        from gql.types.direct_connect_gateway_association import DirectConnectGatewayAssociation

        return self._of_gateway(info, "associations", DirectConnectGatewayAssociation.from_aws)

    @relay.connection(
        relay.ListConnection[AttachmentRef],
        description="Attachments of virtual interfaces (paged by AWS; all pages read).",
    )
    def attachments(self, info: Info) -> Iterable[AttachmentRef]:
        from gql.types.direct_connect_gateway_attachment import DirectConnectGatewayAttachment

        return self._of_gateway(info, "attachments", DirectConnectGatewayAttachment.from_aws)

    def _of_gateway(self, info: Info, kind: str, build: Callable[[Any], T]) -> Iterable[T]:
        """The gateway's associations or attachments as `build` makes them: a list when they
        have arrived (the connection is resolved without waiting; a topology asks for the same
        gateway's once per VIF), else an async iterator the connection awaits."""
        hit, raw = info.context.loaders.peek_of_gateway(kind, self.direct_connect_gateway_id)
        if hit:
            return [build(item) for item in raw]
        fetch = self._associations if kind == "associations" else self._attachments

        async def later() -> AsyncIterator[T]:
            for item in await fetch(info):
                yield build(item)

        return cast(Iterable[T], later())

    @strawberry.field(description="The virtual interfaces attached to this gateway.")
    async def virtual_interfaces(
        self, info: Info
    ) -> list[Annotated[VirtualInterface, strawberry.lazy("gql.types.virtual_interface")]]:
        from gql.types.virtual_interface import VirtualInterface

        loaders = info.context.loaders
        found = []
        for attachment in await self._attachments(info):
            region = attachment.get("virtualInterfaceRegion")
            if region not in loaders.regions:
                continue
            vif = await loaders.find("virtual_interfaces", attachment["virtualInterfaceId"], region)
            if vif is not None:
                found.append(VirtualInterface.from_aws(vif, region))
        return found

    @strawberry.field(description="The virtual private gateways associated with this gateway.")
    async def virtual_gateways(
        self, info: Info
    ) -> list[Annotated[VirtualGateway, strawberry.lazy("gql.types.virtual_gateway")]]:
        from gql.types.virtual_gateway import VirtualGateway

        loaders = info.context.loaders
        found = []
        for association in await self._associations(info):
            region = association.get("virtualGatewayRegion")
            vgw_id = association.get("virtualGatewayId")
            if region not in loaders.regions or not vgw_id:
                continue
            vgw = await loaders.find("virtual_gateways", vgw_id, region)
            if vgw is not None:
                found.append(VirtualGateway.from_aws(vgw, region))
        return found

    @strawberry.field(description="The tags on the Direct Connect gateway.")
    def tags(self, info: Info) -> list[Annotated[Tag, strawberry.lazy("gql.types.tag")]]:
        return tags_for(info, self.arn_for(info))  # type: ignore[no-any-return]

"""Direct Connect gateways: global gateways joining VIFs to VGWs in any region."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, TypeVar, cast

import strawberry
from strawberry import relay

from gql.api.deferred import Deferred
from gql.api.enums import DirectConnectGatewayState, parse_enum
from gql.api.scalars import BigInt
from gql.api.tag import Tag
from resolvers import links
from resolvers.context import Info, context_only
from resolvers.data.arns import gateway_arn
from resolvers.data.plan import reads

if TYPE_CHECKING:
    from gql.api.direct_connect_gateway_association import DirectConnectGatewayAssociation
    from gql.api.direct_connect_gateway_attachment import DirectConnectGatewayAttachment
    from gql.api.virtual_gateway import VirtualGateway
    from gql.api.virtual_interface import VirtualInterface

_DirectConnectGatewayAssociation = Deferred(
    "gql.api.direct_connect_gateway_association", "DirectConnectGatewayAssociation"
)
_DirectConnectGatewayAttachment = Deferred(
    "gql.api.direct_connect_gateway_attachment", "DirectConnectGatewayAttachment"
)
_VirtualGateway = Deferred("gql.api.virtual_gateway", "VirtualGateway")
_VirtualInterface = Deferred("gql.api.virtual_interface", "VirtualInterface")

__all__ = ["DirectConnectGateway"]

T = TypeVar("T")

AssociationRef = Annotated[
    "DirectConnectGatewayAssociation",
    strawberry.lazy("gql.api.direct_connect_gateway_association"),
]
AttachmentRef = Annotated[
    "DirectConnectGatewayAttachment", strawberry.lazy("gql.api.direct_connect_gateway_attachment")
]


@strawberry.type(
    description=(
        "A Direct Connect gateway: global (visible in every Region), it connects private virtual "
        "interfaces to virtual private gateways in any Region."
    )
)
class DirectConnectGateway(relay.Node):
    LIST_KIND: ClassVar[str] = "gateways"

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
            raw = await links.find_gateway(info, key)
            found.append(cls.from_aws(raw) if raw else None)
        return found

    def arn_for(self, info: Info) -> str:
        return gateway_arn(
            self.owner_account or info.context.account_id, self.direct_connect_gateway_id
        )

    @strawberry.field(
        description="The ARN of the Direct Connect gateway (global: no region).",
        metadata={**reads(), **context_only()},
    )
    def arn(self, info: Info) -> str:
        return self.arn_for(info)

    @relay.connection(
        relay.ListConnection[AssociationRef],
        description="Associations with virtual private gateways (paged by AWS; all pages read).",
        metadata=reads("associations"),
    )
    def associations(self, info: Info) -> Iterable[AssociationRef]:
        return self._of_gateway(info, "associations", _DirectConnectGatewayAssociation.from_aws)

    @relay.connection(
        relay.ListConnection[AttachmentRef],
        description="Attachments of virtual interfaces (paged by AWS; all pages read).",
        metadata=reads("attachments"),
    )
    def attachments(self, info: Info) -> Iterable[AttachmentRef]:
        return self._of_gateway(info, "attachments", _DirectConnectGatewayAttachment.from_aws)

    def _of_gateway(self, info: Info, kind: str, build: Callable[[Any], T]) -> Iterable[T]:
        """The gateway's associations or attachments as `build` makes them: a list when they
        have arrived (the connection is resolved without waiting; a topology asks for the same
        gateway's once per VIF), else an async iterator the connection awaits."""
        return cast(
            Iterable[T], links.of_gateway(info, kind, self.direct_connect_gateway_id, build)
        )

    @strawberry.field(
        description="The virtual interfaces attached to this gateway.",
        metadata=reads("attachments", "virtual_interfaces"),
    )
    async def virtual_interfaces(
        self, info: Info
    ) -> list[Annotated[VirtualInterface, strawberry.lazy("gql.api.virtual_interface")]]:
        return await links.of_gateway_then_find(
            info,
            "attachments",
            self.direct_connect_gateway_id,
            "virtual_interfaces",
            "virtualInterfaceId",
            "virtualInterfaceRegion",
            _VirtualInterface.from_aws,
        )

    @strawberry.field(
        description="The virtual private gateways associated with this gateway.",
        metadata=reads("associations", "virtual_gateways"),
    )
    async def virtual_gateways(
        self, info: Info
    ) -> list[Annotated[VirtualGateway, strawberry.lazy("gql.api.virtual_gateway")]]:
        return await links.of_gateway_then_find(
            info,
            "associations",
            self.direct_connect_gateway_id,
            "virtual_gateways",
            "virtualGatewayId",
            "virtualGatewayRegion",
            _VirtualGateway.from_aws,
        )

    @strawberry.field(
        description="The tags on the Direct Connect gateway.", metadata=reads(tags="gateways")
    )
    def tags(self, info: Info) -> list[Annotated[Tag, strawberry.lazy("gql.api.tag")]]:
        return links.tags(info, self.arn_for(info), Tag.from_aws)  # type: ignore[no-any-return]

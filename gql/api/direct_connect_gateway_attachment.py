"""Attachments of virtual interfaces to Direct Connect gateways."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry import relay

from gql.api.common import node_key, split_key
from gql.api.deferred import Deferred
from gql.api.enums import AttachmentState, AttachmentType, parse_attachment_type, parse_enum
from resolvers import links
from resolvers.context import Info
from resolvers.data.plan import reads

if TYPE_CHECKING:
    from gql.api.direct_connect_gateway import DirectConnectGateway
    from gql.api.virtual_interface import VirtualInterface

_DirectConnectGateway = Deferred("gql.api.direct_connect_gateway", "DirectConnectGateway")
_VirtualInterface = Deferred("gql.api.virtual_interface", "VirtualInterface")

__all__ = ["DirectConnectGatewayAttachment"]


@strawberry.type(
    description="An attachment between a Direct Connect gateway and a virtual interface."
)
class DirectConnectGatewayAttachment(relay.Node):
    key: relay.NodeID[str]
    direct_connect_gateway_id: str = strawberry.field(
        description="The ID of the Direct Connect gateway."
    )
    virtual_interface_id: str | None = strawberry.field(
        description="The ID of the virtual interface."
    )
    virtual_interface_region: str | None = strawberry.field(
        description="The AWS Region where the virtual interface is located."
    )
    virtual_interface_owner_account: str | None = strawberry.field(
        description="The ID of the AWS account that owns the virtual interface."
    )
    attachment_type: AttachmentType | None = strawberry.field(
        description="The kind of virtual interface attached (transit or private)."
    )
    attachment_state: AttachmentState | None = strawberry.field(
        description="The state of the attachment."
    )
    state_change_error: str | None = strawberry.field(
        description="The error message if the state of an object failed to advance."
    )

    @classmethod
    def from_aws(cls, data: dict[str, Any]) -> DirectConnectGatewayAttachment:
        gateway_id = data["directConnectGatewayId"]
        return cls(
            key=node_key(gateway_id, data.get("virtualInterfaceId") or "-"),
            direct_connect_gateway_id=gateway_id,
            virtual_interface_id=data.get("virtualInterfaceId"),
            virtual_interface_region=data.get("virtualInterfaceRegion"),
            virtual_interface_owner_account=data.get("virtualInterfaceOwnerAccount"),
            attachment_type=parse_attachment_type(data.get("attachmentType")),
            attachment_state=parse_enum(AttachmentState, data.get("attachmentState")),
            state_change_error=data.get("stateChangeError"),
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[DirectConnectGatewayAttachment | None]:
        found: list[DirectConnectGatewayAttachment | None] = []
        for key in node_ids:
            gateway_id, vif_id = split_key(key, 2)
            items = await links.of_gateway_raw(info, "attachments", gateway_id)
            match = [a for a in items if a.get("virtualInterfaceId") == vif_id]
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
        description="The virtual interface (when its region is served).",
        metadata=reads("virtual_interfaces"),
    )
    def virtual_interface(
        self, info: Info
    ) -> Annotated[VirtualInterface, strawberry.lazy("gql.api.virtual_interface")] | None:
        region = self.virtual_interface_region
        if region is None or not links.served(info, region):
            return None
        return links.one(  # type: ignore[no-any-return]
            info,
            "virtual_interfaces",
            self.virtual_interface_id,
            region,
            lambda raw: _VirtualInterface.from_aws(raw, region),
        )

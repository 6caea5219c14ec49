"""Direct Connect gateways, their associations and attachments (global): top-level reads and the
gateway and association mutations."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay

from gql.context import Info
from gql.enums import DirectConnectGatewayState
from gql.inputs.direct_connect_gateway import (
    CreateDirectConnectGatewayAssociationInput,
    CreateDirectConnectGatewayInput,
    DeleteDirectConnectGatewayAssociationInput,
    DeleteDirectConnectGatewayInput,
    DirectConnectGatewayAssociationPayload,
    DirectConnectGatewayPayload,
)
from gql.types.common import gateway_arn
from gql.types.direct_connect_gateway import DirectConnectGateway
from gql.types.direct_connect_gateway_association import DirectConnectGatewayAssociation
from gql.types.direct_connect_gateway_attachment import DirectConnectGatewayAttachment
from gql.types.tag import TagFilter
from resolvers.errors import ErrorCode, UpstreamError
from resolvers.filters import Fields, select
from resolvers.writes import region_for, write

FIELDS = Fields(state="directConnectGatewayState", name="directConnectGatewayName", location=None)


@relay.connection(
    relay.ListConnection[DirectConnectGateway],
    description=(
        "Direct Connect gateways (global). AWS pages them; the gateway reads every page and pages "
        "the result with cursors."
    ),
)
async def list_direct_connect_gateways(
    info: Info,
    states: Annotated[
        list[DirectConnectGatewayState] | None,
        strawberry.argument(description="Only these states."),
    ] = None,
    name: Annotated[
        str | None, strawberry.argument(description="Case-insensitive substring of the name.")
    ] = None,
    owner_account: Annotated[str | None, strawberry.argument(description="Owner account.")] = None,
    tag: Annotated[TagFilter | None, strawberry.argument(description="Carrying this tag.")] = None,
) -> list[DirectConnectGateway]:
    loaders = info.context.loaders
    account = info.context.account_id
    kept = await select(
        loaders,
        await loaders.all_gateways(),
        FIELDS,
        lambda g: gateway_arn(g.get("ownerAccount") or account, g["directConnectGatewayId"]),
        states=states,
        name=name,
        owner_account=owner_account,
        tag=tag,
    )
    return [DirectConnectGateway.from_aws(g) for g in kept]


async def get_direct_connect_gateway(
    info: Info,
    direct_connect_gateway_id: Annotated[
        str, strawberry.argument(description="The Direct Connect gateway ID (a UUID).")
    ],
) -> DirectConnectGateway | None:
    raw = await info.context.loaders.find_gateway(direct_connect_gateway_id)
    return DirectConnectGateway.from_aws(raw) if raw else None


def _require_one(**ids: str | None) -> None:
    if not any(ids.values()):
        raise UpstreamError(
            f"Give at least one of: {', '.join(ids)}.", code=ErrorCode.INVALID_REQUEST
        )


@relay.connection(
    relay.ListConnection[DirectConnectGatewayAssociation],
    description="Associations of a Direct Connect gateway and/or a virtual private gateway.",
)
async def list_direct_connect_gateway_associations(
    info: Info,
    direct_connect_gateway_id: Annotated[
        str | None, strawberry.argument(description="The Direct Connect gateway ID.")
    ] = None,
    virtual_gateway_id: Annotated[
        str | None, strawberry.argument(description="The virtual private gateway ID.")
    ] = None,
) -> list[DirectConnectGatewayAssociation]:
    _require_one(
        directConnectGatewayId=direct_connect_gateway_id, virtualGatewayId=virtual_gateway_id
    )
    loaders = info.context.loaders
    if direct_connect_gateway_id:
        items = await loaders.gateway_associations.load(direct_connect_gateway_id)
    else:
        items = await loaders.all_associations()
    return [
        DirectConnectGatewayAssociation.from_aws(a)
        for a in items
        if virtual_gateway_id is None or a.get("virtualGatewayId") == virtual_gateway_id
    ]


@relay.connection(
    relay.ListConnection[DirectConnectGatewayAttachment],
    description="Attachments of a Direct Connect gateway and/or a virtual interface.",
)
async def list_direct_connect_gateway_attachments(
    info: Info,
    direct_connect_gateway_id: Annotated[
        str | None, strawberry.argument(description="The Direct Connect gateway ID.")
    ] = None,
    virtual_interface_id: Annotated[
        str | None, strawberry.argument(description="The virtual interface ID.")
    ] = None,
) -> list[DirectConnectGatewayAttachment]:
    _require_one(
        directConnectGatewayId=direct_connect_gateway_id, virtualInterfaceId=virtual_interface_id
    )
    loaders = info.context.loaders
    if direct_connect_gateway_id:
        items = await loaders.gateway_attachments.load(direct_connect_gateway_id)
    else:
        items = await loaders.all_attachments()
    return [
        DirectConnectGatewayAttachment.from_aws(a)
        for a in items
        if virtual_interface_id is None or a.get("virtualInterfaceId") == virtual_interface_id
    ]


async def create_direct_connect_gateway(
    info: Info, input: CreateDirectConnectGatewayInput
) -> DirectConnectGatewayPayload:
    raw = await write(info, input, "create_direct_connect_gateway")
    return DirectConnectGatewayPayload(
        direct_connect_gateway=DirectConnectGateway.from_aws(raw["directConnectGateway"])
    )


async def delete_direct_connect_gateway(
    info: Info, input: DeleteDirectConnectGatewayInput
) -> DirectConnectGatewayPayload:
    raw = await write(info, input, "delete_direct_connect_gateway")
    return DirectConnectGatewayPayload(
        direct_connect_gateway=DirectConnectGateway.from_aws(raw["directConnectGateway"])
    )


async def create_direct_connect_gateway_association(
    info: Info, input: CreateDirectConnectGatewayAssociationInput
) -> DirectConnectGatewayAssociationPayload:
    region = region_for(info, input.region)
    raw = await write(info, input, "create_direct_connect_gateway_association", region)
    return DirectConnectGatewayAssociationPayload(
        direct_connect_gateway_association=DirectConnectGatewayAssociation.from_aws(
            raw["directConnectGatewayAssociation"]
        )
    )


async def delete_direct_connect_gateway_association(
    info: Info, input: DeleteDirectConnectGatewayAssociationInput
) -> DirectConnectGatewayAssociationPayload:
    region = region_for(info, input.region)
    raw = await write(info, input, "delete_direct_connect_gateway_association", region)
    return DirectConnectGatewayAssociationPayload(
        direct_connect_gateway_association=DirectConnectGatewayAssociation.from_aws(
            raw["directConnectGatewayAssociation"]
        )
    )

"""Connections: top-level reads and the connection mutations."""

from __future__ import annotations

from typing import Any

from gql.context import Info
from gql.enums import ConnectionState, parse_enum
from gql.inputs.connection import (
    AllocateConnectionOnInterconnectInput,
    AllocateHostedConnectionInput,
    AssociateHostedConnectionInput,
    ConfirmConnectionInput,
    ConnectionPayload,
    ConnectionStatePayload,
    CreateConnectionInput,
    DeleteConnectionInput,
)
from gql.types.common import regional_arn
from gql.types.connection import DxConnection
from resolvers.filters import Fields
from resolvers.listing import get_resolver, list_resolver
from resolvers.writes import region_for, write


def _arn(item: dict[str, Any], account: str) -> str:
    return regional_arn(item["region"], item.get("ownerAccount") or account, item["connectionId"])


list_connections = list_resolver(
    "connections",
    DxConnection,
    ConnectionState,
    Fields(state="connectionState", name="connectionName"),
    _arn,
)
get_connection = get_resolver("connections", DxConnection, "connectionId", "dxcon-…")


async def create_connection(info: Info, input: CreateConnectionInput) -> ConnectionPayload:
    region = region_for(info, input.region)
    raw = await write(info, input, "create_connection", region)
    return ConnectionPayload(connection=DxConnection.from_aws(raw, region))


async def delete_connection(info: Info, input: DeleteConnectionInput) -> ConnectionPayload:
    region = region_for(info, input.region)
    raw = await write(info, input, "delete_connection", region)
    return ConnectionPayload(connection=DxConnection.from_aws(raw, region))


async def confirm_connection(info: Info, input: ConfirmConnectionInput) -> ConnectionStatePayload:
    region = region_for(info, input.region)
    raw = await write(info, input, "confirm_connection", region)
    fresh = await info.context.loaders.find("connections", input.connection_id, region)
    return ConnectionStatePayload(
        connection_state=parse_enum(ConnectionState, raw.get("connectionState")),
        connection=DxConnection.from_aws(fresh, region) if fresh else None,
    )


async def allocate_hosted_connection(
    info: Info, input: AllocateHostedConnectionInput
) -> ConnectionPayload:
    region = region_for(info, input.region)
    raw = await write(info, input, "allocate_hosted_connection", region)
    return ConnectionPayload(connection=DxConnection.from_aws(raw, region))


async def allocate_connection_on_interconnect(
    info: Info, input: AllocateConnectionOnInterconnectInput
) -> ConnectionPayload:
    region = region_for(info, input.region)
    raw = await write(info, input, "allocate_connection_on_interconnect", region)
    return ConnectionPayload(connection=DxConnection.from_aws(raw, region))


async def associate_hosted_connection(
    info: Info, input: AssociateHostedConnectionInput
) -> ConnectionPayload:
    region = region_for(info, input.region)
    raw = await write(info, input, "associate_hosted_connection", region)
    return ConnectionPayload(connection=DxConnection.from_aws(raw, region))

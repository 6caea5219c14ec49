"""Mutations on connections, hosted connections, interconnects and LAGs."""

from __future__ import annotations

import strawberry

from gql.inputs.connection import ConnectionPayload, ConnectionStatePayload
from resolvers import connections


@strawberry.type
class ConnectionMutations:
    create_connection: ConnectionPayload = strawberry.mutation(
        resolver=connections.create_connection,
        description="CreateConnection: a dedicated connection at a location (state requested).",
    )
    delete_connection: ConnectionPayload = strawberry.mutation(
        resolver=connections.delete_connection,
        description=(
            "DeleteConnection. A hosted connection still `ordering` that its owner deletes is "
            "`rejected` (declined)."
        ),
    )
    confirm_connection: ConnectionStatePayload = strawberry.mutation(
        resolver=connections.confirm_connection,
        description="ConfirmConnection: accept a hosted connection (`ordering` → `pending`).",
    )

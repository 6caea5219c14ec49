"""Inputs and payloads of the connection mutations."""

from __future__ import annotations

from typing import Any

import strawberry

from gql.enums import ConnectionState
from gql.types.connection import DxConnection
from gql.validation import DEDICATED_BANDWIDTHS, Checks

__all__ = [
    "ConfirmConnectionInput",
    "ConnectionPayload",
    "ConnectionStatePayload",
    "CreateConnectionInput",
    "DeleteConnectionInput",
]

REGION_DESCRIPTION = "The region to act in (default: the gateway's first served region)."


@strawberry.input(description="CreateConnection: a dedicated connection at a location.")
class CreateConnectionInput:
    location: str = strawberry.field(
        description="The location of the connection (a code from `locations`)."
    )
    bandwidth: str = strawberry.field(
        description="The bandwidth of the connection: 1Gbps, 10Gbps, 100Gbps or 400Gbps."
    )
    connection_name: str = strawberry.field(description="The name of the connection.")
    lag_id: str | None = strawberry.field(
        default=None, description="The ID of the LAG the connection joins."
    )
    region: str | None = strawberry.field(default=None, description=REGION_DESCRIPTION)

    def validate(self, checks: Checks) -> None:
        checks.required("location", self.location)
        checks.one_of("bandwidth", self.bandwidth, DEDICATED_BANDWIDTHS)
        checks.name("connectionName", self.connection_name, 200)
        checks.aws_id("lagId", self.lag_id, "dxlag")

    def to_aws(self) -> dict[str, Any]:
        params: dict[str, Any] = {
            "location": self.location,
            "bandwidth": self.bandwidth,
            "connectionName": self.connection_name,
        }
        if self.lag_id is not None:
            params["lagId"] = self.lag_id
        return params


@strawberry.input(description="A connection by its ID (DeleteConnection).")
class DeleteConnectionInput:
    connection_id: str = strawberry.field(description="The ID of the connection (dxcon-…).")
    region: str | None = strawberry.field(default=None, description=REGION_DESCRIPTION)

    def validate(self, checks: Checks) -> None:
        checks.aws_id("connectionId", self.connection_id, "dxcon")

    def to_aws(self) -> dict[str, Any]:
        return {"connectionId": self.connection_id}


@strawberry.input(description="ConfirmConnection: accept a hosted connection in `ordering`.")
class ConfirmConnectionInput(DeleteConnectionInput):
    pass


@strawberry.type(description="The connection a mutation created or changed.")
class ConnectionPayload:
    connection: DxConnection = strawberry.field(description="The connection, as AWS returned it.")


@strawberry.type(description="The new state of a connection, and the connection read afresh.")
class ConnectionStatePayload:
    connection_state: ConnectionState | None = strawberry.field(
        description="The state AWS returned."
    )
    connection: DxConnection | None = strawberry.field(
        description="The connection read after the change (null if no longer visible)."
    )

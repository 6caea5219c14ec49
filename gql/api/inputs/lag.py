"""Inputs and payloads of the LAG mutations (create, update, delete, membership)."""

from __future__ import annotations

from typing import Any

import strawberry

from gql.api.connection import DxConnection
from gql.api.lag import Lag
from resolvers import links
from resolvers.context import Info
from resolvers.data.plan import reads
from resolvers.validation import LAG_BANDWIDTHS, Checks, FieldError

__all__ = [
    "AssociateConnectionWithLagInput",
    "CreateLagInput",
    "DeleteLagInput",
    "DisassociateConnectionFromLagInput",
    "LagMembershipPayload",
    "LagPayload",
    "UpdateLagInput",
]

REGION_DESCRIPTION = "The region to act in (default: the gateway's first served region)."
MAX_LAG_CONNECTIONS = 10


def needs_one_of(checks: Checks, **values: Any) -> None:
    """Refuses an input that sets none of the named optional fields (reported on the input)."""
    if all(value is None for value in values.values()):
        names = " or ".join(values)
        checks.errors.append(
            FieldError(checks.prefix, "REQUIRED", f"needs at least one of {names}")
        )


@strawberry.input(
    description=(
        "CreateLag: a link aggregation group of new (or one existing) dedicated connections of "
        "one bandwidth at one location."
    )
)
class CreateLagInput:
    number_of_connections: int = strawberry.field(
        description=(
            "The number of physical connections initially provisioned and bundled by the LAG "
            "(1-10; an existing connection given as connectionId counts toward it)."
        )
    )
    location: str = strawberry.field(
        description="The location for the LAG (a code from `locations`)."
    )
    connections_bandwidth: str = strawberry.field(
        description=(
            "The bandwidth of the individual physical connections bundled by the LAG: 1Gbps or "
            "10Gbps."
        )
    )
    lag_name: str = strawberry.field(description="The name of the LAG.")
    connection_id: str | None = strawberry.field(
        default=None,
        description=(
            "The ID of an existing connection (or interconnect) to migrate to the LAG (dxcon-…)."
        ),
    )
    region: str | None = strawberry.field(default=None, description=REGION_DESCRIPTION)

    def validate(self, checks: Checks) -> None:
        checks.in_range("numberOfConnections", self.number_of_connections, 1, MAX_LAG_CONNECTIONS)
        checks.required("location", self.location)
        checks.one_of("connectionsBandwidth", self.connections_bandwidth, LAG_BANDWIDTHS)
        checks.name("lagName", self.lag_name, 200)
        checks.aws_id("connectionId", self.connection_id, "dxcon")

    def to_aws(self) -> dict[str, Any]:
        params: dict[str, Any] = {
            "numberOfConnections": self.number_of_connections,
            "location": self.location,
            "connectionsBandwidth": self.connections_bandwidth,
            "lagName": self.lag_name,
        }
        if self.connection_id is not None:
            params["connectionId"] = self.connection_id
        return params


@strawberry.input(description="A LAG by its ID (DeleteLag).")
class DeleteLagInput:
    lag_id: str = strawberry.field(description="The ID of the LAG (dxlag-…).")
    region: str | None = strawberry.field(default=None, description=REGION_DESCRIPTION)

    def validate(self, checks: Checks) -> None:
        checks.aws_id("lagId", self.lag_id, "dxlag")

    def to_aws(self) -> dict[str, Any]:
        return {"lagId": self.lag_id}


@strawberry.input(
    description=(
        "UpdateLag: the LAG's name and/or its minimum number of operational links (the only "
        "attributes it changes; give at least one)."
    )
)
class UpdateLagInput:
    lag_id: str = strawberry.field(description="The ID of the LAG (dxlag-…).")
    lag_name: str | None = strawberry.field(default=None, description="The name of the LAG.")
    minimum_links: int | None = strawberry.field(
        default=None,
        description=(
            "The minimum number of physical connections that must be operational for the LAG "
            "itself to be operational (0-10). Set above the operational count, it takes the LAG "
            "down."
        ),
    )
    region: str | None = strawberry.field(default=None, description=REGION_DESCRIPTION)

    def validate(self, checks: Checks) -> None:
        checks.aws_id("lagId", self.lag_id, "dxlag")
        checks.name("lagName", self.lag_name, 200)
        checks.in_range("minimumLinks", self.minimum_links, 0, MAX_LAG_CONNECTIONS)
        needs_one_of(checks, lagName=self.lag_name, minimumLinks=self.minimum_links)

    def to_aws(self) -> dict[str, Any]:
        params: dict[str, Any] = {"lagId": self.lag_id}
        if self.lag_name is not None:
            params["lagName"] = self.lag_name
        if self.minimum_links is not None:
            params["minimumLinks"] = self.minimum_links
        return params


@strawberry.input(
    description=(
        "AssociateConnectionWithLag: make a dedicated connection or interconnect a member of a "
        "LAG (same endpoint, same bandwidth)."
    )
)
class AssociateConnectionWithLagInput:
    connection_id: str = strawberry.field(
        description="The ID of the connection (or interconnect). For example, dxcon-abc123."
    )
    lag_id: str = strawberry.field(
        description=(
            "The ID of the LAG with which to associate the connection. For example, dxlag-abc123."
        )
    )
    region: str | None = strawberry.field(default=None, description=REGION_DESCRIPTION)

    def validate(self, checks: Checks) -> None:
        checks.aws_id("connectionId", self.connection_id, "dxcon")
        checks.aws_id("lagId", self.lag_id, "dxlag")

    def to_aws(self) -> dict[str, Any]:
        return {"connectionId": self.connection_id, "lagId": self.lag_id}


@strawberry.input(
    description=(
        "DisassociateConnectionFromLag: a LAG member becomes a standalone connection (a "
        "partner's becomes an interconnect)."
    )
)
class DisassociateConnectionFromLagInput:
    connection_id: str = strawberry.field(
        description="The ID of the connection. For example, dxcon-abc123."
    )
    lag_id: str = strawberry.field(description="The ID of the LAG. For example, dxlag-abc123.")
    region: str | None = strawberry.field(default=None, description=REGION_DESCRIPTION)

    def validate(self, checks: Checks) -> None:
        checks.aws_id("connectionId", self.connection_id, "dxcon")
        checks.aws_id("lagId", self.lag_id, "dxlag")

    def to_aws(self) -> dict[str, Any]:
        return {"connectionId": self.connection_id, "lagId": self.lag_id}


@strawberry.type(description="The LAG a mutation created, changed or deleted.")
class LagPayload:
    lag: Lag = strawberry.field(description="The LAG, as AWS returned it.")


@strawberry.type(
    description=(
        "The connection that joined or left a LAG, and that LAG read after the change (its "
        "member list now shows the move)."
    )
)
class LagMembershipPayload:
    connection: DxConnection = strawberry.field(description="The connection, as AWS returned it.")
    lag_id: strawberry.Private[str]
    region: strawberry.Private[str]

    @strawberry.field(
        description="The LAG read after the change (null if no longer visible).",
        metadata=reads("lags"),
    )
    async def lag(self, info: Info) -> Lag | None:
        raw = await links.find(info, "lags", self.lag_id, self.region)
        return Lag.from_aws(raw, self.region) if raw else None

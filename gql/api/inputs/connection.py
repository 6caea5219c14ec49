"""Inputs and payloads of the connection mutations."""

from __future__ import annotations

from typing import Any

import strawberry

from gql.api.connection import DxConnection
from gql.api.enums import ConnectionState
from resolvers.validation import DEDICATED_BANDWIDTHS, HOSTED_BANDWIDTHS, Checks

__all__ = [
    "AllocateConnectionOnInterconnectInput",
    "AllocateHostedConnectionInput",
    "AssociateHostedConnectionInput",
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


@strawberry.input(
    description=(
        "AllocateConnectionOnInterconnect (deprecated; use AllocateHostedConnection): a hosted "
        "connection on a partner's interconnect for a customer account."
    )
)
class AllocateConnectionOnInterconnectInput:
    bandwidth: str = strawberry.field(
        description=(
            "The bandwidth of the connection, in Mbps: 50Mbps, 100Mbps, 200Mbps, 300Mbps, "
            "400Mbps or 500Mbps."
        )
    )
    connection_name: str = strawberry.field(description="The name of the provisioned connection.")
    owner_account: str = strawberry.field(
        description=(
            "The ID of the AWS account of the customer for whom the connection will be "
            "provisioned (12 digits)."
        )
    )
    interconnect_id: str = strawberry.field(
        description=(
            "The ID of the interconnect on which the connection will be provisioned (dxcon-…)."
        )
    )
    vlan: int = strawberry.field(
        description="The dedicated VLAN provisioned to the connection (1-4094)."
    )
    region: str | None = strawberry.field(default=None, description=REGION_DESCRIPTION)

    def validate(self, checks: Checks) -> None:
        checks.one_of("bandwidth", self.bandwidth, HOSTED_BANDWIDTHS)
        checks.name("connectionName", self.connection_name, 200)
        checks.account("ownerAccount", self.owner_account)
        checks.aws_id("interconnectId", self.interconnect_id, "dxcon")
        checks.vlan("vlan", self.vlan)

    def to_aws(self) -> dict[str, Any]:
        return {
            "bandwidth": self.bandwidth,
            "connectionName": self.connection_name,
            "ownerAccount": self.owner_account,
            "interconnectId": self.interconnect_id,
            "vlan": self.vlan,
        }


@strawberry.input(
    description=(
        "AllocateHostedConnection: a hosted connection on a partner's interconnect or LAG for a "
        "customer account; it stays `ordering` until the customer confirms it."
    )
)
class AllocateHostedConnectionInput:
    connection_id: str = strawberry.field(
        description="The ID of the interconnect or LAG (dxcon-… or dxlag-…)."
    )
    owner_account: str = strawberry.field(
        description="The ID of the AWS account of the customer for the connection (12 digits)."
    )
    bandwidth: str = strawberry.field(
        description=(
            "The bandwidth of the hosted connection, in Mbps: 50Mbps, 100Mbps, 200Mbps, "
            "300Mbps, 400Mbps or 500Mbps."
        )
    )
    connection_name: str = strawberry.field(description="The name of the hosted connection.")
    vlan: int = strawberry.field(
        description="The dedicated VLAN provisioned to the hosted connection (1-4094)."
    )
    region: str | None = strawberry.field(default=None, description=REGION_DESCRIPTION)

    def validate(self, checks: Checks) -> None:
        checks.aws_id("connectionId", self.connection_id, "dxcon", "dxlag")
        checks.account("ownerAccount", self.owner_account)
        checks.one_of("bandwidth", self.bandwidth, HOSTED_BANDWIDTHS)
        checks.name("connectionName", self.connection_name, 200)
        checks.vlan("vlan", self.vlan)

    def to_aws(self) -> dict[str, Any]:
        return {
            "connectionId": self.connection_id,
            "ownerAccount": self.owner_account,
            "bandwidth": self.bandwidth,
            "connectionName": self.connection_name,
            "vlan": self.vlan,
        }


@strawberry.input(
    description=(
        "AssociateHostedConnection: move a hosted connection and its virtual interfaces to "
        "another of the partner's interconnects or LAGs."
    )
)
class AssociateHostedConnectionInput:
    connection_id: str = strawberry.field(description="The ID of the hosted connection (dxcon-…).")
    parent_connection_id: str = strawberry.field(
        description="The ID of the interconnect or the LAG (dxcon-… or dxlag-…)."
    )
    region: str | None = strawberry.field(default=None, description=REGION_DESCRIPTION)

    def validate(self, checks: Checks) -> None:
        checks.aws_id("connectionId", self.connection_id, "dxcon")
        checks.aws_id("parentConnectionId", self.parent_connection_id, "dxcon", "dxlag")

    def to_aws(self) -> dict[str, Any]:
        return {
            "connectionId": self.connection_id,
            "parentConnectionId": self.parent_connection_id,
        }


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

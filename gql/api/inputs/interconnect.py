"""Inputs and payloads of the interconnect mutations (partners only)."""

from __future__ import annotations

from typing import Any

import strawberry

from gql.api.enums import InterconnectState
from gql.api.interconnect import Interconnect
from resolvers.validation import INTERCONNECT_BANDWIDTHS, Checks

__all__ = [
    "CreateInterconnectInput",
    "DeleteInterconnectInput",
    "InterconnectPayload",
    "InterconnectStatePayload",
]

REGION_DESCRIPTION = "The region to act in (default: the gateway's first served region)."


@strawberry.input(
    description=(
        "CreateInterconnect: a partner's port at a location that can host other (sub-1Gbps) "
        "connections."
    )
)
class CreateInterconnectInput:
    interconnect_name: str = strawberry.field(description="The name of the interconnect.")
    bandwidth: str = strawberry.field(
        description='The port bandwidth: 1Gbps or 10Gbps (the reference\'s "1 and 10" Gbps).'
    )
    location: str = strawberry.field(
        description="The location of the interconnect (a code from `locations`)."
    )
    lag_id: str | None = strawberry.field(
        default=None,
        description=(
            "The ID of the LAG the interconnect joins; it is allocated on the endpoint that "
            "hosts that LAG (dxlag-…)."
        ),
    )
    region: str | None = strawberry.field(default=None, description=REGION_DESCRIPTION)

    def validate(self, checks: Checks) -> None:
        checks.name("interconnectName", self.interconnect_name, 200)
        checks.one_of("bandwidth", self.bandwidth, INTERCONNECT_BANDWIDTHS)
        checks.required("location", self.location)
        checks.aws_id("lagId", self.lag_id, "dxlag")

    def to_aws(self) -> dict[str, Any]:
        params: dict[str, Any] = {
            "interconnectName": self.interconnect_name,
            "bandwidth": self.bandwidth,
            "location": self.location,
        }
        if self.lag_id is not None:
            params["lagId"] = self.lag_id
        return params


@strawberry.input(description="An interconnect by its ID (DeleteInterconnect).")
class DeleteInterconnectInput:
    interconnect_id: str = strawberry.field(description="The ID of the interconnect (dxcon-…).")
    region: str | None = strawberry.field(default=None, description=REGION_DESCRIPTION)

    def validate(self, checks: Checks) -> None:
        checks.aws_id("interconnectId", self.interconnect_id, "dxcon")

    def to_aws(self) -> dict[str, Any]:
        return {"interconnectId": self.interconnect_id}


@strawberry.type(description="The interconnect a mutation created.")
class InterconnectPayload:
    interconnect: Interconnect = strawberry.field(
        description="The interconnect, as AWS returned it."
    )


@strawberry.type(description="The new state of an interconnect, and the interconnect read afresh.")
class InterconnectStatePayload:
    interconnect_state: InterconnectState | None = strawberry.field(
        description="The state AWS returned."
    )
    interconnect: Interconnect | None = strawberry.field(
        description="The interconnect read after the change (null if no longer visible)."
    )

"""Interconnects: partner-owned connections that carry hosted connections."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry import relay

from gql.context import Info
from gql.enums import HasLogicalRedundancy, InterconnectState, parse_enum
from gql.types.common import (
    find_then,
    loa_for,
    node_key,
    parse_time,
    regional_arn,
    split_key,
    tags_for,
)
from gql.types.location import Location, location_of

if TYPE_CHECKING:
    from gql.types.connection import DxConnection
    from gql.types.lag import Lag
    from gql.types.loa import Loa
    from gql.types.tag import Tag

__all__ = ["Interconnect"]


@strawberry.type(
    description=(
        "An interconnect: a connection capable of hosting other connections, used by AWS Direct "
        "Connect partners to provide hosted (sub-1 Gbps) connections to their customers."
    )
)
class Interconnect(relay.Node):
    key: relay.NodeID[str]
    interconnect_id: str = strawberry.field(description="The ID of the interconnect.")
    interconnect_name: str | None = strawberry.field(description="The name of the interconnect.")
    interconnect_state: InterconnectState | None = strawberry.field(
        description="The state of the interconnect."
    )
    region: str = strawberry.field(description="The AWS Region where the interconnect is located.")
    location_code: str | None = strawberry.field(
        description="The location of the interconnect (its code; `location` is the full object)."
    )
    bandwidth: str | None = strawberry.field(description="The bandwidth of the connection.")
    loa_issue_time: datetime | None = strawberry.field(
        description="The time of the most recent call to DescribeLoa for this interconnect."
    )
    lag_id: str | None = strawberry.field(description="The ID of the LAG.")
    aws_device: str | None = strawberry.field(
        description="The Direct Connect endpoint on which the physical connection terminates."
    )
    jumbo_frame_capable: bool | None = strawberry.field(
        description="Indicates whether jumbo frames (9001 MTU) are supported."
    )
    aws_device_v2: str | None = strawberry.field(
        description="The Direct Connect endpoint on which the physical connection terminates."
    )
    has_logical_redundancy: HasLogicalRedundancy | None = strawberry.field(
        description="Whether the interconnect supports a secondary BGP peer in the same family."
    )

    @classmethod
    def from_aws(cls, data: dict[str, Any], region: str) -> Interconnect:
        region = data.get("region") or region
        return cls(
            key=node_key(region, data["interconnectId"]),
            interconnect_id=data["interconnectId"],
            interconnect_name=data.get("interconnectName"),
            interconnect_state=parse_enum(InterconnectState, data.get("interconnectState")),
            region=region,
            location_code=data.get("location"),
            bandwidth=data.get("bandwidth"),
            loa_issue_time=parse_time(data.get("loaIssueTime")),
            lag_id=data.get("lagId"),
            aws_device=data.get("awsDevice"),
            jumbo_frame_capable=data.get("jumboFrameCapable"),
            aws_device_v2=data.get("awsDeviceV2"),
            has_logical_redundancy=parse_enum(
                HasLogicalRedundancy, data.get("hasLogicalRedundancy")
            ),
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Interconnect | None]:
        found: list[Interconnect | None] = []
        for key in node_ids:
            region, interconnect_id = split_key(key, 2)
            raw = await info.context.loaders.find("interconnects", interconnect_id, region)
            found.append(cls.from_aws(raw, region) if raw else None)
        return found

    def arn_for(self, info: Info) -> str:
        return regional_arn(self.region, info.context.account_id, self.interconnect_id)

    @strawberry.field(description="The ARN of the interconnect (the caller's account owns it).")
    def arn(self, info: Info) -> str:
        return self.arn_for(info)

    @strawberry.field(description="The location where the interconnect terminates.")
    def location(self, info: Info) -> Location | None:
        return location_of(info, self.region, self.location_code)  # type: ignore[no-any-return]

    @strawberry.field(description="The LAG this interconnect is a member of, if any.")
    def lag(self, info: Info) -> Annotated[Lag, strawberry.lazy("gql.types.lag")] | None:
        from gql.types.lag import Lag

        return find_then(  # type: ignore[no-any-return]
            info, "lags", self.lag_id, self.region, lambda raw: Lag.from_aws(raw, self.region)
        )

    @strawberry.field(description="Hosted connections provisioned on this interconnect.")
    async def hosted_connections(
        self, info: Info
    ) -> list[Annotated[DxConnection, strawberry.lazy("gql.types.connection")]]:
        from gql.types.connection import DxConnection

        items = await info.context.loaders.hosted_connections.load(
            (self.region, self.interconnect_id)
        )
        return [DxConnection.from_aws(c, self.region) for c in items]

    @strawberry.field(description="The tags on the interconnect.")
    def tags(self, info: Info) -> list[Annotated[Tag, strawberry.lazy("gql.types.tag")]]:
        return tags_for(info, self.arn_for(info))  # type: ignore[no-any-return]

    @strawberry.field(description="The interconnect's LOA-CFA (calling it sets loaIssueTime).")
    async def loa(self, info: Info) -> Annotated[Loa, strawberry.lazy("gql.types.loa")]:
        result: Loa = await loa_for(info, self.region, self.interconnect_id)
        return result

"""Direct Connect connections: dedicated, LAG members and hosted connections.

Named `DxConnection` so it never collides with Relay's `…Connection` pagination types.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry import relay

from gql.context import Info
from gql.enums import ConnectionState, HasLogicalRedundancy, parse_enum
from gql.types.common import (
    find_then,
    loa_for,
    node_key,
    parse_time,
    regional_arn,
    related_then,
    split_key,
    tags_for,
)
from gql.types.location import Location, location_of

if TYPE_CHECKING:
    from gql.types.lag import Lag
    from gql.types.loa import Loa
    from gql.types.tag import Tag
    from gql.types.unions import ConnectionParent
    from gql.types.virtual_interface import VirtualInterface

__all__ = ["DxConnection"]


@strawberry.type(
    description=(
        "An AWS Direct Connect connection: a dedicated port, a member of a LAG, or a hosted "
        "connection that a partner provisioned on an interconnect or LAG."
    )
)
class DxConnection(relay.Node):
    key: relay.NodeID[str]
    connection_id: str = strawberry.field(description="The ID of the connection.")
    owner_account: str | None = strawberry.field(
        description="The ID of the AWS account that owns the connection."
    )
    connection_name: str | None = strawberry.field(description="The name of the connection.")
    connection_state: ConnectionState | None = strawberry.field(
        description="The state of the connection."
    )
    region: str = strawberry.field(description="The AWS Region where the connection is located.")
    location_code: str | None = strawberry.field(
        description="The location of the connection (its code; `location` is the full object)."
    )
    bandwidth: str | None = strawberry.field(description="The bandwidth of the connection.")
    vlan: int | None = strawberry.field(description="The ID of the VLAN.")
    partner_name: str | None = strawberry.field(
        description="The name of the AWS Direct Connect service provider for the connection."
    )
    loa_issue_time: datetime | None = strawberry.field(
        description="The time of the most recent call to DescribeLoa for this connection."
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
        description="Whether the connection supports a secondary BGP peer in the same family."
    )

    @classmethod
    def from_aws(cls, data: dict[str, Any], region: str) -> DxConnection:
        region = data.get("region") or region
        return cls(
            key=node_key(region, data["connectionId"]),
            connection_id=data["connectionId"],
            owner_account=data.get("ownerAccount"),
            connection_name=data.get("connectionName"),
            connection_state=parse_enum(ConnectionState, data.get("connectionState")),
            region=region,
            location_code=data.get("location"),
            bandwidth=data.get("bandwidth"),
            vlan=data.get("vlan"),
            partner_name=data.get("partnerName"),
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
    ) -> list[DxConnection | None]:
        found: list[DxConnection | None] = []
        for key in node_ids:
            region, connection_id = split_key(key, 2)
            raw = await info.context.loaders.find("connections", connection_id, region)
            found.append(cls.from_aws(raw, region) if raw else None)
        return found

    def arn_for(self, info: Info) -> str:
        return regional_arn(
            self.region, self.owner_account or info.context.account_id, self.connection_id
        )

    @strawberry.field(description="The ARN of the connection (for tags and IAM policies).")
    def arn(self, info: Info) -> str:
        return self.arn_for(info)

    @strawberry.field(description="The location where the connection terminates.")
    def location(self, info: Info) -> Location | None:
        return location_of(info, self.region, self.location_code)  # type: ignore[no-any-return]

    @strawberry.field(description="The LAG this connection is a member of, if any.")
    def lag(self, info: Info) -> Annotated[Lag, strawberry.lazy("gql.types.lag")] | None:
        from gql.types.lag import Lag

        return find_then(  # type: ignore[no-any-return]
            info, "lags", self.lag_id, self.region, lambda raw: Lag.from_aws(raw, self.region)
        )

    @strawberry.field(
        description=(
            "For a hosted connection: the interconnect or LAG it lives on, when the caller owns "
            "that parent (a partner). Null for dedicated connections."
        )
    )
    async def parent(
        self, info: Info
    ) -> Annotated[ConnectionParent, strawberry.lazy("gql.types.unions")] | None:
        from gql.types.interconnect import Interconnect
        from gql.types.lag import Lag

        raw = await info.context.loaders.hosted_parent(self.region, self.connection_id)
        if raw is None:
            return None
        if "interconnectId" in raw:
            return Interconnect.from_aws(raw, self.region)
        return Lag.from_aws(raw, self.region)

    @strawberry.field(description="Virtual interfaces on this connection.")
    def virtual_interfaces(
        self, info: Info
    ) -> list[Annotated[VirtualInterface, strawberry.lazy("gql.types.virtual_interface")]]:
        from gql.types.virtual_interface import VirtualInterface

        return related_then(  # type: ignore[no-any-return]
            info,
            "virtual_interfaces",
            self.region,
            "connectionId",
            self.connection_id,
            lambda v: VirtualInterface.from_aws(v, self.region),
        )

    @strawberry.field(description="The tags on the connection.")
    def tags(self, info: Info) -> list[Annotated[Tag, strawberry.lazy("gql.types.tag")]]:
        return tags_for(info, self.arn_for(info))  # type: ignore[no-any-return]

    @strawberry.field(description="The connection's LOA-CFA (calling it sets loaIssueTime).")
    async def loa(self, info: Info) -> Annotated[Loa, strawberry.lazy("gql.types.loa")]:
        result: Loa = await loa_for(info, self.region, self.connection_id)
        return result

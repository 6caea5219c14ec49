"""Link aggregation groups (LAGs): bundles of dedicated connections at one location."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry import relay

from gql.context import Info
from gql.enums import HasLogicalRedundancy, LagState, parse_enum
from gql.types.common import loa_for, node_key, regional_arn, related_then, split_key, tags_for
from gql.types.connection import DxConnection
from gql.types.location import Location, location_of

if TYPE_CHECKING:
    from gql.types.loa import Loa
    from gql.types.tag import Tag
    from gql.types.virtual_interface import VirtualInterface

__all__ = ["Lag"]


@strawberry.type(
    description=(
        "A link aggregation group (LAG): dedicated connections of one bandwidth at one location, "
        "treated as a single managed connection."
    )
)
class Lag(relay.Node):
    key: relay.NodeID[str]
    lag_id: str = strawberry.field(description="The ID of the LAG.")
    owner_account: str | None = strawberry.field(
        description="The ID of the AWS account that owns the LAG."
    )
    lag_name: str | None = strawberry.field(description="The name of the LAG.")
    lag_state: LagState | None = strawberry.field(description="The state of the LAG.")
    region: str = strawberry.field(description="The AWS Region where the LAG is located.")
    location_code: str | None = strawberry.field(
        description="The location of the LAG (its code; `location` is the full object)."
    )
    connections_bandwidth: str | None = strawberry.field(
        description="The individual bandwidth of the physical connections bundled by the LAG."
    )
    number_of_connections: int | None = strawberry.field(
        description="The number of physical dedicated connections bundled by the LAG (max 10)."
    )
    minimum_links: int | None = strawberry.field(
        description=(
            "The minimum number of physical connections that must be operational for the LAG "
            "itself to be operational."
        )
    )
    aws_device: str | None = strawberry.field(
        description="The AWS Direct Connect endpoint that hosts the LAG."
    )
    aws_device_v2: str | None = strawberry.field(
        description="The AWS Direct Connect endpoint that hosts the LAG."
    )
    allows_hosted_connections: bool | None = strawberry.field(
        description="Indicates whether the LAG can host other connections."
    )
    jumbo_frame_capable: bool | None = strawberry.field(
        description="Indicates whether jumbo frames (9001 MTU) are supported."
    )
    has_logical_redundancy: HasLogicalRedundancy | None = strawberry.field(
        description="Whether the LAG supports a secondary BGP peer in the same address family."
    )
    member_data: strawberry.Private[list[dict[str, Any]]]

    @classmethod
    def from_aws(cls, data: dict[str, Any], region: str) -> Lag:
        region = data.get("region") or region
        return cls(
            key=node_key(region, data["lagId"]),
            lag_id=data["lagId"],
            owner_account=data.get("ownerAccount"),
            lag_name=data.get("lagName"),
            lag_state=parse_enum(LagState, data.get("lagState")),
            region=region,
            location_code=data.get("location"),
            connections_bandwidth=data.get("connectionsBandwidth"),
            number_of_connections=data.get("numberOfConnections"),
            minimum_links=data.get("minimumLinks"),
            aws_device=data.get("awsDevice"),
            aws_device_v2=data.get("awsDeviceV2"),
            allows_hosted_connections=data.get("allowsHostedConnections"),
            jumbo_frame_capable=data.get("jumboFrameCapable"),
            has_logical_redundancy=parse_enum(
                HasLogicalRedundancy, data.get("hasLogicalRedundancy")
            ),
            member_data=list(data.get("connections") or []),
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Lag | None]:
        found: list[Lag | None] = []
        for key in node_ids:
            region, lag_id = split_key(key, 2)
            raw = await info.context.loaders.find("lags", lag_id, region)
            found.append(cls.from_aws(raw, region) if raw else None)
        return found

    def arn_for(self, info: Info) -> str:
        return regional_arn(self.region, self.owner_account or info.context.account_id, self.lag_id)

    @strawberry.field(description="The ARN of the LAG (for tags and IAM policies).")
    def arn(self, info: Info) -> str:
        return self.arn_for(info)

    @strawberry.field(description="The location of the LAG.")
    def location(self, info: Info) -> Location | None:
        return location_of(info, self.region, self.location_code)  # type: ignore[no-any-return]

    @strawberry.field(description="The member connections of the LAG (embedded in DescribeLags).")
    def connections(self) -> list[DxConnection]:
        return [DxConnection.from_aws(c, self.region) for c in self.member_data]

    @strawberry.field(description="Hosted connections provisioned on this LAG.")
    async def hosted_connections(self, info: Info) -> list[DxConnection]:
        items = await info.context.loaders.hosted_connections.load((self.region, self.lag_id))
        return [DxConnection.from_aws(c, self.region) for c in items]

    @strawberry.field(description="Virtual interfaces on this LAG.")
    def virtual_interfaces(
        self, info: Info
    ) -> list[Annotated[VirtualInterface, strawberry.lazy("gql.types.virtual_interface")]]:
        from gql.types.virtual_interface import VirtualInterface

        return related_then(  # type: ignore[no-any-return]
            info,
            "virtual_interfaces",
            self.region,
            "connectionId",
            self.lag_id,
            lambda v: VirtualInterface.from_aws(v, self.region),
        )

    @strawberry.field(description="The tags on the LAG.")
    def tags(self, info: Info) -> list[Annotated[Tag, strawberry.lazy("gql.types.tag")]]:
        return tags_for(info, self.arn_for(info))  # type: ignore[no-any-return]

    @strawberry.field(description="The LAG's LOA-CFA.")
    async def loa(self, info: Info) -> Annotated[Loa, strawberry.lazy("gql.types.loa")]:
        result: Loa = await loa_for(info, self.region, self.lag_id)
        return result

"""Direct Connect locations: the colocation sites of a region."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry import relay

from gql.context import Info
from gql.types.common import find_then, node_key, split_key

if TYPE_CHECKING:
    from gql.types.connection import DxConnection
    from gql.types.interconnect import Interconnect
    from gql.types.lag import Lag

__all__ = ["Location"]


@strawberry.type(
    description=(
        "An AWS Direct Connect location: a colocation site where connections, LAGs and "
        "interconnects terminate. Returned by DescribeLocations for a region."
    )
)
class Location(relay.Node):
    key: relay.NodeID[str]
    location_code: str = strawberry.field(description="The code for the location.")
    location_name: str | None = strawberry.field(
        description=(
            "The name of the location, including the colocation partner and the physical site "
            "of the building."
        )
    )
    region: str = strawberry.field(description="The AWS Region for the location.")

    @classmethod
    def from_aws(cls, data: dict[str, Any], region: str) -> Location:
        return cls(
            key=node_key(region, data["locationCode"]),
            location_code=data["locationCode"],
            location_name=data.get("locationName"),
            region=data.get("region") or region,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Location | None]:
        found: list[Location | None] = []
        for key in node_ids:
            region, code = split_key(key, 2)
            raw = await info.context.loaders.find("locations", code, region)
            found.append(cls.from_aws(raw, region) if raw else None)
        return found

    @strawberry.field(description="Connections (including hosted ones) at this location.")
    async def connections(
        self, info: Info
    ) -> list[Annotated[DxConnection, strawberry.lazy("gql.types.connection")]]:
        from gql.types.connection import DxConnection

        items = await info.context.loaders.related(
            "connections", self.region, "location", self.location_code
        )
        return [DxConnection.from_aws(c, self.region) for c in items]

    @strawberry.field(description="LAGs at this location.")
    async def lags(self, info: Info) -> list[Annotated[Lag, strawberry.lazy("gql.types.lag")]]:
        from gql.types.lag import Lag

        items = await info.context.loaders.related(
            "lags", self.region, "location", self.location_code
        )
        return [Lag.from_aws(g, self.region) for g in items]

    @strawberry.field(description="Interconnects at this location.")
    async def interconnects(
        self, info: Info
    ) -> list[Annotated[Interconnect, strawberry.lazy("gql.types.interconnect")]]:
        from gql.types.interconnect import Interconnect

        items = await info.context.loaders.related(
            "interconnects", self.region, "location", self.location_code
        )
        return [Interconnect.from_aws(i, self.region) for i in items]


def location_of(info: Info, region: str, code: str | None) -> Any:
    """The Location for a resource's location code (None when the code is not listed); sync
    when locations are loaded, else an awaitable."""
    return find_then(info, "locations", code, region, lambda raw: Location.from_aws(raw, region))

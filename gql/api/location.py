"""Direct Connect locations: the colocation sites of a region."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

import strawberry
from strawberry import relay

from gql.api.common import node_key, split_key
from gql.api.deferred import Deferred
from resolvers import links
from resolvers.context import Info
from resolvers.data.plan import reads

if TYPE_CHECKING:
    from gql.api.connection import DxConnection
    from gql.api.interconnect import Interconnect
    from gql.api.lag import Lag

_DxConnection = Deferred("gql.api.connection", "DxConnection")
_Interconnect = Deferred("gql.api.interconnect", "Interconnect")
_Lag = Deferred("gql.api.lag", "Lag")

__all__ = ["Location"]


@strawberry.type(
    description=(
        "An AWS Direct Connect location: a colocation site where connections, LAGs and "
        "interconnects terminate. Returned by DescribeLocations for a region."
    )
)
class Location(relay.Node):
    LIST_KIND: ClassVar[str] = "locations"

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
            raw = await links.find(info, "locations", code, region)
            found.append(cls.from_aws(raw, region) if raw else None)
        return found

    @strawberry.field(
        description="Connections (including hosted ones) at this location.",
        metadata=reads("connections"),
    )
    def connections(
        self, info: Info
    ) -> list[Annotated[DxConnection, strawberry.lazy("gql.api.connection")]]:
        return links.related(  # type: ignore[no-any-return]
            info,
            "connections",
            self.region,
            "location",
            self.location_code,
            lambda raw: _DxConnection.from_aws(raw, self.region),
        )

    @strawberry.field(description="LAGs at this location.", metadata=reads("lags"))
    def lags(self, info: Info) -> list[Annotated[Lag, strawberry.lazy("gql.api.lag")]]:
        return links.related(  # type: ignore[no-any-return]
            info,
            "lags",
            self.region,
            "location",
            self.location_code,
            lambda raw: _Lag.from_aws(raw, self.region),
        )

    @strawberry.field(
        description="Interconnects at this location.", metadata=reads("interconnects")
    )
    def interconnects(
        self, info: Info
    ) -> list[Annotated[Interconnect, strawberry.lazy("gql.api.interconnect")]]:
        return links.related(  # type: ignore[no-any-return]
            info,
            "interconnects",
            self.region,
            "location",
            self.location_code,
            lambda raw: _Interconnect.from_aws(raw, self.region),
        )


def location_of(info: Info, region: str, code: str | None) -> Any:
    """The Location for a resource's location code (None when the code is not listed); sync
    when locations are loaded, else an awaitable."""
    return links.one(info, "locations", code, region, lambda raw: Location.from_aws(raw, region))

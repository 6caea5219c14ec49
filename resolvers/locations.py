"""Top-level reads of Direct Connect locations."""

from __future__ import annotations

from typing import Annotated

import strawberry

from gql.context import Info
from gql.types.location import Location
from resolvers.filters import regions_for


async def list_locations(
    info: Info,
    region: Annotated[
        str | None, strawberry.argument(description="Only this served region.")
    ] = None,
) -> list[Location]:
    loaders = info.context.loaders
    items = await loaders.in_regions("locations", regions_for(loaders, region))
    return [Location.from_aws(item, item["region"]) for item in items]


async def get_location(
    info: Info,
    location_code: Annotated[str, strawberry.argument(description="The location code (EqDC2).")],
    region: Annotated[
        str | None, strawberry.argument(description="Its region; all served regions if omitted.")
    ] = None,
) -> Location | None:
    loaders = info.context.loaders
    for r in regions_for(loaders, region):
        raw = await loaders.find("locations", location_code, r)
        if raw is not None:
            return Location.from_aws(raw, r)
    return None

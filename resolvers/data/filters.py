"""Filtering of raw AWS lists for the top-level query fields (state, location, name, owner, tag)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, Protocol

from resolvers.aws.errors import ErrorCode, UpstreamError
from resolvers.data.loaders import Loaders

Raw = dict[str, Any]


class TagFilter(Protocol):
    """A tag a resource must carry (and, if given, its value)."""

    @property
    def key(self) -> str: ...

    @property
    def value(self) -> str | None: ...


def tags_match(tags: list[dict[str, Any]], wanted: TagFilter) -> bool:
    return any(
        t["key"] == wanted.key and (wanted.value is None or t.get("value") == wanted.value)
        for t in tags
    )


@dataclass(frozen=True)
class Fields:
    """Which AWS keys hold a kind's state, name and owner (Interconnect has no owner)."""

    state: str
    name: str
    owner: str | None = "ownerAccount"
    location: str | None = "location"


def regions_for(loaders: Loaders, region: str | None) -> list[str]:
    """The served regions a list fans out over, narrowed by a `region` argument."""
    if region is None:
        return loaders.regions
    if region not in loaders.regions:
        raise UpstreamError(
            f"Region {region!r} is not served by this gateway; served regions: "
            f"{', '.join(loaders.regions)}.",
            code=ErrorCode.INVALID_REQUEST,
        )
    return [region]


async def select(
    loaders: Loaders,
    items: Sequence[Raw],
    fields: Fields,
    arn_of: Any,
    *,
    states: Sequence[Enum] | None = None,
    location: str | None = None,
    name: str | None = None,
    owner_account: str | None = None,
    tag: TagFilter | None = None,
) -> list[Raw]:
    """Items matching every given filter; `name` matches a case-insensitive substring."""
    wanted_states = {s.value for s in states} if states else None
    kept = [
        item
        for item in items
        if (wanted_states is None or item.get(fields.state) in wanted_states)
        and (location is None or (fields.location and item.get(fields.location) == location))
        and (name is None or name.lower() in str(item.get(fields.name, "")).lower())
        and (owner_account is None or (fields.owner and item.get(fields.owner) == owner_account))
    ]
    if tag is None:
        return kept
    tag_lists = await loaders.tags.load_many([arn_of(item) for item in kept])
    return [item for item, tags in zip(kept, tag_lists, strict=True) if tags_match(tags, tag)]

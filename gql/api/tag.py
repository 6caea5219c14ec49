"""Tags: key/value pairs on connections, interconnects, LAGs, VIFs and DX gateways."""

from __future__ import annotations

from typing import Any

import strawberry

__all__ = ["Tag", "TagFilter"]


@strawberry.type(description="A tag: a key and an optional value.")
class Tag:
    key: str = strawberry.field(description="The key (1-128 characters).")
    value: str | None = strawberry.field(description="The value (0-256 characters), if any.")

    @classmethod
    def from_aws(cls, data: dict[str, Any]) -> Tag:
        return cls(key=data["key"], value=data.get("value"))


@strawberry.input(description="Matches resources carrying a tag (and, if given, its value).")
class TagFilter:
    key: str = strawberry.field(description="Tag key that must be present.")
    value: str | None = strawberry.field(
        default=None, description="If set, the tag's value must equal it."
    )

"""Builds the top-level list and lookup fields of the regional kinds from one description.

No `from __future__ import annotations` here: the generated resolvers' annotations must be real
objects (the state enum and type of each kind) for strawberry to read them.
"""

from collections.abc import Awaitable, Callable
from enum import Enum
from typing import Annotated, Any

import strawberry

from gql.api.tag import TagFilter
from resolvers import listing
from resolvers.context import Info


def list_resolver(
    kind: str, node_type: Any, state_enum: type[Enum]
) -> Callable[..., Awaitable[list[Any]]]:
    """A resolver listing `kind` across the served regions, with the common filters."""

    async def resolve(
        info: Info,
        region: Annotated[
            str | None, strawberry.argument(description="Only this served region.")
        ] = None,
        states: Annotated[
            list[state_enum] | None,  # type: ignore[valid-type]
            strawberry.argument(description="Only these states."),
        ] = None,
        location: Annotated[
            str | None, strawberry.argument(description="Only this location code.")
        ] = None,
        name: Annotated[
            str | None, strawberry.argument(description="Case-insensitive substring of the name.")
        ] = None,
        owner_account: Annotated[
            str | None, strawberry.argument(description="Only this owner account.")
        ] = None,
        tag: Annotated[
            TagFilter | None, strawberry.argument(description="Only resources with this tag.")
        ] = None,
    ) -> list[node_type]:
        items = await listing.list_items(
            info,
            kind,
            region=region,
            states=states,
            location=location,
            name=name,
            owner_account=owner_account,
            tag=tag,
        )
        return [node_type.from_aws(item, item.get("region", "")) for item in items]

    return resolve


def get_resolver(
    kind: str, node_type: Any, id_name: str, id_example: str
) -> Callable[..., Awaitable[Any]]:
    """A resolver looking one `kind` up by its AWS ID (in one region or all served regions)."""

    async def resolve(
        info: Info,
        aws_id: Annotated[
            str, strawberry.argument(name=id_name, description=f"The AWS ID ({id_example}).")
        ],
        region: Annotated[
            str | None,
            strawberry.argument(description="Its region; all served regions if omitted."),
        ] = None,
    ) -> node_type | None:
        found = await listing.get_item(info, kind, aws_id, region)
        return None if found is None else node_type.from_aws(*found)

    return resolve

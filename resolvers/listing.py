"""Builds the top-level list and lookup resolvers of the regional kinds from one description.

No `from __future__ import annotations` here: the generated resolvers' annotations must be real
objects (the state enum and type of each kind) for strawberry to read them.
"""

from collections.abc import Awaitable, Callable
from enum import Enum
from typing import Annotated, Any

import strawberry

from gql.context import Info
from gql.types.tag import TagFilter
from resolvers.filters import Fields, regions_for, select


def list_resolver(
    kind: str,
    node_type: Any,
    state_enum: type[Enum],
    fields: Fields,
    arn_of: Callable[[dict[str, Any], str], str],
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
        loaders = info.context.loaders
        items = await loaders.in_regions(kind, regions_for(loaders, region))
        account = info.context.account_id
        kept = await select(
            loaders,
            items,
            fields,
            lambda item: arn_of(item, account),
            states=states,
            location=location,
            name=name,
            owner_account=owner_account,
            tag=tag,
        )
        return [node_type.from_aws(item, item.get("region", "")) for item in kept]

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
        loaders = info.context.loaders
        for r in regions_for(loaders, region):
            raw = await loaders.find(kind, aws_id, r)
            if raw is not None:
                return node_type.from_aws(raw, r)
        return None

    return resolve

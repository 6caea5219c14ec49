"""Tag batching: the tags of everything an operation reads tags of, in `describe_tags` batches of
up to `TAG_BATCH` ARNs, all at once, each leaving as soon as its ARNs are known."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from resolvers.aws.errors import ErrorCode, UpstreamError
from resolvers.data.arns import GLOBAL, region_of_arn
from resolvers.data.upstream import Upstream

TAG_BATCH = 20  # dxsim's DescribeTags limit; AWS documents none, 20 keeps requests small


def _observe(future: asyncio.Future[Any]) -> None:
    """Marks a batch's failure as seen; the fields that need its tags report it."""
    if not future.cancelled():
        future.exception()


async def _settle(awaitables: Sequence[Awaitable[Any]]) -> list[Any]:
    return list(await asyncio.gather(*awaitables, return_exceptions=True))


async def fetch_tags(
    upstream: Upstream,
    requested: Sequence[str],
    planned: Sequence[str],
    arns_of: Callable[[str], Awaitable[list[str]]],
    own: Callable[[str], bool],
) -> dict[str, Any]:
    """Tags of `requested` and of every object of `kinds` (the planned tagged kinds) in
    `regions`, so that tags asked for at any depth of the query come from one set of
    batches: describe_tags with up to `TAG_BATCH` ARNs each, all at once.

    A batch leaves as soon as its ARNs are known — LAG and connection batches do not wait
    for the (larger, slower) VIF list. ARNs fill batches in a fixed order (`TAG_ORDER`,
    sorted within a kind), so equal data makes equal batches, and equal cache keys, on
    every request; each region still takes ceil(ARNs / `TAG_BATCH`) calls.
    """
    seen: set[str] = set()
    filling: dict[str, list[str]] = {}
    batches: list[tuple[list[str], asyncio.Future[dict[str, Any]]]] = []

    def send(region: str, chunk: list[str]) -> None:
        batch = asyncio.ensure_future(_fetch_batch(upstream, region, chunk))
        batches.append((chunk, batch))

    def add(arns: Sequence[str]) -> None:
        for arn in sorted(arns):
            if arn in seen or not own(arn):
                continue
            seen.add(arn)
            region = region_of_arn(arn)
            # global (DX gateway) ARNs ride in the home region's batches
            region = upstream.home_region if region == GLOBAL else region
            group = filling.setdefault(region, [])
            group.append(arn)
            if len(group) == TAG_BATCH:
                send(region, filling.pop(region))

    try:
        add(requested)
        for kind in planned:
            add(await arns_of(kind))
        for region, rest in filling.items():
            send(region, rest)
        found: dict[str, Any] = {}
        for chunk, batch in batches:
            try:
                found.update(await batch)
            except BaseException as err:
                found.update(dict.fromkeys(chunk, err))
        return found
    finally:
        for _, batch in batches:
            batch.add_done_callback(_observe)


async def _fetch_batch(upstream: Upstream, region: str, chunk: list[str]) -> dict[str, Any]:
    """One describe_tags call: ARN → tags, or → the error that batch met."""
    try:
        result = await upstream.read(region, "describe_tags", resourceArns=chunk)
    except UpstreamError as err:
        if err.code == ErrorCode.NOT_FOUND:
            return await _tags_one_by_one(upstream, region, chunk)
        return dict.fromkeys(chunk, err)
    found: dict[str, Any] = {}
    for entry in result.get("resourceTags", []):
        found[entry["resourceArn"]] = entry.get("tags", [])
    return found


async def _tags_one_by_one(upstream: Upstream, region: str, chunk: list[str]) -> dict[str, Any]:
    """A batch fails whole when one of its resources vanished since it was listed (e.g. a
    VIF purged 15 minutes after deletion, still in a cached list): ask per ARN instead; a
    vanished resource has no tags."""
    results = await _settle(
        [upstream.read(region, "describe_tags", resourceArns=[arn]) for arn in chunk]
    )
    found: dict[str, Any] = {}
    for arn, result in zip(chunk, results, strict=True):
        if isinstance(result, UpstreamError) and result.code == ErrorCode.NOT_FOUND:
            found[arn] = []
        elif isinstance(result, BaseException):
            found[arn] = result
        else:
            for entry in result.get("resourceTags", []):
                found[entry["resourceArn"]] = entry.get("tags", [])
    return found

"""Reads behind the link fields of the graph: one object, related objects, tags, LOAs.

Each takes a `build` that makes the GraphQL object from the raw AWS item (the schema surface passes
its mapping in, so this layer never imports it) and answers synchronously when the data has
already landed (the planner started it with the operation), else with an awaitable — graphql-core
awaits what needs awaiting. Answering without a coroutine saves an event-loop round trip per
field on large answers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from resolvers.context import Info
from resolvers.data.late import Late

T = TypeVar("T")
Raw = dict[str, Any]


def one(
    info: Info, kind: str, resource_id: str | None, region: str, build: Callable[[Raw], T]
) -> Any:
    """`build(item)` for the object of a regional `kind` with this ID (None if absent)."""
    if not resource_id:
        return None
    loaders = info.context.loaders
    hit, item = loaders.peek_find(kind, resource_id, region)
    if hit:
        return build(item) if item else None

    async def later() -> T | None:
        found = await loaders.find(kind, resource_id, region)
        return build(found) if found else None

    return later()


def related(
    info: Info, kind: str, region: str, key: str, value: str, build: Callable[[Raw], T]
) -> Any:
    """`[build(item)]` for the objects of a regional `kind` whose `key` is `value`."""
    loaders = info.context.loaders
    hit, items = loaders.peek_related(kind, region, key, value)
    if hit:
        return [build(i) for i in items]

    async def later() -> list[T]:
        return [build(i) for i in await loaders.related(kind, region, key, value)]

    return later()


def gateway(info: Info, gateway_id: str | None, build: Callable[[Raw], T]) -> Any:
    """`build(gateway)` for a DX gateway by ID (None if absent)."""
    if not gateway_id:
        return None
    loaders = info.context.loaders
    hit, item = loaders.peek_gateway(gateway_id)
    if hit:
        return build(item) if item else None

    async def later() -> T | None:
        found = await loaders.find_gateway(gateway_id)
        return build(found) if found else None

    return later()


def of_gateway(info: Info, kind: str, gateway_id: str, build: Callable[[Raw], T]) -> Any:
    """The associations or attachments (`kind`) of a DX gateway as `build` makes them: a list
    when they have arrived, else an async iterator (what a Relay connection field may return)."""
    loaders = info.context.loaders
    hit, raw = loaders.peek_of_gateway(kind, gateway_id)
    if hit:
        return [build(item) for item in raw]
    loader = loaders.of_gateway_loader(kind)

    async def later() -> Any:
        for item in await loader.load(gateway_id):
            yield build(item)

    return later()


async def of_gateway_then_find(
    info: Info,
    kind: str,
    gateway_id: str,
    target: str,
    id_key: str,
    region_key: str,
    build: Callable[[Raw, str], T],
) -> list[T]:
    """Objects of a regional `target` kind named by a DX gateway's associations or attachments
    (`id_key` and `region_key` of each), in the served regions."""
    loaders = info.context.loaders
    loader = loaders.of_gateway_loader(kind)
    found = []
    for entry in await loader.load(gateway_id):
        region, target_id = entry.get(region_key), entry.get(id_key)
        if region not in loaders.regions or not target_id:
            continue
        item = await loaders.find(target, target_id, region)
        if item is not None:
            found.append(build(item, region))
    return found


async def hosted_connections(
    info: Info, region: str, parent_id: str, build: Callable[[Raw], T]
) -> list[T]:
    """The hosted connections on an interconnect or LAG (DescribeHostedConnections)."""
    items = await info.context.loaders.hosted_connections.load((region, parent_id))
    return [build(c) for c in items]


async def hosted_parent(
    info: Info, region: str, connection_id: str, build: Callable[[Raw], T]
) -> T | None:
    """The interconnect or LAG a hosted connection lives on, when the caller owns it."""
    raw = await info.context.loaders.hosted_parent(region, connection_id)
    return None if raw is None else build(raw)


async def loa(info: Info, region: str, resource_id: str, build: Callable[[Raw], T]) -> T:
    """The LOA of a connection, interconnect or LAG (DescribeLoa; it stamps loaIssueTime)."""
    return build(await info.context.loaders.loas.load((region, resource_id)))


def tags(info: Info, arn: str, build: Callable[[Raw], T]) -> Any:
    """The tags of the resource with this ARN, batched with every other tag of the operation: a
    list when already loaded, a `Late` answer while the operation's batches are on their way,
    else an awaitable."""
    loaders = info.context.loaders
    raw = info._raw_info  # graphql-core's info: the whole document, to plan tag batches
    loaders.plan_tags(raw.schema, raw.operation, raw.fragments)
    hit, found = loaders.peek_tags(arn)
    if hit:
        return [build(t) for t in found]

    async def later() -> list[T]:
        return [build(t) for t in await loaders.tags.load(arn)]

    planned = loaders.pending_tags(arn)
    if planned is None:
        return later()

    def complete(known: dict[str, Any]) -> list[T]:
        value = known.get(arn)
        if not isinstance(value, list):
            raise Late.Unavailable(arn)
        return [build(t) for t in value]

    return Late(planned, complete, later)


async def find(info: Info, kind: str, resource_id: str, region: str | None = None) -> Raw | None:
    """The raw object of a regional `kind` with this ID, in one region or any served region."""
    return await info.context.loaders.find(kind, resource_id, region)


async def find_gateway(info: Info, gateway_id: str) -> Raw | None:
    """The raw DX gateway with this ID."""
    return await info.context.loaders.find_gateway(gateway_id)


def served(info: Info, region: str | None) -> bool:
    """Whether this gateway serves `region` (links into unserved regions are null)."""
    return region is not None and region in info.context.upstream.regions


async def of_gateway_raw(info: Info, kind: str, gateway_id: str) -> list[Raw]:
    """The raw associations or attachments (`kind`) of one DX gateway."""
    loaders = info.context.loaders
    loader = loaders.of_gateway_loader(kind)
    return await loader.load(gateway_id)


def associations_of_virtual_gateway(
    info: Info, virtual_gateway_id: str, build: Callable[[Raw], T]
) -> Any:
    """The associations of every DX gateway with this VGW (one paged call per DX gateway), as
    `build` makes them: a list when every gateway's have arrived, else an awaitable."""
    loaders = info.context.loaders
    hit, found = loaders.peek_associations_of(virtual_gateway_id)
    if hit:
        return [build(a) for a in found]

    async def later() -> list[T]:
        return [
            build(a)
            for a in await loaders.all_associations()
            if a.get("virtualGatewayId") == virtual_gateway_id
        ]

    return later()

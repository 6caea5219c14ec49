"""Helpers shared by the GraphQL types: node keys, ARNs, secrets masking, timestamps."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

T = TypeVar("T")

MASK = "********"


def node_key(*parts: str) -> str:
    """The local part of a Relay global ID: `us-east-1/dxcon-fg31dyv6`."""
    return "/".join(parts)


def split_key(key: str, parts: int) -> list[str]:
    """Inverse of `node_key`; raises ValueError when the key has the wrong shape."""
    pieces = key.split("/")
    if len(pieces) != parts or not all(pieces):
        raise ValueError(f"malformed node key {key!r}")
    return pieces


def regional_arn(region: str, account: str, resource_id: str) -> str:
    """ARN of a connection, interconnect, LAG or VIF: the wire shapes carry none (dx-facts §5.1)."""
    prefix = resource_id.split("-", 1)[0]
    return f"arn:aws:directconnect:{region}:{account}:{prefix}/{resource_id}"


def gateway_arn(account: str, gateway_id: str) -> str:
    """ARN of a DX gateway: global, so no region."""
    return f"arn:aws:directconnect::{account}:dx-gateway/{gateway_id}"


def mask(secret: str | None, show: bool) -> str | None:
    """A BGP auth key as the caller may see it: masked unless secrets are allowed."""
    if secret is None:
        return None
    return secret if show else MASK


def parse_time(value: Any) -> datetime | None:
    """A timestamp from the upstream (ISO-8601 string, epoch number or datetime) as a datetime."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, UTC)
    return datetime.fromisoformat(str(value))


def tags_for(info: Any, arn: str) -> Any:
    """Tags of the resource with this ARN (batched); a list when already loaded, else an
    awaitable of it — graphql-core awaits what needs awaiting."""
    from gql.execution import Late
    from gql.types.tag import Tag

    loaders = info.context.loaders
    raw = info._raw_info  # graphql-core's info: the whole document, to plan tag batches
    loaders.plan_tags(raw.schema, raw.operation, raw.fragments)
    hit, tags = loaders.peek_tags(arn)
    if hit:
        return [Tag.from_aws(t) for t in tags]

    async def later() -> list[Any]:
        return [Tag.from_aws(t) for t in await loaders.tags.load(arn)]

    planned = loaders.pending_tags(arn)
    if planned is None:
        return later()

    def build(known: dict[str, Any]) -> list[Any]:
        found = known.get(arn)
        if not isinstance(found, list):
            raise Late.Unavailable(arn)
        return [Tag.from_aws(t) for t in found]

    # Every tags field of the answer waits for the same batches: completed together at the end.
    return Late(planned, build, later)


def find_then(
    info: Any, kind: str, resource_id: str | None, region: str, build: Callable[[Any], T]
) -> Any:
    """`build(item)` for the object of `kind` with this ID (None if absent): synchronously when
    its list is loaded, else as an awaitable."""
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


def related_then(
    info: Any, kind: str, region: str, key: str, value: str, build: Callable[[Any], T]
) -> Any:
    """`[build(item)]` for the objects of `kind` whose `key` is `value` (sync when loaded)."""
    loaders = info.context.loaders
    hit, items = loaders.peek_related(kind, region, key, value)
    if hit:
        return [build(i) for i in items]

    async def later() -> list[T]:
        return [build(i) for i in await loaders.related(kind, region, key, value)]

    return later()


def gateway_then(info: Any, gateway_id: str | None, build: Callable[[Any], T]) -> Any:
    """`build(gateway)` for a DX gateway by ID (sync when the gateway list is loaded)."""
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


async def loa_for(info: Any, region: str, resource_id: str) -> Any:
    """The LOA of a connection, interconnect or LAG (DescribeLoa; it stamps loaIssueTime)."""
    from gql.types.loa import Loa

    raw = await info.context.loaders.loas.load((region, resource_id))
    return Loa.from_aws(raw, f"/loa/{region}/{resource_id}.pdf")

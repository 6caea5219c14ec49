"""Helpers shared by the GraphQL types: node keys, ARNs, secrets masking, timestamps."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

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


async def tags_for(info: Any, arn: str) -> list[Any]:
    """Tags of the resource with this ARN, through the request's batched tag loader."""
    from gql.types.tag import Tag

    loaders = info.context.loaders
    raw = info._raw_info  # graphql-core's info: the whole document, to plan tag batches
    loaders.plan_tags(raw.schema, raw.operation, raw.fragments)
    return [Tag.from_aws(t) for t in await loaders.tags.load(arn)]


async def loa_for(info: Any, region: str, resource_id: str) -> Any:
    """The LOA of a connection, interconnect or LAG (DescribeLoa; it stamps loaIssueTime)."""
    from gql.types.loa import Loa

    raw = await info.context.loaders.loas.load((region, resource_id))
    return Loa.from_aws(raw, f"/loa/{region}/{resource_id}.pdf")

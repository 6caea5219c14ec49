"""Helpers of the GraphQL types: node keys, secrets masking, timestamps (no I/O)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from resolvers.aws.redaction import MASK


def node_key(*parts: str) -> str:
    """The local part of a Relay global ID: `us-east-1/dxcon-fg31dyv6`."""
    return "/".join(parts)


def split_key(key: str, parts: int) -> list[str]:
    """Inverse of `node_key`; raises ValueError when the key has the wrong shape."""
    pieces = key.split("/")
    if len(pieces) != parts or not all(pieces):
        raise ValueError(f"malformed node key {key!r}")
    return pieces


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

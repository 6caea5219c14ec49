"""The deprecated reads: each calls its deprecated operation itself (DescribeConnectionLoa,
DescribeInterconnectLoa, DescribeConnectionsOnInterconnect), so what comes back is what that
operation answers."""

from __future__ import annotations

from typing import Any

from resolvers.context import Info, region_for


async def read(
    info: Info, operation: str, region: str | None, **params: Any
) -> tuple[dict[str, Any], str]:
    """One deprecated read in `region` (default: the first served); AWS's answer and region."""
    where = region_for(info, region, field="region")
    return await info.context.upstream.read(where, operation, **params), where

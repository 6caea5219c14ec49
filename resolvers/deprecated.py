"""The deprecated reads: each calls its deprecated operation itself (DescribeConnectionLoa,
DescribeInterconnectLoa, DescribeConnectionsOnInterconnect), so what comes back is what that
operation answers."""

from __future__ import annotations

from typing import Any

from resolvers.context import Info
from resolvers.validation import FieldError, InvalidInput


def region_of(info: Info, region: str | None) -> str:
    """The region a deprecated read acts in: `region`, else the gateway's first."""
    served = info.context.upstream.regions
    if region is None:
        return served[0]
    if region not in served:
        raise InvalidInput(
            [
                FieldError(
                    "region",
                    "NOT_SERVED",
                    f"{region!r} is not served by this gateway ({', '.join(served)})",
                )
            ]
        )
    return region


async def read(
    info: Info, operation: str, region: str | None, **params: Any
) -> tuple[dict[str, Any], str]:
    """One deprecated read in `region` (default: the first served); AWS's answer and region."""
    where = region_of(info, region)
    return await info.context.upstream.read(where, operation, **params), where

"""Deprecated reads, kept for clients written against the deprecated operations.

Each calls its deprecated operation itself (DescribeConnectionLoa, DescribeInterconnectLoa,
DescribeConnectionsOnInterconnect), so what comes back is what that operation answers; the
schema marks the fields `@deprecated` and names the graph field that replaces each.
"""

from __future__ import annotations

from typing import Annotated, Any

import strawberry

from gql.context import Info
from gql.types.connection import DxConnection
from gql.types.loa import Loa
from gql.validation import FieldError, InvalidInput

RegionArgument = Annotated[
    str | None,
    strawberry.argument(
        description="The resource's AWS Region (default: the gateway's first served region)."
    ),
]
ProviderNameArgument = Annotated[
    str | None,
    strawberry.argument(
        description=(
            "The name of the APN partner or service provider who establishes connectivity on "
            "your behalf; the LOA-CFA lists it alongside your company name as the requester of "
            "the cross connect."
        )
    ),
]


def _region(info: Info, region: str | None) -> str:
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


async def _loa(
    info: Info,
    operation: str,
    id_name: str,
    resource_id: str,
    region: str | None,
    provider: str | None,
) -> Loa:
    where = _region(info, region)
    params: dict[str, Any] = {id_name: resource_id}
    if provider is not None:
        params["providerName"] = provider
    raw = await info.context.upstream.read(where, operation, **params)
    return Loa.from_aws(raw.get("loa") or {}, f"/loa/{where}/{resource_id}.pdf")


async def connection_loa(
    info: Info,
    connection_id: Annotated[
        str, strawberry.argument(description="The ID of the connection (dxcon-…).")
    ],
    region: RegionArgument = None,
    provider_name: ProviderNameArgument = None,
) -> Loa:
    return await _loa(
        info, "describe_connection_loa", "connectionId", connection_id, region, provider_name
    )


async def interconnect_loa(
    info: Info,
    interconnect_id: Annotated[
        str, strawberry.argument(description="The ID of the interconnect (dxcon-…).")
    ],
    region: RegionArgument = None,
    provider_name: ProviderNameArgument = None,
) -> Loa:
    return await _loa(
        info, "describe_interconnect_loa", "interconnectId", interconnect_id, region, provider_name
    )


async def connections_on_interconnect(
    info: Info,
    interconnect_id: Annotated[
        str, strawberry.argument(description="The ID of the interconnect (dxcon-…).")
    ],
    region: RegionArgument = None,
) -> list[DxConnection]:
    where = _region(info, region)
    raw = await info.context.upstream.read(
        where, "describe_connections_on_interconnect", interconnectId=interconnect_id
    )
    return [DxConnection.from_aws(c, where) for c in raw.get("connections", [])]

"""Deprecated reads, kept for clients written against the deprecated operations.

Each calls its deprecated operation itself (DescribeConnectionLoa, DescribeInterconnectLoa,
DescribeConnectionsOnInterconnect), so what comes back is what that operation answers; the
schema marks the fields `@deprecated` and names the graph field that replaces each.
"""

from __future__ import annotations

from typing import Annotated, Any

import strawberry

from gql.api.connection import DxConnection
from gql.api.loa import Loa
from resolvers import deprecated
from resolvers.context import Info
from resolvers.data.plan import reads

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


async def _loa(
    info: Info,
    operation: str,
    id_name: str,
    resource_id: str,
    region: str | None,
    provider: str | None,
) -> Loa:
    params: dict[str, Any] = {id_name: resource_id}
    if provider is not None:
        params["providerName"] = provider
    raw, where = await deprecated.read(info, operation, region, **params)
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
    raw, where = await deprecated.read(
        info, "describe_connections_on_interconnect", region, interconnectId=interconnect_id
    )
    return [DxConnection.from_aws(c, where) for c in raw.get("connections", [])]


@strawberry.type
class DeprecatedQueries:
    connection_loa: Loa = strawberry.field(
        resolver=connection_loa,
        description="DescribeConnectionLoa (deprecated): the LOA-CFA of a connection.",
        metadata=reads(calls=1),
        deprecation_reason="Use `connection.loa` (DescribeLoa) instead.",
    )
    interconnect_loa: Loa = strawberry.field(
        resolver=interconnect_loa,
        description="DescribeInterconnectLoa (deprecated): the LOA-CFA of an interconnect.",
        metadata=reads(calls=1),
        deprecation_reason="Use `interconnect.loa` (DescribeLoa) instead.",
    )
    connections_on_interconnect: list[DxConnection] = strawberry.field(
        resolver=connections_on_interconnect,
        description=(
            "DescribeConnectionsOnInterconnect (deprecated): the hosted connections provisioned "
            "on an interconnect."
        ),
        metadata=reads(calls=1),
        deprecation_reason=(
            "Use `interconnect.hostedConnections` (DescribeHostedConnections) instead."
        ),
    )

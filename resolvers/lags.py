"""Link aggregation groups: top-level reads and the LAG mutations."""

from __future__ import annotations

from typing import Any

from gql.context import Info
from gql.enums import LagState
from gql.inputs.lag import (
    AssociateConnectionWithLagInput,
    CreateLagInput,
    DeleteLagInput,
    DisassociateConnectionFromLagInput,
    LagMembershipPayload,
    LagPayload,
    UpdateLagInput,
)
from gql.types.common import regional_arn
from gql.types.connection import DxConnection
from gql.types.lag import Lag
from resolvers.filters import Fields
from resolvers.listing import get_resolver, list_resolver
from resolvers.writes import region_for, write


def _arn(item: dict[str, Any], account: str) -> str:
    return regional_arn(item["region"], item.get("ownerAccount") or account, item["lagId"])


list_lags = list_resolver("lags", Lag, LagState, Fields(state="lagState", name="lagName"), _arn)
get_lag = get_resolver("lags", Lag, "lagId", "dxlag-…")


async def create_lag(info: Info, input: CreateLagInput) -> LagPayload:
    region = region_for(info, input.region)
    raw = await write(info, input, "create_lag", region)
    return LagPayload(lag=Lag.from_aws(raw, region))


async def update_lag(info: Info, input: UpdateLagInput) -> LagPayload:
    region = region_for(info, input.region)
    raw = await write(info, input, "update_lag", region)
    return LagPayload(lag=Lag.from_aws(raw, region))


async def delete_lag(info: Info, input: DeleteLagInput) -> LagPayload:
    region = region_for(info, input.region)
    raw = await write(info, input, "delete_lag", region)
    return LagPayload(lag=Lag.from_aws(raw, region))


async def associate_connection_with_lag(
    info: Info, input: AssociateConnectionWithLagInput
) -> LagMembershipPayload:
    region = region_for(info, input.region)
    raw = await write(info, input, "associate_connection_with_lag", region)
    return LagMembershipPayload(
        connection=DxConnection.from_aws(raw, region), lag_id=input.lag_id, region=region
    )


async def disassociate_connection_from_lag(
    info: Info, input: DisassociateConnectionFromLagInput
) -> LagMembershipPayload:
    region = region_for(info, input.region)
    raw = await write(info, input, "disassociate_connection_from_lag", region)
    return LagMembershipPayload(
        connection=DxConnection.from_aws(raw, region), lag_id=input.lag_id, region=region
    )

"""Top-level reads of link aggregation groups."""

from __future__ import annotations

from typing import Any

from gql.enums import LagState
from gql.types.common import regional_arn
from gql.types.lag import Lag
from resolvers.filters import Fields
from resolvers.listing import get_resolver, list_resolver


def _arn(item: dict[str, Any], account: str) -> str:
    return regional_arn(item["region"], item.get("ownerAccount") or account, item["lagId"])


list_lags = list_resolver("lags", Lag, LagState, Fields(state="lagState", name="lagName"), _arn)
get_lag = get_resolver("lags", Lag, "lagId", "dxlag-…")

"""Top-level reads of interconnects (the caller's own; partners use them)."""

from __future__ import annotations

from typing import Any

from gql.enums import InterconnectState
from gql.types.common import regional_arn
from gql.types.interconnect import Interconnect
from resolvers.filters import Fields
from resolvers.listing import get_resolver, list_resolver


def _arn(item: dict[str, Any], account: str) -> str:
    return regional_arn(item["region"], account, item["interconnectId"])


list_interconnects = list_resolver(
    "interconnects",
    Interconnect,
    InterconnectState,
    Fields(state="interconnectState", name="interconnectName", owner=None),
    _arn,
)
get_interconnect = get_resolver("interconnects", Interconnect, "interconnectId", "dxcon-…")

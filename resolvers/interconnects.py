"""Interconnects (the caller's own; partners use them): top-level reads and mutations."""

from __future__ import annotations

from typing import Any

from gql.context import Info
from gql.enums import InterconnectState, parse_enum
from gql.inputs.interconnect import (
    CreateInterconnectInput,
    DeleteInterconnectInput,
    InterconnectPayload,
    InterconnectStatePayload,
)
from gql.types.common import regional_arn
from gql.types.interconnect import Interconnect
from resolvers.filters import Fields
from resolvers.listing import get_resolver, list_resolver
from resolvers.writes import region_for, write


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


async def create_interconnect(info: Info, input: CreateInterconnectInput) -> InterconnectPayload:
    region = region_for(info, input.region)
    raw = await write(info, input, "create_interconnect", region)
    return InterconnectPayload(interconnect=Interconnect.from_aws(raw, region))


async def delete_interconnect(
    info: Info, input: DeleteInterconnectInput
) -> InterconnectStatePayload:
    region = region_for(info, input.region)
    raw = await write(info, input, "delete_interconnect", region)
    fresh = await info.context.loaders.find("interconnects", input.interconnect_id, region)
    return InterconnectStatePayload(
        interconnect_state=parse_enum(InterconnectState, raw.get("interconnectState")),
        interconnect=Interconnect.from_aws(fresh, region) if fresh else None,
    )

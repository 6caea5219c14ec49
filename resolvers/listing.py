"""The top-level lists and lookups: raw AWS items across the served regions, filtered.

The schema surface (`gql.api.listing`, `gql.api.query`) maps what these return to graph types.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from typing import Any

from resolvers.context import Info
from resolvers.data.arns import gateway_arn, item_arn, regional_arn, virtual_gateway_arn
from resolvers.data.filters import Fields, TagFilter, regions_for, select

Raw = dict[str, Any]

FIELDS = {
    "connections": Fields(state="connectionState", name="connectionName"),
    "interconnects": Fields(state="interconnectState", name="interconnectName", owner=None),
    "lags": Fields(state="lagState", name="lagName"),
    "virtual_interfaces": Fields(state="virtualInterfaceState", name="virtualInterfaceName"),
    "virtual_gateways": Fields(
        state="virtualGatewayState", name="virtualGatewayId", owner=None, location=None
    ),
}
"""Which AWS keys hold each filterable kind's state, name, owner and location."""

ID_KEYS = {
    "connections": "connectionId",
    "interconnects": "interconnectId",
    "lags": "lagId",
    "virtual_interfaces": "virtualInterfaceId",
    "virtual_gateways": "virtualGatewayId",
    "locations": "locationCode",
}
GATEWAY_FIELDS = Fields(
    state="directConnectGatewayState", name="directConnectGatewayName", location=None
)


def _arn_of(kind: str, account: str) -> Any:
    if kind == "virtual_gateways":
        return lambda item: virtual_gateway_arn(item["region"], account, item["virtualGatewayId"])
    if kind == "interconnects":  # the caller's own: no owner on the wire
        return lambda item: regional_arn(item["region"], account, item["interconnectId"])
    return lambda item: item_arn(item, ID_KEYS[kind], account)


async def list_items(
    info: Info,
    kind: str,
    *,
    region: str | None = None,
    states: Sequence[Enum] | None = None,
    location: str | None = None,
    name: str | None = None,
    owner_account: str | None = None,
    tag: TagFilter | None = None,
) -> list[Raw]:
    """Every object of a regional `kind` in the served regions (or `region`) matching the
    filters; each item carries its `region`."""
    loaders = info.context.loaders
    items = await loaders.in_regions(kind, regions_for(loaders, region))
    if kind not in FIELDS:
        return items
    return await select(
        loaders,
        items,
        FIELDS[kind],
        _arn_of(kind, info.context.account_id),
        states=states,
        location=location,
        name=name,
        owner_account=owner_account,
        tag=tag,
    )


async def get_item(
    info: Info, kind: str, aws_id: str, region: str | None = None
) -> tuple[Raw, str] | None:
    """The object of a regional `kind` with this AWS ID and its region, in `region` or any
    served region."""
    loaders = info.context.loaders
    for where in regions_for(loaders, region):
        raw = await loaders.find(kind, aws_id, where)
        if raw is not None:
            return raw, where
    return None


async def list_gateways(
    info: Info,
    *,
    states: Sequence[Enum] | None = None,
    name: str | None = None,
    owner_account: str | None = None,
    tag: TagFilter | None = None,
) -> list[Raw]:
    """Direct Connect gateways (global) matching the filters."""
    loaders = info.context.loaders
    account = info.context.account_id
    return await select(
        loaders,
        await loaders.all_gateways(),
        GATEWAY_FIELDS,
        lambda g: gateway_arn(g.get("ownerAccount") or account, g["directConnectGatewayId"]),
        states=states,
        name=name,
        owner_account=owner_account,
        tag=tag,
    )


async def list_of_gateways(
    info: Info, kind: str, gateway_id: str | None, other_key: str, other_id: str | None
) -> list[Raw]:
    """Associations or attachments (`kind`) of one DX gateway, or of every gateway, narrowed to
    those whose `other_key` (the VGW or VIF) is `other_id`.

    AWS refuses these describes without a gateway and a VGW/VIF; the gateway answers them by
    reading every DX gateway's list (one call per gateway, in the second round) rather than
    refusing a call the field's signature allows (a refusal would null every other root field).
    """
    loaders = info.context.loaders
    if gateway_id:
        loader = loaders.of_gateway_loader(kind)
        items = await loader.load(gateway_id)
    elif kind == "associations":
        items = await loaders.all_associations()
    else:
        items = await loaders.all_attachments()
    return [i for i in items if other_id is None or i.get(other_key) == other_id]

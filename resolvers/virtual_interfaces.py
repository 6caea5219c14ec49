"""Top-level reads of virtual interfaces."""

from __future__ import annotations

from typing import Any

from gql.enums import VirtualInterfaceState
from gql.types.common import regional_arn
from gql.types.virtual_interface import VirtualInterface
from resolvers.filters import Fields
from resolvers.listing import get_resolver, list_resolver


def _arn(item: dict[str, Any], account: str) -> str:
    owner = item.get("ownerAccount") or account
    return regional_arn(item["region"], owner, item["virtualInterfaceId"])


list_virtual_interfaces = list_resolver(
    "virtual_interfaces",
    VirtualInterface,
    VirtualInterfaceState,
    Fields(state="virtualInterfaceState", name="virtualInterfaceName"),
    _arn,
)
get_virtual_interface = get_resolver(
    "virtual_interfaces", VirtualInterface, "virtualInterfaceId", "dxvif-…"
)

"""Top-level reads of virtual private gateways."""

from __future__ import annotations

from typing import Any

from gql.enums import VirtualGatewayState
from gql.types.virtual_gateway import VirtualGateway
from resolvers.filters import Fields
from resolvers.listing import get_resolver, list_resolver


def _arn(item: dict[str, Any], account: str) -> str:
    return f"arn:aws:ec2:{item['region']}:{account}:vpn-gateway/{item['virtualGatewayId']}"


list_virtual_gateways = list_resolver(
    "virtual_gateways",
    VirtualGateway,
    VirtualGatewayState,
    Fields(state="virtualGatewayState", name="virtualGatewayId", owner=None, location=None),
    _arn,
)
get_virtual_gateway = get_resolver("virtual_gateways", VirtualGateway, "virtualGatewayId", "vgw-…")

"""ARNs of Direct Connect resources: the wire shapes carry none (dx-facts §5.1)."""

from __future__ import annotations

import re
from typing import Any

from resolvers.aws.client import GLOBAL

__all__ = ["GLOBAL", "gateway_arn", "item_arn", "region_of_arn", "regional_arn"]


def regional_arn(region: str, account: str, resource_id: str) -> str:
    """ARN of a connection, interconnect, LAG or VIF."""
    prefix = resource_id.split("-", 1)[0]
    return f"arn:aws:directconnect:{region}:{account}:{prefix}/{resource_id}"


def gateway_arn(account: str, gateway_id: str) -> str:
    """ARN of a DX gateway: global, so no region."""
    return f"arn:aws:directconnect::{account}:dx-gateway/{gateway_id}"


def virtual_gateway_arn(region: str, account: str, gateway_id: str) -> str:
    """ARN of a virtual private gateway (an EC2 resource)."""
    return f"arn:aws:ec2:{region}:{account}:vpn-gateway/{gateway_id}"


def region_of_arn(arn: str) -> str:
    """`arn:aws:directconnect:us-east-1:…` → `us-east-1`; DX gateway ARNs have none → GLOBAL."""
    parts = arn.split(":")
    return parts[3] if len(parts) > 5 and parts[3] else GLOBAL


def item_arn(item: dict[str, Any], id_key: str, account: str) -> str:
    """The ARN of a raw regional item (stamped with its `region`), owned by its owner or us."""
    return regional_arn(item["region"], item.get("ownerAccount") or account, item[id_key])


DIRECT_CONNECT_ARN = re.compile(
    r"^arn:aws[a-z-]*:directconnect:([a-z0-9-]*):\d{12}:(dxcon|dxlag|dxvif|dx-gateway)/.+$"
)


def arn_region(arn: str) -> str | None:
    """The Region a Direct Connect ARN names; None for a DX gateway ARN or a malformed one."""
    match = DIRECT_CONNECT_ARN.match(arn)
    if match is None:
        return None
    return match.group(1) or None

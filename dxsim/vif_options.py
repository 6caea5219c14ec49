"""Today's optional VIF members that are values, not relations: `rateLimit`, the prefix pool
allocations, `enableSiteLink`, the transit MTUs and BGP auth keys, checked the same way on
create, allocate and UpdateVirtualInterfaceAttributes.

Which VIF type takes which member follows botocore's model: SiteLink and the prefix pools exist
only for private and transit VIFs (the public structs have no such members), `rateLimit` for
every type. A member that does not apply to a VIF's type is refused with a 400 rather than
silently dropped, so a caller never believes a setting took effect when it did not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from dxsim.exceptions import DirectConnectClientException

# Rate limits (bandwidth allocations) AWS accepts: 50 Mbps up to 1.6 Tbps (dx-current-api §2).
RATE_LIMIT_MIN_MBPS = 50
RATE_LIMIT_MAX_MBPS = 1_600_000
PREFIX_POOL_MAX = 1000
AUTH_KEY_MIN, AUTH_KEY_MAX = 6, 80
PRIVATE_MTUS = (1500, 9001)
TRANSIT_MTUS = (1500, 8500)
SITE_LINK_TYPES = frozenset({"private", "transit"})

_BANDWIDTH = re.compile(r"^(\d+(?:\.\d+)?)(Mbps|Gbps|Tbps)$")
_UNIT_MBPS = {"Mbps": 1, "Gbps": 1000, "Tbps": 1_000_000}


def bandwidth_mbps(value: str) -> float | None:
    """`50Mbps` → 50, `1.6Tbps` → 1600000; None for anything that is not such a string."""
    match = _BANDWIDTH.match(value)
    if match is None:
        return None
    return float(match.group(1)) * _UNIT_MBPS[match.group(2)]


def check_rate_limit(value: str, param: str, carrier_id: str, carrier_mbps: float | None) -> str:
    """A `rateLimit` bandwidth string within 50Mbps–1.6Tbps and within the carrier's bandwidth
    (AWS: it "cannot exceed the bandwidth of the parent connection or LAG")."""
    mbps = bandwidth_mbps(value)
    if mbps is None or not RATE_LIMIT_MIN_MBPS <= mbps <= RATE_LIMIT_MAX_MBPS:
        raise DirectConnectClientException(
            f"{param} {value!r} is not valid: give a bandwidth between 50Mbps and 1.6Tbps, "
            f"such as 50Mbps, 500Mbps, 2Gbps or 1.6Tbps."
        )
    if carrier_mbps is not None and mbps > carrier_mbps:
        raise DirectConnectClientException(
            f"{param} {value} exceeds the bandwidth of {carrier_id}: the rate limit of a "
            f"virtual interface cannot exceed the bandwidth of its parent connection or LAG."
        )
    return value


def check_prefix_pool(value: int, param: str) -> int:
    """A prefix pool allocation: 0–1000 route prefixes (the model checks only the minimum)."""
    if not 0 <= value <= PREFIX_POOL_MAX:
        raise DirectConnectClientException(
            f"{param} {value} is not valid: it must be between 0 and {PREFIX_POOL_MAX}."
        )
    return value


def check_auth_key(value: str, param: str) -> None:
    """A BGP MD5 key of 6–80 characters; the key itself never appears in the message."""
    if not AUTH_KEY_MIN <= len(value) <= AUTH_KEY_MAX:
        raise DirectConnectClientException(
            f"{param} is not valid: a BGP authentication key must be {AUTH_KEY_MIN}-"
            f"{AUTH_KEY_MAX} characters long (got {len(value)})."
        )


def check_vif_mtu(mtu: int, vif_type: str, param: str = "mtu") -> None:
    """MTU per VIF type: private 1500 or 9001, transit 1500 or 8500, public only 1500."""
    allowed = {"private": PRIVATE_MTUS, "transit": TRANSIT_MTUS}.get(vif_type, (1500,))
    if mtu not in allowed and len(allowed) == 1:
        raise DirectConnectClientException(
            f"{param} {mtu} is not valid for a {vif_type} virtual interface: the MTU of a "
            f"{vif_type} virtual interface is fixed at {allowed[0]}."
        )
    if mtu not in allowed:
        values = " and ".join(str(v) for v in allowed)
        raise DirectConnectClientException(
            f"{param} {mtu} is not valid for a {vif_type} virtual interface: the supported "
            f"values are {values}."
        )


@dataclass(frozen=True)
class VifOptions:
    """The checked optional members of one request (None = not given)."""

    site_link: bool | None = None
    prefix_pool_ipv4: int | None = None
    prefix_pool_ipv6: int | None = None
    rate_limit: str | None = None


def check_options(
    members: dict[str, Any],
    *,
    vif_type: str,
    where: str,
    carrier_id: str,
    carrier_mbps: float | None,
) -> VifOptions:
    """Checks `enableSiteLink`, `prefixPoolAllocatedCountIpv4/6` and `rateLimit` of a request
    (a New* struct, or UpdateVirtualInterfaceAttributes' top-level members)."""
    prefix = f"{where}." if where else ""
    site_link = members.get("enableSiteLink")
    pools = {
        family: members.get(f"prefixPoolAllocatedCount{family}") for family in ("Ipv4", "Ipv6")
    }
    if vif_type not in SITE_LINK_TYPES:
        given = [
            name
            for name, value in (
                ("enableSiteLink", site_link),
                ("prefixPoolAllocatedCountIpv4", pools["Ipv4"]),
                ("prefixPoolAllocatedCountIpv6", pools["Ipv6"]),
            )
            if value is not None
        ]
        if given:
            raise DirectConnectClientException(
                f"{prefix}{given[0]} applies only to private and transit virtual interfaces, "
                f"not to a {vif_type} one."
            )
    for family, value in pools.items():
        if value is not None:
            check_prefix_pool(value, f"{prefix}prefixPoolAllocatedCount{family}")
    rate_limit = members.get("rateLimit")
    if rate_limit is not None:
        check_rate_limit(rate_limit, f"{prefix}rateLimit", carrier_id, carrier_mbps)
    return VifOptions(site_link, pools["Ipv4"], pools["Ipv6"], rate_limit)

"""Allowed prefixes of DX gateway associations: the CIDRs advertised to on-premises through one.

Shared by CreateDirectConnectGatewayAssociation, UpdateDirectConnectGatewayAssociation and the
proposal operations. A `RouteFilterPrefixList` (`[{"cidr": …}]`) is checked as a whole: every
entry a valid CIDR (an IPv6 one /64 or shorter, as the model says), no CIDR twice, at most
`MAX_ALLOWED_PREFIXES`. Prefixes are kept as the caller wrote them; two spellings of one network
(`10.0.0.0/16`, `10.0.0.1/16`) count as the same prefix.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from dxsim.exceptions import DirectConnectClientException
from dxsim.validation import check_cidr

# Allowed prefixes per association. The archived User Guide says "up to twenty" per transit
# gateway association, a 2026 summary 200 (dx-current-api.md §4.4). We take 200, the newer
# figure: a simulator that refuses a list real AWS accepts breaks working configurations, while
# one that accepts a little more only misses an edge case nobody relies on. The cap applies to
# VGW associations too (AWS documents no separate figure).
MAX_ALLOWED_PREFIXES = 200


def network_of(cidr: str) -> str:
    """The normalised network of a CIDR already checked by `check_cidr` (comparison key)."""
    return str(ipaddress.ip_network(cidr, strict=False))


def cidrs_of(prefixes: list[dict[str, Any]] | None, param: str) -> list[str]:
    """The CIDRs of a request's prefix list, checked; [] when the member is absent."""
    cidrs: list[str] = []
    seen: set[str] = set()
    for prefix in prefixes or []:
        cidr = prefix.get("cidr")
        if not cidr:
            raise DirectConnectClientException(
                f"{param}: every prefix needs a cidr (for example 10.0.0.0/16)."
            )
        check_cidr(cidr, f"{param} cidr")
        key = network_of(cidr)
        if key in seen:
            raise DirectConnectClientException(
                f"{param} lists {cidr} more than once; give each prefix once."
            )
        seen.add(key)
        cidrs.append(cidr)
    check_count(cidrs, param)
    return cidrs


def check_count(cidrs: list[str], param: str) -> None:
    if len(cidrs) > MAX_ALLOWED_PREFIXES:
        raise DirectConnectClientException(
            f"{param} would give the association {len(cidrs)} allowed prefixes; an association "
            f"can have at most {MAX_ALLOWED_PREFIXES}."
        )


def applied(existing: list[str], add: list[str], remove: list[str]) -> list[str]:
    """`existing` with `add` appended and `remove` taken out.

    Adding a prefix the association already has changes nothing (Terraform sends its whole
    desired list); removing one it does not have, or adding and removing the same prefix in one
    call, is refused, since the caller's picture of the association is then wrong.
    """
    have = {network_of(c) for c in existing}
    dropping = {network_of(c) for c in remove}
    both = sorted(c for c in add if network_of(c) in dropping)
    if both:
        raise DirectConnectClientException(
            f"{', '.join(both)} cannot be both added and removed in one request."
        )
    missing = sorted(c for c in remove if network_of(c) not in have)
    if missing:
        raise DirectConnectClientException(
            f"removeAllowedPrefixesToDirectConnectGateway names {', '.join(missing)}, which the "
            f"association does not advertise; its allowed prefixes are "
            f"{', '.join(existing) or 'none'}."
        )
    kept = [c for c in existing if network_of(c) not in dropping]
    result = kept + [c for c in add if network_of(c) not in have]
    check_count(result, "addAllowedPrefixesToDirectConnectGateway")
    return result

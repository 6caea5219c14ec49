"""Value rules of the reference (seed-spec.md §2) and dx-facts.md §5.5, as reusable checks.

Each check raises `DirectConnectClientException` with a message that names the parameter and the
allowed values, so a caller can fix the request without reading our code.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable

from dxsim.exceptions import DirectConnectClientException

VLAN_MIN, VLAN_MAX = 1, 4094
CUSTOMER_ASN_MIN, CUSTOMER_ASN_MAX = 1, 2147483646
LONG_ASN_MIN, LONG_ASN_MAX = 1, 4294967294
AMAZON_SIDE_ASN_RANGES = ((64512, 65534), (4200000000, 4294967294))
MTU_VALUES = (1500, 9001)
# AllocateHostedConnection's doc lists these; which of them a partner may allocate depends on
# its NNI partner type (`dxsim.customer.check_hosted_bandwidth`).
HOSTED_BANDWIDTHS = (
    "50Mbps",
    "100Mbps",
    "200Mbps",
    "300Mbps",
    "400Mbps",
    "500Mbps",
    "1Gbps",
    "2Gbps",
    "5Gbps",
    "10Gbps",
    "25Gbps",
)
DEDICATED_BANDWIDTHS = ("1Gbps", "10Gbps", "100Gbps", "400Gbps")
LAG_BANDWIDTHS = ("1Gbps", "10Gbps")
INTERCONNECT_BANDWIDTHS = ("1Gbps", "10Gbps")
MAX_LAG_CONNECTIONS = 10
ADDRESS_FAMILIES = ("ipv4", "ipv6")

_NAME = re.compile(r"^[\w \-_,/.:]+$")
_ACCOUNT = re.compile(r"^\d{12}$")


def check_vlan(vlan: int, param: str = "vlan") -> None:
    if not VLAN_MIN <= vlan <= VLAN_MAX:
        raise DirectConnectClientException(
            f"{param} {vlan} is not valid: VLAN must be between {VLAN_MIN} and {VLAN_MAX}."
        )


def check_customer_asn(asn: int, param: str = "asn") -> None:
    if asn < CUSTOMER_ASN_MIN:
        raise DirectConnectClientException(
            f"BGP ASN {asn} must have value greater than or equal to {CUSTOMER_ASN_MIN}"
        )
    if asn > CUSTOMER_ASN_MAX:
        raise DirectConnectClientException(
            f"BGP ASN {asn} must have value less than or equal to {CUSTOMER_ASN_MAX}; "
            f"use asnLong for 4-byte ASNs"
        )


def check_long_asn(asn: int, param: str = "asnLong") -> None:
    if not LONG_ASN_MIN <= asn <= LONG_ASN_MAX:
        raise DirectConnectClientException(
            f"{param} {asn} is not valid: BGP ASN must be between {LONG_ASN_MIN} and "
            f"{LONG_ASN_MAX}."
        )


def check_amazon_side_asn(asn: int) -> None:
    if not any(low <= asn <= high for low, high in AMAZON_SIDE_ASN_RANGES):
        raise DirectConnectClientException(
            f"amazonSideAsn {asn} is not valid: it must be in the private range 64512-65534 "
            f"or 4200000000-4294967294."
        )


def check_mtu(mtu: int) -> None:
    if mtu not in MTU_VALUES:
        raise DirectConnectClientException(
            f"mtu {mtu} is not valid: the supported values are 1500 and 9001."
        )


def check_choice(value: str, allowed: Iterable[str], param: str) -> None:
    allowed = tuple(allowed)
    if value not in allowed:
        raise DirectConnectClientException(
            f"{param} {value!r} is not valid: the possible values are {', '.join(allowed)}."
        )


def check_name(value: str, param: str, max_length: int) -> None:
    if not value or len(value) > max_length or not _NAME.match(value):
        raise DirectConnectClientException(
            f"{param} {value!r} is not valid: it must be 1-{max_length} characters of letters, "
            f"digits, spaces and - _ , / . :"
        )


def check_account(value: str, param: str = "ownerAccount") -> None:
    if not _ACCOUNT.match(value):
        raise DirectConnectClientException(
            f"{param} {value!r} is not valid: an AWS account ID is 12 digits."
        )


def check_address_family(value: str) -> None:
    check_choice(value, ADDRESS_FAMILIES, "addressFamily")


def parse_interface(value: str, param: str) -> ipaddress.IPv4Interface | ipaddress.IPv6Interface:
    """Parses a peer address in CIDR form (`169.254.0.1/30`, `2001:db8::1/125`)."""
    try:
        if "/" not in value:
            raise ValueError("missing prefix length")
        return ipaddress.ip_interface(value)
    except ValueError as err:
        raise DirectConnectClientException(
            f"{param} {value!r} is not a valid address in CIDR notation ({err})."
        ) from None


def check_cidr(value: str, param: str = "cidr") -> None:
    try:
        network = ipaddress.ip_network(value, strict=False)
    except ValueError as err:
        raise DirectConnectClientException(
            f"{param} {value!r} is not a valid CIDR ({err})."
        ) from None
    if network.version == 6 and network.prefixlen > 64:
        raise DirectConnectClientException(
            f"{param} {value!r} is not valid: an IPv6 CIDR must use /64 or shorter."
        )

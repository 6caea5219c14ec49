"""Input checks that run in the gateway before any upstream call.

Mutation inputs describe their rules with `Checks`; every failure names the input field path
(`input.newPrivateVirtualInterface.vlan`) and carries a stable reason code, so automation can
act on it without parsing prose. The rules are the reference's (seed-spec.md §2) and the value
domains of dx-facts.md §5.5.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

VLAN_RANGE = (1, 4094)
ASN_RANGE = (1, 4294967294)  # asn up to 2147483646, asnLong beyond (the gateway picks)
INT32_ASN_MAX = 2147483646
AMAZON_SIDE_ASN_RANGES = ((64512, 65534), (4200000000, 4294967294))
MTU_VALUES = (1500, 9001)
HOSTED_BANDWIDTHS = ("50Mbps", "100Mbps", "200Mbps", "300Mbps", "400Mbps", "500Mbps")
DEDICATED_BANDWIDTHS = ("1Gbps", "10Gbps", "100Gbps", "400Gbps")
LAG_BANDWIDTHS = ("1Gbps", "10Gbps")
INTERCONNECT_BANDWIDTHS = ("1Gbps", "10Gbps")
MAX_TAGS = 50

_NAME = re.compile(r"^[\w \-_,/.:]+$")
_ACCOUNT = re.compile(r"^\d{12}$")
_AWS_ID = re.compile(r"^(dxcon|dxlag|dxvif|dxpeer)-[a-z0-9]{8,21}$")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_VGW = re.compile(r"^vgw-[0-9a-f]{8}([0-9a-f]{9})?$")
_ARN = re.compile(
    r"^arn:aws[a-z-]*:directconnect:([a-z0-9-]*):(\d{12}):(dxcon|dxlag|dxvif|dx-gateway)/(.+)$"
)
_TAG_EXTRA = set("_.:/=+-@")
_KIND_NAMES = {
    "dxcon": "a connection or interconnect (dxcon-…)",
    "dxlag": "a LAG (dxlag-…)",
    "dxvif": "a virtual interface (dxvif-…)",
    "dxpeer": "a BGP peer (dxpeer-…)",
}


@dataclass(frozen=True)
class FieldError:
    """One refused input value.

    Attributes:
        field: path of the value in the mutation's arguments, e.g. `input.vlan`.
        reason: stable code: REQUIRED, OUT_OF_RANGE, NOT_ALLOWED_VALUE, INVALID_FORMAT,
            WRONG_KIND, CONFLICT, DUPLICATE, TOO_MANY, TOO_LONG, NOT_SERVED.
        message: for people.
    """

    field: str
    reason: str
    message: str


class InvalidInput(Exception):
    """A mutation's input breaks one or more rules; nothing was sent upstream."""

    def __init__(self, errors: Sequence[FieldError]) -> None:
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in errors))
        self.errors = list(errors)


@dataclass
class Checks:
    """Collects field errors for one input; `raise_if_any()` ends validation."""

    prefix: str = "input"
    errors: list[FieldError] = field(default_factory=list)

    def path(self, name: str) -> str:
        return f"{self.prefix}.{name}"

    def fail(self, name: str, reason: str, message: str) -> None:
        self.errors.append(FieldError(self.path(name), reason, message))

    def nested(self, name: str) -> Checks:
        """Checks for a nested input object; its errors land in this collector."""
        return Checks(self.path(name), self.errors)

    def raise_if_any(self) -> None:
        if self.errors:
            raise InvalidInput(self.errors)

    # -- value rules ----------------------------------------------------------------------------
    def required(self, name: str, value: Any) -> bool:
        if value is None or value == "":
            self.fail(name, "REQUIRED", "is required")
            return False
        return True

    def in_range(self, name: str, value: int | None, low: int, high: int) -> None:
        if value is not None and not low <= value <= high:
            self.fail(name, "OUT_OF_RANGE", f"must be between {low} and {high}, not {value}")

    def vlan(self, name: str, value: int | None) -> None:
        self.in_range(name, value, *VLAN_RANGE)

    def asn(self, name: str, value: int | None) -> None:
        self.in_range(name, value, *ASN_RANGE)

    def amazon_side_asn(self, name: str, value: int | None) -> None:
        if value is not None and not any(lo <= value <= hi for lo, hi in AMAZON_SIDE_ASN_RANGES):
            self.fail(
                name,
                "OUT_OF_RANGE",
                f"must be in 64512-65534 or 4200000000-4294967294 (private ASNs), not {value}",
            )

    def one_of(self, name: str, value: Any, allowed: Iterable[Any]) -> None:
        options = tuple(allowed)
        if value is not None and value not in options:
            self.fail(
                name,
                "NOT_ALLOWED_VALUE",
                f"must be one of {', '.join(map(str, options))}, not {value!r}",
            )

    def name(self, name: str, value: str | None, max_length: int) -> None:
        if value is None:
            return
        if not value or len(value) > max_length:
            self.fail(name, "TOO_LONG", f"must be 1-{max_length} characters")
        elif not _NAME.match(value):
            self.fail(
                name,
                "INVALID_FORMAT",
                "may contain letters, digits, spaces and - _ , / . : only",
            )

    def account(self, name: str, value: str | None) -> None:
        if value is not None and not _ACCOUNT.match(value):
            self.fail(name, "INVALID_FORMAT", "must be a 12-digit AWS account ID")

    def aws_id(self, name: str, value: str | None, *kinds: str) -> None:
        """An ID of the right kind: a `dxlag-` where a LAG is expected, and so on."""
        if value is None:
            return
        match = _AWS_ID.match(value)
        if match is None:
            expected = " or ".join(_KIND_NAMES[k] for k in kinds)
            self.fail(name, "INVALID_FORMAT", f"must be the ID of {expected}, not {value!r}")
        elif match.group(1) not in kinds:
            expected = " or ".join(_KIND_NAMES[k] for k in kinds)
            self.fail(name, "WRONG_KIND", f"must be the ID of {expected}, not {value!r}")

    def gateway_id(self, name: str, value: str | None) -> None:
        if value is not None and not _UUID.match(value):
            self.fail(name, "INVALID_FORMAT", "must be a Direct Connect gateway ID (a UUID)")

    def virtual_gateway_id(self, name: str, value: str | None) -> None:
        if value is not None and not _VGW.match(value):
            self.fail(name, "INVALID_FORMAT", "must be a virtual private gateway ID (vgw-…)")

    def arn(self, name: str, value: str | None) -> None:
        if value is not None and not _ARN.match(value):
            self.fail(
                name,
                "INVALID_FORMAT",
                "must be the ARN of a connection, interconnect, LAG, VIF or DX gateway",
            )

    def peer_address(self, name: str, value: str | None, family: str | None) -> None:
        """An address in CIDR form of the peer's family; IPv6 peers take none (AWS assigns)."""
        if value is None:
            return
        if family == "ipv6":
            self.fail(
                name,
                "NOT_ALLOWED",
                "must be omitted for IPv6: Amazon assigns IPv6 peer addresses",
            )
            return
        try:
            if "/" not in value:
                raise ValueError("missing the prefix length, e.g. 169.254.10.1/30")
            parsed = ipaddress.ip_interface(value)
        except ValueError as err:
            self.fail(name, "INVALID_FORMAT", f"is not an address in CIDR notation: {err}")
            return
        if parsed.version != 4:
            self.fail(name, "INVALID_FORMAT", "must be an IPv4 address for an IPv4 peer")

    def cidr(self, name: str, value: str | None) -> None:
        if value is None:
            return
        try:
            network = ipaddress.ip_network(value, strict=False)
        except ValueError as err:
            self.fail(name, "INVALID_FORMAT", f"is not a CIDR block: {err}")
            return
        if network.version == 6 and network.prefixlen > 64:
            self.fail(name, "OUT_OF_RANGE", "an IPv6 CIDR must be /64 or shorter")

    def tags(self, name: str, pairs: Sequence[tuple[str, str | None]]) -> None:
        """Tag keys 1-128, values 0-256 characters of AWS's tag alphabet, no duplicate keys."""
        if not pairs:
            self.fail(name, "REQUIRED", "needs at least one tag")
        if len(pairs) > MAX_TAGS:
            self.fail(name, "TOO_MANY", f"at most {MAX_TAGS} tags per resource")
        seen: set[str] = set()
        for index, (key, value) in enumerate(pairs):
            where = f"{name}[{index}]"
            if not 1 <= len(key) <= 128:
                self.fail(f"{where}.key", "TOO_LONG", "must be 1-128 characters")
            elif not _tag_text(key):
                self.fail(f"{where}.key", "INVALID_FORMAT", _TAG_ALPHABET)
            if key in seen:
                self.fail(f"{where}.key", "DUPLICATE", f"key {key!r} appears more than once")
            seen.add(key)
            if value is not None and len(value) > 256:
                self.fail(f"{where}.value", "TOO_LONG", "must be at most 256 characters")
            elif value is not None and not _tag_text(value):
                self.fail(f"{where}.value", "INVALID_FORMAT", _TAG_ALPHABET)


_TAG_ALPHABET = "may contain letters, digits, spaces and _ . : / = + - @ only"


def _tag_text(text: str) -> bool:
    return all(ch in _TAG_EXTRA or unicodedata.category(ch)[0] in "LNZ" for ch in text)


def split_asn(asn: int) -> dict[str, int]:
    """`asn` for ASNs up to 2147483646, `asnLong` beyond (the model's 4-byte member)."""
    return {"asn": asn} if asn <= INT32_ASN_MAX else {"asnLong": asn}

"""ListVirtualInterfaceRoutes: the BGP routes a virtual interface exchanges, derived, never stored.

Routes follow BGP sessions: a peer that is `available` with `bgpStatus: up` carries the routes of
its address family, a peer that is down (link down, VIF not available, or held down by a BGP
failover test) carries none. So a VIF that is not `available` (or `testing` with some peers
outside the test) has no routes, and a test of all peers leaves none. Both directions are
deterministic, so tests and demos can predict them:

* *advertised* (AWS → customer): on a public VIF, a few seeded Amazon prefixes of the VIF's
  Region (community `7224:8100`, "same Region"); on a private or transit VIF attached to a DX
  gateway, the allowed prefixes of the gateway's `associated`/`updating` associations (a VGW
  association without allowed prefixes advertises its VPC CIDR), once the attachment is
  `attached`; on a private VIF on a VGW, the VGW's seeded VPC CIDRs. The AS path is the Amazon
  side's ASN (the gateway's, 64512 for a VGW, 7224 for public).
* *accepted* (customer → AWS): on a public VIF its `routeFilterPrefixes`; on a private or transit
  VIF three seeded customer prefixes per peer, derived from the peer's customer address (IPv4 in
  10.0.0.0/8 and 172.16.0.0/12, IPv6 in 2001:db8::/32). The AS path is the peer's ASN, the
  community a local-preference tag (`7224:7100|7200|7300`; public: `7224:9300`, "global").

`routeInstalledAt` is when the session last came up: the peer's creation or the end of the last
failover test that held it down, or the association's creation if later. `awsLogicalDeviceId` is
the peer's AWS device. The quota of routes per BGP session (100; 1,000 public) is not modelled.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import re
from dataclasses import dataclass
from typing import Any

from dxsim.accounts import Caller
from dxsim.base import BackendBase
from dxsim.exceptions import DirectConnectClientException
from dxsim.paging import paginate
from dxsim.records import BgpPeer, VirtualInterface
from dxsim.validation import ADDRESS_FAMILIES, LONG_ASN_MAX, LONG_ASN_MIN, check_choice
from dxsim.wire import compact

DIRECTIONS = ("accepted", "advertised")
MAX_FILTER_CIDRS = 10
PUBLIC_AMAZON_ASN = 7224
VGW_AMAZON_ASN = 64512
SAME_REGION_COMMUNITY = "7224:8100"
GLOBAL_SCOPE_COMMUNITY = "7224:9300"
LOCAL_PREFERENCE_COMMUNITIES = ("7224:7100", "7224:7200", "7224:7300")
ROUTED_VIF_STATES = ("available", "testing")
ROUTED_ASSOCIATION_STATES = ("associated", "updating")
# A few Amazon public prefixes per Region, advertised on public VIFs (illustrative, not AWS's
# ip-ranges.json); other Regions get prefixes derived from the Region's name.
AMAZON_PREFIXES: dict[str, dict[str, tuple[str, ...]]] = {
    "us-east-1": {
        "ipv4": ("3.208.0.0/12", "18.204.0.0/14", "52.0.0.0/15", "54.80.0.0/13"),
        "ipv6": ("2600:1f18::/33", "2600:1f10::/36"),
    },
    "us-west-2": {
        "ipv4": ("34.208.0.0/12", "44.224.0.0/11", "52.32.0.0/14", "54.184.0.0/13"),
        "ipv6": ("2600:1f14::/35", "2600:1f13::/36"),
    },
    "eu-west-1": {
        "ipv4": ("34.240.0.0/13", "52.16.0.0/15", "54.72.0.0/15", "63.32.0.0/14"),
        "ipv6": ("2a05:d018::/36", "2a05:d019::/36"),
    },
}
_STANDARD_COMMUNITY = re.compile(r"^(\d{1,5}):(\d{1,5})$")
_LARGE_COMMUNITY = re.compile(r"^(\d{1,10}):(\d{1,10}):(\d{1,10})$")


@dataclass(frozen=True)
class Route:
    """One route of a VIF's table, as the Route shape shows it."""

    cidr: str
    direction: str
    family: str
    as_path: tuple[int, ...]
    communities: tuple[str, ...]
    device: str
    installed_at: float

    @property
    def network(self) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
        return ipaddress.ip_network(self.cidr, strict=False)

    def sort_key(self) -> tuple[float, str]:
        """Direction, family, then numeric address and prefix length: a stable paging order."""
        net = self.network
        key = f"{self.direction}|{self.family}|{int(net.network_address):039d}/{net.prefixlen:03d}"
        return (0.0, key)

    def to_wire(self) -> dict[str, Any]:
        return {
            "cidr": self.cidr,
            "routeDirection": self.direction,
            "addressFamily": self.family,
            "asPath": [{"pathType": "seq", "path": list(self.as_path)}],
            "communities": list(self.communities),
            "awsLogicalDeviceId": self.device,
            "routeInstalledAt": self.installed_at,
        }


def _digest(*parts: str) -> bytes:
    return hashlib.sha256("/".join(parts).encode()).digest()


def amazon_prefixes(region: str, family: str) -> tuple[str, ...]:
    """The Amazon public prefixes a public VIF in `region` is offered."""
    seeded = AMAZON_PREFIXES.get(region)
    if seeded is not None:
        return seeded[family]
    n = _digest("amazon", region)[0] % 200
    if family == "ipv6":
        return (f"2600:1f{n % 100:02d}::/36",)
    return (f"15.{n}.0.0/16", f"15.{n + 1}.0.0/16")


def vpc_cidrs(vgw_id: str, family: str) -> tuple[str, ...]:
    """The seeded VPC CIDR behind a virtual private gateway (stable per VGW ID)."""
    d = _digest("vpc", vgw_id)
    if family == "ipv6":
        return (f"2600:1f18:{d[1]:02x}{d[2]:02x}:{d[3]:02x}00::/56",)
    return (f"10.{d[0]}.0.0/16",)


def customer_prefixes(peer: BgpPeer) -> tuple[str, ...]:
    """Three on-premises prefixes a private or transit VIF's peer announces, from its address."""
    d = _digest("customer", peer.customer_address or peer.id)
    if peer.address_family == "ipv6":
        return tuple(f"2001:db8:{d[i]:02x}{d[i + 1]:02x}::/48" for i in (0, 2, 4))
    return (
        f"10.{d[0]}.{d[1]}.0/24",
        f"10.{d[0]}.{d[1] ^ 1}.0/24",
        f"172.{16 + d[2] % 16}.{d[3] & 0xF0}.0/20",
    )


def _family_of(cidr: str) -> str:
    return "ipv6" if ":" in cidr else "ipv4"


class RouteOperations(BackendBase):
    """ListVirtualInterfaceRoutes; composed into `DirectConnectBackend`."""

    def list_virtual_interface_routes(
        self,
        caller: Caller,
        *,
        virtual_interface_id: str,
        filters: dict[str, Any] | None = None,
        max_results: int | None = None,
        next_token: str | None = None,
    ) -> dict[str, Any]:
        """ListVirtualInterfaceRoutes: the VIF's routes (both directions unless filtered).

        The VIF must be visible to the caller (its owner, or the owner of its connection). The
        model does not mark `virtualInterfaceId` required, but a route table needs a VIF, so a
        missing one is refused. Filters combine (AND): `routeDirection` and `addressFamily` by
        value, `cidrs` (1–10) match a route's prefix exactly, `asPath` keeps routes whose AS path
        holds every ASN given, `communities` routes carrying every community given.
        """
        vif = self.get_virtual_interface(caller, virtual_interface_id)
        wanted = _RouteFilter.parse(filters or {})
        routes = [r for r in self.routes_of(vif) if wanted.matches(r)]
        page, token = paginate(
            routes,
            Route.sort_key,
            scope=f"routes/{caller.account}/{vif.id}/{wanted.scope()}",
            max_results=max_results,
            next_token=next_token,
        )
        return compact(
            {
                "virtualInterfaceId": vif.id,
                "routes": [r.to_wire() for r in page],
                "nextToken": token,
            }
        )

    def routes_of(self, vif: VirtualInterface) -> list[Route]:
        """The VIF's current route table, one route per (direction, prefix)."""
        if vif.virtual_interface_state not in ROUTED_VIF_STATES:
            return []
        table: dict[tuple[str, str], Route] = {}
        for peer in vif.peers(self):
            if peer.bgp_peer_state != "available" or peer.bgp_status != "up":
                continue
            up_since = self._session_up_since(vif, peer)
            for route in self._advertised(vif, peer, up_since) + self._accepted(
                vif, peer, up_since
            ):
                table.setdefault((route.direction, str(route.network)), route)
        return list(table.values())

    # -- the two directions -----------------------------------------------------------------
    def _advertised(self, vif: VirtualInterface, peer: BgpPeer, up_since: float) -> list[Route]:
        family = peer.address_family
        found: list[tuple[str, int, tuple[str, ...], float]] = []  # cidr, asn, communities, since
        if vif.virtual_interface_type == "public":
            for cidr in amazon_prefixes(vif.region, family):
                found.append((cidr, PUBLIC_AMAZON_ASN, (SAME_REGION_COMMUNITY,), up_since))
        elif vif.direct_connect_gateway_id:
            gateway_id = vif.direct_connect_gateway_id
            attachment = self.gateway_attachments.get(f"{gateway_id}/{vif.id}")
            if attachment is None or attachment.attachment_state != "attached":
                return []
            gateway = self.gateways.get(gateway_id)
            asn = gateway.amazon_side_asn if gateway is not None else vif.amazon_side_asn or 0
            for assoc in self.gateway_associations.values():
                if (
                    assoc.direct_connect_gateway_id != gateway_id
                    or assoc.association_state not in ROUTED_ASSOCIATION_STATES
                ):
                    continue
                prefixes: tuple[str, ...] = tuple(assoc.allowed_prefixes)
                if not prefixes and assoc.virtual_gateway_id.startswith("vgw-"):
                    prefixes = vpc_cidrs(assoc.virtual_gateway_id, family)
                since = max(up_since, assoc.created_at)
                for cidr in prefixes:
                    if _family_of(cidr) == family:
                        found.append((cidr, asn, (), since))
        elif vif.virtual_gateway_id:
            asn = vif.amazon_side_asn or VGW_AMAZON_ASN
            for cidr in vpc_cidrs(vif.virtual_gateway_id, family):
                found.append((cidr, asn, (), up_since))
        return [
            Route(cidr, "advertised", family, (asn,), communities, peer.aws_device_v2, since)
            for cidr, asn, communities, since in found
        ]

    def _accepted(self, vif: VirtualInterface, peer: BgpPeer, up_since: float) -> list[Route]:
        family = peer.address_family
        if vif.virtual_interface_type == "public":
            prefixes = tuple(c for c in vif.route_filter_prefixes if _family_of(c) == family)
            communities: dict[str, tuple[str, ...]] = dict.fromkeys(
                prefixes, (GLOBAL_SCOPE_COMMUNITY,)
            )
        else:
            prefixes = customer_prefixes(peer)
            communities = {
                c: (LOCAL_PREFERENCE_COMMUNITIES[_digest("pref", c)[0] % 3],) for c in prefixes
            }
        return [
            Route(
                cidr,
                "accepted",
                family,
                (peer.real_asn,),
                communities[cidr],
                peer.aws_device_v2,
                up_since,
            )
            for cidr in prefixes
        ]

    def _session_up_since(self, vif: VirtualInterface, peer: BgpPeer) -> float:
        """When the peer's session last came up: its creation or the end of the last failover
        test that held it down."""
        ends = [
            t.end_time
            for t in self.failover_tests.values()
            if t.virtual_interface_id == vif.id and not t.running and peer.id in t.bgp_peers
        ]
        return max([peer.created_at, *ends])


@dataclass(frozen=True)
class _RouteFilter:
    """The validated `filters` of ListVirtualInterfaceRoutes."""

    direction: str | None
    family: str | None
    cidrs: frozenset[str] | None
    as_path: frozenset[int]
    communities: frozenset[str]

    @classmethod
    def parse(cls, filters: dict[str, Any]) -> _RouteFilter:
        direction = filters.get("routeDirection")
        if direction is not None:
            check_choice(direction, DIRECTIONS, "filters.routeDirection")
        family = filters.get("addressFamily")
        if family is not None:
            check_choice(family, ADDRESS_FAMILIES, "filters.addressFamily")
        raw_cidrs = filters.get("cidrs")
        cidrs = None
        if raw_cidrs is not None:
            if len(raw_cidrs) > MAX_FILTER_CIDRS:
                raise DirectConnectClientException(
                    f"filters.cidrs has {len(raw_cidrs)} CIDRs: give at most {MAX_FILTER_CIDRS}."
                )
            cidrs = frozenset(_parse_cidr(c) for c in raw_cidrs)
        as_path = filters.get("asPath") or []
        for asn in as_path:
            if not LONG_ASN_MIN <= asn <= LONG_ASN_MAX:
                raise DirectConnectClientException(
                    f"filters.asPath ASN {asn} is not valid: an ASN is between {LONG_ASN_MIN} "
                    f"and {LONG_ASN_MAX}."
                )
        communities = filters.get("communities") or []
        for community in communities:
            _check_community(community)
        return cls(direction, family, cidrs, frozenset(as_path), frozenset(communities))

    def matches(self, route: Route) -> bool:
        return (
            self.direction in (None, route.direction)
            and self.family in (None, route.family)
            and (self.cidrs is None or str(route.network) in self.cidrs)
            and self.as_path <= set(route.as_path)
            and self.communities <= set(route.communities)
        )

    def scope(self) -> str:
        return json.dumps(
            [
                self.direction,
                self.family,
                sorted(self.cidrs) if self.cidrs is not None else None,
                sorted(self.as_path),
                sorted(self.communities),
            ]
        )


def _parse_cidr(value: str) -> str:
    try:
        return str(ipaddress.ip_network(value, strict=False))
    except ValueError as err:
        raise DirectConnectClientException(
            f"filters.cidrs {value[:64]!r} is not a valid CIDR ({err})."
        ) from None


def _check_community(value: str) -> None:
    """A standard (`asn:value`, each 0–65535) or large (`a:b:c`, each 0–4294967295) community."""
    standard = _STANDARD_COMMUNITY.fullmatch(value)
    large = _LARGE_COMMUNITY.fullmatch(value)
    if standard and all(int(part) <= 0xFFFF for part in standard.groups()):
        return
    if large and all(int(part) <= 0xFFFFFFFF for part in large.groups()):
        return
    raise DirectConnectClientException(
        f"filters.communities {value[:64]!r} is not a valid BGP community: use asn:value "
        f"(each 0-65535) or a large community a:b:c (each 0-4294967295)."
    )

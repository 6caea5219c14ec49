"""The records of the data path: connections, interconnects, LAGs, virtual interfaces, BGP peers,
and the tag sets of any resource; what is stored and how each looks on the wire.

The rules that create and change these records live in one module per kind (`dxsim.connections`,
`dxsim.lags`, …), which all sit above this one. A record that derives part of its wire shape from
others (a LAG's members, a VIF's peers and carrier) reads them through `Tables`, the read side of
the world, so this module needs nothing of `dxsim.world`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol
from xml.sax.saxutils import escape

from dxsim.port_wire import mac_sec_keys, mac_sec_wire, port_pools, tags_wire
from dxsim.resource import GONE_STATES, Resource
from dxsim.wire import compact

# Peer states in which a BGP peer no longer counts (its VIF's fields mirror another one).
LIVE_PEER_EXCLUDED = frozenset({"deleting", "deleted"})


class Tables(Protocol):
    """What records read from the world to derive their wire shapes; `World` provides it."""

    @property
    def connections(self) -> Mapping[str, Connection]: ...

    @property
    def interconnects(self) -> Mapping[str, Interconnect]: ...

    @property
    def lags(self) -> Mapping[str, Lag]: ...

    @property
    def virtual_interfaces(self) -> Mapping[str, VirtualInterface]: ...

    @property
    def tag_sets(self) -> Mapping[str, TagSet]: ...

    def children(self, kind: str, parent_id: str) -> list[Any]:
        """Resources of `kind` whose parent is `parent_id` (BGP peers of a VIF, MACsec keys of a
        port or LAG)."""
        ...


@dataclass(kw_only=True)
class Connection(Resource):
    """A Direct Connect connection as DescribeConnections returns it.

    `parent_id` is the interconnect or LAG a hosted connection lives on (AWS keeps it server-side;
    the Connection shape has no such field). `link_up` is the simulated physical link.
    """

    KIND: ClassVar[str] = "connection"
    STATE_FIELD: ClassVar[str] = "connection_state"

    owner_account: str
    connection_name: str
    connection_state: str
    region: str
    location: str
    bandwidth: str
    vlan: int | None = None
    partner_name: str | None = None
    loa_issue_time: float | None = None
    lag_id: str | None = None
    aws_device: str = ""
    jumbo_frame_capable: bool = False
    aws_device_v2: str = ""
    has_logical_redundancy: str = "no"
    parent_id: str | None = None
    link_up: bool = True
    provider_name: str | None = None
    mac_sec_capable: bool = False
    encryption_mode: str | None = None
    billing_mode: str | None = None
    created_at: float = 0.0

    @property
    def is_hosted(self) -> bool:
        return self.parent_id is not None

    def today_wire(self, world: Tables) -> dict[str, Any]:
        """Today's members (dx-current-api.md §2): a LAG member shows the LAG's MACsec keys; a
        hosted connection shows whether its interconnect or LAG is MACsec-capable instead of
        pools, limiters and a billing mode, which are the dedicated port's."""
        keys = mac_sec_keys(world, self.lag_id or self.id) if self.mac_sec_capable else []
        members: dict[str, Any] = {
            "awsLogicalDeviceId": self.aws_device_v2 or None,
            "tags": tags_wire(world, self.region, self.owner_account, self.id),
            "providerName": self.provider_name,
            **mac_sec_wire(
                self.mac_sec_capable,
                self.encryption_mode,
                self.connection_state == "available",
                keys,
            ),
        }
        if self.parent_id is not None:
            parent: Any = world.interconnects.get(self.parent_id) or world.lags.get(self.parent_id)
            members["partnerInterconnectMacSecCapable"] = bool(
                parent is not None and parent.mac_sec_capable
            )
        else:
            members |= port_pools(world, self.id)
            members["billingMode"] = self.billing_mode
        return members

    def to_wire(self, world: Tables) -> dict[str, Any]:
        return compact(
            {
                "ownerAccount": self.owner_account,
                "connectionId": self.id,
                "connectionName": self.connection_name,
                "connectionState": self.connection_state,
                "region": self.region,
                "location": self.location,
                "bandwidth": self.bandwidth,
                "vlan": self.vlan,
                "partnerName": self.partner_name,
                "loaIssueTime": self.loa_issue_time,
                "lagId": self.lag_id,
                "awsDevice": self.aws_device,
                "jumboFrameCapable": self.jumbo_frame_capable,
                "awsDeviceV2": self.aws_device_v2,
                "hasLogicalRedundancy": self.has_logical_redundancy,
                **self.today_wire(world),
            }
        )


@dataclass(kw_only=True)
class Interconnect(Resource):
    """An interconnect as DescribeInterconnects returns it (the wire shape has no ownerAccount)."""

    KIND: ClassVar[str] = "interconnect"
    STATE_FIELD: ClassVar[str] = "interconnect_state"

    owner_account: str
    interconnect_name: str
    interconnect_state: str
    region: str
    location: str
    bandwidth: str
    loa_issue_time: float | None = None
    lag_id: str | None = None
    aws_device: str = ""
    jumbo_frame_capable: bool = False
    aws_device_v2: str = ""
    has_logical_redundancy: str = "no"
    link_up: bool = True
    provider_name: str | None = None
    mac_sec_capable: bool = False
    encryption_mode: str | None = None
    created_at: float = 0.0

    def today_wire(self, world: Tables) -> dict[str, Any]:
        """Today's members (dx-current-api.md §2); a LAG member shows the LAG's MACsec keys."""
        keys = mac_sec_keys(world, self.lag_id or self.id) if self.mac_sec_capable else []
        return {
            "awsLogicalDeviceId": self.aws_device_v2 or None,
            "tags": tags_wire(world, self.region, self.owner_account, self.id),
            "providerName": self.provider_name,
            **mac_sec_wire(
                self.mac_sec_capable,
                self.encryption_mode,
                self.interconnect_state == "available",
                keys,
            ),
        }

    def to_wire(self, world: Tables) -> dict[str, Any]:
        return compact(
            {
                "interconnectId": self.id,
                "interconnectName": self.interconnect_name,
                "interconnectState": self.interconnect_state,
                "region": self.region,
                "location": self.location,
                "bandwidth": self.bandwidth,
                "loaIssueTime": self.loa_issue_time,
                "lagId": self.lag_id,
                "awsDevice": self.aws_device,
                "jumboFrameCapable": self.jumbo_frame_capable,
                "awsDeviceV2": self.aws_device_v2,
                "hasLogicalRedundancy": self.has_logical_redundancy,
                **self.today_wire(world),
            }
        )

    def to_connection_wire(self, world: Tables) -> dict[str, Any]:
        """The interconnect in the Connection shape: LAG member lists and the LAG association
        calls answer with Connections even when the member is an interconnect."""
        return compact(
            {
                "ownerAccount": self.owner_account,
                "connectionId": self.id,
                "connectionName": self.interconnect_name,
                "connectionState": self.interconnect_state,
                "region": self.region,
                "location": self.location,
                "bandwidth": self.bandwidth,
                "loaIssueTime": self.loa_issue_time,
                "lagId": self.lag_id,
                "awsDevice": self.aws_device,
                "jumboFrameCapable": self.jumbo_frame_capable,
                "awsDeviceV2": self.aws_device_v2,
                "hasLogicalRedundancy": self.has_logical_redundancy,
                **self.today_wire(world),
            }
        )


# A LAG member: a dedicated connection or an interconnect whose `lag_id` names the LAG.
Member = Connection | Interconnect


@dataclass(kw_only=True)
class Lag(Resource):
    """A LAG; `numberOfConnections` and `connections` are derived from member connections."""

    KIND: ClassVar[str] = "lag"
    STATE_FIELD: ClassVar[str] = "lag_state"

    owner_account: str
    lag_name: str
    lag_state: str
    region: str
    location: str
    connections_bandwidth: str
    minimum_links: int = 0
    aws_device: str = ""
    aws_device_v2: str = ""
    allows_hosted_connections: bool = False
    jumbo_frame_capable: bool = False
    has_logical_redundancy: str = "yes"
    provider_name: str | None = None
    mac_sec_capable: bool = False
    encryption_mode: str | None = None
    billing_mode: str | None = None
    created_at: float = 0.0

    def members(self, world: Tables) -> list[Any]:
        """Live member connections and interconnects (deleting or deleted ones no longer count)."""
        conns: list[Any] = [c for c in world.connections.values() if c.lag_id == self.id]
        conns += [i for i in world.interconnects.values() if i.lag_id == self.id]
        return [m for m in conns if m.state not in GONE_STATES]

    def operational(self, world: Tables) -> int:
        return sum(1 for m in self.members(world) if m.state == "available")

    def to_wire(self, world: Tables) -> dict[str, Any]:
        members = self.members(world)
        return compact(
            {
                "connectionsBandwidth": self.connections_bandwidth,
                "numberOfConnections": len(members),
                "lagId": self.id,
                "ownerAccount": self.owner_account,
                "lagName": self.lag_name,
                "lagState": self.lag_state,
                "location": self.location,
                "region": self.region,
                "minimumLinks": self.minimum_links,
                "awsDevice": self.aws_device,
                "awsDeviceV2": self.aws_device_v2,
                "connections": [member_wire(world, m) for m in members],
                "allowsHostedConnections": self.allows_hosted_connections,
                "jumboFrameCapable": self.jumbo_frame_capable,
                "hasLogicalRedundancy": self.has_logical_redundancy,
                "awsLogicalDeviceId": self.aws_device_v2 or None,
                "tags": tags_wire(world, self.region, self.owner_account, self.id),
                "providerName": self.provider_name,
                **self.mac_sec_members(world),
                # pools and limiters are not applicable to LAGs that host connections
                **({} if self.allows_hosted_connections else port_pools(world, self.id)),
                "billingMode": self.billing_mode,
            }
        )

    def mac_sec_members(self, world: Tables) -> dict[str, Any]:
        """The Lag shape has no portEncryptionStatus: each member port reports its own."""
        wire = mac_sec_wire(
            self.mac_sec_capable,
            self.encryption_mode,
            self.lag_state == "available",
            mac_sec_keys(world, self.id),
        )
        wire.pop("portEncryptionStatus", None)
        return wire


def member_wire(world: Tables, member: Member) -> dict[str, Any]:
    """A LAG member in the Connection shape, whether it is a connection or an interconnect."""
    if isinstance(member, Interconnect):
        return member.to_connection_wire(world)
    return member.to_wire(world)


@dataclass(kw_only=True)
class VirtualInterface(Resource):
    """A virtual interface; `bgpPeers` comes from the BGP peer table.

    `connection_id` may name a connection, a hosted connection or a LAG. `allocated_by` is the
    connection owner that allocated a hosted VIF to `owner_account`. The stored asn/address
    fields are the creation values; the wire shows those of the first live peer when there is
    one. `asn` is the legacy field (0 for a 4-byte `asnLong`).
    """

    KIND: ClassVar[str] = "virtual_interface"
    STATE_FIELD: ClassVar[str] = "virtual_interface_state"

    owner_account: str
    connection_id: str
    location: str
    region: str
    virtual_interface_type: str
    virtual_interface_name: str
    vlan: int
    asn: int
    asn_long: int | None = None
    amazon_side_asn: int | None = None
    auth_key: str | None = None
    amazon_address: str | None = None
    customer_address: str | None = None
    address_family: str = "ipv4"
    virtual_interface_state: str = "pending"
    mtu: int = 1500
    jumbo_frame_capable: bool = False
    virtual_gateway_id: str = ""
    direct_connect_gateway_id: str = ""
    route_filter_prefixes: list[str] = field(default_factory=list)
    aws_device_v2: str = ""
    allocated_by: str | None = None
    created_at: float = 0.0
    site_link_enabled: bool = False
    prefix_pool_ipv4: int | None = None
    prefix_pool_ipv6: int | None = None
    rate_limit: str | None = None

    @property
    def arn(self) -> str:
        """The VIF's ARN (what its tags are stored under): in the VIF owner's account."""
        return f"arn:aws:directconnect:{self.region}:{self.owner_account}:dxvif/{self.id}"

    def peers(self, world: Tables) -> list[Any]:
        peers = world.children("bgp_peer", self.id)
        return sorted(peers, key=lambda p: p.created_at)

    def first_peer(self, world: Tables, peers: list[Any] | None = None) -> Any:
        """The peer the VIF-level BGP fields mirror (self when no live peer is left)."""
        return next((p for p in (peers or self.peers(world)) if p.live), self)

    def router_config(self, peers: list[Any], first: Any) -> str:
        """The customer router configuration XML AWS returns (dx-facts.md §5.1)."""
        lines = [f"  <vlan>{self.vlan}</vlan>"]
        by_family = {first.address_family: first}
        for peer in peers:
            if peer.live:
                by_family.setdefault(peer.address_family, peer)
        for family in ("ipv4", "ipv6"):
            peer = by_family.get(family)
            if peer is None:
                continue
            prefix = "ipv6_" if family == "ipv6" else ""
            asn = peer.asn if peer.asn_long is None else peer.asn_long
            lines += [
                f"  <{prefix}customer_address>{peer.customer_address}</{prefix}customer_address>",
                f"  <{prefix}amazon_address>{peer.amazon_address}</{prefix}amazon_address>",
                f"  <{prefix}bgp_asn>{asn}</{prefix}bgp_asn>",
                f"  <{prefix}bgp_auth_key>{escape(peer.auth_key or '')}</{prefix}bgp_auth_key>",
            ]
        if self.amazon_side_asn is not None:
            lines.append(f"  <amazon_bgp_asn>{self.amazon_side_asn}</amazon_bgp_asn>")
        lines.append(f"  <connection_type>{self.virtual_interface_type}</connection_type>")
        body = "\n".join(lines)
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<logical_connection id="{self.id}">\n{body}\n</logical_connection>\n'
        )

    def to_wire(self, world: Tables) -> dict[str, Any]:
        peers = self.peers(world)
        first = self.first_peer(world, peers)
        carrier: Any = world.connections.get(self.connection_id) or world.lags.get(
            self.connection_id
        )
        jumbo = self.jumbo_frame_capable if carrier is None else carrier.jumbo_frame_capable
        tag_set = world.tag_sets.get(self.arn)
        tags = [dict(t) for t in tag_set.tags] if tag_set is not None and tag_set.tags else None
        return compact(
            {
                "ownerAccount": self.owner_account,
                "virtualInterfaceId": self.id,
                "location": self.location,
                "connectionId": self.connection_id,
                "virtualInterfaceType": self.virtual_interface_type,
                "virtualInterfaceName": self.virtual_interface_name,
                "vlan": self.vlan,
                "asn": first.asn,
                # asnLong is the model's, not the reference's: sent only for VIFs made with it
                "asnLong": first.asn_long,
                "amazonSideAsn": self.amazon_side_asn,
                "authKey": first.auth_key,
                "amazonAddress": first.amazon_address,
                "customerAddress": first.customer_address,
                "addressFamily": first.address_family,
                "virtualInterfaceState": self.virtual_interface_state,
                "customerRouterConfig": self.router_config(peers, first),
                "mtu": self.mtu,
                "jumboFrameCapable": jumbo,
                "virtualGatewayId": self.virtual_gateway_id,
                "directConnectGatewayId": self.direct_connect_gateway_id,
                "routeFilterPrefixes": [{"cidr": c} for c in self.route_filter_prefixes],
                "bgpPeers": [p.to_wire(world) for p in peers],
                "region": self.region,
                "awsDeviceV2": self.aws_device_v2,
                # the logical device is the one terminating the carrier here (stable, derived)
                "awsLogicalDeviceId": self.aws_device_v2 or None,
                "tags": tags,
                "siteLinkEnabled": self.site_link_enabled,
                "prefixPoolAllocatedCountIpv4": self.prefix_pool_ipv4,
                "prefixPoolAllocatedCountIpv6": self.prefix_pool_ipv6,
                "rateLimit": self.rate_limit,
            }
        )


@dataclass(kw_only=True)
class BgpPeer(Resource):
    """A BGP peer; it appears on the wire only embedded in its virtual interface.

    `asn` is the legacy 32-bit-signed field (0 for a 4-byte ASN given as `asnLong`), `asn_long`
    the real ASN.
    """

    KIND: ClassVar[str] = "bgp_peer"
    STATE_FIELD: ClassVar[str] = "bgp_peer_state"

    virtual_interface_id: str
    asn: int
    asn_long: int | None = None
    auth_key: str | None = None
    address_family: str = "ipv4"
    amazon_address: str | None = None
    customer_address: str | None = None
    bgp_peer_state: str = "pending"
    bgp_status: str = "down"
    aws_device_v2: str = ""
    created_at: float = 0.0

    @property
    def live(self) -> bool:
        return self.bgp_peer_state not in LIVE_PEER_EXCLUDED

    @property
    def real_asn(self) -> int:
        return self.asn if self.asn_long is None else self.asn_long

    def to_wire(self, world: Tables) -> dict[str, Any]:
        return compact(
            {
                "bgpPeerId": self.id,
                "asn": self.asn,
                "asnLong": self.asn_long,
                "authKey": self.auth_key,
                "addressFamily": self.address_family,
                "amazonAddress": self.amazon_address,
                "customerAddress": self.customer_address,
                "bgpPeerState": self.bgp_peer_state,
                "bgpStatus": self.bgp_status,
                "awsDeviceV2": self.aws_device_v2,
                "awsLogicalDeviceId": self.aws_device_v2 or None,
            }
        )


@dataclass(kw_only=True)
class TagSet(Resource):
    """The tags of one resource; `id` is the resource ARN. Order of first insertion is kept."""

    KIND: ClassVar[str] = "tag_set"

    tags: list[dict[str, str]] = field(default_factory=list)

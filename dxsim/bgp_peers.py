"""BGP peers: sessions on a virtual interface, one per address family unless redundancy allows.

Every VIF is born with one peer built from its VIF-level asn/authKey/addresses/addressFamily;
CreateBGPPeer adds more and DeleteBGPPeer removes them, never the last one (B5). A peer walks
`pending → available` (`verifying → available` on a public VIF, B6) and on delete
`deleting → deleted`. `bgpStatus` is derived by the backend's `recompute()`: `up` while the peer is
available and its VIF is available, otherwise `down`.

The helpers here (ASN resolution, address checks and assignment, `add_peer`) are shared with the
VIF modules: `dxsim.virtual_interfaces` builds a VIF's first peer with them, and
`dxsim.vif_changes` checks a moving VIF's peer addresses with `peer_ips`.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any

from dxsim.accounts import Caller
from dxsim.base import BackendBase
from dxsim.exceptions import DirectConnectClientException, InvalidState, NotFound
from dxsim.records import BgpPeer, VirtualInterface
from dxsim.resource import GONE_STATES
from dxsim.validation import (
    AMAZON_SIDE_ASN_RANGES,
    check_address_family,
    check_customer_asn,
    check_long_asn,
    parse_interface,
)
from dxsim.vif_options import check_auth_key

TWO_BYTE_ASN_MAX = 65535
LINK_LOCAL_V4 = ipaddress.IPv4Network("169.254.0.0/16")
AMAZON_V6_POOL = ipaddress.IPv6Network("2600:1f18::/32")


@dataclass(frozen=True)
class PeerSpec:
    """A validated peer configuration, ready to become a `BgpPeer`."""

    asn: int
    asn_long: int
    auth_key: str | None
    address_family: str
    amazon_address: str | None
    customer_address: str | None


def resolve_asn(spec: dict[str, Any], where: str) -> tuple[int, int]:
    """(legacy `asn`, real ASN) from a request struct's `asn`/`asnLong`.

    The reference requires `asn`; the model adds `asnLong` (1–4294967294), which wins when both
    are given. A 4-byte ASN (> 65535) given as `asnLong` reads back as `asn: 0`, as AWS documents.
    """
    asn_long = spec.get("asnLong")
    if asn_long is not None:
        check_long_asn(asn_long, f"{where}.asnLong")
        return (asn_long if asn_long <= TWO_BYTE_ASN_MAX else 0), asn_long
    asn = spec.get("asn")
    if asn is None:
        raise DirectConnectClientException(
            f"{where}.asn is required: BGP ASN must have value greater than or equal to 1 "
            f"(or give {where}.asnLong for a 4-byte ASN)."
        )
    check_customer_asn(asn, f"{where}.asn")
    return asn, asn


def is_private_asn(asn: int) -> bool:
    return any(low <= asn <= high for low, high in AMAZON_SIDE_ASN_RANGES)


def check_addresses(
    family: str, amazon: str | None, customer: str | None, *, public: bool, where: str
) -> None:
    """Peer address rules: IPv6 addresses are Amazon-assigned (V6/B3); IPv4 ones come as a pair
    in CIDR form on one subnet, and a public IPv4 peer must name both (they are public IPs AWS
    verifies)."""
    if family == "ipv6":
        if amazon is not None or customer is not None:
            raise DirectConnectClientException(
                f"Custom IPv6 addresses are not supported: omit {where}.amazonAddress and "
                f"{where}.customerAddress when addressFamily is ipv6; Amazon assigns a /125."
            )
        return
    if amazon is None and customer is None:
        if public:
            raise DirectConnectClientException(
                f"A public IPv4 virtual interface needs both {where}.amazonAddress and "
                f"{where}.customerAddress (public IPs you own, in CIDR notation)."
            )
        return
    if amazon is None or customer is None:
        raise DirectConnectClientException(
            f"Give both {where}.amazonAddress and {where}.customerAddress, or neither to have "
            f"Amazon assign a /30 from 169.254.0.0/16."
        )
    amazon_if = parse_interface(amazon, f"{where}.amazonAddress")
    customer_if = parse_interface(customer, f"{where}.customerAddress")
    for name, value in (("amazonAddress", amazon_if), ("customerAddress", customer_if)):
        if value.version != 4:
            raise DirectConnectClientException(
                f"{where}.{name} {value} is not an IPv4 address but addressFamily is ipv4."
            )
    if amazon_if.network != customer_if.network:
        raise DirectConnectClientException(
            "Amazon Address and Customer Address must be in the same CIDR"
        )
    if amazon_if.ip == customer_if.ip:
        raise DirectConnectClientException("Amazon Address and Customer Address must differ.")
    net = amazon_if.network
    if net.prefixlen < 31:
        for label, value in (("Amazon", amazon_if), ("Customer", customer_if)):
            if value.ip == net.network_address:
                raise DirectConnectClientException(f"{label} Address is address 0 on its subnet.")
            if value.ip == net.broadcast_address:
                raise DirectConnectClientException(
                    f"{label} Address is the broadcast address on its subnet."
                )


def peer_ips(peer: Any) -> set[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    """The IPs a peer (or a VIF's first-peer fields) uses on its VLAN."""
    return {
        ipaddress.ip_interface(addr).ip
        for addr in (peer.amazon_address, peer.customer_address)
        if addr
    }


def add_peer(world: BackendBase, vif: VirtualInterface, spec: PeerSpec, *, state: str) -> BgpPeer:
    """Stores a peer for `vif`, assigning an auth key and any addresses Amazon must pick."""
    amazon, customer = spec.amazon_address, spec.customer_address
    if amazon is None:
        amazon, customer = _assign_addresses(world, vif, spec.address_family)
    return world.add(
        BgpPeer(
            id=world.new_id("bgp_peer"),
            virtual_interface_id=vif.id,
            asn=spec.asn,
            asn_long=spec.asn_long,
            auth_key=spec.auth_key or world.ids.auth_key(),
            address_family=spec.address_family,
            amazon_address=amazon,
            customer_address=customer,
            bgp_peer_state=state,
            aws_device_v2=vif.aws_device_v2,
            created_at=world.now(),
        )
    )


def _assign_addresses(world: BackendBase, vif: VirtualInterface, family: str) -> tuple[str, str]:
    """A free /30 from 169.254.0.0/16 (IPv4) or /125 from Amazon's pool (IPv6): `.1`/`.2`
    resp. `::…1`/`::…6`, as AWS hands them out."""
    taken: set[Any] = set()
    for other in world.vifs_on(vif.connection_id):
        for peer in other.peers(world):
            taken |= peer_ips(peer)
    while True:
        if family == "ipv6":
            offset = int(world.ids.hex(23), 16) << 3
            base6 = AMAZON_V6_POOL.network_address + offset
            amazon_ip: Any = base6 + 1
            customer_ip: Any = base6 + 6
            prefix = 125
        else:
            block = 1 + int(world.ids.hex(4), 16) % (LINK_LOCAL_V4.num_addresses // 4 - 2)
            base4 = LINK_LOCAL_V4.network_address + block * 4
            amazon_ip, customer_ip, prefix = base4 + 1, base4 + 2, 30
        if amazon_ip not in taken and customer_ip not in taken:
            return f"{amazon_ip}/{prefix}", f"{customer_ip}/{prefix}"


class BgpPeerOperations(BackendBase):
    """CreateBGPPeer and DeleteBGPPeer; composed into `DirectConnectBackend`."""

    def create_bgp_peer(
        self,
        caller: Caller,
        *,
        virtual_interface_id: str | None = None,
        new_bgp_peer: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """CreateBGPPeer: another peer on a VIF the caller owns.

        A second peer in an address family needs a carrier with `hasLogicalRedundancy: yes`
        (B2); IPv6 addresses are Amazon-assigned (B3); on a public VIF the ASN must be private or
        one the VIF already uses (B4). The reference marks nothing required, so a missing
        virtualInterfaceId or newBGPPeer is refused here.
        """
        if virtual_interface_id is None:
            raise DirectConnectClientException(
                "virtualInterfaceId is required: name the virtual interface to add the BGP peer to."
            )
        if new_bgp_peer is None:
            raise DirectConnectClientException(
                "newBGPPeer is required: give at least its asn and addressFamily."
            )
        vif = self._peer_vif(caller, virtual_interface_id, "add a BGP peer to")
        family = new_bgp_peer.get("addressFamily")
        if family is None:
            raise DirectConnectClientException(
                "newBGPPeer.addressFamily is required: the possible values are ipv4, ipv6."
            )
        check_address_family(family)
        asn, asn_long = resolve_asn(new_bgp_peer, "newBGPPeer")
        public = vif.virtual_interface_type == "public"
        live = [p for p in vif.peers(self) if p.live]
        if public and not is_private_asn(asn_long) and asn_long not in {p.real_asn for p in live}:
            raise DirectConnectClientException(
                f"BGP ASN {asn_long} is not allowed on public virtual interface {vif.id}: the ASN "
                f"must be private (64512-65534, 4200000000-4294967294) or already used by the "
                f"virtual interface."
            )
        redundancy = getattr(self.carrier(vif.connection_id), "has_logical_redundancy", "no")
        if redundancy != "yes" and any(p.address_family == family for p in live):
            raise DirectConnectClientException(
                f"Virtual interface {vif.id} already has an {family} BGP peer and "
                f"{vif.connection_id} does not support logical redundancy "
                f"(hasLogicalRedundancy: {redundancy}); a second peer in the same address "
                f"family is not allowed."
            )
        if new_bgp_peer.get("authKey") is not None:
            check_auth_key(new_bgp_peer["authKey"], "newBGPPeer.authKey")
        amazon = new_bgp_peer.get("amazonAddress")
        customer = new_bgp_peer.get("customerAddress")
        check_addresses(family, amazon, customer, public=public, where="newBGPPeer")
        if customer is not None and any(
            peer_ips(p) & peer_ips(_Addresses(amazon, customer)) for p in live
        ):
            raise DirectConnectClientException(
                f"The addresses {amazon} / {customer} are already used by a BGP peer on "
                f"virtual interface {vif.id}."
            )
        spec = PeerSpec(asn, asn_long, new_bgp_peer.get("authKey"), family, amazon, customer)
        peer = add_peer(self, vif, spec, state="verifying" if public else "pending")
        self.schedule(peer, "available")
        return {"virtualInterface": vif.to_wire(self)}

    def delete_bgp_peer(
        self,
        caller: Caller,
        *,
        virtual_interface_id: str | None = None,
        asn: int | None = None,
        asn_long: int | None = None,
        customer_address: str | None = None,
        bgp_peer_id: str | None = None,
    ) -> dict[str, Any]:
        """DeleteBGPPeer by `bgpPeerId`, or by virtualInterfaceId + ASN + customer address (B5).

        `bgpPeerId` takes precedence; any other identifying value given with it must match the
        peer. The last live peer of a VIF cannot be deleted.
        """
        wanted_asn = asn_long if asn_long is not None else asn
        if bgp_peer_id is not None:
            peer = self.bgp_peers.get(bgp_peer_id)
            if peer is None:
                raise NotFound(f"BGP peer {bgp_peer_id} does not exist")
            try:
                vif = self._peer_vif(caller, peer.virtual_interface_id, "delete a peer of")
            except NotFound:
                raise NotFound(f"BGP peer {bgp_peer_id} does not exist") from None
            mismatched = [
                name
                for name, given, actual in (
                    ("virtualInterfaceId", virtual_interface_id, vif.id),
                    ("asn", wanted_asn, peer.real_asn),
                    ("customerAddress", customer_address, peer.customer_address),
                )
                if given is not None and given != actual
            ]
            if mismatched:
                raise DirectConnectClientException(
                    f"BGP peer {bgp_peer_id} does not match the given {', '.join(mismatched)}."
                )
        else:
            if virtual_interface_id is None or wanted_asn is None or customer_address is None:
                raise DirectConnectClientException(
                    "DeleteBGPPeer needs bgpPeerId, or virtualInterfaceId together with asn "
                    "(or asnLong) and customerAddress."
                )
            vif = self._peer_vif(caller, virtual_interface_id, "delete a peer of")
            found = [
                p
                for p in vif.peers(self)
                if p.live and p.real_asn == wanted_asn and p.customer_address == customer_address
            ]
            if not found:
                raise NotFound(
                    f"BGP peer with asn {wanted_asn} and customerAddress {customer_address} "
                    f"does not exist on virtual interface {vif.id}"
                )
            peer = found[0]
        if not peer.live:
            return {"virtualInterface": vif.to_wire(self)}
        if sum(1 for p in vif.peers(self) if p.live) <= 1:
            raise InvalidState("The last BGP Peer on a Virtual Interface cannot be deleted")
        peer.bgp_peer_state = "deleting"
        self.schedule(peer, "deleted")
        return {"virtualInterface": vif.to_wire(self)}

    def _peer_vif(self, caller: Caller, vif_id: str, action: str) -> VirtualInterface:
        """A VIF the caller owns and that is still in service (peers are the owner's to set)."""
        vif = self.get_virtual_interface(caller, vif_id)
        if vif.owner_account != caller.account:
            raise DirectConnectClientException(
                f"Only the owner of virtual interface {vif.id} (account {vif.owner_account}) "
                f"can {action} it."
            )
        if vif.virtual_interface_state in GONE_STATES | {"confirming"}:
            raise InvalidState(
                f"Virtual interface {vif.id} is in state {vif.virtual_interface_state}; "
                f"cannot {action} it."
            )
        return vif


@dataclass(frozen=True)
class _Addresses:
    amazon_address: str | None
    customer_address: str | None

"""Virtual interfaces (private and public), hosted VIF allocation and confirmation.

A VIF rides on a connection, a hosted connection or a LAG (its "carrier"). Lifecycles:
private create `pending → available`; public create `verifying → pending → available`;
allocate (by the connection owner, for another account) `confirming`, then the owner confirms
(private `pending → available`, public `verifying → pending → available`) or deletes it
(`rejected`, V5); delete otherwise `deleting → deleted`, and deleted VIFs stay listed for 15
simulated minutes (V15, the backend's purge). `available ↔ down` follows the carrier's link,
derived by the backend's `recompute()`.

The VIF-level asn/authKey/addresses/addressFamily mirror the VIF's first live BGP peer; every VIF
is created with that peer (see `dxsim.bgp_peers`). A private VIF on a Direct Connect gateway
gets a `GatewayAttachment` (`attaching → attached`, and `detaching → detached` on delete).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dxsim.accounts import Caller
from dxsim.base import BackendBase
from dxsim.bgp_peers import PeerSpec, add_peer, check_addresses, peer_ips, resolve_asn
from dxsim.exceptions import DirectConnectClientException, InvalidState
from dxsim.gateway_records import GatewayAttachment
from dxsim.records import Connection, Lag, VirtualInterface
from dxsim.resource import GONE_STATES
from dxsim.validation import (
    check_account,
    check_address_family,
    check_cidr,
    check_mtu,
    check_name,
    check_vlan,
)

VIF_NAME_MAX = 100
MAX_VIFS_DEDICATED = 50
MAX_VIFS_HOSTED = 1
DEFAULT_MTU = 1500
JUMBO_MTU = 9001
VGW_AMAZON_SIDE_ASN = 64512
PUBLIC_AMAZON_SIDE_ASN = 7224

Carrier = Connection | Lag


@dataclass(frozen=True)
class _Target:
    """Where a private VIF terminates: a VGW or a DX gateway (validated, not yet attached)."""

    virtual_gateway_id: str = ""
    direct_connect_gateway_id: str = ""
    amazon_side_asn: int | None = None


class VirtualInterfaceOperations(BackendBase):
    """The VIF operations of the reference; composed into `DirectConnectBackend`."""

    # -- create / allocate --------------------------------------------------------------------
    def create_private_virtual_interface(
        self, caller: Caller, *, connection_id: str, new_private_virtual_interface: dict[str, Any]
    ) -> dict[str, Any]:
        """CreatePrivateVirtualInterface: `pending → available`, on exactly one of a VGW in the
        caller's account and Region or an available DX gateway of the caller (V7)."""
        spec = new_private_virtual_interface
        carrier = self._vif_carrier(caller, connection_id)
        target = self._vif_target(
            caller,
            spec.get("virtualGatewayId"),
            spec.get("directConnectGatewayId"),
            where="newPrivateVirtualInterface",
            required=True,
        )
        vif = self._vif_new(
            caller,
            carrier,
            spec,
            where="newPrivateVirtualInterface",
            vif_type="private",
            owner=caller.account,
            state="pending",
        )
        self._vif_attach(vif, target)
        self._vif_activate(vif, "pending", "available")
        return vif.to_wire(self)

    def create_public_virtual_interface(
        self, caller: Caller, *, connection_id: str, new_public_virtual_interface: dict[str, Any]
    ) -> dict[str, Any]:
        """CreatePublicVirtualInterface: `verifying → pending → available` (V8)."""
        carrier = self._vif_carrier(caller, connection_id)
        vif = self._vif_new(
            caller,
            carrier,
            new_public_virtual_interface,
            where="newPublicVirtualInterface",
            vif_type="public",
            owner=caller.account,
            state="verifying",
        )
        self._vif_activate(vif, "verifying", "pending", "available")
        return vif.to_wire(self)

    def allocate_private_virtual_interface(
        self,
        caller: Caller,
        *,
        connection_id: str,
        owner_account: str,
        new_private_virtual_interface_allocation: dict[str, Any],
    ) -> dict[str, Any]:
        """AllocatePrivateVirtualInterface: a hosted VIF for another account, `confirming` until
        that account confirms it (V1, V3); the VGW/DX gateway is chosen at confirm."""
        return self._vif_allocate(
            caller,
            connection_id,
            owner_account,
            new_private_virtual_interface_allocation,
            where="newPrivateVirtualInterfaceAllocation",
            vif_type="private",
        )

    def allocate_public_virtual_interface(
        self,
        caller: Caller,
        *,
        connection_id: str,
        owner_account: str,
        new_public_virtual_interface_allocation: dict[str, Any],
    ) -> dict[str, Any]:
        """AllocatePublicVirtualInterface: a hosted public VIF, `confirming` (V2, V3)."""
        return self._vif_allocate(
            caller,
            connection_id,
            owner_account,
            new_public_virtual_interface_allocation,
            where="newPublicVirtualInterfaceAllocation",
            vif_type="public",
        )

    # -- confirm ------------------------------------------------------------------------------
    def confirm_private_virtual_interface(
        self,
        caller: Caller,
        *,
        virtual_interface_id: str,
        virtual_gateway_id: str | None = None,
        direct_connect_gateway_id: str | None = None,
    ) -> dict[str, Any]:
        """ConfirmPrivateVirtualInterface: the owner accepts a `confirming` VIF, optionally on a
        VGW or a DX gateway (at most one); it goes `pending → available` (V4)."""
        vif = self._vif_confirmable(caller, virtual_interface_id, "private")
        target = self._vif_target(
            caller, virtual_gateway_id, direct_connect_gateway_id, where="", required=False
        )
        self._vif_attach(vif, target)
        self._vif_activate(vif, "pending", "available")
        return {"virtualInterfaceState": vif.virtual_interface_state}

    def confirm_public_virtual_interface(
        self, caller: Caller, *, virtual_interface_id: str
    ) -> dict[str, Any]:
        """ConfirmPublicVirtualInterface: `confirming → verifying → pending → available` (V4)."""
        vif = self._vif_confirmable(caller, virtual_interface_id, "public")
        self._vif_activate(vif, "verifying", "pending", "available")
        return {"virtualInterfaceState": vif.virtual_interface_state}

    # -- associate / update / delete / describe -----------------------------------------------
    def associate_virtual_interface(
        self, caller: Caller, *, virtual_interface_id: str, connection_id: str
    ) -> dict[str, Any]:
        """AssociateVirtualInterface: moves a VIF to another connection or LAG.

        The requester must own the VIF or its current connection, and own the target (V14); the
        target must have no live VIF with the same VLAN or an overlapping peer address (V12); a
        VIF on a hosted connection cannot move to a LAG (V13).
        """
        vif = self.get_virtual_interface(caller, virtual_interface_id)
        if vif.virtual_interface_state in GONE_STATES:
            raise InvalidState(
                f"Virtual interface {vif.id} is in state {vif.virtual_interface_state} and "
                f"cannot be associated."
            )
        target = self._vif_carrier(caller, connection_id)
        if target.id == vif.connection_id:
            return vif.to_wire(self)
        current = self.carrier(vif.connection_id)
        if isinstance(current, Connection) and current.is_hosted and isinstance(target, Lag):
            raise DirectConnectClientException(
                f"Virtual interface {vif.id} is on hosted connection {current.id}: virtual "
                f"interfaces associated with a hosted connection cannot be associated with a "
                f"LAG; migrate the hosted connection with AssociateHostedConnection."
            )
        if target.region != vif.region:
            raise DirectConnectClientException(
                f"{target.id} is in {target.region}, virtual interface {vif.id} in {vif.region}."
            )
        user = self._vif_vlan_user(target.id, vif.vlan)
        if user is not None:
            raise DirectConnectClientException(
                f"{target.id} already has {user} on VLAN {vif.vlan}; the VLAN conflicts."
            )
        mine = set().union(*(peer_ips(p) for p in vif.peers(self) if p.live))
        for other in self.vifs_on(target.id):
            theirs = set().union(*(peer_ips(p) for p in other.peers(self) if p.live))
            if mine & theirs:
                raise DirectConnectClientException(
                    f"{target.id} already has virtual interface {other.id} using IP address "
                    f"{', '.join(sorted(str(ip) for ip in mine & theirs))}; the address conflicts."
                )
        self._vif_quota(target)
        vif.connection_id = target.id
        vif.location = target.location
        vif.aws_device_v2 = target.aws_device_v2
        for peer in vif.peers(self):
            peer.aws_device_v2 = target.aws_device_v2
        return vif.to_wire(self)

    def update_virtual_interface_attributes(
        self, caller: Caller, *, virtual_interface_id: str, mtu: int | None = None
    ) -> dict[str, Any]:
        """UpdateVirtualInterfaceAttributes: the MTU of a private VIF (1500 or 9001).

        9001 makes the carrier jumbo-frame capable if it was not (V11). A public VIF's MTU is
        fixed at 1500.
        """
        vif = self.get_virtual_interface(caller, virtual_interface_id)
        if vif.owner_account != caller.account:
            raise DirectConnectClientException(
                f"Only the owner of virtual interface {vif.id} (account {vif.owner_account}) can "
                f"update its attributes."
            )
        if vif.virtual_interface_state in GONE_STATES:
            raise InvalidState(
                f"Virtual interface {vif.id} is in state {vif.virtual_interface_state} and "
                f"cannot be updated."
            )
        if mtu is None:
            return vif.to_wire(self)
        check_mtu(mtu)
        if vif.virtual_interface_type == "public" and mtu != DEFAULT_MTU:
            raise DirectConnectClientException(
                f"mtu {mtu} is not valid for public virtual interface {vif.id}: the MTU of a "
                f"public virtual interface is fixed at {DEFAULT_MTU}."
            )
        vif.mtu = mtu
        if mtu == JUMBO_MTU:
            self._vif_make_jumbo(vif.connection_id)
        return vif.to_wire(self)

    def delete_virtual_interface(
        self, caller: Caller, *, virtual_interface_id: str
    ) -> dict[str, Any]:
        """DeleteVirtualInterface.

        The owner deleting a `confirming` VIF declines it: `rejected` (V5). Otherwise `deleting`
        (V16) → `deleted`, its peers likewise, and a DX gateway attachment `detaching →
        detached`. Deleting a VIF already on its way out returns its current state.
        """
        vif = self.get_virtual_interface(caller, virtual_interface_id)
        state = vif.virtual_interface_state
        if state in GONE_STATES:
            return {"virtualInterfaceState": state}
        if state == "confirming" and caller.account == vif.owner_account:
            vif.virtual_interface_state = "rejected"
            vif.transitions = []
            for peer in vif.peers(self):
                peer.bgp_peer_state = "deleted"
                peer.transitions = []
            return {"virtualInterfaceState": vif.virtual_interface_state}
        vif.virtual_interface_state = "deleting"
        self.schedule(vif, "deleted")
        for peer in vif.peers(self):
            if peer.bgp_peer_state != "deleted":
                peer.bgp_peer_state = "deleting"
                self.schedule(peer, "deleted")
        attachment = self.gateway_attachments.get(f"{vif.direct_connect_gateway_id}/{vif.id}")
        if attachment is not None and attachment.attachment_state in ("attaching", "attached"):
            attachment.attachment_state = "detaching"
            self.schedule(attachment, "detached")
        return {"virtualInterfaceState": vif.virtual_interface_state}

    def describe_virtual_interfaces(
        self,
        caller: Caller,
        *,
        connection_id: str | None = None,
        virtual_interface_id: str | None = None,
    ) -> dict[str, Any]:
        """DescribeVirtualInterfaces: the VIFs the caller owns plus those on its connections and
        LAGs, in the caller's Region, including ones deleted less than 15 minutes ago (V15).
        Filters by connection/LAG and by VIF combine."""
        if virtual_interface_id is not None:
            vifs = [self.get_virtual_interface(caller, virtual_interface_id)]
        else:
            vifs = [
                v
                for v in self.virtual_interfaces.values()
                if v.region == caller.region
                and (
                    v.owner_account == caller.account
                    or self.owner_of(v.connection_id) == caller.account
                )
            ]
        if connection_id is not None:
            vifs = [v for v in vifs if v.connection_id == connection_id]
        vifs.sort(key=lambda v: (v.created_at, v.id))
        return {"virtualInterfaces": [v.to_wire(self) for v in vifs]}

    # -- helpers ------------------------------------------------------------------------------
    def _vif_allocate(
        self,
        caller: Caller,
        connection_id: str,
        owner_account: str,
        spec: dict[str, Any],
        *,
        where: str,
        vif_type: str,
    ) -> dict[str, Any]:
        check_account(owner_account)
        carrier = self._vif_carrier(caller, connection_id)
        if owner_account == caller.account:
            raise DirectConnectClientException(
                "Cannot allocate VirtualInterface for the connection owner."
            )
        vif = self._vif_new(
            caller,
            carrier,
            spec,
            where=where,
            vif_type=vif_type,
            owner=owner_account,
            state="confirming",
        )
        vif.allocated_by = caller.account
        return vif.to_wire(self)

    def _vif_carrier(self, caller: Caller, carrier_id: str) -> Carrier:
        """The connection, hosted connection or LAG `carrier_id`, owned by the caller and in
        service (not deleting, deleted or rejected)."""
        carrier: Carrier
        if carrier_id.startswith("dxlag-"):
            carrier = self.get_lag(caller, carrier_id)
        else:
            carrier = self.get_connection(caller, carrier_id)
        if carrier.owner_account != caller.account:
            raise DirectConnectClientException(
                f"Connection {carrier_id} belongs to account {carrier.owner_account}; only the "
                f"owner of a connection or LAG can put virtual interfaces on it."
            )
        if carrier.state in GONE_STATES:
            raise InvalidState(
                f"{carrier_id} is in state {carrier.state}; virtual interfaces need a connection "
                f"or LAG that is not deleting, deleted or rejected."
            )
        return carrier

    def _vif_vlan_user(self, carrier_id: str, vlan: int) -> str | None:
        """What already uses `vlan` on a connection or LAG: a live VIF, or on a LAG a live
        hosted connection (they share the LAG's VLAN space)."""
        for vif in self.vifs_on(carrier_id):
            if vif.vlan == vlan:
                return f"virtual interface {vif.id}"
        for conn in self.hosted_on(carrier_id):
            if conn.vlan == vlan:
                return f"hosted connection {conn.id}"
        return None

    def _vif_quota(self, carrier: Carrier) -> None:
        hosted = isinstance(carrier, Connection) and carrier.is_hosted
        limit = MAX_VIFS_HOSTED if hosted else MAX_VIFS_DEDICATED
        if len(self.vifs_on(carrier.id)) >= limit:
            kind = "hosted connection" if hosted else "connection or LAG"
            raise DirectConnectClientException(
                f"{carrier.id} already has {limit} virtual interface(s), the maximum for a {kind}."
            )

    def _vif_new(
        self,
        caller: Caller,
        carrier: Carrier,
        spec: dict[str, Any],
        *,
        where: str,
        vif_type: str,
        owner: str,
        state: str,
    ) -> VirtualInterface:
        """Validates a New*VirtualInterface(+Allocation) struct, then stores the VIF and its
        first BGP peer. Nothing is stored unless every check passes."""
        name = spec["virtualInterfaceName"]
        vlan = spec["vlan"]
        check_name(name, f"{where}.virtualInterfaceName", VIF_NAME_MAX)
        check_vlan(vlan, f"{where}.vlan")
        user = self._vif_vlan_user(carrier.id, vlan)
        if user is not None:
            raise DirectConnectClientException(
                f"VLAN {vlan} is already in use on {carrier.id} by {user}; choose another "
                f"{where}.vlan."
            )
        self._vif_quota(carrier)
        asn, asn_long = resolve_asn(spec, where)
        mtu = spec.get("mtu")
        if mtu is not None:
            check_mtu(mtu)
        family = spec.get("addressFamily") or "ipv4"
        check_address_family(family)
        amazon, customer = spec.get("amazonAddress"), spec.get("customerAddress")
        check_addresses(family, amazon, customer, public=vif_type == "public", where=where)
        prefixes = [p.get("cidr", "") for p in spec.get("routeFilterPrefixes") or []]
        for cidr in prefixes:
            check_cidr(cidr, f"{where}.routeFilterPrefixes.cidr")
        vif = self.add(
            VirtualInterface(
                id=self.new_id("virtual_interface"),
                owner_account=owner,
                connection_id=carrier.id,
                location=carrier.location,
                region=caller.region,
                virtual_interface_type=vif_type,
                virtual_interface_name=name,
                vlan=vlan,
                asn=asn,
                asn_long=asn_long,
                amazon_side_asn=PUBLIC_AMAZON_SIDE_ASN if vif_type == "public" else None,
                address_family=family,
                virtual_interface_state=state,
                mtu=mtu or DEFAULT_MTU,
                jumbo_frame_capable=carrier.jumbo_frame_capable,
                route_filter_prefixes=prefixes,
                aws_device_v2=carrier.aws_device_v2,
                created_at=self.now(),
            )
        )
        peer_spec = PeerSpec(asn, asn_long, spec.get("authKey"), family, amazon, customer)
        peer = add_peer(self, vif, peer_spec, state="pending")
        vif.auth_key = peer.auth_key
        vif.amazon_address = peer.amazon_address
        vif.customer_address = peer.customer_address
        if vif.mtu == JUMBO_MTU:
            self._vif_make_jumbo(carrier.id)
        return vif

    def _vif_target(
        self,
        caller: Caller,
        vgw_id: str | None,
        dxgw_id: str | None,
        *,
        where: str,
        required: bool,
    ) -> _Target:
        """Checks the VGW / DX gateway choice without attaching anything yet (V7)."""
        prefix = f"{where}." if where else ""
        if vgw_id and dxgw_id:
            raise DirectConnectClientException(
                f"Give either {prefix}virtualGatewayId or {prefix}directConnectGatewayId, not "
                f"both: a private virtual interface attaches to one gateway."
            )
        if vgw_id:
            self.get_virtual_gateway(caller, vgw_id)
            return _Target(virtual_gateway_id=vgw_id, amazon_side_asn=VGW_AMAZON_SIDE_ASN)
        if dxgw_id:
            gateway = self.get_gateway(caller, dxgw_id)
            if gateway.direct_connect_gateway_state != "available":
                raise InvalidState(
                    f"Direct Connect Gateway {dxgw_id} is in state "
                    f"{gateway.direct_connect_gateway_state}; it must be available."
                )
            return _Target(
                direct_connect_gateway_id=dxgw_id, amazon_side_asn=gateway.amazon_side_asn
            )
        if required:
            raise DirectConnectClientException(
                f"A private virtual interface needs {prefix}virtualGatewayId or "
                f"{prefix}directConnectGatewayId (exactly one)."
            )
        return _Target()

    def _vif_attach(self, vif: VirtualInterface, target: _Target) -> None:
        vif.virtual_gateway_id = target.virtual_gateway_id
        vif.direct_connect_gateway_id = target.direct_connect_gateway_id
        if target.amazon_side_asn is not None:
            vif.amazon_side_asn = target.amazon_side_asn
        if target.direct_connect_gateway_id:
            attachment = self.add(
                GatewayAttachment(
                    id=f"{target.direct_connect_gateway_id}/{vif.id}",
                    direct_connect_gateway_id=target.direct_connect_gateway_id,
                    virtual_interface_id=vif.id,
                    virtual_interface_region=vif.region,
                    virtual_interface_owner_account=vif.owner_account,
                    created_at=self.now(),
                )
            )
            self.schedule(attachment, "attached")

    def _vif_activate(self, vif: VirtualInterface, first: str, *then: str) -> None:
        """Puts the VIF in `first` and plans `then`; its peers become available alongside
        (a public VIF's peers verify first, B6)."""
        vif.virtual_interface_state = first
        self.schedule(vif, *then)
        public = vif.virtual_interface_type == "public"
        for peer in vif.peers(self):
            if peer.live:
                peer.bgp_peer_state = "verifying" if public else "pending"
                self.schedule(peer, "available")

    def _vif_confirmable(self, caller: Caller, vif_id: str, vif_type: str) -> VirtualInterface:
        vif = self.get_virtual_interface(caller, vif_id)
        operation = f"Confirm{vif_type.capitalize()}VirtualInterface"
        if vif.owner_account != caller.account:
            raise DirectConnectClientException(
                f"{operation} failed: only the owner of virtual interface {vif.id} (account "
                f"{vif.owner_account}) can confirm it."
            )
        if vif.virtual_interface_type != vif_type:
            raise DirectConnectClientException(
                f"{operation} failed: {vif.id} is a {vif.virtual_interface_type} virtual "
                f"interface; use Confirm{vif.virtual_interface_type.capitalize()}"
                f"VirtualInterface."
            )
        if vif.virtual_interface_state != "confirming":
            raise InvalidState(
                f"{operation} failed. {vif.id} is in state {vif.virtual_interface_state}"
            )
        return vif

    def _vif_make_jumbo(self, carrier_id: str) -> None:
        """MTU 9001 updates the underlying connection (and a LAG's members) if needed (V11)."""
        carrier: Any = self.carrier(carrier_id)
        if carrier is None:
            return
        targets: list[Any] = [carrier]
        if isinstance(carrier, Lag):
            targets += carrier.members(self)
        for resource in targets:
            if not resource.jumbo_frame_capable:
                resource.jumbo_frame_capable = True

"""Virtual interfaces (private and public): creation, hosted VIF allocation and confirmation,
and listing; plus the helpers the transit VIF operations (`dxsim.transit_virtual_interfaces`)
share.

A VIF rides on a connection, a hosted connection or a LAG (its "carrier", `dxsim.vif_carriers`).
Lifecycles: private create `pending → available`; public create `verifying → pending →
available`; allocate (by the connection owner, for another account) `confirming`, then the owner
confirms (private `pending → available`, public `verifying → pending → available`) or deletes it
(`rejected`, V5). Moving, updating and deleting VIFs are in `dxsim.vif_changes`. `available ↔
down` follows the carrier's link, derived by the backend's `recompute()`.

The VIF-level asn/authKey/addresses/addressFamily mirror the VIF's first live BGP peer; every VIF
is created with that peer (see `dxsim.bgp_peers`). A private or transit VIF on a Direct Connect
gateway gets a `GatewayAttachment` (`attaching → attached`, and `detaching → detached` on
delete); a gateway carries private or transit VIFs, never both, and at most 30. Today's members
of the New* structs are all honoured: `tags` (checked before anything is created, stored under
the VIF owner's ARN), `asnLong`, `enableSiteLink`, the prefix pools and `rateLimit`
(`dxsim.vif_options`). A VGW must be `available` (EC2 state, `dxsim.ec2`) to take a VIF.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dxsim.accounts import Caller
from dxsim.bgp_peers import PeerSpec, add_peer, check_addresses, resolve_asn
from dxsim.exceptions import (
    DirectConnectClientException,
    DXError,
    InvalidState,
    LimitExceededException,
)
from dxsim.gateway_records import DirectConnectGateway, GatewayAttachment
from dxsim.paging import page_answer
from dxsim.records import VirtualInterface
from dxsim.resource import GONE_STATES
from dxsim.validation import (
    check_account,
    check_address_family,
    check_cidr,
    check_name,
    check_vlan,
)
from dxsim.vif_carriers import DEFAULT_MTU, Carrier, VifCarrierRules
from dxsim.vif_options import check_auth_key, check_options, check_vif_mtu

VIF_NAME_MAX = 100
PUBLIC_AMAZON_SIDE_ASN = 7224
# Private and transit VIFs attached to one DX gateway (UG limits).
MAX_VIFS_PER_GATEWAY = 30


@dataclass(frozen=True)
class _Target:
    """Where a private VIF terminates: a VGW or a DX gateway (validated, not yet attached)."""

    virtual_gateway_id: str = ""
    direct_connect_gateway_id: str = ""
    amazon_side_asn: int | None = None


class VirtualInterfaceOperations(VifCarrierRules):
    """The VIF operations that bring VIFs into being, and DescribeVirtualInterfaces; composed into
    `DirectConnectBackend`."""

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

    # -- describe -----------------------------------------------------------------------------
    def describe_virtual_interfaces(
        self,
        caller: Caller,
        *,
        connection_id: str | None = None,
        virtual_interface_id: str | None = None,
        max_results: int | None = None,
        next_token: str | None = None,
    ) -> dict[str, Any]:
        """DescribeVirtualInterfaces: the VIFs the caller owns plus those on its connections and
        LAGs, in the caller's Region, including ones deleted less than 15 minutes ago (V15).
        Filters by connection/LAG and by VIF combine. Without `maxResults` every VIF comes in
        one answer, as before paging existed (Terraform calls it once)."""
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
        return page_answer(
            "virtualInterfaces",
            vifs,
            lambda v: v.to_wire(self),
            scope=f"vifs/{caller.account}/{caller.region}/{connection_id}/{virtual_interface_id}",
            max_results=max_results,
            next_token=next_token,
            default_size=None,
        )

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
        """Validates a New*VirtualInterface(+Allocation) struct, then stores the VIF, its first
        BGP peer and its tags. Nothing is stored unless every check passes."""
        name, vlan = spec.get("virtualInterfaceName"), spec.get("vlan")
        if name is None or vlan is None:
            member = "virtualInterfaceName" if name is None else "vlan"
            raise DirectConnectClientException(f"{where}.{member} is required.")
        tags = self.check_new_tags(spec.get("tags"), f"Virtual interface {name!r}")
        check_name(name, f"{where}.virtualInterfaceName", VIF_NAME_MAX)
        check_vlan(vlan, f"{where}.vlan")
        user = self._vif_vlan_user(carrier.id, vlan)
        if user is not None:
            raise DirectConnectClientException(
                f"VLAN {vlan} is already in use on {carrier.id} by {user}; choose another "
                f"{where}.vlan."
            )
        self._vif_quota(carrier, vif_type)
        asn, asn_long = resolve_asn(spec, where)
        mtu = spec.get("mtu")
        if mtu is not None:
            check_vif_mtu(mtu, vif_type, f"{where}.mtu")
        if spec.get("authKey") is not None:
            check_auth_key(spec["authKey"], f"{where}.authKey")
        options = check_options(
            spec,
            vif_type=vif_type,
            where=where,
            carrier_id=carrier.id,
            carrier_mbps=self._carrier_mbps(carrier),
        )
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
                # a transit VIF shows 7224 until it is on a DX gateway (cli example)
                amazon_side_asn=None if vif_type == "private" else PUBLIC_AMAZON_SIDE_ASN,
                address_family=family,
                virtual_interface_state=state,
                mtu=mtu or DEFAULT_MTU,
                jumbo_frame_capable=carrier.jumbo_frame_capable,
                route_filter_prefixes=prefixes,
                aws_device_v2=carrier.aws_device_v2,
                created_at=self.now(),
                site_link_enabled=bool(options.site_link),
                prefix_pool_ipv4=options.prefix_pool_ipv4,
                prefix_pool_ipv6=options.prefix_pool_ipv6,
                rate_limit=options.rate_limit,
            )
        )
        self.tag_new(vif.arn, tags)
        peer_spec = PeerSpec(asn, asn_long, spec.get("authKey"), family, amazon, customer)
        peer = add_peer(self, vif, peer_spec, state="pending")
        vif.auth_key = peer.auth_key
        vif.amazon_address = peer.amazon_address
        vif.customer_address = peer.customer_address
        if vif.mtu > DEFAULT_MTU:
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
        vif_type: str = "private",
    ) -> _Target:
        """Checks the VGW / DX gateway choice without attaching anything yet (V7): the VGW must
        be available, the DX gateway available, carrying nothing of the other kind and below
        its VIF quota."""
        prefix = f"{where}." if where else ""
        if vgw_id and dxgw_id:
            raise DirectConnectClientException(
                f"Give either {prefix}virtualGatewayId or {prefix}directConnectGatewayId, not "
                f"both: a private virtual interface attaches to one gateway."
            )
        if vgw_id:
            vgw = self.get_virtual_gateway(caller, vgw_id)
            if vgw.virtual_gateway_state != "available":
                raise InvalidState(
                    f"The VirtualGateway {vgw.id} is in state {vgw.virtual_gateway_state}; a "
                    f"virtual interface can only use an available virtual private gateway."
                )
            return _Target(virtual_gateway_id=vgw_id, amazon_side_asn=vgw.amazon_side_asn)
        if dxgw_id:
            gateway = self.get_gateway(caller, dxgw_id)
            if gateway.direct_connect_gateway_state != "available":
                raise InvalidState(
                    f"Direct Connect Gateway {dxgw_id} is in state "
                    f"{gateway.direct_connect_gateway_state}; it must be available."
                )
            self._vif_gateway_room(gateway, vif_type)
            return _Target(
                direct_connect_gateway_id=dxgw_id, amazon_side_asn=gateway.amazon_side_asn
            )
        if required:
            raise DirectConnectClientException(
                f"A private virtual interface needs {prefix}virtualGatewayId or "
                f"{prefix}directConnectGatewayId (exactly one)."
            )
        return _Target()

    def _vif_gateway_room(self, gateway: DirectConnectGateway, vif_type: str) -> None:
        """A DX gateway carries private VIFs/VGWs or transit VIFs/TGWs, never both (UG
        direct-connect-transit-gateways), and at most 30 VIFs."""
        carries = self.gateway_carries(gateway.id)
        if carries is not None and carries != vif_type:
            other = (
                "associated with a transit gateway or attached to a transit virtual interface"
                if carries == "transit"
                else "associated with a virtual private gateway or attached to a private "
                "virtual interface"
            )
            raise DirectConnectClientException(
                f"Direct Connect Gateway {gateway.id} is already {other}; a {vif_type} virtual "
                f"interface cannot be attached to it. A Direct Connect gateway carries either "
                f"private or transit traffic, not both."
            )
        attached = [
            a
            for a in self.gateway_attachments.values()
            if a.direct_connect_gateway_id == gateway.id
            and a.attachment_state in ("attaching", "attached")
            and a.virtual_interface_id in self.virtual_interfaces
            and self.virtual_interfaces[a.virtual_interface_id].virtual_interface_state
            not in GONE_STATES
        ]
        if len(attached) >= MAX_VIFS_PER_GATEWAY:
            error: type[DXError] = DirectConnectClientException
            if vif_type == "transit":
                error = LimitExceededException
            raise error(
                f"Direct Connect Gateway {gateway.id} already has {MAX_VIFS_PER_GATEWAY} virtual "
                f"interfaces attached, the maximum for a Direct Connect gateway."
            )

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

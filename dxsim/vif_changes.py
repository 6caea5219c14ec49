"""Changes to existing virtual interfaces: moving one to another connection or LAG, its
attributes (MTU, name, SiteLink, prefix pools, rate limit), and deleting it.

Deleting a `confirming` VIF is how its owner declines it (`rejected`, V5); any other delete
takes it `deleting → deleted` (V16) with its BGP peers, and detaches it from its Direct Connect
gateway (`detaching → detached`). Deleted VIFs stay listed for 15 simulated minutes (V15, the
backend's purge). Creation, allocation and confirmation are in `dxsim.virtual_interfaces` and
`dxsim.transit_virtual_interfaces`; all VIF types (private, public, transit) go through here.
"""

from __future__ import annotations

from typing import Any

from dxsim.accounts import Caller
from dxsim.bgp_peers import peer_ips
from dxsim.exceptions import DirectConnectClientException, InvalidState
from dxsim.records import Connection, Lag
from dxsim.resource import GONE_STATES
from dxsim.validation import check_name
from dxsim.vif_carriers import DEFAULT_MTU, VifCarrierRules
from dxsim.vif_options import check_options, check_vif_mtu

VIF_NAME_MAX = 100


class VirtualInterfaceChangeOperations(VifCarrierRules):
    """AssociateVirtualInterface, UpdateVirtualInterfaceAttributes and DeleteVirtualInterface;
    composed into `DirectConnectBackend`."""

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
        self._vif_quota(target, vif.virtual_interface_type)
        vif.connection_id = target.id
        vif.location = target.location
        vif.aws_device_v2 = target.aws_device_v2
        for peer in vif.peers(self):
            peer.aws_device_v2 = target.aws_device_v2
        return vif.to_wire(self)

    def update_virtual_interface_attributes(
        self,
        caller: Caller,
        *,
        virtual_interface_id: str,
        mtu: int | None = None,
        enable_site_link: bool | None = None,
        virtual_interface_name: str | None = None,
        prefix_pool_allocated_count_ipv4: int | None = None,
        prefix_pool_allocated_count_ipv6: int | None = None,
        rate_limit: str | None = None,
    ) -> dict[str, Any]:
        """UpdateVirtualInterfaceAttributes: MTU, SiteLink, name, prefix pools and rate limit.

        MTU: private 1500 or 9001, transit 1500 or 8500, public fixed at 1500; a jumbo value
        makes the carrier jumbo-frame capable if it was not (V11). SiteLink and prefix pools
        apply to private and transit VIFs only; the rate limit cannot exceed the carrier's
        bandwidth. Every member is checked before any is applied.
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
        if mtu is not None:
            check_vif_mtu(mtu, vif.virtual_interface_type)
        if virtual_interface_name is not None:
            check_name(virtual_interface_name, "virtualInterfaceName", VIF_NAME_MAX)
        carrier: Any = self.carrier(vif.connection_id)
        options = check_options(
            {
                "enableSiteLink": enable_site_link,
                "prefixPoolAllocatedCountIpv4": prefix_pool_allocated_count_ipv4,
                "prefixPoolAllocatedCountIpv6": prefix_pool_allocated_count_ipv6,
                "rateLimit": rate_limit,
            },
            vif_type=vif.virtual_interface_type,
            where="",
            carrier_id=vif.connection_id,
            carrier_mbps=None if carrier is None else self._carrier_mbps(carrier),
        )
        if virtual_interface_name is not None:
            vif.virtual_interface_name = virtual_interface_name
        if options.site_link is not None:
            vif.site_link_enabled = options.site_link
        if options.prefix_pool_ipv4 is not None:
            vif.prefix_pool_ipv4 = options.prefix_pool_ipv4
        if options.prefix_pool_ipv6 is not None:
            vif.prefix_pool_ipv6 = options.prefix_pool_ipv6
        if options.rate_limit is not None:
            vif.rate_limit = options.rate_limit
        if mtu is not None:
            vif.mtu = mtu
            if mtu > DEFAULT_MTU:
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

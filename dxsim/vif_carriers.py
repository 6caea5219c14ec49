"""Where a virtual interface may ride, and what its carrier allows.

A VIF's carrier is a connection, a hosted connection or a LAG that the caller owns and that is
not deleting, deleted or rejected. On one carrier a VLAN is used at most once among live VIFs
(on a LAG, live hosted connections share that VLAN space). Quotas (UG limits, not increasable):
a dedicated connection or a LAG carries at most `MAX_VIFS_DEDICATED` live private and public
VIFs, `MAX_TRANSIT_VIFS` transit VIFs and `MAX_VIFS_ANY` VIFs in all; a hosted connection
carries `MAX_VIFS_HOSTED`, and a transit one only from `MIN_HOSTED_TRANSIT_MBPS` up. A VIF with
a jumbo MTU (9001 private, 8500 transit) makes its carrier, and a LAG's members, jumbo-frame
capable (V11).

Creating a VIF (`dxsim.virtual_interfaces`) and moving or updating one (`dxsim.vif_changes`)
apply the same rules, so both operation mixins inherit them from `VifCarrierRules`.
"""

from __future__ import annotations

from typing import Any

from dxsim.accounts import Caller
from dxsim.base import BackendBase
from dxsim.exceptions import DirectConnectClientException, InvalidState, LimitExceededException
from dxsim.records import Connection, Lag
from dxsim.resource import GONE_STATES
from dxsim.vif_options import bandwidth_mbps

MAX_VIFS_DEDICATED = 50
MAX_TRANSIT_VIFS = 4
MAX_VIFS_ANY = 51
MAX_VIFS_HOSTED = 1
MIN_HOSTED_TRANSIT_MBPS = 1000
DEFAULT_MTU = 1500
JUMBO_MTU = 9001

Carrier = Connection | Lag


class VifCarrierRules(BackendBase):
    """The carrier checks of the VIF operations; a shared base, with no operation of its own."""

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

    def _vif_quota(self, carrier: Carrier, vif_type: str = "private") -> None:
        """Refuses one more live VIF of `vif_type` on `carrier` past the quotas above. Transit
        quota refusals are `LimitExceededException` (the transit operations declare it); the
        private and public ones stay `DirectConnectClientException` as before."""
        live = self.vifs_on(carrier.id)
        transit = vif_type == "transit"
        error = LimitExceededException if transit else DirectConnectClientException
        if isinstance(carrier, Connection) and carrier.is_hosted:
            mbps = bandwidth_mbps(carrier.bandwidth) or 0
            if transit and mbps < MIN_HOSTED_TRANSIT_MBPS:
                raise DirectConnectClientException(
                    f"Hosted connection {carrier.id} has bandwidth {carrier.bandwidth}: a transit "
                    f"virtual interface needs a hosted connection of 1Gbps or more."
                )
            if len(live) >= MAX_VIFS_HOSTED:
                raise error(
                    f"{carrier.id} already has {MAX_VIFS_HOSTED} virtual interface(s), the "
                    f"maximum for a hosted connection."
                )
            return
        transits = sum(1 for v in live if v.virtual_interface_type == "transit")
        if transit and transits >= MAX_TRANSIT_VIFS:
            raise error(
                f"{carrier.id} already has {MAX_TRANSIT_VIFS} transit virtual interfaces, the "
                f"maximum for a connection or LAG."
            )
        if not transit and len(live) - transits >= MAX_VIFS_DEDICATED:
            raise error(
                f"{carrier.id} already has {MAX_VIFS_DEDICATED} virtual interface(s) that are "
                f"private or public, the maximum for a connection or LAG."
            )
        if len(live) >= MAX_VIFS_ANY:
            raise error(
                f"{carrier.id} already has {MAX_VIFS_ANY} virtual interfaces, the maximum of "
                f"all types for a connection or LAG."
            )

    def _carrier_mbps(self, carrier: Carrier) -> float | None:
        """A carrier's bandwidth in Mbps: a connection's own, a LAG's members' together."""
        if isinstance(carrier, Lag):
            each = bandwidth_mbps(carrier.connections_bandwidth)
            return None if each is None else each * max(1, len(carrier.members(self)))
        return bandwidth_mbps(carrier.bandwidth)

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

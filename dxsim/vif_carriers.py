"""Where a virtual interface may ride, and what its carrier allows.

A VIF's carrier is a connection, a hosted connection or a LAG that the caller owns and that is
not deleting, deleted or rejected. On one carrier a VLAN is used at most once among live VIFs
(on a LAG, live hosted connections share that VLAN space); a dedicated connection or a LAG
carries at most `MAX_VIFS_DEDICATED` live VIFs, a hosted connection `MAX_VIFS_HOSTED`. A VIF
with MTU 9001 makes its carrier, and a LAG's members, jumbo-frame capable (V11).

Creating a VIF (`dxsim.virtual_interfaces`) and moving or updating one (`dxsim.vif_changes`)
apply the same rules, so both operation mixins inherit them from `VifCarrierRules`.
"""

from __future__ import annotations

from typing import Any

from dxsim.accounts import Caller
from dxsim.base import BackendBase
from dxsim.exceptions import DirectConnectClientException, InvalidState
from dxsim.records import Connection, Lag
from dxsim.resource import GONE_STATES

MAX_VIFS_DEDICATED = 50
MAX_VIFS_HOSTED = 1
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

    def _vif_quota(self, carrier: Carrier) -> None:
        hosted = isinstance(carrier, Connection) and carrier.is_hosted
        limit = MAX_VIFS_HOSTED if hosted else MAX_VIFS_DEDICATED
        if len(self.vifs_on(carrier.id)) >= limit:
            kind = "hosted connection" if hosted else "connection or LAG"
            raise DirectConnectClientException(
                f"{carrier.id} already has {limit} virtual interface(s), the maximum for a {kind}."
            )

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

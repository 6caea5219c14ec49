"""Transit virtual interfaces: a VIF of type `transit` that reaches Transit Gateways through a
Direct Connect gateway.

Lifecycles (dx-current-api §4.1): CreateTransitVirtualInterface (the connection owner, with a DX
gateway) `pending → available`, attaching to the gateway `attaching → attached`;
AllocateTransitVirtualInterface (the connection owner, for another account) `confirming`, no
gateway yet; ConfirmTransitVirtualInterface (the VIF owner, naming its DX gateway) `pending →
available`; the owner deleting a `confirming` one declines it (`rejected`, in
`dxsim.vif_changes`). MTU is 1500 or 8500 (8500 makes the carrier jumbo-frame capable). A DX
gateway that carries private VIFs or VGW associations takes no transit VIF, and the reverse
(`BackendBase.gateway_carries`). Quotas: 4 transit VIFs per dedicated connection or LAG, 51
VIFs of any type, none on a hosted connection below 1 Gbps (`dxsim.vif_carriers`), 30 VIFs per
DX gateway. BGP peers, deletion and attribute updates work as for private VIFs.
"""

from __future__ import annotations

from typing import Any

from dxsim.accounts import Caller
from dxsim.exceptions import DirectConnectClientException
from dxsim.virtual_interfaces import VirtualInterfaceOperations

CREATE = "newTransitVirtualInterface"
ALLOCATE = "newTransitVirtualInterfaceAllocation"


class TransitVirtualInterfaceOperations(VirtualInterfaceOperations):
    """Create, Allocate and ConfirmTransitVirtualInterface; composed into the backend (before
    `VirtualInterfaceOperations`, whose helpers it shares)."""

    def create_transit_virtual_interface(
        self, caller: Caller, *, connection_id: str, new_transit_virtual_interface: dict[str, Any]
    ) -> dict[str, Any]:
        """CreateTransitVirtualInterface: a transit VIF on the caller's connection, LAG or hosted
        connection, attached to one of its available DX gateways; `pending → available`."""
        spec = new_transit_virtual_interface
        carrier = self._vif_carrier(caller, connection_id)
        dxgw_id = spec.get("directConnectGatewayId")
        if not dxgw_id:
            raise DirectConnectClientException(
                f"{CREATE}.directConnectGatewayId is required: a transit virtual interface "
                f"attaches to a Direct Connect gateway."
            )
        target = self._vif_target(
            caller, None, dxgw_id, where=CREATE, required=True, vif_type="transit"
        )
        vif = self._vif_new(
            caller,
            carrier,
            spec,
            where=CREATE,
            vif_type="transit",
            owner=caller.account,
            state="pending",
        )
        self._vif_attach(vif, target)
        self._vif_activate(vif, "pending", "available")
        return {"virtualInterface": vif.to_wire(self)}

    def allocate_transit_virtual_interface(
        self,
        caller: Caller,
        *,
        connection_id: str,
        owner_account: str,
        new_transit_virtual_interface_allocation: dict[str, Any],
    ) -> dict[str, Any]:
        """AllocateTransitVirtualInterface: a hosted transit VIF for another account,
        `confirming` with no DX gateway until that account confirms it; allocating to the
        connection owner itself is refused as AWS does."""
        vif = self._vif_allocate(
            caller,
            connection_id,
            owner_account,
            new_transit_virtual_interface_allocation,
            where=ALLOCATE,
            vif_type="transit",
        )
        return {"virtualInterface": vif}

    def confirm_transit_virtual_interface(
        self, caller: Caller, *, virtual_interface_id: str, direct_connect_gateway_id: str
    ) -> dict[str, Any]:
        """ConfirmTransitVirtualInterface: the VIF owner accepts a `confirming` transit VIF onto
        one of its DX gateways; `pending → available`. Answers only the new state."""
        vif = self._vif_confirmable(caller, virtual_interface_id, "transit")
        target = self._vif_target(
            caller,
            None,
            direct_connect_gateway_id,
            where="",
            required=True,
            vif_type="transit",
        )
        self._vif_attach(vif, target)
        self._vif_activate(vif, "pending", "available")
        return {"virtualInterfaceState": vif.virtual_interface_state}

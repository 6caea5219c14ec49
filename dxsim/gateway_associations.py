"""Associations between Direct Connect gateways and virtual private gateways."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from dxsim.base import BackendBase
from dxsim.wire import compact
from dxsim.world import Resource, World


@dataclass(kw_only=True)
class GatewayAssociation(Resource):
    """A DX gateway ↔ VGW association; `id` is the association UUID (not on the seed's shape)."""

    KIND: ClassVar[str] = "gateway_association"
    STATE_FIELD: ClassVar[str] = "association_state"

    direct_connect_gateway_id: str
    virtual_gateway_id: str
    virtual_gateway_region: str
    virtual_gateway_owner_account: str
    association_state: str = "associating"
    state_change_error: str | None = None
    created_at: float = 0.0

    def to_wire(self, world: World) -> dict[str, Any]:
        return compact(
            {
                "directConnectGatewayId": self.direct_connect_gateway_id,
                "virtualGatewayId": self.virtual_gateway_id,
                "virtualGatewayRegion": self.virtual_gateway_region,
                "virtualGatewayOwnerAccount": self.virtual_gateway_owner_account,
                "associationState": self.association_state,
                "stateChangeError": self.state_change_error,
            }
        )


class GatewayAssociationOperations(BackendBase):
    """Operations on this resource kind; composed into `DirectConnectBackend`."""

"""Direct Connect gateways: global per account (no region in the ARN or the shape)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from dxsim.base import BackendBase
from dxsim.wire import compact
from dxsim.world import Resource, World


@dataclass(kw_only=True)
class DirectConnectGateway(Resource):
    """A Direct Connect gateway; its id is a lowercase UUID."""

    KIND: ClassVar[str] = "gateway"
    STATE_FIELD: ClassVar[str] = "direct_connect_gateway_state"

    direct_connect_gateway_name: str
    amazon_side_asn: int
    owner_account: str
    direct_connect_gateway_state: str = "pending"
    state_change_error: str | None = None
    created_at: float = 0.0

    def to_wire(self, world: World) -> dict[str, Any]:
        return compact(
            {
                "directConnectGatewayId": self.id,
                "directConnectGatewayName": self.direct_connect_gateway_name,
                "amazonSideAsn": self.amazon_side_asn,
                "ownerAccount": self.owner_account,
                "directConnectGatewayState": self.direct_connect_gateway_state,
                "stateChangeError": self.state_change_error,
            }
        )


class GatewayOperations(BackendBase):
    """Operations on this resource kind; composed into `DirectConnectBackend`."""

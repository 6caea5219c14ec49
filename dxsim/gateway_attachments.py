"""Attachments of virtual interfaces to Direct Connect gateways."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from dxsim.base import BackendBase
from dxsim.wire import compact
from dxsim.world import Resource, World


@dataclass(kw_only=True)
class GatewayAttachment(Resource):
    """A VIF attached to a DX gateway; `id` is `<gateway id>/<vif id>`."""

    KIND: ClassVar[str] = "gateway_attachment"
    STATE_FIELD: ClassVar[str] = "attachment_state"

    direct_connect_gateway_id: str
    virtual_interface_id: str
    virtual_interface_region: str
    virtual_interface_owner_account: str
    attachment_state: str = "attaching"
    state_change_error: str | None = None
    created_at: float = 0.0

    def to_wire(self, world: World) -> dict[str, Any]:
        return compact(
            {
                "directConnectGatewayId": self.direct_connect_gateway_id,
                "virtualInterfaceId": self.virtual_interface_id,
                "virtualInterfaceRegion": self.virtual_interface_region,
                "virtualInterfaceOwnerAccount": self.virtual_interface_owner_account,
                "attachmentState": self.attachment_state,
                "stateChangeError": self.state_change_error,
            }
        )


class GatewayAttachmentOperations(BackendBase):
    """Operations on this resource kind; composed into `DirectConnectBackend`."""

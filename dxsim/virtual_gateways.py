"""Virtual private gateways: EC2 resources the simulator seeds per account and region."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, ClassVar

from dxsim.base import BackendBase
from dxsim.world import Resource, World

VGWS_PER_ACCOUNT_REGION = 4


@dataclass(kw_only=True)
class VirtualGateway(Resource):
    """A virtual private gateway (`vgw-` + 17 hex), attached to a VPC and `available`."""

    KIND: ClassVar[str] = "virtual_gateway"
    STATE_FIELD: ClassVar[str] = "virtual_gateway_state"

    owner_account: str
    region: str
    virtual_gateway_state: str = "available"

    def to_wire(self, world: World) -> dict[str, Any]:
        return {"virtualGatewayId": self.id, "virtualGatewayState": self.virtual_gateway_state}


def seeded_vgw_ids(account: str, region: str) -> list[str]:
    """The VGW IDs an account has in a region: stable, so tests and demos can name them."""
    return [
        "vgw-" + hashlib.sha256(f"{account}/{region}/{n}".encode()).hexdigest()[:17]
        for n in range(VGWS_PER_ACCOUNT_REGION)
    ]


def ensure_virtual_gateways(world: World, account: str, region: str) -> list[VirtualGateway]:
    """Creates the seeded VGWs of (account, region) on first use and returns them."""
    gateways = []
    for vgw_id in seeded_vgw_ids(account, region):
        vgw = world.virtual_gateways.get(vgw_id)
        if vgw is None:
            vgw = world.add(VirtualGateway(id=vgw_id, owner_account=account, region=region))
        gateways.append(vgw)
    return gateways


class VirtualGatewayOperations(BackendBase):
    """Operations on this resource kind; composed into `DirectConnectBackend`."""

"""Virtual private gateways: EC2 resources the simulator seeds per account and region.

No Direct Connect operation creates VGWs (W1), so every (account, Region) gets
`VGWS_PER_ACCOUNT_REGION` of them, with stable ids (`seeded_vgw_ids`), the first time anything
looks at that account's VGWs there.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, ClassVar

from dxsim.accounts import Caller
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
    """DescribeVirtualGateways; composed into `DirectConnectBackend`."""

    def describe_virtual_gateways(self, caller: Caller) -> dict[str, Any]:
        """DescribeVirtualGateways: the caller's VGWs in the Region it signs for, by id."""
        ensure_virtual_gateways(self, caller.account, caller.region)
        mine = [
            v
            for v in self.virtual_gateways.values()
            if v.owner_account == caller.account and v.region == caller.region
        ]
        return {"virtualGateways": [v.to_wire(self) for v in sorted(mine, key=lambda v: v.id)]}

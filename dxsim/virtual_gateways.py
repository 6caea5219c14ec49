"""Virtual private gateways: EC2 resources the simulator seeds per account and region.

No Direct Connect operation creates VGWs (W1), so every (account, Region) gets
`VGWS_PER_ACCOUNT_REGION` of them, with stable ids (`seeded_vgw_ids`), the first time anything
looks at that account's VGWs there.
"""

from __future__ import annotations

from typing import Any

from dxsim.accounts import Caller
from dxsim.base import BackendBase
from dxsim.gateway_records import VirtualGateway, seeded_vgw_ids
from dxsim.world import World


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

"""Virtual private gateways: EC2 resources the simulator seeds per account and region.

No Direct Connect operation creates VGWs (W1), so every (account, Region) gets
`VGWS_PER_ACCOUNT_REGION` of them, with stable ids (`seeded_vgw_ids`, both in
`dxsim.gateway_records`), the first time anything looks at that account's VGWs there
(`BackendBase.ensure_virtual_gateways`, which lookups by VGW id go through too).
"""

from __future__ import annotations

from typing import Any

from dxsim.accounts import Caller
from dxsim.base import BackendBase


class VirtualGatewayOperations(BackendBase):
    """DescribeVirtualGateways; composed into `DirectConnectBackend`."""

    def describe_virtual_gateways(self, caller: Caller) -> dict[str, Any]:
        """DescribeVirtualGateways: the caller's VGWs in the Region it signs for, by id."""
        self.ensure_virtual_gateways(caller.account, caller.region)
        mine = [
            v
            for v in self.virtual_gateways.values()
            if v.owner_account == caller.account and v.region == caller.region
        ]
        return {"virtualGateways": [v.to_wire(self) for v in sorted(mine, key=lambda v: v.id)]}

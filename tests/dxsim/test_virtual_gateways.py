"""Virtual private gateways over boto3: seeded per account and Region (W1)."""

from __future__ import annotations

import re
from typing import Any

from dxsim.gateway_records import VGWS_PER_ACCOUNT_REGION, seeded_vgw_ids
from tests.conftest import CUSTOMER, PARTNER, REGION


def test_describe_lists_the_accounts_seeded_available_vgws_in_the_region(dx: Any) -> None:
    vgws = dx.describe_virtual_gateways()["virtualGateways"]
    assert len(vgws) == VGWS_PER_ACCOUNT_REGION
    assert {v["virtualGatewayId"] for v in vgws} == set(seeded_vgw_ids(CUSTOMER, REGION))
    assert all(re.fullmatch(r"vgw-[0-9a-f]{17}", v["virtualGatewayId"]) for v in vgws)
    assert {v["virtualGatewayState"] for v in vgws} == {"available"}
    assert dx.describe_virtual_gateways()["virtualGateways"] == vgws


def test_each_account_and_region_has_its_own_vgws(dx: Any, dx_for: Any) -> None:
    def ids(client: Any) -> set[str]:
        return {
            v["virtualGatewayId"] for v in client.describe_virtual_gateways()["virtualGateways"]
        }

    mine = ids(dx)
    west = ids(dx_for(CUSTOMER, "us-west-2"))
    partner = ids(dx_for(PARTNER, REGION))
    assert west == set(seeded_vgw_ids(CUSTOMER, "us-west-2"))
    assert partner == set(seeded_vgw_ids(PARTNER, REGION))
    assert not mine & west
    assert not mine & partner

"""Transit Gateways: EC2 resources seeded per account and Region, with ASNs a DX gateway can use."""

from __future__ import annotations

import re
from functools import partial

import pytest

from dxsim.accounts import Caller
from dxsim.backend import DirectConnectBackend
from dxsim.exceptions import DirectConnectClientException
from dxsim.gateway_associations import MAX_TGWS
from dxsim.gateway_records import TGW_ASN_RANGE, TGWS_PER_ACCOUNT_REGION, seeded_tgws
from tests.conftest import CUSTOMER, PARTNER, REGION


def test_each_account_and_region_is_seeded_with_its_own_transit_gateways() -> None:
    mine = seeded_tgws(CUSTOMER, REGION)
    assert len(mine) == TGWS_PER_ACCOUNT_REGION
    assert all(re.fullmatch(r"tgw-[0-9a-f]{17}", tgw_id) for tgw_id, _ in mine)
    assert seeded_tgws(CUSTOMER, REGION) == mine
    others = seeded_tgws(CUSTOMER, "us-west-2") + seeded_tgws(PARTNER, REGION)
    assert not {t for t, _ in mine} & {t for t, _ in others}


def test_seeded_transit_gateway_asns_are_private_and_never_the_default_gateway_asn() -> None:
    asns = [
        asn
        for a in (CUSTOMER, PARTNER)
        for r in (REGION, "us-west-2", "eu-west-1")
        for _, asn in seeded_tgws(a, r)
    ]
    assert all(TGW_ASN_RANGE[0] <= asn <= TGW_ASN_RANGE[1] for asn in asns)
    assert 64512 not in asns


def test_a_gateway_carries_what_its_first_attachment_or_association_is() -> None:
    backend = DirectConnectBackend()
    caller = Caller(account=CUSTOMER, region=REGION)
    gateway = backend.create_direct_connect_gateway(caller, direct_connect_gateway_name="gw")
    gateway_id = gateway["directConnectGateway"]["directConnectGatewayId"]
    assert backend.gateway_carries(gateway_id) is None
    vgw = backend.ensure_virtual_gateways(CUSTOMER, REGION)[0]
    backend.create_direct_connect_gateway_association(
        caller, direct_connect_gateway_id=gateway_id, virtual_gateway_id=vgw.id
    )
    assert backend.gateway_carries(gateway_id) == "private"
    tgw = backend.get_transit_gateway(caller, seeded_tgws(CUSTOMER, REGION)[0][0])
    assert tgw.transit_gateway_state == "available"


def test_gateway_quota_is_six_transit_gateways() -> None:
    backend = DirectConnectBackend()
    home = Caller(account=CUSTOMER, region=REGION)
    gateway_id = backend.create_direct_connect_gateway(home, direct_connect_gateway_name="g")[
        "directConnectGateway"
    ]["directConnectGatewayId"]
    regions = ("us-east-1", "us-west-2", "eu-west-1", "ap-south-1")
    tgws = [(region, tgw) for region in regions for tgw, _ in seeded_tgws(CUSTOMER, region)]
    for n, (region, tgw_id) in enumerate(tgws):
        caller = Caller(account=CUSTOMER, region=region)
        backend.ensure_transit_gateways(CUSTOMER, region)
        backend.transit_gateways[tgw_id].amazon_side_asn = 65000 + n  # unique, as AWS asks
        call = partial(
            backend.create_direct_connect_gateway_association,
            caller,
            direct_connect_gateway_id=gateway_id,
            gateway_id=tgw_id,
            add_allowed_prefixes_to_direct_connect_gateway=[{"cidr": "10.0.0.0/16"}],
        )
        if n < MAX_TGWS:
            call()
            continue
        with pytest.raises(DirectConnectClientException) as exc:
            call()
        assert "already has 6 transit gateway associations; the maximum is 6" in str(exc.value)


def test_transit_gateways_on_one_gateway_need_unique_asns() -> None:
    backend = DirectConnectBackend()
    east, west = Caller(account=CUSTOMER, region=REGION), Caller(CUSTOMER, "us-west-2")
    gateway_id = backend.create_direct_connect_gateway(east, direct_connect_gateway_name="g")[
        "directConnectGateway"
    ]["directConnectGatewayId"]
    first = backend.ensure_transit_gateways(CUSTOMER, REGION)[0]
    second = backend.ensure_transit_gateways(CUSTOMER, "us-west-2")[0]
    second.amazon_side_asn = first.amazon_side_asn
    prefixes = [{"cidr": "10.0.0.0/16"}]
    backend.create_direct_connect_gateway_association(
        east,
        direct_connect_gateway_id=gateway_id,
        gateway_id=first.id,
        add_allowed_prefixes_to_direct_connect_gateway=prefixes,
    )
    with pytest.raises(DirectConnectClientException) as exc:
        backend.create_direct_connect_gateway_association(
            west,
            direct_connect_gateway_id=gateway_id,
            gateway_id=second.id,
            add_allowed_prefixes_to_direct_connect_gateway=prefixes,
        )
    assert "transit gateways on one Direct Connect gateway need unique ASNs" in str(exc.value)

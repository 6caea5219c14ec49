"""`--seed demo`: a realistic topology across two regions and two accounts, built via the API."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from dxsim import DXServer, Simulator
from tests.conftest import CUSTOMER, PARTNER


@pytest.fixture(scope="module")
def demo() -> Iterator[DXServer]:
    with DXServer(Simulator(seed="demo", provisioning_delay=5)) as server:
        yield server


def client(server: DXServer, region: str, account: str = CUSTOMER) -> Any:
    return boto3.client(
        "directconnect",
        region_name=region,
        endpoint_url=server.url,
        aws_access_key_id="test" if account == CUSTOMER else account,
        aws_secret_access_key="test",
    )


def test_demo_has_lags_connections_and_vifs_in_both_regions(demo: DXServer) -> None:
    for region in ("us-east-1", "us-west-2"):
        dx = client(demo, region)
        assert dx.describe_lags()["lags"], region
        assert dx.describe_connections()["connections"], region
        vifs = dx.describe_virtual_interfaces()["virtualInterfaces"]
        assert any(p["addressFamily"] == "ipv6" for v in vifs for p in v["bgpPeers"]), region
        assert any(p["addressFamily"] == "ipv4" for v in vifs for p in v["bgpPeers"]), region


def test_demo_has_private_and_public_vifs_on_lags_and_hosted_connections(demo: DXServer) -> None:
    dx = client(demo, "us-east-1")
    vifs = dx.describe_virtual_interfaces()["virtualInterfaces"]
    assert {v["virtualInterfaceType"] for v in vifs} == {"private", "public"}
    assert any(v["connectionId"].startswith("dxlag-") for v in vifs)
    hosted = [c for c in dx.describe_connections()["connections"] if c.get("partnerName")]
    assert {c["connectionState"] for c in hosted} == {"available", "ordering"}
    assert any(v["connectionId"] in {c["connectionId"] for c in hosted} for v in vifs)
    assert any(v["virtualInterfaceState"] == "confirming" for v in vifs)


def test_demo_partner_owns_the_interconnect_carrying_the_hosted_connections(
    demo: DXServer,
) -> None:
    partner = client(demo, "us-east-1", PARTNER)
    interconnects = partner.describe_interconnects()["interconnects"]
    assert len(interconnects) == 1
    hosted = partner.describe_hosted_connections(connectionId=interconnects[0]["interconnectId"])
    assert {c["ownerAccount"] for c in hosted["connections"]} == {CUSTOMER}


def test_demo_dx_gateway_is_associated_with_vgws_in_both_regions(demo: DXServer) -> None:
    dx = client(demo, "us-west-2")
    gateways = dx.describe_direct_connect_gateways()["directConnectGateways"]
    main = next(g for g in gateways if g["directConnectGatewayName"] == "global-dxgw")
    associations = dx.describe_direct_connect_gateway_associations(
        directConnectGatewayId=main["directConnectGatewayId"]
    )["directConnectGatewayAssociations"]
    assert {a["virtualGatewayRegion"] for a in associations} == {"us-east-1", "us-west-2"}
    assert {a["associationState"] for a in associations} == {"associated"}


def test_demo_tags_every_lag_connection_vif_and_gateway_of_the_customer(demo: DXServer) -> None:
    dx = client(demo, "us-east-1")
    arns = [
        f"arn:aws:directconnect:us-east-1:{CUSTOMER}:dxlag/{lag['lagId']}"
        for lag in dx.describe_lags()["lags"]
    ]
    arns += [
        f"arn:aws:directconnect::{CUSTOMER}:dx-gateway/{g['directConnectGatewayId']}"
        for g in dx.describe_direct_connect_gateways()["directConnectGateways"]
    ]
    tags = dx.describe_tags(resourceArns=arns)["resourceTags"]
    assert all(entry["tags"] for entry in tags)

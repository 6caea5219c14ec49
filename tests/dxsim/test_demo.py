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


def test_demo_has_private_public_and_transit_vifs_on_lags_and_hosted_connections(
    demo: DXServer,
) -> None:
    dx = client(demo, "us-east-1")
    vifs = dx.describe_virtual_interfaces()["virtualInterfaces"]
    assert {v["virtualInterfaceType"] for v in vifs} == {"private", "public", "transit"}
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


def test_demo_has_a_transit_gateway_estate_in_both_regions(demo: DXServer) -> None:
    east = client(demo, "us-east-1")
    gateways = east.describe_direct_connect_gateways()["directConnectGateways"]
    transit = next(g for g in gateways if g["directConnectGatewayName"] == "transit-dxgw")
    associations = east.describe_direct_connect_gateway_associations(
        directConnectGatewayId=transit["directConnectGatewayId"]
    )["directConnectGatewayAssociations"]
    assert {a["associatedGateway"]["type"] for a in associations} == {"transitGateway"}
    assert {a["associatedGateway"]["region"] for a in associations} == {"us-east-1", "us-west-2"}
    assert all(a["allowedPrefixesToDirectConnectGateway"] for a in associations)
    for region in ("us-east-1", "us-west-2"):
        vifs = client(demo, region).describe_virtual_interfaces()["virtualInterfaces"]
        transit_vifs = [v for v in vifs if v["virtualInterfaceType"] == "transit"]
        assert [v["directConnectGatewayId"] for v in transit_vifs] == [
            transit["directConnectGatewayId"]
        ], region


def test_demo_has_a_pending_proposal_from_a_spoke_account(demo: DXServer) -> None:
    east = client(demo, "us-east-1")
    gateway_ids = [
        g["directConnectGatewayId"]
        for g in east.describe_direct_connect_gateways()["directConnectGateways"]
    ]
    proposals = [
        p
        for gateway_id in gateway_ids
        for p in east.describe_direct_connect_gateway_association_proposals(
            directConnectGatewayId=gateway_id
        )["directConnectGatewayAssociationProposals"]
    ]
    assert [(p["proposalState"], p["associatedGateway"]["ownerAccount"]) for p in proposals] == [
        ("requested", "444455556666")
    ]


def test_demo_has_a_macsec_100g_connection_with_a_key_in_a_resiliency_group(
    demo: DXServer,
) -> None:
    east = client(demo, "us-east-1")
    macsec = [c for c in east.describe_connections()["connections"] if c.get("macSecCapable")]
    assert [(c["bandwidth"], len(c["macSecKeys"])) for c in macsec] == [("100Gbps", 1)]
    assert macsec[0]["macSecKeys"][0]["state"] == "associated"
    groups = east.list_resiliency_groups()["items"]
    assert len(groups) == 1
    members = east.list_resiliency_group_associations(
        resiliencyGroupId=groups[0]["resiliencyGroupId"]
    )["items"]
    assert macsec[0]["connectionId"] in {m["connectionArn"].rsplit("/", 1)[1] for m in members}
    assert len(members) == 2


def test_demo_has_a_completed_bgp_failover_test(demo: DXServer) -> None:
    history = client(demo, "us-east-1").list_virtual_interface_test_history()
    assert [t["status"] for t in history["virtualInterfaceTestHistory"]] == ["completed"]

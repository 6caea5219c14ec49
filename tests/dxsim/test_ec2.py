"""dxsim's EC2 view: DescribeTransitGateways and DescribeVpnGateways through real boto3 EC2
clients, and the control endpoint that sets a seeded gateway's state for EC2 and Direct Connect."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import boto3
import httpx
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

from tests.conftest import CUSTOMER, PARTNER, advance, error_of
from tests.dxsim.test_virtual_interfaces import connection, private_vif


def ec2(dx_url: str, account: str = CUSTOMER, region: str = "us-east-1") -> Any:
    return boto3.client(
        "ec2",
        region_name=region,
        endpoint_url=dx_url,
        aws_access_key_id="test" if account == CUSTOMER else account,
        aws_secret_access_key="test",
    )


def set_state(control: httpx.Client, gateway_id: str, state: str) -> httpx.Response:
    return control.put(f"/ec2-gateways/{gateway_id}", json={"state": state})


def ec2_error(call: Any, **kwargs: Any) -> tuple[str, str, int]:
    with pytest.raises(ClientError) as exc:
        call(**kwargs)
    code, message = error_of(exc)
    return code, message, exc.value.response["ResponseMetadata"]["HTTPStatusCode"]


# -- DescribeTransitGateways ----------------------------------------------------------------------
def test_transit_gateways_are_the_seeded_ones_of_the_account_and_region(dx_url: str) -> None:
    tgws = ec2(dx_url).describe_transit_gateways()["TransitGateways"]
    assert len(tgws) == 2
    for tgw in tgws:
        tgw_id = tgw["TransitGatewayId"]
        assert tgw["TransitGatewayArn"] == (
            f"arn:aws:ec2:us-east-1:{CUSTOMER}:transit-gateway/{tgw_id}"
        )
        assert (tgw["State"], tgw["OwnerId"]) == ("available", CUSTOMER)
        assert isinstance(tgw["CreationTime"], datetime)
        assert "Description" in tgw
        options = tgw["Options"]
        assert 64513 <= options["AmazonSideAsn"] <= 65534
        assert options["DefaultRouteTableAssociation"] == "enable"
        assert options["AutoAcceptSharedAttachments"] == "disable"
        assert options["AssociationDefaultRouteTableId"].startswith("tgw-rtb-")
    others = ec2(dx_url, PARTNER).describe_transit_gateways()["TransitGateways"]
    assert {t["TransitGatewayId"] for t in others}.isdisjoint(t["TransitGatewayId"] for t in tgws)
    west = ec2(dx_url, region="us-west-2").describe_transit_gateways()["TransitGateways"]
    assert {t["TransitGatewayId"] for t in west}.isdisjoint(t["TransitGatewayId"] for t in tgws)


def test_transit_gateways_by_id_and_by_filter(dx_url: str) -> None:
    client = ec2(dx_url)
    first, second = client.describe_transit_gateways()["TransitGateways"]
    by_id = client.describe_transit_gateways(TransitGatewayIds=[second["TransitGatewayId"]])
    assert [t["TransitGatewayId"] for t in by_id["TransitGateways"]] == [second["TransitGatewayId"]]
    by_filter = client.describe_transit_gateways(
        Filters=[{"Name": "transit-gateway-id", "Values": [first["TransitGatewayId"]]}]
    )
    assert [t["TransitGatewayId"] for t in by_filter["TransitGateways"]] == [
        first["TransitGatewayId"]
    ]
    none = client.describe_transit_gateways(Filters=[{"Name": "state", "Values": ["deleted"]}])
    assert none["TransitGateways"] == []


def test_an_unknown_transit_gateway_id_is_not_found(dx_url: str) -> None:
    client = ec2(dx_url)
    code, message, status = ec2_error(
        client.describe_transit_gateways, TransitGatewayIds=["tgw-0123456789abcdef0"]
    )
    assert (code, status) == ("InvalidTransitGatewayID.NotFound", 400)
    assert "tgw-0123456789abcdef0" in message
    partners = ec2(dx_url, PARTNER).describe_transit_gateways()["TransitGateways"]
    code, _, _ = ec2_error(
        client.describe_transit_gateways,
        TransitGatewayIds=[partners[0]["TransitGatewayId"]],
    )
    assert code == "InvalidTransitGatewayID.NotFound"


def test_transit_gateway_paging_takes_5_to_1000_results(dx_url: str) -> None:
    client = ec2(dx_url)
    page = client.describe_transit_gateways(MaxResults=5)
    assert len(page["TransitGateways"]) == 2
    assert "NextToken" not in page
    code, message, _ = ec2_error(client.describe_transit_gateways, MaxResults=1001)
    assert code == "InvalidParameterValue"
    assert "maxResults" in message
    code, _, _ = ec2_error(client.describe_transit_gateways, NextToken="not-a-token")
    assert code == "InvalidNextToken"


def test_transit_gateway_paging_resumes_after_the_token() -> None:
    from dxsim import ec2 as ec2_module
    from dxsim.gateway_records import TransitGateway

    tgws = [
        TransitGateway(id=f"tgw-{n:017x}", owner_account=CUSTOMER, region="r", amazon_side_asn=1)
        for n in range(7)
    ]
    page, token = ec2_module._page(tgws, {"MaxResults": "5"})
    assert [t.id for t in page] == [t.id for t in tgws[:5]]
    rest, last = ec2_module._page(tgws, {"MaxResults": "5", "NextToken": token})
    assert ([t.id for t in rest], last) == ([t.id for t in tgws[5:]], "")


def test_an_unknown_filter_is_refused(dx_url: str) -> None:
    code, message, _ = ec2_error(
        ec2(dx_url).describe_transit_gateways, Filters=[{"Name": "colour", "Values": ["red"]}]
    )
    assert code == "InvalidParameterValue"
    assert "'colour'" in message


# -- DescribeVpnGateways --------------------------------------------------------------------------
def test_vpn_gateways_are_the_vgws_direct_connect_lists(dx_url: str, dx: Any) -> None:
    vgws = ec2(dx_url).describe_vpn_gateways()["VpnGateways"]
    listed = [v["virtualGatewayId"] for v in dx.describe_virtual_gateways()["virtualGateways"]]
    assert sorted(v["VpnGatewayId"] for v in vgws) == sorted(listed)
    for vgw in vgws:
        assert (vgw["State"], vgw["Type"], vgw["AmazonSideAsn"]) == ("available", "ipsec.1", 64512)
        [attachment] = vgw["VpcAttachments"]
        assert attachment["VpcId"].startswith("vpc-")
        assert attachment["State"] == "attached"


def test_vpn_gateways_by_id_and_filter_and_unknown_id(dx_url: str) -> None:
    client = ec2(dx_url)
    vgws = client.describe_vpn_gateways()["VpnGateways"]
    wanted = vgws[1]["VpnGatewayId"]
    assert [
        v["VpnGatewayId"]
        for v in client.describe_vpn_gateways(VpnGatewayIds=[wanted])["VpnGateways"]
    ] == [wanted]
    vpc = vgws[2]["VpcAttachments"][0]["VpcId"]
    found = client.describe_vpn_gateways(Filters=[{"Name": "attachment.vpc-id", "Values": [vpc]}])
    assert [v["VpnGatewayId"] for v in found["VpnGateways"]] == [vgws[2]["VpnGatewayId"]]
    code, message, status = ec2_error(
        client.describe_vpn_gateways, VpnGatewayIds=["vgw-0123456789abcdef0"]
    )
    assert (code, status) == ("InvalidVpnGatewayID.NotFound", 400)
    assert "vgw-0123456789abcdef0" in message


def test_other_ec2_actions_are_invalid(dx_url: str) -> None:
    code, message, status = ec2_error(ec2(dx_url).describe_vpcs)
    assert (code, status) == ("InvalidAction", 400)
    assert "DescribeVpcs" in message


def test_ec2_requests_need_a_valid_signature(dx_url: str) -> None:
    bad = boto3.client(
        "ec2",
        region_name="us-east-1",
        endpoint_url=dx_url,
        aws_access_key_id="test",
        aws_secret_access_key="wrong",
    )
    code, _, status = ec2_error(bad.describe_vpn_gateways)
    assert (code, status) == ("AuthFailure", 401)


def test_dry_run_answers_dry_run_operation(dx_url: str) -> None:
    code, _, status = ec2_error(ec2(dx_url).describe_transit_gateways, DryRun=True)
    assert (code, status) == ("DryRunOperation", 412)


# -- gateway states -------------------------------------------------------------------------------
def test_a_transit_gateway_state_set_by_control_shows_in_ec2(
    dx_url: str, control: httpx.Client
) -> None:
    client = ec2(dx_url)
    tgw_id = client.describe_transit_gateways()["TransitGateways"][0]["TransitGatewayId"]
    for state in ("pending", "modifying", "deleting", "deleted", "available"):
        assert set_state(control, tgw_id, state).json()["state"] == state
        [tgw] = client.describe_transit_gateways(TransitGatewayIds=[tgw_id])["TransitGateways"]
        assert tgw["State"] == state
    filtered = client.describe_transit_gateways(
        Filters=[{"Name": "state", "Values": ["available"]}]
    )
    assert tgw_id in [t["TransitGatewayId"] for t in filtered["TransitGateways"]]


def test_a_deleted_vgw_stays_deleted_in_ec2_and_direct_connect(
    dx_url: str, dx: Any, control: httpx.Client
) -> None:
    vgw_id = dx.describe_virtual_gateways()["virtualGateways"][0]["virtualGatewayId"]
    assert set_state(control, vgw_id, "deleted").status_code == 200
    advance(control, 3600)
    states = {
        v["virtualGatewayId"]: v["virtualGatewayState"]
        for v in dx.describe_virtual_gateways()["virtualGateways"]
    }
    assert states[vgw_id] == "deleted"
    [vgw] = ec2(dx_url).describe_vpn_gateways(VpnGatewayIds=[vgw_id])["VpnGateways"]
    assert (vgw["State"], vgw["VpcAttachments"][0]["State"]) == ("deleted", "detached")


def test_control_refuses_an_unknown_state_or_gateway(dx_url: str, control: httpx.Client) -> None:
    vgw_id = ec2(dx_url).describe_vpn_gateways()["VpnGateways"][0]["VpnGatewayId"]
    refused = set_state(control, vgw_id, "modifying")  # a TGW state, not a VGW one
    assert refused.status_code == 400
    assert "pending, available, deleting, deleted" in refused.json()["error"]["message"]
    unknown = set_state(control, "tgw-00000000000000000", "available")
    assert unknown.status_code == 404
    extra = control.put(f"/ec2-gateways/{vgw_id}", json={"state": "available", "x": 1})
    assert extra.status_code == 400
    assert "/_dxsim/ec2-gateways/{id}" in str(control.get("/").json()["endpoints"])


@pytest.mark.parametrize("state", ["pending", "deleting", "deleted"])
def test_direct_connect_refuses_a_vgw_that_is_not_available(
    dx: Any, dx_partner: Any, control: httpx.Client, state: str
) -> None:
    vgw_id = dx.describe_virtual_gateways()["virtualGateways"][0]["virtualGatewayId"]
    set_state(control, vgw_id, state)
    with pytest.raises(ClientError) as exc:
        private_vif(dx, connection(dx), virtualGatewayId=vgw_id)
    assert f"is in state {state}" in error_of(exc)[1]
    vif_id = dx_partner.allocate_private_virtual_interface(
        connectionId=connection(dx_partner),
        ownerAccount=CUSTOMER,
        newPrivateVirtualInterfaceAllocation={"virtualInterfaceName": "p", "vlan": 7, "asn": 65001},
    )["virtualInterfaceId"]
    with pytest.raises(ClientError) as exc:
        dx.confirm_private_virtual_interface(virtualInterfaceId=vif_id, virtualGatewayId=vgw_id)
    assert f"is in state {state}" in error_of(exc)[1]
    gateway_id = dx.create_direct_connect_gateway(directConnectGatewayName="g")[
        "directConnectGateway"
    ]["directConnectGatewayId"]
    with pytest.raises(ClientError) as exc:
        dx.create_direct_connect_gateway_association(
            directConnectGatewayId=gateway_id, virtualGatewayId=vgw_id
        )
    assert f"is in state {state}" in error_of(exc)[1]
    set_state(control, vgw_id, "available")
    assert private_vif(dx, connection(dx, "again"), virtualGatewayId=vgw_id)[
        "virtualGatewayId"
    ] == (vgw_id)


@pytest.mark.parametrize(
    "body",
    [
        "Action=DescribeTransitGateways&Filter.abc.Name=state",
        "Action=DescribeTransitGateways&MaxResults=" + "9" * 5000,
        "Action=DescribeTransitGateways&TransitGatewayIds.99999999999999999999=tgw-1",
        "Action=DescribeTransitGateways&NextToken=%25%25%25",
        "Action=DescribeVpnGateways&Filter.1.Name=state&Filter.1.Value.1=" + "x" * 10000,
        "Action=" + "A" * 10000,
        "%FF%FE",
    ],
)
def test_hostile_ec2_input_is_answered_without_a_server_error(dx_url: str, body: str) -> None:
    request = AWSRequest(
        method="POST",
        url=f"{dx_url}/",
        data=body.encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
    )
    SigV4Auth(Credentials("test", "test"), "ec2", "us-east-1").add_auth(request)
    response = httpx.post(
        f"{dx_url}/", content=body.encode(), headers=dict(request.headers.items()), timeout=10
    )
    assert response.status_code < 500, response.text
    assert response.text.startswith(("<?xml", "<Response>"))

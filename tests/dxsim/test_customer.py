"""Customer metadata, agreements, NNI partner types and billing modes over boto3."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.conftest import CUSTOMER, PARTNER, error_of
from tests.dxsim.shapes import raw_call

V2_PARTNER = "111111111119"


def refusal(call: Any, *args: Any, **params: Any) -> str:
    with pytest.raises(ClientError) as exc:
        call(*args, **params)
    code, message = error_of(exc)
    assert code == "DirectConnectClientException"
    return message


def make_interconnect(client: Any, bandwidth: str = "10Gbps") -> str:
    return str(
        client.create_interconnect(interconnectName="ic", bandwidth=bandwidth, location="EqDC2")[
            "interconnectId"
        ]
    )


def allocate(client: Any, parent: str, bandwidth: str, vlan: int = 10) -> Any:
    return client.allocate_hosted_connection(
        connectionId=parent,
        ownerAccount=CUSTOMER,
        bandwidth=bandwidth,
        connectionName="h",
        vlan=vlan,
    )


def make_connection(dx: Any, bandwidth: str = "10Gbps", location: str = "EqDC2") -> str:
    return str(
        dx.create_connection(location=location, bandwidth=bandwidth, connectionName="c")[
            "connectionId"
        ]
    )


# -- metadata and agreements --------------------------------------------------------------------
def test_an_account_starts_with_every_agreement_unsigned_and_no_partner(dx: Any) -> None:
    metadata = dx.describe_customer_metadata()
    assert metadata["nniPartnerType"] == "nonPartner"
    assert metadata["agreements"] == [
        {"agreementName": "DirectConnectServiceTerms", "status": "unsigned"},
        {"agreementName": "DirectConnectFlatRateBillingTerms", "status": "unsigned"},
    ]


def test_confirming_an_agreement_signs_it_for_the_account_only(
    dx: Any, dx_partner: Any, dx_for: Any
) -> None:
    answer = dx.confirm_customer_agreement(agreementName="DirectConnectServiceTerms")
    assert answer["status"] == "signed"
    assert dx.confirm_customer_agreement(agreementName="DirectConnectServiceTerms")["status"] == (
        "signed"
    )
    statuses = {
        a["agreementName"]: a["status"]
        for a in dx_for(region="us-west-2").describe_customer_metadata()["agreements"]
    }
    assert statuses == {
        "DirectConnectServiceTerms": "signed",
        "DirectConnectFlatRateBillingTerms": "unsigned",
    }
    assert {a["status"] for a in dx_partner.describe_customer_metadata()["agreements"]} == {
        "unsigned"
    }


def test_an_unknown_agreement_is_refused(dx: Any) -> None:
    message = refusal(dx.confirm_customer_agreement, agreementName="Terms of Nothing")
    assert "Agreement 'Terms of Nothing' does not exist" in message


def test_an_account_owning_an_interconnect_is_a_partner_v1_by_default_v2_if_it_ends_in_9(
    dx_partner: Any, dx_for: Any
) -> None:
    make_interconnect(dx_partner)
    assert dx_partner.describe_customer_metadata()["nniPartnerType"] == "v1"
    v2 = dx_for(V2_PARTNER)
    assert v2.describe_customer_metadata()["nniPartnerType"] == "nonPartner"
    make_interconnect(v2)
    assert v2.describe_customer_metadata()["nniPartnerType"] == "v2"


# -- NNI partner types gate hosted-connection bandwidths ----------------------------------------
def test_a_v1_partner_allocates_only_sub_gigabit_hosted_connections(dx_partner: Any) -> None:
    ic = make_interconnect(dx_partner)
    assert allocate(dx_partner, ic, "500Mbps")["bandwidth"] == "500Mbps"
    message = refusal(allocate, dx_partner, ic, "1Gbps", 11)
    assert f"Account {PARTNER} is a V1 NNI partner" in message
    assert "50Mbps, 100Mbps, 200Mbps, 300Mbps, 400Mbps, 500Mbps" in message


def test_a_v2_partner_allocates_only_1_2_5_or_10_gbps_hosted_connections(dx_for: Any) -> None:
    v2 = dx_for(V2_PARTNER)
    ic = make_interconnect(v2)
    for vlan, bandwidth in enumerate(("1Gbps", "2Gbps", "5Gbps"), start=20):
        assert allocate(v2, ic, bandwidth, vlan)["bandwidth"] == bandwidth
    assert "is a V2 NNI partner" in refusal(allocate, v2, ic, "500Mbps", 30)
    assert "is a V2 NNI partner" in refusal(allocate, v2, ic, "25Gbps", 31)


def test_a_hosted_connection_cannot_exceed_its_interconnects_capacity(dx_for: Any) -> None:
    v2 = dx_for(V2_PARTNER)
    small = make_interconnect(v2, "1Gbps")
    message = refusal(allocate, v2, small, "2Gbps")
    assert f"does not fit on {small}, whose capacity is 1Gbps" in message
    assert allocate(v2, make_interconnect(v2), "10Gbps")["bandwidth"] == "10Gbps"


# -- billing modes ------------------------------------------------------------------------------
def test_a_connection_is_pay_as_you_go_unless_created_with_another_offered_mode(dx: Any) -> None:
    plain = dx.create_connection(location="EqDC2", bandwidth="1Gbps", connectionName="c")
    assert plain["billingMode"] == "PayAsYouGo"
    flat = dx.create_connection(
        location="EqDC2", bandwidth="10Gbps", connectionName="c", billingMode="FlatRateTier1"
    )
    assert flat["billingMode"] == "FlatRateTier1"
    assert "is not available for 1Gbps ports at location EqDC2" in refusal(
        dx.create_connection,
        location="EqDC2",
        bandwidth="1Gbps",
        connectionName="c",
        billingMode="FlatRateTier1",
    )
    assert "Billing mode FlatRateTier1 is not available at location KIOQ1" in refusal(
        dx.create_connection,
        location="KIOQ1",
        bandwidth="10Gbps",
        connectionName="c",
        billingMode="FlatRateTier1",
    )


def test_update_connections_billing_mode_changes_all_the_connections(dx: Any) -> None:
    ids = [make_connection(dx), make_connection(dx, "100Gbps")]
    answer = dx.update_connections_billing_mode(connectionIds=ids, billingMode="FlatRateTier2")
    assert answer["billingMode"] == "FlatRateTier2"
    assert [(c["connectionId"], c["billingMode"]) for c in answer["connections"]] == [
        (ids[0], "FlatRateTier2"),
        (ids[1], "FlatRateTier2"),
    ]
    modes = {c["connectionId"]: c["billingMode"] for c in dx.describe_connections()["connections"]}
    assert modes == dict.fromkeys(ids, "FlatRateTier2")


def test_update_connections_billing_mode_is_all_or_nothing(dx: Any) -> None:
    offered = make_connection(dx)
    not_offered = make_connection(dx, "1Gbps")
    message = refusal(
        dx.update_connections_billing_mode,
        connectionIds=[offered, not_offered],
        billingMode="FlatRateTier1",
    )
    assert "is not available for 1Gbps ports" in message
    assert {c["billingMode"] for c in dx.describe_connections()["connections"]} == {"PayAsYouGo"}


def test_update_connections_billing_mode_takes_only_the_callers_dedicated_connections(
    dx: Any, dx_partner: Any
) -> None:
    theirs = make_connection(dx_partner)
    assert "Could not find Connection" in refusal(
        dx.update_connections_billing_mode, connectionIds=[theirs], billingMode="PayAsYouGo"
    )
    ic = make_interconnect(dx_partner)
    hosted = allocate(dx_partner, ic, "500Mbps")["connectionId"]
    assert "is a hosted connection" in refusal(
        dx.update_connections_billing_mode, connectionIds=[hosted], billingMode="PayAsYouGo"
    )


def test_update_connections_billing_mode_takes_1_to_200_ids_and_a_request_mode(
    dx: Any, dx_url: str
) -> None:
    conn = make_connection(dx)
    assert "give 1 to 200 connections" in refusal(
        dx.update_connections_billing_mode,
        connectionIds=[conn] * 201,
        billingMode="PayAsYouGo",
    )
    empty = raw_call(
        dx_url, "UpdateConnectionsBillingMode", {"connectionIds": [], "billingMode": "PayAsYouGo"}
    )
    assert (empty.status_code, empty.json()["__type"]) == (400, "ValidationException")
    assert "billingMode 'PortPairFlatRateTier1' is not valid" in refusal(
        dx.update_connections_billing_mode,
        connectionIds=[make_connection(dx, "100Gbps")],
        billingMode="PortPairFlatRateTier1",
    )

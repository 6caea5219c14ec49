"""Interconnects over boto3: lifecycle, bandwidth, LAG placement, deletion rules."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from botocore.exceptions import ClientError

from tests.conftest import CUSTOMER, advance, error_of, set_delay


def make_interconnect(dx_partner: Any, bandwidth: str = "1Gbps", **kwargs: Any) -> str:
    ic = dx_partner.create_interconnect(
        interconnectName="ic", bandwidth=bandwidth, location="EqDC2", **kwargs
    )
    return str(ic["interconnectId"])


def ic_state(dx_partner: Any, ic_id: str) -> str:
    ics = dx_partner.describe_interconnects(interconnectId=ic_id)["interconnects"]
    return str(ics[0]["interconnectState"])


def test_create_interconnect_returns_requested_interconnect_shape(dx_partner: Any) -> None:
    ic = dx_partner.create_interconnect(interconnectName="ic", bandwidth="10Gbps", location="EqDC2")
    assert re.fullmatch(r"dxcon-[a-z0-9]{8}", ic["interconnectId"])
    assert re.fullmatch(r"EqDC2-[a-z0-9]{12}", ic["awsDevice"])
    assert ic["interconnectState"] == "requested"
    assert ic["region"] == "us-east-1"
    assert "ownerAccount" not in ic


def test_interconnect_walks_requested_pending_available(
    dx_partner: Any, control: httpx.Client
) -> None:
    set_delay(control, 60)
    ic_id = make_interconnect(dx_partner)
    assert ic_state(dx_partner, ic_id) == "requested"
    advance(control, 60)
    assert ic_state(dx_partner, ic_id) == "pending"
    advance(control, 60)
    assert ic_state(dx_partner, ic_id) == "available"


@pytest.mark.parametrize(("given", "stored"), [("1", "1Gbps"), ("10", "10Gbps")])
def test_bare_gbps_bandwidth_is_normalised(dx_partner: Any, given: str, stored: str) -> None:
    assert (
        dx_partner.create_interconnect(interconnectName="ic", bandwidth=given, location="EqDC2")[
            "bandwidth"
        ]
        == stored
    )


def test_interconnect_bandwidth_other_than_1_or_10_gbps_is_refused(dx_partner: Any) -> None:
    with pytest.raises(ClientError) as exc:
        make_interconnect(dx_partner, bandwidth="100Gbps")
    code, message = error_of(exc)
    assert code == "DirectConnectClientException"
    assert "bandwidth '100Gbps' is not valid" in message
    assert "1Gbps, 10Gbps" in message


def test_interconnect_at_unknown_location_is_refused(dx_partner: Any) -> None:
    with pytest.raises(ClientError) as exc:
        dx_partner.create_interconnect(interconnectName="ic", bandwidth="1Gbps", location="Nope1")
    assert "DescribeLocations" in error_of(exc)[1]


def test_interconnect_name_over_200_characters_is_refused(dx_partner: Any) -> None:
    with pytest.raises(ClientError) as exc:
        dx_partner.create_interconnect(interconnectName="x" * 201, bandwidth="1", location="EqDC2")
    assert "interconnectName" in error_of(exc)[1]


def test_interconnect_created_with_lag_id_joins_the_lag(dx_partner: Any) -> None:
    lag = dx_partner.create_lag(
        numberOfConnections=1, location="EqDC2", connectionsBandwidth="10Gbps", lagName="l"
    )
    ic = dx_partner.create_interconnect(
        interconnectName="ic", bandwidth="10", location="EqDC2", lagId=lag["lagId"]
    )
    assert ic["lagId"] == lag["lagId"]
    assert ic["awsDevice"] == lag["awsDevice"]
    described = dx_partner.describe_lags(lagId=lag["lagId"])["lags"][0]
    assert described["numberOfConnections"] == 2
    assert ic["interconnectId"] in [c["connectionId"] for c in described["connections"]]


def test_interconnect_on_a_lag_elsewhere_is_refused(dx_partner: Any) -> None:
    lag_id = dx_partner.create_lag(
        numberOfConnections=1, location="CSVA1", connectionsBandwidth="1Gbps", lagName="l"
    )["lagId"]
    with pytest.raises(ClientError) as exc:
        make_interconnect(dx_partner, lagId=lag_id)
    assert "must be at the LAG's location CSVA1" in error_of(exc)[1]


def test_interconnect_has_no_logical_redundancy(dx_partner: Any) -> None:
    ic_id = make_interconnect(dx_partner)
    ic = dx_partner.describe_interconnects(interconnectId=ic_id)["interconnects"][0]
    assert ic["hasLogicalRedundancy"] == "no"


def test_interconnects_are_visible_only_to_their_owner(dx: Any, dx_partner: Any) -> None:
    ic_id = make_interconnect(dx_partner)
    assert [i["interconnectId"] for i in dx_partner.describe_interconnects()["interconnects"]] == [
        ic_id
    ]
    assert dx.describe_interconnects()["interconnects"] == []
    with pytest.raises(ClientError) as exc:
        dx.describe_interconnects(interconnectId=ic_id)
    assert error_of(exc) == (
        "DirectConnectClientException",
        f"Could not find Interconnect with ID {ic_id}",
    )


def test_delete_interconnect_answers_only_its_state_and_passes_deleting(
    dx_partner: Any, control: httpx.Client
) -> None:
    ic_id = make_interconnect(dx_partner)
    assert ic_state(dx_partner, ic_id) == "available"
    set_delay(control, 30)
    response = dx_partner.delete_interconnect(interconnectId=ic_id)
    response.pop("ResponseMetadata")
    assert response == {"interconnectState": "deleting"}
    advance(control, 30)
    assert ic_state(dx_partner, ic_id) == "deleted"


def test_interconnect_with_live_hosted_connection_cannot_be_deleted(
    dx: Any, dx_partner: Any
) -> None:
    ic_id = make_interconnect(dx_partner)
    hosted = dx_partner.allocate_hosted_connection(
        connectionId=ic_id, ownerAccount=CUSTOMER, bandwidth="50Mbps", connectionName="h", vlan=7
    )["connectionId"]
    with pytest.raises(ClientError) as exc:
        dx_partner.delete_interconnect(interconnectId=ic_id)
    assert error_of(exc)[1].startswith(f"Interconnect {ic_id} still has 1 hosted connection(s)")
    dx.delete_connection(connectionId=hosted)
    assert dx_partner.delete_interconnect(interconnectId=ic_id)["interconnectState"] == "deleting"


# -- today's members ----------------------------------------------------------------------------
def test_create_interconnect_stores_tags_and_provider(dx_partner: Any) -> None:
    ic = dx_partner.create_interconnect(
        interconnectName="ic",
        bandwidth="10Gbps",
        location="EqDC2",
        tags=[{"key": "nni", "value": "a"}],
        providerName="Equinix, Inc.",
    )
    assert ic["tags"] == [{"key": "nni", "value": "a"}]
    assert ic["providerName"] == "Equinix, Inc."
    assert ic["awsLogicalDeviceId"] == ic["awsDeviceV2"]
    assert ic["macSecCapable"] is False
    [seen] = dx_partner.describe_interconnects(interconnectId=ic["interconnectId"])["interconnects"]
    assert seen["tags"] == ic["tags"]


def test_interconnect_provider_and_macsec_must_be_offered_at_the_location(
    dx_partner: Any,
) -> None:
    for params, expected in (
        ({"providerName": "Megaport", "location": "KIOQ1"}, "is not a service provider"),
        ({"requestMACSec": True, "bandwidth": "1Gbps"}, "MACsec is not available for 1Gbps"),
        ({"tags": [{"key": "a"}, {"key": "a"}]}, "appears more than once"),
    ):
        with pytest.raises(ClientError) as exc:
            dx_partner.create_interconnect(
                **{"interconnectName": "ic", "bandwidth": "10Gbps", "location": "EqDC2", **params}
            )
        assert expected in error_of(exc)[1]
    assert dx_partner.describe_interconnects()["interconnects"] == []


def test_describe_interconnects_pages_with_max_results(dx_partner: Any) -> None:
    ids = [make_interconnect(dx_partner) for _ in range(3)]
    assert [
        i["interconnectId"] for i in dx_partner.describe_interconnects()["interconnects"]
    ] == ids
    first = dx_partner.describe_interconnects(maxResults=1)
    second = dx_partner.describe_interconnects(maxResults=5, nextToken=first["nextToken"])
    assert [i["interconnectId"] for i in first["interconnects"] + second["interconnects"]] == ids
    assert "nextToken" not in second

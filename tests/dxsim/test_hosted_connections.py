"""Hosted connections over boto3: a partner allocates, the customer confirms or declines."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from botocore.exceptions import ClientError

from tests.conftest import CUSTOMER, PARTNER, error_of


def make_interconnect(dx_partner: Any, location: str = "EqDC2") -> str:
    ic = dx_partner.create_interconnect(interconnectName="ic", bandwidth="1", location=location)
    return str(ic["interconnectId"])


def make_partner_lag(dx_partner: Any) -> str:
    make_interconnect(dx_partner)
    lag = dx_partner.create_lag(
        numberOfConnections=1, location="EqDC2", connectionsBandwidth="1Gbps", lagName="pl"
    )
    return str(lag["lagId"])


def allocate(dx_partner: Any, parent_id: str, vlan: int = 101, **overrides: Any) -> Any:
    params: dict[str, Any] = {
        "connectionId": parent_id,
        "ownerAccount": CUSTOMER,
        "bandwidth": "100Mbps",
        "connectionName": "hosted",
        "vlan": vlan,
    }
    params.update(overrides)
    return dx_partner.allocate_hosted_connection(**params)


def conn_state(dx: Any, conn_id: str) -> str:
    return str(dx.describe_connections(connectionId=conn_id)["connections"][0]["connectionState"])


def test_hosted_connection_lands_ordering_in_the_customer_account(dx: Any, dx_partner: Any) -> None:
    ic_id = make_interconnect(dx_partner)
    hosted = allocate(dx_partner, ic_id)
    assert hosted["ownerAccount"] == CUSTOMER
    assert hosted["connectionState"] == "ordering"
    assert hosted["vlan"] == 101
    assert hosted["location"] == "EqDC2"
    assert hosted["region"] == "us-east-1"
    assert PARTNER in hosted["partnerName"]
    assert [c["connectionId"] for c in dx.describe_connections()["connections"]] == [
        hosted["connectionId"]
    ]
    assert dx_partner.describe_connections()["connections"] == []


def test_hosted_connection_stays_ordering_until_the_customer_confirms(
    dx: Any, dx_partner: Any
) -> None:
    conn_id = allocate(dx_partner, make_interconnect(dx_partner))["connectionId"]
    assert conn_state(dx, conn_id) == "ordering"
    assert dx.confirm_connection(connectionId=conn_id)["connectionState"] == "pending"
    assert conn_state(dx, conn_id) == "available"


def test_customer_deleting_an_ordering_hosted_connection_rejects_it(
    dx: Any, dx_partner: Any
) -> None:
    conn_id = allocate(dx_partner, make_interconnect(dx_partner))["connectionId"]
    assert dx.delete_connection(connectionId=conn_id)["connectionState"] == "rejected"


def test_hosted_connection_on_a_partner_lag_carries_the_lag_as_parent(
    dx: Any, dx_partner: Any
) -> None:
    lag_id = make_partner_lag(dx_partner)
    hosted = allocate(dx_partner, lag_id)
    assert hosted["connectionState"] == "ordering"
    assert hosted["hasLogicalRedundancy"] == "yes"
    listed = dx_partner.describe_hosted_connections(connectionId=lag_id)["connections"]
    assert [c["connectionId"] for c in listed] == [hosted["connectionId"]]


def test_hosted_bandwidth_outside_50_to_500_mbps_is_refused(dx_partner: Any) -> None:
    with pytest.raises(ClientError) as exc:
        allocate(dx_partner, make_interconnect(dx_partner), bandwidth="1Gbps")
    code, message = error_of(exc)
    assert code == "DirectConnectClientException"
    assert "50Mbps, 100Mbps, 200Mbps, 300Mbps, 400Mbps, 500Mbps" in message


@pytest.mark.parametrize("vlan", [0, 4095])
def test_vlan_outside_1_to_4094_is_refused(dx_partner: Any, vlan: int) -> None:
    with pytest.raises(ClientError) as exc:
        allocate(dx_partner, make_interconnect(dx_partner), vlan=vlan)
    assert "between 1 and 4094" in error_of(exc)[1]


def test_vlan_in_use_on_the_same_interconnect_is_refused(dx_partner: Any) -> None:
    ic_id = make_interconnect(dx_partner)
    first = allocate(dx_partner, ic_id, vlan=300)["connectionId"]
    with pytest.raises(ClientError) as exc:
        allocate(dx_partner, ic_id, vlan=300)
    assert error_of(exc)[1] == (
        f"VLAN 300 is already in use on {ic_id} by hosted connection {first}."
    )
    allocate(dx_partner, make_interconnect(dx_partner), vlan=300)


def test_vlan_of_a_rejected_hosted_connection_can_be_reused(dx: Any, dx_partner: Any) -> None:
    ic_id = make_interconnect(dx_partner)
    dx.delete_connection(connectionId=allocate(dx_partner, ic_id, vlan=300)["connectionId"])
    assert allocate(dx_partner, ic_id, vlan=300)["connectionState"] == "ordering"


def test_owner_account_must_be_twelve_digits(dx_partner: Any) -> None:
    with pytest.raises(ClientError) as exc:
        allocate(dx_partner, make_interconnect(dx_partner), ownerAccount="12345")
    assert "ownerAccount '12345' is not valid" in error_of(exc)[1]


def test_partner_cannot_allocate_a_hosted_connection_to_itself(dx_partner: Any) -> None:
    with pytest.raises(ClientError) as exc:
        allocate(dx_partner, make_interconnect(dx_partner), ownerAccount=PARTNER)
    assert error_of(exc)[1].startswith("Cannot allocate a hosted connection for the owner")


def test_customer_cannot_allocate_on_the_partners_interconnect(dx: Any, dx_partner: Any) -> None:
    ic_id = make_interconnect(dx_partner)
    with pytest.raises(ClientError) as exc:
        allocate(dx, ic_id, ownerAccount=PARTNER)
    assert error_of(exc)[1] == f"Could not find Interconnect with ID {ic_id}"


def test_hosted_connection_cannot_ride_on_a_dedicated_connection(dx_partner: Any) -> None:
    conn_id = dx_partner.create_connection(location="EqDC2", bandwidth="1Gbps", connectionName="c")[
        "connectionId"
    ]
    with pytest.raises(ClientError) as exc:
        allocate(dx_partner, conn_id)
    assert "not an interconnect or LAG" in error_of(exc)[1]


def test_partner_lists_hosted_connections_of_its_interconnect(dx: Any, dx_partner: Any) -> None:
    ic_id = make_interconnect(dx_partner)
    a = allocate(dx_partner, ic_id, vlan=1)["connectionId"]
    b = allocate(dx_partner, ic_id, vlan=2)["connectionId"]
    listed = dx_partner.describe_hosted_connections(connectionId=ic_id)["connections"]
    assert sorted(c["connectionId"] for c in listed) == sorted([a, b])
    assert {c["ownerAccount"] for c in listed} == {CUSTOMER}
    assert dx_partner.describe_connections(connectionId=a)["connections"][0]["vlan"] == 1


def test_describe_hosted_connections_of_unknown_parent_says_it_does_not_exist(
    dx: Any, dx_partner: Any
) -> None:
    ic_id = make_interconnect(dx_partner)
    with pytest.raises(ClientError) as exc:
        dx.describe_hosted_connections(connectionId=ic_id)
    assert error_of(exc) == (
        "DirectConnectClientException",
        f"{CUSTOMER} DescribeHostedConnections failed for connection {ic_id} doesn't exist.",
    )


def test_deprecated_allocate_connection_on_interconnect_follows_the_same_rules(
    dx_partner: Any,
) -> None:
    ic_id = make_interconnect(dx_partner)
    params = {
        "bandwidth": "500Mbps",
        "connectionName": "old",
        "ownerAccount": CUSTOMER,
        "interconnectId": ic_id,
        "vlan": 9,
    }
    assert dx_partner.allocate_connection_on_interconnect(**params)["connectionState"] == "ordering"
    with pytest.raises(ClientError) as exc:
        dx_partner.allocate_connection_on_interconnect(**params)
    assert "VLAN 9 is already in use" in error_of(exc)[1]
    with pytest.raises(ClientError) as exc:
        dx_partner.allocate_connection_on_interconnect(**{**params, "bandwidth": "10Gbps"})
    assert "is a V1 NNI partner" in error_of(exc)[1]


def test_deprecated_describe_connections_on_interconnect_lists_hosted_connections(
    dx_partner: Any,
) -> None:
    ic_id = make_interconnect(dx_partner)
    conn_id = allocate(dx_partner, ic_id)["connectionId"]
    listed = dx_partner.describe_connections_on_interconnect(interconnectId=ic_id)["connections"]
    assert [c["connectionId"] for c in listed] == [conn_id]


def test_associate_hosted_connection_moves_it_to_a_lag(dx: Any, dx_partner: Any) -> None:
    ic_id = make_interconnect(dx_partner)
    lag_id = make_partner_lag(dx_partner)
    conn_id = allocate(dx_partner, ic_id)["connectionId"]
    moved = dx_partner.associate_hosted_connection(connectionId=conn_id, parentConnectionId=lag_id)
    assert moved["connectionId"] == conn_id
    on_lag = dx_partner.describe_hosted_connections(connectionId=lag_id)["connections"]
    assert [c["connectionId"] for c in on_lag] == [conn_id]
    assert dx_partner.describe_hosted_connections(connectionId=ic_id)["connections"] == []


def test_associate_hosted_connection_with_conflicting_vlan_is_refused(dx_partner: Any) -> None:
    ic_id = make_interconnect(dx_partner)
    lag_id = make_partner_lag(dx_partner)
    conn_id = allocate(dx_partner, ic_id, vlan=55)["connectionId"]
    taken = allocate(dx_partner, lag_id, vlan=55)["connectionId"]
    with pytest.raises(ClientError) as exc:
        dx_partner.associate_hosted_connection(connectionId=conn_id, parentConnectionId=lag_id)
    assert (
        error_of(exc)[1] == f"VLAN 55 is already in use on {lag_id} by hosted connection {taken}."
    )


def test_hosted_connection_goes_down_with_its_interconnect(
    dx: Any, dx_partner: Any, control: httpx.Client
) -> None:
    ic_id = make_interconnect(dx_partner)
    conn_id = allocate(dx_partner, ic_id)["connectionId"]
    dx.confirm_connection(connectionId=conn_id)
    assert conn_state(dx, conn_id) == "available"
    control.post(f"/connections/{ic_id}/link", json={"status": "down"}).raise_for_status()
    assert conn_state(dx, conn_id) == "down"


# -- today's members ----------------------------------------------------------------------------
def test_allocate_hosted_connection_stores_tags_on_the_customers_connection(
    dx: Any, dx_partner: Any
) -> None:
    hosted = allocate(
        dx_partner, make_interconnect(dx_partner), tags=[{"key": "cust", "value": "a"}]
    )
    assert hosted["tags"] == [{"key": "cust", "value": "a"}]
    assert hosted["partnerInterconnectMacSecCapable"] is False
    assert hosted["macSecCapable"] is False
    assert "billingMode" not in hosted
    assert "prefixPoolSizeIpv4" not in hosted
    [seen] = dx.describe_connections(connectionId=hosted["connectionId"])["connections"]
    assert seen["tags"] == hosted["tags"]


def test_invalid_tags_refuse_the_hosted_connection(dx: Any, dx_partner: Any) -> None:
    ic = make_interconnect(dx_partner)
    with pytest.raises(ClientError) as exc:
        allocate(dx_partner, ic, tags=[{"key": "x" * 129}])
    assert "Tag key" in error_of(exc)[1]
    assert dx_partner.describe_hosted_connections(connectionId=ic)["connections"] == []


def test_describe_hosted_connections_pages_with_max_results(dx_partner: Any) -> None:
    ic = make_interconnect(dx_partner)
    ids = [allocate(dx_partner, ic, vlan=vlan)["connectionId"] for vlan in (1, 2, 3)]
    everything = dx_partner.describe_hosted_connections(connectionId=ic)
    assert [c["connectionId"] for c in everything["connections"]] == ids
    first = dx_partner.describe_hosted_connections(connectionId=ic, maxResults=2)
    rest = dx_partner.describe_hosted_connections(
        connectionId=ic, maxResults=2, nextToken=first["nextToken"]
    )
    assert [c["connectionId"] for c in first["connections"] + rest["connections"]] == ids
    other = make_interconnect(dx_partner)
    with pytest.raises(ClientError) as exc:
        dx_partner.describe_hosted_connections(
            connectionId=other, maxResults=2, nextToken=first["nextToken"]
        )
    assert "nextToken is not valid" in error_of(exc)[1]

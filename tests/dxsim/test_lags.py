"""LAGs over boto3: creation and migration, membership rules, minimumLinks, deletion."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from botocore.exceptions import ClientError

from tests.conftest import CUSTOMER, advance, error_of, set_delay


def make_lag(dx: Any, n: int = 2, bandwidth: str = "1Gbps", location: str = "EqDC2") -> Any:
    return dx.create_lag(
        numberOfConnections=n, location=location, connectionsBandwidth=bandwidth, lagName="lag"
    )


def make_connection(dx: Any, bandwidth: str = "1Gbps", location: str = "EqDC2") -> str:
    conn = dx.create_connection(location=location, bandwidth=bandwidth, connectionName="c")
    return str(conn["connectionId"])


def lag_of(dx: Any, lag_id: str) -> Any:
    return dx.describe_lags(lagId=lag_id)["lags"][0]


def member_ids(dx: Any, lag_id: str) -> list[str]:
    return [c["connectionId"] for c in lag_of(dx, lag_id)["connections"]]


def make_vif(dx: Any, carrier_id: str, vlan: int) -> str:
    vgw = dx.describe_virtual_gateways()["virtualGateways"][0]["virtualGatewayId"]
    vif = dx.create_private_virtual_interface(
        connectionId=carrier_id,
        newPrivateVirtualInterface={
            "virtualInterfaceName": f"vif{vlan}",
            "vlan": vlan,
            "asn": 65000,
            "virtualGatewayId": vgw,
        },
    )
    return str(vif["virtualInterfaceId"])


def vif_carrier(dx: Any, vif_id: str) -> str:
    vifs = dx.describe_virtual_interfaces(virtualInterfaceId=vif_id)["virtualInterfaces"]
    return str(vifs[0]["connectionId"])


def link(control: httpx.Client, resource_id: str, status: str) -> None:
    control.post(f"/connections/{resource_id}/link", json={"status": status}).raise_for_status()


@pytest.mark.aws_verified
def test_create_lag_returns_a_pending_lag_with_requested_members(dx: Any) -> None:
    """As AWS's own create-lag CLI example shows: the LAG `pending`, its members `requested`."""
    lag = make_lag(dx, n=2)
    assert re.fullmatch(r"dxlag-[a-z0-9]{8}", lag["lagId"])
    assert lag["lagState"] == "pending"
    assert lag["ownerAccount"] == CUSTOMER
    assert lag["numberOfConnections"] == 2
    assert lag["minimumLinks"] == 0
    assert [c["connectionState"] for c in lag["connections"]] == ["requested", "requested"]
    assert {c["lagId"] for c in lag["connections"]} == {lag["lagId"]}
    assert {c["awsDevice"] for c in lag["connections"]} == {lag["awsDevice"]}


def test_lag_walks_pending_available_while_members_walk_requested_pending_available(
    dx: Any, control: httpx.Client
) -> None:
    set_delay(control, 60)
    lag_id = make_lag(dx)["lagId"]

    def states() -> tuple[str, list[str]]:
        lag = lag_of(dx, lag_id)
        return lag["lagState"], [c["connectionState"] for c in lag["connections"]]

    assert states() == ("pending", ["requested", "requested"])
    advance(control, 60)
    assert states() == ("pending", ["pending", "pending"])
    advance(control, 60)
    assert states() == ("available", ["available", "available"])


def test_lag_and_its_members_have_logical_redundancy(dx: Any) -> None:
    lag = lag_of(dx, make_lag(dx)["lagId"])
    assert lag["hasLogicalRedundancy"] == "yes"
    assert {c["hasLogicalRedundancy"] for c in lag["connections"]} == {"yes"}


def test_connections_bandwidth_other_than_1_or_10_gbps_is_refused(dx: Any) -> None:
    with pytest.raises(ClientError) as exc:
        make_lag(dx, bandwidth="100Gbps")
    code, message = error_of(exc)
    assert code == "DirectConnectClientException"
    assert "connectionsBandwidth '100Gbps' is not valid" in message


@pytest.mark.parametrize("n", [0, 11])
def test_number_of_connections_outside_1_to_10_is_refused(dx: Any, n: int) -> None:
    with pytest.raises(ClientError) as exc:
        make_lag(dx, n=n)
    assert f"numberOfConnections {n} is not valid" in error_of(exc)[1]


def test_lag_name_over_200_characters_is_refused(dx: Any) -> None:
    with pytest.raises(ClientError) as exc:
        dx.create_lag(
            numberOfConnections=1, location="EqDC2", connectionsBandwidth="1Gbps", lagName="n" * 201
        )
    assert "lagName" in error_of(exc)[1]


def test_lag_at_unknown_location_is_refused(dx: Any) -> None:
    with pytest.raises(ClientError) as exc:
        make_lag(dx, location="EqSE2")
    assert "DescribeLocations" in error_of(exc)[1]


def test_create_lag_with_connection_id_migrates_it_with_its_vifs(dx: Any) -> None:
    conn_id = make_connection(dx)
    vif_id = make_vif(dx, conn_id, vlan=10)
    lag = dx.create_lag(
        numberOfConnections=2,
        location="EqDC2",
        connectionsBandwidth="1Gbps",
        lagName="migrated",
        connectionId=conn_id,
    )
    assert lag["numberOfConnections"] == 2
    assert conn_id in [c["connectionId"] for c in lag["connections"]]
    conn = dx.describe_connections(connectionId=conn_id)["connections"][0]
    assert conn["lagId"] == lag["lagId"]
    assert vif_carrier(dx, vif_id) == lag["lagId"]


def test_create_lag_from_a_connection_elsewhere_is_refused(dx: Any) -> None:
    conn_id = make_connection(dx, location="CSVA1")
    with pytest.raises(ClientError) as exc:
        dx.create_lag(
            numberOfConnections=1,
            location="EqDC2",
            connectionsBandwidth="1Gbps",
            lagName="l",
            connectionId=conn_id,
        )
    assert f"Connection {conn_id} terminates at CSVA1" in error_of(exc)[1]


def test_only_partner_lags_allow_hosted_connections(dx: Any, dx_partner: Any) -> None:
    customer_lag = make_lag(dx)
    dx_partner.create_interconnect(interconnectName="ic", bandwidth="1", location="EqDC2")
    partner_lag = make_lag(dx_partner)
    assert customer_lag["allowsHostedConnections"] is False
    assert partner_lag["allowsHostedConnections"] is True
    with pytest.raises(ClientError) as exc:
        dx.allocate_hosted_connection(
            connectionId=customer_lag["lagId"],
            ownerAccount="210987654321",
            bandwidth="50Mbps",
            connectionName="h",
            vlan=5,
        )
    assert "does not allow hosted connections" in error_of(exc)[1]


def test_update_lag_renames_it(dx: Any) -> None:
    lag_id = make_lag(dx)["lagId"]
    assert dx.update_lag(lagId=lag_id, lagName="renamed")["lagName"] == "renamed"
    assert lag_of(dx, lag_id)["lagName"] == "renamed"


def test_update_lag_without_changes_is_refused(dx: Any) -> None:
    with pytest.raises(ClientError) as exc:
        dx.update_lag(lagId=make_lag(dx)["lagId"])
    assert "needs lagName, minimumLinks or encryptionMode" in error_of(exc)[1]


def test_minimum_links_above_operational_members_takes_the_lag_down(dx: Any) -> None:
    lag_id = make_lag(dx, n=2)["lagId"]
    assert lag_of(dx, lag_id)["lagState"] == "available"
    updated = dx.update_lag(lagId=lag_id, minimumLinks=3)
    assert (updated["minimumLinks"], updated["lagState"]) == (3, "down")
    assert dx.update_lag(lagId=lag_id, minimumLinks=2)["lagState"] == "available"


def test_member_link_down_below_minimum_links_takes_the_lag_down(
    dx: Any, control: httpx.Client
) -> None:
    lag_id = make_lag(dx, n=2)["lagId"]
    first = member_ids(dx, lag_id)[0]
    link(control, first, "down")
    assert lag_of(dx, lag_id)["lagState"] == "available"
    dx.update_lag(lagId=lag_id, minimumLinks=2)
    assert lag_of(dx, lag_id)["lagState"] == "down"
    link(control, first, "up")
    assert lag_of(dx, lag_id)["lagState"] == "available"


def test_associate_requires_the_lags_bandwidth_and_location(dx: Any) -> None:
    lag_id = make_lag(dx, n=1)["lagId"]
    fast = make_connection(dx, bandwidth="10Gbps")
    elsewhere = make_connection(dx, location="CSVA1")
    with pytest.raises(ClientError) as exc:
        dx.associate_connection_with_lag(connectionId=fast, lagId=lag_id)
    assert "must have the LAG's bandwidth 1Gbps, not 10Gbps" in error_of(exc)[1]
    with pytest.raises(ClientError) as exc:
        dx.associate_connection_with_lag(connectionId=elsewhere, lagId=lag_id)
    assert "must be at the LAG's location EqDC2, not CSVA1" in error_of(exc)[1]


def test_lag_holds_at_most_ten_connections(dx: Any) -> None:
    lag_id = make_lag(dx, n=10)["lagId"]
    conn_id = make_connection(dx)
    with pytest.raises(ClientError) as exc:
        dx.associate_connection_with_lag(connectionId=conn_id, lagId=lag_id)
    assert error_of(exc)[1] == f"Lag {lag_id} already has 10 connections, the maximum per LAG."


def test_associate_refused_if_the_old_lag_would_fall_below_minimum_links(dx: Any) -> None:
    old = make_lag(dx, n=2)["lagId"]
    new = make_lag(dx, n=1)["lagId"]
    dx.update_lag(lagId=old, minimumLinks=2)
    member = member_ids(dx, old)[0]
    with pytest.raises(ClientError) as exc:
        dx.associate_connection_with_lag(connectionId=member, lagId=new)
    assert "below its minimumLinks of 2" in error_of(exc)[1]
    assert member in member_ids(dx, old)


def test_associate_moves_the_connections_vifs_but_not_the_old_lags(dx: Any) -> None:
    old = make_lag(dx, n=2)["lagId"]
    new = make_lag(dx, n=1)["lagId"]
    member = member_ids(dx, old)[0]
    (original,) = member_ids(dx, new)
    lag_vif = make_vif(dx, old, vlan=20)
    conn = dx.associate_connection_with_lag(connectionId=member, lagId=new)
    assert conn["lagId"] == new
    assert vif_carrier(dx, lag_vif) == old
    standalone = make_connection(dx)
    own_vif = make_vif(dx, standalone, vlan=21)
    dx.associate_connection_with_lag(connectionId=standalone, lagId=new)
    assert vif_carrier(dx, own_vif) == new
    assert sorted(member_ids(dx, new)) == sorted([original, member, standalone])


def test_associating_an_interconnect_moves_its_hosted_connections(dx_partner: Any) -> None:
    ic_id = dx_partner.create_interconnect(interconnectName="ic", bandwidth="1", location="EqDC2")[
        "interconnectId"
    ]
    lag_id = make_lag(dx_partner, n=1)["lagId"]
    hosted = dx_partner.allocate_hosted_connection(
        connectionId=ic_id, ownerAccount=CUSTOMER, bandwidth="50Mbps", connectionName="h", vlan=4
    )["connectionId"]
    member = dx_partner.associate_connection_with_lag(connectionId=ic_id, lagId=lag_id)
    assert (member["connectionId"], member["lagId"]) == (ic_id, lag_id)
    on_lag = dx_partner.describe_hosted_connections(connectionId=lag_id)["connections"]
    assert [c["connectionId"] for c in on_lag] == [hosted]


def test_disassociate_below_minimum_links_is_refused_except_for_the_last_member(dx: Any) -> None:
    lag_id = make_lag(dx, n=2)["lagId"]
    first, second = member_ids(dx, lag_id)
    dx.update_lag(lagId=lag_id, minimumLinks=2)
    with pytest.raises(ClientError) as exc:
        dx.disassociate_connection_from_lag(connectionId=first, lagId=lag_id)
    assert error_of(exc)[1] == (
        f"Disassociating {first} would leave Lag {lag_id} with 1 operational connection(s), "
        f"below its minimumLinks of 2."
    )
    dx.update_lag(lagId=lag_id, minimumLinks=1)
    dx.disassociate_connection_from_lag(connectionId=first, lagId=lag_id)
    last = dx.disassociate_connection_from_lag(connectionId=second, lagId=lag_id)
    assert "lagId" not in last
    assert member_ids(dx, lag_id) == []


def test_disassociating_every_member_leaves_an_empty_lag_with_its_vifs(dx: Any) -> None:
    lag_id = make_lag(dx, n=1)["lagId"]
    (member,) = member_ids(dx, lag_id)
    vif_id = make_vif(dx, lag_id, vlan=30)
    dx.update_lag(lagId=lag_id, minimumLinks=1)
    conn = dx.disassociate_connection_from_lag(connectionId=member, lagId=lag_id)
    assert "lagId" not in conn
    assert conn["hasLogicalRedundancy"] == "no"
    lag = lag_of(dx, lag_id)
    assert (lag["numberOfConnections"], lag["connections"]) == (0, [])
    assert vif_carrier(dx, vif_id) == lag_id


def test_partner_connection_leaving_a_lag_becomes_an_interconnect(dx_partner: Any) -> None:
    dx_partner.create_interconnect(interconnectName="ic", bandwidth="1", location="EqDC2")
    lag_id = make_lag(dx_partner, n=1)["lagId"]
    (member,) = member_ids(dx_partner, lag_id)
    dx_partner.disassociate_connection_from_lag(connectionId=member, lagId=lag_id)
    ic = dx_partner.describe_interconnects(interconnectId=member)["interconnects"][0]
    assert (ic["interconnectId"], ic["interconnectState"]) == (member, "available")
    assert member not in [
        c["connectionId"] for c in dx_partner.describe_connections()["connections"]
    ]


def test_disassociate_from_unknown_lag_says_lag_does_not_exist(dx: Any) -> None:
    conn_id = make_connection(dx)
    with pytest.raises(ClientError) as exc:
        dx.disassociate_connection_from_lag(connectionId=conn_id, lagId="dxlag-fzzzzzzz")
    assert error_of(exc) == (
        "DirectConnectClientException",
        "Lag does not exist. Could not find Lag with ID dxlag-fzzzzzzz",
    )


def test_lag_with_a_live_vif_cannot_be_deleted(dx: Any) -> None:
    lag_id = make_lag(dx)["lagId"]
    vif_id = make_vif(dx, lag_id, vlan=40)
    with pytest.raises(ClientError) as exc:
        dx.delete_lag(lagId=lag_id)
    assert error_of(exc)[1] == (
        f"Lag {lag_id} has 1 virtual interface(s) ({vif_id}); delete them first."
    )


def test_lag_with_a_live_hosted_connection_cannot_be_deleted(dx_partner: Any) -> None:
    dx_partner.create_interconnect(interconnectName="ic", bandwidth="1", location="EqDC2")
    lag_id = make_lag(dx_partner)["lagId"]
    hosted = dx_partner.allocate_hosted_connection(
        connectionId=lag_id, ownerAccount=CUSTOMER, bandwidth="50Mbps", connectionName="h", vlan=4
    )["connectionId"]
    with pytest.raises(ClientError) as exc:
        dx_partner.delete_lag(lagId=lag_id)
    assert error_of(exc)[1] == (
        f"Lag {lag_id} has 1 hosted connection(s) ({hosted}); delete them first."
    )


def test_delete_lag_deletes_its_members_and_answers_without_them(
    dx: Any, control: httpx.Client
) -> None:
    lag_id = make_lag(dx, n=2)["lagId"]
    members = member_ids(dx, lag_id)
    set_delay(control, 30)
    deleted = dx.delete_lag(lagId=lag_id)
    assert (deleted["lagState"], deleted["numberOfConnections"], deleted["connections"]) == (
        "deleting",
        0,
        [],
    )
    advance(control, 30)
    assert lag_of(dx, lag_id)["lagState"] == "deleted"
    states = {
        c["connectionId"]: c["connectionState"] for c in dx.describe_connections()["connections"]
    }
    assert states == dict.fromkeys(members, "deleted")


def test_describe_unknown_lag_says_could_not_find(dx: Any, dx_partner: Any) -> None:
    lag_id = make_lag(dx)["lagId"]
    assert dx_partner.describe_lags()["lags"] == []
    with pytest.raises(ClientError) as exc:
        dx_partner.describe_lags(lagId=lag_id)
    assert error_of(exc) == ("DirectConnectClientException", f"Could not find Lag with ID {lag_id}")


# -- today's members ----------------------------------------------------------------------------
def test_create_lag_tags_the_lag_and_each_connection_it_creates(dx: Any) -> None:
    lag = dx.create_lag(
        numberOfConnections=2,
        location="EqDC2",
        connectionsBandwidth="10Gbps",
        lagName="tagged",
        tags=[{"key": "role", "value": "core"}],
        childConnectionTags=[{"key": "role", "value": "member"}],
        providerName="Zayo Group",
        billingMode="FlatRateTier2",
    )
    assert lag["tags"] == [{"key": "role", "value": "core"}]
    assert (lag["providerName"], lag["billingMode"]) == ("Zayo Group", "FlatRateTier2")
    assert lag["awsLogicalDeviceId"] == lag["awsDeviceV2"]
    assert lag["macSecCapable"] is False
    assert lag["prefixPoolSizeIpv4"] == 51000
    assert lag["rateLimiterStatus"]["maxAllowed"] == 51
    for member in lag["connections"]:
        assert member["tags"] == [{"key": "role", "value": "member"}]
        assert (member["providerName"], member["billingMode"]) == ("Zayo Group", "FlatRateTier2")
    [seen] = dx.describe_lags(lagId=lag["lagId"])["lags"]
    assert seen["tags"] == lag["tags"]


def test_invalid_child_connection_tags_refuse_the_lag_before_anything_is_created(dx: Any) -> None:
    with pytest.raises(ClientError) as exc:
        dx.create_lag(
            numberOfConnections=2,
            location="EqDC2",
            connectionsBandwidth="1Gbps",
            lagName="l",
            childConnectionTags=[{"key": "bad*key"}],
        )
    assert "Tag key 'bad*key' is not valid" in error_of(exc)[1]
    assert dx.describe_lags()["lags"] == []
    assert dx.describe_connections()["connections"] == []


def test_lag_provider_speed_and_billing_mode_must_be_offered_at_the_location(dx: Any) -> None:
    cases = [
        ({"providerName": "Nobody"}, "providerName 'Nobody' is not a service provider"),
        ({"location": "KIOQ1", "billingMode": "FlatRateTier1"}, "is not available at location"),
        ({"billingMode": "FlatRateTier1"}, "is not available for 1Gbps ports"),
    ]
    for overrides, expected in cases:
        params = {
            "numberOfConnections": 1,
            "location": "EqDC2",
            "connectionsBandwidth": "1Gbps",
            "lagName": "l",
            **overrides,
        }
        with pytest.raises(ClientError) as exc:
            dx.create_lag(**params)
        assert expected in error_of(exc)[1]


def test_a_connection_created_into_a_lag_takes_its_billing_mode_and_provider(dx: Any) -> None:
    lag = dx.create_lag(
        numberOfConnections=1,
        location="EqDC2",
        connectionsBandwidth="10Gbps",
        lagName="l",
        providerName="Megaport",
        billingMode="FlatRateTier1",
    )
    conn = dx.create_connection(
        location="EqDC2", bandwidth="10Gbps", connectionName="c", lagId=lag["lagId"]
    )
    assert (conn["billingMode"], conn["providerName"]) == ("FlatRateTier1", "Megaport")
    with pytest.raises(ClientError) as exc:
        dx.create_connection(
            location="EqDC2",
            bandwidth="10Gbps",
            connectionName="c",
            lagId=lag["lagId"],
            billingMode="PayAsYouGo",
        )
    assert "has the LAG's billing mode FlatRateTier1" in error_of(exc)[1]


def test_a_lag_hosting_connections_has_no_prefix_pools(dx_partner: Any) -> None:
    dx_partner.create_interconnect(interconnectName="ic", bandwidth="1", location="EqDC2")
    lag = make_lag(dx_partner)
    assert lag["allowsHostedConnections"] is True
    assert "prefixPoolSizeIpv4" not in lag
    assert "rateLimiterStatus" not in lag


def test_describe_lags_pages_with_max_results_and_returns_all_without(dx: Any) -> None:
    ids = [make_lag(dx, n=1)["lagId"] for _ in range(3)]
    assert [lag["lagId"] for lag in dx.describe_lags()["lags"]] == ids
    first = dx.describe_lags(maxResults=2)
    assert [lag["lagId"] for lag in first["lags"]] == ids[:2]
    rest = dx.describe_lags(maxResults=2, nextToken=first["nextToken"])
    assert [lag["lagId"] for lag in rest["lags"]] == ids[2:]
    assert "nextToken" not in rest
    with pytest.raises(ClientError) as exc:
        dx.describe_lags(maxResults=0)
    assert error_of(exc)[0] in ("DirectConnectClientException", "ValidationException")

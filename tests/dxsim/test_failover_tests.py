"""BGP failover tests (StartBgpFailoverTest, StopBgpFailoverTest, ListVirtualInterfaceTestHistory)
through real boto3 in both protocols; durations run on the simulated clock."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest
from botocore.exceptions import ClientError

from tests.conftest import CUSTOMER, PARTNER, advance, error_of
from tests.dxsim.builders import (
    new_connection,
    new_gateway,
    offered_private_vif,
    set_link,
    transit_vif,
)

MINUTE = 60.0
DAY = 86400.0


def private_vif(dx: Any, conn_id: str | None = None, vlan: int = 101) -> str:
    vgw = dx.describe_virtual_gateways()["virtualGateways"][0]["virtualGatewayId"]
    vif_id: str = dx.create_private_virtual_interface(
        connectionId=conn_id or new_connection(dx),
        newPrivateVirtualInterface={
            "virtualInterfaceName": f"vif-{vlan}",
            "vlan": vlan,
            "asn": 65000,
            "authKey": "s3cret-key",
            "virtualGatewayId": vgw,
        },
    )["virtualInterfaceId"]
    dx.describe_virtual_interfaces()
    return vif_id


def vif_of(dx: Any, vif_id: str) -> dict[str, Any]:
    found: dict[str, Any] = dx.describe_virtual_interfaces(virtualInterfaceId=vif_id)[
        "virtualInterfaces"
    ][0]
    return found


def peer_status(dx: Any, vif_id: str) -> dict[str, str]:
    return {p["bgpPeerId"]: p["bgpStatus"] for p in vif_of(dx, vif_id)["bgpPeers"]}


def add_ipv6_peer(dx: Any, vif_id: str) -> str:
    vif = dx.create_bgp_peer(
        virtualInterfaceId=vif_id, newBGPPeer={"asn": 65000, "addressFamily": "ipv6"}
    )["virtualInterface"]
    dx.describe_virtual_interfaces()
    return str(next(p["bgpPeerId"] for p in vif["bgpPeers"] if p["addressFamily"] == "ipv6"))


def history(dx: Any, **filters: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = dx.list_virtual_interface_test_history(**filters)[
        "virtualInterfaceTestHistory"
    ]
    return found


def refused(call: Any, **params: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as excinfo:
        call(**params)
    return error_of(excinfo)


# -- start, run, complete -------------------------------------------------------------------
def test_a_test_holds_every_peer_down_for_180_minutes_by_default(
    dx: Any, control: httpx.Client
) -> None:
    vif_id = private_vif(dx)
    assert set(peer_status(dx, vif_id).values()) == {"up"}
    test = dx.start_bgp_failover_test(virtualInterfaceId=vif_id)["virtualInterfaceTest"]
    assert test["testId"].startswith("dxtest-")
    assert test["virtualInterfaceId"] == vif_id
    assert test["status"] == "in-progress"
    assert test["ownerAccount"] == CUSTOMER
    assert test["testDurationInMinutes"] == 180
    assert test["bgpPeers"] == list(peer_status(dx, vif_id))
    assert test["endTime"] - test["startTime"] == timedelta(minutes=180)
    assert vif_of(dx, vif_id)["virtualInterfaceState"] == "testing"
    assert set(peer_status(dx, vif_id).values()) == {"down"}

    advance(control, 179 * MINUTE)
    assert vif_of(dx, vif_id)["virtualInterfaceState"] == "testing"
    advance(control, 1 * MINUTE)
    assert vif_of(dx, vif_id)["virtualInterfaceState"] == "available"
    assert set(peer_status(dx, vif_id).values()) == {"up"}
    [done] = history(dx)
    assert done["status"] == "completed"
    assert done["endTime"] == test["endTime"]


def test_the_duration_is_bounded_to_1_through_4320_minutes(dx: Any, control: httpx.Client) -> None:
    vif_id = private_vif(dx)
    for bad in (0, -5, 4321, 2**40):
        code, message = refused(
            dx.start_bgp_failover_test, virtualInterfaceId=vif_id, testDurationInMinutes=bad
        )
        assert code == "DirectConnectClientException"
        assert "between 1 and 4320" in message
    test = dx.start_bgp_failover_test(virtualInterfaceId=vif_id, testDurationInMinutes=4320)
    assert test["virtualInterfaceTest"]["testDurationInMinutes"] == 4320
    advance(control, 4320 * MINUTE)
    assert history(dx)[0]["status"] == "completed"


def test_a_short_test_ends_after_its_own_duration(dx: Any, control: httpx.Client) -> None:
    vif_id = private_vif(dx)
    dx.start_bgp_failover_test(virtualInterfaceId=vif_id, testDurationInMinutes=1)
    advance(control, MINUTE)
    assert vif_of(dx, vif_id)["virtualInterfaceState"] == "available"


def test_only_the_named_peers_go_down_the_others_stay_up(dx: Any, control: httpx.Client) -> None:
    vif_id = private_vif(dx)
    ipv6 = add_ipv6_peer(dx, vif_id)
    ipv4 = next(p for p in peer_status(dx, vif_id) if p != ipv6)
    test = dx.start_bgp_failover_test(virtualInterfaceId=vif_id, bgpPeers=[ipv6, ipv6])
    assert test["virtualInterfaceTest"]["bgpPeers"] == [ipv6]
    assert peer_status(dx, vif_id) == {ipv4: "up", ipv6: "down"}
    advance(control, 180 * MINUTE)
    assert peer_status(dx, vif_id) == {ipv4: "up", ipv6: "up"}


def test_an_unknown_or_empty_peer_list_is_refused(dx: Any) -> None:
    vif_id = private_vif(dx)
    other = private_vif(dx, vlan=102)
    foreign_peer = next(iter(peer_status(dx, other)))
    for peers in (["dxpeer-fzzzzzzz"], [foreign_peer]):
        code, message = refused(
            dx.start_bgp_failover_test, virtualInterfaceId=vif_id, bgpPeers=peers
        )
        assert code == "DirectConnectClientException"
        assert f"BGP peer {peers[0]} does not exist on virtual interface {vif_id}" in message
    code, message = refused(dx.start_bgp_failover_test, virtualInterfaceId=vif_id, bgpPeers=[])
    assert "bgpPeers is empty" in message
    assert history(dx) == []
    assert vif_of(dx, vif_id)["virtualInterfaceState"] == "available"


def test_a_second_test_is_refused_while_one_runs(dx: Any) -> None:
    vif_id = private_vif(dx)
    first = dx.start_bgp_failover_test(virtualInterfaceId=vif_id)["virtualInterfaceTest"]
    code, message = refused(dx.start_bgp_failover_test, virtualInterfaceId=vif_id)
    assert code == "DirectConnectClientException"
    assert f"A BGP failover test ({first['testId']}) is already in progress" in message
    assert len(history(dx)) == 1


# -- stop, delete -----------------------------------------------------------------------------
def test_stop_cancels_the_test_now_and_restores_the_peers(dx: Any, control: httpx.Client) -> None:
    vif_id = private_vif(dx)
    test = dx.start_bgp_failover_test(virtualInterfaceId=vif_id)["virtualInterfaceTest"]
    advance(control, 30 * MINUTE)
    stopped = dx.stop_bgp_failover_test(virtualInterfaceId=vif_id)["virtualInterfaceTest"]
    assert stopped["testId"] == test["testId"]
    assert stopped["status"] == "cancelled"
    assert stopped["testDurationInMinutes"] == 180
    ran = stopped["endTime"] - stopped["startTime"]
    assert timedelta(minutes=30) <= ran < timedelta(minutes=31)
    assert vif_of(dx, vif_id)["virtualInterfaceState"] == "available"
    assert set(peer_status(dx, vif_id).values()) == {"up"}
    advance(control, 180 * MINUTE)
    assert history(dx)[0]["status"] == "cancelled"
    assert history(dx)[0]["endTime"] == stopped["endTime"]


def test_stop_without_a_running_test_is_refused(dx: Any) -> None:
    vif_id = private_vif(dx)
    code, message = refused(dx.stop_bgp_failover_test, virtualInterfaceId=vif_id)
    assert code == "DirectConnectClientException"
    assert f"No BGP failover test is in progress on virtual interface {vif_id}" in message


def test_deleting_a_vif_under_test_fails_its_test(dx: Any) -> None:
    vif_id = private_vif(dx)
    dx.start_bgp_failover_test(virtualInterfaceId=vif_id)
    assert dx.delete_virtual_interface(virtualInterfaceId=vif_id)["virtualInterfaceState"] == (
        "deleting"
    )
    [failed] = history(dx, virtualInterfaceId=vif_id)
    assert failed["status"] == "failed"
    assert vif_of(dx, vif_id)["virtualInterfaceState"] == "deleted"


# -- who and what can be tested -----------------------------------------------------------------
def test_a_test_needs_an_available_or_down_vif(
    dx: Any, dx_partner: Any, control: httpx.Client
) -> None:
    hosted = offered_private_vif(dx_partner, CUSTOMER)
    code, message = refused(dx.start_bgp_failover_test, virtualInterfaceId=hosted)
    assert code == "DirectConnectClientException"
    assert "is in state confirming" in message

    conn_id = new_connection(dx)
    vif_id = private_vif(dx, conn_id)
    set_link(control, conn_id, up=False)
    assert vif_of(dx, vif_id)["virtualInterfaceState"] == "down"
    dx.start_bgp_failover_test(virtualInterfaceId=vif_id, testDurationInMinutes=5)
    assert vif_of(dx, vif_id)["virtualInterfaceState"] == "testing"
    advance(control, 5 * MINUTE)
    assert vif_of(dx, vif_id)["virtualInterfaceState"] == "down"
    set_link(control, conn_id, up=True)
    assert vif_of(dx, vif_id)["virtualInterfaceState"] == "available"


def test_a_link_coming_back_during_a_test_keeps_the_tested_peers_down(
    dx: Any, control: httpx.Client
) -> None:
    conn_id = new_connection(dx)
    vif_id = private_vif(dx, conn_id)
    ipv6 = add_ipv6_peer(dx, vif_id)
    set_link(control, conn_id, up=False)
    dx.start_bgp_failover_test(virtualInterfaceId=vif_id, bgpPeers=[ipv6])
    assert set(peer_status(dx, vif_id).values()) == {"down"}
    set_link(control, conn_id, up=True)
    statuses = peer_status(dx, vif_id)
    assert statuses.pop(ipv6) == "down"
    assert set(statuses.values()) == {"up"}
    assert vif_of(dx, vif_id)["virtualInterfaceState"] == "testing"


def test_only_the_vif_owner_tests_a_hosted_vif(
    dx: Any, dx_partner: Any, control: httpx.Client
) -> None:
    hosted = offered_private_vif(dx_partner, CUSTOMER)
    vgw = dx.describe_virtual_gateways()["virtualGateways"][0]["virtualGatewayId"]
    dx.confirm_private_virtual_interface(virtualInterfaceId=hosted, virtualGatewayId=vgw)
    dx.describe_virtual_interfaces()
    for call in (dx_partner.start_bgp_failover_test, dx_partner.stop_bgp_failover_test):
        code, message = refused(call, virtualInterfaceId=hosted)
        assert code == "DirectConnectClientException"
        assert f"Only the owner of virtual interface {hosted} (account {CUSTOMER})" in message
    test = dx.start_bgp_failover_test(virtualInterfaceId=hosted)["virtualInterfaceTest"]
    assert test["ownerAccount"] == CUSTOMER
    assert dx_partner.list_virtual_interface_test_history()["virtualInterfaceTestHistory"] == []


def test_a_public_vif_can_be_tested(dx: Any) -> None:
    vif_id = dx.create_public_virtual_interface(
        connectionId=new_connection(dx),
        newPublicVirtualInterface={
            "virtualInterfaceName": "public",
            "vlan": 102,
            "asn": 65000,
            "amazonAddress": "198.51.100.1/30",
            "customerAddress": "198.51.100.2/30",
            "routeFilterPrefixes": [{"cidr": "203.0.113.0/24"}],
        },
    )["virtualInterfaceId"]
    dx.describe_virtual_interfaces()
    dx.start_bgp_failover_test(virtualInterfaceId=vif_id)
    assert vif_of(dx, vif_id)["virtualInterfaceState"] == "testing"


def test_a_transit_vif_can_be_tested(dx: Any, control: httpx.Client) -> None:
    gateway = new_gateway(dx, "transit", asn=64600)
    vif_id = transit_vif(dx, new_connection(dx), gateway)["virtualInterfaceId"]
    dx.describe_virtual_interfaces()
    dx.start_bgp_failover_test(virtualInterfaceId=vif_id, testDurationInMinutes=10)
    assert vif_of(dx, vif_id)["virtualInterfaceState"] == "testing"
    assert set(peer_status(dx, vif_id).values()) == {"down"}
    advance(control, 10 * MINUTE)
    assert vif_of(dx, vif_id)["virtualInterfaceState"] == "available"


def test_an_unknown_vif_is_not_found(dx: Any, dx_for: Any) -> None:
    code, message = refused(dx.start_bgp_failover_test, virtualInterfaceId="dxvif-fzzzzzzz")
    assert code == "DirectConnectClientException"
    assert "Virtual interface dxvif-fzzzzzzz does not exist" in message
    vif_id = private_vif(dx)
    elsewhere = dx_for(CUSTOMER, "us-west-2")
    code, _ = refused(elsewhere.start_bgp_failover_test, virtualInterfaceId=vif_id)
    assert code == "DirectConnectClientException"


# -- history ------------------------------------------------------------------------------
def test_history_filters_combine_and_list_newest_first(dx: Any, control: httpx.Client) -> None:
    vif_a = private_vif(dx)
    vif_b = private_vif(dx, vlan=102)
    ipv6 = add_ipv6_peer(dx, vif_a)
    first = dx.start_bgp_failover_test(virtualInterfaceId=vif_a, bgpPeers=[ipv6])
    advance(control, 10 * MINUTE)
    dx.stop_bgp_failover_test(virtualInterfaceId=vif_a)
    second = dx.start_bgp_failover_test(virtualInterfaceId=vif_b, testDurationInMinutes=5)
    advance(control, 10 * MINUTE)
    third = dx.start_bgp_failover_test(virtualInterfaceId=vif_a)
    ids = [t["virtualInterfaceTest"]["testId"] for t in (first, second, third)]

    assert [t["testId"] for t in history(dx)] == ids[::-1]
    assert [t["testId"] for t in history(dx, virtualInterfaceId=vif_a)] == [ids[2], ids[0]]
    assert [t["testId"] for t in history(dx, testId=ids[1])] == [ids[1]]
    assert [t["testId"] for t in history(dx, bgpPeers=[ipv6])] == [ids[2], ids[0]]
    assert [t["testId"] for t in history(dx, status="cancelled")] == [ids[0]]
    assert [t["testId"] for t in history(dx, status="completed")] == [ids[1]]
    assert [t["testId"] for t in history(dx, status="in-progress")] == [ids[2]]
    assert history(dx, virtualInterfaceId=vif_b, status="cancelled") == []
    assert history(dx, testId="dxtest-fzzzzzzz") == []


def test_history_refuses_an_unknown_status(dx: Any) -> None:
    code, message = refused(dx.list_virtual_interface_test_history, status="Completed")
    assert code == "DirectConnectClientException"
    assert "in-progress, completed, cancelled, failed" in message


def test_history_pages(dx: Any) -> None:
    vif_ids = [private_vif(dx, vlan=101 + n) for n in range(3)]
    for vif_id in vif_ids:
        dx.start_bgp_failover_test(virtualInterfaceId=vif_id)
    seen: list[str] = []
    token: dict[str, str] = {}
    while True:
        page = dx.list_virtual_interface_test_history(maxResults=2, **token)
        assert len(page["virtualInterfaceTestHistory"]) <= 2
        seen += [t["virtualInterfaceId"] for t in page["virtualInterfaceTestHistory"]]
        if "nextToken" not in page:
            break
        token = {"nextToken": page["nextToken"]}
    assert sorted(seen) == sorted(vif_ids)
    code, message = refused(
        dx.list_virtual_interface_test_history, maxResults=1, nextToken="not-a-token"
    )
    assert code == "DirectConnectClientException"
    assert "nextToken is not valid" in message


def test_history_is_kept_365_days_after_a_test_ends(dx: Any, control: httpx.Client) -> None:
    vif_id = private_vif(dx)
    dx.start_bgp_failover_test(virtualInterfaceId=vif_id, testDurationInMinutes=1)
    dx.delete_virtual_interface(virtualInterfaceId=vif_id)
    advance(control, 364 * DAY)
    assert [t["status"] for t in history(dx, virtualInterfaceId=vif_id)] == ["failed"]
    advance(control, 1 * DAY)
    assert history(dx) == []


def test_history_shows_the_callers_tests_in_the_signed_region_only(
    dx: Any, dx_for: Any, dx_partner: Any
) -> None:
    dx.start_bgp_failover_test(virtualInterfaceId=private_vif(dx))
    assert len(history(dx)) == 1
    assert history(dx_for(CUSTOMER, "us-west-2")) == []
    assert history(dx_for(PARTNER)) == []

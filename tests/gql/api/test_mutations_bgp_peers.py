"""BGP peer mutations over real HTTP: create (IPv6, 4-byte ASN) and delete (by ID or by ASN +
customer address), each answered with the whole virtual interface and checked with boto3; their
upstream rejections; the checks that refuse bad input before any upstream call; the auth key never
echoed."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from gql.http.server import GatewayServer
from tests.gql.api.test_mutations_virtual_interfaces import (
    SECRET,
    described,
    first_vgw,
    leaking,
    new_connection,
    ok,
    private_vif,
    problems,
    run,
    settings_for,
    upstream_error,
)

PEERS = """virtualInterface { virtualInterfaceId bgpPeers { bgpPeerId asn addressFamily
  amazonAddress customerAddress bgpPeerState authKey } }"""


@pytest.fixture(scope="module")
def gateway(dx_url: str) -> Iterator[GatewayServer]:
    """One customer gateway for the module (see test_mutations_virtual_interfaces)."""
    with GatewayServer(settings_for(dx_url)) as server:
        yield server


def new_vif(dx: Any) -> str:
    """A private VIF with its first (IPv4) peer, ASN 65000."""
    vif_id: str = dx.create_private_virtual_interface(
        **private_vif(new_connection(dx), virtualGatewayId=first_vgw(dx))
    )["virtualInterfaceId"]
    return vif_id


def peers_of(dx: Any, vif_id: str) -> dict[str, dict[str, Any]]:
    return {p["addressFamily"]: p for p in described(dx, vif_id)["bgpPeers"]}


@pytest.mark.parametrize("asn", [65001, 4200000002])
def test_create_bgp_peer_adds_an_ipv6_peer(gateway: GatewayServer, dx: Any, asn: int) -> None:
    vif_id = new_vif(dx)
    data = {
        "virtualInterfaceId": vif_id,
        "newBGPPeer": {"asn": asn, "addressFamily": "IPV6", "authKey": SECRET},
    }
    vif = ok(gateway.url, "createBgpPeer", data, PEERS)["virtualInterface"]
    assert vif["virtualInterfaceId"] == vif_id
    by_family = {p["addressFamily"]: p for p in vif["bgpPeers"]}
    assert set(by_family) == {"IPV4", "IPV6"}
    assert by_family["IPV6"]["bgpPeerState"] == "PENDING"
    assert by_family["IPV6"]["authKey"] == "********"
    assert by_family["IPV6"]["customerAddress"].endswith("/125")
    seen = peers_of(dx, vif_id)["ipv6"]
    assert seen["authKey"] == SECRET
    assert seen.get("asnLong", seen["asn"]) == asn


def test_a_second_ipv4_peer_without_logical_redundancy_is_refused_upstream(
    gateway: GatewayServer, dx: Any
) -> None:
    vif_id = new_vif(dx)
    data = {
        "virtualInterfaceId": vif_id,
        "newBGPPeer": {
            "asn": 65002,
            "addressFamily": "IPV4",
            "amazonAddress": "169.254.200.1/30",
            "customerAddress": "169.254.200.2/30",
        },
    }
    error = upstream_error(run(gateway.url, "createBgpPeer", data, PEERS), "createBgpPeer")
    assert error["code"] == "CONFLICT"
    assert error["operation"] == "CreateBGPPeer"
    assert "logical redundancy" in error["awsMessage"]
    assert len(described(dx, vif_id)["bgpPeers"]) == 1


@pytest.mark.parametrize("by", ["bgpPeerId", "asn+customerAddress"])
def test_delete_bgp_peer(gateway: GatewayServer, dx: Any, by: str) -> None:
    vif_id = new_vif(dx)
    dx.create_bgp_peer(
        virtualInterfaceId=vif_id, newBGPPeer={"asnLong": 4200000003, "addressFamily": "ipv6"}
    )
    peer = peers_of(dx, vif_id)["ipv6"]
    if by == "bgpPeerId":
        data = {"bgpPeerId": peer["bgpPeerId"]}
    else:  # a 4-byte ASN, so the gateway must send it as asnLong
        data = {
            "virtualInterfaceId": vif_id,
            "asn": 4200000003,
            "customerAddress": peer["customerAddress"],
        }
    vif = ok(gateway.url, "deleteBgpPeer", data, PEERS)["virtualInterface"]
    states = {p["bgpPeerId"]: p["bgpPeerState"] for p in vif["bgpPeers"]}
    assert states[peer["bgpPeerId"]] == "DELETING"
    assert len(states) == 2  # the client sees every peer of the VIF
    after = {family: p["bgpPeerState"] for family, p in peers_of(dx, vif_id).items()}
    assert after["ipv4"] == "available"
    assert after.get("ipv6") in (None, "deleted")  # a deleted peer leaves the VIF


def test_deleting_the_last_peer_is_refused_upstream(gateway: GatewayServer, dx: Any) -> None:
    vif_id = new_vif(dx)
    peer_id = described(dx, vif_id)["bgpPeers"][0]["bgpPeerId"]
    body = run(gateway.url, "deleteBgpPeer", {"bgpPeerId": peer_id}, PEERS)
    error = upstream_error(body, "deleteBgpPeer")
    assert error["code"] == "INVALID_STATE"
    assert "last BGP Peer" in error["awsMessage"]
    assert described(dx, vif_id)["bgpPeers"][0]["bgpPeerState"] == "available"


def test_deleting_an_unknown_peer_is_not_found(gateway: GatewayServer) -> None:
    body = run(gateway.url, "deleteBgpPeer", {"bgpPeerId": "dxpeer-fzzzzzzz"}, PEERS)
    error = upstream_error(body, "deleteBgpPeer")
    assert (error["code"], error["operation"]) == ("NOT_FOUND", "DeleteBGPPeer")


CASES: list[tuple[str, dict[str, Any], set[tuple[str, str]]]] = [
    (
        "createBgpPeer",
        {
            "virtualInterfaceId": "dxcon-abcdefgh",
            "newBGPPeer": {
                "asn": 0,
                "addressFamily": "IPV6",
                "customerAddress": "2001:db8::6/125",
                "authKey": "k" * 81,
            },
        },
        {
            ("input.virtualInterfaceId", "WRONG_KIND"),
            ("input.newBGPPeer.asn", "OUT_OF_RANGE"),
            ("input.newBGPPeer.customerAddress", "NOT_ALLOWED"),
            ("input.newBGPPeer.authKey", "TOO_LONG"),
        },
    ),
    (
        "createBgpPeer",
        {"newBGPPeer": {"amazonAddress": "169.254.0.1/30"}},
        {
            ("input.virtualInterfaceId", "REQUIRED"),
            ("input.newBGPPeer.asn", "REQUIRED"),
            ("input.newBGPPeer.addressFamily", "REQUIRED"),
        },
    ),
    (
        "createBgpPeer",
        {
            "virtualInterfaceId": "dxvif-abcdefgh",
            "newBGPPeer": {
                "asn": 4294967295,
                "addressFamily": "IPV4",
                "amazonAddress": "169.254.0.1",
            },
        },
        {
            ("input.newBGPPeer.asn", "OUT_OF_RANGE"),
            ("input.newBGPPeer.amazonAddress", "INVALID_FORMAT"),
            ("input.newBGPPeer.customerAddress", "REQUIRED"),
        },
    ),
    (
        "createBgpPeer",
        {},
        {("input.virtualInterfaceId", "REQUIRED"), ("input.newBGPPeer", "REQUIRED")},
    ),
    (
        "deleteBgpPeer",
        {},
        {
            ("input.virtualInterfaceId", "REQUIRED"),
            ("input.asn", "REQUIRED"),
            ("input.customerAddress", "REQUIRED"),
        },
    ),
    (
        "deleteBgpPeer",
        {"bgpPeerId": "dxvif-abcdefgh", "customerAddress": "169.254.0.2"},
        {("input.bgpPeerId", "WRONG_KIND"), ("input.customerAddress", "INVALID_FORMAT")},
    ),
    (
        "deleteBgpPeer",
        {"virtualInterfaceId": "dxvif-abcdefgh", "asn": 4294967295, "customerAddress": "x/30"},
        {("input.asn", "OUT_OF_RANGE"), ("input.customerAddress", "INVALID_FORMAT")},
    ),
]


@pytest.mark.parametrize(
    ("name", "data", "expected"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)]
)
def test_invalid_input_is_refused_before_any_upstream_call(
    gateway: GatewayServer,
    calls: Callable[[], dict[str, int]],
    name: str,
    data: dict[str, Any],
    expected: set[tuple[str, str]],
) -> None:
    assert problems(run(gateway.url, name, data, PEERS)) == expected
    assert calls() == {}


@pytest.mark.parametrize(
    "new",
    [
        {"asn": 65000, "addressFamily": "IPV6", "amazonAddress": "2001:db8::1/125"},
        {"addressFamily": "IPV4"},  # the required asn missing
        {"asn": 65000},  # the required addressFamily missing
    ],
    ids=["ipv6-with-address", "no-asn", "no-family"],
)
def test_an_invalid_peer_never_echoes_the_auth_key(
    gateway: GatewayServer,
    calls: Callable[[], dict[str, int]],
    caplog: pytest.LogCaptureFixture,
    new: dict[str, Any],
) -> None:
    caplog.set_level(logging.DEBUG)
    data = {"virtualInterfaceId": "dxvif-abcdefgh", "newBGPPeer": {**new, "authKey": SECRET}}
    body = run(gateway.url, "createBgpPeer", data, PEERS)
    assert body["errors"]
    assert SECRET not in json.dumps(body)
    assert not leaking(caplog)
    assert calls() == {}

"""Virtual interface mutations over real HTTP: create, allocate (as the partner) and confirm (as
the customer), associate, update, delete — each checked against the simulator with boto3, with
its main upstream rejection, and the checks that refuse bad input before any upstream call."""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from gql.http.server import GatewayServer
from gql.settings import Settings
from tests.conftest import CUSTOMER, PARTNER
from tests.gql.conftest import REGIONS, post

VIF = """virtualInterfaceId virtualInterfaceName virtualInterfaceType virtualInterfaceState
  ownerAccount connectionId vlan asn mtu authKey amazonAddress customerAddress addressFamily
  virtualGatewayId directConnectGatewayId routeFilterPrefixes { cidr }
  bgpPeers { bgpPeerId addressFamily authKey }"""
PAYLOAD = f"virtualInterface {{ {VIF} }}"
STATE_PAYLOAD = f"virtualInterfaceState virtualInterface {{ {VIF} }}"
SECRET = "s3cr3t-bgp-Key"


def mutation(name: str, selection: str) -> str:
    type_name = name[0].upper() + name[1:] + "Input"
    return f"mutation($input: {type_name}!) {{ {name}(input: $input) {{ {selection} }} }}"


def run(url: str, name: str, data: dict[str, Any], selection: str = PAYLOAD) -> Any:
    return post(url, mutation(name, selection), {"input": data})


def ok(url: str, name: str, data: dict[str, Any], selection: str = PAYLOAD) -> Any:
    body = run(url, name, data, selection)
    assert "errors" not in body, body["errors"]
    return body["data"][name]


def problems(body: dict[str, Any]) -> set[tuple[str, str]]:
    assert body["data"] is None
    assert {e["extensions"]["code"] for e in body["errors"]} == {"BAD_USER_INPUT"}
    return {(e["extensions"]["field"], e["extensions"]["reason"]) for e in body["errors"]}


def upstream_error(body: dict[str, Any], name: str) -> dict[str, Any]:
    [error] = body["errors"]
    assert error["path"] == [name]
    extensions: dict[str, Any] = error["extensions"]
    assert extensions["awsCode"] == "DirectConnectClientException"
    assert extensions["requestId"]
    return extensions


def settings_for(dx_url: str, access_key: str = "test") -> Settings:
    return Settings(
        upstream="endpoint",
        dx_endpoint=dx_url,
        regions=REGIONS,
        cache_namespace=f"test-{uuid.uuid4().hex[:12]}",
        max_attempts=1,
        aws_access_key_id=access_key,
    )


# One gateway per account for the whole module (starting one per test would double the run
# time). Safe because the simulator is reset per test and these tests read only through mutation
# payloads: every write invalidates the cache before its payload reads anything.
@pytest.fixture(scope="module")
def gateway(dx_url: str) -> Iterator[GatewayServer]:
    """The customer's gateway (account 123456789012)."""
    with GatewayServer(settings_for(dx_url)) as server:
        yield server


@pytest.fixture(scope="module")
def partner(dx_url: str) -> Iterator[GatewayServer]:
    """A gateway acting as the Direct Connect partner account."""
    with GatewayServer(settings_for(dx_url, PARTNER)) as server:
        yield server


def new_connection(client: Any, name: str = "edge") -> str:
    connection: str = client.create_connection(
        location="EqDC2", bandwidth="10Gbps", connectionName=name
    )["connectionId"]
    return connection


def new_dx_gateway(dx: Any) -> str:
    gateway: str = dx.create_direct_connect_gateway(
        directConnectGatewayName="gw", amazonSideAsn=64600
    )["directConnectGateway"]["directConnectGatewayId"]
    dx.describe_direct_connect_gateways()  # pending → available
    return gateway


def first_vgw(dx: Any) -> str:
    vgw: str = dx.describe_virtual_gateways()["virtualGateways"][0]["virtualGatewayId"]
    return vgw


def private_vif(connection: str, vlan: int = 101, **extra: Any) -> dict[str, Any]:
    new = {"virtualInterfaceName": f"vif-{vlan}", "vlan": vlan, "asn": 65000, **extra}
    return {"connectionId": connection, "newPrivateVirtualInterface": new}


def public_vif(connection: str, vlan: int = 201, **extra: Any) -> dict[str, Any]:
    new = {
        "virtualInterfaceName": "pub",
        "vlan": vlan,
        "asn": 65010,
        "amazonAddress": "203.0.113.1/30",
        "customerAddress": "203.0.113.2/30",
        "routeFilterPrefixes": [{"cidr": "198.51.100.0/24"}],
        **extra,
    }
    return {"connectionId": connection, "newPublicVirtualInterface": new}


def described(dx: Any, vif_id: str) -> dict[str, Any]:
    [vif] = dx.describe_virtual_interfaces(virtualInterfaceId=vif_id)["virtualInterfaces"]
    return vif  # type: ignore[no-any-return]


# -- create ------------------------------------------------------------------------------------
@pytest.mark.parametrize("target", ["virtualGatewayId", "directConnectGatewayId"])
def test_create_private_virtual_interface_on_either_gateway(
    gateway: GatewayServer, dx: Any, target: str
) -> None:
    connection = new_connection(dx)
    gateway_id = first_vgw(dx) if target == "virtualGatewayId" else new_dx_gateway(dx)
    data = private_vif(connection, mtu=9001, authKey=SECRET)
    data["newPrivateVirtualInterface"][target] = gateway_id
    vif = ok(gateway.url, "createPrivateVirtualInterface", data)["virtualInterface"]
    assert vif["virtualInterfaceType"] == "PRIVATE"
    assert vif["virtualInterfaceState"] == "PENDING"
    assert (vif["vlan"], vif["asn"], vif["mtu"], vif["addressFamily"]) == (101, 65000, 9001, "IPV4")
    assert vif[target] == gateway_id
    assert vif["authKey"] == vif["bgpPeers"][0]["authKey"] == "********"
    seen = described(dx, vif["virtualInterfaceId"])
    assert seen["connectionId"] == connection
    assert seen[target] == gateway_id
    assert (seen["vlan"], seen["asn"], seen["mtu"], seen["authKey"]) == (101, 65000, 9001, SECRET)


def test_a_four_byte_asn_is_sent_as_asn_long(gateway: GatewayServer, dx: Any) -> None:
    data = private_vif(new_connection(dx), asn=4200000001, virtualGatewayId=first_vgw(dx))
    created = ok(
        gateway.url,
        "createPrivateVirtualInterface",
        data,
        "virtualInterface { virtualInterfaceId }",
    )
    seen = described(dx, created["virtualInterface"]["virtualInterfaceId"])
    assert seen["asnLong"] == 4200000001
    assert seen["bgpPeers"][0]["asnLong"] == 4200000001


def test_create_private_virtual_interface_on_a_used_vlan_is_refused_upstream(
    gateway: GatewayServer, dx: Any
) -> None:
    connection = new_connection(dx)
    data = private_vif(connection, virtualGatewayId=first_vgw(dx))
    ok(gateway.url, "createPrivateVirtualInterface", data)
    error = upstream_error(
        run(gateway.url, "createPrivateVirtualInterface", data), "createPrivateVirtualInterface"
    )
    assert error["code"] == "CONFLICT"
    assert "VLAN 101 is already in use" in error["awsMessage"]
    assert error["operation"] == "CreatePrivateVirtualInterface"
    assert len(dx.describe_virtual_interfaces()["virtualInterfaces"]) == 1


def test_create_public_virtual_interface(gateway: GatewayServer, dx: Any) -> None:
    connection = new_connection(dx)
    vif = ok(gateway.url, "createPublicVirtualInterface", public_vif(connection))[
        "virtualInterface"
    ]
    assert (vif["virtualInterfaceType"], vif["virtualInterfaceState"]) == ("PUBLIC", "VERIFYING")
    assert vif["routeFilterPrefixes"] == [{"cidr": "198.51.100.0/24"}]
    seen = described(dx, vif["virtualInterfaceId"])
    assert seen["virtualInterfaceType"] == "public"
    assert seen["routeFilterPrefixes"] == [{"cidr": "198.51.100.0/24"}]
    assert (seen["amazonAddress"], seen["customerAddress"]) == ("203.0.113.1/30", "203.0.113.2/30")


def test_an_ipv6_public_virtual_interface_gets_amazon_assigned_addresses(
    gateway: GatewayServer, dx: Any
) -> None:
    data = public_vif(
        new_connection(dx), addressFamily="IPV6", amazonAddress=None, customerAddress=None
    )
    data["newPublicVirtualInterface"]["routeFilterPrefixes"] = [{"cidr": "2001:db8::/48"}]
    vif = ok(gateway.url, "createPublicVirtualInterface", data)["virtualInterface"]
    assert vif["addressFamily"] == "IPV6"
    assert vif["customerAddress"].endswith("/125")
    assert described(dx, vif["virtualInterfaceId"])["addressFamily"] == "ipv6"


def test_public_peer_addresses_on_different_subnets_are_refused_upstream(
    gateway: GatewayServer, dx: Any
) -> None:
    data = public_vif(new_connection(dx), customerAddress="198.51.100.2/30")
    body = run(gateway.url, "createPublicVirtualInterface", data)
    error = upstream_error(body, "createPublicVirtualInterface")
    assert error["code"] == "INVALID_REQUEST"
    assert "same CIDR" in error["awsMessage"]
    assert dx.describe_virtual_interfaces()["virtualInterfaces"] == []


# -- allocate (partner) and confirm (customer) -------------------------------------------------
def allocation(connection: str, field: str, **extra: Any) -> dict[str, Any]:
    new = {"virtualInterfaceName": "hosted", "vlan": 300, "asn": 65020, **extra}
    return {"connectionId": connection, "ownerAccount": CUSTOMER, field: new}


def test_allocate_private_then_confirm_on_a_dx_gateway(
    gateway: GatewayServer, partner: GatewayServer, dx: Any, dx_partner: Any
) -> None:
    data = allocation(new_connection(dx_partner), "newPrivateVirtualInterfaceAllocation", mtu=9001)
    vif = ok(partner.url, "allocatePrivateVirtualInterface", data)["virtualInterface"]
    assert (vif["ownerAccount"], vif["virtualInterfaceState"]) == (CUSTOMER, "CONFIRMING")
    vif_id = vif["virtualInterfaceId"]
    assert described(dx, vif_id)["virtualInterfaceState"] == "confirming"

    gateway_id = new_dx_gateway(dx)
    confirmed = ok(
        gateway.url,
        "confirmPrivateVirtualInterface",
        {"virtualInterfaceId": vif_id, "directConnectGatewayId": gateway_id},
        STATE_PAYLOAD,
    )
    assert confirmed["virtualInterfaceState"] == "PENDING"
    assert confirmed["virtualInterface"]["virtualInterfaceState"] == "AVAILABLE"
    assert confirmed["virtualInterface"]["directConnectGatewayId"] == gateway_id
    seen = described(dx, vif_id)
    assert (seen["virtualInterfaceState"], seen["directConnectGatewayId"]) == (
        "available",
        gateway_id,
    )
    assert seen["mtu"] == 9001


def test_allocating_to_yourself_is_refused_upstream(
    partner: GatewayServer, dx_partner: Any
) -> None:
    data = allocation(new_connection(dx_partner), "newPrivateVirtualInterfaceAllocation")
    data["ownerAccount"] = PARTNER
    body = run(partner.url, "allocatePrivateVirtualInterface", data)
    error = upstream_error(body, "allocatePrivateVirtualInterface")
    assert error["code"] == "INVALID_REQUEST"
    assert "connection owner" in error["awsMessage"]
    assert dx_partner.describe_virtual_interfaces()["virtualInterfaces"] == []


def test_allocate_public_then_confirm(
    gateway: GatewayServer, partner: GatewayServer, dx: Any, dx_partner: Any
) -> None:
    data = allocation(
        new_connection(dx_partner),
        "newPublicVirtualInterfaceAllocation",
        amazonAddress="203.0.113.5/30",
        customerAddress="203.0.113.6/30",
        routeFilterPrefixes=[{"cidr": "192.0.2.0/24"}],
    )
    vif = ok(partner.url, "allocatePublicVirtualInterface", data)["virtualInterface"]
    assert (vif["virtualInterfaceType"], vif["virtualInterfaceState"]) == ("PUBLIC", "CONFIRMING")
    vif_id = vif["virtualInterfaceId"]
    confirmed = ok(
        gateway.url, "confirmPublicVirtualInterface", {"virtualInterfaceId": vif_id}, STATE_PAYLOAD
    )
    assert confirmed["virtualInterfaceState"] == "VERIFYING"
    assert confirmed["virtualInterface"]["virtualInterfaceId"] == vif_id
    assert described(dx, vif_id)["virtualInterfaceState"] == "available"


def test_confirming_twice_is_refused_upstream(
    gateway: GatewayServer, dx: Any, dx_partner: Any
) -> None:
    vif_id = dx_partner.allocate_public_virtual_interface(
        connectionId=new_connection(dx_partner),
        ownerAccount=CUSTOMER,
        newPublicVirtualInterfaceAllocation={
            "virtualInterfaceName": "pub",
            "vlan": 310,
            "asn": 65030,
            "addressFamily": "ipv6",
        },
    )["virtualInterfaceId"]
    dx.confirm_public_virtual_interface(virtualInterfaceId=vif_id)
    body = run(
        gateway.url, "confirmPublicVirtualInterface", {"virtualInterfaceId": vif_id}, STATE_PAYLOAD
    )
    error = upstream_error(body, "confirmPublicVirtualInterface")
    assert error["code"] == "INVALID_STATE"
    assert "is in state" in error["awsMessage"]


def test_confirming_a_private_vif_as_public_is_refused_upstream(
    gateway: GatewayServer, dx: Any, dx_partner: Any
) -> None:
    vif_id = dx_partner.allocate_private_virtual_interface(
        connectionId=new_connection(dx_partner),
        ownerAccount=CUSTOMER,
        newPrivateVirtualInterfaceAllocation={
            "virtualInterfaceName": "p",
            "vlan": 320,
            "asn": 65040,
        },
    )["virtualInterfaceId"]
    body = run(
        gateway.url, "confirmPublicVirtualInterface", {"virtualInterfaceId": vif_id}, STATE_PAYLOAD
    )
    assert (
        "ConfirmPrivateVirtualInterface"
        in upstream_error(body, "confirmPublicVirtualInterface")["awsMessage"]
    )
    assert described(dx, vif_id)["virtualInterfaceState"] == "confirming"


# -- associate, update, delete -----------------------------------------------------------------
def test_associate_virtual_interface_moves_it(gateway: GatewayServer, dx: Any) -> None:
    first, second = new_connection(dx, "a"), new_connection(dx, "b")
    vif_id = dx.create_private_virtual_interface(
        **private_vif(first, virtualGatewayId=first_vgw(dx))
    )["virtualInterfaceId"]
    moved = ok(
        gateway.url,
        "associateVirtualInterface",
        {"virtualInterfaceId": vif_id, "connectionId": second},
    )["virtualInterface"]
    assert moved["connectionId"] == second
    assert described(dx, vif_id)["connectionId"] == second


def test_associate_onto_a_conflicting_vlan_is_refused_upstream(
    gateway: GatewayServer, dx: Any
) -> None:
    first, second = new_connection(dx, "a"), new_connection(dx, "b")
    vgw = first_vgw(dx)
    vif_id = dx.create_private_virtual_interface(**private_vif(first, virtualGatewayId=vgw))[
        "virtualInterfaceId"
    ]
    dx.create_private_virtual_interface(**private_vif(second, virtualGatewayId=vgw))
    body = run(
        gateway.url,
        "associateVirtualInterface",
        {"virtualInterfaceId": vif_id, "connectionId": second},
    )
    assert "VLAN conflicts" in upstream_error(body, "associateVirtualInterface")["awsMessage"]
    assert described(dx, vif_id)["connectionId"] == first


def test_update_virtual_interface_attributes_sets_jumbo_frames(
    gateway: GatewayServer, dx: Any
) -> None:
    vif_id = dx.create_private_virtual_interface(
        **private_vif(new_connection(dx), virtualGatewayId=first_vgw(dx))
    )["virtualInterfaceId"]
    updated = ok(
        gateway.url, "updateVirtualInterfaceAttributes", {"virtualInterfaceId": vif_id, "mtu": 9001}
    )["virtualInterface"]
    assert updated["mtu"] == 9001
    seen = described(dx, vif_id)
    assert (seen["mtu"], seen["jumboFrameCapable"]) == (9001, True)


def test_jumbo_frames_on_a_public_vif_are_refused_upstream(gateway: GatewayServer, dx: Any) -> None:
    vif_id = dx.create_public_virtual_interface(**public_vif(new_connection(dx)))[
        "virtualInterfaceId"
    ]
    body = run(
        gateway.url, "updateVirtualInterfaceAttributes", {"virtualInterfaceId": vif_id, "mtu": 9001}
    )
    assert (
        "public virtual interface"
        in upstream_error(body, "updateVirtualInterfaceAttributes")["awsMessage"]
    )
    assert described(dx, vif_id)["mtu"] == 1500


def test_delete_virtual_interface_returns_the_state_and_the_fresh_vif(
    gateway: GatewayServer, dx: Any
) -> None:
    vif_id = dx.create_private_virtual_interface(
        **private_vif(new_connection(dx), virtualGatewayId=first_vgw(dx))
    )["virtualInterfaceId"]
    deleted = ok(
        gateway.url, "deleteVirtualInterface", {"virtualInterfaceId": vif_id}, STATE_PAYLOAD
    )
    assert deleted["virtualInterfaceState"] == "DELETING"
    assert deleted["virtualInterface"]["virtualInterfaceState"] == "DELETED"
    assert described(dx, vif_id)["virtualInterfaceState"] == "deleted"


def test_deleting_an_unknown_vif_is_not_found(gateway: GatewayServer) -> None:
    body = run(
        gateway.url,
        "deleteVirtualInterface",
        {"virtualInterfaceId": "dxvif-fzzzzzzz"},
        STATE_PAYLOAD,
    )
    error = upstream_error(body, "deleteVirtualInterface")
    assert error["code"] == "NOT_FOUND"
    assert error["operation"] == "DeleteVirtualInterface"


def test_the_owner_deleting_a_confirming_vif_declines_it(
    gateway: GatewayServer, dx_partner: Any
) -> None:
    vif_id = dx_partner.allocate_private_virtual_interface(
        connectionId=new_connection(dx_partner),
        ownerAccount=CUSTOMER,
        newPrivateVirtualInterfaceAllocation={
            "virtualInterfaceName": "p",
            "vlan": 330,
            "asn": 65050,
        },
    )["virtualInterfaceId"]
    deleted = ok(
        gateway.url, "deleteVirtualInterface", {"virtualInterfaceId": vif_id}, STATE_PAYLOAD
    )
    assert deleted["virtualInterfaceState"] == "REJECTED"
    assert described(dx_partner, vif_id)["virtualInterfaceState"] == "rejected"


# -- checks before any upstream call -----------------------------------------------------------
VGW = "vgw-0123456789abcdef0"
CASES: list[tuple[str, dict[str, Any], set[tuple[str, str]]]] = [
    (
        "createPrivateVirtualInterface",
        {
            "connectionId": "dxvif-abcdefgh",
            "newPrivateVirtualInterface": {
                "virtualInterfaceName": "x" * 101,
                "vlan": 4095,
                "asn": 4294967295,
                "mtu": 9000,
                "addressFamily": "IPV6",
                "amazonAddress": "169.254.0.1/30",
                "virtualGatewayId": "vgw-123",
                "directConnectGatewayId": "not-a-uuid",
            },
        },
        {
            ("input.connectionId", "WRONG_KIND"),
            ("input.newPrivateVirtualInterface.virtualInterfaceName", "TOO_LONG"),
            ("input.newPrivateVirtualInterface.vlan", "OUT_OF_RANGE"),
            ("input.newPrivateVirtualInterface.asn", "OUT_OF_RANGE"),
            ("input.newPrivateVirtualInterface.mtu", "NOT_ALLOWED_VALUE"),
            ("input.newPrivateVirtualInterface.amazonAddress", "NOT_ALLOWED"),
            ("input.newPrivateVirtualInterface.virtualGatewayId", "INVALID_FORMAT"),
            ("input.newPrivateVirtualInterface.directConnectGatewayId", "INVALID_FORMAT"),
            ("input.newPrivateVirtualInterface", "CONFLICT"),
        },
    ),
    (
        "createPrivateVirtualInterface",
        {
            "connectionId": "dxlag-abcdefgh",
            "newPrivateVirtualInterface": {"amazonAddress": "169.254.0.1"},
        },
        {
            ("input.newPrivateVirtualInterface.virtualInterfaceName", "REQUIRED"),
            ("input.newPrivateVirtualInterface.vlan", "REQUIRED"),
            ("input.newPrivateVirtualInterface.asn", "REQUIRED"),
            ("input.newPrivateVirtualInterface.amazonAddress", "INVALID_FORMAT"),
            ("input.newPrivateVirtualInterface.customerAddress", "REQUIRED"),
            ("input.newPrivateVirtualInterface", "REQUIRED"),
        },
    ),
    (
        "createPublicVirtualInterface",
        {
            "connectionId": "dxcon-abcdefgh",
            "newPublicVirtualInterface": {
                "virtualInterfaceName": "pub/1",
                "vlan": 0,
                "asn": 0,
                "routeFilterPrefixes": [{"cidr": "2001:db8::/80"}, {"cidr": "10.0.0.0/33"}],
            },
        },
        {
            ("input.newPublicVirtualInterface.vlan", "OUT_OF_RANGE"),
            ("input.newPublicVirtualInterface.asn", "OUT_OF_RANGE"),
            ("input.newPublicVirtualInterface.amazonAddress", "REQUIRED"),
            ("input.newPublicVirtualInterface.customerAddress", "REQUIRED"),
            ("input.newPublicVirtualInterface.routeFilterPrefixes[0].cidr", "OUT_OF_RANGE"),
            ("input.newPublicVirtualInterface.routeFilterPrefixes[1].cidr", "INVALID_FORMAT"),
        },
    ),
    (
        "allocatePrivateVirtualInterface",
        {
            "connectionId": "dxcon-abcdefgh",
            "ownerAccount": "12345",
            "newPrivateVirtualInterfaceAllocation": {
                "virtualInterfaceName": "a",
                "vlan": 1,
                "asn": 1,
                "authKey": "short",
                "customerAddress": "10.0.0.2/30",
            },
        },
        {
            ("input.ownerAccount", "INVALID_FORMAT"),
            ("input.newPrivateVirtualInterfaceAllocation.authKey", "TOO_LONG"),
            ("input.newPrivateVirtualInterfaceAllocation.amazonAddress", "REQUIRED"),
        },
    ),
    (
        "allocatePublicVirtualInterface",
        {},
        {
            ("input.connectionId", "REQUIRED"),
            ("input.ownerAccount", "REQUIRED"),
            ("input.newPublicVirtualInterfaceAllocation", "REQUIRED"),
        },
    ),
    (
        "associateVirtualInterface",
        {"virtualInterfaceId": "dxcon-abcdefgh", "connectionId": "dxvif-abcdefgh"},
        {("input.virtualInterfaceId", "WRONG_KIND"), ("input.connectionId", "WRONG_KIND")},
    ),
    (
        "confirmPrivateVirtualInterface",
        {
            "virtualInterfaceId": "dxvif-abcdefgh",
            "virtualGatewayId": VGW,
            "directConnectGatewayId": "5f294f92-bafb-4011-916d-9b0b00000a01",
        },
        {("input", "CONFLICT")},
    ),
    (
        "confirmPublicVirtualInterface",
        {"virtualInterfaceId": "vif-1"},
        {("input.virtualInterfaceId", "INVALID_FORMAT")},
    ),
    (
        "deleteVirtualInterface",
        {"virtualInterfaceId": "dxpeer-abcdefgh"},
        {("input.virtualInterfaceId", "WRONG_KIND")},
    ),
    (
        "updateVirtualInterfaceAttributes",
        {"virtualInterfaceId": "dxvif-abcdefgh", "mtu": 8500},
        {("input.mtu", "NOT_ALLOWED_VALUE")},
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
    selection = STATE_PAYLOAD if name.startswith(("confirm", "delete")) else PAYLOAD
    assert problems(run(gateway.url, name, data, selection)) == expected
    assert calls() == {}


def test_public_virtual_interfaces_take_no_mtu(
    gateway: GatewayServer, calls: Callable[[], dict[str, int]]
) -> None:
    body = post(
        gateway.url,
        'mutation { createPublicVirtualInterface(input: {connectionId: "dxcon-abcdefgh", '
        'newPublicVirtualInterface: {virtualInterfaceName: "p", vlan: 1, asn: 1, mtu: 1500}}) '
        "{ virtualInterface { virtualInterfaceId } } }",
    )
    [error] = body["errors"]
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "NewPublicVirtualInterface' not to include unknown field 'mtu'" in error["message"]
    assert calls() == {}


# -- the BGP auth key is a secret --------------------------------------------------------------
def leaking(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Loggers whose records carry the key. botocore's own DEBUG wire log (`botocore.endpoint`
    prints every request's parameters) is left out: keeping it off is the deployment's logging
    configuration, not the mutation path's."""
    return [
        record.name
        for record in caplog.records
        if SECRET in record.getMessage()
        and not (record.name.startswith("botocore") and record.levelno <= logging.DEBUG)
    ]


@pytest.mark.parametrize(
    "new",
    [
        {"virtualInterfaceName": "v", "vlan": 5000, "asn": 65000, "virtualGatewayId": VGW},
        {"virtualInterfaceName": "v", "asn": 65000},  # required fields missing
        {"virtualInterfaceName": "v", "vlan": 5, "asn": 65000, "virtualGatewayId": "vgw-x"},
    ],
    ids=["out-of-range", "missing-fields", "bad-gateway"],
)
def test_an_invalid_input_never_echoes_the_auth_key(
    gateway: GatewayServer,
    calls: Callable[[], dict[str, int]],
    caplog: pytest.LogCaptureFixture,
    new: dict[str, Any],
) -> None:
    caplog.set_level(logging.DEBUG)
    data = {
        "connectionId": "dxcon-abcdefgh",
        "newPrivateVirtualInterface": {**new, "authKey": SECRET},
    }
    body = run(gateway.url, "createPrivateVirtualInterface", data)
    assert body["errors"]
    assert SECRET not in json.dumps(body)
    assert not leaking(caplog)
    assert calls() == {}


def test_an_upstream_rejection_never_echoes_the_auth_key(
    gateway: GatewayServer, dx: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    data = public_vif(new_connection(dx), authKey=SECRET, customerAddress="198.51.100.2/30")
    body = run(gateway.url, "createPublicVirtualInterface", data)
    assert upstream_error(body, "createPublicVirtualInterface")["code"] == "INVALID_REQUEST"
    assert SECRET not in json.dumps(body)
    assert not leaking(caplog)

"""LAG mutations over real HTTP: create, update, delete, and moving connections in and out, each
checked against the simulator with boto3."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gql.http.server import GatewayServer
from tests.conftest import set_delay
from tests.gql.conftest import post

LAG_FIELDS = """lagId lagName lagState connectionsBandwidth numberOfConnections minimumLinks
  location { locationCode } connections { connectionId lagId }"""
CREATE = f"""mutation($input: CreateLagInput!) {{
  createLag(input: $input) {{ lag {{ {LAG_FIELDS} }} }} }}"""
UPDATE = f"""mutation($input: UpdateLagInput!) {{
  updateLag(input: $input) {{ lag {{ {LAG_FIELDS} }} }} }}"""
DELETE = """mutation($input: DeleteLagInput!) {
  deleteLag(input: $input) { lag { lagId lagState } } }"""
ASSOCIATE = """mutation($input: AssociateConnectionWithLagInput!) {
  associateConnectionWithLag(input: $input) { connection { connectionId lagId }
    lag { lagId numberOfConnections connections { connectionId } } } }"""
DISASSOCIATE = """mutation($input: DisassociateConnectionFromLagInput!) {
  disassociateConnectionFromLag(input: $input) { connection { connectionId lagId lag { lagId } }
    lag { lagId numberOfConnections connections { connectionId } } } }"""


def new_lag(dx: Any, connections: int = 1, bandwidth: str = "10Gbps") -> str:
    lag: str = dx.create_lag(
        numberOfConnections=connections,
        location="EqDC2",
        connectionsBandwidth=bandwidth,
        lagName="core",
    )["lagId"]
    return lag


def new_connection(dx: Any, bandwidth: str = "10Gbps") -> str:
    connection: str = dx.create_connection(
        location="EqDC2", bandwidth=bandwidth, connectionName="edge"
    )["connectionId"]
    return connection


def members(dx: Any, lag: str) -> set[str]:
    [seen] = dx.describe_lags(lagId=lag)["lags"]
    return {c["connectionId"] for c in seen.get("connections", [])}


def upstream_error(body: dict[str, Any], mutation: str, operation: str) -> dict[str, Any]:
    [error] = body["errors"]
    assert error["path"] == [mutation]
    extensions: dict[str, Any] = error["extensions"]
    assert extensions["awsCode"] == "DirectConnectClientException"
    assert extensions["operation"] == operation
    assert extensions["requestId"]
    return extensions


# -- createLag -----------------------------------------------------------------------------------
def test_create_lag_provisions_its_connections(gateway: GatewayServer, dx: Any) -> None:
    body = post(
        gateway.url,
        CREATE,
        {
            "input": {
                "numberOfConnections": 2,
                "location": "EqDC2",
                "connectionsBandwidth": "10Gbps",
                "lagName": "core",
            }
        },
    )
    assert "errors" not in body, body
    lag = body["data"]["createLag"]["lag"]
    assert lag["lagState"] == "PENDING"
    assert (lag["lagName"], lag["connectionsBandwidth"]) == ("core", "10Gbps")
    assert (lag["numberOfConnections"], lag["minimumLinks"]) == (2, 0)
    assert lag["location"] == {"locationCode": "EqDC2"}
    assert {c["lagId"] for c in lag["connections"]} == {lag["lagId"]}
    assert members(dx, lag["lagId"]) == {c["connectionId"] for c in lag["connections"]}


def test_create_lag_migrates_an_existing_connection(gateway: GatewayServer, dx: Any) -> None:
    connection = new_connection(dx)
    body = post(
        gateway.url,
        CREATE,
        {
            "input": {
                "numberOfConnections": 1,
                "location": "EqDC2",
                "connectionsBandwidth": "10Gbps",
                "lagName": "migrated",
                "connectionId": connection,
            }
        },
    )
    assert "errors" not in body, body
    lag = body["data"]["createLag"]["lag"]
    assert lag["connections"] == [{"connectionId": connection, "lagId": lag["lagId"]}]
    [seen] = dx.describe_connections(connectionId=connection)["connections"]
    assert seen["lagId"] == lag["lagId"]


def test_create_lag_with_a_connection_of_another_bandwidth_comes_back_typed(
    gateway: GatewayServer, dx: Any
) -> None:
    connection = new_connection(dx, "1Gbps")
    body = post(
        gateway.url,
        CREATE,
        {
            "input": {
                "numberOfConnections": 2,
                "location": "EqDC2",
                "connectionsBandwidth": "10Gbps",
                "lagName": "core",
                "connectionId": connection,
            }
        },
    )
    extensions = upstream_error(body, "createLag", "CreateLag")
    assert extensions["code"] == "INVALID_REQUEST"
    assert "connectionsBandwidth must match" in extensions["awsMessage"]
    assert dx.describe_lags()["lags"] == []


# -- updateLag -----------------------------------------------------------------------------------
def test_update_lag_renames_and_sets_minimum_links(gateway: GatewayServer, dx: Any) -> None:
    lag = new_lag(dx, connections=2)
    body = post(
        gateway.url, UPDATE, {"input": {"lagId": lag, "lagName": "renamed", "minimumLinks": 1}}
    )
    assert "errors" not in body, body
    updated = body["data"]["updateLag"]["lag"]
    assert (updated["lagName"], updated["minimumLinks"]) == ("renamed", 1)
    [seen] = dx.describe_lags(lagId=lag)["lags"]
    assert (seen["lagName"], seen["minimumLinks"]) == ("renamed", 1)


def test_update_lag_minimum_links_above_the_operational_links_takes_it_down(
    gateway: GatewayServer, dx: Any
) -> None:
    lag = new_lag(dx, connections=2)
    assert dx.describe_lags(lagId=lag)["lags"][0]["lagState"] == "available"
    body = post(gateway.url, UPDATE, {"input": {"lagId": lag, "minimumLinks": 3}})
    updated = body["data"]["updateLag"]["lag"]
    assert (updated["lagState"], updated["lagName"], updated["minimumLinks"]) == ("DOWN", "core", 3)
    assert dx.describe_lags(lagId=lag)["lags"][0]["lagState"] == "down"


def test_update_lag_on_an_unknown_lag_is_not_found(gateway: GatewayServer) -> None:
    body = post(gateway.url, UPDATE, {"input": {"lagId": "dxlag-fzzzzzzz", "lagName": "x"}})
    assert upstream_error(body, "updateLag", "UpdateLag")["code"] == "NOT_FOUND"


# -- deleteLag -----------------------------------------------------------------------------------
def test_delete_lag_starts_deleting_it(gateway: GatewayServer, dx: Any, control: Any) -> None:
    set_delay(control, 600)  # states hold still: `deleting` stays `deleting`
    lag = new_lag(dx)
    body = post(gateway.url, DELETE, {"input": {"lagId": lag}})
    assert body["data"]["deleteLag"] == {"lag": {"lagId": lag, "lagState": "DELETING"}}
    assert dx.describe_lags(lagId=lag)["lags"][0]["lagState"] == "deleting"


def test_delete_lag_with_a_virtual_interface_comes_back_typed(
    gateway: GatewayServer, dx: Any
) -> None:
    lag = new_lag(dx)
    dx_gateway = dx.create_direct_connect_gateway(
        directConnectGatewayName="gw", amazonSideAsn=64512
    )["directConnectGateway"]["directConnectGatewayId"]
    dx.create_private_virtual_interface(
        connectionId=lag,
        newPrivateVirtualInterface={
            "virtualInterfaceName": "vif",
            "vlan": 100,
            "asn": 65000,
            "directConnectGatewayId": dx_gateway,
        },
    )
    body = post(gateway.url, DELETE, {"input": {"lagId": lag}})
    extensions = upstream_error(body, "deleteLag", "DeleteLag")
    assert extensions["code"] == "INVALID_STATE"
    assert "virtual interface" in extensions["awsMessage"]
    assert dx.describe_lags(lagId=lag)["lags"][0]["lagState"] not in ("deleting", "deleted")


# -- associateConnectionWithLag / disassociateConnectionFromLag ----------------------------------
def test_associate_connection_with_lag_makes_it_a_member(gateway: GatewayServer, dx: Any) -> None:
    lag = new_lag(dx)
    connection = new_connection(dx)
    body = post(gateway.url, ASSOCIATE, {"input": {"connectionId": connection, "lagId": lag}})
    assert "errors" not in body, body
    payload = body["data"]["associateConnectionWithLag"]
    assert payload["connection"] == {"connectionId": connection, "lagId": lag}
    assert payload["lag"]["numberOfConnections"] == 2
    assert connection in {c["connectionId"] for c in payload["lag"]["connections"]}
    assert connection in members(dx, lag)


def test_associate_connection_of_another_bandwidth_comes_back_typed(
    gateway: GatewayServer, dx: Any
) -> None:
    lag = new_lag(dx)
    connection = new_connection(dx, "1Gbps")
    body = post(gateway.url, ASSOCIATE, {"input": {"connectionId": connection, "lagId": lag}})
    extensions = upstream_error(body, "associateConnectionWithLag", "AssociateConnectionWithLag")
    assert extensions["code"] == "INVALID_REQUEST"
    assert "must have the LAG's bandwidth" in extensions["awsMessage"]
    assert connection not in members(dx, lag)


def test_disassociate_connection_from_lag_makes_it_standalone(
    gateway: GatewayServer, dx: Any
) -> None:
    lag = new_lag(dx, connections=2)
    leaving, staying = sorted(members(dx, lag))
    body = post(gateway.url, DISASSOCIATE, {"input": {"connectionId": leaving, "lagId": lag}})
    assert "errors" not in body, body
    payload = body["data"]["disassociateConnectionFromLag"]
    assert payload["connection"] == {"connectionId": leaving, "lagId": None, "lag": None}
    assert payload["lag"] == {
        "lagId": lag,
        "numberOfConnections": 1,
        "connections": [{"connectionId": staying}],
    }
    assert members(dx, lag) == {staying}
    [seen] = dx.describe_connections(connectionId=leaving)["connections"]
    assert "lagId" not in seen


def test_disassociate_a_connection_that_is_not_a_member_comes_back_typed(
    gateway: GatewayServer, dx: Any
) -> None:
    lag = new_lag(dx)
    connection = new_connection(dx)
    body = post(gateway.url, DISASSOCIATE, {"input": {"connectionId": connection, "lagId": lag}})
    extensions = upstream_error(
        body, "disassociateConnectionFromLag", "DisassociateConnectionFromLag"
    )
    assert extensions["code"] == "INVALID_REQUEST"
    assert "is not a member" in extensions["awsMessage"]


# -- checks before any upstream call -------------------------------------------------------------
CREATE_OK = {
    "numberOfConnections": 2,
    "location": "EqDC2",
    "connectionsBandwidth": "10Gbps",
    "lagName": "core",
}


# One gateway for every case (they make no upstream call), keeping the file fast.
INVALID: list[tuple[str, str, dict[str, Any], set[tuple[str, str]]]] = [
    (
        "createLag",
        "CreateLagInput",
        {**CREATE_OK, "numberOfConnections": 11, "connectionsBandwidth": "100Gbps"},
        {
            ("input.numberOfConnections", "OUT_OF_RANGE"),
            ("input.connectionsBandwidth", "NOT_ALLOWED_VALUE"),
        },
    ),
    (
        "createLag",
        "CreateLagInput",
        {
            **CREATE_OK,
            "numberOfConnections": 0,
            "location": "",
            "lagName": "x" * 201,
            "connectionId": "dxlag-fabcdefg",
        },
        {
            ("input.numberOfConnections", "OUT_OF_RANGE"),
            ("input.location", "REQUIRED"),
            ("input.lagName", "TOO_LONG"),
            ("input.connectionId", "WRONG_KIND"),
        },
    ),
    ("updateLag", "UpdateLagInput", {"lagId": "dxlag-fabcdefg"}, {("input", "REQUIRED")}),
    (
        "updateLag",
        "UpdateLagInput",
        {"lagId": "dxcon-fabcdefg", "lagName": "bad*name", "minimumLinks": 11},
        {
            ("input.lagId", "WRONG_KIND"),
            ("input.lagName", "INVALID_FORMAT"),
            ("input.minimumLinks", "OUT_OF_RANGE"),
        },
    ),
    (
        "deleteLag",
        "DeleteLagInput",
        {"lagId": "dxcon-fabcdefg"},
        {("input.lagId", "WRONG_KIND")},
    ),
    (
        "associateConnectionWithLag",
        "AssociateConnectionWithLagInput",
        {"connectionId": "dxlag-fabcdefg", "lagId": "dxcon-fabcdefg"},
        {("input.connectionId", "WRONG_KIND"), ("input.lagId", "WRONG_KIND")},
    ),
    (
        "disassociateConnectionFromLag",
        "DisassociateConnectionFromLagInput",
        {"connectionId": "dxvif-fabcdefg", "lagId": "lag-1"},
        {("input.connectionId", "WRONG_KIND"), ("input.lagId", "INVALID_FORMAT")},
    ),
]


def test_lag_inputs_are_checked_before_any_call(
    gateway: GatewayServer, calls: Callable[[], dict[str, int]]
) -> None:
    for mutation, input_type, data, expected in INVALID:
        query = f"mutation($input: {input_type}!) {{ {mutation}(input: $input) {{ __typename }} }}"
        body = post(gateway.url, query, {"input": data})
        assert body["data"] is None, (mutation, data)
        assert {e["extensions"]["code"] for e in body["errors"]} == {"BAD_USER_INPUT"}
        problems = {(e["extensions"]["field"], e["extensions"]["reason"]) for e in body["errors"]}
        assert problems == expected, (mutation, data)
    assert calls() == {}

"""Interconnect mutations over real HTTP, acting as the partner: create (alone or into a LAG) and
delete, each checked against the simulator with boto3."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from gql.http.server import GatewayServer
from gql.settings import Settings
from tests.conftest import CUSTOMER, PARTNER, set_delay
from tests.gql.conftest import post

CREATE = """mutation($input: CreateInterconnectInput!) {
  createInterconnect(input: $input) { interconnect { interconnectId interconnectName
    interconnectState bandwidth location { locationCode } lagId lag { lagId } } } }"""
DELETE = """mutation($input: DeleteInterconnectInput!) {
  deleteInterconnect(input: $input) { interconnectState
    interconnect { interconnectId interconnectState } } }"""


@pytest.fixture
def partner(gateway_settings: Settings) -> Iterator[GatewayServer]:
    """A gateway acting as the Direct Connect partner account."""
    settings = gateway_settings.model_copy(update={"aws_access_key_id": PARTNER})
    with GatewayServer(settings) as server:
        yield server


def create_input(**overrides: Any) -> dict[str, Any]:
    return {"interconnectName": "ic-1", "bandwidth": "10Gbps", "location": "EqDC2", **overrides}


def problems(body: dict[str, Any]) -> set[tuple[str, str]]:
    assert body["data"] is None
    assert {e["extensions"]["code"] for e in body["errors"]} == {"BAD_USER_INPUT"}
    return {(e["extensions"]["field"], e["extensions"]["reason"]) for e in body["errors"]}


def upstream_error(body: dict[str, Any], mutation: str, operation: str) -> dict[str, Any]:
    [error] = body["errors"]
    assert error["path"] == [mutation]
    extensions: dict[str, Any] = error["extensions"]
    assert extensions["awsCode"] == "DirectConnectClientException"
    assert extensions["operation"] == operation
    assert extensions["requestId"]
    return extensions


def test_create_interconnect_reaches_direct_connect(
    partner: GatewayServer, dx_partner: Any
) -> None:
    body = post(partner.url, CREATE, {"input": create_input()})
    assert "errors" not in body, body
    created = body["data"]["createInterconnect"]["interconnect"]
    assert created["interconnectState"] == "REQUESTED"
    assert (created["interconnectName"], created["bandwidth"]) == ("ic-1", "10Gbps")
    assert created["location"] == {"locationCode": "EqDC2"}
    assert (created["lagId"], created["lag"]) == (None, None)
    [seen] = dx_partner.describe_interconnects()["interconnects"]
    assert seen["interconnectId"] == created["interconnectId"]
    assert seen["interconnectName"] == "ic-1"


def test_create_interconnect_into_a_lag_joins_it(partner: GatewayServer, dx_partner: Any) -> None:
    lag = dx_partner.create_lag(
        numberOfConnections=1, location="EqDC2", connectionsBandwidth="1Gbps", lagName="plag"
    )["lagId"]
    body = post(partner.url, CREATE, {"input": create_input(bandwidth="1Gbps", lagId=lag)})
    assert "errors" not in body, body
    created = body["data"]["createInterconnect"]["interconnect"]
    assert (created["lagId"], created["lag"]) == (lag, {"lagId": lag})
    [seen] = dx_partner.describe_lags(lagId=lag)["lags"]
    assert created["interconnectId"] in {c["connectionId"] for c in seen["connections"]}


@pytest.mark.parametrize(
    ("overrides", "code", "says"),
    [
        ({"location": "NOWHERE"}, "INVALID_REQUEST", "is not a Direct Connect location"),
        ({"lagId": "dxlag-fzzzzzzz"}, "NOT_FOUND", "dxlag-fzzzzzzz"),
    ],
    ids=["unknown-location", "unknown-lag"],
)
def test_create_interconnect_rejections_come_back_typed(
    partner: GatewayServer, dx_partner: Any, overrides: dict[str, Any], code: str, says: str
) -> None:
    body = post(partner.url, CREATE, {"input": create_input(**overrides)})
    extensions = upstream_error(body, "createInterconnect", "CreateInterconnect")
    assert extensions["code"] == code
    assert says in extensions["awsMessage"]
    assert dx_partner.describe_interconnects()["interconnects"] == []


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"bandwidth": "1"}, {("input.bandwidth", "NOT_ALLOWED_VALUE")}),
        (
            {"bandwidth": "100Gbps", "interconnectName": "x" * 201, "location": ""},
            {
                ("input.bandwidth", "NOT_ALLOWED_VALUE"),
                ("input.interconnectName", "TOO_LONG"),
                ("input.location", "REQUIRED"),
            },
        ),
        ({"lagId": "dxcon-fabcdefg"}, {("input.lagId", "WRONG_KIND")}),
    ],
    ids=["bare-gbps", "several", "lag-kind"],
)
def test_create_interconnect_checks_its_input_before_any_call(
    partner: GatewayServer,
    calls: Callable[[], dict[str, int]],
    overrides: dict[str, Any],
    expected: set[tuple[str, str]],
) -> None:
    assert problems(post(partner.url, CREATE, {"input": create_input(**overrides)})) == expected
    assert calls() == {}


def test_delete_interconnect_returns_the_state_and_the_fresh_interconnect(
    partner: GatewayServer, dx_partner: Any, control: Any
) -> None:
    set_delay(control, 600)  # states hold still: `deleting` stays `deleting`
    interconnect = dx_partner.create_interconnect(**create_input())["interconnectId"]
    listed = post(partner.url, "{ interconnects { interconnectId interconnectState } }")
    assert listed["data"]["interconnects"] == [  # cached now; the payload must not come from it
        {"interconnectId": interconnect, "interconnectState": "REQUESTED"}
    ]
    body = post(partner.url, DELETE, {"input": {"interconnectId": interconnect}})
    assert body["data"]["deleteInterconnect"] == {
        "interconnectState": "DELETING",
        "interconnect": {"interconnectId": interconnect, "interconnectState": "DELETING"},
    }
    [seen] = dx_partner.describe_interconnects(interconnectId=interconnect)["interconnects"]
    assert seen["interconnectState"] == "deleting"


def test_delete_interconnect_with_hosted_connections_comes_back_typed(
    partner: GatewayServer, dx_partner: Any
) -> None:
    interconnect = dx_partner.create_interconnect(**create_input())["interconnectId"]
    dx_partner.allocate_hosted_connection(
        connectionId=interconnect,
        ownerAccount=CUSTOMER,
        bandwidth="200Mbps",
        connectionName="customer",
        vlan=12,
    )
    body = post(partner.url, DELETE, {"input": {"interconnectId": interconnect}})
    extensions = upstream_error(body, "deleteInterconnect", "DeleteInterconnect")
    assert extensions["code"] == "INVALID_STATE"
    assert "hosted connection" in extensions["awsMessage"]
    [seen] = dx_partner.describe_interconnects(interconnectId=interconnect)["interconnects"]
    assert seen["interconnectState"] not in ("deleting", "deleted")


def test_delete_interconnect_refuses_a_lag_id_before_any_call(
    partner: GatewayServer, calls: Callable[[], dict[str, int]]
) -> None:
    body = post(partner.url, DELETE, {"input": {"interconnectId": "dxlag-fabcdefg"}})
    assert problems(body) == {("input.interconnectId", "WRONG_KIND")}
    assert calls() == {}

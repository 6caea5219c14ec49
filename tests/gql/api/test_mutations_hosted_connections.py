"""Hosted-connection mutations over real HTTP, acting as the partner: allocate (and its deprecated
form) and move between interconnects and LAGs, each checked against the simulator with boto3."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from gql.http.server import GatewayServer
from gql.settings import Settings
from tests.conftest import CUSTOMER, PARTNER
from tests.gql.conftest import post

ALLOCATE = """mutation($input: AllocateHostedConnectionInput!) {
  allocateHostedConnection(input: $input) { connection { connectionId ownerAccount
    connectionName connectionState bandwidth vlan partnerName location { locationCode } } } }"""
ALLOCATE_ON_INTERCONNECT = """mutation($input: AllocateConnectionOnInterconnectInput!) {
  allocateConnectionOnInterconnect(input: $input) { connection { connectionId ownerAccount
    connectionState bandwidth vlan } } }"""
ASSOCIATE = """mutation($input: AssociateHostedConnectionInput!) {
  associateHostedConnection(input: $input) { connection { connectionId connectionState vlan
    parent { __typename ... on Interconnect { interconnectId } ... on Lag { lagId } } } } }"""


@pytest.fixture
def partner(gateway_settings: Settings) -> Iterator[GatewayServer]:
    """A gateway acting as the Direct Connect partner account."""
    settings = gateway_settings.model_copy(update={"aws_access_key_id": PARTNER})
    with GatewayServer(settings) as server:
        yield server


def new_interconnect(dx_partner: Any, name: str = "ic") -> str:
    interconnect: str = dx_partner.create_interconnect(
        interconnectName=name, bandwidth="10Gbps", location="EqDC2"
    )["interconnectId"]
    return interconnect


def new_partner_lag(dx_partner: Any) -> str:
    """A LAG that may host connections: the partner already owns an interconnect."""
    new_interconnect(dx_partner, "first")
    lag: str = dx_partner.create_lag(
        numberOfConnections=1, location="EqDC2", connectionsBandwidth="10Gbps", lagName="plag"
    )["lagId"]
    return lag


def allocate(dx_partner: Any, parent: str, vlan: int = 10) -> str:
    hosted: str = dx_partner.allocate_hosted_connection(
        connectionId=parent,
        ownerAccount=CUSTOMER,
        bandwidth="100Mbps",
        connectionName=f"hosted-{vlan}",
        vlan=vlan,
    )["connectionId"]
    return hosted


def hosted_input(parent: str, **overrides: Any) -> dict[str, Any]:
    return {
        "connectionId": parent,
        "ownerAccount": CUSTOMER,
        "bandwidth": "500Mbps",
        "connectionName": "customer-a",
        "vlan": 101,
        **overrides,
    }


def problems(body: dict[str, Any]) -> set[tuple[str, str]]:
    assert body["data"] is None
    assert {e["extensions"]["code"] for e in body["errors"]} == {"BAD_USER_INPUT"}
    return {(e["extensions"]["field"], e["extensions"]["reason"]) for e in body["errors"]}


def assert_upstream(body: dict[str, Any], mutation: str, code: str, operation: str) -> str:
    [error] = body["errors"]
    assert error["path"] == [mutation]
    extensions = error["extensions"]
    assert extensions["code"] == code
    assert extensions["awsCode"] == "DirectConnectClientException"
    assert extensions["operation"] == operation
    assert extensions["requestId"]
    message: str = extensions["awsMessage"]
    return message


@pytest.mark.parametrize("kind", ["interconnect", "lag"])
def test_allocate_hosted_connection_on_an_interconnect_or_lag(
    partner: GatewayServer, dx: Any, dx_partner: Any, kind: str
) -> None:
    parent = new_interconnect(dx_partner) if kind == "interconnect" else new_partner_lag(dx_partner)
    body = post(partner.url, ALLOCATE, {"input": hosted_input(parent)})
    assert "errors" not in body, body
    hosted = body["data"]["allocateHostedConnection"]["connection"]
    assert hosted["ownerAccount"] == CUSTOMER
    assert hosted["connectionState"] == "ORDERING"
    assert (hosted["bandwidth"], hosted["vlan"]) == ("500Mbps", 101)
    assert hosted["partnerName"]
    assert hosted["location"] == {"locationCode": "EqDC2"}
    [seen] = dx_partner.describe_hosted_connections(connectionId=parent)["connections"]
    assert seen["connectionId"] == hosted["connectionId"]
    [customer_view] = dx.describe_connections(connectionId=hosted["connectionId"])["connections"]
    assert customer_view["connectionState"] == "ordering"
    assert customer_view["connectionName"] == "customer-a"


def test_allocate_hosted_connection_on_a_taken_vlan_comes_back_typed(
    partner: GatewayServer, dx_partner: Any
) -> None:
    parent = new_interconnect(dx_partner)
    allocate(dx_partner, parent, vlan=101)
    body = post(partner.url, ALLOCATE, {"input": hosted_input(parent)})
    message = assert_upstream(
        body, "allocateHostedConnection", "CONFLICT", "AllocateHostedConnection"
    )
    assert "VLAN 101 is already in use" in message
    assert len(dx_partner.describe_hosted_connections(connectionId=parent)["connections"]) == 1


def test_allocate_hosted_connection_checks_every_field_before_any_call(
    partner: GatewayServer, calls: Callable[[], dict[str, int]]
) -> None:
    bad = hosted_input(
        "dxvif-fabcdefg",
        ownerAccount="12345",
        bandwidth="1Gbps",
        connectionName="x" * 201,
        vlan=4095,
    )
    assert problems(post(partner.url, ALLOCATE, {"input": bad})) == {
        ("input.connectionId", "WRONG_KIND"),
        ("input.ownerAccount", "INVALID_FORMAT"),
        ("input.bandwidth", "NOT_ALLOWED_VALUE"),
        ("input.connectionName", "TOO_LONG"),
        ("input.vlan", "OUT_OF_RANGE"),
    }
    assert calls() == {}


def test_allocate_connection_on_interconnect_is_deprecated_but_works(
    partner: GatewayServer, dx: Any, dx_partner: Any
) -> None:
    interconnect = new_interconnect(dx_partner)
    body = post(
        partner.url,
        ALLOCATE_ON_INTERCONNECT,
        {
            "input": {
                "interconnectId": interconnect,
                "ownerAccount": CUSTOMER,
                "bandwidth": "50Mbps",
                "connectionName": "legacy",
                "vlan": 7,
            }
        },
    )
    assert "errors" not in body, body
    hosted = body["data"]["allocateConnectionOnInterconnect"]["connection"]
    assert hosted["connectionState"] == "ORDERING"
    assert (hosted["ownerAccount"], hosted["bandwidth"], hosted["vlan"]) == (CUSTOMER, "50Mbps", 7)
    [seen] = dx.describe_connections(connectionId=hosted["connectionId"])["connections"]
    assert seen["connectionName"] == "legacy"
    fields = post(
        partner.url,
        '{ __type(name: "Mutation") { fields(includeDeprecated: true) '
        "{ name isDeprecated deprecationReason } } }",
    )["data"]["__type"]["fields"]
    [field] = [f for f in fields if f["name"] == "allocateConnectionOnInterconnect"]
    assert field == {
        "name": "allocateConnectionOnInterconnect",
        "isDeprecated": True,
        "deprecationReason": "Use allocateHostedConnection",
    }


def test_allocate_connection_on_an_unknown_interconnect_is_not_found(
    partner: GatewayServer,
) -> None:
    body = post(
        partner.url,
        ALLOCATE_ON_INTERCONNECT,
        {
            "input": {
                "interconnectId": "dxcon-fzzzzzzz",
                "ownerAccount": CUSTOMER,
                "bandwidth": "50Mbps",
                "connectionName": "legacy",
                "vlan": 7,
            }
        },
    )
    assert_upstream(
        body, "allocateConnectionOnInterconnect", "NOT_FOUND", "AllocateConnectionOnInterconnect"
    )


def test_allocate_connection_on_interconnect_refuses_a_lag_before_any_call(
    partner: GatewayServer, calls: Callable[[], dict[str, int]]
) -> None:
    body = post(
        partner.url,
        ALLOCATE_ON_INTERCONNECT,
        {
            "input": {
                "interconnectId": "dxlag-fabcdefg",
                "ownerAccount": "me",
                "bandwidth": "600Mbps",
                "connectionName": "legacy",
                "vlan": 0,
            }
        },
    )
    assert problems(body) == {
        ("input.interconnectId", "WRONG_KIND"),
        ("input.ownerAccount", "INVALID_FORMAT"),
        ("input.bandwidth", "NOT_ALLOWED_VALUE"),
        ("input.vlan", "OUT_OF_RANGE"),
    }
    assert calls() == {}


@pytest.mark.parametrize("kind", ["interconnect", "lag"])
def test_associate_hosted_connection_moves_it_to_another_parent(
    partner: GatewayServer, dx_partner: Any, kind: str
) -> None:
    source = new_interconnect(dx_partner, "source")
    if kind == "interconnect":
        target = new_interconnect(dx_partner, "target")
    else:
        target = new_partner_lag(dx_partner)
    hosted = allocate(dx_partner, source)
    body = post(
        partner.url, ASSOCIATE, {"input": {"connectionId": hosted, "parentConnectionId": target}}
    )
    assert "errors" not in body, body
    moved = body["data"]["associateHostedConnection"]["connection"]
    assert moved["connectionId"] == hosted
    assert moved["vlan"] == 10
    parent = moved["parent"]
    assert parent["__typename"] == ("Interconnect" if kind == "interconnect" else "Lag")
    assert target in (parent.get("interconnectId"), parent.get("lagId"))
    assert dx_partner.describe_hosted_connections(connectionId=source)["connections"] == []
    [seen] = dx_partner.describe_hosted_connections(connectionId=target)["connections"]
    assert seen["connectionId"] == hosted


def test_associate_hosted_connection_onto_a_conflicting_vlan_comes_back_typed(
    partner: GatewayServer, dx_partner: Any
) -> None:
    source = new_interconnect(dx_partner, "source")
    target = new_interconnect(dx_partner, "target")
    hosted = allocate(dx_partner, source, vlan=10)
    allocate(dx_partner, target, vlan=10)
    body = post(
        partner.url, ASSOCIATE, {"input": {"connectionId": hosted, "parentConnectionId": target}}
    )
    message = assert_upstream(
        body, "associateHostedConnection", "CONFLICT", "AssociateHostedConnection"
    )
    assert "VLAN 10" in message
    [still] = dx_partner.describe_hosted_connections(connectionId=source)["connections"]
    assert still["connectionId"] == hosted


def test_associate_hosted_connection_checks_id_kinds_before_any_call(
    partner: GatewayServer, calls: Callable[[], dict[str, int]]
) -> None:
    body = post(
        partner.url,
        ASSOCIATE,
        {"input": {"connectionId": "dxlag-fabcdefg", "parentConnectionId": "dxvif-fabcdefg"}},
    )
    assert problems(body) == {
        ("input.connectionId", "WRONG_KIND"),
        ("input.parentConnectionId", "WRONG_KIND"),
    }
    assert calls() == {}

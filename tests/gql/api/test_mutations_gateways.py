"""The Direct Connect gateway and gateway association mutations over real HTTP: effects checked
with boto3 against the simulator, upstream rejections typed, bad input refused before any call."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gql.http.server import GatewayServer
from tests.conftest import CUSTOMER
from tests.gql.conftest import post

CREATE = """mutation($input: CreateDirectConnectGatewayInput!) {
  createDirectConnectGateway(input: $input) { directConnectGateway {
    directConnectGatewayId directConnectGatewayName amazonSideAsn ownerAccount
    directConnectGatewayState } } }"""
DELETE = """mutation($id: String!) {
  deleteDirectConnectGateway(input: {directConnectGatewayId: $id}) {
    directConnectGateway { directConnectGatewayId directConnectGatewayState } } }"""
ASSOCIATE = """mutation($input: CreateDirectConnectGatewayAssociationInput!) {
  createDirectConnectGatewayAssociation(input: $input) { directConnectGatewayAssociation {
    directConnectGatewayId virtualGatewayId virtualGatewayRegion virtualGatewayOwnerAccount
    associationState virtualGateway { virtualGatewayId }
    directConnectGateway { directConnectGatewayName } } } }"""
DISASSOCIATE = """mutation($input: DeleteDirectConnectGatewayAssociationInput!) {
  deleteDirectConnectGatewayAssociation(input: $input) { directConnectGatewayAssociation {
    directConnectGatewayId virtualGatewayId associationState } } }"""
UNKNOWN_GATEWAY = "00000000-0000-4000-8000-000000000000"


def problems(body: dict[str, Any]) -> set[tuple[str, str]]:
    assert body["data"] is None
    assert {e["extensions"]["code"] for e in body["errors"]} == {"BAD_USER_INPUT"}
    return {(e["extensions"]["field"], e["extensions"]["reason"]) for e in body["errors"]}


def upstream_error(body: dict[str, Any], path: str) -> dict[str, Any]:
    [error] = body["errors"]
    assert error["path"] == [path]
    assert error["extensions"]["requestId"]
    extensions: dict[str, Any] = error["extensions"]
    return extensions


def new_gateway(dx: Any, name: str = "gw") -> str:
    gateway_id: str = dx.create_direct_connect_gateway(directConnectGatewayName=name)[
        "directConnectGateway"
    ]["directConnectGatewayId"]
    return gateway_id


def vgw_of(client: Any, index: int = 0) -> str:
    vgw_id: str = client.describe_virtual_gateways()["virtualGateways"][index]["virtualGatewayId"]
    return vgw_id


# -- createDirectConnectGateway / deleteDirectConnectGateway --------------------------------------
def test_create_direct_connect_gateway_reaches_direct_connect(
    gateway: GatewayServer, dx: Any
) -> None:
    asns = {}
    for name, given in (("default", {}), ("long", {"amazonSideAsn": 4294967294})):
        body = post(gateway.url, CREATE, {"input": {"directConnectGatewayName": name, **given}})
        created = body["data"]["createDirectConnectGateway"]["directConnectGateway"]
        assert created["directConnectGatewayState"] == "PENDING"
        assert created["ownerAccount"] == CUSTOMER
        asns[created["directConnectGatewayId"]] = (name, created["amazonSideAsn"])
    assert sorted(asns.values()) == [("default", 64512), ("long", 4294967294)]
    seen = {
        g["directConnectGatewayId"]: (g["directConnectGatewayName"], g["amazonSideAsn"])
        for g in dx.describe_direct_connect_gateways()["directConnectGateways"]
    }
    assert seen == asns


def test_a_created_gateway_is_seen_by_the_next_query_although_the_list_was_cached(
    gateway: GatewayServer,
) -> None:
    query = "{ directConnectGateways { edges { node { directConnectGatewayName } } } }"
    assert post(gateway.url, query)["data"]["directConnectGateways"]["edges"] == []
    post(gateway.url, CREATE, {"input": {"directConnectGatewayName": "core"}})
    edges = post(gateway.url, query)["data"]["directConnectGateways"]["edges"]
    assert edges == [{"node": {"directConnectGatewayName": "core"}}]


def test_a_retried_create_with_the_same_key_creates_one_gateway(
    gateway: GatewayServer, dx: Any
) -> None:
    variables = {"input": {"directConnectGatewayName": "core"}}
    first = post(gateway.url, CREATE, variables, **{"Idempotency-Key": "gw-1"})
    again = post(gateway.url, CREATE, variables, **{"Idempotency-Key": "gw-1"})
    assert again["data"] == first["data"]
    assert len(dx.describe_direct_connect_gateways()["directConnectGateways"]) == 1


BAD_GATEWAYS = [
    (
        {"directConnectGatewayName": "x" * 101, "amazonSideAsn": 65535},
        {("input.directConnectGatewayName", "TOO_LONG"), ("input.amazonSideAsn", "OUT_OF_RANGE")},
    ),
    (
        {"directConnectGatewayName": "", "amazonSideAsn": 4199999999},
        {("input.directConnectGatewayName", "REQUIRED"), ("input.amazonSideAsn", "OUT_OF_RANGE")},
    ),
    (
        {"directConnectGatewayName": "core#1", "amazonSideAsn": 64511},
        {
            ("input.directConnectGatewayName", "INVALID_FORMAT"),
            ("input.amazonSideAsn", "OUT_OF_RANGE"),
        },
    ),
]


def test_create_direct_connect_gateway_refuses_bad_input_before_any_call(
    gateway: GatewayServer, calls: Callable[[], dict[str, int]]
) -> None:
    for given, expected in BAD_GATEWAYS:
        assert problems(post(gateway.url, CREATE, {"input": given})) == expected
    assert calls() == {}


def test_delete_direct_connect_gateway_returns_it_deleting_and_it_is_gone(
    gateway: GatewayServer, dx: Any
) -> None:
    gateway_id = new_gateway(dx)
    body = post(gateway.url, DELETE, {"id": gateway_id})
    assert body["data"]["deleteDirectConnectGateway"]["directConnectGateway"] == {
        "directConnectGatewayId": gateway_id,
        "directConnectGatewayState": "DELETING",
    }
    assert dx.describe_direct_connect_gateways()["directConnectGateways"] == []


def test_deleting_an_associated_gateway_comes_back_typed(gateway: GatewayServer, dx: Any) -> None:
    gateway_id = new_gateway(dx)
    dx.create_direct_connect_gateway_association(
        directConnectGatewayId=gateway_id, virtualGatewayId=vgw_of(dx)
    )
    body = post(gateway.url, DELETE, {"id": gateway_id})
    error = upstream_error(body, "deleteDirectConnectGateway")
    assert error["code"] == "INVALID_STATE"
    assert error["awsCode"] == "DirectConnectClientException"
    assert "associated with virtual private gateway" in error["awsMessage"]
    assert error["operation"] == "DeleteDirectConnectGateway"
    [seen] = dx.describe_direct_connect_gateways()["directConnectGateways"]
    assert seen["directConnectGatewayState"] == "available"


def test_deleting_an_unknown_gateway_is_not_found(gateway: GatewayServer) -> None:
    body = post(gateway.url, DELETE, {"id": UNKNOWN_GATEWAY})
    error = upstream_error(body, "deleteDirectConnectGateway")
    assert (error["code"], error["awsCode"]) == ("NOT_FOUND", "DirectConnectClientException")


def test_delete_direct_connect_gateway_refuses_a_non_uuid_before_any_call(
    gateway: GatewayServer, calls: Callable[[], dict[str, int]]
) -> None:
    body = post(gateway.url, DELETE, {"id": "dxcon-fgabcdef"})
    assert problems(body) == {("input.directConnectGatewayId", "INVALID_FORMAT")}
    assert calls() == {}


# -- createDirectConnectGatewayAssociation / deleteDirectConnectGatewayAssociation ----------------
def test_create_association_in_the_default_region(gateway: GatewayServer, dx: Any) -> None:
    gateway_id, vgw = new_gateway(dx), vgw_of(dx)
    body = post(
        gateway.url,
        ASSOCIATE,
        {"input": {"directConnectGatewayId": gateway_id, "virtualGatewayId": vgw}},
    )
    association = body["data"]["createDirectConnectGatewayAssociation"][
        "directConnectGatewayAssociation"
    ]
    assert association == {
        "directConnectGatewayId": gateway_id,
        "virtualGatewayId": vgw,
        "virtualGatewayRegion": "us-east-1",
        "virtualGatewayOwnerAccount": CUSTOMER,
        "associationState": "ASSOCIATING",
        "virtualGateway": {"virtualGatewayId": vgw},
        "directConnectGateway": {"directConnectGatewayName": "gw"},
    }
    [seen] = dx.describe_direct_connect_gateway_associations(directConnectGatewayId=gateway_id)[
        "directConnectGatewayAssociations"
    ]
    assert (seen["virtualGatewayId"], seen["virtualGatewayRegion"]) == (vgw, "us-east-1")


def test_create_association_signs_for_the_vgw_region(
    gateway: GatewayServer, dx: Any, dx_for: Callable[..., Any]
) -> None:
    gateway_id = new_gateway(dx)
    vgw = vgw_of(dx_for(CUSTOMER, "us-west-2"))
    body = post(
        gateway.url,
        ASSOCIATE,
        {
            "input": {
                "directConnectGatewayId": gateway_id,
                "virtualGatewayId": vgw,
                "region": "us-west-2",
            }
        },
    )
    association = body["data"]["createDirectConnectGatewayAssociation"][
        "directConnectGatewayAssociation"
    ]
    assert association["virtualGatewayRegion"] == "us-west-2"
    assert association["virtualGateway"] == {"virtualGatewayId": vgw}
    [seen] = dx.describe_direct_connect_gateway_associations(virtualGatewayId=vgw)[
        "directConnectGatewayAssociations"
    ]
    assert seen["virtualGatewayRegion"] == "us-west-2"


def test_associating_a_vgw_already_associated_elsewhere_comes_back_typed(
    gateway: GatewayServer, dx: Any
) -> None:
    first, second, vgw = new_gateway(dx, "a"), new_gateway(dx, "b"), vgw_of(dx)
    dx.create_direct_connect_gateway_association(directConnectGatewayId=first, virtualGatewayId=vgw)
    body = post(
        gateway.url,
        ASSOCIATE,
        {"input": {"directConnectGatewayId": second, "virtualGatewayId": vgw}},
    )
    error = upstream_error(body, "createDirectConnectGatewayAssociation")
    assert (error["code"], error["awsCode"]) == ("CONFLICT", "DirectConnectClientException")
    assert "already associated" in error["awsMessage"]
    assert error["operation"] == "CreateDirectConnectGatewayAssociation"
    assert (
        dx.describe_direct_connect_gateway_associations(directConnectGatewayId=second)[
            "directConnectGatewayAssociations"
        ]
        == []
    )


def test_association_inputs_are_checked_before_any_call(
    gateway: GatewayServer, calls: Callable[[], dict[str, int]]
) -> None:
    for document in (ASSOCIATE, DISASSOCIATE):
        body = post(
            gateway.url,
            document,
            {"input": {"directConnectGatewayId": "gw-1", "virtualGatewayId": "dxvif-fgabcdef"}},
        )
        assert problems(body) == {
            ("input.directConnectGatewayId", "INVALID_FORMAT"),
            ("input.virtualGatewayId", "INVALID_FORMAT"),
        }
    assert calls() == {}


def test_an_association_in_an_unserved_region_is_refused(
    gateway: GatewayServer, dx: Any, calls: Callable[[], dict[str, int]]
) -> None:
    variables = {
        "input": {
            "directConnectGatewayId": UNKNOWN_GATEWAY,
            "virtualGatewayId": "vgw-0123456789abcdef0",
            "region": "eu-west-1",
        }
    }
    assert problems(post(gateway.url, ASSOCIATE, variables)) == {("input.region", "NOT_SERVED")}
    assert calls() == {}


def test_delete_association_returns_it_disassociating(gateway: GatewayServer, dx: Any) -> None:
    gateway_id, vgw = new_gateway(dx), vgw_of(dx)
    dx.create_direct_connect_gateway_association(
        directConnectGatewayId=gateway_id, virtualGatewayId=vgw
    )
    body = post(
        gateway.url,
        DISASSOCIATE,
        {"input": {"directConnectGatewayId": gateway_id, "virtualGatewayId": vgw}},
    )
    assert body["data"]["deleteDirectConnectGatewayAssociation"][
        "directConnectGatewayAssociation"
    ] == {
        "directConnectGatewayId": gateway_id,
        "virtualGatewayId": vgw,
        "associationState": "DISASSOCIATING",
    }
    remaining = dx.describe_direct_connect_gateway_associations(directConnectGatewayId=gateway_id)
    assert remaining["directConnectGatewayAssociations"] == []


def test_deleting_a_missing_association_is_not_found(gateway: GatewayServer, dx: Any) -> None:
    gateway_id, vgw = new_gateway(dx), vgw_of(dx)
    body = post(
        gateway.url,
        DISASSOCIATE,
        {"input": {"directConnectGatewayId": gateway_id, "virtualGatewayId": vgw}},
    )
    error = upstream_error(body, "deleteDirectConnectGatewayAssociation")
    assert (error["code"], error["awsCode"]) == ("NOT_FOUND", "DirectConnectClientException")
    assert error["operation"] == "DeleteDirectConnectGatewayAssociation"

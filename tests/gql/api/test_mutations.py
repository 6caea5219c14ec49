"""What every mutation shares, proven with the connection mutations over real HTTP: checks before
any upstream call, typed upstream errors, idempotent retries, read-your-writes, authorization."""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable
from typing import Any

import httpx

from gql.http.server import GatewayServer
from gql.settings import Settings
from tests.conftest import CUSTOMER
from tests.gql.conftest import post

CREATE = """mutation($input: CreateConnectionInput!) {
  createConnection(input: $input) { connection { connectionId connectionName connectionState
    location { locationCode } } } }"""
LIST = "{ connections { connectionId connectionName } }"


def create_input(**overrides: Any) -> dict[str, Any]:
    return {"location": "EqDC2", "bandwidth": "10Gbps", "connectionName": "edge", **overrides}


def test_create_connection_reaches_direct_connect_and_returns_the_graph_type(
    gateway: GatewayServer, dx: Any
) -> None:
    body = post(gateway.url, CREATE, {"input": create_input()})
    created = body["data"]["createConnection"]["connection"]
    assert created["connectionState"] == "REQUESTED"
    assert created["location"] == {"locationCode": "EqDC2"}
    [seen] = dx.describe_connections()["connections"]
    assert seen["connectionId"] == created["connectionId"]
    assert seen["connectionName"] == "edge"


def test_invalid_input_names_every_field_and_sends_nothing(
    gateway: GatewayServer, calls: Callable[[], dict[str, int]]
) -> None:
    body = post(
        gateway.url,
        CREATE,
        {
            "input": create_input(
                bandwidth="3Gbps", connectionName="x" * 201, lagId="dxcon-fabcdefg"
            )
        },
    )
    assert body["data"] is None
    problems = {(e["extensions"]["field"], e["extensions"]["reason"]) for e in body["errors"]}
    assert problems == {
        ("input.bandwidth", "NOT_ALLOWED_VALUE"),
        ("input.connectionName", "TOO_LONG"),
        ("input.lagId", "WRONG_KIND"),
    }
    assert {e["extensions"]["code"] for e in body["errors"]} == {"BAD_USER_INPUT"}
    assert calls() == {}


def test_upstream_rejections_come_back_typed(gateway: GatewayServer) -> None:
    body = post(
        gateway.url,
        'mutation { deleteConnection(input: {connectionId: "dxcon-fzzzzzzz"}) '
        "{ connection { connectionId } } }",
    )
    [error] = body["errors"]
    assert error["path"] == ["deleteConnection"]
    assert error["extensions"]["code"] == "NOT_FOUND"
    assert error["extensions"]["awsCode"] == "DirectConnectClientException"
    assert "Could not find Connection" in error["extensions"]["awsMessage"]
    assert error["extensions"]["operation"] == "DeleteConnection"
    assert error["extensions"]["requestId"]


def test_a_retried_create_with_the_same_key_creates_one_connection(
    gateway: GatewayServer, dx: Any, calls: Callable[[], dict[str, int]]
) -> None:
    first = post(gateway.url, CREATE, {"input": create_input()}, **{"Idempotency-Key": "k-1"})
    again = post(gateway.url, CREATE, {"input": create_input()}, **{"Idempotency-Key": "k-1"})
    assert again["data"] == first["data"]
    assert len(dx.describe_connections()["connections"]) == 1
    assert calls().get("CreateConnection") == 1


def test_concurrent_retries_with_one_key_create_one_connection(
    gateway: GatewayServer, dx: Any, control: Any
) -> None:
    control.put("/faults", json={"latencyMs": 300, "operations": ["CreateConnection"]})
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        bodies = list(
            pool.map(
                lambda _: post(
                    gateway.url, CREATE, {"input": create_input()}, **{"Idempotency-Key": "k-2"}
                ),
                range(4),
            )
        )
    assert all(body["data"] == bodies[0]["data"] for body in bodies)
    assert len(dx.describe_connections()["connections"]) == 1


def test_the_same_key_with_another_input_is_refused(gateway: GatewayServer, dx: Any) -> None:
    post(gateway.url, CREATE, {"input": create_input()}, **{"Idempotency-Key": "k-3"})
    body = post(
        gateway.url,
        CREATE,
        {"input": create_input(connectionName="other")},
        **{"Idempotency-Key": "k-3"},
    )
    assert body["errors"][0]["extensions"]["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert len(dx.describe_connections()["connections"]) == 1


def test_reads_see_the_write_even_when_they_were_cached(gateway: GatewayServer) -> None:
    assert post(gateway.url, LIST)["data"]["connections"] == []
    post(gateway.url, CREATE, {"input": create_input()})
    names = [c["connectionName"] for c in post(gateway.url, LIST)["data"]["connections"]]
    assert names == ["edge"]


def test_a_write_on_one_replica_is_seen_by_the_other_through_redis(
    gateway_settings: Settings, redis_url: str
) -> None:
    settings = gateway_settings.model_copy(
        update={"cache_backend": "redis", "redis_url": redis_url}
    )
    with GatewayServer(settings) as reader, GatewayServer(settings) as writer:
        assert post(reader.url, LIST)["data"]["connections"] == []
        post(writer.url, CREATE, {"input": create_input()})
        assert len(post(reader.url, LIST)["data"]["connections"]) == 1


def test_a_read_only_gateway_refuses_mutations_before_any_upstream_call(
    gateway_settings: Settings, calls: Callable[[], dict[str, int]]
) -> None:
    with GatewayServer(gateway_settings.model_copy(update={"read_only": True})) as gateway:
        response = httpx.post(
            f"{gateway.url}/graphql",
            json={"query": CREATE, "variables": {"input": create_input()}},
            timeout=30,
        )
    assert response.status_code == 403
    assert response.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert calls() == {}


def test_an_unserved_region_is_refused(gateway: GatewayServer) -> None:
    body = post(gateway.url, CREATE, {"input": create_input(region="eu-west-1")})
    assert body["errors"][0]["extensions"] == {
        "code": "BAD_USER_INPUT",
        "field": "input.region",
        "reason": "NOT_SERVED",
    }


def test_confirm_connection_returns_the_new_state_and_the_fresh_connection(
    gateway: GatewayServer, dx: Any, dx_partner: Any
) -> None:
    interconnect = dx_partner.create_interconnect(
        interconnectName="ic", bandwidth="10Gbps", location="EqDC2"
    )["interconnectId"]
    dx_partner.describe_interconnects()
    hosted = dx_partner.allocate_hosted_connection(
        connectionId=interconnect,
        ownerAccount=CUSTOMER,
        bandwidth="500Mbps",
        connectionName="hosted",
        vlan=10,
    )["connectionId"]
    body = post(
        gateway.url,
        "mutation($id: String!) { confirmConnection(input: {connectionId: $id}) "
        "{ connectionState connection { connectionId connectionState } } }",
        {"id": hosted},
    )
    assert body["data"]["confirmConnection"] == {
        "connectionState": "PENDING",
        "connection": {"connectionId": hosted, "connectionState": "AVAILABLE"},
    }

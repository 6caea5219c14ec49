"""Hostile input, by hand: each request is answered with a clear 4xx or a coded GraphQL error —
never a 5xx, never a traceback — and a refused request reaches Direct Connect not at all.

Where another part of the gateway sets the exact refusal (limits, authentication), these tests
hold only to that rule, not to a particular code; where the behaviour is already ours (variable
coercion → `BAD_USER_INPUT`), they check the code.
"""

from __future__ import annotations

import base64
import json
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from graphql import get_introspection_query

from gql.http.server import GatewayServer
from gql.settings import Settings
from tests.gql.conftest import REGIONS
from tests.gql.engine.test_fuzz import response_problems

Calls = Callable[[], dict[str, int]]

CREATE_GATEWAY = (
    'mutation { createDirectConnectGateway(input: {directConnectGatewayName: "hostile"}) '
    "{ directConnectGateway { directConnectGatewayId } } }"
)
JSON = {"content-type": "application/json"}


@pytest.fixture(scope="module")
def gateway(dx_url: str) -> Iterator[GatewayServer]:
    """One gateway for the module (each test resets the simulator; reads that must see its
    state send `Cache-Control: no-cache`). Rate limiting is off: these tests send many requests
    from one address, and the rate limit has tests of its own."""
    settings = Settings(
        upstream="endpoint",
        dx_endpoint=dx_url,
        regions=REGIONS,
        cache_namespace=f"hostile-{uuid.uuid4().hex[:12]}",
        max_attempts=1,
        rate_limit_per_minute=0,
    )
    with GatewayServer(settings) as server:
        yield server


def send(gateway: GatewayServer, **request: Any) -> httpx.Response:
    request.setdefault("method", "POST")
    return httpx.request(url=f"{gateway.url}/graphql", timeout=30, **request)


def assert_refused(response: httpx.Response) -> None:
    """A clear refusal: a 4xx that says why, or a GraphQL answer without data whose errors are
    all coded; never a 5xx or a traceback. A JSON 4xx body must carry codes too."""
    assert response_problems(None, None, response) == [], response.text[:500]
    if response.status_code == 200:
        body = response.json()
        assert body.get("errors"), f"not refused: {response.text[:300]}"
        assert body.get("data") is None, f"refused, yet data: {response.text[:300]}"
        return
    assert 400 <= response.status_code < 500, response.status_code
    assert response.text.strip(), "a 4xx must say why"
    if response.headers.get("content-type", "").startswith("application/json"):
        body = response.json()
        errors = body.get("errors") if isinstance(body, dict) else None
        if errors is not None:
            assert all(e.get("extensions", {}).get("code") for e in errors), body


def assert_coded_refusal(response: httpx.Response) -> list[dict[str, Any]]:
    """A refusal in GraphQL's shape (`errors[].extensions.code`), whatever its HTTP status."""
    assert_refused(response)
    assert response.headers.get("content-type", "").startswith("application/json"), (
        f"HTTP {response.status_code} {response.headers.get('content-type')}: "
        f"{response.text[:200]!r} is not a coded (JSON) refusal"
    )
    errors: list[dict[str, Any]] = response.json()["errors"]
    assert errors
    assert all(isinstance(e["extensions"]["code"], str) for e in errors)
    return errors


def gid(type_name: str, key: str) -> str:
    return base64.b64encode(f"{type_name}:{key}".encode()).decode()


# -- shapes of the document -------------------------------------------------------------------


def nested(depth: int) -> str:
    """`{ lags { connections { lag { connections { … { lagId } } } } } }`, `depth` selection
    sets below the root field."""
    steps = ["connections", "lag"]
    opening = "".join(f"{steps[i % 2]} {{ " for i in range(depth - 1))
    return "{ lags { " + opening + "lagId" + " }" * depth + " }"


def test_a_query_nested_past_the_depth_limit_is_refused_before_any_upstream_call(
    gateway: GatewayServer, calls: Calls
) -> None:
    response = send(gateway, json={"query": nested(gateway.settings.max_depth + 8)})
    assert_refused(response)
    assert calls() == {}


def test_a_query_nested_thousands_deep_is_refused_with_a_code(
    gateway: GatewayServer, calls: Calls
) -> None:
    response = send(gateway, json={"query": nested(3000)})
    assert_coded_refusal(response)
    assert calls() == {}


def test_a_query_within_the_depth_limit_is_answered(gateway: GatewayServer) -> None:
    response = send(gateway, json={"query": nested(4)})
    assert response_problems(None, None, response) == []
    assert response.json() == {**response.json(), "data": {"lags": []}}


def test_a_query_with_hundreds_of_aliases_is_refused_before_any_upstream_call(
    gateway: GatewayServer, calls: Calls
) -> None:
    aliases = " ".join(f"a{i}: lags {{ lagId }}" for i in range(gateway.settings.max_aliases * 10))
    response = send(gateway, json={"query": "{ " + aliases + " }"})
    assert_refused(response)
    assert calls() == {}


def test_aliases_multiplied_through_fragments_are_refused(
    gateway: GatewayServer, calls: Calls
) -> None:
    """Each fragment spreads the next one under several aliases: a small document that would
    expand to thousands of fields."""
    fragments = " ".join(
        f"fragment F{i} on Lag {{ a: connections {{ lag {{ ...F{i + 1} }} }} "
        f"b: connections {{ lag {{ ...F{i + 1} }} }} c: connections {{ lag {{ ...F{i + 1} }} }} }}"
        for i in range(6)
    )
    query = "{ lags { ...F0 } } " + fragments + " fragment F6 on Lag { lagId }"
    response = send(gateway, json={"query": query})
    assert_refused(response)
    assert calls() == {}


def test_thousands_of_repeated_fields_are_answered_quickly_without_a_5xx(
    gateway: GatewayServer,
) -> None:
    """Field merging is quadratic in graphql-core's validation: the token limit must keep it
    short."""
    started = time.monotonic()
    response = send(gateway, json={"query": "{ lags { " + "lagId " * 4500 + "} }"})
    assert response_problems(None, None, response) == [], response.text[:300]
    assert time.monotonic() - started < 10


def test_a_fragment_that_spreads_itself_is_refused_with_a_code(gateway: GatewayServer) -> None:
    query = "{ lags { ...A } } fragment A on Lag { connections { lag { ...A } } }"
    errors = assert_coded_refusal(send(gateway, json={"query": query}))
    assert errors[0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


# -- huge lists of IDs -------------------------------------------------------------------------


def test_a_huge_list_of_ids_costs_a_bounded_number_of_upstream_calls(
    gateway: GatewayServer, dx: Any, control: httpx.Client
) -> None:
    """10,000 IDs of three kinds in the two served regions: answered with one entry per ID (or
    refused with a code), and never one upstream call per ID."""
    lag = dx.create_lag(
        numberOfConnections=1, location="EqDC2", connectionsBandwidth="1Gbps", lagName="real"
    )
    control.delete("/calls").raise_for_status()
    kinds = [("Lag", "dxlag"), ("DxConnection", "dxcon"), ("VirtualInterface", "dxvif")]
    unknown = [
        gid(kind, f"{region}/{prefix}-{n:08x}")
        for n in range(1667)
        for kind, prefix in kinds
        for region in REGIONS
    ]
    ids = [*unknown[:9999], gid("Lag", f"us-east-1/{lag['lagId']}")]
    started = time.monotonic()
    response = send(
        gateway,
        json={
            "query": "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
            "variables": {"ids": ids},
        },
        headers={"Cache-Control": "no-cache"},
    )
    elapsed = time.monotonic() - started
    assert response_problems(None, None, response) == [], response.text[:300]
    body = response.json()
    if body.get("data"):
        nodes = body["data"]["nodes"]
        assert len(nodes) == len(ids)
        assert nodes[-1] == {"id": ids[-1]}
    else:
        assert_refused(response)
    assert control.get("/calls").json()["total"] <= len(kinds) * len(REGIONS)
    assert elapsed < 10


def test_node_ids_naming_regions_the_gateway_does_not_serve_cost_no_upstream_call(
    gateway: GatewayServer, calls: Calls
) -> None:
    """A global ID carries its region: fifty made-up regions must not become fifty Direct
    Connect clients and calls (nor calls to a real region the gateway was not told to serve)."""
    regions = ["eu-west-1", *(f"zz-fake-{n}" for n in range(50))]
    ids = [gid("Lag", f"{region}/dxlag-abcdefgh") for region in regions]
    response = send(
        gateway,
        json={
            "query": "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
            "variables": {"ids": ids},
        },
    )
    assert response_problems(None, None, response) == [], response.text[:300]
    body = response.json()
    assert body.get("errors") or body["data"]["nodes"] == [None] * len(ids)
    assert calls() == {}


def test_a_list_of_ids_over_the_body_limit_is_refused(gateway: GatewayServer, calls: Calls) -> None:
    count = gateway.settings.max_body_bytes // 40 + 1
    ids = [gid("Lag", f"us-east-1/dxlag-{n:08x}") for n in range(count)]
    response = send(
        gateway,
        json={
            "query": "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
            "variables": {"ids": ids},
        },
    )
    assert_refused(response)
    assert response.status_code != 200
    assert calls() == {}


# -- bodies that are not what they claim -------------------------------------------------------

INVALID_UTF8 = {
    "in-a-string": b'{"query": "{ lag(lagId: \\"\xff\xfe\\") { lagId } }"}',
    "whole-body": b"\xff\xfe\xfa\x00\x81",
    "truncated-sequence": b'{"query": "{ regions }", "x": "\xe2\x82"}',
    "overlong-encoding": b'{"query": "{ regions \xc0\xaf }"}',
}


@pytest.mark.parametrize("body", INVALID_UTF8.values(), ids=INVALID_UTF8.keys())
def test_a_body_that_is_not_valid_utf8_is_refused_with_a_4xx(
    gateway: GatewayServer, body: bytes
) -> None:
    response = send(gateway, content=body, headers=JSON)
    assert_refused(response)
    assert response.status_code != 200 or response.json()["errors"]


NOT_OBJECTS = {"string": b'"{ regions }"', "number": b"5", "boolean": b"true", "null": b"null"}


@pytest.mark.parametrize("body", NOT_OBJECTS.values(), ids=NOT_OBJECTS.keys())
def test_a_json_body_that_is_not_an_object_is_refused_with_a_4xx(
    gateway: GatewayServer, body: bytes
) -> None:
    response = send(gateway, content=body, headers=JSON)
    assert_refused(response)
    assert response.status_code >= 400


HOSTILE_JSON = {
    "nested-100k-deep": b'{"query": "{ regions }", "variables": {"x": '
    + b"[" * 100_000
    + b"]" * 100_000
    + b"}}",
    "integer-with-5000-digits": b'{"query": "query($n: Int) { directConnectGateways(first: $n)'
    b' { edges { cursor } } }", "variables": {"n": ' + b"9" * 5000 + b"}}",
    "not-json": b'{"query": "{ regions }"',
}


@pytest.mark.parametrize("body", HOSTILE_JSON.values(), ids=HOSTILE_JSON.keys())
def test_json_the_parser_cannot_take_is_refused_with_a_4xx(
    gateway: GatewayServer, body: bytes
) -> None:
    response = send(gateway, content=body, headers=JSON)
    assert_refused(response)
    assert response.status_code >= 400


def chunks(size: int) -> Iterator[bytes]:
    yield b'{"query": "{ regions }", "padding": "'
    for _ in range(size // 65536 + 1):
        yield b"a" * 65536
    yield b'"}'


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "chunked"])
def test_a_body_over_the_size_limit_is_refused_with_a_4xx(
    gateway: GatewayServer, declared: bool
) -> None:
    size = gateway.settings.max_body_bytes * 2
    content: bytes | Iterator[bytes] = b"".join(chunks(size)) if declared else chunks(size)
    response = send(gateway, content=content, headers=JSON)
    assert_refused(response)
    assert response.status_code == 413


# -- content types, methods, batches -------------------------------------------------------------

MUTATION_BODY = json.dumps({"query": CREATE_GATEWAY})
WRONG_CONTENT = {
    "text/plain": {"content": MUTATION_BODY, "headers": {"content-type": "text/plain"}},
    "form-urlencoded": {"data": {"query": CREATE_GATEWAY}},
    "multipart-form": {
        "files": {"operations": (None, MUTATION_BODY), "map": (None, "{}")},
    },
    "xml": {
        "content": f"<query><![CDATA[{CREATE_GATEWAY}]]></query>",
        "headers": {"content-type": "application/xml"},
    },
    "application/graphql": {
        "content": CREATE_GATEWAY,
        "headers": {"content-type": "application/graphql"},
    },
    "no-content-type": {"content": MUTATION_BODY.encode()},
}


@pytest.mark.parametrize("request_", WRONG_CONTENT.values(), ids=WRONG_CONTENT.keys())
def test_a_mutation_in_a_wrong_content_type_is_refused_and_nothing_is_written(
    gateway: GatewayServer, calls: Calls, request_: dict[str, Any]
) -> None:
    """text/plain and form posts are what a browser sends cross-site without a preflight: the
    gateway must not run them."""
    assert_refused(send(gateway, **request_))
    assert calls() == {}


BATCHES = {
    "query-and-mutation": [{"query": "{ lags { lagId } }"}, {"query": CREATE_GATEWAY}],
    "one-operation": [{"query": CREATE_GATEWAY}],
    "empty": [],
}


@pytest.mark.parametrize("batch", BATCHES.values(), ids=BATCHES.keys())
def test_a_batch_of_operations_is_refused_with_a_coded_error_and_none_of_them_runs(
    gateway: GatewayServer, calls: Calls, batch: list[dict[str, str]]
) -> None:
    """Batching is refused: one HTTP request carrying many operations would slip past the
    per-request limits (rate, cost, depth per operation)."""
    response = send(gateway, json=batch)
    assert_coded_refusal(response)
    assert response.status_code == 400
    assert calls() == {}


GET_MUTATIONS = {
    "mutation": {"query": CREATE_GATEWAY},
    "named-among-queries": {
        "query": "query A { regions } " + CREATE_GATEWAY.replace("mutation", "mutation B"),
        "operationName": "B",
    },
}


@pytest.mark.parametrize("params", GET_MUTATIONS.values(), ids=GET_MUTATIONS.keys())
def test_a_mutation_sent_with_get_is_refused_and_nothing_is_written(
    gateway: GatewayServer, calls: Calls, params: dict[str, str]
) -> None:
    assert_refused(send(gateway, method="GET", params=params))
    assert calls() == {}


def test_a_query_sent_with_get_is_answered(gateway: GatewayServer) -> None:
    response = send(gateway, method="GET", params={"query": "{ regions }"})
    assert response.status_code == 200
    assert response.json()["data"] == {"regions": ["us-east-1", "us-west-2"]}


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
def test_other_http_methods_are_refused_with_a_4xx(gateway: GatewayServer, method: str) -> None:
    assert_refused(send(gateway, method=method, json={"query": "{ regions }"}))


# -- operations and variables ---------------------------------------------------------------------


def test_an_unknown_operation_name_is_refused(gateway: GatewayServer, calls: Calls) -> None:
    response = send(
        gateway, json={"query": "query A { lags { lagId } }", "operationName": "Missing"}
    )
    assert_refused(response)
    assert calls() == {}


def test_several_operations_without_an_operation_name_are_refused_and_none_runs(
    gateway: GatewayServer, calls: Calls
) -> None:
    """GraphQL spec (GetOperation): with more than one operation, operationName is required —
    running the first one would run what the client did not ask for."""
    query = CREATE_GATEWAY.replace("mutation", "mutation Create") + " query Read { regions }"
    assert_refused(send(gateway, json={"query": query}))
    assert calls() == {}


def test_an_operation_name_that_is_not_a_string_is_refused(gateway: GatewayServer) -> None:
    assert_refused(send(gateway, json={"query": "query A { regions }", "operationName": 5}))


LAG_BY_ID = "query($id: String!) { lag(lagId: $id) { lagId } }"
WRONG_TYPES = {
    "int-for-string": (LAG_BY_ID, {"id": 5}),
    "object-for-string": (LAG_BY_ID, {"id": {"lagId": "dxlag-abcdefgh"}}),
    "string-for-int": (
        "query($n: Int) { directConnectGateways(first: $n) { edges { cursor } } }",
        {"n": "ten"},
    ),
    "int-over-32-bits": (
        "query($n: Int) { directConnectGateways(first: $n) { edges { cursor } } }",
        {"n": 2**40},
    ),
    "unknown-enum-value": (
        "query($s: [LagState!]) { lags(states: $s) { lagId } }",
        {"s": ["EXPLODED"]},
    ),
    "bigint-over-64-bits": (
        "mutation($a: BigInt) { createDirectConnectGateway(input: "
        '{directConnectGatewayName: "x", amazonSideAsn: $a}) { directConnectGateway { arn } } }',
        {"a": 2**70},
    ),
    "float-for-id": ("query($id: ID!) { node(id: $id) { id } }", {"id": 1.5}),
    "list-for-input-object": (
        "mutation($i: CreateLagInput!) { createLag(input: $i) { lag { lagId } } }",
        {"i": [1, 2]},
    ),
}


@pytest.mark.parametrize(("query", "variables"), WRONG_TYPES.values(), ids=WRONG_TYPES.keys())
def test_a_variable_of_the_wrong_type_is_a_bad_user_input_error(
    gateway: GatewayServer, calls: Calls, query: str, variables: dict[str, Any]
) -> None:
    errors = assert_coded_refusal(send(gateway, json={"query": query, "variables": variables}))
    assert {e["extensions"]["code"] for e in errors} == {"BAD_USER_INPUT"}
    assert calls() == {}


@pytest.mark.parametrize("variables", [{"id": None}, {}], ids=["null", "missing"])
def test_null_or_no_value_for_a_non_null_variable_is_a_bad_user_input_error(
    gateway: GatewayServer, calls: Calls, variables: dict[str, Any]
) -> None:
    errors = assert_coded_refusal(send(gateway, json={"query": LAG_BY_ID, "variables": variables}))
    assert {e["extensions"]["code"] for e in errors} == {"BAD_USER_INPUT"}
    assert calls() == {}


@pytest.mark.parametrize("variables", [[1], "{}", 5], ids=["list", "string", "number"])
def test_variables_that_are_not_an_object_are_refused(
    gateway: GatewayServer, variables: Any
) -> None:
    assert_refused(send(gateway, json={"query": "{ regions }", "variables": variables}))


@pytest.mark.parametrize("query", [5, ["{ regions }"], {"q": 1}], ids=["number", "list", "object"])
def test_a_query_that_is_not_a_string_is_refused(gateway: GatewayServer, query: Any) -> None:
    assert_refused(send(gateway, json={"query": query}))


# -- strings the parser must handle ---------------------------------------------------------------

ODD_STRINGS = {
    "nul": '{ lag(lagId: "\\u0000") { lagId } }',
    "lone-surrogate": '{ lag(lagId: "\\ud800") { lagId } }',
    "bidi-and-emoji": '{ lag(lagId: "dxlag-\u202e\U0001f4a5") { lagId } }',
    "unterminated": '{ lag(lagId: "dxlag-',
    "megabyte-less-one-argument": '{ lag(lagId: "' + "x" * 900_000 + '") { lagId } }',
}


@pytest.mark.parametrize("query", ODD_STRINGS.values(), ids=ODD_STRINGS.keys())
def test_odd_strings_are_answered_with_data_or_a_coded_error_and_no_upstream_abuse(
    gateway: GatewayServer, calls: Calls, query: str
) -> None:
    response = send(gateway, json={"query": query})
    assert response_problems(None, None, response) == [], response.text[:300]
    assert sum(calls().values()) <= len(REGIONS)


def test_a_subscription_is_refused_with_a_code(gateway: GatewayServer) -> None:
    assert_coded_refusal(send(gateway, json={"query": "subscription { lags { lagId } }"}))


# -- empty and introspection ----------------------------------------------------------------------

EMPTY = {
    "empty-body": {"content": b"", "headers": JSON},
    "no-body": {},
    "empty-object": {"json": {}},
    "empty-query": {"json": {"query": ""}},
    "blank-query": {"json": {"query": "   \n\t "}},
    "null-query": {"json": {"query": None}},
}


@pytest.mark.parametrize("request_", EMPTY.values(), ids=EMPTY.keys())
def test_an_empty_request_is_refused(gateway: GatewayServer, request_: dict[str, Any]) -> None:
    assert_refused(send(gateway, **request_))


def test_introspection_is_allowed_and_describes_the_whole_schema(gateway: GatewayServer) -> None:
    """The standard introspection query nests `ofType` eight deep: the limits must let it
    through (GraphiQL and codegen depend on it)."""
    response = send(gateway, json={"query": get_introspection_query(descriptions=True)})
    assert response_problems(None, None, response) == []
    body = response.json()
    assert "errors" not in body, body["errors"]
    schema = body["data"]["__schema"]
    assert schema["queryType"]["name"] == "Query"
    assert schema["mutationType"]["name"] == "Mutation"
    names = {t["name"] for t in schema["types"]}
    assert {"Lag", "DxConnection", "VirtualInterface", "CreateLagInput"} <= names

"""Query limits, the upstream-call budget and its `extensions.cost`, body size and rate limits —
through real HTTP, with upstream calls counted at the simulator."""

from __future__ import annotations

import hashlib
import json
import socket
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from gql.http.server import GatewayServer
from gql.settings import ApiKey, Settings
from tests.gql.conftest import REGIONS

Calls = Callable[[], dict[str, int]]

# Three root lists: one call per kind and served region (2 regions) on a cold cache.
LISTS = "{ lags { lagId } connections { connectionId } locations { locationCode } }"
LISTS_CALLS = 6

GATEWAY_ASSOCIATIONS = """
{ directConnectGateways { edges { node {
    directConnectGatewayId
    associations { edges { node { associationState } } }
} } } }
"""


Post = Callable[..., Any]


@pytest.fixture(scope="module")
def http() -> Iterator[httpx.Client]:
    """One client for the module (a new httpx client per request costs ~70 ms)."""
    with httpx.Client(timeout=30) as client:
        yield client


@pytest.fixture
def post(http: httpx.Client) -> Post:
    """`post(url, query, variables, **headers)` → the JSON of a 200 answer."""

    def send(url: str, query: str, variables: dict[str, Any] | None = None, **headers: str) -> Any:
        response = http.post(
            f"{url}/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
        assert response.status_code == 200, response.text
        return response.json()

    return send


def total(calls: Calls) -> int:
    return sum(calls().values())


def codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors") or []]


def gateway_with(settings: Settings, **changes: Any) -> GatewayServer:
    return GatewayServer(settings.model_copy(update=changes))


@pytest.fixture(scope="module")
def limited(dx_url: str) -> Iterator[GatewayServer]:
    """A gateway with small limits: depth 2, 2 aliases, 40 tokens, a budget of 5 calls,
    bodies of 2 KiB (shared by the module: tests that count calls ask for fresh data)."""
    settings = Settings(
        upstream="endpoint",
        dx_endpoint=dx_url,
        regions=REGIONS,
        cache_namespace=f"test-{uuid.uuid4().hex[:12]}",
        max_attempts=1,
    )
    with gateway_with(
        settings,
        max_depth=2,
        max_aliases=2,
        max_tokens=40,
        max_upstream_calls=5,
        max_body_bytes=2048,
    ) as server:
        yield server


# -- cost ------------------------------------------------------------------------------------
def test_a_normal_query_answers_with_its_estimated_and_actual_upstream_calls(
    post: Post, gateway: GatewayServer, calls: Calls
) -> None:
    cold = post(gateway.url, LISTS)
    assert "errors" not in cold
    assert set(cold["data"]) == {"lags", "connections", "locations"}
    assert cold["extensions"]["cost"] == {
        "estimatedUpstreamCalls": LISTS_CALLS,
        "actualUpstreamCalls": LISTS_CALLS,
        "budget": 500,
    }
    assert total(calls) == LISTS_CALLS

    warm = post(gateway.url, LISTS)
    assert warm["data"] == cold["data"]
    assert warm["extensions"]["cost"] == {
        "estimatedUpstreamCalls": LISTS_CALLS,
        "actualUpstreamCalls": 0,
        "budget": 500,
    }
    assert total(calls) == LISTS_CALLS  # served from the cache


def test_the_estimate_learns_the_number_of_gateways_from_earlier_requests(
    post: Post, gateway: GatewayServer, dx: Any, calls: Calls
) -> None:
    for n in range(3):
        dx.create_direct_connect_gateway(directConnectGatewayName=f"gw-{n}", amazonSideAsn=64512)
    calls()  # counted from here
    before = total(calls)
    first = post(gateway.url, GATEWAY_ASSOCIATIONS)
    # unknown estate: the gateway list and one association call per gateway, 1 gateway assumed
    assert first["extensions"]["cost"]["estimatedUpstreamCalls"] == 2
    assert first["extensions"]["cost"]["actualUpstreamCalls"] == 4
    assert total(calls) - before == 4

    again = post(gateway.url, GATEWAY_ASSOCIATIONS, **{"Cache-Control": "no-cache"})
    assert again["extensions"]["cost"]["estimatedUpstreamCalls"] == 4
    assert again["extensions"]["cost"]["actualUpstreamCalls"] == 4
    assert total(calls) - before == 8


def test_a_mutation_costs_its_write_and_the_reads_of_its_payload(
    post: Post, gateway: GatewayServer, dx: Any, calls: Calls
) -> None:
    location = dx.describe_locations()["locations"][0]["locationCode"]
    before = calls()
    body = post(
        gateway.url,
        """mutation($location: String!) { createLag(input: {numberOfConnections: 1,
             location: $location, connectionsBandwidth: "10Gbps", lagName: "budgeted"}) {
           lag { lagName location { locationCode } } } }""",
        {"location": location},
    )
    assert "errors" not in body, body
    assert body["data"]["createLag"]["lag"]["lagName"] == "budgeted"
    # CreateLag, then DescribeLocations in the LAG's region
    assert body["extensions"]["cost"] == {
        "estimatedUpstreamCalls": 2,
        "actualUpstreamCalls": 2,
        "budget": 500,
    }
    after = calls()
    assert {op: n - before.get(op, 0) for op, n in after.items() if n != before.get(op, 0)} == {
        "CreateLag": 1,
        "DescribeLocations": 1,
    }


def test_a_query_over_the_upstream_call_budget_is_refused_before_any_call(
    post: Post, limited: GatewayServer, calls: Calls
) -> None:
    body = post(limited.url, LISTS)
    assert body["data"] is None
    assert codes(body) == ["COST_LIMIT_EXCEEDED"]
    assert body["errors"][0]["extensions"]["estimatedUpstreamCalls"] == LISTS_CALLS
    assert body["extensions"]["cost"] == {
        "estimatedUpstreamCalls": LISTS_CALLS,
        "actualUpstreamCalls": 0,
        "budget": 5,
    }
    assert total(calls) == 0

    narrowed = post(
        limited.url,
        '{ lags(region: "us-east-1") { lagId } locations { locationCode } }',
        **{"Cache-Control": "no-cache"},
    )
    assert "errors" not in narrowed, narrowed
    assert narrowed["extensions"]["cost"]["estimatedUpstreamCalls"] == 3
    assert total(calls) == 3


# -- depth, aliases, tokens --------------------------------------------------------------------
def test_a_query_deeper_than_max_depth_is_refused_with_query_too_deep(
    post: Post, limited: GatewayServer, calls: Calls
) -> None:
    deep = post(limited.url, "{ lags { connections { lag { lagId } } } }")
    assert deep["data"] is None
    assert codes(deep) == ["QUERY_TOO_DEEP"]
    assert deep["errors"][0]["message"] == (
        "Operation 'anonymous' is nested 3 levels deep; at most 2 are allowed."
    )
    assert deep["errors"][0]["extensions"]["maxDepth"] == 2

    through_fragment = post(
        limited.url,
        "query { lags { ...Members } } fragment Members on Lag { connections { lag { lagId } } }",
    )
    assert codes(through_fragment) == ["QUERY_TOO_DEEP"]
    assert total(calls) == 0


def test_a_deeply_nested_document_within_the_token_limit_is_refused_as_too_deep(
    post: Post, gateway: GatewayServer, calls: Calls
) -> None:
    body = post(gateway.url, "{" + " lags {" * 300 + " lagId" + " }" * 300 + " }")
    assert codes(body) == ["QUERY_TOO_DEEP"]
    assert total(calls) == 0


def test_too_many_aliases_are_refused_with_too_many_aliases(
    post: Post, limited: GatewayServer, calls: Calls
) -> None:
    body = post(limited.url, "{ a: regions b: regions c: regions }")
    assert body["data"] is None
    assert codes(body) == ["TOO_MANY_ALIASES"]
    assert body["errors"][0]["message"] == "The document uses 3 aliases; at most 2 are allowed."
    assert body["errors"][0]["extensions"]["maxAliases"] == 2
    # one alias in a fragment spread three times counts three times
    spread = post(
        limited.url,
        "{ ...R ...R2 ...R3 } fragment R on Query { a: regions } "
        "fragment R2 on Query { ...R } fragment R3 on Query { ...R2 }",
    )
    assert codes(spread) == ["TOO_MANY_ALIASES"]
    assert total(calls) == 0


def test_a_document_over_max_tokens_is_refused_with_too_many_tokens(
    post: Post, limited: GatewayServer, calls: Calls
) -> None:
    body = post(limited.url, "{ " + " ".join(["regions"] * 50) + " }")
    assert body["data"] is None
    assert codes(body) == ["TOO_MANY_TOKENS"]
    assert body["errors"][0]["message"] == "The document has more than 40 tokens; parsing stopped."
    assert body["errors"][0]["extensions"]["maxTokens"] == 40
    assert total(calls) == 0


def fragment_bomb(levels: int, bottom: str) -> str:
    """`levels` fragments, each spreading the next twice: `bottom` 2**levels times over."""
    chain = " ".join(f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels))
    return f"{{ ...F0 }} {chain} fragment F{levels} on Query {{ {bottom} }}"


def test_fragment_bombs_are_measured_quickly_once_per_fragment(
    post: Post, gateway: GatewayServer, calls: Calls
) -> None:
    """Each fragment is measured once, however often it is spread (strawberry's depth and alias
    rules walk a fragment again at every spread: 2**30 walks here, hours: the client's timeout
    fails the test long before)."""
    deep = "lags { " + "connections { lag { " * 6 + "lagId" + " } } " * 6 + "}"  # 13 levels
    aliased = post(gateway.url, fragment_bomb(30, "a: regions"))
    too_deep = post(gateway.url, fragment_bomb(30, deep))
    harmless = post(gateway.url, fragment_bomb(30, "regions"))
    assert aliased["errors"] == [
        {
            "message": f"The document uses {2**30} aliases; at most 30 are allowed.",
            "extensions": {"code": "TOO_MANY_ALIASES", "maxAliases": 30},
        }
    ]
    assert codes(too_deep) == ["QUERY_TOO_DEEP"]
    assert too_deep["errors"][0]["message"] == (
        "Operation 'anonymous' is nested 13 levels deep; at most 12 are allowed."
    )
    assert harmless["data"] == {"regions": ["us-east-1", "us-west-2"]}
    assert total(calls) == 0


def test_long_fragment_chains_and_unknown_fragments_are_refused_with_a_code(
    post: Post, gateway: GatewayServer
) -> None:
    """Neither exhausts Python's stack nor trips the limits' own walks (graphql-core refuses
    both while validating)."""
    chain = " ".join(f"fragment F{i} on Query {{ ...F{i + 1} }}" for i in range(550))
    long_chain = post(gateway.url, f"{{ ...F0 }} {chain} fragment F550 on Query {{ regions }}")
    assert long_chain["data"] is None
    assert codes(long_chain) == ["GRAPHQL_VALIDATION_FAILED"]

    unknown = post(gateway.url, "{ lags { ...Missing } }")
    assert unknown["data"] is None
    assert codes(unknown) == ["GRAPHQL_VALIDATION_FAILED"]
    assert unknown["errors"][0]["message"] == "Unknown fragment 'Missing'."


def test_a_query_within_every_limit_still_works(
    post: Post, limited: GatewayServer, calls: Calls
) -> None:
    body = post(
        limited.url,
        '{ a: lags(region: "us-east-1") { lagId } regions }',
        **{"Cache-Control": "no-cache"},
    )
    assert "errors" not in body, body
    assert body["data"] == {"a": [], "regions": ["us-east-1", "us-west-2"]}
    assert body["extensions"]["cost"] == {
        "estimatedUpstreamCalls": 1,
        "actualUpstreamCalls": 1,
        "budget": 5,
    }
    assert calls() == {"DescribeLags": 1}


# -- body size -----------------------------------------------------------------------------------
def padded(size: int) -> bytes:
    """A GraphQL request body of `size` bytes (the query padded with a comment)."""
    body = json.dumps({"query": "{ regions }\n#"}).encode()
    return body[:-2] + b"x" * (size - len(body)) + body[-2:]


def raw_request(url: str, head: str, body: bytes) -> tuple[int, dict[str, str], bytes]:
    """Sends bytes as they are (httpx would fix a lying Content-Length) and reads the answer."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(head.encode() + body)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
        header_blob, _, rest = data.partition(b"\r\n\r\n")
        lines = header_blob.decode().split("\r\n")
        headers = {k.lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:])}
        length = int(headers.get("content-length", "0"))
        while len(rest) < length:
            chunk = sock.recv(65536)
            if not chunk:
                break
            rest += chunk
    return int(lines[0].split()[1]), headers, rest


def chunked(body: bytes, size: int = 1024) -> bytes:
    pieces = [body[i : i + size] for i in range(0, len(body), size)]
    return b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in pieces) + b"0\r\n\r\n"


def assert_too_large(status: int, body: bytes) -> None:
    assert status == 413
    error = json.loads(body)["errors"][0]
    assert error["extensions"] == {"code": "REQUEST_TOO_LARGE", "maxBodyBytes": 2048}


def test_a_body_over_max_body_bytes_is_refused_with_413(
    http: httpx.Client, limited: GatewayServer, calls: Calls
) -> None:
    fits = http.post(
        f"{limited.url}/graphql",
        content=padded(2048),
        headers={"Content-Type": "application/json"},
    )
    assert fits.status_code == 200, fits.text
    assert fits.json()["data"] == {"regions": ["us-east-1", "us-west-2"]}

    honest = http.post(
        f"{limited.url}/graphql",
        content=padded(2049),
        headers={"Content-Type": "application/json"},
    )
    assert_too_large(honest.status_code, honest.content)
    assert total(calls) == 0


def test_a_chunked_body_over_the_limit_is_refused_with_413(
    http: httpx.Client, limited: GatewayServer
) -> None:
    def stream() -> Iterator[bytes]:
        body = padded(64 * 1024)
        for i in range(0, len(body), 4096):
            yield body[i : i + 4096]

    response = http.post(
        f"{limited.url}/graphql", content=stream(), headers={"Content-Type": "application/json"}
    )
    assert "content-length" not in response.request.headers
    assert_too_large(response.status_code, response.content)


def test_a_body_larger_than_its_content_length_claims_is_refused_with_413(
    limited: GatewayServer, calls: Calls
) -> None:
    body = padded(64 * 1024)
    head = (
        "POST /graphql HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\n"
        "Content-Length: 100\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    )
    status, _, answer = raw_request(limited.url, head, chunked(body))
    assert_too_large(status, answer)
    assert total(calls) == 0


def test_a_content_length_over_the_limit_is_refused_without_reading_the_body(
    limited: GatewayServer,
) -> None:
    head = (
        "POST /graphql HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\n"
        "Content-Length: 50000000\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n"
    )
    status, _, answer = raw_request(limited.url, head, b"")  # no body: reading it would hang
    assert_too_large(status, answer)


# -- rate limit ---------------------------------------------------------------------------------
def assert_rate_limited(response: httpx.Response) -> int:
    assert response.status_code == 429, response.text
    retry_after = response.headers["Retry-After"]
    assert retry_after.isdigit()
    assert int(retry_after) >= 1
    assert response.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    return int(retry_after)


def test_a_caller_over_its_burst_gets_429_with_retry_after(
    http: httpx.Client, gateway_settings: Settings, calls: Calls
) -> None:
    with gateway_with(gateway_settings, rate_limit_per_minute=60, rate_limit_burst=3) as gw:
        for _ in range(3):
            assert http.post(f"{gw.url}/graphql", json={"query": "{ regions }"}).status_code == 200
        query = {"query": "{ lags { lagId } }"}
        retry_after = assert_rate_limited(http.post(f"{gw.url}/graphql", json=query))
        assert total(calls) == 0  # a refused request reaches nothing
        for path in ("/healthz", "/readyz", "/metrics"):
            assert http.get(f"{gw.url}{path}").status_code != 429
        time.sleep(retry_after)
        assert http.post(f"{gw.url}/graphql", json=query).status_code == 200


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def test_each_authenticated_caller_has_its_own_bucket(
    http: httpx.Client, gateway_settings: Settings
) -> None:
    keys = [
        ApiKey(name="team-a", sha256=key_digest("key-a"), scopes=["read"]),
        ApiKey(name="team-b", sha256=key_digest("key-b"), scopes=["read"]),
    ]
    with gateway_with(
        gateway_settings, api_keys=keys, rate_limit_per_minute=1, rate_limit_burst=2
    ) as gw:

        def ask(key: str) -> httpx.Response:
            return http.post(
                f"{gw.url}/graphql", json={"query": "{ regions }"}, headers={"X-API-Key": key}
            )

        assert [ask("key-a").status_code for _ in range(2)] == [200, 200]
        assert_rate_limited(ask("key-a"))
        assert ask("key-b").status_code == 200  # same address, another principal


def test_the_redis_rate_limit_is_shared_by_two_replicas(
    http: httpx.Client, gateway_settings: Settings, redis_url: str
) -> None:
    shared = gateway_settings.model_copy(
        update={
            "cache_backend": "redis",
            "redis_url": redis_url,
            "cache_namespace": f"test-{uuid.uuid4().hex[:12]}",
            "rate_limit_per_minute": 1,
            "rate_limit_burst": 4,
        }
    )
    with GatewayServer(shared) as one, GatewayServer(shared) as two:

        def ask(gw: GatewayServer) -> httpx.Response:
            return http.post(f"{gw.url}/graphql", json={"query": "{ regions }"})

        assert [ask(gw).status_code for gw in (one, two, one, two)] == [200] * 4
        assert_rate_limited(ask(one))
        retry_after = assert_rate_limited(ask(two))
        assert retry_after >= 30  # one request per minute: the next token is far away


def test_with_redis_unreachable_each_replica_still_limits_its_callers(
    http: httpx.Client, gateway_settings: Settings
) -> None:
    with gateway_with(
        gateway_settings,
        cache_backend="redis",
        redis_url="redis://127.0.0.1:1/0",  # nothing listens on port 1
        rate_limit_per_minute=1,
        rate_limit_burst=2,
    ) as gw:

        def ask() -> httpx.Response:
            return http.post(f"{gw.url}/graphql", json={"query": "{ regions }"})

        assert [ask().status_code for _ in range(2)] == [200, 200]
        assert_rate_limited(ask())

"""Observability over real HTTP: health and readiness, Prometheus metrics moving with queries,
request IDs in responses and JSON logs, OpenTelemetry spans, and no secret in any log line."""

from __future__ import annotations

import hashlib
import io
import json
import logging
import re
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import jwt
import pytest
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from prometheus_client.parser import text_string_to_metric_families
from pydantic import SecretStr

from gql.http.logs import configure_logging
from gql.http.server import GatewayServer
from gql.settings import ApiKey, Settings
from resolvers.aws.redaction import MASK
from tests.gql.conftest import post

TOPOLOGY = "query Topology { connections { connectionId } lags { lagId } }"


def closed_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def samples(url: str) -> Samples:
    """`/metrics` as {(sample name, labels): value}."""
    response = httpx.get(f"{url}/metrics", timeout=10)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def value(metrics: Samples, name: str, **labels: str) -> float:
    """The sample with exactly these labels (0 if absent)."""
    return metrics.get((name, frozenset(labels.items())), 0.0)


def total(metrics: Samples, name: str, **labels: str) -> float:
    """The sum of the samples whose labels include these."""
    wanted = set(labels.items())
    return sum(v for (n, ls), v in metrics.items() if n == name and wanted <= ls)


# -- health and readiness ------------------------------------------------------------------------
def test_healthz_is_200_even_when_direct_connect_is_down(gateway_settings: Settings) -> None:
    down = gateway_settings.model_copy(update={"dx_endpoint": f"http://127.0.0.1:{closed_port()}"})
    with GatewayServer(down) as gateway:
        response = httpx.get(f"{gateway.url}/healthz", timeout=5)
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_is_200_when_direct_connect_and_the_cache_answer(
    gateway: GatewayServer, calls: Callable[[], dict[str, int]]
) -> None:
    # the first probe also builds the boto3 client; on a loaded machine it may miss its 2 s
    attempts = 0
    while True:
        attempts += 1
        response = httpx.get(f"{gateway.url}/readyz", timeout=5)
        if response.status_code == 200 or attempts == 3:
            break
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "ready"
    assert body["checks"]["upstream"]["ok"]
    assert body["checks"]["cache"]["ok"]
    httpx.get(f"{gateway.url}/readyz", timeout=5)
    # asked afresh each time, never from the cache
    assert calls() == {"DescribeLocations": attempts + 1}


def test_readyz_is_503_naming_the_upstream_when_direct_connect_is_down(
    gateway_settings: Settings,
) -> None:
    down = gateway_settings.model_copy(update={"dx_endpoint": f"http://127.0.0.1:{closed_port()}"})
    with GatewayServer(down) as gateway:
        response = httpx.get(f"{gateway.url}/readyz", timeout=10)
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["upstream"]
    assert body["checks"]["upstream"]["error"].startswith("UPSTREAM_UNAVAILABLE")
    assert body["checks"]["cache"]["ok"]
    assert "Traceback" not in response.text


def test_readyz_stays_200_when_direct_connect_throttles_the_probe(
    gateway: GatewayServer, control: httpx.Client
) -> None:
    control.put(
        "/faults",
        json={"throttleRate": 0.001, "throttleBurst": 1, "operations": ["DescribeLocations"]},
    ).raise_for_status()
    assert httpx.get(f"{gateway.url}/readyz", timeout=5).status_code == 200
    throttled = httpx.get(f"{gateway.url}/readyz", timeout=5)
    assert throttled.status_code == 200
    assert throttled.json()["checks"]["upstream"] == {"ok": True, "throttled": True}


def test_readyz_is_503_naming_the_cache_when_redis_is_unreachable(
    gateway_settings: Settings,
) -> None:
    settings = gateway_settings.model_copy(
        update={
            "cache_backend": "redis",
            "redis_url": f"redis://:hunter2-redis@127.0.0.1:{closed_port()}/0",
        }
    )
    with GatewayServer(settings) as gateway:
        response = httpx.get(f"{gateway.url}/readyz", timeout=10)
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["cache"]
    assert body["checks"]["upstream"]["ok"]
    assert "hunter2-redis" not in response.text
    assert "Traceback" not in response.text


def test_readyz_is_200_with_a_reachable_redis(gateway_settings: Settings, redis_url: str) -> None:
    settings = gateway_settings.model_copy(
        update={"cache_backend": "redis", "redis_url": redis_url}
    )
    with GatewayServer(settings) as gateway:
        response = httpx.get(f"{gateway.url}/readyz", timeout=10)
    assert response.status_code == 200, response.text


# -- metrics -------------------------------------------------------------------------------------
def test_a_query_moves_the_operation_upstream_loader_and_cache_metrics(
    gateway: GatewayServer, calls: Callable[[], dict[str, int]]
) -> None:
    before = samples(gateway.url)
    assert value(before, "dxgraph_graphql_operations_total", operation="Topology") == 0
    assert "errors" not in post(gateway.url, TOPOLOGY)
    first = samples(gateway.url)
    ok = {"operation": "Topology", "type": "query", "outcome": "ok"}
    assert value(first, "dxgraph_graphql_operations_total", **ok) == 1
    assert (
        value(
            first,
            "dxgraph_graphql_operation_duration_seconds_count",
            operation="Topology",
            type="query",
        )
        == 1
    )
    # one call per operation and region, as the simulator counted them
    upstream = calls()
    assert upstream == {"DescribeConnections": 2, "DescribeLags": 2}
    for operation, count in upstream.items():
        assert total(first, "dxgraph_upstream_calls_total", operation=operation) == count
        for region in ("us-east-1", "us-west-2"):
            labels = {"operation": operation, "region": region, "outcome": "ok"}
            assert value(first, "dxgraph_upstream_calls_total", **labels) == 1
            assert (
                value(
                    first,
                    "dxgraph_upstream_call_duration_seconds_count",
                    operation=operation,
                    region=region,
                )
                == 1
            )
    assert total(first, "dxgraph_loader_batch_size_count", loader="connections") >= 1
    assert total(first, "dxgraph_loader_batch_size_sum", loader="connections") >= 2
    miss = {"backend": "memory", "result": "miss"}
    hit = {"backend": "memory", "result": "hit"}
    assert value(first, "dxgraph_cache_lookups_total", **miss) == 4
    assert value(first, "dxgraph_cache_lookups_total", **hit) == 0

    assert "errors" not in post(gateway.url, TOPOLOGY)  # the repeat is served from the cache
    second = samples(gateway.url)
    assert value(second, "dxgraph_graphql_operations_total", **ok) == 2
    assert value(second, "dxgraph_cache_lookups_total", **hit) == 4
    assert value(second, "dxgraph_cache_lookups_total", **miss) == 4
    assert total(second, "dxgraph_upstream_calls_total") == total(
        first, "dxgraph_upstream_calls_total"
    )
    assert value(second, "dxgraph_http_requests_total", route="graphql", status="200") == 2


def test_failed_operations_and_throttled_or_failing_upstream_calls_are_labelled(
    gateway: GatewayServer, control: httpx.Client
) -> None:
    control.put(
        "/faults",
        json={"throttleRate": 0.001, "throttleBurst": 1, "operations": ["DescribeConnections"]},
    ).raise_for_status()
    body = post(gateway.url, "query Conns { connections { connectionId } }")
    assert [e["extensions"]["code"] for e in body["errors"]] == ["THROTTLED"]
    control.put(
        "/faults", json={"throttleRate": 0, "errorRate": 1.0, "operations": ["DescribeLags"]}
    ).raise_for_status()
    assert post(gateway.url, "{ lags { lagId } }")["errors"]
    assert post(gateway.url, "{ nope }")["errors"]  # invalid: counted, anonymous, as an error
    metrics = samples(gateway.url)
    assert (
        value(
            metrics,
            "dxgraph_graphql_operations_total",
            operation="Conns",
            type="query",
            outcome="error",
        )
        == 1
    )
    assert (
        total(metrics, "dxgraph_graphql_operations_total", operation="anonymous", outcome="error")
        == 2
    )
    calls = "dxgraph_upstream_calls_total"
    assert total(metrics, calls, operation="DescribeConnections", outcome="throttled") == 1
    assert total(metrics, calls, operation="DescribeConnections", outcome="ok") == 1
    assert total(metrics, calls, operation="DescribeLags", outcome="unavailable") == 2


def test_each_app_in_a_process_keeps_its_own_metrics(gateway_settings: Settings) -> None:
    with GatewayServer(gateway_settings) as first, GatewayServer(gateway_settings) as second:
        post(first.url, TOPOLOGY)
        assert (
            value(
                samples(first.url),
                "dxgraph_graphql_operations_total",
                operation="Topology",
                type="query",
                outcome="ok",
            )
            == 1
        )
        assert total(samples(second.url), "dxgraph_graphql_operations_total") == 0


def test_metrics_are_not_served_when_disabled(gateway_settings: Settings) -> None:
    with GatewayServer(gateway_settings.model_copy(update={"metrics": False})) as gateway:
        assert "errors" not in post(gateway.url, TOPOLOGY)
        assert httpx.get(f"{gateway.url}/metrics", timeout=5).status_code == 404


# -- request IDs and JSON logs -------------------------------------------------------------------
@pytest.fixture
def json_logs(gateway_settings: Settings) -> Iterator[Callable[[], list[dict[str, Any]]]]:
    """The process's log lines, as `configure_logging` writes them (JSON), parsed."""
    root = logging.getLogger()
    level = root.level
    stream = io.StringIO()
    handler = configure_logging(gateway_settings.model_copy(update={"log_level": "INFO"}), stream)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def test_the_request_id_is_echoed_and_carried_by_every_json_log_line_of_the_request(
    gateway: GatewayServer,
    control: httpx.Client,
    json_logs: Callable[[], list[dict[str, Any]]],
) -> None:
    control.put("/faults", json={"errorRate": 1.0, "operations": ["DescribeLags"]})
    request_id = f"req-{uuid.uuid4().hex[:8]}.test"
    response = httpx.post(
        f"{gateway.url}/graphql",
        json={"query": "{ lags { lagId } }"},
        headers={"X-Request-ID": request_id},
        timeout=10,
    )
    assert response.headers["x-request-id"] == request_id
    # the access line is written once the response has gone out: it may trail the response
    for _ in range(200):
        lines = [line for line in json_logs() if line.get("request_id") == request_id]
        access = [line for line in lines if line["logger"] == "dxgraph.access"]
        if access:
            break
        time.sleep(0.01)
    assert len(access) == 1
    assert access[0]["status"] == 200
    assert access[0]["path"] == "/graphql"
    assert access[0]["outcome"] == "error"
    assert access[0]["level"] == "INFO"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", access[0]["timestamp"])
    assert access[0]["message"].startswith("POST /graphql 200")
    # the upstream failure is logged from a worker thread, still with the request's ID
    failures = [line for line in lines if line["logger"] == "resolvers.aws.client"]
    assert failures
    assert all(line["level"] == "WARNING" for line in failures)
    assert "DescribeLags" in failures[0]["message"]


def test_a_malformed_request_id_is_replaced_by_a_generated_one(gateway: GatewayServer) -> None:
    for offered in ("has spaces", "x" * 129, "-leading-dash", "", "ünïcode"):
        headers = {b"X-Request-ID": offered.encode()}
        response = httpx.get(f"{gateway.url}/healthz", headers=headers, timeout=5)
        assert re.fullmatch(r"[0-9a-f]{32}", response.headers["x-request-id"]), offered


# -- no secret in any log line -------------------------------------------------------------------
API_KEY = f"dxk-{uuid.uuid4().hex}"
WRONG_KEY = f"dxk-{uuid.uuid4().hex}"
JWT_SECRET = f"hs256-{uuid.uuid4().hex}"
BGP_KEY = f"bgp-{uuid.uuid4().hex[:12]}"


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


def token(secret: str, expires_in: float = 300) -> str:
    claims = {
        "sub": "ops-team",
        "scope": "read write secrets",
        "iss": "https://issuer.test",
        "aud": "dxgraph",
        "exp": int(time.time() + expires_in),
    }
    return jwt.encode(claims, secret, algorithm="HS256")


PEERS = """mutation($input: CreateBgpPeerInput!) { createBgpPeer(input: $input) {
  virtualInterface { virtualInterfaceId customerRouterConfig bgpPeers { authKey } } } }"""


def test_no_api_key_bearer_token_or_bgp_key_appears_in_any_log_line(
    gateway_settings: Settings, dx: Any
) -> None:
    settings = Settings(
        **gateway_settings.model_dump(include={"upstream", "dx_endpoint", "regions"}),
        cache_namespace=gateway_settings.cache_namespace,
        max_attempts=1,
        api_keys=[
            ApiKey(
                name="automation",
                sha256=hashlib.sha256(API_KEY.encode()).hexdigest(),
                scopes=["read", "write", "secrets"],
            )
        ],
        jwt_public_key=SecretStr(JWT_SECRET),
        jwt_algorithms=["HS256"],
        jwt_issuer="https://issuer.test",
        jwt_audience="dxgraph",
    )
    connection = dx.create_connection(location="EqDC2", bandwidth="10Gbps", connectionName="e")
    vgw = dx.describe_virtual_gateways()["virtualGateways"][0]["virtualGatewayId"]
    vif = dx.create_private_virtual_interface(
        connectionId=connection["connectionId"],
        newPrivateVirtualInterface={
            "virtualInterfaceName": "v",
            "vlan": 101,
            "asn": 65000,
            "virtualGatewayId": vgw,
        },
    )
    amazon_key = vif["bgpPeers"][0]["authKey"]  # Amazon-generated, `0x…`
    bearer, expired = token(JWT_SECRET), token(JWT_SECRET, expires_in=-3600)
    secrets = [API_KEY, WRONG_KEY, bearer, expired, JWT_SECRET, BGP_KEY, amazon_key]

    root, botocore = logging.getLogger(), logging.getLogger("botocore")
    levels = root.level, botocore.level
    capture = Capture()
    with GatewayServer(settings) as gateway:
        # an operator debugging the upstream: botocore then logs every request and response
        root.addHandler(capture)
        root.setLevel(logging.DEBUG)
        botocore.setLevel(logging.DEBUG)
        try:
            by_key = {"X-API-Key": API_KEY}
            new_peer = {"asn": 65001, "addressFamily": "IPV6", "authKey": BGP_KEY}
            variables = {
                "input": {"virtualInterfaceId": vif["virtualInterfaceId"], "newBGPPeer": new_peer}
            }
            body = post(gateway.url, PEERS, variables, **by_key)
            assert "errors" not in body, body
            assert BGP_KEY in json.dumps(body)  # the caller has `secrets`: the response shows it
            bad = {"asn": 65001, "addressFamily": "IPV6", "amazonAddress": "x", "authKey": BGP_KEY}
            invalid = {
                "input": {"virtualInterfaceId": vif["virtualInterfaceId"], "newBGPPeer": bad}
            }
            assert post(gateway.url, PEERS, invalid, **by_key)["errors"]
            query = "{ virtualInterfaces { customerRouterConfig bgpPeers { authKey } } }"
            fresh = {"Authorization": f"Bearer {bearer}", "Cache-Control": "no-cache"}
            assert amazon_key in json.dumps(post(gateway.url, query, None, **fresh))
            for headers in (
                {"X-API-Key": WRONG_KEY},
                {"Authorization": f"Bearer {expired}"},
                {"Authorization": f"Bearer {bearer[:-4]}AAAA"},
            ):
                refused = httpx.post(
                    f"{gateway.url}/graphql", json={"query": query}, headers=headers, timeout=10
                )
                assert refused.status_code == 401
        finally:
            root.removeHandler(capture)
            root.setLevel(levels[0])
            botocore.setLevel(levels[1])
    assert len(capture.lines) > 20  # the upstream wire log was on: there was plenty to leak
    leaks = [(secret, line) for line in capture.lines for secret in secrets if secret in line]
    assert not leaks, leaks[:3]
    assert any(MASK in line for line in capture.lines)


def test_records_of_any_logger_have_their_secrets_masked() -> None:
    capture = Capture()
    library = logging.getLogger("some.library")
    library.addHandler(capture)
    library.setLevel(logging.DEBUG)
    try:
        library.debug("headers %s", {"X-API-Key": API_KEY, "authorization": f"Bearer {API_KEY}"})
        library.debug("Authorization: Bearer %s", API_KEY)
        library.info("aws_secret_access_key=%s aws_session_token=%s", API_KEY, WRONG_KEY)
        library.info("body b'%s'", json.dumps({"newBGPPeer": {"authKey": BGP_KEY}}))
        library.info("config <bgp_auth_key>%s</bgp_auth_key>", BGP_KEY)
        library.info("router key 0x%s", "Ab3" * 8)
        library.info("url redis://user:%s@cache:6379/0", API_KEY)
        try:
            raise ValueError(f"authKey={BGP_KEY}")
        except ValueError:
            library.exception("failed")
        library.info("%s - %s %d", "127.0.0.1", "GET /healthz", 200)
    finally:
        library.removeHandler(capture)
    text = "\n".join(capture.lines)
    for secret in (API_KEY, WRONG_KEY, BGP_KEY, "Ab3" * 8):
        assert secret not in text
    assert text.count(MASK) >= 9
    assert capture.lines[-1].endswith("127.0.0.1 - GET /healthz 200")  # innocent lines intact


# -- tracing -------------------------------------------------------------------------------------
class Collector(BaseHTTPRequestHandler):
    """Stands in for an OpenTelemetry collector: accepts OTLP/HTTP posts and notes them."""

    received: list[tuple[str, str]] = []

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length", 0)))
        self.received.append((self.path, self.headers.get("content-type", "")))
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def collector() -> Iterator[tuple[str, list[tuple[str, str]]]]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Collector)
    received: list[tuple[str, str]] = []
    Collector.received = received
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", received
    server.shutdown()
    server.server_close()


def test_tracing_makes_one_span_per_operation_with_one_child_per_upstream_call(
    gateway_settings: Settings, collector: tuple[str, list[tuple[str, str]]]
) -> None:
    endpoint, received = collector
    exporter = InMemorySpanExporter()
    trace_id = uuid.uuid4().hex
    with GatewayServer(gateway_settings.model_copy(update={"otel_endpoint": endpoint})) as gateway:
        gateway.app.state.observability.tracing.add_exporter(exporter)
        parent = f"00-{trace_id}-{uuid.uuid4().hex[:16]}-01"
        response = httpx.post(
            f"{gateway.url}/graphql",
            json={"query": TOPOLOGY},
            headers={"traceparent": parent},
            timeout=10,
        )
        assert "errors" not in response.json()
    spans = exporter.get_finished_spans()
    [operation] = [s for s in spans if s.name == "query Topology"]
    assert operation.attributes is not None
    assert operation.attributes["graphql.operation.name"] == "Topology"
    assert operation.attributes["dxgraph.request_id"] == response.headers["x-request-id"]
    assert f"{operation.context.trace_id:032x}" == trace_id  # joined the caller's trace
    children = [s for s in spans if s is not operation]
    assert sorted((s.name, s.attributes["cloud.region"]) for s in children) == [  # type: ignore[index]
        ("DirectConnect.DescribeConnections", "us-east-1"),
        ("DirectConnect.DescribeConnections", "us-west-2"),
        ("DirectConnect.DescribeLags", "us-east-1"),
        ("DirectConnect.DescribeLags", "us-west-2"),
    ]  # and no per-field spans
    for child in children:
        assert child.parent is not None
        assert child.parent.span_id == operation.context.span_id
        assert child.start_time is not None
        assert operation.start_time is not None
        assert operation.start_time <= child.start_time
    # the OTLP exporter flushed to the collector when the gateway stopped
    assert ("/v1/traces", "application/x-protobuf") in received

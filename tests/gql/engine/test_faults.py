"""Upstream faults through a real gateway: throttling bursts, 5xx rates, latency beyond the read
timeout and the request deadline, connections dropped mid-response — retried within the budget,
answered in time with partial data and coded errors, never cached as data, fully recovered from.

Faults are set on the session simulator (`control`); each test runs its own gateway with small
timeouts so that the file stays fast.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
import uvicorn

from gql.http.deadline import DeadlineMiddleware
from gql.http.server import GatewayServer
from gql.settings import Settings
from tests.conftest import DxFactory
from tests.gql.conftest import post

QUERY = "{ connections { connectionId region } lags { lagId region } }"
CODED = {"THROTTLED", "UPSTREAM_UNAVAILABLE", "DEADLINE_EXCEEDED"}
FRESH = {"Cache-Control": "no-cache"}

Gateway = Callable[..., Any]


@pytest.fixture
def gateway_with(gateway_settings: Settings) -> Iterator[Gateway]:
    """`gateway_with(**settings)` → a running gateway with these settings changed."""
    with_stack: list[GatewayServer] = []

    def start(**changes: Any) -> GatewayServer:
        server = GatewayServer(gateway_settings.model_copy(update=changes))
        server.start()
        with_stack.append(server)
        return server

    yield start
    for server in with_stack:
        server.stop()


@pytest.fixture
def estate(dx_for: DxFactory) -> dict[str, Any]:
    """A connection in each served region and a LAG in us-east-1, as the gateway lists them."""
    east, west = dx_for(region="us-east-1"), dx_for(region="us-west-2")
    connections = [
        east.create_connection(location="EqDC2", bandwidth="1Gbps", connectionName="east"),
        west.create_connection(location="CSDE1", bandwidth="1Gbps", connectionName="west"),
    ]
    lag = east.create_lag(
        numberOfConnections=1, location="EqDC2", connectionsBandwidth="1Gbps", lagName="core"
    )
    listed = [c for dx in (east, west) for c in dx.describe_connections()["connections"]]
    return {
        "connections": sorted(c["connectionId"] for c in listed),  # the LAG's member included
        "connection": connections[0]["connectionId"],
        "lags": [lag["lagId"]],
    }


def faults(control: httpx.Client, **settings: Any) -> None:
    control.put("/faults", json=settings).raise_for_status()


def no_faults(control: httpx.Client) -> None:
    faults(
        control,
        latencyMs=0,
        throttleRate=0,
        errorRate=0,
        dropRate=0,
        latencySpikeMs=0,
        latencySpikeRate=0,
        operations=[],
    )


def timed_post(url: str, query: str, **headers: str) -> tuple[dict[str, Any], float]:
    begin = time.monotonic()
    body: dict[str, Any] = post(url, query, None, **headers)
    return body, time.monotonic() - begin


def ids(items: list[dict[str, Any]], key: str) -> list[str]:
    return sorted(item[key] for item in items)


def codes(body: dict[str, Any]) -> list[str]:
    return sorted(error["extensions"]["code"] for error in body.get("errors", []))


def assert_complete(body: dict[str, Any], estate: dict[str, Any]) -> None:
    assert "errors" not in body, body["errors"]
    assert ids(body["data"]["connections"], "connectionId") == estate["connections"]
    assert ids(body["data"]["lags"], "lagId") == estate["lags"]


# -- throttling ----------------------------------------------------------------------------------
def test_a_short_throttling_burst_is_retried_away_within_max_attempts(
    gateway_with: Gateway,
    estate: dict[str, Any],
    control: httpx.Client,
    calls: Callable[[], dict[str, int]],
) -> None:
    gateway = gateway_with(max_attempts=5)
    # One token, refilled every 0.2 s: of the two regions' DescribeLags, one is throttled.
    faults(control, throttleRate=5, throttleBurst=1, operations=["DescribeLags"])
    body = post(gateway.url, QUERY)
    assert_complete(body, estate)
    assert calls()["DescribeLags"] > 2


def test_a_long_throttling_burst_is_a_throttled_error_after_max_attempts(
    gateway_with: Gateway,
    estate: dict[str, Any],
    control: httpx.Client,
    calls: Callable[[], dict[str, int]],
) -> None:
    gateway = gateway_with(max_attempts=2)
    faults(control, throttleRate=0.001, throttleBurst=1, operations=["DescribeLags"])
    body = post(gateway.url, QUERY)
    assert ids(body["data"]["connections"], "connectionId") == estate["connections"]
    [error] = body["errors"]
    assert error["extensions"]["code"] == "THROTTLED"
    assert error["extensions"]["awsCode"] == "ThrottlingException"
    assert error["extensions"]["operation"] == "DescribeLags"
    # whichever region took the one token is served; the estate's LAG lives in us-east-1
    throttled = error["extensions"]["region"]
    assert throttled in {"us-east-1", "us-west-2"}
    served = estate["lags"] if throttled == "us-west-2" else []
    assert ids(body["data"]["lags"], "lagId") == served
    # one region got through; the other tried max_attempts times (a retry may still be in flight)
    assert calls()["DescribeLags"] >= 1 + 2


# -- 5xx -----------------------------------------------------------------------------------------
def test_an_operation_failing_with_5xx_leaves_partial_data_and_coded_errors(
    gateway_with: Gateway,
    estate: dict[str, Any],
    control: httpx.Client,
    calls: Callable[[], dict[str, int]],
) -> None:
    gateway = gateway_with(max_attempts=2)
    faults(control, errorRate=1.0, operations=["DescribeLags"])
    body = post(gateway.url, QUERY)
    assert ids(body["data"]["connections"], "connectionId") == estate["connections"]
    assert body["data"]["lags"] == []
    assert {(e["extensions"]["code"], e["extensions"]["region"]) for e in body["errors"]} == {
        ("UPSTREAM_UNAVAILABLE", "us-east-1"),
        ("UPSTREAM_UNAVAILABLE", "us-west-2"),
    }
    assert {e["extensions"]["awsCode"] for e in body["errors"]} == {"DirectConnectServerException"}
    assert calls()["DescribeLags"] == 2 * 2


def test_a_25_percent_5xx_rate_is_absorbed_by_retries(
    gateway_with: Gateway, estate: dict[str, Any], control: httpx.Client
) -> None:
    gateway = gateway_with(max_attempts=8)
    faults(control, errorRate=0.25)
    for _ in range(3):
        body = post(gateway.url, QUERY, None, **FRESH)
        assert_complete(body, estate)


# -- latency -------------------------------------------------------------------------------------
def test_latency_beyond_the_read_timeout_is_upstream_unavailable_well_within_the_deadline(
    gateway_with: Gateway, estate: dict[str, Any], control: httpx.Client
) -> None:
    gateway = gateway_with(read_timeout=0.3, max_attempts=2, request_timeout_seconds=3.0)
    faults(control, latencySpikeMs=1500, latencySpikeRate=1.0, operations=["DescribeLags"])
    body, seconds = timed_post(gateway.url, QUERY)
    assert seconds < 3.0
    assert ids(body["data"]["connections"], "connectionId") == estate["connections"]
    assert body["data"]["lags"] == []
    assert codes(body) == ["UPSTREAM_UNAVAILABLE", "UPSTREAM_UNAVAILABLE"]
    assert all("in time" in e["message"] for e in body["errors"])


def test_a_hung_upstream_is_answered_at_the_deadline_with_the_data_that_finished(
    gateway_with: Gateway, estate: dict[str, Any], control: httpx.Client
) -> None:
    # 5 s: the request-level backstop then has half a second of grace after the deadline
    gateway = gateway_with(read_timeout=30, request_timeout_seconds=5.0)
    faults(
        control,
        latencySpikeMs=10_000,
        latencySpikeRate=1.0,
        operations=["DescribeConnections", "DescribeLags"],
    )
    query = f"""{{ regions locations {{ locationCode }}
        connection(connectionId: "{estate["connection"]}") {{ connectionId }}
        lags {{ lagId }} }}"""
    body, seconds = timed_post(gateway.url, query)
    assert 5.0 <= seconds < 10.0  # at the deadline, not when the upstream answered
    data = body["data"]
    assert data["regions"] == ["us-east-1", "us-west-2"]
    assert {"EqDC2", "CSDE1"} <= {loc["locationCode"] for loc in data["locations"]}
    assert data["connection"] is None
    assert data["lags"] == []
    late = {tuple(e["path"]): e["extensions"]["code"] for e in body["errors"]}
    assert late == {("connection",): "DEADLINE_EXCEEDED", ("lags",): "DEADLINE_EXCEEDED"}


def test_a_mutation_past_the_deadline_completes_and_its_retry_returns_it_without_a_second_call(
    gateway_with: Gateway, dx_for: DxFactory, control: httpx.Client
) -> None:
    gateway = gateway_with(read_timeout=30, request_timeout_seconds=0.5)
    faults(control, latencySpikeMs=5000, latencySpikeRate=1.0, operations=["CreateConnection"])
    mutation = """mutation { createConnection(input: {location: "EqDC2", bandwidth: "1Gbps",
        connectionName: "late"}) { connection { connectionId connectionName } } }"""
    key = {"Idempotency-Key": f"late-{uuid.uuid4()}"}
    body, seconds = timed_post(gateway.url, mutation, **key)
    assert seconds < 5.0  # answered at the deadline, not when the write completed
    assert body["data"] is None
    [error] = body["errors"]
    assert (error["path"], error["extensions"]["code"]) == (
        ["createConnection"],
        "DEADLINE_EXCEEDED",
    )
    assert "same Idempotency-Key" in error["message"]
    no_faults(control)
    give_up = time.monotonic() + 5
    while True:  # retries while the first attempt still runs are told so, in time
        retried = post(gateway.url, mutation, None, **key)
        if retried["data"] is not None or time.monotonic() > give_up:
            break
        assert set(codes(retried)) <= {"DEADLINE_EXCEEDED", "IDEMPOTENCY_IN_PROGRESS"}
        time.sleep(0.2)
    created = retried["data"]["createConnection"]["connection"]
    assert created["connectionName"] == "late"
    names = [c["connectionName"] for c in dx_for().describe_connections()["connections"]]
    assert names == ["late"]
    assert control.get("/calls").json()["operations"]["CreateConnection"] == 1


def test_a_request_stuck_outside_the_resolvers_is_answered_at_the_deadline() -> None:
    """The last line: whatever hangs (here: everything under the middleware), the client gets
    a coded answer shortly after the deadline, and nothing the stuck app sends later."""
    released = threading.Event()

    async def stuck(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        try:
            await asyncio.sleep(30)
        finally:
            released.set()

    app = DeadlineMiddleware(stuck, timeout=0.5, grace=0.2)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        while not server.started:
            time.sleep(0.01)
        url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        body, seconds = timed_post(url, "{ regions }")
        assert seconds >= 0.5  # the app never answers: only the middleware could have
        assert body["data"] is None
        [error] = body["errors"]
        assert error["extensions"]["code"] == "DEADLINE_EXCEEDED"
        assert released.wait(2)  # the stuck request was cancelled, not left running
    finally:
        server.should_exit = True
        thread.join(5)


# -- dropped connections ---------------------------------------------------------------------------
def test_botocore_reads_a_response_cut_mid_body_as_an_empty_answer(
    dx_for: DxFactory, control: httpx.Client
) -> None:
    """Why the gateway must check: botocore neither raises nor retries on a cut JSON body."""
    dx = dx_for(retries={"mode": "standard", "total_max_attempts": 3})
    dx.create_connection(location="EqDC2", bandwidth="1Gbps", connectionName="c")
    faults(control, dropRate=1.0, operations=["DescribeConnections"])
    response = dx.describe_connections()
    assert "connections" not in response
    assert response["ResponseMetadata"]["RetryAttempts"] == 0


def test_a_connection_dropped_mid_response_is_a_coded_error_never_an_empty_answer(
    gateway_with: Gateway, estate: dict[str, Any], control: httpx.Client
) -> None:
    gateway = gateway_with(max_attempts=2)
    faults(control, dropRate=1.0, operations=["DescribeLags"])
    body = post(gateway.url, QUERY)
    assert ids(body["data"]["connections"], "connectionId") == estate["connections"]
    assert body["data"]["lags"] == []
    assert codes(body) == ["UPSTREAM_UNAVAILABLE", "UPSTREAM_UNAVAILABLE"]


def test_a_30_percent_drop_rate_is_absorbed_by_retries(
    gateway_with: Gateway, estate: dict[str, Any], control: httpx.Client
) -> None:
    gateway = gateway_with(max_attempts=8)
    faults(control, dropRate=0.3)
    for _ in range(3):
        body = post(gateway.url, QUERY, None, **FRESH)
        assert_complete(body, estate)


# -- no failure cached, full recovery --------------------------------------------------------------
FAULTS_ON_LAGS: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "5xx": ({"max_attempts": 1}, {"errorRate": 1.0}),
    "throttling": ({"max_attempts": 1}, {"throttleRate": 0.001, "throttleBurst": 1}),
    "read-timeout": (
        {"max_attempts": 1, "read_timeout": 0.2},
        {"latencySpikeMs": 600, "latencySpikeRate": 1.0},
    ),
    "dropped": ({"max_attempts": 1}, {"dropRate": 1.0}),
    "deadline": (
        {"request_timeout_seconds": 1.0, "read_timeout": 30},
        {"latencySpikeMs": 2500, "latencySpikeRate": 1.0},
    ),
}


@pytest.mark.parametrize("fault", list(FAULTS_ON_LAGS))
def test_after_a_failed_read_the_next_query_gets_the_data_without_a_cache_bypass(
    fault: str,
    gateway_with: Gateway,
    estate: dict[str, Any],
    control: httpx.Client,
    dx_for: DxFactory,
) -> None:
    settings, injected = FAULTS_ON_LAGS[fault]
    gateway = gateway_with(**settings)
    faults(control, **injected, operations=["DescribeLags"])
    if fault == "throttling":
        dx_for().describe_lags()  # takes the only token: both regions' calls are throttled
    failed = post(gateway.url, QUERY)
    # on a loaded machine the whole request may reach the deadline: then data is null
    assert (failed["data"] or {"lags": []})["lags"] == []
    assert failed["errors"]
    assert set(codes(failed)) <= CODED
    no_faults(control)
    if fault == "deadline":
        time.sleep(2.5)  # the late call (not cancelled) lands, and fills the cache
    assert_complete(post(gateway.url, QUERY), estate)


def test_the_gateway_recovers_fully_when_a_storm_of_faults_stops(
    gateway_with: Gateway, estate: dict[str, Any], control: httpx.Client
) -> None:
    # Timeouts far above a healthy call's time even on a loaded machine (a 0.3 s read timeout
    # once failed the healthy baseline in a full run); the spikes still exceed the read timeout.
    gateway = gateway_with(max_attempts=1, read_timeout=2.0, request_timeout_seconds=5.0)
    query = """{ connections { connectionId connectionName lag { lagId } }
        lags { lagId lagName connections { connectionId } }
        locations { locationCode } virtualInterfaces { virtualInterfaceId } }"""
    healthy = post(gateway.url, query, None, **FRESH)
    assert "errors" not in healthy
    faults(
        control,
        errorRate=0.3,
        dropRate=0.2,
        latencySpikeMs=2500,
        latencySpikeRate=0.2,
        throttleRate=20,
        throttleBurst=5,
    )
    for _ in range(4):
        body, seconds = timed_post(gateway.url, query, **FRESH)
        assert seconds < 5.0 + 3.0  # bounded by the deadline, never hanging on a fault
        assert set(codes(body)) <= CODED, body["errors"]
    no_faults(control)
    assert post(gateway.url, query)["data"] == healthy["data"]
    created = post(
        gateway.url,
        """mutation { createConnection(input: {location: "EqDC2", bandwidth: "1Gbps",
            connectionName: "after"}) { connection { connectionId } } }""",
    )
    new_id = created["data"]["createConnection"]["connection"]["connectionId"]
    after = post(gateway.url, query)
    assert "errors" not in after
    assert new_id in ids(after["data"]["connections"], "connectionId")


# -- the simulator's fault controls ----------------------------------------------------------------
def test_drop_and_spike_settings_read_back_and_are_validated(control: httpx.Client) -> None:
    faults(control, dropRate=0.5, latencySpikeMs=250, latencySpikeRate=0.1)
    settings = control.get("/faults").json()
    assert (settings["dropRate"], settings["latencySpikeMs"], settings["latencySpikeRate"]) == (
        0.5,
        250,
        0.1,
    )
    for body, message in (
        ({"dropRate": 1.5}, "dropRate must be between 0 and 1"),
        ({"latencySpikeRate": 2}, "latencySpikeRate must be between 0 and 1"),
        ({"latencySpikeMs": -1}, "latencySpikeMs must be a finite number"),
    ):
        response = control.put("/faults", json=body)
        assert response.status_code == 400
        assert message in response.json()["error"]["message"]


def test_latency_spikes_delay_only_the_listed_operations(
    dx_for: DxFactory, control: httpx.Client
) -> None:
    dx = dx_for()
    dx.describe_locations()  # the connection is made before timing
    faults(control, latencySpikeMs=500, latencySpikeRate=1.0, operations=["DescribeLags"])
    begin = time.monotonic()
    dx.describe_locations()
    quick = time.monotonic() - begin
    begin = time.monotonic()
    dx.describe_lags()
    slow = time.monotonic() - begin
    assert slow >= 0.5
    assert quick < slow - 0.3


def test_failing_tag_batches_are_coded_errors_at_each_tags_field(
    gateway_with: Gateway, estate: dict[str, Any], control: httpx.Client
) -> None:
    gateway = gateway_with(max_attempts=1)
    faults(control, errorRate=1.0, operations=["DescribeTags"])
    query = "{ lags { lagId } connections { connectionId tags { key } } }"
    body = post(gateway.url, query, None, **FRESH)
    errors = body["errors"]
    assert errors
    assert {e["extensions"]["code"] for e in errors} == {"UPSTREAM_UNAVAILABLE"}
    assert {e["extensions"]["operation"] for e in errors} == {"DescribeTags"}
    assert all(e["path"][0] == "connections" and e["path"][-1] == "tags" for e in errors)
    # tags are [Tag!]!: a connection without them is null, and so is the non-null list
    assert body["data"] is None
    no_faults(control)
    assert_complete(post(gateway.url, QUERY, None, **FRESH), estate)


def test_tags_that_miss_the_deadline_are_empty_with_a_deadline_error_each(
    gateway_with: Gateway, estate: dict[str, Any], control: httpx.Client
) -> None:
    # A 5 s deadline gives the request-level backstop half a second of grace after it (a 1 s
    # deadline gives 0.2 s, which a loaded machine can miss while it assembles the answer).
    gateway = gateway_with(read_timeout=30, request_timeout_seconds=5.0)
    faults(control, latencySpikeMs=8000, latencySpikeRate=1.0, operations=["DescribeTags"])
    body, seconds = timed_post(
        gateway.url, "{ connections { connectionId tags { key } } }", **FRESH
    )
    assert seconds < 8.0  # answered at the deadline, not when the tags came
    connections = body["data"]["connections"]
    assert ids(connections, "connectionId") == estate["connections"]
    assert all(connection["tags"] == [] for connection in connections)
    assert {e["extensions"]["code"] for e in body["errors"]} == {"DEADLINE_EXCEEDED"}
    assert {tuple(e["path"][::2]) for e in body["errors"]} == {("connections", "tags")}

"""DirectConnectClient on a real dxsim over loopback: results, errors, threads, paging."""

from __future__ import annotations

import asyncio
import os
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from botocore.exceptions import ClientError

from dxsim import DXServer, Simulator
from gql.settings import Settings
from resolvers.aws.client import GLOBAL, DirectConnectClient
from resolvers.aws.error_mapping import to_upstream_error
from resolvers.aws.errors import ErrorCode, ResourceNotFound, UpstreamError

REGION = "us-east-1"
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


@pytest.fixture(scope="module")
def sim() -> Iterator[DXServer]:
    """A simulator of our own, so fault injection here never reaches other test modules."""
    with DXServer(Simulator()) as server:
        yield server


@pytest.fixture(scope="module")
def control(sim: DXServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=f"{sim.url}/_dxsim", timeout=10) as client:
        yield client


@pytest.fixture(autouse=True)
def _fresh_sim(control: httpx.Client) -> None:
    control.post("/reset", json={}).raise_for_status()


@pytest.fixture(autouse=True)
def _no_dxgraph_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [n for n in os.environ if n.startswith("DXGRAPH_")]:
        monkeypatch.delenv(name)


def set_faults(control: httpx.Client, **faults: Any) -> None:
    control.put("/faults", json=faults).raise_for_status()


def sim_calls(control: httpx.Client) -> dict[str, int]:
    calls: dict[str, int] = control.get("/calls").json()["operations"]
    return calls


MakeClient = Callable[..., DirectConnectClient]


def sim_settings(url: str, **overrides: Any) -> Settings:
    """Settings for the simulator at `url`; no retries unless a test asks for them."""
    fields: dict[str, Any] = {
        "upstream": "endpoint",
        "dx_endpoint": url,
        "max_attempts": 1,
        "regions": [REGION, "us-west-2"],
    }
    return Settings(**(fields | overrides))


@pytest.fixture(scope="module")
def shared_client(sim: DXServer) -> Iterator[DirectConnectClient]:
    # Building a boto3 session costs 0.1-0.2 s; tests with default settings share one.
    client = DirectConnectClient(sim_settings(sim.url))
    yield client
    client.close()


@pytest.fixture
def dx(shared_client: DirectConnectClient) -> DirectConnectClient:
    """The client with default settings, its call counter zeroed."""
    shared_client.calls.clear()
    return shared_client


@pytest.fixture
def make_client(sim: DXServer) -> Iterator[MakeClient]:
    """`make_client(**settings)`: a client of its own, closed after the test."""
    made: list[DirectConnectClient] = []

    def make(**overrides: Any) -> DirectConnectClient:
        client = DirectConnectClient(sim_settings(sim.url, **overrides))
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


async def raises(
    client: DirectConnectClient, operation: str, region: str = REGION, **params: Any
) -> UpstreamError:
    with pytest.raises(UpstreamError) as excinfo:
        await client.call(region, operation, **params)
    return excinfo.value


async def test_call_returns_the_response_without_response_metadata(
    dx: DirectConnectClient,
) -> None:
    created = await dx.call(
        REGION, "create_connection", location="EqDC2", bandwidth="1Gbps", connectionName="c"
    )
    listed = await dx.call(REGION, "describe_connections")
    assert "ResponseMetadata" not in created
    assert "ResponseMetadata" not in listed
    assert [c["connectionId"] for c in listed["connections"]] == [created["connectionId"]]
    assert dx.calls == {"create_connection": 1, "describe_connections": 1}


async def test_start_hands_the_call_to_the_pool_before_the_event_loop_runs_again(
    dx: DirectConnectClient, control: httpx.Client
) -> None:
    future = dx.start(REGION, "describe_locations")
    # The event loop is held here (no await): only an already running call reaches the simulator.
    for _ in range(500):
        if sim_calls(control).get("DescribeLocations"):
            break
        time.sleep(0.01)
    assert sim_calls(control).get("DescribeLocations") == 1
    assert (await future)["locations"]
    assert dx.calls == {"describe_locations": 1}


async def test_on_sent_is_told_once_the_request_has_gone_out_before_the_answer(
    dx: DirectConnectClient, control: httpx.Client
) -> None:
    set_faults(control, latencyMs=400)
    told: list[str] = []
    sent = threading.Event()

    def on_sent() -> None:
        told.append(threading.current_thread().name)
        sent.set()

    try:
        future = dx.start(REGION, "describe_locations", on_sent=on_sent)
        assert await asyncio.to_thread(sent.wait, 5)
        assert not future.done()  # the simulator is still holding the answer
        assert (await future)["locations"]
    finally:
        set_faults(control, latencyMs=0)
    assert len(told) == 1
    assert told[0].startswith("dxgraph-upstream")


async def test_start_fails_its_future_not_the_caller(dx: DirectConnectClient) -> None:
    future = dx.start("not a region", "describe_locations")
    with pytest.raises(UpstreamError) as excinfo:
        await future
    assert excinfo.value.code == ErrorCode.INVALID_REQUEST
    assert dx.calls == {}


async def test_not_found_is_resource_not_found_with_aws_details(dx: DirectConnectClient) -> None:
    err = await raises(dx, "describe_connections", connectionId="dxcon-fzzzzzzz")
    assert isinstance(err, ResourceNotFound)
    assert err.code is ErrorCode.NOT_FOUND
    assert err.retryable is False
    assert err.request_id is not None
    assert UUID.match(err.request_id)
    assert err.to_extensions() == {
        "code": "NOT_FOUND",
        "awsCode": "DirectConnectClientException",
        "awsMessage": "Could not find Connection with ID dxcon-fzzzzzzz",
        "requestId": err.request_id,
        "operation": "DescribeConnections",
        "region": REGION,
    }


async def test_refused_input_is_invalid_request(dx: DirectConnectClient) -> None:
    err = await raises(
        dx, "create_connection", location="EqDC2", bandwidth="3Gbps", connectionName="c"
    )
    assert (err.code, err.aws_code) == (ErrorCode.INVALID_REQUEST, "DirectConnectClientException")
    assert "1Gbps, 10Gbps, 100Gbps, 400Gbps" in err.message


async def test_tag_errors_map_to_invalid_request_and_limit_exceeded(
    dx: DirectConnectClient,
) -> None:
    conn = await dx.call(
        REGION, "create_connection", location="EqDC2", bandwidth="1Gbps", connectionName="c"
    )
    arn = f"arn:aws:directconnect:{REGION}:123456789012:dxcon/{conn['connectionId']}"
    duplicate = await raises(dx, "tag_resource", resourceArn=arn, tags=[{"key": "a"}, {"key": "a"}])
    too_many = await raises(
        dx, "tag_resource", resourceArn=arn, tags=[{"key": f"k{i}"} for i in range(51)]
    )
    assert (duplicate.code, duplicate.aws_code) == (
        ErrorCode.INVALID_REQUEST,
        "DuplicateTagKeysException",
    )
    assert (too_many.code, too_many.aws_code) == (
        ErrorCode.LIMIT_EXCEEDED,
        "TooManyTagsException",
    )


async def test_throttling_is_throttled_and_retryable(
    control: httpx.Client, dx: DirectConnectClient
) -> None:
    set_faults(control, throttleRate=0.001, throttleBurst=1)
    await dx.call(REGION, "describe_locations")
    err = await raises(dx, "describe_locations")
    assert (err.code, err.aws_code, err.retryable) == (
        ErrorCode.THROTTLED,
        "ThrottlingException",
        True,
    )
    assert err.request_id is not None


async def test_server_errors_are_retried_by_botocore_then_upstream_unavailable(
    control: httpx.Client, make_client: MakeClient
) -> None:
    dx = make_client(max_attempts=2)
    set_faults(control, errorRate=1.0)
    err = await raises(dx, "describe_locations")
    assert (err.code, err.aws_code, err.retryable) == (
        ErrorCode.UPSTREAM_UNAVAILABLE,
        "DirectConnectServerException",
        True,
    )
    assert dx.calls == {"describe_locations": 1}
    assert sim_calls(control) == {"DescribeLocations": 2}


async def test_closed_port_is_upstream_unavailable(make_client: MakeClient) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    err = await raises(make_client(dx_endpoint=f"http://127.0.0.1:{port}"), "describe_locations")
    assert (err.code, err.aws_code, err.request_id) == (ErrorCode.UPSTREAM_UNAVAILABLE, None, None)
    assert err.to_extensions()["awsMessage"] is None
    assert err.operation == "DescribeLocations"


async def test_read_timeout_is_upstream_unavailable(
    control: httpx.Client, make_client: MakeClient
) -> None:
    dx = make_client(read_timeout=0.3)
    await dx.call(REGION, "describe_locations")  # the client is built before the gate closes
    control.put("/gate", json={"closed": True}).raise_for_status()  # the call never answers
    try:
        # a timeout that did not fire would hang: the bound fails the test instead
        err = await asyncio.wait_for(raises(dx, "describe_locations"), timeout=60)
    finally:
        control.put("/gate", json={"closed": False}).raise_for_status()
    assert err.code is ErrorCode.UPSTREAM_UNAVAILABLE
    assert "read timeout" in err.message


async def test_connect_timeout_is_upstream_unavailable(make_client: MakeClient) -> None:
    # A listener whose accept queue is full drops new SYNs, so connecting times out (Linux).
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers: list[socket.socket] = []
    try:
        for _ in range(8):
            filler = socket.socket()
            filler.settimeout(0.2)
            fillers.append(filler)
            try:
                filler.connect(("127.0.0.1", port))
            except TimeoutError:
                break
        else:
            pytest.skip("this OS accepts connections beyond the backlog; no connect timeout")
        dx = make_client(dx_endpoint=f"http://127.0.0.1:{port}", connect_timeout=0.2)
        err = await raises(dx, "describe_locations")
        assert err.code is ErrorCode.UPSTREAM_UNAVAILABLE
        assert "timeout" in err.message.lower()
    finally:
        for filler in fillers:
            filler.close()
        listener.close()


async def test_unknown_access_key_and_bad_signature_are_upstream_auth(
    make_client: MakeClient,
) -> None:
    unknown = await raises(make_client(aws_access_key_id="nobody"), "describe_locations")
    wrong_secret = await raises(
        make_client(aws_secret_access_key="s3cr3t-do-not-leak"), "describe_locations"
    )
    assert (unknown.code, unknown.aws_code) == (
        ErrorCode.UPSTREAM_AUTH,
        "UnrecognizedClientException",
    )
    assert (wrong_secret.code, wrong_secret.aws_code) == (
        ErrorCode.UPSTREAM_AUTH,
        "InvalidSignatureException",
    )
    assert (
        "s3cr3t-do-not-leak"
        not in f"{wrong_secret} {wrong_secret!r} {wrong_secret.to_extensions()}"
    )


async def test_boto3_clients_are_created_once_per_region_and_reused(
    make_client: MakeClient,
) -> None:
    dx = make_client()
    await dx.call(REGION, "describe_locations")
    first = dict(dx._clients)
    await dx.call(REGION, "describe_locations")
    await dx.call(GLOBAL, "describe_locations")
    assert dx._clients == first
    await dx.call("us-west-2", "describe_locations")
    assert sorted(region for region, _ in dx._clients) == [REGION, "us-west-2"]
    assert dx._clients[(REGION, "test")] is first[(REGION, "test")]


async def test_regions_reach_the_simulator_as_signed(dx: DirectConnectClient) -> None:
    await dx.call(
        "us-west-2", "create_connection", location="EqSE2", bandwidth="1Gbps", connectionName="w"
    )
    east = await dx.call(REGION, "describe_connections")
    west = await dx.call("us-west-2", "describe_connections")
    assert (len(east["connections"]), len(west["connections"])) == (0, 1)


async def test_calls_run_off_the_event_loop(control: httpx.Client, make_client: MakeClient) -> None:
    """Eight calls held at the simulator at once: all eight are in flight together (the pool
    runs them concurrently), and the event loop goes on meanwhile — it waits for the simulator
    to report them while they are still unanswered."""
    dx = make_client(upstream_workers=8)
    await dx.call(REGION, "describe_locations")  # the client is built before the gate closes
    control.put("/gate", json={"closed": True}).raise_for_status()
    try:
        calls = asyncio.gather(*(dx.call(REGION, "describe_locations") for _ in range(8)))
        arrived = await asyncio.to_thread(
            control.post, "/gate/wait", json={"arrived": 8, "timeoutSeconds": 60}
        )
        assert arrived.status_code == 200, arrived.text
        assert not calls.done()
    finally:
        control.put("/gate", json={"closed": False}).raise_for_status()
    assert len(await calls) == 8


async def test_call_all_pages_follows_next_token(dx: DirectConnectClient) -> None:
    names = [f"gw{i}" for i in range(5)]
    for name in names:
        await dx.call(GLOBAL, "create_direct_connect_gateway", directConnectGatewayName=name)
    gateways = await dx.call_all_pages(
        GLOBAL, "describe_direct_connect_gateways", "directConnectGateways", maxResults=2
    )
    assert sorted(g["directConnectGatewayName"] for g in gateways) == names
    assert dx.calls["describe_direct_connect_gateways"] == 3


async def test_call_all_pages_of_a_single_page(dx: DirectConnectClient) -> None:
    locations = await dx.call_all_pages(REGION, "describe_locations", "locations")
    assert "EqDC2" in {loc["locationCode"] for loc in locations}
    assert dx.calls == {"describe_locations": 1}


async def test_identity_is_the_account_or_a_hash_of_the_access_key(
    make_client: MakeClient,
) -> None:
    assert make_client(account_id="123456789012").identity == "123456789012"
    hashed = make_client(aws_access_key_id="AKIAEXAMPLEKEY", aws_secret_access_key="sekrit")
    assert re.fullmatch(r"key-[0-9a-f]{16}", hashed.identity)
    assert hashed.identity == make_client(aws_access_key_id="AKIAEXAMPLEKEY").identity
    assert hashed.identity != make_client(aws_access_key_id="AKIAOTHERKEY").identity


def test_sim_mode_without_a_running_simulator_is_refused() -> None:
    with pytest.raises(ValueError, match="dx_endpoint"):
        DirectConnectClient(Settings(upstream="sim"))


async def test_bad_region_unknown_operation_and_closed_client(make_client: MakeClient) -> None:
    dx = make_client()
    err = await raises(dx, "describe_locations", region="not a region")
    assert err.code is ErrorCode.INVALID_REQUEST
    with pytest.raises(ValueError, match="not a Direct Connect operation"):
        await dx.call(REGION, "describe_everything")
    dx.close()
    with pytest.raises(RuntimeError, match="closed"):
        await dx.call(REGION, "describe_locations")


def client_error(code: str, status: int, message: str = "m") -> ClientError:
    response: Any = {
        "Error": {"Code": code, "Message": message},
        "ResponseMetadata": {"RequestId": "rid-1", "HTTPStatusCode": status},
    }
    return ClientError(response, "DescribeLags")


ERROR_TABLE = [
    # (AWS code, HTTP status, AWS message, our code)
    ("DirectConnectClientException", 400, "Could not find Lag with ID dxlag-x", "NOT_FOUND"),
    ("DirectConnectClientException", 400, "Resource arn:… does not exist", "NOT_FOUND"),
    ("DirectConnectClientException", 400, "The gateway doesn't exist", "NOT_FOUND"),
    ("DirectConnectClientException", 400, "Lag not found", "NOT_FOUND"),
    ("DirectConnectClientException", 400, "Lag is in state deleted", "INVALID_STATE"),
    ("DuplicateTagKeysException", 400, "m", "INVALID_REQUEST"),
    ("TooManyTagsException", 400, "m", "LIMIT_EXCEEDED"),
    ("ThrottlingException", 400, "m", "THROTTLED"),
    ("LimitExceededException", 400, "m", "THROTTLED"),
    ("TooManyRequestsException", 429, "m", "THROTTLED"),
    ("DirectConnectServerException", 500, "m", "UPSTREAM_UNAVAILABLE"),
    ("SomethingNew", 503, "m", "UPSTREAM_UNAVAILABLE"),
    ("UnrecognizedClientException", 403, "m", "UPSTREAM_AUTH"),
    ("InvalidSignatureException", 403, "m", "UPSTREAM_AUTH"),
    ("MissingAuthenticationTokenException", 403, "m", "UPSTREAM_AUTH"),
    ("AccessDeniedException", 400, "m", "UPSTREAM_AUTH"),
    ("SomethingNew", 400, "m", "UPSTREAM_ERROR"),
]


def test_aws_error_codes_map_to_our_codes() -> None:
    for aws_code, status, message, expected in ERROR_TABLE:
        err = to_upstream_error(client_error(aws_code, status, message), "DescribeLags", REGION)
        got = (err.code.value, err.aws_code, err.message, err.request_id)
        assert got == (expected, aws_code, message, "rid-1"), (aws_code, status, message)
        assert isinstance(err, ResourceNotFound) == (expected == "NOT_FOUND")


@pytest.mark.parametrize(
    ("message", "code"),
    [
        ("Could not find Connection with ID dxcon-fzzzzzzz", "NOT_FOUND"),
        ("VLAN 10 is already in use on dxcon-f1 by hosted connection dxcon-f2.", "CONFLICT"),
        ("The VirtualGateway vgw-1 is already associated with Direct Connect gateway", "CONFLICT"),
        ("Connection dxcon-fh9yptf2 is in a transitioning state.", "INVALID_STATE"),
        ("ConfirmConnection failed. dxcon-ffv0l30a is in state requested", "INVALID_STATE"),
        ("The last BGP Peer on a Virtual Interface cannot be deleted", "INVALID_STATE"),
        ("Lag dxlag-f1 has 1 virtual interface(s) (dxvif-f1); delete them first.", "INVALID_STATE"),
        ("Lag dxlag-f1 already has 10 connections, the maximum per LAG.", "LIMIT_EXCEEDED"),
        ("bandwidth '3Gbps' is not valid: the possible values are 1Gbps", "INVALID_REQUEST"),
    ],
)
def test_direct_connect_client_exceptions_are_told_apart_by_message(
    message: str, code: str
) -> None:
    from botocore.exceptions import ClientError

    from resolvers.aws.error_mapping import to_upstream_error

    err = ClientError(
        {
            "Error": {"Code": "DirectConnectClientException", "Message": message},
            "ResponseMetadata": {"RequestId": "r-1", "HTTPStatusCode": 400},
        },
        "DeleteLag",
    )
    assert to_upstream_error(err, "delete_lag", "us-east-1").code == code

"""The /_dxsim/gate control API: hold Direct Connect requests, see them arrive, release them.

No test here sleeps or relies on a timing margin: each waits on `POST /_dxsim/gate/wait` (the
server answers when the requests have arrived) or on the result of a call made in a thread.
"""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any
from urllib.parse import urlsplit

import boto3
import httpx
import pytest
from botocore.exceptions import ClientError

from dxsim import DXServer, Simulator
from dxsim.accounts import Caller
from dxsim.gate import Gate
from tests.conftest import CUSTOMER
from tests.dxsim.shapes import TARGET_PREFIX, boto_client, raw_call, signed_headers

# Longer than any wait below, so that a broken gate fails a test instead of hanging it.
WAIT_SECONDS = 30


def close_gate(control: httpx.Client) -> None:
    assert control.put("/gate", json={"closed": True}).json()["closed"] is True


def wait_for(control: httpx.Client, **counts: int) -> dict[str, Any]:
    """Blocks until the gate has seen `arrived` / `abandoned` requests; returns its state."""
    response = control.post(
        "/gate/wait", json={**counts, "timeoutSeconds": WAIT_SECONDS}, timeout=WAIT_SECONDS + 10
    )
    assert response.status_code == 200, response.text
    state: dict[str, Any] = response.json()
    return state


def waiting(state: dict[str, Any]) -> list[str]:
    return sorted(held["operation"] for held in state["waiting"])


@pytest.fixture
def pool(dx_url: str) -> Iterator[ThreadPoolExecutor]:
    """Threads for calls that the gate holds; opened before joining, so a failing test cannot
    leave them waiting."""
    executor = ThreadPoolExecutor(max_workers=4)
    try:
        yield executor
    finally:
        httpx.put(f"{dx_url}/_dxsim/gate", json={"closed": False}, timeout=10)
        executor.shutdown(wait=True)


@pytest.fixture
def client(dx_url: str) -> Any:
    """A boto3 client without retries (safe to share between threads)."""
    return boto_client(dx_url)


def new_connection(dx: Any, name: str = "c") -> str:
    conn_id: str = dx.create_connection(location="EqDC2", bandwidth="1Gbps", connectionName=name)[
        "connectionId"
    ]
    return conn_id


# -- holding and releasing ---------------------------------------------------------------------
def test_gate_is_open_by_default(control: httpx.Client) -> None:
    assert control.get("/gate").json() == {
        "closed": False,
        "arrived": 0,
        "released": 0,
        "abandoned": 0,
        "waiting": [],
    }


def test_closed_gate_holds_calls_until_released(
    client: Any, control: httpx.Client, pool: ThreadPoolExecutor
) -> None:
    conn_id = new_connection(client)
    close_gate(control)
    calls = [
        pool.submit(client.describe_connections, connectionId=conn_id),
        pool.submit(client.describe_locations),
        pool.submit(client.describe_lags),
    ]

    state = wait_for(control, arrived=3)
    assert waiting(state) == ["DescribeConnections", "DescribeLags", "DescribeLocations"]
    assert not any(call.done() for call in calls)
    assert state["closed"] is True
    assert (state["arrived"], state["released"], state["abandoned"]) == (3, 0, 0)
    assert sorted(held["seq"] for held in state["waiting"]) == [1, 2, 3]
    by_operation = {held["operation"]: held for held in state["waiting"]}
    assert by_operation["DescribeConnections"]["params"] == {"connectionId": conn_id}
    assert by_operation["DescribeLocations"]["params"] == {}
    assert {(h["account"], h["region"]) for h in state["waiting"]} == {(CUSTOMER, "us-east-1")}
    assert control.get("/calls").json()["total"] == 4  # held calls count when they arrive

    assert control.post("/gate/release").json() == {"released": 3}
    connections, locations, lags = (call.result(timeout=WAIT_SECONDS) for call in calls)
    assert [c["connectionId"] for c in connections["connections"]] == [conn_id]
    assert locations["locations"]
    assert lags["lags"] == []
    after = control.get("/gate").json()
    assert (after["closed"], after["arrived"], after["released"], after["waiting"]) == (
        True,
        3,
        3,
        [],
    )

    # The gate stays closed: a call made after the release waits for the next one.
    later = pool.submit(client.describe_connections)
    state = wait_for(control, arrived=4)
    assert [(h["seq"], h["operation"]) for h in state["waiting"]] == [(4, "DescribeConnections")]
    assert not later.done()
    assert control.post("/gate/release", json={}).json() == {"released": 1}
    assert len(later.result(timeout=WAIT_SECONDS)["connections"]) == 1

    counts = control.get("/calls").json()
    assert counts["total"] == 5  # each held call counted exactly once
    assert counts["operations"] == {
        "CreateConnection": 1,
        "DescribeConnections": 2,
        "DescribeLags": 1,
        "DescribeLocations": 1,
    }


def test_gate_counts_a_clients_dependent_rounds(
    client: Any, control: httpx.Client, pool: ThreadPoolExecutor
) -> None:
    """What the gate is for: each release lets one round through, and the next round's calls
    arrive only once the round they depend on has answered."""
    first, second = new_connection(client, "a"), new_connection(client, "b")

    def topology() -> dict[str, int]:
        # Round 1: the connections. Round 2: the VIFs of each connection, concurrently.
        connections = client.describe_connections()["connections"]
        with ThreadPoolExecutor(max_workers=len(connections)) as inner:
            vifs = inner.map(
                lambda c: client.describe_virtual_interfaces(connectionId=c["connectionId"]),
                connections,
            )
            return {
                c["connectionId"]: len(v["virtualInterfaces"])
                for c, v in zip(connections, vifs, strict=True)
            }

    close_gate(control)
    result = pool.submit(topology)
    rounds = 0
    for arrived in (1, 3):
        state = wait_for(control, arrived=arrived)
        rounds += 1
        if rounds == 1:
            assert waiting(state) == ["DescribeConnections"]
        else:
            assert waiting(state) == ["DescribeVirtualInterfaces"] * 2
            assert {h["params"]["connectionId"] for h in state["waiting"]} == {first, second}
        assert not result.done()
        control.post("/gate/release").raise_for_status()
    assert result.result(timeout=WAIT_SECONDS) == {first: 0, second: 0}
    assert rounds == 2
    assert control.get("/gate").json()["arrived"] == 3


def test_client_errors_are_still_answered_after_the_gate(
    client: Any, control: httpx.Client, pool: ThreadPoolExecutor
) -> None:
    close_gate(control)
    call = pool.submit(client.describe_connections, connectionId="dxcon-fzzzzzzz")
    wait_for(control, arrived=1)
    control.post("/gate/release").raise_for_status()
    with pytest.raises(ClientError) as exc:
        call.result(timeout=WAIT_SECONDS)
    assert exc.value.response["Error"]["Code"] == "DirectConnectClientException"


def test_opening_the_gate_releases_everything_and_lets_calls_flow(
    client: Any, control: httpx.Client, pool: ThreadPoolExecutor
) -> None:
    close_gate(control)
    calls = [pool.submit(client.describe_locations), pool.submit(client.describe_connections)]
    wait_for(control, arrived=2)
    assert not any(call.done() for call in calls)

    opened = control.put("/gate", json={"closed": False}).json()
    assert opened == {"closed": False, "arrived": 2, "released": 2, "abandoned": 0, "waiting": []}
    assert calls[0].result(timeout=WAIT_SECONDS)["locations"]
    assert calls[1].result(timeout=WAIT_SECONDS)["connections"] == []
    assert client.describe_lags()["lags"] == []  # answered at once: nothing holds it
    assert control.get("/gate").json()["arrived"] == 2


def test_closing_a_closed_gate_keeps_its_requests_waiting(
    client: Any, control: httpx.Client, pool: ThreadPoolExecutor
) -> None:
    close_gate(control)
    call = pool.submit(client.describe_locations)
    wait_for(control, arrived=1)
    again = control.put("/gate", json={"closed": True}).json()
    assert waiting(again) == ["DescribeLocations"]
    assert again["arrived"] == 1
    assert not call.done()
    assert control.post("/gate/release").json() == {"released": 1}
    assert call.result(timeout=WAIT_SECONDS)["locations"]


def test_closing_the_gate_again_after_opening_restarts_the_counts(
    client: Any, control: httpx.Client, pool: ThreadPoolExecutor
) -> None:
    close_gate(control)
    call = pool.submit(client.describe_locations)
    wait_for(control, arrived=1)
    control.put("/gate", json={"closed": False}).raise_for_status()
    call.result(timeout=WAIT_SECONDS)
    assert control.put("/gate", json={"closed": True}).json() == {
        "closed": True,
        "arrived": 0,
        "released": 0,
        "abandoned": 0,
        "waiting": [],
    }


def test_reset_opens_the_gate_and_releases_everything(
    client: Any, control: httpx.Client, pool: ThreadPoolExecutor
) -> None:
    close_gate(control)
    call = pool.submit(client.describe_locations)
    wait_for(control, arrived=1)
    control.post("/reset", json={}).raise_for_status()
    assert call.result(timeout=WAIT_SECONDS)["locations"]
    assert control.get("/gate").json() == {
        "closed": False,
        "arrived": 0,
        "released": 0,
        "abandoned": 0,
        "waiting": [],
    }
    assert client.describe_lags()["lags"] == []


def test_held_requests_with_a_body_that_is_not_json_list_no_params(
    dx_url: str, control: httpx.Client, pool: ThreadPoolExecutor
) -> None:
    close_gate(control)
    call = pool.submit(raw_call, dx_url, "DescribeConnections", body=b"{bad")
    state = wait_for(control, arrived=1)
    assert [(h["operation"], h["params"]) for h in state["waiting"]] == [
        ("DescribeConnections", None)
    ]
    control.post("/gate/release").raise_for_status()
    response = call.result(timeout=WAIT_SECONDS)
    assert response.status_code == 400
    assert response.json()["__type"] == "SerializationException"


def test_the_gate_holds_only_direct_connect_calls(dx_url: str, control: httpx.Client) -> None:
    close_gate(control)
    sts = boto3.client(
        "sts",
        region_name="us-east-1",
        endpoint_url=dx_url,
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    role = "arn:aws:iam::444455556666:role/network"
    assert sts.assume_role(RoleArn=role, RoleSessionName="ci")["Credentials"]
    assert control.get("/calls").json()["operations"] == {"AssumeRole": 1}
    # Unauthenticated requests are refused before the gate, as they are before the counter.
    refused = httpx.post(f"{dx_url}/", content=b"{}", headers={"X-Amz-Target": "x"}, timeout=10)
    assert refused.status_code >= 400
    assert control.get("/gate").json()["arrived"] == 0


# -- a client that goes away ------------------------------------------------------------------
def test_a_held_request_whose_client_disconnects_is_dropped(
    dx_url: str, dx: Any, control: httpx.Client
) -> None:
    body = json.dumps({"location": "EqDC2", "bandwidth": "1Gbps", "connectionName": "gone"})
    headers = signed_headers(dx_url, body.encode(), target=TARGET_PREFIX + "CreateConnection")
    url = urlsplit(dx_url)
    close_gate(control)
    with socket.create_connection((url.hostname, url.port), timeout=WAIT_SECONDS) as sock:
        head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        sock.sendall(
            f"POST / HTTP/1.1\r\nHost: {url.netloc}\r\n{head}"
            f"Content-Length: {len(body)}\r\n\r\n{body}".encode()
        )
        assert waiting(wait_for(control, arrived=1)) == ["CreateConnection"]

    state = wait_for(control, abandoned=1)
    assert (state["arrived"], state["released"], state["abandoned"]) == (1, 0, 1)
    assert state["waiting"] == []
    assert control.post("/gate/release").json() == {"released": 0}
    control.put("/gate", json={"closed": False}).raise_for_status()
    assert dx.describe_connections()["connections"] == []  # the operation never ran
    assert control.get("/calls").json()["operations"] == {
        "CreateConnection": 1,
        "DescribeConnections": 1,
    }


# -- waiting for arrivals ----------------------------------------------------------------------
def test_wait_answers_at_once_when_the_count_is_already_reached(control: httpx.Client) -> None:
    response = control.post("/gate/wait", json={"arrived": 0})
    assert response.status_code == 200
    assert response.json()["closed"] is False


def test_wait_times_out_with_408_and_the_gate_state(control: httpx.Client) -> None:
    close_gate(control)
    response = control.post("/gate/wait", json={"arrived": 1000, "timeoutSeconds": 0.05})
    assert response.status_code == 408
    answer = response.json()
    assert answer["error"]["code"] == "GATE_TIMEOUT"
    assert "Not reached within 0.05 seconds" in answer["error"]["message"]
    assert (answer["closed"], answer["arrived"], answer["waiting"]) == (True, 0, [])


@pytest.mark.parametrize(
    ("method", "path", "body", "message"),
    [
        ("PUT", "/gate", b"{}", "'closed' must be true or false, not null"),
        ("PUT", "/gate", b'{"closed": "yes"}', "'closed' must be true or false"),
        ("PUT", "/gate", b'{"closed": 1}', "'closed' must be true or false"),
        ("PUT", "/gate", b'{"closed": true, "open": 1}', "Unknown key(s): open; known: closed"),
        ("PUT", "/gate", b"[true]", "must be a JSON object"),
        ("PUT", "/gate", b"{bad", "not valid JSON"),
        ("POST", "/gate/release", b'{"all": true}', "Unknown key(s): all"),
        ("POST", "/gate/wait", b"{}", "'arrived' and/or 'abandoned'"),
        ("POST", "/gate/wait", b'{"arived": 3}', "Unknown key(s): arived"),
        ("POST", "/gate/wait", b'{"arrived": -1}', "'arrived' must be an integer >= 0"),
        ("POST", "/gate/wait", b'{"arrived": 1.5}', "'arrived' must be an integer >= 0"),
        ("POST", "/gate/wait", b'{"arrived": true}', "'arrived' must be an integer >= 0"),
        ("POST", "/gate/wait", b'{"arrived": "3"}', "'arrived' must be an integer >= 0"),
        ("POST", "/gate/wait", b'{"abandoned": null}', "'abandoned' must be an integer >= 0"),
        (
            "POST",
            "/gate/wait",
            b'{"arrived": 1, "timeoutSeconds": -1}',
            "'timeoutSeconds' must be a finite number",
        ),
        (
            "POST",
            "/gate/wait",
            b'{"arrived": 1, "timeoutSeconds": NaN}',
            "'timeoutSeconds' must be a finite number",
        ),
        (
            "POST",
            "/gate/wait",
            b'{"arrived": 1, "timeoutSeconds": 301}',
            "'timeoutSeconds' must be at most 300",
        ),
    ],
)
def test_invalid_gate_bodies_are_400_json_errors(
    control: httpx.Client, method: str, path: str, body: bytes, message: str
) -> None:
    response = control.request(method, path, content=body)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "InvalidRequest"
    assert message in error["message"]
    assert control.get("/gate").json()["closed"] is False  # a refused body changes nothing


def test_control_index_lists_the_gate_endpoints(control: httpx.Client) -> None:
    endpoints = control.get("/").json()["endpoints"]
    assert {"GET|PUT /_dxsim/gate", "POST /_dxsim/gate/release", "POST /_dxsim/gate/wait"} <= set(
        endpoints
    )


def test_unsupported_gate_methods_are_405(control: httpx.Client) -> None:
    response = control.get("/gate/release")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "MethodNotAllowed"


# -- shutdown ----------------------------------------------------------------------------------
def test_stopping_the_server_releases_held_requests() -> None:
    server = DXServer(Simulator())
    server.start()
    stopped = False
    try:
        control = httpx.Client(base_url=f"{server.url}/_dxsim", timeout=WAIT_SECONDS + 10)
        with control, ThreadPoolExecutor(max_workers=2) as pool:
            client = boto_client(server.url)
            close_gate(control)
            held = pool.submit(client.describe_locations)
            wait_for(control, arrived=1)
            poll = pool.submit(
                control.post, "/gate/wait", json={"arrived": 99, "timeoutSeconds": 300}
            )
            server.stop()
            stopped = True
            assert server._thread is not None
            assert not server._thread.is_alive()  # stop() did not give up waiting for it
            assert held.result(timeout=WAIT_SECONDS)["locations"]
            assert_shut_down_poll(poll)
    finally:
        if not stopped:
            server.stop()


def assert_shut_down_poll(poll: Future[httpx.Response]) -> None:
    """A long poll open at shutdown is answered 503 (if it reached the server before it closed
    its socket; otherwise its connection was refused)."""
    try:
        response = poll.result(timeout=WAIT_SECONDS)
    except httpx.TransportError:
        return
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "GATE_SHUTDOWN"


# -- the gate object ---------------------------------------------------------------------------
CALLER = Caller(account=CUSTOMER, region="us-east-1")


async def test_shut_down_ends_pending_waits_and_holds_nothing_more() -> None:
    gate = Gate()
    gate.set_closed(True)
    held = gate.hold(CALLER, "DescribeLags", {})
    assert held is not None
    reached = gate.wait_for(arrived=5)
    gate.shut_down()
    assert await asyncio.wait_for(reached, WAIT_SECONDS) is False
    await asyncio.wait_for(held.released, WAIT_SECONDS)
    assert gate.hold(CALLER, "DescribeLags", {}) is None
    gate.set_closed(True)
    assert gate.hold(CALLER, "DescribeLags", {}) is None
    assert gate.wait_for(arrived=0).result() is False


async def test_abandon_after_release_is_refused() -> None:
    gate = Gate()
    gate.set_closed(True)
    held = gate.hold(CALLER, "DescribeLags", {})
    assert held is not None
    assert gate.release() == 1
    assert gate.abandon(held) is False
    assert gate.snapshot()["abandoned"] == 0

"""Processes killed with SIGKILL in the middle of a storm of writes sent through the gateway.

* The simulator, started with `--state` in its own process: after a restart on the same file and
  port, every write the gateway acknowledged is there and nothing is half-written (each LAG with
  all its member connections, the SQLite file intact).
* The gateway, in its own process with Redis as its idempotency store: clients see errors only
  for the requests in flight (or sent while it was down), and retries with the same
  Idempotency-Keys against the restarted gateway create no duplicate connection.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import httpx
import pytest

from gql.http.server import GatewayServer
from gql.settings import Settings

REGIONS = ["us-east-1", "us-west-2"]
CLIENTS = 6
TRANSPORT_ERRORS = ("ConnectError", "ReadError", "RemoteProtocolError", "WriteError")

CREATE_CONNECTION = """mutation($name: String!) {
  createConnection(input: {location: "EqDC2", bandwidth: "1Gbps", connectionName: $name}) {
    connection { connectionId connectionName } } }"""
CREATE_LAG = """mutation($name: String!) {
  createLag(input: {numberOfConnections: 2, location: "EqDC2", connectionsBandwidth: "1Gbps",
                    lagName: $name}) { lag { lagId lagName } } }"""


@dataclass
class Attempt:
    """One mutation sent during the storm."""

    key: str
    query: str
    started: float
    ended: float = 0.0
    resource_id: str | None = None
    error: str | None = None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(predicate: Any, seconds: float, what: str) -> None:
    give_up = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > give_up:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def dx_client(url: str, region: str = "us-east-1") -> Any:
    return boto3.client(
        "directconnect",
        region_name=region,
        endpoint_url=url,
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


def mutate(url: str, attempt: Attempt, timeout: float = 30) -> None:
    """Sends the attempt's mutation; records the created ID or what went wrong."""
    try:
        response = httpx.post(
            f"{url}/graphql",
            json={"query": attempt.query, "variables": {"name": attempt.key}},
            headers={"Idempotency-Key": attempt.key},
            timeout=timeout,
        )
    except httpx.TransportError as err:
        attempt.error = type(err).__name__
        return
    finally:
        attempt.ended = time.monotonic()
    if response.status_code != 200:
        attempt.error = f"HTTP {response.status_code}"
        return
    body = response.json()
    if body.get("errors"):
        attempt.error = ",".join(e["extensions"]["code"] for e in body["errors"])
        return
    payload = next(iter(body["data"].values()))
    resource = payload.get("connection") or payload.get("lag")
    attempt.resource_id = resource.get("connectionId") or resource.get("lagId")


class Storm:
    """CLIENTS clients sending writes one after another, each with its own Idempotency-Key (which
    also names the resource), until `stop()`. A client whose request met a transport error stops:
    the gateway is gone."""

    def __init__(self, url: str, prefix: str) -> None:
        self.url = url
        self.prefix = prefix
        self.attempts: list[Attempt] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = [
            threading.Thread(target=self._client, args=(n,), daemon=True) for n in range(CLIENTS)
        ]
        for thread in self._threads:
            thread.start()

    def _client(self, number: int) -> None:
        serial = 0
        while not self._stop.is_set():
            serial += 1
            query = CREATE_LAG if serial % 4 == 0 else CREATE_CONNECTION
            attempt = Attempt(f"{self.prefix}-{number}-{serial}", query, time.monotonic())
            with self._lock:
                self.attempts.append(attempt)
            mutate(self.url, attempt)
            if attempt.error in TRANSPORT_ERRORS:
                return

    def acknowledged(self) -> list[Attempt]:
        with self._lock:
            return [a for a in self.attempts if a.resource_id is not None]

    def stop(self) -> list[Attempt]:
        self._stop.set()
        for thread in self._threads:
            thread.join(60)
        return self.attempts


# -- the simulator killed --------------------------------------------------------------------------
def start_sim(state: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "dxsim", "--port", str(port), "--state", str(state)]
    command += ["--provisioning-delay", "0"]
    process = subprocess.Popen(command, stdout=log.open("wb"), stderr=subprocess.STDOUT)

    def listening() -> bool:
        if process.poll() is not None:
            raise AssertionError(f"dxsim exited:\n{log.read_text(errors='replace')}")
        return "listening on" in log.read_text(errors="replace")

    wait_for(listening, 30, "dxsim to listen")
    return process


def integrity_of_a_copy(state: Path) -> str:
    """SQLite's integrity check of the state file as the kill left it (WAL included), run on a
    copy so that the restarted simulator recovers the original itself."""
    copy = state.parent / "copy" / state.name
    copy.parent.mkdir()
    for suffix in ("", "-wal"):
        source = Path(f"{state}{suffix}")
        if source.exists():
            shutil.copy(source, f"{copy}{suffix}")
    with contextlib.closing(sqlite3.connect(copy)) as db:
        return str(db.execute("PRAGMA integrity_check").fetchone()[0])


@pytest.fixture
def sim_process(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """A dxsim process with `--state` (restartable through `restart()`), killed at the end."""
    port = free_port()
    state = tmp_path / "dxsim.sqlite3"
    sim: dict[str, Any] = {"url": f"http://127.0.0.1:{port}", "state": state}
    sim["process"] = start_sim(state, port, tmp_path / "dxsim-1.log")
    sim["restart"] = lambda: sim.__setitem__(
        "process", start_sim(state, port, tmp_path / "dxsim-2.log")
    )
    yield sim
    process: subprocess.Popen[bytes] = sim["process"]
    if process.poll() is None:
        process.kill()
        process.wait()


def test_every_write_acknowledged_before_a_simulator_sigkill_is_there_after_restart(
    sim_process: dict[str, Any],
) -> None:
    settings = Settings(
        upstream="endpoint",
        dx_endpoint=sim_process["url"],
        regions=REGIONS,
        cache_namespace=f"crash-{uuid.uuid4().hex[:12]}",
        max_attempts=1,
        connect_timeout=0.5,
        read_timeout=5,
    )
    with GatewayServer(settings) as gateway:
        storm = Storm(gateway.url, "sim")
        wait_for(lambda: len(storm.acknowledged()) >= 30, 30, "30 acknowledged writes")
        os.kill(sim_process["process"].pid, signal.SIGKILL)
        sim_process["process"].wait()
        time.sleep(0.3)  # the storm goes on against the dead simulator
        attempts = storm.stop()
        assert integrity_of_a_copy(sim_process["state"]) == "ok"
        sim_process["restart"]()

        failed = [a for a in attempts if a.error is not None]
        assert failed, "the kill interrupted no write"
        assert all(a.error == "UPSTREAM_UNAVAILABLE" for a in failed), failed
        dx = dx_client(sim_process["url"])
        connections = {c["connectionId"]: c for c in dx.describe_connections()["connections"]}
        lags = {lag["lagId"]: lag for lag in dx.describe_lags()["lags"]}
        for attempt in storm.acknowledged():
            if attempt.query is CREATE_LAG:
                assert lags[attempt.resource_id]["lagName"] == attempt.key
            else:
                assert connections[attempt.resource_id]["connectionName"] == attempt.key
        # Nothing half-written: every LAG has both of its members, every member its LAG.
        for lag in lags.values():
            members = [c for c in connections.values() if c.get("lagId") == lag["lagId"]]
            assert len(members) == lag["numberOfConnections"] == 2
        assert all(c["lagId"] in lags for c in connections.values() if c.get("lagId"))

        # The gateway serves again from the restarted simulator.
        after = Attempt(f"sim-after-{uuid.uuid4()}", CREATE_CONNECTION, time.monotonic())
        mutate(gateway.url, after)
        assert after.resource_id is not None, after.error


# -- the gateway killed ----------------------------------------------------------------------------
def start_gateway(port: int, dx_url: str, redis_url: str, namespace: str, log: Path) -> Any:
    env = {
        **os.environ,
        "DXGRAPH_CACHE_BACKEND": "redis",
        "DXGRAPH_REDIS_URL": redis_url,
        "DXGRAPH_CACHE_NAMESPACE": namespace,
        "DXGRAPH_RATE_LIMIT_PER_MINUTE": "0",
        "DXGRAPH_MAX_ATTEMPTS": "1",
        "DXGRAPH_LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, "-m", "gql", "serve", "--dx-endpoint", dx_url]
    command += ["--port", str(port), "--regions", ",".join(REGIONS)]
    process = subprocess.Popen(command, stdout=log.open("ab"), stderr=subprocess.STDOUT, env=env)

    def ready() -> bool:
        if process.poll() is not None:
            raise AssertionError(f"the gateway exited:\n{log.read_text(errors='replace')}")
        try:
            return (
                httpx.post(
                    f"http://127.0.0.1:{port}/graphql", json={"query": "{ regions }"}, timeout=2
                ).status_code
                == 200
            )
        except httpx.TransportError:
            return False

    wait_for(ready, 60, "the gateway to serve")
    return process


def test_a_gateway_killed_mid_load_fails_only_in_flight_requests_and_keyed_retries_make_no_twins(
    dx_url: str, redis_url: str, control: httpx.Client, tmp_path: Path
) -> None:
    # Each write spends 0.2 s at Direct Connect, so that several are in flight at the kill.
    control.put(
        "/faults",
        json={"latencySpikeMs": 200, "latencySpikeRate": 1.0, "operations": ["CreateConnection"]},
    ).raise_for_status()
    port, namespace, log = free_port(), f"crash-{uuid.uuid4().hex[:12]}", tmp_path / "gw.log"
    url = f"http://127.0.0.1:{port}"
    gateway = start_gateway(port, dx_url, redis_url, namespace, log)
    storm = Storm(url, "gw")
    try:
        wait_for(lambda: len(storm.acknowledged()) >= 12, 30, "12 acknowledged writes")
        killed_at = time.monotonic()
        os.kill(gateway.pid, signal.SIGKILL)
        gateway.wait()
        attempts = storm.stop()

        # Before the kill every request succeeded; after it, errors only for the requests in
        # flight (cut) or sent while the gateway was down (refused) - never an HTTP error.
        assert all(a.resource_id for a in attempts if a.ended < killed_at)
        failed = [a for a in attempts if a.error is not None]
        assert failed
        for attempt in failed:
            in_flight = attempt.started < killed_at
            assert attempt.error in TRANSPORT_ERRORS, attempt
            assert in_flight or attempt.error == "ConnectError", attempt

        gateway = start_gateway(port, dx_url, redis_url, namespace, log)
        first_answers = {a.key: a.resource_id for a in attempts}
        control.delete("/calls").raise_for_status()
        retries = [Attempt(a.key, a.query, time.monotonic()) for a in attempts]
        with concurrent.futures.ThreadPoolExecutor(len(retries)) as pool:
            list(pool.map(lambda r: mutate(url, r), retries))
    finally:
        storm.stop()
        if gateway.poll() is None:
            gateway.kill()
            gateway.wait()

    new_writes = Counter(control.get("/calls").json()["operations"])
    for retry in retries:
        first = first_answers[retry.key]
        if first is not None:  # acknowledged: the same answer, replayed
            assert retry.resource_id == first, retry
        else:  # interrupted: done now, or still reserved by the dead gateway - never twice
            assert retry.resource_id is not None or retry.error == "IDEMPOTENCY_IN_PROGRESS"
    replayed = sum(1 for r in retries if first_answers[r.key] is not None)
    assert new_writes["CreateConnection"] + new_writes["CreateLag"] <= len(retries) - replayed

    dx = {region: dx_client(dx_url, region) for region in REGIONS}
    names = Counter(
        c["connectionName"]
        for c in dx["us-east-1"].describe_connections()["connections"]
        if not c.get("lagId")
    )
    names.update(lag["lagName"] for lag in dx["us-east-1"].describe_lags()["lags"])
    keys = {a.key for a in attempts}
    assert {name: n for name, n in names.items() if name in keys and n > 1} == {}
    assert all(names[r.key] == 1 for r in retries if r.resource_id is not None)

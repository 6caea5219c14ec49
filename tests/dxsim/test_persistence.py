"""`--state PATH`: state survives a restart, and a `kill -9` loses nothing that was acknowledged."""

from __future__ import annotations

import itertools
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import httpx
import pytest
from botocore.exceptions import BotoCoreError, ClientError

from dxsim import DXServer, Simulator
from dxsim.catalogue import LOCATIONS
from dxsim.resource import RESOURCE_TYPES
from tests.dxsim.shapes import boto_client, start_simulator


def serve(path: Path, provisioning_delay: float = 0.0) -> DXServer:
    server = DXServer(Simulator(state_path=path, provisioning_delay=provisioning_delay))
    server.start()
    return server


def connections(client: Any) -> dict[str, str]:
    return {
        c["connectionId"]: c["connectionState"]
        for c in client.describe_connections()["connections"]
    }


def test_resources_survive_a_restart_with_the_same_ids_and_states(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    server = serve(path)
    try:
        dx = boto_client(server.url)
        kept = dx.create_connection(location="EqDC2", bandwidth="1Gbps", connectionName="kept")
        gone = dx.create_connection(location="EqDC2", bandwidth="1Gbps", connectionName="gone")
        dx.describe_connections()
        dx.delete_connection(connectionId=gone["connectionId"])
        gateway = dx.create_direct_connect_gateway(directConnectGatewayName="gw")[
            "directConnectGateway"
        ]
        before_connections = dx.describe_connections()["connections"]
        before_gateways = dx.describe_direct_connect_gateways()["directConnectGateways"]
    finally:
        server.stop()

    server = serve(path)
    try:
        dx = boto_client(server.url)
        assert dx.describe_connections()["connections"] == before_connections
        assert connections(dx) == {
            kept["connectionId"]: "available",
            gone["connectionId"]: "deleted",
        }
        assert dx.describe_direct_connect_gateways()["directConnectGateways"] == before_gateways
        assert gateway["directConnectGatewayId"] in {
            g["directConnectGatewayId"] for g in before_gateways
        }
    finally:
        server.stop()


def test_scheduled_transitions_survive_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    server = serve(path, provisioning_delay=60)
    try:
        conn_id = boto_client(server.url).create_connection(
            location="EqDC2", bandwidth="1Gbps", connectionName="c"
        )["connectionId"]
    finally:
        server.stop()

    server = serve(path, provisioning_delay=60)
    try:
        dx = boto_client(server.url)
        assert connections(dx) == {conn_id: "requested"}
        httpx.post(f"{server.url}/_dxsim/clock/advance", json={"seconds": 120}).raise_for_status()
        assert connections(dx) == {conn_id: "available"}
    finally:
        server.stop()


def test_an_advanced_clock_survives_a_restart_even_with_nothing_due(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    server = serve(path)
    try:
        httpx.post(f"{server.url}/_dxsim/clock/advance", json={"seconds": 3600}).raise_for_status()
    finally:
        server.stop()
    server = serve(path)
    try:
        assert httpx.get(f"{server.url}/_dxsim/clock").json()["offset"] == 3600
    finally:
        server.stop()


def test_purged_resources_take_their_tags_with_them(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    server = serve(path)
    try:
        dx = boto_client(server.url)
        conn = dx.create_connection(location="EqDC2", bandwidth="1Gbps", connectionName="c")
        arn = f"arn:aws:directconnect:us-east-1:123456789012:dxcon/{conn['connectionId']}"
        dx.tag_resource(resourceArn=arn, tags=[{"key": "env", "value": "prod"}])
        dx.delete_connection(connectionId=conn["connectionId"])
        httpx.post(f"{server.url}/_dxsim/clock/advance", json={"seconds": 901}).raise_for_status()
    finally:
        server.stop()
    with sqlite3.connect(path) as db:
        kinds = [kind for (kind,) in db.execute("SELECT kind FROM resources")]
    assert kinds == []


def test_reset_empties_the_state_file(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    server = serve(path)
    try:
        boto_client(server.url).create_connection(
            location="EqDC2", bandwidth="1Gbps", connectionName="c"
        )
        httpx.post(f"{server.url}/_dxsim/reset", json={}).raise_for_status()
    finally:
        server.stop()
    server = serve(path)
    try:
        assert connections(boto_client(server.url)) == {}
    finally:
        server.stop()


def test_a_second_simulator_on_an_open_state_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    first = Simulator(state_path=path)
    try:
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            Simulator(state_path=path)
    finally:
        first.close()
    Simulator(state_path=path).close()


# -- kill -9 -------------------------------------------------------------------------------------
def start_cli(*args: str, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    sim = start_simulator([sys.executable, "-m", "dxsim", "--port", "0", *args], log=log)
    return sim.proc, sim.url


@pytest.fixture
def processes() -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for proc in started:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)


def test_kill_9_mid_storm_loses_no_acknowledged_write(
    tmp_path: Path, processes: list[subprocess.Popen[bytes]]
) -> None:
    path = tmp_path / "state.sqlite3"
    proc, url = start_cli(
        "--state", str(path), "--provisioning-delay", "0", log=tmp_path / "dxsim.log"
    )
    processes.append(proc)
    accounts = [f"10000000000{n}" for n in range(4)]  # one storm thread per account
    locations = list(LOCATIONS["us-east-1"])  # spread over locations: no quota gets in the way
    acknowledged: dict[str, set[str]] = {account: set() for account in accounts}
    lock = threading.Lock()

    def storm(account: str, dx: Any) -> None:
        for n in itertools.count():
            try:
                created = dx.create_connection(
                    location=locations[n % len(locations)],
                    bandwidth="1Gbps",
                    connectionName=f"storm-{n}",
                )
            except (BotoCoreError, ClientError):
                return
            with lock:
                acknowledged[account].add(created["connectionId"])

    workers = [  # clients made here: creating boto3 clients is not thread-safe
        threading.Thread(target=storm, args=(account, boto_client(url, access_key=account)))
        for account in accounts
    ]
    for worker in workers:
        worker.start()
    deadline = time.monotonic() + 20
    while sum(map(len, acknowledged.values())) < 40 and time.monotonic() < deadline:
        time.sleep(0.01)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    for worker in workers:
        worker.join(timeout=30)
    assert sum(map(len, acknowledged.values())) >= 40

    with closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        rows = db.execute("SELECT kind, id, data FROM resources").fetchall()
    for kind, resource_id, data in rows:
        assert RESOURCE_TYPES[kind].from_row(json.loads(data)).id == resource_id

    proc, url = start_cli(
        "--state", str(path), "--provisioning-delay", "0", log=tmp_path / "dxsim-2.log"
    )
    processes.append(proc)
    stored: dict[str, str] = {}
    for account in accounts:
        found = connections(boto_client(url, access_key=account))
        assert acknowledged[account] <= set(found)
        stored.update(found)
    assert len(stored) == sum(1 for kind, _, _ in rows if kind == "connection")
    assert set(stored.values()) == {"available"}
    more = boto_client(url).create_connection(
        location="EqDC2", bandwidth="1Gbps", connectionName="after"
    )
    assert more["connectionId"] not in stored

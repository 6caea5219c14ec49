"""`dxgraph serve` with no configuration: embedded simulator, demo topology, GraphiQL."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_without_configuration_runs_graphiql_on_the_demo_topology(tmp_path: Path) -> None:
    port = free_port()
    env = {
        key: value for key, value in os.environ.items() if not key.startswith(("DXGRAPH_", "AWS_"))
    }
    env["DXGRAPH_SIM_STATE_DIR"] = str(tmp_path / "state")
    process = subprocess.Popen(
        [sys.executable, "-m", "gql", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                page = httpx.get(f"{url}/graphql", headers={"Accept": "text/html"}, timeout=2)
                break
            except httpx.TransportError:
                assert process.poll() is None, "dxgraph serve exited"
                assert time.monotonic() < deadline, "dxgraph serve did not start"
                time.sleep(0.2)
        assert page.status_code == 200
        assert "graphiql" in page.text.lower()
        assert "query Topology" in page.text
        body = httpx.post(
            f"{url}/graphql",
            json={"query": "{ lags { lagName connections { connectionId } } regions }"},
            timeout=30,
        ).json()
        assert "errors" not in body, body
        assert {lag["lagName"] for lag in body["data"]["lags"]} == {"core-iad", "edge-den"}
        assert (tmp_path / "state" / "dxsim.sqlite3").exists()
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=10)
    assert "embedded simulator" in output
    assert f"http://127.0.0.1:{port}/graphql" in output

"""`dxgraph sim`: starts the simulator, says where and how to reach it, refuses bad arguments."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.dxsim.shapes import boto_client, start_simulator

DXGRAPH = str(Path(sys.executable).parent / "dxgraph")


@pytest.fixture(scope="module")
def running_sim(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """`dxgraph sim --port 0 --seed empty --provisioning-delay 0`: (URL, what it printed)."""
    log = tmp_path_factory.mktemp("cli") / "dxgraph.log"
    command = [DXGRAPH, "sim", "--port", "0", "--seed", "empty", "--provisioning-delay", "0"]
    sim = start_simulator(command, log=log)
    try:
        yield sim.url, sim.read_output()
    finally:
        sim.proc.terminate()
        sim.proc.wait(timeout=10)


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([DXGRAPH, *args], capture_output=True, text=True, timeout=30, check=False)


def test_sim_prints_the_endpoint_url(running_sim: tuple[str, str]) -> None:
    url, _ = running_sim
    assert url.startswith("http://127.0.0.1:")
    assert int(url.rsplit(":", 1)[1]) > 0


def test_sim_prints_the_credentials_to_use(running_sim: tuple[str, str]) -> None:
    _, banner = running_sim
    assert "AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test (account 123456789012)" in banner
    assert "provisioning-delay=0.0s" in banner


def test_sim_serves_describe_locations(running_sim: tuple[str, str]) -> None:
    url, _ = running_sim
    codes = {loc["locationCode"] for loc in boto_client(url).describe_locations()["locations"]}
    assert "EqDC2" in codes


def test_sim_serves_the_control_api_it_advertises(running_sim: tuple[str, str]) -> None:
    url, banner = running_sim
    assert f"control API: {url}/_dxsim/" in banner
    assert httpx.get(f"{url}/_dxsim/").json()["endpoints"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["sim", "--port", "70000"], "port must be 0-65535"),
        (["sim", "--port", "http"], "not a port number"),
        (["sim", "--seed", "galaxy"], "invalid choice: 'galaxy'"),
        (["sim", "--provisioning-delay", "-1"], "must be a finite number >= 0"),
        (["sim", "--latency-ms", "nan"], "must be a finite number >= 0"),
        (["sim", "--error-rate", "1.5"], "must be between 0 and 1"),
        (["sim", "--bogus"], "unrecognized arguments: --bogus"),
        (["teleport"], "invalid choice: 'teleport'"),
        ([], "the following arguments are required: command"),
    ],
)
def test_bad_arguments_exit_2_with_a_message(args: list[str], message: str) -> None:
    result = run_cli(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_unreadable_credentials_file_exits_2(tmp_path: Path) -> None:
    result = run_cli("sim", "--port", "0", "--credentials", str(tmp_path / "missing.json"))
    assert result.returncode == 2
    assert "cannot use credentials file" in result.stderr
    assert "Traceback" not in result.stderr


def test_malformed_credentials_file_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "credentials.json"
    path.write_text(json.dumps([{"accessKeyId": "k"}]))
    result = run_cli("sim", "--port", "0", "--credentials", str(path))
    assert result.returncode == 2
    assert "cannot use credentials file" in result.stderr


def test_state_file_that_is_not_a_database_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    path.write_text("not a database")
    result = run_cli("sim", "--port", "0", "--state", str(path))
    assert result.returncode == 2
    assert "cannot use state file" in result.stderr
    assert "Traceback" not in result.stderr

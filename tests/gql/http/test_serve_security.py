"""`dxgraph serve`'s startup rule: an open gateway only on loopback (and saying so), a refusal to
start on any other address unless auth is configured or `--insecure`/`DXGRAPH_INSECURE` says so."""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest

from gql.http.auth import api_key_digest, startup_refusal
from gql.settings import ApiKey, Settings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DXGRAPH_", "AWS_"))}
    return env | extra


def serve(port: int, *args: str, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "gql", "serve", "--port", str(port), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@contextmanager
def running(process: subprocess.Popen[str], port: int) -> Iterator[list[str]]:
    """Waits for the gateway to answer on loopback; yields a list that gets its output at exit."""
    output: list[str] = []
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except httpx.TransportError:
                assert process.poll() is None, f"dxgraph serve exited: {process.communicate()[0]}"
                assert time.monotonic() < deadline, "dxgraph serve did not start"
                time.sleep(0.1)
        yield output
    finally:
        process.terminate()
        try:
            output.append(process.communicate(timeout=10)[0])
        except subprocess.TimeoutExpired:
            process.kill()
            output.append(process.communicate()[0])


def test_serve_refuses_a_non_loopback_address_without_auth_with_exit_code_2(dx_url: str) -> None:
    port = free_port()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "gql",
            "serve",
            "--host",
            "0.0.0.0",
            "--port",
            str(port),
            "--dx-endpoint",
            dx_url,
        ],
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert "refusing to serve on 0.0.0.0 with no authentication configured" in result.stderr
    assert "--insecure" in result.stderr
    assert "DXGRAPH_API_KEYS" in result.stderr


def test_serve_with_insecure_starts_open_on_a_non_loopback_address_and_warns(
    dx_url: str,
) -> None:
    port = free_port()
    args = ("--host", "0.0.0.0", "--dx-endpoint", dx_url, "--insecure")
    process = serve(port, *args, env=clean_env())
    with running(process, port) as output:
        body = httpx.post(
            f"http://127.0.0.1:{port}/graphql", json={"query": "{ regions }"}, timeout=10
        )
        assert body.status_code == 200
    assert "the gateway is OPEN" in output[0]
    assert "INSECURE: listening on 0.0.0.0" in output[0]


def test_dxgraph_insecure_in_the_environment_allows_an_open_non_loopback_address(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert startup_refusal(Settings(host="0.0.0.0")) is not None
    monkeypatch.setenv("DXGRAPH_INSECURE", "true")
    assert startup_refusal(Settings(host="0.0.0.0")) is None


def test_serve_on_loopback_without_auth_starts_and_warns_that_the_gateway_is_open(
    dx_url: str,
) -> None:
    port = free_port()
    process = serve(port, "--host", "127.0.0.1", "--dx-endpoint", dx_url, env=clean_env())
    with running(process, port) as output:
        pass
    assert "the gateway is OPEN" in output[0]
    assert "demo mode" in output[0]


def test_serve_on_a_non_loopback_address_starts_when_api_keys_are_configured(
    dx_url: str,
) -> None:
    api_key = "ak_" + secrets.token_urlsafe(24)
    keys = json.dumps([{"name": "ops", "sha256": api_key_digest(api_key), "scopes": ["read"]}])
    port = free_port()
    env = clean_env(DXGRAPH_API_KEYS=keys)
    process = serve(port, "--host", "0.0.0.0", "--dx-endpoint", dx_url, env=env)
    with running(process, port) as output:
        url = f"http://127.0.0.1:{port}/graphql"
        anonymous = httpx.post(url, json={"query": "{ regions }"}, timeout=10)
        assert anonymous.status_code == 401
        allowed = httpx.post(
            url, json={"query": "{ regions }"}, headers={"X-API-Key": api_key}, timeout=10
        )
        assert allowed.status_code == 200
        assert allowed.json()["data"]["regions"] == ["us-east-1", "us-west-2"]
    assert "OPEN" not in output[0]
    assert api_key not in output[0]


@pytest.mark.parametrize(
    ("host", "refused"),
    [
        ("127.0.0.1", False),
        ("127.0.0.53", False),
        ("localhost", False),
        ("::1", False),
        ("0.0.0.0", True),
        ("::", True),
        ("10.1.2.3", True),
        ("gateway.internal", True),
    ],
)
def test_only_loopback_addresses_may_run_open(host: str, refused: bool) -> None:
    settings = Settings(host=host)
    assert (startup_refusal(settings) is not None) is refused
    assert startup_refusal(settings.model_copy(update={"insecure": True})) is None
    digest = api_key_digest("k")
    keyed = settings.model_copy(update={"api_keys": [ApiKey(name="k", sha256=digest)]})
    assert startup_refusal(keyed) is None

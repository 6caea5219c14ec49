"""Gateway fixtures: the real gateway on an ephemeral port, over the session's dxsim."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from gql.http.server import GatewayServer
from gql.settings import Settings

REGIONS = ["us-east-1", "us-west-2"]


@pytest.fixture
def gateway_settings(dx_url: str) -> Settings:
    """Endpoint mode against the session simulator, a private cache namespace per test."""
    return Settings(
        upstream="endpoint",
        dx_endpoint=dx_url,
        regions=REGIONS,
        cache_namespace=f"test-{uuid.uuid4().hex[:12]}",
        max_attempts=1,
    )


@pytest.fixture
def gateway(gateway_settings: Settings) -> Iterator[GatewayServer]:
    with GatewayServer(gateway_settings) as server:
        yield server


Gql = Callable[..., dict[str, Any]]


def post(url: str, query: str, variables: dict[str, Any] | None = None, **headers: str) -> Any:
    response = httpx.post(
        f"{url}/graphql",
        json={"query": query, "variables": variables or {}},
        headers=headers,
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture
def gql(gateway: GatewayServer) -> Gql:
    """`gql(query, **variables)` → `data`, asserting the response has no errors."""

    def run(query: str, **variables: Any) -> dict[str, Any]:
        body = post(gateway.url, query, variables)
        assert "errors" not in body, body["errors"]
        data: dict[str, Any] = body["data"]
        return data

    return run


@pytest.fixture
def calls(control: httpx.Client) -> Callable[[], dict[str, int]]:
    """Zeroes the simulator's call counter and returns a reader of per-operation counts."""
    control.delete("/calls").raise_for_status()

    def read() -> dict[str, int]:
        counts: dict[str, int] = control.get("/calls").json()["operations"]
        return counts

    return read

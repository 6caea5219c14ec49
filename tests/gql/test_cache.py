"""The shared cache seen through the gateway: replicas share Redis, callers can ask for fresh data,
concurrent identical reads reach Direct Connect once."""

from __future__ import annotations

import concurrent.futures
import time
from collections.abc import Callable
from typing import Any

import httpx

from gql.http.server import GatewayServer
from gql.settings import Settings
from tests.gql.conftest import post

QUERY = "{ connections { connectionId } lags { lagId } }"


def test_two_replicas_sharing_redis_make_the_upstream_calls_once(
    gateway_settings: Settings, redis_url: str, dx: Any, calls: Callable[[], dict[str, int]]
) -> None:
    dx.create_connection(location="EqDC2", bandwidth="1Gbps", connectionName="c")
    settings = gateway_settings.model_copy(
        update={"cache_backend": "redis", "redis_url": redis_url}
    )
    with GatewayServer(settings) as first, GatewayServer(settings) as second:
        before = calls()
        one = post(first.url, QUERY)
        after_first = calls()
        two = post(second.url, QUERY)
        assert one["data"] == two["data"]
        assert calls() == after_first
    assert after_first.get("DescribeConnections", 0) - before.get("DescribeConnections", 0) == 2


def test_fresh_requests_bypass_the_cache_and_refresh_it(
    gateway: GatewayServer, dx: Any, calls: Callable[[], dict[str, int]]
) -> None:
    post(gateway.url, QUERY)
    conn = dx.create_connection(location="EqDC2", bandwidth="1Gbps", connectionName="late")
    stale = post(gateway.url, QUERY)
    assert conn["connectionId"] not in str(stale)
    before = calls()["DescribeConnections"]
    fresh = post(gateway.url, QUERY, **{"Cache-Control": "no-cache"})
    assert conn["connectionId"] in str(fresh)
    assert calls()["DescribeConnections"] == before + 2
    assert post(gateway.url, QUERY)["data"] == fresh["data"]


def test_concurrent_identical_queries_reach_direct_connect_once(
    gateway: GatewayServer, control: httpx.Client, calls: Callable[[], dict[str, int]]
) -> None:
    control.put("/faults", json={"latencyMs": 300})
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        bodies = list(pool.map(lambda _: post(gateway.url, QUERY), range(8)))
    assert all(body["data"] == bodies[0]["data"] for body in bodies)
    assert calls() == {"DescribeConnections": 2, "DescribeLags": 2}


def test_cached_data_expires_after_the_ttl(
    gateway_settings: Settings, calls: Callable[[], dict[str, int]]
) -> None:
    settings = gateway_settings.model_copy(update={"cache_ttl_seconds": 0.5})
    with GatewayServer(settings) as gateway:
        post(gateway.url, QUERY)
        post(gateway.url, QUERY)
        assert calls()["DescribeConnections"] == 2
        time.sleep(0.7)
        post(gateway.url, QUERY)
        assert calls()["DescribeConnections"] == 4

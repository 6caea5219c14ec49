"""ResponseCache on both backends (memory, real Redis): TTL, single flight, fresh, invalidation."""

from __future__ import annotations

import asyncio
import socket
import threading
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import pytest
import redis

from resolvers.aws.errors import ErrorCode, UpstreamError
from resolvers.data.cache import ResponseCache

SCOPE = "123456789012"
REGION = "us-east-1"


@pytest.fixture
def namespace() -> str:
    """A namespace no other test (or concurrent run) uses."""
    return f"dxgraph-test-{uuid.uuid4().hex[:12]}"


def drop_namespace(url: str, namespace: str) -> None:
    """Test clean-up only: the cache itself never scans keys."""
    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(match=f"{namespace}:*"))
    if keys:
        client.delete(*keys)


MakeCache = Callable[..., ResponseCache]


@pytest.fixture(params=["memory", "redis"])
async def make_cache(request: pytest.FixtureRequest, namespace: str) -> AsyncIterator[MakeCache]:
    """`make_cache(**options)` on the parametrised backend, sharing the test's namespace."""
    backend = request.param
    url = request.getfixturevalue("redis_url") if backend == "redis" else "redis://unused/0"
    made: list[ResponseCache] = []

    def make(**options: Any) -> ResponseCache:
        cache = ResponseCache(backend, namespace=namespace, redis_url=url, **options)
        made.append(cache)
        return cache

    yield make
    for cache in made:
        await cache.close()
    if backend == "redis":
        drop_namespace(url, namespace)


@pytest.fixture
async def redis_cache(redis_url: str, namespace: str) -> AsyncIterator[MakeCache]:
    """`redis_cache(**options)`: Redis-backed caches sharing one namespace (two replicas)."""
    made: list[ResponseCache] = []

    def make(**options: Any) -> ResponseCache:
        cache = ResponseCache("redis", namespace=namespace, redis_url=redis_url, **options)
        made.append(cache)
        return cache

    yield make
    for cache in made:
        await cache.close()
    drop_namespace(redis_url, namespace)


class Upstream:
    """A fetch function that counts its calls; optionally held until `release()`, or failing.

    Held fetches let a test line callers up behind a fetch in flight by waiting for states
    (calls made, callers joined), never for a length of time.
    """

    def __init__(self, held: bool = False, error: Exception | None = None) -> None:
        self.error = error
        self.calls = 0
        self._released = asyncio.Event()
        if not held:
            self._released.set()

    def release(self) -> None:
        self._released.set()

    def fetch(self, value: Any = None) -> Callable[[], Awaitable[dict[str, Any]]]:
        async def run() -> dict[str, Any]:
            self.calls += 1
            call = self.calls
            await self._released.wait()
            if self.error is not None:
                raise self.error
            return {"call": call, "value": value}

        return run


async def until(condition: Callable[[], bool]) -> None:
    """Returns once `condition()` holds (the other tasks run meanwhile)."""
    while not condition():
        await asyncio.sleep(0.001)


async def read(
    cache: ResponseCache,
    upstream: Upstream,
    *,
    region: str = REGION,
    scope: str = SCOPE,
    params: dict[str, Any] | None = None,
    fresh: bool = False,
) -> dict[str, Any]:
    return await cache.get_or_fetch(
        scope,
        region,
        "describe_connections",
        params or {},
        upstream.fetch(),
        fresh=fresh,
    )


async def test_second_read_within_ttl_is_a_hit_and_a_private_copy(make_cache: MakeCache) -> None:
    cache, upstream = make_cache(), Upstream()
    first = await read(cache, upstream)
    first["value"] = "mutated by a caller"
    second = await read(cache, upstream)
    assert second == {"call": 1, "value": None}
    assert upstream.calls == 1
    assert (cache.stats["hits"], cache.stats["misses"]) == (1, 1)


async def test_entries_expire_after_the_ttl(make_cache: MakeCache) -> None:
    cache, upstream = make_cache(ttl_seconds=0.3), Upstream()
    await read(cache, upstream)
    await asyncio.sleep(0.45)
    assert (await read(cache, upstream))["call"] == 2


async def test_parameters_are_part_of_the_key_whatever_their_order(
    make_cache: MakeCache,
) -> None:
    cache, upstream = make_cache(), Upstream()
    await read(cache, upstream, params={"connectionId": "dxcon-1", "maxResults": 5})
    await read(cache, upstream, params={"maxResults": 5, "connectionId": "dxcon-1"})
    await read(cache, upstream, params={"connectionId": "dxcon-2", "maxResults": 5})
    await read(cache, upstream, scope="210987654321")
    await read(cache, upstream, region="us-west-2")
    assert upstream.calls == 4


async def test_concurrent_identical_reads_fetch_once(make_cache: MakeCache) -> None:
    cache, upstream = make_cache(), Upstream(held=True)
    readers = [asyncio.create_task(read(cache, upstream)) for _ in range(10)]
    await until(lambda: cache.stats["joins"] == 9)
    upstream.release()
    results = await asyncio.gather(*readers)
    assert upstream.calls == 1
    assert results == [{"call": 1, "value": None}] * 10
    assert (cache.stats["misses"], cache.stats["joins"]) == (1, 9)


async def test_cancelling_the_first_caller_does_not_cancel_the_fetch(
    make_cache: MakeCache,
) -> None:
    cache, upstream = make_cache(), Upstream(held=True)
    first = asyncio.create_task(read(cache, upstream))
    await until(lambda: upstream.calls == 1)
    second = asyncio.create_task(read(cache, upstream))
    await until(lambda: cache.stats["joins"] == 1)
    first.cancel()
    await asyncio.gather(first, return_exceptions=True)
    upstream.release()
    assert await second == {"call": 1, "value": None}
    assert first.cancelled()
    assert (await read(cache, upstream))["call"] == 1
    assert upstream.calls == 1


async def test_a_failure_reaches_every_waiter_and_is_not_cached(make_cache: MakeCache) -> None:
    cache = make_cache()
    failing = Upstream(held=True, error=UpstreamError("boom", code=ErrorCode.THROTTLED))
    readers = [asyncio.create_task(read(cache, failing)) for _ in range(5)]
    await until(lambda: cache.stats["joins"] == 4)
    failing.release()
    results = await asyncio.gather(*readers, return_exceptions=True)
    assert failing.calls == 1
    assert all(isinstance(r, UpstreamError) and r.code is ErrorCode.THROTTLED for r in results)
    healthy = Upstream()
    assert await read(cache, healthy) == {"call": 1, "value": None}
    assert healthy.calls == 1


async def test_fresh_bypasses_the_cached_value_and_stores_the_new_one(
    make_cache: MakeCache,
) -> None:
    cache, upstream = make_cache(), Upstream()
    await read(cache, upstream)
    assert (await read(cache, upstream, fresh=True))["call"] == 2
    assert (await read(cache, upstream))["call"] == 2
    assert upstream.calls == 2
    assert cache.stats["fresh"] == 1


async def test_fresh_reads_do_not_join_a_stale_fetch_but_join_each_other(
    make_cache: MakeCache,
) -> None:
    cache, upstream = make_cache(), Upstream(held=True)
    normal = asyncio.create_task(read(cache, upstream))
    await until(lambda: upstream.calls == 1)
    readers = [asyncio.create_task(read(cache, upstream, fresh=True)) for _ in range(3)]
    await until(lambda: upstream.calls == 2 and cache.stats["joins"] == 2)
    upstream.release()
    fresh = await asyncio.gather(*readers)
    assert (await normal)["call"] == 1
    assert fresh == [{"call": 2, "value": None}] * 3
    assert upstream.calls == 2


async def test_invalidate_drops_one_scope_and_region_only(make_cache: MakeCache) -> None:
    cache, upstream = make_cache(), Upstream()
    await read(cache, upstream)
    await read(cache, upstream, region="global")
    await read(cache, upstream, scope="210987654321")
    await cache.invalidate(SCOPE, REGION)
    assert (await read(cache, upstream))["call"] == 4
    assert (await read(cache, upstream, region="global"))["call"] == 2
    assert (await read(cache, upstream, scope="210987654321"))["call"] == 3
    await cache.invalidate(SCOPE, "global")
    assert (await read(cache, upstream, region="global"))["call"] == 5


async def test_a_fetch_in_flight_during_invalidation_is_not_served_after_it(
    make_cache: MakeCache,
) -> None:
    cache, upstream = make_cache(), Upstream(held=True)
    before = asyncio.create_task(read(cache, upstream))
    await until(lambda: upstream.calls == 1)
    await cache.invalidate(SCOPE, REGION)
    after = asyncio.create_task(read(cache, upstream))
    await until(lambda: upstream.calls == 2)
    upstream.release()
    assert (await after)["call"] == 2
    assert (await before)["call"] == 1
    assert (await read(cache, upstream))["call"] == 2


async def test_datetimes_and_bytes_survive_the_cache(make_cache: MakeCache) -> None:
    cache = make_cache()
    value = {"loaIssueTime": datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC), "loaContent": b"%PDF-1.4"}

    async def fetch() -> dict[str, Any]:
        return {"loa": value}

    first = await cache.get_or_fetch(SCOPE, REGION, "describe_loa", {}, fetch)
    second = await cache.get_or_fetch(SCOPE, REGION, "describe_loa", {}, fetch)
    assert first == second == {"loa": value}
    assert cache.stats["hits"] == 1


async def test_replicas_sharing_redis_share_entries_and_invalidation_without_scans(
    redis_cache: MakeCache, redis_url: str, namespace: str
) -> None:
    replica_a, replica_b, upstream = redis_cache(), redis_cache(), Upstream()
    with MonitoredRedis(redis_url, namespace) as monitor:
        await read(replica_a, upstream)
        assert (await read(replica_b, upstream))["call"] == 1
        await replica_a.invalidate(SCOPE, REGION)
        assert (await read(replica_b, upstream))["call"] == 2
        assert (await read(replica_a, upstream))["call"] == 2
    assert upstream.calls == 2
    commands = monitor.commands
    assert {"KEYS", "SCAN", "FLUSHDB", "FLUSHALL"}.isdisjoint(c[0] for c in commands), commands
    assert ("INCRBY", f"{namespace}:gen:{SCOPE}:{REGION}", "1") in commands


async def test_an_unreachable_redis_never_fails_a_read(namespace: str) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    cache = ResponseCache("redis", namespace=namespace, redis_url=f"redis://127.0.0.1:{port}/0")
    upstream = Upstream(held=True)
    try:
        readers = [asyncio.create_task(read(cache, upstream)) for _ in range(5)]
        await until(lambda: cache.stats["joins"] == 4)
        upstream.release()
        results = await asyncio.gather(*readers)
        await cache.invalidate(SCOPE, REGION)
        assert results == [{"call": 1, "value": None}] * 5
        assert (await read(cache, upstream))["call"] == 2
        assert cache.stats["errors"] >= 2
    finally:
        await cache.close()


def test_a_ttl_of_zero_is_refused() -> None:
    with pytest.raises(ValueError, match="ttl_seconds"):
        ResponseCache(ttl_seconds=0)


class MonitoredRedis:
    """Records, through Redis MONITOR, every command that mentions `namespace`.

    Filtering by our unique namespace keeps commands of concurrent test runs out of the record.
    """

    def __init__(self, url: str, namespace: str) -> None:
        self.url = url
        self.namespace = namespace
        self.commands: list[tuple[str, ...]] = []
        self._stop = f"{namespace}:monitor-stop"
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._ready = threading.Event()

    def __enter__(self) -> MonitoredRedis:
        self._thread.start()
        assert self._ready.wait(5), "MONITOR did not start"
        return self

    def __exit__(self, *exc: object) -> None:
        redis.Redis.from_url(self.url).echo(self._stop)
        self._thread.join(5)

    def _run(self) -> None:
        with redis.Redis.from_url(self.url).monitor() as monitor:  # type: ignore[no-untyped-call]
            self._ready.set()
            while True:
                command = monitor.next_command()["command"]
                if self._stop in command:
                    return
                if self.namespace in command:
                    words = tuple(command.split(" "))
                    self.commands.append((words[0].upper(), *words[1:]))


async def test_more_concurrent_redis_operations_than_pooled_connections_wait_for_one(
    redis_cache: MakeCache,
) -> None:
    """Under load a replica can have hundreds of cache operations in flight; they queue for a
    pooled connection instead of failing (idempotency keys refused, reads served uncached).
    A generous backend timeout: opening the pool's connections at once is slow on a busy machine."""
    cache = redis_cache(backend_timeout=10.0)
    claims = await asyncio.gather(
        *(cache.claim(f"key-{n}", {"state": "pending"}, 60) for n in range(400))
    )
    assert all(claims)
    assert cache.stats["errors"] == 0
    records = await asyncio.gather(*(cache.record(f"key-{n}") for n in range(400)))
    assert all(record == {"state": "pending"} for record in records)

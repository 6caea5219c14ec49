"""`ResponseCache`: Direct Connect responses cached in memory or Redis, single-flight, generations.

The only module that imports aiocache (0.12, its last release). Never call aiocache's `clear()`:
it scans keys. Invalidation instead bumps a generation counter that is part of every key, so old
entries are simply never read again and expire on their TTL.
"""

from __future__ import annotations

import asyncio
import base64
import contextvars
import hashlib
import json
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import unquote, urlsplit

import orjson
from aiocache import RedisCache, SimpleMemoryCache  # type: ignore[import-untyped]
from aiocache.serializers import NullSerializer, StringSerializer  # type: ignore[import-untyped]
from redis.asyncio import BlockingConnectionPool

if TYPE_CHECKING:
    from gql.settings import Settings

__all__ = ["ResponseCache"]

logger = logging.getLogger(__name__)

Fetch = Callable[[], Awaitable[dict[str, Any]]]

REDIS_CONNECTIONS = 64
"""Connections per replica to Redis; more operations than this wait for one."""

# A backend failure is logged at most this often; the rest go to DEBUG (Redis down = every request).
_WARN_EVERY_SECONDS = 30.0


def _encode_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, bytes | bytearray):
        return {"$b64": base64.b64encode(value).decode("ascii")}
    raise TypeError(f"cannot cache a {type(value).__name__}")


def _decode_object(obj: dict[str, Any]) -> Any:
    if len(obj) == 1:
        if "$dt" in obj:
            return datetime.fromisoformat(obj["$dt"])
        if "$b64" in obj:
            return base64.b64decode(obj["$b64"])
    return obj


def dumps(value: dict[str, Any]) -> str:
    """JSON for a boto3 response; datetimes (`loaIssueTime`) and blobs (`loaContent`) survive.

    orjson writes it (a 1,000-VIF list: ~2 ms instead of ~15 with `json`); what orjson refuses
    (integers beyond 64 bits) is written by `json`, which reads both back the same."""
    try:
        return orjson.dumps(
            value, default=_encode_value, option=orjson.OPT_PASSTHROUGH_DATETIME
        ).decode()
    except orjson.JSONEncodeError:
        return json.dumps(value, default=_encode_value, separators=(",", ":"))


def loads(text: str) -> dict[str, Any]:
    """The inverse of `dumps`: a new object on every call, so callers may mutate it.

    orjson reads what holds no datetime or blob (nearly every list; ~3x faster than `json`);
    the rest goes through `json` with the hook that restores them."""
    if '"$dt"' not in text and '"$b64"' not in text:
        try:
            plain: dict[str, Any] = orjson.loads(text)
        except orjson.JSONDecodeError:
            pass
        else:
            return plain
    result: dict[str, Any] = json.loads(text, object_hook=_decode_object)
    return result


def params_hash(params: Mapping[str, Any]) -> str:
    """A stable digest of call parameters: equal for equal mappings whatever the key order."""
    canonical = json.dumps(params, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()[:32]


def _detached(call: Any) -> Any:
    """Runs a backend call in an empty contextvars context. The memory backend's TTL timers
    (`loop.call_later`) keep the context they were created in; a request's context reaches the
    whole request (loaders, data), which would then live as long as the timer: 24 h for an
    idempotency record."""
    return asyncio.get_running_loop().create_task(call, context=contextvars.Context())


class _Flight:
    """One fetch in progress, shared by every caller that asks for the same key meanwhile.

    The response itself (`original`) goes to the first caller that takes it, which spares one
    decoding of the response just encoded for the cache; every other caller decodes its own copy.
    """

    __slots__ = ("fresh", "original", "task")

    def __init__(self, fresh: bool) -> None:
        self.fresh = fresh
        self.original: dict[str, Any] | None = None
        self.task: asyncio.Task[str]

    def take(self, encoded: str) -> dict[str, Any]:
        original, self.original = self.original, None
        return original if original is not None else loads(encoded)


class RecordStoreUnavailable(Exception):
    """The cache backend cannot keep a record that correctness depends on."""


class ResponseCache:
    """Caches upstream responses per account, region, generation, operation and parameters.

    * **Single flight**: identical calls in progress at the same moment in this process run
      `fetch` once; the fetch runs in its own task, so one caller being cancelled affects no one
      else. A failed fetch raises in every waiting caller and is not cached.
    * **Invalidation** bumps the generation of (scope, region) with an atomic INCR; with Redis all
      replicas see it on their next read, with no key scan.
    * **Cache failures never fail a request**: if the backend is unreachable, calls fetch
      directly (still single-flight) and a warning is logged.

    Values are stored as JSON; every caller gets its own copy (datetimes and bytes preserved).
    Create it inside the running event loop that uses it (Redis connections bind to the loop)
    and `await close()` on shutdown.

    Args:
        backend: `memory` (this process only) or `redis` (shared).
        ttl_seconds: lifetime of a cached response; must be > 0.
        namespace: prefix of every key.
        redis_url: for `redis`: `redis[s]://[user:password@]host:port/db`.
        backend_timeout: seconds a backend operation may take before it counts as failed.

    Attributes:
        stats: `hits`, `misses` (fetches started), `joins` (callers that joined a fetch in
            flight), `fresh` (reads that bypassed the cache), `errors` (backend failures).
    """

    def __init__(
        self,
        backend: Literal["memory", "redis"] = "memory",
        *,
        ttl_seconds: float = 30.0,
        namespace: str = "dxgraph",
        redis_url: str = "redis://127.0.0.1:6379/0",
        backend_timeout: float = 1.0,
    ) -> None:
        if ttl_seconds <= 0:
            # aiocache treats a TTL of 0 as "never expires".
            raise ValueError("ttl_seconds must be > 0")
        self.backend = backend
        self.ttl = float(ttl_seconds)
        self.namespace = namespace
        self._store: Any = (
            self._redis(redis_url, backend_timeout)
            if backend == "redis"
            # No timeout: nothing in memory can hang, and aiocache's timeout wraps every call in
            # a task, so each read would wait for its turn on a busy event loop.
            else SimpleMemoryCache(serializer=NullSerializer(), timeout=None)
        )
        self._flights: dict[str, _Flight] = {}
        self._last_warning = -_WARN_EVERY_SECONDS
        self.stats: dict[str, int] = {"hits": 0, "misses": 0, "joins": 0, "fresh": 0, "errors": 0}

    @classmethod
    def from_settings(cls, settings: Settings) -> ResponseCache:
        """Builds the cache from `gql.settings.Settings` (`cache_*` and `redis_url`)."""
        return cls(
            settings.cache_backend,
            ttl_seconds=settings.cache_ttl_seconds,
            namespace=settings.cache_namespace,
            redis_url=settings.redis_url,
        )

    @staticmethod
    def _redis(url: str, timeout: float) -> Any:
        parts = urlsplit(url)
        db = parts.path.lstrip("/") or "0"
        pool_kwargs = {"username": unquote(parts.username)} if parts.username else {}
        # A blocking pool: operations beyond its connections wait (up to `timeout`) for one
        # instead of failing with "Too many connections" — under load a replica has hundreds of
        # cache operations in flight, and a failed record store refuses an idempotent mutation.
        return RedisCache(
            serializer=StringSerializer(),
            endpoint=parts.hostname or "127.0.0.1",
            port=parts.port or 6379,
            db=int(db),
            password=unquote(parts.password) if parts.password else None,
            ssl=parts.scheme == "rediss",
            create_connection_timeout=timeout,
            pool_max_size=REDIS_CONNECTIONS,
            connection_pool_class=BlockingConnectionPool,
            connection_pool_kwargs={**pool_kwargs, "timeout": timeout},
            timeout=timeout,
        )

    async def get_or_fetch(
        self,
        scope: str,
        region: str,
        operation: str,
        params: Mapping[str, Any],
        fetch: Fetch,
        *,
        fresh: bool = False,
    ) -> dict[str, Any]:
        """The cached response for this call, or `fetch()`'s (stored for `ttl_seconds`).

        Args:
            scope: whose data it is (`DirectConnectClient.identity`); never share across accounts.
            region: the region, or "global" for Direct Connect gateways.
            operation: the boto3 operation name; any label that identifies the call works.
            params: the call's parameters (JSON-serialisable); part of the key.
            fetch: makes the call; called only on a miss, at once (before this awaits anything
                more), so a fetch that starts its work when called is on its way immediately.
            fresh: skip the cached value and fetch now, then store the result for later
                readers. Joins only a fetch in flight that was itself fresh.

        Returns:
            A new dict for every caller.

        Raises:
            Whatever `fetch` raises (to every caller waiting on it); backend errors never.
        """
        generation = await self._generation(scope, region)
        key = self._key(scope, region, generation, operation, params)
        if fresh:
            self.stats["fresh"] += 1
        elif generation is not None:
            cached = await self._backend("get", key)
            if cached is not None:
                self.stats["hits"] += 1
                return loads(cached)
        flight = self._flights.get(key)
        if flight is not None and (flight.fresh or not fresh):
            self.stats["joins"] += 1
        else:
            self.stats["misses"] += 1
            store = key if generation is not None else None
            # Called here, not in the task: a fetch that starts its call when called (e.g.
            # `DirectConnectClient.start`) is on its way before the task's first step runs.
            started = fetch()
            flight = _Flight(fresh)
            flight.task = asyncio.create_task(
                self._store_when_done(started, store, flight), name=f"fetch {key}"
            )
            self._flights[key] = flight
            flight.task.add_done_callback(lambda done: self._landed(key, flight, done))
        return flight.take(await asyncio.shield(flight.task))

    async def invalidate(self, scope: str, region: str) -> None:
        """Makes every cached response of (scope, region) unreachable, here and on all replicas.

        Call it after a write. Fetches still in flight complete under the old generation, so
        their (possibly stale) results are never served afterwards. If the backend is down the
        failure is logged and cached entries may live out their TTL.
        """
        await self._backend("increment", self._generation_key(scope, region))

    async def close(self) -> None:
        """Closes backend connections; fetches in flight still complete for their callers."""
        if self.backend == "redis":
            # aiocache 0.12's close() calls redis' deprecated close(); aclose() is the same.
            await self._store.client.aclose()
        else:
            await self._store.close()

    # -- internals ---------------------------------------------------------------------------
    def _key(
        self,
        scope: str,
        region: str,
        generation: int | None,
        operation: str,
        params: Mapping[str, Any],
    ) -> str:
        gen = "g?" if generation is None else f"g{generation}"
        return f"{self.namespace}:{scope}:{region}:{gen}:{operation}:{params_hash(params)}"

    def _generation_key(self, scope: str, region: str) -> str:
        return f"{self.namespace}:gen:{scope}:{region}"

    async def _generation(self, scope: str, region: str) -> int | None:
        """The current generation (0 before the first invalidation); None if the backend failed.

        Without a generation, neither read nor store: a guessed one could serve stale data.
        """
        raw = await self._backend("get", self._generation_key(scope, region), default=0)
        if raw is None:
            return None
        return int(raw)

    async def _store_when_done(
        self, fetching: Awaitable[dict[str, Any]], key: str | None, flight: _Flight
    ) -> str:
        response = await fetching
        encoded = dumps(response)
        flight.original = response
        if key is not None:
            # Stored before the flight lands, so a caller arriving next finds it in the cache.
            await self._backend("set", key, encoded, ttl=self.ttl)
        return encoded

    # -- small records (idempotency keys) -----------------------------------------------------
    async def claim(self, key: str, value: dict[str, Any], ttl_seconds: float) -> bool:
        """Stores `value` under `key` only if the key is free (atomic: SET NX on Redis).

        Returns False when the key already exists. Raises `RecordStoreUnavailable` when the
        backend fails: a caller relying on the claim must not go ahead without it.
        """
        try:
            await _detached(self._store.add(self._record_key(key), dumps(value), ttl=ttl_seconds))
        except ValueError:
            return False
        except Exception as err:
            raise RecordStoreUnavailable(f"{self.backend} is unavailable: {err}") from None
        return True

    async def record(self, key: str) -> dict[str, Any] | None:
        """The record under `key`, or None."""
        try:
            text = await self._store.get(self._record_key(key))
        except Exception as err:
            raise RecordStoreUnavailable(f"{self.backend} is unavailable: {err}") from None
        return None if text is None else loads(text)

    async def put_record(self, key: str, value: dict[str, Any], ttl_seconds: float) -> None:
        """Overwrites the record under `key`."""
        try:
            await _detached(self._store.set(self._record_key(key), dumps(value), ttl=ttl_seconds))
        except Exception as err:
            raise RecordStoreUnavailable(f"{self.backend} is unavailable: {err}") from None

    async def drop_record(self, key: str) -> None:
        try:
            await self._store.delete(self._record_key(key))
        except Exception as err:
            raise RecordStoreUnavailable(f"{self.backend} is unavailable: {err}") from None

    def _record_key(self, key: str) -> str:
        return f"{self.namespace}:record:{key}"

    def _landed(self, key: str, flight: _Flight, task: asyncio.Task[str]) -> None:
        if self._flights.get(key) is flight:
            del self._flights[key]
        if not task.cancelled():
            task.exception()  # retrieved: no "never retrieved" warning when no caller waited

    async def _backend(self, method: str, *args: Any, default: Any = None, **kwargs: Any) -> Any:
        """One aiocache call; on failure logs (rate-limited), counts, and returns None."""
        try:
            call = getattr(self._store, method)(*args, **kwargs)
            result = await (_detached(call) if method == "set" else call)
        except Exception as err:
            self.stats["errors"] += 1
            now = time.monotonic()
            if now - self._last_warning >= _WARN_EVERY_SECONDS:
                self._last_warning = now
                logger.warning(
                    "response cache (%s) failed, serving uncached: %s: %s",
                    self.backend,
                    type(err).__name__,
                    err,
                )
            else:
                logger.debug("response cache (%s) failed: %r", self.backend, err)
            return None
        return default if result is None else result

"""`RateLimit`: a token bucket per caller (Lua on Redis across replicas, in memory otherwise);
429 `RATE_LIMITED` with `Retry-After` when it is empty."""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import FastAPI
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from gql.http.auth import principal_of
from gql.http.body_size import UNLIMITED_PATHS, BodySizeLimit, send_refusal
from gql.settings import Settings
from resolvers.context import OPEN

logger = logging.getLogger("dxgraph.limits")

RATE_LIMITED = "RATE_LIMITED"


class MemoryBuckets:
    """Token buckets in this process: `burst` tokens, refilled at `rate` per second."""

    KEPT = 10_000

    def __init__(self, rate: float, burst: int) -> None:
        self.rate = rate
        self.burst = float(burst)
        self._buckets: dict[str, tuple[float, float]] = {}

    def take(self, caller: str) -> float:
        """Takes a token: 0 if granted, else the seconds until one is available."""
        now = time.monotonic()
        tokens, stamp = self._buckets.get(caller, (self.burst, now))
        tokens = min(self.burst, tokens + (now - stamp) * self.rate)
        if tokens >= 1:
            self._buckets[caller] = (tokens - 1, now)
            wait = 0.0
        else:
            self._buckets[caller] = (tokens, now)
            wait = (1 - tokens) / self.rate
        if len(self._buckets) > self.KEPT:
            self._forget_full(now)
        return wait

    async def acquire(self, caller: str) -> float:
        return self.take(caller)

    def _forget_full(self, now: float) -> None:
        """Drops buckets that have refilled: forgetting them changes nothing."""
        full = [
            caller
            for caller, (tokens, stamp) in self._buckets.items()
            if tokens + (now - stamp) * self.rate >= self.burst
        ]
        for caller in full:
            del self._buckets[caller]


# KEYS[1]: the bucket; ARGV: rate (tokens/s), burst. Redis' own clock, so every replica agrees.
TOKEN_BUCKET_LUA = """
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local now_parts = redis.call('TIME')
local now = tonumber(now_parts[1]) + tonumber(now_parts[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'stamp')
local tokens = tonumber(state[1])
local stamp = tonumber(state[2])
if tokens == nil or stamp == nil then
  tokens = burst
  stamp = now
end
tokens = math.min(burst, tokens + math.max(0, now - stamp) * rate)
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
else
  wait = (1 - tokens) / rate
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'stamp', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 1000)
return tostring(wait)
"""

_WARN_EVERY_SECONDS = 30.0


class RedisBuckets:
    """Token buckets in Redis, shared by every replica using the same `cache_namespace`.

    While Redis fails, each replica limits on its own (`MemoryBuckets`), warns at most every
    30 s, and tries Redis again after `RETRY_SECONDS`. The connection is opened lazily, in the
    serving event loop.
    """

    RETRY_SECONDS = 5.0

    def __init__(self, url: str, namespace: str, rate: float, burst: int) -> None:
        self.url = url
        self.prefix = f"{namespace}:ratelimit:"
        self.rate = rate
        self.burst = burst
        self.fallback = MemoryBuckets(rate, burst)
        self._client: Any = None
        self._script: Any = None
        self._down_until = 0.0
        self._last_warning = -_WARN_EVERY_SECONDS

    async def acquire(self, caller: str) -> float:
        """Takes a token: 0 if granted, else the seconds until one is available."""
        now = time.monotonic()
        if now < self._down_until:
            return self.fallback.take(caller)
        try:
            if self._client is None:
                import redis.asyncio as redis_asyncio

                # Blocking: under load, requests wait for a pooled connection, not fail.
                pool = redis_asyncio.BlockingConnectionPool.from_url(
                    self.url,
                    max_connections=64,
                    timeout=1.0,
                    socket_timeout=1.0,
                    socket_connect_timeout=1.0,
                )
                self._client = redis_asyncio.Redis(connection_pool=pool)
                self._script = self._client.register_script(TOKEN_BUCKET_LUA)
            wait = await self._script(keys=[self.prefix + caller], args=[self.rate, self.burst])
            return float(wait)
        except Exception as err:  # Redis down: limit per replica rather than not at all
            self._down_until = now + self.RETRY_SECONDS
            if now - self._last_warning >= _WARN_EVERY_SECONDS:
                self._last_warning = now
                logger.warning(
                    "rate limiter: Redis failed (%s); limiting per replica for now",
                    type(err).__name__,
                )
            return self.fallback.take(caller)

    async def close(self) -> None:
        if self._client is not None:
            client, self._client = self._client, None
            await client.aclose()


class RateLimit:
    """ASGI middleware: one token per request and caller; 429 `RATE_LIMITED` with
    `Retry-After` (whole seconds, at least 1) when the caller's bucket is empty.

    The caller is the principal authentication identified (`gql.http.auth.principal_of`; the auth
    middleware runs first), else the client address. `UNLIMITED_PATHS` pass freely.
    """

    def __init__(
        self, app: ASGIApp, buckets: MemoryBuckets | RedisBuckets, per_minute: float, burst: int
    ) -> None:
        self.app = app
        self.buckets = buckets
        self.per_minute = per_minute
        self.burst = burst

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or _path(scope) in UNLIMITED_PATHS:
            await self.app(scope, receive, send)
            return
        caller = caller_of(scope)
        wait = await self.buckets.acquire(caller)
        if wait <= 0:
            await self.app(scope, receive, send)
            return
        retry_after = max(1, math.ceil(wait))
        logger.debug("rate limited %s (%s): retry after %d s", caller, _path(scope), retry_after)
        await send_refusal(
            send,
            429,
            RATE_LIMITED,
            f"Too many requests: {self.per_minute:g} per minute are allowed (bursts of "
            f"{self.burst}); retry in {retry_after} s.",
            [(b"retry-after", str(retry_after).encode())],
            retryAfter=retry_after,
        )


def _path(scope: Scope) -> str:
    path: str = scope.get("path", "/")
    root: str = scope.get("root_path", "")
    if root and path.startswith(root):
        path = path[len(root) :] or "/"
    return path


def caller_of(scope: Scope) -> str:
    """The rate-limit key of a request: `principal:<name>`, or `addr:<ip>` when anonymous."""
    principal = principal_of(Request(scope))
    if principal is not OPEN and principal.name != OPEN.name:
        return f"principal:{principal.name}"
    client = scope.get("client")
    return f"addr:{client[0] if client else 'unknown'}"


def install_limits(
    app: FastAPI, settings: Settings
) -> Callable[[], Coroutine[Any, Any, None]] | None:
    """Adds the HTTP-level limits (request body size, per-caller rate limit); returns what the
    app must await when it stops (the Redis buckets' connections), if anything.

    Call it before `install_auth`: middlewares added later run first, so the caller is
    authenticated before its bucket is chosen.
    """
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    if settings.rate_limit_per_minute <= 0:
        return None
    rate = settings.rate_limit_per_minute / 60.0
    buckets: MemoryBuckets | RedisBuckets
    closer = None
    if settings.cache_backend == "redis":
        redis_buckets = RedisBuckets(
            settings.redis_url, settings.cache_namespace, rate, settings.rate_limit_burst
        )
        buckets, closer = redis_buckets, redis_buckets.close
    else:
        buckets = MemoryBuckets(rate, settings.rate_limit_burst)
    app.add_middleware(
        RateLimit,
        buckets=buckets,
        per_minute=settings.rate_limit_per_minute,
        burst=settings.rate_limit_burst,
    )
    return closer

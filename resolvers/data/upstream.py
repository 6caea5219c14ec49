"""`Upstream`: what loaders and mutations call — the Direct Connect client behind the shared cache.

One per request: it carries the request's choice of fresh data (`fresh=True` bypasses cached reads
but still refreshes the cache) and the partial errors collected while resolving.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from resolvers.aws.client import GLOBAL, DirectConnectClient
from resolvers.aws.errors import UpstreamError
from resolvers.data.cache import ResponseCache

__all__ = ["GLOBAL", "Upstream"]

# Event-loop turns from a read being set off to its call starting: loader dispatch, batch task,
# gather, cache flight, paged read (see `Upstream.requests_sent`).
_TURNS_TO_START = 6


@dataclass
class Upstream:
    """Cached, single-flight reads and uncached writes for one request.

    Attributes:
        client: the only thing that talks to Direct Connect.
        cache: shared across requests (and replicas, with Redis).
        regions: the regions this gateway serves; the first carries global calls.
        fresh: bypass cached reads for this request.
        partial_errors: failures of one region or field that left the rest of the data intact.
        calls_made: Direct Connect calls this request actually started (cache misses and
            writes; reads served from the cache or joined to another request's call in flight
            are free). A paged read counts once, however many pages it took.
    """

    client: DirectConnectClient
    cache: ResponseCache
    regions: list[str]
    fresh: bool = False
    partial_errors: list[UpstreamError] = field(default_factory=list)
    calls_made: int = field(default=0, init=False)
    _unsent: int = field(default=0, init=False, repr=False)
    _unsent_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    @property
    def home_region(self) -> str:
        return self.regions[0]

    async def read(self, region: str, operation: str, **params: Any) -> dict[str, Any]:
        """One cached read (`region` may be `GLOBAL` for DX gateway calls)."""
        call_region = self.home_region if region == GLOBAL else region

        def fetch() -> Awaitable[dict[str, Any]]:
            self.calls_made += 1
            return self.client.start(call_region, operation, on_sent=self._sending(), **params)

        return await self.cache.get_or_fetch(
            self.client.identity, region, operation, params, fetch, fresh=self.fresh
        )

    def _sending(self) -> Callable[[], None]:
        """Counts one more request not yet sent; the returned `on_sent` counts it sent."""
        with self._unsent_lock:
            self._unsent += 1
        return self._sent

    def _sent(self) -> None:
        with self._unsent_lock:
            self._unsent -= 1

    async def requests_sent(self, within: float) -> None:
        """Returns once the requests of every read this request started have gone out, or
        after `within` seconds.

        Sending a request needs the GIL; while the event loop resolves an answer, each pool
        thread waits its turn for it, and the requests of a round trip leave one by one
        (a millisecond or more apart). Awaiting this first lets them all leave at once.
        """
        loop = asyncio.get_running_loop()
        give_up = loop.time() + within
        # Reads just set off (a loader's batch, a cache flight) reach their call within a few
        # turns of the event loop; then wait for the requests themselves.
        for _ in range(_TURNS_TO_START):
            await asyncio.sleep(0)
        while self._unsent > 0 and loop.time() < give_up:
            await asyncio.sleep(0.0005)

    async def read_all_pages(
        self, region: str, operation: str, result_key: str, **params: Any
    ) -> list[dict[str, Any]]:
        """Every page of a paginated read, cached as one entry."""
        call_region = self.home_region if region == GLOBAL else region

        async def fetch() -> dict[str, Any]:
            self.calls_made += 1
            items = await self.client.call_all_pages(
                call_region, operation, result_key, on_sent=self._sending(), **params
            )
            return {result_key: items}

        result = await self.cache.get_or_fetch(
            self.client.identity,
            region,
            f"{operation}:all",
            params,
            fetch,
            fresh=self.fresh,
        )
        items: list[dict[str, Any]] = result[result_key]
        return items

    async def write(self, region: str, operation: str, **params: Any) -> dict[str, Any]:
        """An uncached call (mutations); the caller invalidates what it touched."""
        call_region = self.home_region if region == GLOBAL else region
        self.calls_made += 1
        return await self.client.call(call_region, operation, **params)

    async def invalidate(self, region: str) -> None:
        await self.cache.invalidate(self.client.identity, region)

    def record(self, error: UpstreamError) -> None:
        """Keeps a failure that only part of the answer suffered, to report beside the data."""
        if all(error is not seen for seen in self.partial_errors):
            self.partial_errors.append(error)

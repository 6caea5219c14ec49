"""`Late`: an answer many fields share, completed together by the engine.

Defined with the data layer, which makes such answers (tags), so that it does not import the engine
that completes them (`gql.engine.execution.FastLeafExecutor`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Generator
from typing import Any


class Late:
    """A resolver's answer that one shared future will complete: `build(future.result())`.

    Many fields of one answer often wait for the same data (the tags of every resource come from
    one set of batches). Awaited one by one, each costs a coroutine, a task and a wake-up on the
    event loop; `FastLeafExecutor` instead resolves the rest of the answer, then completes all
    of them at once when their futures are done. `build` raises `Late.Unavailable` when the
    value is not there after all (e.g. that resource's batch failed): the operation is then
    executed again the standard way, where `fallback()` (the awaitable the resolver would have
    returned) answers with the proper error. Anywhere else a `Late` is simply awaited.
    """

    class Unavailable(Exception):
        """The shared data does not hold this field's value."""

    __slots__ = ("build", "fallback", "future")

    def __init__(
        self,
        future: asyncio.Future[Any],
        build: Callable[[Any], Any],
        fallback: Callable[[], Awaitable[Any]],
    ) -> None:
        self.future = future
        self.build = build
        self.fallback = fallback

    def __await__(self) -> Generator[Any, None, Any]:
        return self.fallback().__await__()

"""A deadline per GraphQL request: the gateway answers in time even when Direct Connect hangs.

Every request to `/graphql` gets `settings.request_timeout_seconds` from the moment it arrives:

* **Fields** (`DeadlineExtension`): a field whose resolver has not finished by the deadline is
  answered without it — `null` (a nullable field) or `[]` (a non-null list, like a region that
  failed) — with a `DEADLINE_EXCEEDED` error carrying its path; everything that finished is
  returned. Unfinished resolvers are not cancelled: an upstream call in flight completes (and
  fills the cache), and a mutation goes on to its end, so a retry with the same
  `Idempotency-Key` gets its result instead of repeating it.
* **Requests** (`gql.http.deadline.DeadlineMiddleware`): if no response has started shortly
  after the deadline
  (something outside the resolvers hung), the request is answered with HTTP 200 and a
  `DEADLINE_EXCEEDED` error, `data: null`. Never a hang, never a 5xx.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import inspect
import logging
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

from graphql import GraphQLError, GraphQLList, GraphQLNonNull, GraphQLResolveInfo, OperationType
from strawberry.extensions import SchemaExtension

from resolvers.aws.errors import ErrorCode, UpstreamError

__all__ = [
    "DEADLINE_EXCEEDED",
    "DeadlineExceeded",
    "DeadlineExtension",
    "request_deadline",
]

logger = logging.getLogger("dxgraph.deadline")

DEADLINE_EXCEEDED = "DEADLINE_EXCEEDED"
GRAPHQL_PATH = "/graphql"

request_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "dxgraph_request_deadline", default=None
)
"""When the current request must be answered, on the event loop's clock (`loop.time()`)."""


class DeadlineExceeded(UpstreamError):
    """Part of a request did not finish within its deadline (code `DEADLINE_EXCEEDED`).

    Retryable: the same request may well finish later (the cache is warmer by then).
    """

    def __init__(self, message: str) -> None:
        super().__init__(message, code=ErrorCode.UPSTREAM_UNAVAILABLE, retryable=True)

    def to_extensions(self) -> dict[str, Any]:
        return {**super().to_extensions(), "code": DEADLINE_EXCEEDED}


def seconds_text(value: float) -> str:
    return f"{value:g} s"


def _late_message(info: GraphQLResolveInfo[Any], timeout: float) -> str:
    field = ".".join(str(part) for part in info.path.as_list())
    if info.operation.operation == OperationType.MUTATION:
        return (
            f"{field} did not finish within the request deadline ({seconds_text(timeout)}); it may "
            "still complete: retry with the same Idempotency-Key to get its result."
        )
    return (
        f"{field} did not finish within the request deadline ({seconds_text(timeout)}); "
        "retry, or ask for less."
    )


def time_to_wait(context: Any) -> float:
    """Seconds a step may wait for data before the request's deadline, keeping back a margin
    (a quarter of the timeout, at most 0.5 s) in which what did arrive is still resolved and
    only what did not is reported late. `context`: the GraphQL context (for its settings when
    no deadline was set by the middleware)."""
    loop = asyncio.get_running_loop()
    settings = getattr(context, "settings", None)
    timeout = float(getattr(settings, "request_timeout_seconds", 20.0))
    deadline = request_deadline.get() or loop.time() + timeout
    return max(0.0, deadline - min(0.5, timeout / 4) - loop.time())


def _observe(task: asyncio.Future[Any]) -> None:
    """Retrieves a late resolver's outcome, so that its failure is not reported as unhandled."""
    if not task.cancelled():
        task.exception()


class DeadlineExtension(SchemaExtension):
    """Bounds every resolver that awaits by the request's deadline (see the module docstring).

    One timer per operation; each awaiting resolver runs as its own task and is answered by
    whichever comes first, its result or the timer.
    """

    _timeout: float
    _expired: bool
    _waiting: set[asyncio.Future[None]]
    _late: list[GraphQLError]

    def on_operation(self) -> Iterator[None]:
        loop = asyncio.get_running_loop()
        settings = getattr(self.execution_context.context, "settings", None)
        self._timeout = float(getattr(settings, "request_timeout_seconds", 20.0))
        deadline = request_deadline.get()
        if deadline is None:
            deadline = loop.time() + self._timeout
        self._expired = False
        self._waiting = set()
        self._late = []
        # An empty context: a timer keeps the context it was made in (here: the whole request)
        # until its time comes, even when cancelled.
        alarm = loop.call_at(deadline, self._ring, context=contextvars.Context())
        try:
            yield
        finally:
            alarm.cancel()
        result = self.execution_context.result
        if self._late and result is not None:
            result.errors = [*(result.errors or []), *self._late]

    def _ring(self) -> None:
        self._expired = True
        for waiter in self._waiting:
            if not waiter.done():
                waiter.set_result(None)
        self._waiting.clear()

    def resolve(
        self,
        _next: Callable[..., Any],
        root: Any,
        info: GraphQLResolveInfo[Any],
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        result = _next(root, info, *args, **kwargs)
        if not inspect.isawaitable(result):
            return result
        return self._bounded(result, info)

    async def _bounded(self, awaitable: Awaitable[Any], info: GraphQLResolveInfo[Any]) -> Any:
        task = asyncio.ensure_future(awaitable)
        if not self._expired:
            waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            self._waiting.add(waiter)
            task.add_done_callback(functools.partial(_wake, waiter))
            try:
                await waiter
            except BaseException:
                task.add_done_callback(_observe)
                raise
            finally:
                self._waiting.discard(waiter)
        if task.done():
            return task.result()
        task.add_done_callback(_observe)
        return self._late_field(info)

    def _late_field(self, info: GraphQLResolveInfo[Any]) -> Any:
        error = DeadlineExceeded(_late_message(info, self._timeout))
        logger.warning("deadline exceeded: %s", error.message)
        return_type = info.return_type
        if isinstance(return_type, GraphQLNonNull) and isinstance(return_type.of_type, GraphQLList):
            # Like a region that failed: the list without what did not arrive, the error beside.
            self._late.append(
                GraphQLError(
                    error.message,
                    nodes=info.field_nodes,
                    path=info.path.as_list(),
                    original_error=error,
                    extensions=error.to_extensions(),
                )
            )
            return []
        raise error


def _wake(waiter: asyncio.Future[None], _: asyncio.Future[Any]) -> None:
    if not waiter.done():
        waiter.set_result(None)

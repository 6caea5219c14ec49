"""`OperationObserver`: tells the serving layer about each GraphQL operation.

The schema is built once and shared by every app of the process; who listens (metrics, tracing,
access logs of one app) is set per request through `operation_listener`, so operations executed
outside an app report nowhere. The engine knows no web framework or metrics library.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Protocol

from strawberry.extensions import SchemaExtension


class OperationListener(Protocol):
    """Hears every operation of the requests it is set for."""

    def operation_started(self) -> object:
        """Called as the operation starts; what it returns comes back to `operation_finished`."""

    def operation_finished(
        self, token: object, name: str | None, kind: str, failed: bool, seconds: float
    ) -> None:
        """Called once the operation has an answer; `failed`: any error, partial ones included."""


operation_listener: ContextVar[OperationListener | None] = ContextVar(
    "dxgraph_operation_listener", default=None
)


class OperationObserver(SchemaExtension):
    """Reports each operation's name, kind, outcome and duration to the request's listener."""

    def on_operation(self) -> Iterator[None]:
        listener = operation_listener.get()
        if listener is None:
            yield
            return
        started = time.perf_counter()
        token = listener.operation_started()
        failed = True
        try:
            yield
            failed = False
        finally:
            ctx = self.execution_context
            try:
                name: str | None = ctx.operation_name
            except Exception:
                name = None
            try:
                kind = ctx.operation_type.value
            except Exception:
                kind = "unknown"
            result = ctx.result
            upstream = getattr(ctx.context, "upstream", None)
            errors = (
                failed
                or bool(ctx.pre_execution_errors)
                or bool(result is not None and result.errors)
                or bool(getattr(upstream, "partial_errors", None))
            )
            listener.operation_finished(token, name, kind, errors, time.perf_counter() - started)

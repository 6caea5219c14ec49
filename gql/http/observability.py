"""Seeing what the gateway does: health, readiness, Prometheus metrics, request IDs and access
logs, OpenTelemetry tracing.

`install_observability(app, settings)` adds:

* `GET /healthz`: 200 `{"status": "ok"}` while the process serves requests.
* `GET /readyz`: whether Direct Connect and the cache backend answer (`gql.http.readiness`).
* `GET /metrics` (when `settings.metrics`): Prometheus text format, from a registry of this app's
  own (`gql.http.metrics`).
* A request ID per HTTP request: the caller's `X-Request-ID` if well-formed (1-128 of
  `A-Z a-z 0-9 . _ : - + = /`, starting with a letter or digit), else a new one; echoed in the
  response's `X-Request-ID` and carried by every log line written while serving the request
  (upstream calls in worker threads included), and one access log line per request
  (`dxgraph.access`; DEBUG for probes and scrapes).
* Redaction of every log record of the process, and logging configuration when nothing
  configured the root logger yet (`gql.http.logs`).
* OpenTelemetry tracing when `settings.otel_endpoint` is set (`gql.http.tracing`); a W3C
  `traceparent` header makes the operation span a child of the caller's trace.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
import uuid
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from contextvars import ContextVar, Token
from typing import Any, cast

from fastapi import FastAPI
from fastapi.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gql.engine.operations import operation_listener
from gql.http.logs import RequestRecord, configure_logging, install_log_redaction, request_record
from gql.http.metrics import CONTENT_TYPE, Metrics
from gql.http.readiness import readiness
from gql.http.tracing import Tracing
from gql.settings import Settings
from resolvers.aws.client import UpstreamCall, upstream_observer
from resolvers.data.loaders import batch_observer

__all__ = [
    "REQUEST_ID_HEADER",
    "Observability",
    "ObservabilityMiddleware",
    "install_observability",
]

access_logger = logging.getLogger("dxgraph.access")

REQUEST_ID_HEADER = "x-request-id"

_REQUEST_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:+=/-]{0,127}$")
_QUIET_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})


class Observability:
    """What one app measures and traces; `app.state.observability` (`app.state.metrics` holds
    `metrics`)."""

    def __init__(self, app: FastAPI, settings: Settings) -> None:
        self.settings = settings
        self.metrics = Metrics(cache=lambda: _cache_stats(app)) if settings.metrics else None
        self.tracing = Tracing(settings.otel_endpoint) if settings.otel_endpoint else None

    def on_upstream_call(self, call: UpstreamCall) -> None:
        if self.metrics is not None:
            self.metrics.observe_upstream(call)
        if self.tracing is not None:
            self.tracing.record_call(call)

    def operation_started(self) -> object:
        return self.tracing.start_operation() if self.tracing else None

    def operation_finished(
        self, token: object, name: str | None, kind: str, failed: bool, seconds: float
    ) -> None:
        """Counts, times and traces one GraphQL operation (see `gql.engine.operations`)."""
        outcome = "error" if failed else "ok"
        metrics = self.metrics
        label = metrics.operation_label(name) if metrics is not None else (name or "anonymous")
        if metrics is not None:
            metrics.observe_operation(label, kind, outcome, seconds)
        record = request_record.get()
        if record is not None:
            record.operation, record.outcome = label, outcome
        if token is not None and self.tracing is not None:
            span, context_token = cast(tuple[Any, object], token)
            request_id = record.request_id if record is not None else None
            self.tracing.end_operation(span, context_token, label, kind, outcome, request_id)

    def enter(self, record: RequestRecord, headers: Mapping[str, str]) -> list[Callable[[], None]]:
        """Sets this request's context (request ID, observers, incoming trace); returns undoers."""
        undo: list[Callable[[], None]] = []

        def use(var: ContextVar[Any], value: Any) -> None:
            token: Token[Any] = var.set(value)
            undo.append(lambda: var.reset(token))

        use(request_record, record)
        use(operation_listener, self)
        if self.metrics is not None or self.tracing is not None:
            use(upstream_observer, self.on_upstream_call)
        if self.metrics is not None:
            use(batch_observer, self.metrics.observe_batch)
        if self.tracing is not None and "traceparent" in headers:
            from opentelemetry import context, propagate

            otel_token = context.attach(propagate.extract(dict(headers)))
            undo.append(lambda: context.detach(otel_token))
        return undo


def _cache_stats(app: FastAPI) -> tuple[str, Mapping[str, int]] | None:
    runtime = getattr(app.state, "runtime", None)
    cache = getattr(runtime, "cache", None)
    stats = getattr(cache, "stats", None)
    if cache is None or stats is None:
        return None
    return str(cache.backend), stats


# -- the middleware ------------------------------------------------------------------------------
def _route(path: str) -> str:
    """A bounded label for a request path."""
    if path == "/graphql" or path.startswith("/graphql/"):
        return "graphql"
    if path.startswith("/loa/"):
        return "loa"
    if path in _QUIET_PATHS:
        return path.lstrip("/")
    return "index" if path == "/" else "other"


class ObservabilityMiddleware:
    """Outermost ASGI middleware: request ID, per-request context, access log, HTTP metrics."""

    def __init__(self, app: ASGIApp, observability: Observability) -> None:
        self.app = app
        self.observability = observability

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = {
            name.decode("latin-1").lower(): value.decode("latin-1")
            for name, value in scope["headers"]
        }
        offered = headers.get(REQUEST_ID_HEADER, "")
        request_id = offered if _REQUEST_ID.match(offered) else uuid.uuid4().hex
        record = RequestRecord(request_id)
        status = 500
        echoed = (REQUEST_ID_HEADER.encode(), request_id.encode())

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                kept = [h for h in message.get("headers", []) if h[0].lower() != echoed[0]]
                message = {**message, "headers": [*kept, echoed]}
            await send(message)

        undo = self.observability.enter(record, headers)
        started = time.perf_counter()
        failure: BaseException | None = None
        try:
            await self.app(scope, receive, send_with_id)
        except BaseException as err:
            failure = err
            raise
        finally:
            try:
                self._done(scope, record, status, time.perf_counter() - started, failure)
            finally:
                for step in reversed(undo):
                    step()

    def _done(
        self,
        scope: Scope,
        record: RequestRecord,
        status: int,
        seconds: float,
        failure: BaseException | None,
    ) -> None:
        path: str = scope.get("path", "")
        metrics = self.observability.metrics
        if metrics is not None and scope["type"] == "http":
            metrics.observe_request(_route(path), status)
        principal = scope.get("state", {}).get("principal")
        fields: dict[str, Any] = {
            "method": scope.get("method", "WEBSOCKET"),
            "path": path,
            "status": status,
            "duration_ms": round(seconds * 1000, 1),
        }
        if record.operation is not None:
            fields["operation"], fields["outcome"] = record.operation, record.outcome
        if principal is not None:
            fields["principal"] = getattr(principal, "name", None)
        message = "%s %s %s %.1f ms"
        args = (fields["method"], path, status, seconds * 1000)
        if failure is not None and not isinstance(failure, asyncio.CancelledError):
            access_logger.error(message, *args, extra=fields, exc_info=failure)
        elif path in _QUIET_PATHS:
            access_logger.debug(message, *args, extra=fields)
        else:
            access_logger.info(message, *args, extra=fields)


# -- routes --------------------------------------------------------------------------------------
def install_observability(app: FastAPI, settings: Settings) -> None:
    """Adds `/healthz`, `/readyz`, `/metrics`, request IDs and log configuration."""
    install_log_redaction()
    if not logging.getLogger().handlers:
        configure_logging(settings)
    observability = Observability(app, settings)
    app.state.observability = observability
    app.state.metrics = observability.metrics

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> JSONResponse:
        return JSONResponse({"status": "ok"}, headers={"Cache-Control": "no-store"})

    app.add_api_route("/readyz", readiness, methods=["GET"], include_in_schema=False)

    metrics = observability.metrics
    if metrics is not None:

        @app.get("/metrics", include_in_schema=False)
        async def prometheus() -> Response:
            return Response(metrics.exposition(), media_type=CONTENT_TYPE)

    tracing = observability.tracing
    if tracing is not None:
        inner = app.router.lifespan_context

        @asynccontextmanager
        async def lifespan(app: Any) -> AsyncIterator[Any]:
            try:
                async with inner(app) as state:
                    yield state
            finally:
                await asyncio.to_thread(tracing.shutdown)

        app.router.lifespan_context = lifespan

    app.add_middleware(ObservabilityMiddleware, observability=observability)

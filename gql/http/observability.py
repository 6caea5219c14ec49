"""Seeing what the gateway does: health and readiness, Prometheus metrics, JSON logs with
request IDs, optional OpenTelemetry tracing — and never a secret in a log line.

`install_observability(app, settings)` adds:

* `GET /healthz`: 200 `{"status": "ok"}` while the process serves requests.
* `GET /readyz`: 200 when Direct Connect answers a `DescribeLocations` in the home region (uncached;
  a throttled answer counts as an answer) and the cache backend answers (a read through the
  cache's own connection: Redis when `cache_backend=redis`), each within `READY_TIMEOUT_SECONDS`;
  otherwise 503 naming the failed check. Never a traceback.
* `GET /metrics` (when `settings.metrics`): Prometheus text format, from a registry of this app's
  own (`gql.http.metrics`).
* A request ID per HTTP request: the caller's `X-Request-ID` if well-formed (1-128 of
  `A-Z a-z 0-9 . _ : - + = /`, starting with a letter or digit), else a new one; echoed in the
  response's `X-Request-ID` and carried by every log line written while serving the request
  (upstream calls in worker threads included), and one access log line per request
  (`dxgraph.access`; DEBUG for probes and scrapes).
* Redaction of every log record of the process, whatever handler writes it: API keys, bearer
  tokens and JWTs, `Authorization` values, AWS secret keys, session tokens and signatures, BGP
  auth keys (`authKey`, `bgp_auth_key` XML, Amazon's `0x…` keys) and URL passwords.
* Logging configuration (`configure_logging`) when nothing configured the root logger yet.
* OpenTelemetry tracing when `settings.otel_endpoint` is set: one span per GraphQL operation and
  one per Direct Connect call (no per-field spans), exported over OTLP/HTTP; a W3C `traceparent`
  header makes the operation span a child of the caller's trace.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import sys
import time
import traceback
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from contextvars import ContextVar, Token
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TextIO, cast
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gql.engine.operations import operation_listener
from gql.http.metrics import CONTENT_TYPE, Metrics
from gql.settings import Settings
from resolvers.aws.client import UpstreamCall, upstream_observer
from resolvers.aws.errors import ErrorCode, UpstreamError
from resolvers.aws.redaction import redact
from resolvers.data.loaders import batch_observer

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SpanExporter
    from opentelemetry.trace import Span, Tracer

__all__ = [
    "READY_TIMEOUT_SECONDS",
    "REQUEST_ID_HEADER",
    "JsonFormatter",
    "Observability",
    "RedactionFilter",
    "RequestIdFilter",
    "Tracing",
    "configure_logging",
    "current_request_id",
    "install_log_redaction",
    "install_observability",
]

logger = logging.getLogger("dxgraph.observability")
access_logger = logging.getLogger("dxgraph.access")

REQUEST_ID_HEADER = "x-request-id"
READY_TIMEOUT_SECONDS = 2.0
"""How long each readiness check may take before it counts as failed."""

_REQUEST_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:+=/-]{0,127}$")
_QUIET_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})


# -- redaction -----------------------------------------------------------------------------------
def _redacted_arg(arg: Any) -> Any:
    if isinstance(arg, str):
        return redact(arg)
    try:
        shown = str(arg)
    except Exception:
        return "<unprintable>"
    masked = redact(shown)
    return arg if masked == shown else masked


def redact_record(record: logging.LogRecord) -> None:
    """Masks secrets in a record's message, arguments, traceback and stack (in place, once)."""
    if getattr(record, "_dxgraph_redacted", False):
        return
    setattr(record, "_dxgraph_redacted", True)  # noqa: B010
    try:
        message = record.getMessage()
    except Exception:  # arguments that do not fit the format: keep neither raw
        record.msg = redact(f"{record.msg!s} (unformattable arguments: {record.args!r})")
        record.args = None
    else:
        masked = redact(message)
        if masked != message:
            # Keep the arguments when masking them is enough (formatters such as uvicorn's
            # access formatter read them); otherwise replace the whole message.
            args = record.args
            if isinstance(args, tuple) and args:
                record.args = tuple(_redacted_arg(arg) for arg in args)
                try:
                    fixed = record.getMessage() == masked
                except Exception:
                    fixed = False
                if not fixed:
                    record.msg, record.args = masked, None
            else:
                record.msg, record.args = masked, None
    if record.exc_info and not record.exc_text:
        record.exc_text = redact("".join(traceback.format_exception(*record.exc_info)).rstrip())
    elif record.exc_text:
        record.exc_text = redact(record.exc_text)
    if record.stack_info:
        record.stack_info = redact(record.stack_info)


class RedactionFilter(logging.Filter):
    """Masks secrets in every record it sees (`install_log_redaction` applies it to all)."""

    def filter(self, record: logging.LogRecord) -> bool:
        redact_record(record)
        return True


# -- request IDs -----------------------------------------------------------------------------------
@dataclass
class RequestRecord:
    """What the access log line of one request reports, filled while it is served."""

    request_id: str
    operation: str | None = None
    outcome: str | None = None


_request: ContextVar[RequestRecord | None] = ContextVar("dxgraph_request", default=None)


def current_request_id() -> str | None:
    """The ID of the request being served in this context, if any."""
    record = _request.get()
    return None if record is None else record.request_id


class RequestIdFilter(logging.Filter):
    """Puts the current request ID on each record as `request_id` (None outside requests)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            setattr(record, "request_id", current_request_id())  # noqa: B010
        return True


def install_log_redaction() -> None:
    """Makes every log record of the process carry its request ID and have its secrets masked
    when it is created, so handlers configured elsewhere (uvicorn's, a test's) get clean records.
    Idempotent."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, "_dxgraph", False):
        return
    stamp, scrub = RequestIdFilter(), RedactionFilter()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        stamp.filter(record)
        scrub.filter(record)
        return record

    factory._dxgraph = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)


# -- log formats ---------------------------------------------------------------------------------
_STANDARD_ATTRIBUTES = frozenset(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {
    "message",
    "asctime",
    "request_id",
    "color_message",
    "_dxgraph_redacted",
    "taskName",
}


def _json_value(value: Any) -> Any:
    if isinstance(value, str):
        return redact(value)
    if value is None or isinstance(value, bool | int | float):
        return value
    return redact(str(value))


class JsonFormatter(logging.Formatter):
    """One JSON object per line: `timestamp` (UTC, ISO 8601), `level`, `logger`, `message`,
    `request_id`, any `extra=` fields, and `exception` when there is one. Every string is
    redacted."""

    def format(self, record: logging.LogRecord) -> str:
        stamp = datetime.fromtimestamp(record.created, UTC)
        payload: dict[str, Any] = {
            "timestamp": stamp.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
            "request_id": _json_value(getattr(record, "request_id", None)),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD_ATTRIBUTES and not key.startswith("_"):
                payload[key] = _json_value(value)
        if record.exc_info or record.exc_text:
            text = record.exc_text or self.formatException(record.exc_info)  # type: ignore[arg-type]
            payload["exception"] = redact(text)
        if record.stack_info:
            payload["stack"] = redact(record.stack_info)
        return json.dumps(payload, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """`time level logger [request-id] message`, redacted."""

    def __init__(self) -> None:
        super().__init__(
            "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
            defaults={"request_id": "-"},
        )

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


_HANDLER_MARK = "_dxgraph_handler"


def configure_logging(settings: Settings, stream: TextIO | None = None) -> logging.Handler:
    """Sends the process's logs to `stream` (default stderr) as `settings.log_format` at
    `settings.log_level`, with request IDs and secrets masked.

    Replaces a handler an earlier call added (never others), so calling it again reconfigures.
    Returns the handler (remove it from the root logger to undo).
    """
    install_log_redaction()
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, _HANDLER_MARK, False):
            root.removeHandler(handler)
    added = logging.StreamHandler(stream if stream is not None else sys.stderr)
    setattr(added, _HANDLER_MARK, True)
    added.setFormatter(JsonFormatter() if settings.log_format == "json" else TextFormatter())
    added.addFilter(RequestIdFilter())
    added.addFilter(RedactionFilter())
    root.addHandler(added)
    root.setLevel(settings.log_level)
    return added


# -- tracing -------------------------------------------------------------------------------------
def traces_url(endpoint: str) -> str:
    """The OTLP/HTTP traces URL: `endpoint` as given, or `<endpoint>/v1/traces` for a bare
    collector address such as `http://collector:4318`."""
    if urlsplit(endpoint).path in ("", "/"):
        return endpoint.rstrip("/") + "/v1/traces"
    return endpoint


class Tracing:
    """An OpenTelemetry tracer provider of this app's own (the global one is left alone).

    Args:
        endpoint: OTLP/HTTP endpoint to export to in batches; None exports nowhere until
            `add_exporter` is called.
    """

    def __init__(self, endpoint: str | None) -> None:
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider

        self.provider: TracerProvider = TracerProvider(
            resource=Resource.create({"service.name": "dxgraph"}), shutdown_on_exit=False
        )
        if endpoint:
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
            from opentelemetry.sdk.trace.export import BatchSpanProcessor

            exporter = OTLPSpanExporter(endpoint=traces_url(endpoint))
            self.provider.add_span_processor(BatchSpanProcessor(exporter))
        self.tracer: Tracer = self.provider.get_tracer("dxgraph")

    def add_exporter(self, exporter: SpanExporter) -> None:
        """Also sends every finished span to `exporter`, synchronously (tests, debugging)."""
        from opentelemetry.sdk.trace.export import SimpleSpanProcessor

        self.provider.add_span_processor(SimpleSpanProcessor(exporter))

    def start_operation(self) -> tuple[Span, object]:
        """Starts an operation span and makes it current; returns it and the context token."""
        from opentelemetry import context, trace

        span = self.tracer.start_span("graphql", kind=trace.SpanKind.SERVER)
        return span, context.attach(trace.set_span_in_context(span))

    def end_operation(
        self, span: Span, token: object, name: str, kind: str, outcome: str, request_id: str | None
    ) -> None:
        from opentelemetry import context
        from opentelemetry.trace import Status, StatusCode

        span.update_name(f"{kind} {name}")
        span.set_attribute("graphql.operation.name", name)
        span.set_attribute("graphql.operation.type", kind)
        span.set_attribute("dxgraph.outcome", outcome)
        if request_id:
            span.set_attribute("dxgraph.request_id", request_id)
        if outcome != "ok":
            span.set_status(Status(StatusCode.ERROR))
        span.end()
        context.detach(token)  # type: ignore[arg-type]

    def record_call(self, call: UpstreamCall) -> None:
        """A finished Direct Connect call as a client span of the current operation span."""
        from opentelemetry import trace
        from opentelemetry.trace import Status, StatusCode

        start = int(call.started * 1e9)
        span = self.tracer.start_span(
            f"DirectConnect.{call.operation}",
            kind=trace.SpanKind.CLIENT,
            start_time=start,
            attributes={
                "rpc.system": "aws-api",
                "rpc.service": "DirectConnect",
                "rpc.method": call.operation,
                "cloud.region": call.region,
                "dxgraph.outcome": call.outcome,
            },
        )
        error = call.error
        if error is not None:
            span.set_attribute("dxgraph.error.code", str(error.code))
            if error.aws_code:
                span.set_attribute("aws.error.code", error.aws_code)
            if error.request_id:
                span.set_attribute("aws.request_id", error.request_id)
        if call.outcome != "ok":
            span.set_status(Status(StatusCode.ERROR, call.outcome))
        span.end(end_time=start + int(call.seconds * 1e9))

    def shutdown(self) -> None:
        """Exports what is pending and stops."""
        self.provider.shutdown()


# -- the app's observability ---------------------------------------------------------------------
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
        record = _request.get()
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

        use(_request, record)
        use(_observability, self)
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


_observability: ContextVar[Observability | None] = ContextVar("dxgraph_observability", default=None)


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
async def _check(probe: Awaitable[Any]) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        await asyncio.wait_for(probe, READY_TIMEOUT_SECONDS)
    except TimeoutError:
        error = f"no answer within {READY_TIMEOUT_SECONDS:g} s"
    except UpstreamError as err:
        if err.code == ErrorCode.THROTTLED:
            # Direct Connect answered: throttling is shared by every replica, and taking them
            # all out of the load balancer for it would turn a slowdown into an outage.
            return {"ok": True, "throttled": True}
        error = f"{err.code}: {err.message}"
    except Exception as err:
        error = f"{type(err).__name__}: {err}"
    else:
        return {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}
    return {"ok": False, "error": redact(error)}


async def readiness(request: Request) -> JSONResponse:
    """200 when Direct Connect and the cache backend answer; 503 naming what failed."""
    runtime = getattr(request.app.state, "runtime", None)
    if runtime is None:
        return JSONResponse(
            {"status": "unavailable", "failed": ["startup"], "checks": {}}, status_code=503
        )
    try:
        upstream, cache = await asyncio.gather(
            _check(runtime.client.call(runtime.settings.home_region, "describe_locations")),
            _check(runtime.cache.record("readyz-probe")),
        )
        checks = {"upstream": upstream, "cache": cache}
    except Exception as err:  # never a traceback, whatever broke
        logger.warning("readiness check failed: %s", type(err).__name__)
        checks = {"readiness": {"ok": False, "error": type(err).__name__}}
    failed = [name for name, check in checks.items() if not check["ok"]]
    if failed:
        logger.warning("not ready: %s", ", ".join(failed))
        body = {"status": "unavailable", "failed": failed, "checks": checks}
        return JSONResponse(body, status_code=503, headers={"Cache-Control": "no-store"})
    body = {"status": "ready", "checks": checks}
    return JSONResponse(body, headers={"Cache-Control": "no-store"})


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

"""OpenTelemetry tracing, when `settings.otel_endpoint` is set: one span per GraphQL operation
and one per Direct Connect call (no per-field spans), exported over OTLP/HTTP. The OpenTelemetry
SDK is imported only when tracing is on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from resolvers.aws.client import UpstreamCall

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SpanExporter
    from opentelemetry.trace import Span, Tracer

__all__ = ["Tracing", "traces_url"]


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

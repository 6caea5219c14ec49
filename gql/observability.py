"""Seeing what the gateway does: health and readiness, Prometheus metrics, JSON logs with
request IDs, optional OpenTelemetry tracing — and never a secret in a log line."""

from __future__ import annotations

from fastapi import FastAPI

from gql.settings import Settings


def install_observability(app: FastAPI, settings: Settings) -> None:
    """Adds `/healthz`, `/readyz`, `/metrics`, request IDs and log configuration."""

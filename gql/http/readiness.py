"""`GET /readyz`: 200 when Direct Connect answers a `DescribeLocations` in the home region
(uncached; a throttled answer counts as an answer) and the cache backend answers (a read through
the cache's own connection: Redis when `cache_backend=redis`), each within
`READY_TIMEOUT_SECONDS`; otherwise 503 naming the failed check. Never a traceback, and error
texts are redacted.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse

from resolvers.aws.errors import ErrorCode, UpstreamError
from resolvers.aws.redaction import redact

__all__ = ["READY_TIMEOUT_SECONDS", "readiness"]

logger = logging.getLogger("dxgraph.observability")

READY_TIMEOUT_SECONDS = 2.0
"""How long each readiness check may take before it counts as failed."""


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

"""The request-level half of the deadline: a GraphQL request with no response shortly after its
deadline is answered with `DEADLINE_EXCEEDED` (see `gql.engine.deadline` for the fields' half)."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI

from gql.engine.deadline import GRAPHQL_PATH, request_deadline, seconds_text
from gql.settings import Settings

logger = logging.getLogger("dxgraph.deadline")

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def deadline_response_body(timeout: float) -> bytes:
    """The answer to a request that produced nothing in time."""
    message = (
        f"The request did not finish within its deadline ({seconds_text(timeout)}); retry, "
        "or ask for less."
    )
    body = {
        "data": None,
        "errors": [{"message": message, "extensions": {"code": "DEADLINE_EXCEEDED"}}],
    }
    return json.dumps(body).encode()


class DeadlineMiddleware:
    """Starts each `/graphql` request's clock and answers it if nothing did by the deadline.

    Args:
        app: the rest of the application.
        timeout: `request_timeout_seconds`.
        grace: extra seconds after the deadline for the fields' answer to be sent before the
            request is answered without it.
    """

    def __init__(self, app: ASGIApp, timeout: float, grace: float) -> None:
        self.app = app
        self.timeout = timeout
        self.grace = grace

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope.get("path", "").startswith(GRAPHQL_PATH):
            await self.app(scope, receive, send)
            return
        loop = asyncio.get_running_loop()
        request_deadline.set(loop.time() + self.timeout)
        started = False
        answered = False

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if answered:
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        task = asyncio.ensure_future(self.app(scope, receive, guarded_send))
        try:
            done, _ = await asyncio.wait((task,), timeout=self.timeout + self.grace)
        except asyncio.CancelledError:
            task.cancel()
            raise
        if done or started:
            await task
            return
        answered = True
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            pass
        except Exception:
            logger.debug("request failed while being cancelled past its deadline", exc_info=True)
        logger.warning(
            "request to %s answered without a result: deadline (%s) exceeded",
            scope.get("path"),
            seconds_text(self.timeout),
        )
        body = deadline_response_body(self.timeout)
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def install_deadline(app: FastAPI, settings: Settings) -> None:
    """Bounds every GraphQL request by `settings.request_timeout_seconds`.

    Adds `DeadlineMiddleware` to the app (the schema carries `DeadlineExtension` always).
    """
    timeout = settings.request_timeout_seconds
    grace = min(1.0, max(0.2, timeout / 10))
    app.add_middleware(DeadlineMiddleware, timeout=timeout, grace=grace)

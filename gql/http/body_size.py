"""`BodySizeLimit`: 413 `REQUEST_TOO_LARGE` for a request body over the limit, counted while it
streams (chunked bodies and lying Content-Length headers included)."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Iterable
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

logger = logging.getLogger("dxgraph.limits")

REQUEST_TOO_LARGE = "REQUEST_TOO_LARGE"
UNLIMITED_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})


# -- HTTP: body size --------------------------------------------------------------------------
def _refusal(code: str, message: str, **extensions: Any) -> tuple[bytes, list[Any]]:
    body = json.dumps(
        {"errors": [{"message": message, "extensions": {"code": code, **extensions}}]}
    )
    encoded = body.encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(encoded)).encode()),
        (b"cache-control", b"no-store"),
    ]
    return encoded, headers


async def send_refusal(
    send: Send,
    status: int,
    code: str,
    message: str,
    extra_headers: Iterable[tuple[bytes, bytes]] = (),
    **extensions: Any,
) -> None:
    body, headers = _refusal(code, message, **extensions)
    headers.extend(extra_headers)
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers") or ():
        if key.lower() == name:
            return bytes(value)
    return None


DRAIN_SECONDS = 1.0


class BodySizeLimit:
    """ASGI middleware: 413 `REQUEST_TOO_LARGE` for a body over `max_bytes`.

    The body is read here, counting bytes as they arrive, and handed on only once it is whole
    and within the limit, so nothing downstream ever parses an oversized body. A declared
    `Content-Length` over the limit is refused before reading; a smaller one, or chunked
    transfer, is not trusted. After a refusal the rest of the body is read and dropped for a
    moment (at most `max_bytes` more, `DRAIN_SECONDS`) so the client can read the answer
    instead of a connection reset.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _header(scope, b"content-length")
        try:
            length = int(declared) if declared is not None else None
        except ValueError:
            length = None
        expects_continue = (_header(scope, b"expect") or b"").lower() == b"100-continue"
        if length is not None and length > self.max_bytes:
            # with Expect: 100-continue the client has not sent the body: read nothing
            await self._refuse(send, None if expects_continue else receive)
            return
        chunks: list[bytes] = []
        size = 0
        first: Message | None = None
        while True:
            message = await receive()
            if message["type"] != "http.request":
                first = message  # disconnected: let the app see it
                break
            body = message.get("body", b"")
            size += len(body)
            if size > self.max_bytes:
                await self._refuse(send, receive if message.get("more_body") else None)
                return
            chunks.append(body)
            if not message.get("more_body", False):
                break
        replay: Message = first or {
            "type": "http.request",
            "body": b"".join(chunks),
            "more_body": False,
        }
        replayed = False

        async def replaying_receive() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return replay
            return await receive()

        await self.app(scope, replaying_receive, send)

    async def _refuse(self, send: Send, receive: Receive | None) -> None:
        if receive is not None:
            await self._drain(receive)
        await send_refusal(
            send,
            413,
            REQUEST_TOO_LARGE,
            f"The request body is larger than {self.max_bytes} bytes.",
            maxBodyBytes=self.max_bytes,
        )

    async def _drain(self, receive: Receive) -> None:
        dropped = 0
        loop = asyncio.get_running_loop()
        deadline = loop.time() + DRAIN_SECONDS
        while dropped <= self.max_bytes:
            remaining = deadline - loop.time()
            if remaining <= 0:
                return
            try:
                message = await asyncio.wait_for(receive(), remaining)
            except TimeoutError:
                return
            if message["type"] != "http.request":
                return
            dropped += len(message.get("body", b""))
            if not message.get("more_body", False):
                return


# -- HTTP: rate limit ---------------------------------------------------------------------------

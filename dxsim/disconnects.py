"""Noticing a client that goes away while the simulator holds its request (the gate, long polls).

A held request must not run once its client has disconnected: the client would count it as not
done, so carrying it out would make a write happen that nobody saw answered.
"""

from __future__ import annotations

import asyncio
from typing import Any

from dxsim.gate import Gate, HeldRequest


async def disconnected(receive: Any) -> None:
    """Returns when the client has gone away (the request body must have been read)."""
    while (await receive())["type"] != "http.disconnect":
        pass


async def done_or_disconnected(
    future: asyncio.Future[Any], receive: Any, timeout: float | None = None
) -> bool | None:
    """Waits for `future`: True once it is done, False if the client went away first, None
    after `timeout` seconds."""
    gone = asyncio.ensure_future(disconnected(receive))
    try:
        done, _ = await asyncio.wait(
            (future, gone), timeout=timeout, return_when=asyncio.FIRST_COMPLETED
        )
    finally:
        gone.cancel()
    if future in done:
        return True
    return False if gone in done else None


async def through_gate(gate: Gate, held: HeldRequest, receive: Any) -> bool:
    """Holds a request until the gate releases it; False if its client went away first (the
    request is then dropped from the waiting list and its operation never runs)."""
    try:
        if await done_or_disconnected(held.released, receive):
            return True
    except BaseException:
        gate.abandon(held)
        raise
    return not gate.abandon(held)  # released at the very moment the client left: carry it out

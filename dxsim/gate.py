"""The gate: holds Direct Connect requests until a test lets them through (`/_dxsim/gate`).

While the gate is closed, every authenticated Direct Connect request is listed as waiting and held
before its operation runs. A test releases the requests waiting at one moment, and those that
arrive afterwards wait for the next release, so it can count the dependent rounds of calls a client
makes without any timing margin: it waits for requests to arrive (`wait_for`) instead of sleeping.

Held requests are asyncio futures of the server's event loop; the state is guarded by a
threading lock and futures are resolved through `call_soon_threadsafe`, so the gate may be opened,
reset or shut from any thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from dataclasses import dataclass
from typing import Any

from dxsim.accounts import Caller

MAX_WAIT_SECONDS = 300.0
DEFAULT_WAIT_SECONDS = 30.0


@dataclass(eq=False)
class HeldRequest:
    """One request held at the gate; `released` resolves when it may proceed."""

    seq: int
    operation: str
    account: str
    region: str
    params: Any
    released: asyncio.Future[None]

    def to_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "operation": self.operation,
            "account": self.account,
            "region": self.region,
            "params": self.params,
        }


@dataclass(eq=False)
class _Watch:
    """A pending `wait_for`: resolves True when the counts are reached, False on shutdown."""

    arrived: int
    abandoned: int
    done: asyncio.Future[bool]


def _resolve(future: asyncio.Future[Any], value: Any) -> None:
    """Sets a future's result from any thread (no-op if it is done or its loop has closed)."""

    def set_result() -> None:
        if not future.done():
            future.set_result(value)

    with contextlib.suppress(RuntimeError):  # a closed loop: nobody awaits the future any more
        future.get_loop().call_soon_threadsafe(set_result)


class Gate:
    """Open by default. Counts (`arrived`, `released`, `abandoned`) restart when it closes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._closed = False
        self._shut_down = False
        self._waiting: list[HeldRequest] = []
        self._watches: list[_Watch] = []
        self._arrived = 0
        self._released = 0
        self._abandoned = 0

    @property
    def closed(self) -> bool:
        """Whether requests are being held (a cheap check before building `hold`'s arguments)."""
        return self._closed and not self._shut_down

    # -- requests ------------------------------------------------------------------------------
    def hold(self, caller: Caller, operation: str, params: Any) -> HeldRequest | None:
        """Lists a request as waiting if the gate is closed (None if it is open).

        Must be called in the event loop that will await the returned request's `released`.
        """
        with self._lock:
            if not self._closed or self._shut_down:
                return None
            self._arrived += 1
            held = HeldRequest(
                seq=self._arrived,
                operation=operation,
                account=caller.account,
                region=caller.region,
                params=params,
                released=asyncio.get_running_loop().create_future(),
            )
            self._waiting.append(held)
            self._notify()
        return held

    def abandon(self, held: HeldRequest) -> bool:
        """Drops a waiting request whose client went away; False if it was already released."""
        with self._lock:
            if held not in self._waiting:
                return False
            self._waiting.remove(held)
            self._abandoned += 1
            self._notify()
            return True

    # -- control -------------------------------------------------------------------------------
    def set_closed(self, closed: bool) -> None:
        """Closing an open gate restarts the counts; closing a closed one changes nothing (its
        requests keep waiting); opening it releases every waiting request."""
        with self._lock:
            if closed and not self._closed:
                self._arrived = self._released = self._abandoned = 0
            self._closed = closed
            if not closed:
                self._release_waiting()

    def release(self) -> int:
        """Releases the requests waiting now; the gate stays as it is. Returns how many."""
        with self._lock:
            return self._release_waiting()

    def reset(self) -> None:
        """Opens the gate, releases everything and zeroes the counts."""
        with self._lock:
            self._closed = False
            self._release_waiting()
            self._arrived = self._released = self._abandoned = 0

    def shut_down(self) -> None:
        """For server shutdown: releases everything, ends every `wait_for`, holds nothing more."""
        with self._lock:
            self._shut_down = True
            self._closed = False
            self._release_waiting()
            for watch in self._watches:
                _resolve(watch.done, False)
            self._watches.clear()

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return self._snapshot()

    # -- waiting for arrivals ------------------------------------------------------------------
    def wait_for(self, arrived: int = 0, abandoned: int = 0) -> asyncio.Future[bool]:
        """A future that becomes True once at least `arrived` requests have arrived and `abandoned`
        have been abandoned since the gate closed, or False when the server shuts down.

        Must be called in the event loop; pass the future to `unwatch` when giving up on it.
        """
        done: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        with self._lock:
            if self._shut_down:
                done.set_result(False)
            elif self._arrived >= arrived and self._abandoned >= abandoned:
                done.set_result(True)
            else:
                self._watches.append(_Watch(arrived, abandoned, done))
        return done

    def unwatch(self, done: asyncio.Future[bool]) -> None:
        with self._lock:
            self._watches = [w for w in self._watches if w.done is not done]

    # -- internals (called with the lock held) -------------------------------------------------
    def _release_waiting(self) -> int:
        released = len(self._waiting)
        for held in self._waiting:
            _resolve(held.released, None)
        self._waiting.clear()
        self._released += released
        return released

    def _notify(self) -> None:
        pending = []
        for watch in self._watches:
            if self._arrived >= watch.arrived and self._abandoned >= watch.abandoned:
                _resolve(watch.done, True)
            else:
                pending.append(watch)
        self._watches = pending

    def _snapshot(self) -> dict[str, Any]:
        return {
            "closed": self._closed,
            "arrived": self._arrived,
            "released": self._released,
            "abandoned": self._abandoned,
            "waiting": [held.to_dict() for held in self._waiting],
        }

"""Faults people test against: latency per call, latency spikes, per-account throttling, injected
5xx errors and connections dropped mid-response.

All are off by default and settable at run time (`/_dxsim/faults`); latency, throttling and errors
also at start-up (CLI).
"""

from __future__ import annotations

import math
import random
import threading
import time
from dataclasses import asdict, dataclass, field
from typing import Any, TypeGuard

from dxsim.backend import OPERATIONS
from dxsim.exceptions import DirectConnectClientException


@dataclass
class FaultSettings:
    """Current fault settings.

    Attributes:
        latency_ms: added to every Direct Connect call before it is answered.
        throttle_rate: requests per second each account may make (token bucket); 0 disables.
        throttle_burst: bucket size; defaults to the rate (at least 1).
        error_rate: probability (0-1) that a call fails with DirectConnectServerException (500).
        drop_rate: probability (0-1) that a call is carried out but its connection is closed
            after the response headers and half of the body (the client sees a broken
            response, as when a load balancer or the network cuts it).
        latency_spike_ms: extra latency of a spike, on top of `latency_ms`.
        latency_spike_rate: probability (0-1) that a call suffers a spike.
        operations: if non-empty, throttling, errors, drops and spikes apply only to these
            operations.
    """

    latency_ms: float = 0.0
    throttle_rate: float = 0.0
    throttle_burst: float = 0.0
    error_rate: float = 0.0
    drop_rate: float = 0.0
    latency_spike_ms: float = 0.0
    latency_spike_rate: float = 0.0
    operations: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "latencyMs": self.latency_ms,
            "throttleRate": self.throttle_rate,
            "throttleBurst": self.throttle_burst,
            "errorRate": self.error_rate,
            "dropRate": self.drop_rate,
            "latencySpikeMs": self.latency_spike_ms,
            "latencySpikeRate": self.latency_spike_rate,
            "operations": list(self.operations),
        }

    def update(self, changes: dict[str, Any]) -> None:
        """Applies a control-API body (camelCase keys); rejects unknown keys and bad values."""
        unknown = set(changes) - set(WIRE_NAMES)
        if unknown:
            raise DirectConnectClientException(
                f"Unknown fault setting(s): {', '.join(sorted(unknown))}; "
                f"known: {', '.join(WIRE_NAMES)}."
            )
        updated = asdict(self)
        for key, value in changes.items():
            updated[WIRE_NAMES[key]] = value
        candidate = FaultSettings(**updated)
        candidate.validate()
        self.__dict__.update(asdict(candidate))

    def validate(self) -> None:
        """Raises DirectConnectClientException naming the (camelCase) setting that is wrong."""
        for wire, name in WIRE_NAMES.items():
            value = getattr(self, name)
            if name == "operations":
                continue
            if not is_duration(value):
                raise DirectConnectClientException(
                    f"{wire} must be a finite number >= 0, not {value!r}."
                )
        for wire, value in (
            ("errorRate", self.error_rate),
            ("dropRate", self.drop_rate),
            ("latencySpikeRate", self.latency_spike_rate),
        ):
            if value > 1:
                raise DirectConnectClientException(f"{wire} must be between 0 and 1.")
        if not isinstance(self.operations, list) or not all(
            isinstance(op, str) for op in self.operations
        ):
            raise DirectConnectClientException("operations must be a list of operation names.")
        unknown = sorted(set(self.operations) - set(OPERATIONS))
        if unknown:
            raise DirectConnectClientException(
                f"operations: {', '.join(unknown)} not among the simulated operations "
                "(API names such as DescribeConnections)."
            )

    def applies_to(self, operation: str) -> bool:
        return not self.operations or operation in self.operations


def is_duration(value: Any) -> TypeGuard[float]:
    """A JSON number usable as a time, rate or probability: finite and >= 0 (NaN is not)."""
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value >= 0
    )


# Control-API (camelCase) names of the settings.
WIRE_NAMES = {
    "latencyMs": "latency_ms",
    "throttleRate": "throttle_rate",
    "throttleBurst": "throttle_burst",
    "errorRate": "error_rate",
    "dropRate": "drop_rate",
    "latencySpikeMs": "latency_spike_ms",
    "latencySpikeRate": "latency_spike_rate",
    "operations": "operations",
}


class TokenBuckets:
    """One token bucket per account, refilled at `throttle_rate` tokens per second."""

    def __init__(self) -> None:
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, account: str, rate: float, burst: float) -> bool:
        capacity = max(burst or rate, 1.0)
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.get(account, (capacity, now))
            tokens = min(capacity, tokens + (now - last) * rate)
            allowed = tokens >= 1.0
            if allowed:
                tokens -= 1.0
            self._buckets[account] = (tokens, now)
        return allowed

    def reset(self) -> None:
        with self._lock:
            self._buckets.clear()


class FaultInjector:
    """Decides, per call, whether to delay, throttle, fail or cut it."""

    def __init__(self, settings: FaultSettings | None = None, seed: int | None = None) -> None:
        self.settings = settings or FaultSettings()
        self.buckets = TokenBuckets()
        self._rng = random.Random(seed)

    def update(self, changes: dict[str, Any]) -> None:
        """Applies new settings; throttling restarts with full buckets."""
        self.settings.update(changes)
        self.buckets.reset()

    def throttled(self, account: str, operation: str) -> bool:
        s = self.settings
        if s.throttle_rate <= 0 or not s.applies_to(operation):
            return False
        return not self.buckets.take(account, s.throttle_rate, s.throttle_burst)

    def failed(self, operation: str) -> bool:
        s = self.settings
        return s.error_rate > 0 and s.applies_to(operation) and self._rng.random() < s.error_rate

    def dropped(self, operation: str) -> bool:
        """Whether this call's response is cut off (the call itself is carried out)."""
        s = self.settings
        return s.drop_rate > 0 and s.applies_to(operation) and self._rng.random() < s.drop_rate

    def delay(self, operation: str) -> float:
        """Seconds to wait before answering: `latency_ms`, plus a spike now and then."""
        s = self.settings
        delay = s.latency_ms
        if (
            s.latency_spike_ms > 0
            and s.latency_spike_rate > 0
            and s.applies_to(operation)
            and self._rng.random() < s.latency_spike_rate
        ):
            delay += s.latency_spike_ms
        return delay / 1000

"""Per-operation call counts, read through `/_dxsim/calls` (tests count upstream calls)."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

from dxsim.accounts import Caller


class CallCounter:
    """Counts every Direct Connect request that passed authentication, by operation."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_operation: Counter[str] = Counter()
        self._by_scope: dict[str, Counter[str]] = {}

    def record(self, caller: Caller, operation: str) -> None:
        scope = f"{caller.account}/{caller.region}"
        with self._lock:
            self._by_operation[operation] += 1
            self._by_scope.setdefault(scope, Counter())[operation] += 1

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {
                "total": sum(self._by_operation.values()),
                "operations": dict(sorted(self._by_operation.items())),
                "byAccountRegion": {
                    scope: dict(sorted(counts.items()))
                    for scope, counts in sorted(self._by_scope.items())
                },
            }

    def reset(self) -> None:
        with self._lock:
            self._by_operation.clear()
            self._by_scope.clear()

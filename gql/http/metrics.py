"""Prometheus metrics of one gateway app, in a registry of its own (several apps per process never
clash): GraphQL operations, upstream calls, the response cache, DataLoader batches, HTTP requests.

| metric | labels | what |
|---|---|---|
| `dxgraph_graphql_operations_total` | operation, type, outcome | operations (`ok`, `error`) |
| `dxgraph_graphql_operation_duration_seconds` | operation, type | their latency (histogram) |
| `dxgraph_upstream_calls_total` | operation, region, outcome | Direct Connect calls |
| `dxgraph_upstream_call_duration_seconds` | operation, region | their latency, retries included |
| `dxgraph_cache_lookups_total` | backend, result | `hit`, `miss` (fetch started), `join` |
|  |  | (joined a fetch in flight), `fresh` (bypassed) |
| `dxgraph_cache_backend_errors_total` | backend | cache backend failures (served uncached) |
| `dxgraph_loader_batch_size` | loader | keys per DataLoader batch (histogram) |
| `dxgraph_http_requests_total` | route, status | HTTP requests, refusals (401, 413, 429) included |

Operation names come from clients: only GraphQL names are kept, and past `MAX_OPERATION_NAMES`
distinct ones the rest count as `other`, so no client can grow the registry without bound.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator, Mapping

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    GCCollector,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, Metric
from prometheus_client.registry import Collector

from resolvers.aws.client import UpstreamCall

__all__ = ["CONTENT_TYPE", "MAX_OPERATION_NAMES", "Metrics"]

CONTENT_TYPE = CONTENT_TYPE_LATEST
MAX_OPERATION_NAMES = 200

_NAME = re.compile(r"^[_A-Za-z][_0-9A-Za-z]{0,99}$")
_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
_BATCH_BUCKETS = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)
_CACHE_RESULTS = {"hits": "hit", "misses": "miss", "joins": "join", "fresh": "fresh"}

CacheSource = Callable[[], tuple[str, Mapping[str, int]] | None]
"""Returns the cache's backend name and its `stats` counters (None before the cache exists)."""


class _CacheCollector(Collector):
    """Reads `ResponseCache.stats` at scrape time (the cache counts; nothing is copied)."""

    def __init__(self, source: CacheSource) -> None:
        self.source = source

    def describe(self) -> list[Metric]:
        return []  # dynamic: `collect` may yield nothing before the app has started

    def collect(self) -> Iterator[Metric]:
        found = self.source()
        if found is None:
            return
        backend, stats = found
        lookups = CounterMetricFamily(
            "dxgraph_cache_lookups",
            "Response cache lookups: hit, miss (a fetch started), join (joined a fetch in "
            "flight), fresh (the caller bypassed the cache).",
            labels=["backend", "result"],
        )
        for key, result in _CACHE_RESULTS.items():
            lookups.add_metric([backend, result], stats.get(key, 0))
        yield lookups
        errors = CounterMetricFamily(
            "dxgraph_cache_backend_errors",
            "Response cache backend failures (the call was served uncached).",
            labels=["backend"],
        )
        errors.add_metric([backend], stats.get("errors", 0))
        yield errors


class Metrics:
    """The metrics of one app. Thread-safe (upstream calls finish in worker threads).

    Args:
        cache: where to read the response cache's counters from at scrape time.
    """

    def __init__(self, cache: CacheSource | None = None) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        registry = self.registry
        self.operations = Counter(
            "dxgraph_graphql_operations",
            "GraphQL operations by operation name, type and outcome (ok or error).",
            ["operation", "type", "outcome"],
            registry=registry,
        )
        self.operation_seconds = Histogram(
            "dxgraph_graphql_operation_duration_seconds",
            "GraphQL operation latency (parsing, validation and execution).",
            ["operation", "type"],
            buckets=_LATENCY_BUCKETS,
            registry=registry,
        )
        self.upstream_calls = Counter(
            "dxgraph_upstream_calls",
            "Direct Connect calls by AWS operation, region and outcome (ok, throttled, "
            "unavailable, auth, rejected, error, cancelled).",
            ["operation", "region", "outcome"],
            registry=registry,
        )
        self.upstream_seconds = Histogram(
            "dxgraph_upstream_call_duration_seconds",
            "Direct Connect call latency, botocore's retries included.",
            ["operation", "region"],
            buckets=_LATENCY_BUCKETS,
            registry=registry,
        )
        self.loader_batches = Histogram(
            "dxgraph_loader_batch_size",
            "Keys per DataLoader batch.",
            ["loader"],
            buckets=_BATCH_BUCKETS,
            registry=registry,
        )
        self.http_requests = Counter(
            "dxgraph_http_requests",
            "HTTP requests by route and status code.",
            ["route", "status"],
            registry=registry,
        )
        if cache is not None:
            registry.register(_CacheCollector(cache))
        ProcessCollector(registry=registry)
        PlatformCollector(registry=registry)
        GCCollector(registry=registry)
        self._names: set[str] = set()
        self._lock = threading.Lock()

    def operation_label(self, name: object) -> str:
        """The label for a client-chosen operation name (bounded; see the module doc)."""
        if name is None:
            return "anonymous"
        if not isinstance(name, str) or not _NAME.match(name):
            return "invalid"
        with self._lock:
            if name in self._names:
                return name
            if len(self._names) >= MAX_OPERATION_NAMES:
                return "other"
            self._names.add(name)
        return name

    def observe_operation(self, name: str, kind: str, outcome: str, seconds: float) -> None:
        """One GraphQL operation; `name` must come from `operation_label`."""
        self.operations.labels(name, kind, outcome).inc()
        self.operation_seconds.labels(name, kind).observe(seconds)

    def observe_upstream(self, call: UpstreamCall) -> None:
        """One Direct Connect call (a `resolvers.aws.client.upstream_observer`)."""
        self.upstream_calls.labels(call.operation, call.region, call.outcome).inc()
        self.upstream_seconds.labels(call.operation, call.region).observe(call.seconds)

    def observe_batch(self, loader: str, size: int) -> None:
        """One DataLoader batch (a `resolvers.data.loaders.batch_observer`)."""
        self.loader_batches.labels(loader).observe(size)

    def observe_request(self, route: str, status: int) -> None:
        self.http_requests.labels(route, str(status)).inc()

    def exposition(self) -> bytes:
        """The registry in Prometheus' text format (`CONTENT_TYPE`)."""
        return generate_latest(self.registry)

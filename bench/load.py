"""Load benchmark: many concurrent GraphQL clients against the gateway and dxsim, each in its own
process.

For each configuration — one gateway (in-memory cache), then `--replicas 2` gateways sharing Redis
(`DXGRAPH_CACHE_BACKEND=redis`, clients split across them) — it starts `dxgraph sim` (demo
topology, `--latency-ms` on every Direct Connect call) and the gateway(s) with the rate limiter
off (`DXGRAPH_RATE_LIMIT_PER_MINUTE=0`), warms up, and runs `--clients` asyncio httpx clients for
`--duration` seconds. Each client sends one request after another, drawn from a mix:

* `topology`: the full topology query (LAGs, connections, VIFs, BGP peers, gateways, tags);
* `list`: connections, LAGs, VIFs or Direct Connect gateways with a few fields;
* `lookup`: Relay `node(id)` or `connection(connectionId:)`;
* `mutation`: `tagResource` then `untagResource` on a connection, or `createConnection` then
  `deleteConnection` — every one with its own `Idempotency-Key`.

Reported per configuration: throughput, p50/p95/p99 per kind and overall, errors by code (target:
none), upstream calls per second (from `/_dxsim/calls`: reads and writes), and each gateway's RSS
(`/proc/<pid>/status`) and CPU before and after. Mutations invalidate the cache of the account's
region, so the mixed phase's upstream reads follow the mutation rate; two read-only phases
(`--read-only-seconds`, with all clients and with a fifth of them) then show that, without writes,
upstream reads are bounded by the cache TTL and not by the number of clients.

Housekeeping: deleted connections stay listed for 15 simulated minutes, as on AWS; between phases
the benchmark moves the simulator's clock 15 minutes so that each phase starts from the same estate
(during a phase they accumulate, as they would on AWS).

Usage: .venv/bin/python bench/load.py [--clients 50] [--duration 60] [--replicas 1,2]
           [--latency-ms 25] [--warmup 5] [--read-only-seconds 15] [--cache-ttl 30]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.resolvers.data.test_batching import TOPOLOGY

ROOT = Path(__file__).resolve().parents[1]
REGIONS = ["us-east-1", "us-west-2"]

LISTS = [
    "{ connections { connectionId connectionName connectionState bandwidth "
    "location { locationCode } } }",
    "{ lags { lagId lagName lagState connectionsBandwidth connections { connectionId } } }",
    "{ virtualInterfaces { virtualInterfaceId vlan virtualInterfaceState "
    "bgpPeers { addressFamily bgpStatus } } }",
    "{ directConnectGateways { edges { node { directConnectGatewayId "
    "directConnectGatewayName amazonSideAsn } } } }",
]
NODE = """query($id: ID!) { node(id: $id) { id
  ... on DxConnection { connectionName connectionState }
  ... on Lag { lagName lagState }
  ... on VirtualInterface { virtualInterfaceName vlan } } }"""
CONNECTION = """query($id: String!) { connection(connectionId: $id) {
  connectionName bandwidth tags { key value } } }"""
DISCOVER = """{ connections { id connectionId arn region connectionState }
  lags { id } virtualInterfaces { id } }"""
TAG = """mutation($arn: String!, $key: String!, $value: String!) {
  tagResource(input: {resourceArn: $arn, tags: [{key: $key, value: $value}]}) {
    tags { key } } }"""
UNTAG = """mutation($arn: String!, $key: String!) {
  untagResource(input: {resourceArn: $arn, tagKeys: [$key]}) { tags { key } } }"""
CREATE = """mutation($name: String!) {
  createConnection(input: {location: "EqDC2", bandwidth: "1Gbps", connectionName: $name}) {
    connection { connectionId connectionState } } }"""
DELETE = """mutation($id: String!) {
  deleteConnection(input: {connectionId: $id}) { connection { connectionId connectionState } } }"""

MIXED = {"topology": 10, "list": 35, "lookup": 35, "tag": 15, "create": 5}
READ_ONLY = {"topology": 10, "list": 45, "lookup": 45}


@dataclass
class Estate:
    """IDs the clients use: Relay node IDs, connection IDs and ARNs (none deleted)."""

    node_ids: list[str]
    connection_ids: list[str]
    arns: list[str]


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: Counter[str] = field(default_factory=Counter)
    requests: int = 0

    def add(self, kind: str, seconds: float, error: str | None) -> None:
        self.requests += 1
        self.latencies.setdefault(kind, []).append(seconds * 1000)
        if error is not None:
            self.errors[f"{kind}: {error}"] += 1


@dataclass
class Process:
    name: str
    popen: subprocess.Popen[bytes]
    log: Path
    url: str

    @property
    def pid(self) -> int:
        return self.popen.pid

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()


# -- processes -----------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_sim(workdir: Path, latency_ms: float) -> Process:
    log = workdir / "dxsim.log"
    command = [
        sys.executable,
        "-m",
        "dxsim",
        "--port",
        "0",
        "--seed",
        "demo",
        "--provisioning-delay",
        "0",
        "--latency-ms",
        str(latency_ms),
    ]
    popen = subprocess.Popen(command, stdout=log.open("wb"), stderr=subprocess.STDOUT, cwd=ROOT)
    give_up = time.monotonic() + 30
    while time.monotonic() < give_up:
        found = re.search(r"listening on (http://\S+)", log.read_text(errors="replace"))
        if found:
            return Process("dxsim", popen, log, found.group(1))
        if popen.poll() is not None:
            break
        time.sleep(0.05)
    raise RuntimeError(f"dxsim did not start:\n{log.read_text(errors='replace')}")


def start_gateway(workdir: Path, index: int, sim_url: str, env: dict[str, str]) -> Process:
    port = free_port()
    log = workdir / f"gateway-{index}.log"
    command = [
        sys.executable,
        "-m",
        "gql",
        "serve",
        "--dx-endpoint",
        sim_url,
        "--port",
        str(port),
        "--regions",
        ",".join(REGIONS),
    ]
    popen = subprocess.Popen(
        command,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        cwd=ROOT,
        env={**os.environ, **env},
    )
    url = f"http://127.0.0.1:{port}"
    give_up = time.monotonic() + 60
    while time.monotonic() < give_up:
        if popen.poll() is not None:
            break
        try:
            response = httpx.post(f"{url}/graphql", json={"query": "{ regions }"}, timeout=5)
            if response.status_code == 200:
                return Process(f"gateway-{index}", popen, log, url)
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    popen.kill()
    raise RuntimeError(f"gateway {index} did not start:\n{log.read_text(errors='replace')}")


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# -- the clients ---------------------------------------------------------------------------------
def discover(url: str) -> Estate:
    body = httpx.post(f"{url}/graphql", json={"query": DISCOVER}, timeout=30).json()
    assert "errors" not in body, body["errors"]
    data = body["data"]
    connections = [
        c
        for c in data["connections"]
        if str(c["connectionState"]).lower() not in ("deleted", "deleting", "rejected")
    ]
    return Estate(
        node_ids=[
            *(c["id"] for c in connections),
            *(lag["id"] for lag in data["lags"]),
            *(vif["id"] for vif in data["virtualInterfaces"]),
        ],
        connection_ids=[c["connectionId"] for c in connections],
        arns=[c["arn"] for c in connections],
    )


def error_of(response: httpx.Response) -> str | None:
    if response.status_code != 200:
        return f"HTTP {response.status_code}"
    body = response.json()
    errors = body.get("errors")
    if errors:
        return ",".join(sorted({str(e.get("extensions", {}).get("code")) for e in errors}))
    return None


async def send(
    http: httpx.AsyncClient,
    results: Results,
    kind: str,
    query: str,
    variables: dict[str, Any] | None = None,
    key: bool = False,
) -> dict[str, Any] | None:
    headers = {"Idempotency-Key": f"load-{uuid.uuid4()}"} if key else {}
    begin = time.perf_counter()
    try:
        response = await http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
        error = error_of(response)
    except httpx.HTTPError as err:
        results.add(kind, time.perf_counter() - begin, type(err).__name__)
        return None
    results.add(kind, time.perf_counter() - begin, error)
    if error is not None:
        return None
    data: dict[str, Any] = response.json()["data"]
    return data


async def client(
    number: int,
    url: str,
    estate: Estate,
    mix: dict[str, int],
    stop_at: float,
    results: Results,
) -> None:
    rng = random.Random(number)
    kinds, weights = list(mix), list(mix.values())
    serial = 0
    async with httpx.AsyncClient(base_url=url, timeout=60) as http:
        while time.monotonic() < stop_at:
            serial += 1
            kind = rng.choices(kinds, weights)[0]
            if kind == "topology":
                await send(http, results, kind, TOPOLOGY)
            elif kind == "list":
                await send(http, results, kind, rng.choice(LISTS))
            elif kind == "lookup":
                if rng.random() < 0.5:
                    await send(http, results, kind, NODE, {"id": rng.choice(estate.node_ids)})
                else:
                    connection_id = rng.choice(estate.connection_ids)
                    await send(http, results, kind, CONNECTION, {"id": connection_id})
            elif kind == "tag":
                arn, tag_key = rng.choice(estate.arns), f"load-{number}"
                tagged = {"arn": arn, "key": tag_key, "value": str(serial)}
                await send(http, results, "mutation", TAG, tagged, key=True)
                await send(http, results, "mutation", UNTAG, {"arn": arn, "key": tag_key}, key=True)
            elif kind == "create":
                name = f"load-{number}-{serial}"
                data = await send(http, results, "mutation", CREATE, {"name": name}, key=True)
                if data is not None:
                    created = data["createConnection"]["connection"]["connectionId"]
                    await send(http, results, "mutation", DELETE, {"id": created}, key=True)


def purge_deleted(sim_url: str) -> None:
    """Moves the simulated clock past the 15 minutes deleted resources stay listed."""
    httpx.post(f"{sim_url}/_dxsim/clock/advance", json={"seconds": 901}, timeout=30)


async def run_phase(
    urls: list[str],
    sim_url: str,
    estate: Estate,
    clients: int,
    seconds: float,
    mix: dict[str, int],
) -> Results:
    purge_deleted(sim_url)
    results = Results()
    stop_at = time.monotonic() + seconds
    await asyncio.gather(
        *(client(n, urls[n % len(urls)], estate, mix, stop_at, results) for n in range(clients))
    )
    return results


# -- one configuration -----------------------------------------------------------------------------
def upstream_calls(sim_url: str) -> Counter[str]:
    operations = httpx.get(f"{sim_url}/_dxsim/calls", timeout=30).json()["operations"]
    return Counter(operations)


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    if len(samples) < 2:
        value = samples[0] if samples else float("nan")
        return value, value, value
    q = statistics.quantiles(samples, n=100, method="inclusive")
    return q[49], q[94], q[98]


def measured(
    label: str,
    results: Results,
    seconds: float,
    calls: Counter[str],
    clients: int,
) -> dict[str, Any]:
    everything = [ms for samples in results.latencies.values() for ms in samples]
    reads = sum(n for op, n in calls.items() if op.startswith("Describe"))
    writes = sum(calls.values()) - reads
    return {
        "phase": label,
        "clients": clients,
        "seconds": seconds,
        "requests": results.requests,
        "throughput": results.requests / seconds,
        "latency": {
            kind: dict(zip(("p50", "p95", "p99"), percentiles(samples), strict=True))
            | {"count": len(samples)}
            for kind, samples in sorted(results.latencies.items())
        }
        | {
            "all": dict(zip(("p50", "p95", "p99"), percentiles(everything), strict=True))
            | {"count": len(everything)}
        },
        "errors": dict(results.errors),
        "upstream": {
            "reads_per_second": reads / seconds,
            "writes_per_second": writes / seconds,
            "by_operation": dict(sorted(calls.items())),
        },
    }


def run_configuration(args: argparse.Namespace, replicas: int) -> dict[str, Any]:
    backend = "memory" if replicas == 1 else "redis"
    label = f"{replicas} gateway{'s' if replicas > 1 else ''} ({backend} cache)"
    print(f"\n=== {label}: starting dxsim and the gateway(s)", flush=True)
    env = {
        "DXGRAPH_RATE_LIMIT_PER_MINUTE": "0",
        "DXGRAPH_CACHE_BACKEND": backend,
        "DXGRAPH_REDIS_URL": args.redis_url,
        "DXGRAPH_CACHE_NAMESPACE": f"load-{uuid.uuid4().hex[:12]}",
        "DXGRAPH_CACHE_TTL_SECONDS": str(args.cache_ttl),
        "DXGRAPH_LOG_LEVEL": "WARNING",
    }
    with tempfile.TemporaryDirectory(prefix="dxgraph-load-") as tmp:
        workdir = Path(tmp)
        sim = start_sim(workdir, args.latency_ms)
        gateways: list[Process] = []
        try:
            gateways = [start_gateway(workdir, i, sim.url, env) for i in range(replicas)]
            urls = [g.url for g in gateways]
            estate = discover(urls[0])
            print(
                f"    estate: {len(estate.node_ids)} nodes, {len(estate.arns)} taggable "
                f"connections; warming up {args.warmup:g} s",
                flush=True,
            )
            asyncio.run(run_phase(urls, sim.url, estate, args.clients, args.warmup, args.mix))
            rss_before = [rss_mib(g.pid) for g in gateways]
            cpu_before = [cpu_seconds(g.pid) for g in gateways]
            calls_before = upstream_calls(sim.url)
            print(f"    mixed load: {args.clients} clients for {args.duration:g} s", flush=True)
            began = time.monotonic()
            results = asyncio.run(
                run_phase(urls, sim.url, estate, args.clients, args.duration, args.mix)
            )
            elapsed = time.monotonic() - began
            calls = upstream_calls(sim.url) - calls_before
            rss_after = [rss_mib(g.pid) for g in gateways]
            cpu_after = [cpu_seconds(g.pid) for g in gateways]
            report = measured("mixed", results, elapsed, calls, args.clients)
            report["gateways"] = [
                {
                    "rss_mib_before": before,
                    "rss_mib_after": after,
                    "cpu_percent": 100 * (c_after - c_before) / elapsed,
                }
                for before, after, c_before, c_after in zip(
                    rss_before, rss_after, cpu_before, cpu_after, strict=True
                )
            ]
            phases = [report]
            if args.read_only_seconds > 0:
                for clients in (args.clients, max(1, args.clients // 5)):
                    print(
                        f"    read-only: {clients} clients for {args.read_only_seconds:g} s",
                        flush=True,
                    )
                    asyncio.run(run_phase(urls, sim.url, estate, clients, 2, READ_ONLY))
                    before = upstream_calls(sim.url)
                    began = time.monotonic()
                    ro = asyncio.run(
                        run_phase(urls, sim.url, estate, clients, args.read_only_seconds, READ_ONLY)
                    )
                    elapsed = time.monotonic() - began
                    ro_calls = upstream_calls(sim.url) - before
                    phases.append(measured("read-only", ro, elapsed, ro_calls, clients))
            for gateway_report, gateway in zip(report["gateways"], gateways, strict=True):
                gateway_report["rss_mib_end"] = rss_mib(gateway.pid)
            return {"configuration": label, "replicas": replicas, "phases": phases}
        finally:
            for process in [*gateways, sim]:
                process.stop()


# -- output ----------------------------------------------------------------------------------------
def print_report(report: dict[str, Any]) -> None:
    print(f"\n## {report['configuration']}")
    for phase in report["phases"]:
        print(
            f"\n{phase['phase']}: {phase['clients']} clients, {phase['seconds']:.0f} s, "
            f"{phase['requests']} requests, {phase['throughput']:.1f} req/s"
        )
        print(f"  {'kind':<10} {'count':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
        for kind, lat in phase["latency"].items():
            print(
                f"  {kind:<10} {lat['count']:>7} {lat['p50']:>8.1f} {lat['p95']:>8.1f} "
                f"{lat['p99']:>8.1f}"
            )
        errors = phase["errors"]
        print(f"  errors: {sum(errors.values())}" + (f" {errors}" if errors else ""))
        upstream = phase["upstream"]
        print(
            f"  upstream calls/s: {upstream['reads_per_second']:.1f} reads (Describe*), "
            f"{upstream['writes_per_second']:.1f} writes"
        )
        for index, gateway in enumerate(phase.get("gateways", [])):
            end = gateway.get("rss_mib_end")
            print(
                f"  gateway {index}: RSS {gateway['rss_mib_before']:.1f} -> "
                f"{gateway['rss_mib_after']:.1f} MiB"
                + (f" ({end:.1f} MiB after the read-only phases)" if end else "")
                + f", CPU {gateway['cpu_percent']:.0f}%"
            )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of mixed load")
    parser.add_argument("--replicas", default="1,2", help="configurations to run, e.g. 1,2")
    parser.add_argument("--latency-ms", type=float, default=25.0)
    parser.add_argument("--warmup", type=float, default=5.0)
    parser.add_argument("--read-only-seconds", type=float, default=15.0)
    parser.add_argument("--cache-ttl", type=float, default=30.0)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument(
        "--mix",
        default=",".join(f"{kind}={weight}" for kind, weight in MIXED.items()),
        help="weights of the mixed phase (kinds: topology, list, lookup, tag, create)",
    )
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    args = parser.parse_args()
    args.mix = {
        kind: int(weight) for kind, _, weight in (p.partition("=") for p in args.mix.split(","))
    }
    unknown = set(args.mix) - set(MIXED)
    if unknown:
        parser.error(f"--mix: unknown kinds {', '.join(sorted(unknown))}")
    print(
        f"dxgraph load benchmark - {time.strftime('%Y-%m-%d %H:%M')} on {platform.node()}: "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}; "
        f"{args.latency_ms:g} ms per Direct Connect call, cache TTL {args.cache_ttl:g} s",
        flush=True,
    )
    reports = [run_configuration(args, int(n)) for n in args.replicas.split(",")]
    for report in reports:
        print_report(report)
    if args.json:
        Path(args.json).write_text(json.dumps(reports, indent=2))
    failed = sum(sum(p["errors"].values()) for r in reports for p in r["phases"])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

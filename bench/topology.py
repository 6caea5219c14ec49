"""Benchmark: the full topology query through the gateway vs. a hand-written boto3 baseline.

For 10, 100 and 1,000 VIFs (split over two regions) it seeds `dxsim` (a separate process), sets
25 ms of latency on every Direct Connect call, and measures:

* the gateway (`dxgraph serve` in its own process): upstream calls by operation for one query,
  p50/p95 cold (`Cache-Control: no-cache`: every read goes upstream) and warm (from the cache);
* the baseline, measured in the same run: a concurrent boto3 script making the minimal calls for
  the same data (every list per region at once, then DX gateway associations and tags in batches
  of 20 at once);
* the ratio gateway-cold / baseline. Targets: equal call counts at every size; ratio <= 1.2.

Usage: .venv/bin/python bench/topology.py [--sizes 10,100,1000] [--rounds 25] [--latency-ms 25]
"""

from __future__ import annotations

import argparse
import concurrent.futures
import re
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import boto3
import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.gql.topology import ACCOUNT, arn, build
from tests.resolvers.data.test_batching import TOPOLOGY

REGIONS = ["us-east-1", "us-west-2"]
TAG_BATCH = 20


def start(command: list[str], pattern: str) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        match = re.search(pattern, line)
        if match:
            return proc, match.group(1)
    raise RuntimeError(f"{command} did not start")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def clients(url: str) -> dict[str, Any]:
    return {
        region: boto3.client(
            "directconnect",
            region_name=region,
            endpoint_url=url,
            aws_access_key_id="test",
            aws_secret_access_key="test",
        )
        for region in REGIONS
    }


def baseline(dx: dict[str, Any], pool: concurrent.futures.ThreadPoolExecutor) -> int:
    """The same data as the topology query, by hand, with the fewest round trips."""
    home = dx[REGIONS[0]]
    lists = {
        (region, op): pool.submit(getattr(client, op))
        for region, client in dx.items()
        for op in (
            "describe_lags",
            "describe_connections",
            "describe_virtual_interfaces",
            "describe_locations",
            "describe_virtual_gateways",
        )
    }
    gateways_future = pool.submit(
        lambda: [
            g
            for page in home.get_paginator("describe_direct_connect_gateways").paginate()
            for g in page["directConnectGateways"]
        ]
    )
    gateways = gateways_future.result()
    arns = [
        f"arn:aws:directconnect::{ACCOUNT}:dx-gateway/{g['directConnectGatewayId']}"
        for g in gateways
    ]
    by_region: dict[str, list[str]] = {REGIONS[0]: list(arns)}
    for region in REGIONS:
        ids = [lag["lagId"] for lag in lists[(region, "describe_lags")].result()["lags"]]
        ids += [
            c["connectionId"]
            for c in lists[(region, "describe_connections")].result()["connections"]
        ]
        ids += [
            v["virtualInterfaceId"]
            for v in lists[(region, "describe_virtual_interfaces")].result()["virtualInterfaces"]
        ]
        by_region.setdefault(region, []).extend(arn(region, i) for i in ids)
    second = [
        pool.submit(
            home.describe_direct_connect_gateway_associations,
            directConnectGatewayId=g["directConnectGatewayId"],
        )
        for g in gateways
    ]
    for region, region_arns in by_region.items():
        for i in range(0, len(region_arns), TAG_BATCH):
            second.append(
                pool.submit(dx[region].describe_tags, resourceArns=region_arns[i : i + TAG_BATCH])
            )
    for future in [*lists.values(), *second]:
        future.result()
    return len(gateways)


def timed(fn: Callable[[], Any], rounds: int) -> list[float]:
    samples = []
    for _ in range(rounds):
        begin = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - begin) * 1000)
    return samples


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[18]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100,1000")
    parser.add_argument("--rounds", type=int, default=25)
    parser.add_argument("--latency-ms", type=float, default=25.0)
    args = parser.parse_args()
    sim, sim_url = start(
        [sys.executable, "-m", "dxsim", "--port", "0", "--provisioning-delay", "0"],
        r"listening on (http://\S+)",
    )
    port = free_port()
    gateway, _ = start(
        [
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
        ],
        r"(GraphQL gateway)",
    )
    gql_url = f"http://127.0.0.1:{port}/graphql"
    control = httpx.Client(base_url=f"{sim_url}/_dxsim", timeout=60)
    http = httpx.Client(timeout=120)
    pool = concurrent.futures.ThreadPoolExecutor(32)
    rows = []
    try:
        for _ in range(100):
            try:
                http.post(gql_url, json={"query": "{ regions }"})
                break
            except httpx.TransportError:
                time.sleep(0.1)
        for size in (int(s) for s in args.sizes.split(",")):
            control.post("/reset", json={}).raise_for_status()
            control.put("/faults", json={"latencyMs": 0}).raise_for_status()
            dx = clients(sim_url)
            build(dx, size // len(REGIONS))
            control.put("/faults", json={"latencyMs": args.latency_ms}).raise_for_status()

            def query(fresh: bool) -> None:
                headers = {"Cache-Control": "no-cache"} if fresh else {}
                body = http.post(gql_url, json={"query": TOPOLOGY}, headers=headers).json()
                assert "errors" not in body, body["errors"]

            control.delete("/calls")
            query(True)
            gateway_calls = control.get("/calls").json()["operations"]
            control.delete("/calls")
            baseline(dx, pool)
            baseline_calls = control.get("/calls").json()["operations"]
            cold = timed(lambda: query(True), args.rounds)
            query(False)
            warm = timed(lambda: query(False), args.rounds)
            base = timed(lambda dx=dx: baseline(dx, pool), args.rounds)  # type: ignore[misc]
            rows.append((size, gateway_calls, baseline_calls, cold, warm, base))
    finally:
        gateway.terminate()
        sim.terminate()
        pool.shutdown()
    print(f"latency {args.latency_ms:.0f} ms per Direct Connect call; {args.rounds} rounds each\n")
    print(
        f"{'VIFs':>5} {'calls gw/base':>13} {'cold p50':>9} {'cold p95':>9} {'warm p50':>9} "
        f"{'warm p95':>9} {'base p50':>9} {'base p95':>9} {'cold/base':>9}"
    )
    for size, gw_calls, base_calls, cold, warm, base in rows:
        ratio = statistics.median(cold) / statistics.median(base)
        print(
            f"{size:>5} {sum(gw_calls.values()):>6}/{sum(base_calls.values()):<6} "
            f"{statistics.median(cold):9.1f} {p95(cold):9.1f} {statistics.median(warm):9.1f} "
            f"{p95(warm):9.1f} {statistics.median(base):9.1f} {p95(base):9.1f} {ratio:9.2f}"
        )
    print("\nupstream calls by operation (gateway | baseline):")
    for size, gw_calls, base_calls, *_ in rows:
        ops = sorted(set(gw_calls) | set(base_calls))
        detail = ", ".join(f"{op} {gw_calls.get(op, 0)}|{base_calls.get(op, 0)}" for op in ops)
        same = "equal" if gw_calls == base_calls else "DIFFERENT"
        print(f"{size:>5} VIFs ({same}): {detail}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

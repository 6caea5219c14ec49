"""Benchmark: dxsim with 1,000 VIFs — how long do the big describe calls take?

Starts `python -m dxsim` on an ephemeral port (a separate process, as a user would run it),
seeds 1,000 private VIFs on 20 connections through boto3, then times
`describe_virtual_interfaces` (all) and `describe_connections` with boto3 (what a user sees) and
as raw signed HTTP (server and transport only). The baseline, measured in the same run, is
`describe_locations` (a tiny call): the ratios show what the size of the answer costs. Target:
under 50 ms per call.

Usage: .venv/bin/python bench/dxsim_describe.py [--vifs 1000] [--rounds 30]
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import boto3
import httpx
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

VIFS_PER_CONNECTION = 50


def start_simulator() -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "dxsim", "--port", "0", "--provisioning-delay", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        match = re.search(r"listening on (http://\S+)", line)
        if match:
            return proc, match.group(1)
    raise RuntimeError("dxsim did not start")


def seed(dx: Any, vifs: int) -> None:
    vgw = dx.describe_virtual_gateways()["virtualGateways"][0]["virtualGatewayId"]
    connections = (vifs + VIFS_PER_CONNECTION - 1) // VIFS_PER_CONNECTION
    made = 0
    for c in range(connections):
        conn = dx.create_connection(location="EqDC2", bandwidth="10Gbps", connectionName=f"c{c}")
        for n in range(min(VIFS_PER_CONNECTION, vifs - made)):
            dx.create_private_virtual_interface(
                connectionId=conn["connectionId"],
                newPrivateVirtualInterface={
                    "virtualInterfaceName": f"vif-{c}-{n}",
                    "vlan": 100 + n,
                    "asn": 65000,
                    "virtualGatewayId": vgw,
                },
            )
            made += 1


def raw_caller(url: str, operation: str) -> Callable[[], int]:
    client = httpx.Client()
    creds = Credentials("test", "test")

    def call() -> int:
        request = AWSRequest(
            method="POST",
            url=url + "/",
            data=b"{}",
            headers={
                "Content-Type": "application/x-amz-json-1.1",
                "X-Amz-Target": f"OvertureService.{operation}",
            },
        )
        SigV4Auth(creds, "directconnect", "us-east-1").add_auth(request)
        response = client.post(url + "/", content=b"{}", headers=dict(request.headers.items()))
        response.raise_for_status()
        return len(response.content)

    return call


def timed(fn: Callable[[], Any], rounds: int) -> list[float]:
    fn()  # warm-up
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def pct(samples: list[float], q: float) -> float:
    return statistics.quantiles(samples, n=100)[int(q) - 1] if len(samples) > 1 else samples[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vifs", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    proc, url = start_simulator()
    try:
        dx = boto3.client(
            "directconnect",
            region_name="us-east-1",
            endpoint_url=url,
            aws_access_key_id="test",
            aws_secret_access_key="test",
        )
        started = time.perf_counter()
        seed(dx, args.vifs)
        seeded_in = time.perf_counter() - started
        count = len(dx.describe_virtual_interfaces()["virtualInterfaces"])
        print(
            f"dxsim at {url}: seeded {count} VIFs in {seeded_in:.1f} s "
            f"({seeded_in / max(count, 1) * 1000:.1f} ms per create call)"
        )
        cases: list[tuple[str, Callable[[], Any]]] = [
            ("describe_locations (baseline), boto3", dx.describe_locations),
            ("describe_virtual_interfaces (all), boto3", dx.describe_virtual_interfaces),
            ("describe_connections (all), boto3", dx.describe_connections),
            ("describe_locations (baseline), raw HTTP", raw_caller(url, "DescribeLocations")),
            ("describe_virtual_interfaces, raw HTTP", raw_caller(url, "DescribeVirtualInterfaces")),
            ("describe_connections, raw HTTP", raw_caller(url, "DescribeConnections")),
        ]
        results = {name: timed(fn, args.rounds) for name, fn in cases}
        base_boto = statistics.median(results[cases[0][0]])
        base_raw = statistics.median(results[cases[3][0]])
        print(f"\n{'call':45} {'p50 ms':>8} {'p95 ms':>8} {'x baseline':>10}")
        for index, (name, samples) in enumerate(results.items()):
            base = base_boto if index < 3 else base_raw
            p50 = statistics.median(samples)
            print(f"{name:45} {p50:8.1f} {pct(samples, 95):8.1f} {p50 / base:10.1f}")
        names = list(results)
        raw_worst = max(statistics.median(results[n]) for n in names[3:])
        boto_worst = max(statistics.median(results[n]) for n in names[:3])
        print(
            f"\nslowest p50, simulator + HTTP (raw): {raw_worst:.1f} ms (target < 50 ms): "
            f"{'OK' if raw_worst < 50 else 'OVER'}"
        )
        print(
            f"slowest p50, boto3 end to end: {boto_worst:.1f} ms (includes botocore parsing "
            f"the answer: {boto_worst - raw_worst:.1f} ms more than raw)"
        )
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

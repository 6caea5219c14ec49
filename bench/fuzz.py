"""Long fuzz run: schemathesis (GraphQL mode) against a running gateway over the simulator.

Starts `dxgraph sim --seed demo` and `dxgraph serve` in their own processes on free loopback
ports (or fuzzes the gateway at `--url`), loads the schema by introspection, and sends
`--examples` generated requests per query and mutation field — valid and schema-violating ones
mixed, with real resource IDs and in-range numbers substituted into many of the valid ones (see
tests/gql/engine/test_fuzz.py). Every answer is checked: never a 5xx or a traceback, every error
with `extensions.code` (never INTERNAL_ERROR), `data` conforming to the schema for the document
sent. Prints the number of requests, answers by HTTP status and by outcome, error codes, the
gateway's own ERROR log lines, and every distinct failure with a command that reproduces it;
exits 1 if there was any failure.

Usage: .venv/bin/python bench/fuzz.py [--examples 100] [--only createLag,lags] [--url URL]
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.gql.engine.test_fuzz import (
    Failure,
    FuzzStats,
    Pools,
    fuzz_operation,
    harvest,
    load_schema,
    operation_labels,
)

REGIONS = "us-east-1,us-west-2"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(url: str, process: subprocess.Popen[bytes], name: str) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            httpx.get(url, timeout=2)
            return
        except httpx.TransportError:
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited with {process.returncode}") from None
            if time.monotonic() > deadline:
                raise RuntimeError(f"{name} did not start") from None
            time.sleep(0.1)


@contextmanager
def servers(log: Path) -> Iterator[str]:
    """dxsim (demo topology) and the gateway in their own processes; yields the gateway URL."""
    sim_port, gateway_port = free_port(), free_port()
    sim_url = f"http://127.0.0.1:{sim_port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DXGRAPH_", "AWS_"))}
    env |= {
        "DXGRAPH_RATE_LIMIT_PER_MINUTE": "0",  # the fuzzer is one fast caller; this is about input
        "DXGRAPH_MAX_ATTEMPTS": "1",
        "DXGRAPH_LOG_LEVEL": "WARNING",
        "DXGRAPH_LOG_FORMAT": "text",
    }
    python = [sys.executable, "-m", "gql"]
    with log.open("wb") as out:
        sim = subprocess.Popen(
            [
                *python,
                "sim",
                "--port",
                str(sim_port),
                "--seed",
                "demo",
                "--provisioning-delay",
                "0",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        gateway = subprocess.Popen(
            [
                *python,
                "serve",
                "--port",
                str(gateway_port),
                "--dx-endpoint",
                sim_url,
                "--regions",
                REGIONS,
            ],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until_up(f"{sim_url}/_dxsim/health", sim, "dxgraph sim")
            url = f"http://127.0.0.1:{gateway_port}"
            wait_until_up(f"{url}/healthz", gateway, "dxgraph serve")
            yield url
        finally:
            for process in (gateway, sim):
                process.terminate()
                process.wait(timeout=15)


def distinct(failures: list[Failure]) -> dict[tuple[str, str, str], list[Failure]]:
    """Failures grouped by operation, mode and the first problem's kind (text up to a colon)."""
    groups: dict[tuple[str, str, str], list[Failure]] = {}
    for failure in failures:
        kind = failure.problems[0].split(":", 1)[0][:80]
        groups.setdefault((failure.operation, failure.mode, kind), []).append(failure)
    return groups


def run(url: str, examples: int, only: list[str]) -> FuzzStats:
    labels = [label for label in operation_labels() if not only or label.split(".")[1] in only]
    st_schema = load_schema(url)
    pools = Pools()
    stats = FuzzStats()
    started = time.monotonic()
    with httpx.Client(timeout=60) as client:
        harvest(url, pools, client)
        for index, label in enumerate(labels, start=1):
            sent, failed = stats.requests, len(stats.failures)
            fuzz_operation(st_schema, label, url, client, pools, stats, examples)
            sent, failed = stats.requests - sent, len(stats.failures) - failed
            flag = f"  {failed} FAILED" if failed else ""
            print(f"[{index:>2}/{len(labels)}] {label:<52} {sent:>5} requests{flag}", flush=True)
    elapsed = time.monotonic() - started
    print()
    print(f"gateway: {url}")
    print(f"requests: {stats.requests} in {elapsed:.0f} s ({stats.requests / elapsed:.1f}/s)")
    print(f"by mode: {dict(sorted(stats.modes.items()))}")
    print(f"outcomes: {dict(sorted(stats.outcomes.items()))}")
    print(f"responses by status: {dict(sorted(stats.statuses.items()))}")
    print("error codes: " + ", ".join(f"{c} {n}" for c, n in stats.codes.most_common()))
    groups = distinct(stats.failures)
    print(f"failures: {len(stats.failures)} ({len(groups)} distinct)")
    for group in groups.values():
        body = shlex.quote(json.dumps({"query": group[0].query}))
        print(f"\n--- {len(group)}x {group[0]}")
        print(f"  reproduce: curl -s {url}/graphql -H 'content-type: application/json' -d {body}")
    return stats


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=100, help="requests per operation")
    parser.add_argument("--only", default="", help="comma-separated root fields to fuzz")
    parser.add_argument("--url", default=None, help="fuzz this gateway instead of starting one")
    args = parser.parse_args()
    only = [name.strip() for name in args.only.split(",") if name.strip()]
    if args.url:
        return 1 if run(args.url.rstrip("/"), args.examples, only).failures else 0
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "gateway.log"
        with servers(log) as url:
            stats = run(url, args.examples, only)
        errors = [line for line in log.read_text().splitlines() if "ERROR" in line]
        print(f"gateway log: {len(errors)} ERROR line(s)")
        for line in errors[:20]:
            print(f"  {line[:300]}")
    return 1 if stats.failures or errors else 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: two query shapes through the gateway vs. hand-written boto3 baselines.

The shapes, side by side:

* `topology` — the fixed topology query of bench/topology.py
  (tests/resolvers/data/test_batching.py);
* `every-link` — the query tests/gql/shapes.py generates from the running gateway's
  introspection: every root list and, below them, every link field of the schema once (tags,
  LOAs, hosted connections, DX gateway associations and attachments, unions…).

For each size (VIFs, split over two regions, built by tests/gql/topology.py) it seeds `dxsim` (its
own process), sets a latency on every Direct Connect call, and measures for each shape:

* upstream calls by operation (dxsim's `/_dxsim/calls`) of the gateway (`dxgraph serve`, its own
  process) for one cold query, and of the shape's baseline;
* the gateway's p50/p95 cold (`Cache-Control: no-cache`: every read goes upstream) and p50 warm;
* the baseline's p50: a concurrent boto3 script making the minimal calls for the same data, in
  the fewest dependent rounds, measured in the same run (its samples interleaved with the cold
  ones, so that a busy machine slows both alike). Round 1: every list at once. Round 2:
  everything that needs a list, at once. The topology baseline is bench/topology.py's. The
  every-link baseline's round 1 is every regional list per region (describe_connections,
  _interconnects, _lags, _virtual_interfaces, _virtual_gateways, _locations) and
  describe_direct_connect_gateways; its round 2 is describe_hosted_connections per interconnect
  and LAG, the associations and attachments of each DX gateway (further pages follow their first
  one: a gateway with over 100 attachments needs more rounds, for the baseline as for the
  gateway), describe_tags in batches of 20 ARNs per region (DX gateway ARNs in the home
  region's) and describe_loa per object of the root lists whose `loa` the query selects (checked
  on the generated query). Both sides get 32 concurrent calls and HTTP connections (the
  gateway's default `upstream_workers`);
* cold / baseline, target <= 1.2x (printed, never failed);
* "≈ rounds": round(cold p50 / latency), a rough estimate of the dependent upstream round trips
  of a cold query that counts CPU time as rounds too; and "probed rounds": how much the p50
  grows when every call takes `--probe-ms` longer, in units of that probe — the latency-bound
  round trips alone (0 disables the probe). Both for the gateway and the baseline.

Usage: .venv/bin/python bench/shapes.py [--sizes 10,1000] [--rounds 10] [--latency-ms 25]
       [--probe-ms 250] [--probe-rounds 4]
"""

from __future__ import annotations

import argparse
import concurrent.futures
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import graphql
import httpx
from botocore.config import Config

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.topology import REGIONS, TAG_BATCH, baseline, clients, free_port, p95, start, timed
from tests.gql.shapes import every_link_query, introspect, link_fields
from tests.gql.topology import ACCOUNT, arn, build
from tests.resolvers.data.test_batching import TOPOLOGY

WORKERS = 32  # the gateway's default upstream_workers (threads and HTTP connections)
TARGET = 1.2
LOA_ROOTS = {"connections": "connections", "lags": "lags", "interconnects": "interconnects"}

Clients = dict[str, Any]
Pool = concurrent.futures.ThreadPoolExecutor


# -- what the every-link query reads ----------------------------------------------------------
@dataclass(frozen=True)
class Reads:
    """The per-object reads a query needs beyond the lists (from its links and LOA fields)."""

    hosted: bool  # describe_hosted_connections per interconnect and LAG
    associations: bool  # per DX gateway
    attachments: bool  # per DX gateway
    tags: frozenset[str]  # kinds whose tags it reads: lags, connections, interconnects, ...
    loas: frozenset[str]  # root lists whose objects' LOA it reads

    @classmethod
    def of(cls, introspection: Mapping[str, Any], query: str) -> Reads:
        links = link_fields(introspection)
        tagged = {
            "DxConnection": "connections",
            "Lag": "lags",
            "Interconnect": "interconnects",
            "VirtualInterface": "virtual_interfaces",
            "DirectConnectGateway": "gateways",
        }
        tags = {kind for type_name, kind in tagged.items() if (type_name, "tags") in links}
        return cls(
            hosted=bool(
                links
                & {
                    ("Lag", "hostedConnections"),
                    ("Interconnect", "hostedConnections"),
                    ("DxConnection", "parent"),
                }
            ),
            associations=bool(
                links
                & {
                    ("DirectConnectGateway", "associations"),
                    ("DirectConnectGateway", "virtualGateways"),
                    ("VirtualGateway", "associations"),
                    ("VirtualGateway", "directConnectGateways"),
                }
            ),
            attachments=bool(
                links
                & {
                    ("DirectConnectGateway", "attachments"),
                    ("DirectConnectGateway", "virtualInterfaces"),
                }
            ),
            tags=frozenset(tags),
            loas=frozenset(_loa_roots(query)),
        )


def _loa_roots(query: str) -> set[str]:
    """The root lists whose objects' `loa` the query selects directly; anywhere else is a shape
    this baseline does not model (it would need the objects of a deeper list)."""
    roots = set()
    for path in _paths(graphql.parse(query), "loa"):
        if len(path) != 2 or path[0] not in LOA_ROOTS:
            raise NotImplementedError(f"the baseline does not model `loa` at {'.'.join(path)}")
        roots.add(path[0])
    return roots


def _paths(document: graphql.DocumentNode, name: str) -> list[list[str]]:
    """Response paths (field names, fragments skipped) of every field called `name`."""
    found: list[list[str]] = []

    def walk(selection_set: graphql.SelectionSetNode | None, path: list[str]) -> None:
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, graphql.FieldNode):
                here = [*path, selection.name.value]
                if selection.name.value == name:
                    found.append(here)
                walk(selection.selection_set, here)
            elif isinstance(selection, graphql.InlineFragmentNode):
                walk(selection.selection_set, path)

    for definition in document.definitions:
        if isinstance(definition, graphql.OperationDefinitionNode):
            walk(definition.selection_set, [])
    return found


# -- the every-link baseline --------------------------------------------------------------------
def pooled_clients(url: str) -> Clients:
    """bench/topology.py's clients, with as many HTTP connections as the gateway's."""
    return {
        region: boto3.client(
            "directconnect",
            region_name=region,
            endpoint_url=url,
            aws_access_key_id="test",
            aws_secret_access_key="test",
            config=Config(max_pool_connections=WORKERS),
        )
        for region in REGIONS
    }


def _all_pages(client: Any, operation: str, key: str, **kwargs: Any) -> list[dict[str, Any]]:
    pages = client.get_paginator(operation).paginate(**kwargs)
    return [item for page in pages for item in page[key]]


REGIONAL = {
    "describe_connections": "connections",
    "describe_interconnects": "interconnects",
    "describe_lags": "lags",
    "describe_virtual_interfaces": "virtualInterfaces",
    "describe_virtual_gateways": "virtualGateways",
    "describe_locations": "locations",
}
ID_OF = {
    "connections": "connectionId",
    "interconnects": "interconnectId",
    "lags": "lagId",
    "virtual_interfaces": "virtualInterfaceId",
}


def every_link_baseline(dx: Clients, pool: Pool, reads: Reads) -> int:
    """The data of the every-link query, by hand, in two rounds (plus attachment pages)."""
    home = dx[REGIONS[0]]
    # round 1: every list at once
    lists = {
        (region, op): pool.submit(getattr(client, op))
        for region, client in dx.items()
        for op in REGIONAL
    }
    gateways_future = pool.submit(
        _all_pages, home, "describe_direct_connect_gateways", "directConnectGateways"
    )
    gateways = [g["directConnectGatewayId"] for g in gateways_future.result()]
    listed: dict[tuple[str, str], list[dict[str, Any]]] = {
        (region, REGIONAL[op]): future.result()[REGIONAL[op]]
        for (region, op), future in lists.items()
    }
    # round 2: everything that needs a list, at once
    second: list[concurrent.futures.Future[Any]] = []
    for region, client in dx.items():
        parents = [i["interconnectId"] for i in listed[(region, "interconnects")]]
        parents += [lag["lagId"] for lag in listed[(region, "lags")]]
        if reads.hosted:
            second += [
                pool.submit(client.describe_hosted_connections, connectionId=p) for p in parents
            ]
        for root in reads.loas:
            second += [
                pool.submit(client.describe_loa, connectionId=item[ID_OF[root]])
                for item in listed[(region, LOA_ROOTS[root])]
            ]
    for gateway in gateways:
        if reads.associations:
            second.append(
                pool.submit(
                    _all_pages,
                    home,
                    "describe_direct_connect_gateway_associations",
                    "directConnectGatewayAssociations",
                    directConnectGatewayId=gateway,
                )
            )
        if reads.attachments:
            second.append(
                pool.submit(
                    _all_pages,
                    home,
                    "describe_direct_connect_gateway_attachments",
                    "directConnectGatewayAttachments",
                    directConnectGatewayId=gateway,
                )
            )
    by_region: dict[str, list[str]] = {region: [] for region in REGIONS}
    if "gateways" in reads.tags:
        by_region[REGIONS[0]] += [
            f"arn:aws:directconnect::{ACCOUNT}:dx-gateway/{g}" for g in gateways
        ]
    wire_key = {"virtual_interfaces": "virtualInterfaces"}
    for region in REGIONS:
        for kind in sorted(reads.tags - {"gateways"}):
            items = listed[(region, wire_key.get(kind, kind))]
            by_region[region] += [arn(region, item[ID_OF[kind]]) for item in items]
    for region, arns in by_region.items():
        second += [
            pool.submit(dx[region].describe_tags, resourceArns=arns[i : i + TAG_BATCH])
            for i in range(0, len(arns), TAG_BATCH)
        ]
    for future in second:
        future.result()
    return len(second)


# -- running ------------------------------------------------------------------------------------
@dataclass
class Row:
    shape: str
    size: int
    gateway_calls: dict[str, int]
    baseline_calls: dict[str, int]
    cold: list[float]
    warm: list[float]
    base: list[float]
    cold_probe: list[float]  # cold, at latency + probe
    base_probe: list[float]  # baseline, at latency + probe

    def ratio(self) -> float:
        return statistics.median(self.cold) / statistics.median(self.base)

    def probed_rounds(self, probe: float) -> tuple[float, float] | None:
        """Latency-bound rounds of the gateway and the baseline: how much their p50 grows when
        every call takes `probe` ms longer, in units of `probe`. Server and client CPU time
        cancels out (CPU hidden behind longer waits makes it an underestimate, if anything)."""
        if not probe or not self.cold_probe:
            return None
        median = statistics.median
        return (
            (median(self.cold_probe) - median(self.cold)) / probe,
            (median(self.base_probe) - median(self.base)) / probe,
        )


def interleaved(
    first: Callable[[], Any], second: Callable[[], Any], rounds: int
) -> tuple[list[float], list[float]]:
    """`timed` samples of two functions taken alternately, so that drift on a busy machine
    affects both alike."""
    a: list[float] = []
    b: list[float] = []
    for _ in range(rounds):
        a += timed(first, 1)
        b += timed(second, 1)
    return a, b


def drain(proc: subprocess.Popen[str]) -> None:
    """Reads a child's output in the background so a full pipe never blocks it."""
    out = proc.stdout
    if out is not None:
        threading.Thread(target=out.read, daemon=True).start()


def stop(proc: subprocess.Popen[str]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def document_stats(query: str) -> tuple[int, int]:
    """(fields, depth) of a query: every field node counted, `__typename` included."""
    fields = 0

    def depth(selection_set: graphql.SelectionSetNode | None) -> int:
        nonlocal fields
        deepest = 0
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, graphql.FieldNode):
                fields += 1
                below = depth(selection.selection_set)
                deepest = max(deepest, below + 1 if selection.selection_set else 0)
            elif isinstance(selection, graphql.InlineFragmentNode):
                deepest = max(deepest, depth(selection.selection_set))
        return deepest

    operation = graphql.parse(query).definitions[0]
    assert isinstance(operation, graphql.OperationDefinitionNode)
    deepest = depth(operation.selection_set)
    return fields, deepest


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,1000")
    parser.add_argument("--rounds", type=int, default=10, help="samples per measurement")
    parser.add_argument("--latency-ms", type=float, default=25.0)
    parser.add_argument(
        "--probe-ms", type=float, default=250.0, help="extra latency of the rounds probe; 0: none"
    )
    parser.add_argument("--probe-rounds", type=int, default=4, help="samples of the probe")
    args = parser.parse_args()
    began = time.perf_counter()
    sim, sim_url = start(
        [sys.executable, "-m", "dxsim", "--port", "0", "--provisioning-delay", "0"],
        r"listening on (http://\S+)",
    )
    drain(sim)
    gateway: subprocess.Popen[str] | None = None
    pool = concurrent.futures.ThreadPoolExecutor(WORKERS)
    rows: list[Row] = []
    try:
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
        drain(gateway)
        gql_url = f"http://127.0.0.1:{port}/graphql"
        control = httpx.Client(base_url=f"{sim_url}/_dxsim", timeout=60)
        http = httpx.Client(timeout=300)
        for _ in range(100):
            try:
                http.post(gql_url, json={"query": "{ regions }"})
                break
            except httpx.TransportError:
                time.sleep(0.1)
        introspection = introspect(gql_url)
        every_link = every_link_query(introspection)
        reads = Reads.of(introspection, every_link)
        shapes: dict[str, tuple[str, Callable[[Clients], Any]]] = {
            "topology": (TOPOLOGY, lambda dx: baseline(dx, pool)),
            "every-link": (every_link, lambda dx: every_link_baseline(dx, pool, reads)),
        }

        def latency(ms: float) -> None:
            control.put("/faults", json={"latencyMs": ms}).raise_for_status()

        def calls() -> dict[str, int]:
            counts: dict[str, int] = control.get("/calls").json()["operations"]
            control.delete("/calls").raise_for_status()
            return counts

        for size in (int(s) for s in args.sizes.split(",")):
            control.post("/reset", json={}).raise_for_status()
            latency(0)
            build(clients(sim_url), size // len(REGIONS))
            dx = pooled_clients(sim_url)
            latency(args.latency_ms)
            for shape, (text, by_hand) in shapes.items():

                def query(fresh: bool, text: str = text, decode: bool = False) -> None:
                    """Times the gateway until the whole answer has arrived; decoding it is the
                    client's work (stdlib json takes ~0.2 s for the 19 MB every-link answer at
                    1,000 VIFs), as is using the boto3 script's Python objects. Errors come
                    after `data` in an answer (then `extensions`): its tail tells."""
                    headers = {"Cache-Control": "no-cache"} if fresh else {}
                    response = http.post(gql_url, json={"query": text}, headers=headers)
                    assert response.status_code == 200, response.status_code
                    if decode:
                        body = response.json()
                        assert "errors" not in body, body["errors"]
                    else:
                        assert b'"errors":[' not in response.content[-65536:]

                def cold(q: Callable[[bool], None] = query) -> None:
                    q(True)

                def by_hand_here(f: Callable[[Clients], Any] = by_hand, d: Clients = dx) -> None:
                    f(d)

                calls()
                query(True, decode=True)
                gateway_calls = calls()
                by_hand_here()
                baseline_calls = calls()
                cold_ms, base_ms = interleaved(cold, by_hand_here, args.rounds)
                query(False)
                warm_ms = timed(lambda q=query: q(False), args.rounds)  # type: ignore[misc]
                cold_probe: list[float] = []
                base_probe: list[float] = []
                if args.probe_ms:
                    latency(args.latency_ms + args.probe_ms)
                    cold_probe, base_probe = interleaved(cold, by_hand_here, args.probe_rounds)
                    latency(args.latency_ms)
                rows.append(
                    Row(
                        shape,
                        size,
                        gateway_calls,
                        baseline_calls,
                        cold_ms,
                        warm_ms,
                        base_ms,
                        cold_probe,
                        base_probe,
                    )
                )
                print(f"measured {shape} at {size} VIFs", file=sys.stderr, flush=True)
    finally:
        pool.shutdown()
        if gateway is not None:
            stop(gateway)
        stop(sim)
    report(rows, args, every_link, reads, time.perf_counter() - began)
    return 0


def report(
    rows: list[Row], args: argparse.Namespace, every_link: str, reads: Reads, seconds: float
) -> None:
    fields, depth = document_stats(every_link)
    latency = args.latency_ms
    print(
        f"latency {latency:.0f} ms per Direct Connect call; {args.rounds} samples each "
        f"(cold and baseline interleaved); {WORKERS} concurrent calls for the gateway and the "
        f"baselines; run took {seconds:.0f} s"
    )
    print(
        f"every-link query: {fields} fields (__typename included), depth {depth}; reads the LOAs "
        f"of {', '.join(sorted(reads.loas)) or 'nothing'}, the tags of "
        f"{', '.join(sorted(reads.tags))}"
    )
    print(
        "≈ rounds: round(cold p50 / latency), CPU time included; probed rounds: p50 growth "
        f"per {args.probe_ms:.0f} ms added to every call ({args.probe_rounds} samples), "
        "the latency-bound round trips alone\n"
    )
    print(
        "| query | VIFs | calls gw / base | ≈ rounds gw / base | probed rounds gw / base "
        "| cold p50 ms | cold p95 ms | warm p50 ms | base p50 ms | cold / base | ≤ 1.2× |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|")
    for row in rows:
        cold, base = statistics.median(row.cold), statistics.median(row.base)
        probed = row.probed_rounds(args.probe_ms)
        probed_text = f"{probed[0]:.1f} / {probed[1]:.1f}" if probed else "-"
        print(
            f"| {row.shape} | {row.size} | {sum(row.gateway_calls.values())} / "
            f"{sum(row.baseline_calls.values())} | {round(cold / latency)} / "
            f"{round(base / latency)} | {probed_text} | {cold:.1f} | {p95(row.cold):.1f} | "
            f"{statistics.median(row.warm):.1f} | {base:.1f} | {row.ratio():.2f}× | "
            f"{'yes' if row.ratio() <= TARGET else 'no'} |"
        )
    print("\ncold / baseline (target ≤ 1.2×):")
    for row in rows:
        met = "met" if row.ratio() <= TARGET else "NOT met"
        print(f"  {row.shape:>10} at {row.size:>5} VIFs: {row.ratio():.2f}× ({met})")
    print(
        "both shapes ≤ 1.2× at every size: "
        + ("yes" if all(r.ratio() <= TARGET for r in rows) else "no")
    )
    print("\nupstream calls by operation (gateway | baseline):")
    for row in rows:
        ops = sorted(set(row.gateway_calls) | set(row.baseline_calls))
        detail = ", ".join(
            f"{op} {row.gateway_calls.get(op, 0)}|{row.baseline_calls.get(op, 0)}" for op in ops
        )
        same = "equal" if row.gateway_calls == row.baseline_calls else "DIFFERENT"
        print(f"  {row.shape} at {row.size} VIFs ({same}): {detail}")


if __name__ == "__main__":
    raise SystemExit(main())

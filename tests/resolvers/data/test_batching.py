"""Upstream call counts (counted at the simulator) depend on the kinds a query touches, never on
how many objects it returns."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.gql.conftest import REGIONS, Gql
from tests.gql.topology import build

TOPOLOGY = """
query Topology {
  lags {
    lagId lagName location { locationName } tags { key value }
    connections { connectionId location { locationCode } tags { key } }
    virtualInterfaces { ...Vif }
  }
  connections {
    connectionId connectionState location { locationName } tags { key value }
    virtualInterfaces { ...Vif }
  }
}
fragment Vif on VirtualInterface {
  virtualInterfaceId vlan asn amazonSideAsn location { locationCode } tags { key value }
  bgpPeers { bgpPeerId addressFamily bgpStatus }
  virtualGateway { virtualGatewayId virtualGatewayState }
  directConnectGateway {
    directConnectGatewayId tags { key }
    associations { edges { node { virtualGatewayId associationState
      virtualGateway { virtualGatewayId } } } }
  }
}
"""

NO_TAGS = TOPOLOGY.replace("tags { key value }", "").replace("tags { key }", "")


def topology_counts(
    size: int, dx_for: Any, gql: Gql, calls: Callable[[], dict[str, int]], query: str
) -> tuple[dict[str, int], dict[str, Any]]:
    build({region: dx_for(region=region) for region in REGIONS}, size)
    before = calls()
    data = gql(query)
    after = calls()
    return {
        op: after[op] - before.get(op, 0) for op in after if after[op] != before.get(op, 0)
    }, data


def expected_topology_calls(tag_calls: int) -> dict[str, int]:
    per_region = len(REGIONS)
    counts = {
        "DescribeLags": per_region,
        "DescribeConnections": per_region,
        "DescribeVirtualInterfaces": per_region,
        "DescribeLocations": per_region,
        "DescribeVirtualGateways": per_region,
        "DescribeDirectConnectGateways": 1,
        "DescribeDirectConnectGatewayAssociations": len(REGIONS),  # one per gateway
    }
    if tag_calls:
        counts["DescribeTags"] = tag_calls
    return counts


@pytest.mark.parametrize("size", [2, 8])
def test_full_topology_costs_one_call_per_kind_and_region(
    size: int, dx_for: Any, gql: Gql, calls: Callable[[], dict[str, int]]
) -> None:
    counts, data = topology_counts(size, dx_for, gql, calls, TOPOLOGY)
    vifs = [v for lag in data["lags"] for v in lag["virtualInterfaces"]]
    vifs += [v for c in data["connections"] for v in c["virtualInterfaces"]]
    assert len(vifs) == size * len(REGIONS)
    # tags: per region one batch of <= 20 ARNs at these sizes; gateway ARNs ride in the first
    assert counts == expected_topology_calls(tag_calls=len(REGIONS))


@pytest.mark.parametrize("size", [3, 30])
def test_topology_without_tags_costs_the_same_at_ten_times_the_size(
    size: int, dx_for: Any, gql: Gql, calls: Callable[[], dict[str, int]]
) -> None:
    counts, data = topology_counts(size, dx_for, gql, calls, NO_TAGS)
    assert sum(len(c["virtualInterfaces"]) for c in data["connections"]) == (
        (size + 1) // 2 * len(REGIONS)
    )
    assert counts == expected_topology_calls(tag_calls=0)


def test_tags_are_fetched_in_batches_of_twenty_arns(
    dx_for: Any, gql: Gql, calls: Callable[[], dict[str, int]]
) -> None:
    counts, data = topology_counts(
        30, dx_for, gql, calls, "{ virtualInterfaces { virtualInterfaceId tags { key } } }"
    )
    assert len(data["virtualInterfaces"]) == 60
    assert all(v["tags"] == [{"key": "env"}] for v in data["virtualInterfaces"])
    # 30 VIF ARNs per region -> 2 batches per region
    assert counts == {"DescribeVirtualInterfaces": 2, "DescribeTags": 4}


def test_a_repeated_query_is_served_from_the_cache(
    dx_for: Any, gql: Gql, calls: Callable[[], dict[str, int]]
) -> None:
    counts, _ = topology_counts(2, dx_for, gql, calls, NO_TAGS)
    assert counts
    before = calls()
    gql(NO_TAGS)
    assert calls() == before


def test_a_repeated_query_with_tags_reads_the_same_tag_batches_from_the_cache(
    dx_for: Any, gql: Gql, calls: Callable[[], dict[str, int]]
) -> None:
    # Batches fill in a fixed order whatever list lands first, so their cache keys repeat.
    counts, first = topology_counts(25, dx_for, gql, calls, TOPOLOGY)
    assert counts["DescribeTags"] > 2
    before = calls()
    for _ in range(3):
        assert gql(TOPOLOGY) == first
    assert calls() == before


def test_a_resource_gone_since_its_list_was_cached_does_not_fail_the_other_tags(
    dx: Any, gql: Gql, control: Any
) -> None:
    region = REGIONS[0]
    kept, gone = (
        dx.create_connection(location="EqDC2", bandwidth="1Gbps", connectionName=name)[
            "connectionId"
        ]
        for name in ("kept", "gone")
    )
    for conn in (kept, gone):
        dx.tag_resource(
            resourceArn=f"arn:aws:directconnect:{region}:123456789012:dxcon/{conn}",
            tags=[{"key": "name", "value": conn}],
        )
    gql("{ connections { connectionId } }")  # the list is cached with both
    dx.delete_connection(connectionId=gone)
    control.post("/clock/advance", json={"seconds": 901}).raise_for_status()  # purged
    tags = {
        c["connectionId"]: c["tags"]
        for c in gql("{ connections { connectionId tags { value } } }")["connections"]
    }
    assert tags == {kept: [{"value": kept}], gone: []}

"""Whatever a query's shape, its upstream reads go out in at most two dependent round trips.

Proved with dxsim's gate, with no clock involved: the gate holds every Direct Connect call. The
test releases the first round (the lists: they need nothing) and keeps holding what follows;
every other call of the query must then arrive while none of them has been answered. A query
that needed a third round would wait for a held answer forever, and `gate/wait` would refuse.
"""

from __future__ import annotations

import base64
import concurrent.futures
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from gql.http.server import GatewayServer
from tests.conftest import PARTNER
from tests.gql.conftest import REGIONS, post
from tests.gql.topology import build
from tests.resolvers.data.test_batching import TOPOLOGY

LISTS = {
    "DescribeConnections",
    "DescribeInterconnects",
    "DescribeLags",
    "DescribeVirtualInterfaces",
    "DescribeVirtualGateways",
    "DescribeLocations",
    "DescribeDirectConnectGateways",
}

ATTACHED_VIF_HOSTS = """
{ directConnectGateways { edges { node { directConnectGatewayId
    attachments { edges { node { virtualInterface { virtualInterfaceId
      connection { ... on Lag { lagId hostedConnections { connectionId } tags { key } }
                   ... on DxConnection { connectionId parent { __typename } } } } } } }
    virtualGateways { virtualGatewayId virtualInterfaces { virtualInterfaceId } }
} } } }
"""
ALIASES_AND_FRAGMENTS = """
query Shapes {
  east: lags(region: "us-east-1") { ...Lag }
  all: lags { ...Lag }
  virtualGateways { associations { directConnectGateway { attachments { edges { node {
    virtualInterface { tags { key } location { locationName } } } } } } } }
  locations { lags { lagId } connections { connectionId } interconnects { interconnectId } }
}
fragment Lag on Lag {
  lagId tags { key } hostedConnections { connectionId lag { lagId } }
  virtualInterfaces { directConnectGateway { virtualGateways { virtualGatewayId } } }
}
"""


def node_id(type_name: str, key: str) -> str:
    return base64.b64encode(f"{type_name}:{key}".encode()).decode()


def calls_of(
    gql_url: str, query: str, calls: Callable[[], dict[str, int]], **variables: Any
) -> dict[str, int]:
    before = calls()
    answer = post(gql_url, query, variables or None, **{"Cache-Control": "no-cache"})
    assert "errors" not in answer, answer
    after = calls()
    return {op: n - before.get(op, 0) for op, n in after.items() if n != before.get(op, 0)}


def assert_two_rounds(
    control: httpx.Client, gql_url: str, query: str, counts: dict[str, int], **variables: Any
) -> None:
    total = sum(counts.values())
    first = sum(n for op, n in counts.items() if op in LISTS)
    assert control.put("/gate", json={"closed": True}).status_code == 200
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        answer = pool.submit(
            post, gql_url, query, variables or None, **{"Cache-Control": "no-cache"}
        )
        try:
            arrived = control.post("/gate/wait", json={"arrived": first})
            assert arrived.status_code == 200, arrived.text
            waiting = {c["operation"] for c in arrived.json()["waiting"]}
            assert waiting <= LISTS, f"{waiting - LISTS} left before any answer came back"
            control.post("/gate/release")
            rest = control.post("/gate/wait", json={"arrived": total, "timeoutSeconds": 60})
            assert rest.status_code == 200, (
                f"only {rest.json()['arrived']} of {total} calls left while the second round "
                "was held: this query needs a third round"
            )
        finally:
            control.put("/gate", json={"closed": False})
        result = answer.result()
    assert "errors" not in result, result


@pytest.fixture
def estate(dx_for: Any) -> Any:
    """Two regions with LAGs, connections, VIFs, DX gateways and VGWs (tagged), plus a partner
    interconnect and LAG carrying hosted connections in the first region."""
    top = build({region: dx_for(region=region) for region in REGIONS}, 4)
    dx = dx_for(region=REGIONS[0])
    location = dx.describe_locations()["locations"][0]["locationCode"]
    interconnect = dx.create_interconnect(
        interconnectName="partner-ic", bandwidth="10Gbps", location=location
    )["interconnectId"]
    partner_lag = dx.create_lag(
        numberOfConnections=1, location=location, connectionsBandwidth="10Gbps", lagName="pl"
    )["lagId"]
    top.lags[REGIONS[0]].append(partner_lag)
    for parent in (interconnect, partner_lag):
        dx.allocate_hosted_connection(
            connectionId=parent,
            ownerAccount=PARTNER,
            bandwidth="500Mbps",
            connectionName=f"hosted-{parent}",
            vlan=101,
        )
    return top


@pytest.mark.parametrize(
    "query",
    [TOPOLOGY, ATTACHED_VIF_HOSTS, ALIASES_AND_FRAGMENTS],
    ids=["topology", "links", "shapes"],
)
def test_any_shape_reads_in_two_rounds(
    query: str,
    estate: Any,
    gateway: GatewayServer,
    control: httpx.Client,
    calls: Callable[[], dict[str, int]],
) -> None:
    counts = calls_of(gateway.url, query, calls)
    assert_two_rounds(control, gateway.url, query, counts)


def test_a_node_lookup_reads_in_two_rounds(
    estate: Any, gateway: GatewayServer, control: httpx.Client, calls: Callable[[], dict[str, int]]
) -> None:
    lag = estate.lags[REGIONS[0]][-1]
    query = """query ($id: ID!) { node(id: $id) { ... on Lag { lagId tags { key }
      hostedConnections { connectionId } virtualInterfaces { directConnectGateway {
      associations { edges { node { virtualGateway { virtualGatewayId } } } } } } } } }"""
    variables = {"id": node_id("Lag", f"{REGIONS[0]}/{lag}")}
    counts = calls_of(gateway.url, query, calls, **variables)
    assert_two_rounds(control, gateway.url, query, counts, **variables)


def test_the_query_generated_from_the_schema_reads_in_two_rounds(
    estate: Any, gateway: GatewayServer, control: httpx.Client, calls: Callable[[], dict[str, int]]
) -> None:
    from tests.gql.shapes import every_link_query, introspect

    query = every_link_query(introspect(f"{gateway.url}/graphql"))
    counts = calls_of(gateway.url, query, calls)
    assert counts.get("DescribeHostedConnections", 0) >= 2
    assert_two_rounds(control, gateway.url, query, counts)


def test_loas_asked_of_a_whole_list_start_with_the_second_round_and_no_others(
    estate: Any, gateway: GatewayServer, control: httpx.Client, calls: Callable[[], dict[str, int]]
) -> None:
    """DescribeLoa stamps loaIssueTime: only the objects the query asks get it read."""
    everything = calls_of(gateway.url, "{ lags { lagId loa { loaContentType } } }", calls)
    lags = sum(len(ids) for ids in estate.lags.values())
    assert everything["DescribeLoa"] == lags
    query = '{ lags(name: "pl") { lagId loa { loaContentType } } }'
    filtered = calls_of(gateway.url, query, calls)
    assert filtered["DescribeLoa"] == 1
    assert_two_rounds(control, gateway.url, "{ lags { loa { loaContentType } } }", everything)

"""The deprecated reads: they call the deprecated operations themselves, and the schema marks them
`@deprecated` naming the graph field that replaces each."""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from gql.http.server import GatewayServer
from gql.settings import Settings
from tests.conftest import CUSTOMER, PARTNER
from tests.gql.conftest import post

CONNECTION_LOA = """query($id: String!, $provider: String) {
  connectionLoa(connectionId: $id, providerName: $provider) {
    loaContent loaContentType downloadUrl } }"""
INTERCONNECT_LOA = """query($id: String!) {
  interconnectLoa(interconnectId: $id, region: "us-east-1") { loaContent loaContentType } }"""
ON_INTERCONNECT = """query($id: String!) {
  connectionsOnInterconnect(interconnectId: $id) { connectionId ownerAccount connectionState } }"""


@pytest.fixture
def partner_gateway(gateway_settings: Settings) -> Iterator[GatewayServer]:
    """The gateway acting as the partner account, which owns interconnects."""
    settings = gateway_settings.model_copy(update={"aws_access_key_id": PARTNER})
    with GatewayServer(settings) as server:
        yield server


def test_connection_loa_calls_describe_connection_loa(
    gateway: GatewayServer, dx: Any, calls: Callable[[], dict[str, int]]
) -> None:
    connection_id = dx.create_connection(
        location="EqDC2", bandwidth="1Gbps", connectionName="edge"
    )["connectionId"]
    body = post(gateway.url, CONNECTION_LOA, {"id": connection_id, "provider": "Acme Fiber"})
    loa = body["data"]["connectionLoa"]
    assert loa["loaContentType"] == "APPLICATION_PDF"
    document = base64.b64decode(loa["loaContent"])
    assert document.startswith(b"%PDF-")
    assert b"Acme Fiber" in document
    assert loa["downloadUrl"] == f"/loa/us-east-1/{connection_id}.pdf"
    assert calls().get("DescribeConnectionLoa") == 1
    assert "DescribeLoa" not in calls()


def test_connection_loa_of_a_missing_connection_is_not_found(gateway: GatewayServer) -> None:
    body = post(gateway.url, CONNECTION_LOA, {"id": "dxcon-fzzzzzzz"})
    [error] = body["errors"]
    assert error["path"] == ["connectionLoa"]
    assert error["extensions"]["code"] == "NOT_FOUND"
    assert error["extensions"]["operation"] == "DescribeConnectionLoa"


def test_a_deprecated_read_in_an_unserved_region_is_refused(
    gateway: GatewayServer, calls: Callable[[], dict[str, int]]
) -> None:
    body = post(
        gateway.url,
        '{ connectionsOnInterconnect(interconnectId: "dxcon-fgabcdef", '
        'region: "eu-west-1") { connectionId } }',
    )
    [error] = body["errors"]
    assert error["extensions"] == {
        "code": "BAD_USER_INPUT",
        "field": "region",
        "reason": "NOT_SERVED",
    }
    assert calls() == {}


def test_interconnect_loa_and_connections_on_interconnect_call_the_deprecated_operations(
    partner_gateway: GatewayServer, dx_partner: Any, calls: Callable[[], dict[str, int]]
) -> None:
    interconnect_id = dx_partner.create_interconnect(
        interconnectName="ic", bandwidth="10Gbps", location="EqDC2"
    )["interconnectId"]
    dx_partner.describe_interconnects()
    hosted = dx_partner.allocate_hosted_connection(
        connectionId=interconnect_id,
        ownerAccount=CUSTOMER,
        bandwidth="500Mbps",
        connectionName="hosted",
        vlan=10,
    )["connectionId"]
    calls()  # zero the counter: only the gateway's calls count from here
    loa = post(partner_gateway.url, INTERCONNECT_LOA, {"id": interconnect_id})["data"][
        "interconnectLoa"
    ]
    assert loa["loaContentType"] == "APPLICATION_PDF"
    assert base64.b64decode(loa["loaContent"]).startswith(b"%PDF-")
    body = post(partner_gateway.url, ON_INTERCONNECT, {"id": interconnect_id})
    assert body["data"]["connectionsOnInterconnect"] == [
        {"connectionId": hosted, "ownerAccount": CUSTOMER, "connectionState": "ORDERING"}
    ]
    counts = calls()
    assert counts.get("DescribeInterconnectLoa") == 1
    assert counts.get("DescribeConnectionsOnInterconnect") == 1
    assert "DescribeLoa" not in counts
    assert "DescribeHostedConnections" not in counts


def test_the_schema_marks_the_deprecated_reads_and_names_their_replacements(
    gateway: GatewayServer,
) -> None:
    body = post(
        gateway.url,
        '{ __type(name: "Query") { fields(includeDeprecated: true) '
        "{ name isDeprecated deprecationReason } } }",
    )
    fields = {f["name"]: f for f in body["data"]["__type"]["fields"]}
    replacements = {
        "connectionLoa": "connection.loa",
        "interconnectLoa": "interconnect.loa",
        "connectionsOnInterconnect": "interconnect.hostedConnections",
    }
    for name, replacement in replacements.items():
        assert fields[name]["isDeprecated"] is True
        assert f"`{replacement}`" in fields[name]["deprecationReason"]
    assert fields["connection"]["isDeprecated"] is False

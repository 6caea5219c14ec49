"""The graph over real HTTP: every link walks both ways, entry points, filters, errors."""

from __future__ import annotations

import base64
from typing import Any

import httpx
import pytest

from gql.http.server import GatewayServer
from tests.conftest import CUSTOMER, PARTNER
from tests.gql.conftest import Gql, post


@pytest.fixture
def net(dx: Any, dx_partner: Any) -> dict[str, str]:
    """A small network: LAG + connection + VIFs to a VGW and a DX gateway, a hosted connection."""
    gateway = dx.create_direct_connect_gateway(
        directConnectGatewayName="gw", amazonSideAsn=4200000001
    )["directConnectGateway"]["directConnectGatewayId"]
    vgw = dx.describe_virtual_gateways()["virtualGateways"][0]["virtualGatewayId"]
    lag = dx.create_lag(
        numberOfConnections=2, location="EqDC2", connectionsBandwidth="10Gbps", lagName="core"
    )["lagId"]
    conn = dx.create_connection(location="CSVA1", bandwidth="1Gbps", connectionName="edge")[
        "connectionId"
    ]
    interconnect = dx_partner.create_interconnect(
        interconnectName="ic", bandwidth="10Gbps", location="EqDC2"
    )["interconnectId"]
    dx.describe_connections()
    dx_partner.describe_interconnects()
    dx.create_direct_connect_gateway_association(
        directConnectGatewayId=gateway, virtualGatewayId=vgw
    )
    hosted = dx_partner.allocate_hosted_connection(
        connectionId=interconnect,
        ownerAccount=CUSTOMER,
        bandwidth="500Mbps",
        connectionName="hosted",
        vlan=10,
    )["connectionId"]
    lag_vif = dx.create_private_virtual_interface(
        connectionId=lag,
        newPrivateVirtualInterface={
            "virtualInterfaceName": "to-gw",
            "vlan": 100,
            "asn": 65000,
            "directConnectGatewayId": gateway,
        },
    )["virtualInterfaceId"]
    conn_vif = dx.create_private_virtual_interface(
        connectionId=conn,
        newPrivateVirtualInterface={
            "virtualInterfaceName": "to-vgw",
            "vlan": 200,
            "asn": 65000,
            "virtualGatewayId": vgw,
        },
    )["virtualInterfaceId"]
    dx.create_bgp_peer(
        virtualInterfaceId=lag_vif, newBGPPeer={"asn": 65000, "addressFamily": "ipv6"}
    )
    dx.tag_resource(
        resourceArn=f"arn:aws:directconnect:us-east-1:{CUSTOMER}:dxlag/{lag}",
        tags=[{"key": "env", "value": "prod"}],
    )
    dx.describe_virtual_interfaces()
    return {
        "gateway": gateway,
        "vgw": vgw,
        "lag": lag,
        "conn": conn,
        "interconnect": interconnect,
        "hosted": hosted,
        "lag_vif": lag_vif,
        "conn_vif": conn_vif,
    }


def test_lag_connection_vif_peer_links_walk_down_and_back_up(gql: Gql, net: dict[str, str]) -> None:
    data = gql(
        """query($id: String!) { lag(lagId: $id) {
             lagId connections { connectionId lag { lagId } }
             virtualInterfaces { virtualInterfaceId
               connection { __typename ... on Lag { lagId } }
               bgpPeers { addressFamily bgpPeerState virtualInterface { virtualInterfaceId } } }
        } }""",
        id=net["lag"],
    )["lag"]
    assert len(data["connections"]) == 2
    assert {c["lag"]["lagId"] for c in data["connections"]} == {net["lag"]}
    [vif] = data["virtualInterfaces"]
    assert vif["virtualInterfaceId"] == net["lag_vif"]
    assert vif["connection"] == {"__typename": "Lag", "lagId": net["lag"]}
    assert {p["addressFamily"] for p in vif["bgpPeers"]} == {"IPV4", "IPV6"}
    assert {p["virtualInterface"]["virtualInterfaceId"] for p in vif["bgpPeers"]} == {
        net["lag_vif"]
    }


def test_vif_links_to_gateway_and_gateway_back_to_vifs_and_vgws(
    gql: Gql, net: dict[str, str]
) -> None:
    data = gql(
        """query($id: String!) { directConnectGateway(directConnectGatewayId: $id) {
             amazonSideAsn arn
             virtualInterfaces {
               virtualInterfaceId directConnectGateway { directConnectGatewayId } }
             virtualGateways {
               virtualGatewayId directConnectGateways { directConnectGatewayId } }
             associations { edges { node {
               associationState virtualGateway { virtualGatewayId } } } }
             attachments { edges { node {
               attachmentState virtualInterface { virtualInterfaceId } } } }
        } }""",
        id=net["gateway"],
    )["directConnectGateway"]
    assert data["amazonSideAsn"] == 4200000001
    assert data["arn"] == f"arn:aws:directconnect::{CUSTOMER}:dx-gateway/{net['gateway']}"
    assert [v["virtualInterfaceId"] for v in data["virtualInterfaces"]] == [net["lag_vif"]]
    assert (
        data["virtualInterfaces"][0]["directConnectGateway"]["directConnectGatewayId"]
        == (net["gateway"])
    )
    assert [v["virtualGatewayId"] for v in data["virtualGateways"]] == [net["vgw"]]
    assert data["virtualGateways"][0]["directConnectGateways"] == [
        {"directConnectGatewayId": net["gateway"]}
    ]
    assert data["associations"]["edges"][0]["node"]["associationState"] == "ASSOCIATED"
    assert (
        data["attachments"]["edges"][0]["node"]["virtualInterface"]["virtualInterfaceId"]
        == (net["lag_vif"])
    )


def test_vgw_lists_its_directly_attached_vifs(gql: Gql, net: dict[str, str]) -> None:
    data = gql(
        "query($id: String!) { virtualGateway(virtualGatewayId: $id) { virtualInterfaces {"
        " virtualInterfaceId virtualGateway { virtualGatewayId } } } }",
        id=net["vgw"],
    )["virtualGateway"]
    assert data["virtualInterfaces"] == [
        {"virtualInterfaceId": net["conn_vif"], "virtualGateway": {"virtualGatewayId": net["vgw"]}}
    ]


def test_location_is_an_object_that_lists_what_terminates_there(
    gql: Gql, net: dict[str, str]
) -> None:
    data = gql(
        """{ location(locationCode: "EqDC2") { locationName
             lags { lagId location { locationCode } } connections { connectionId } } }"""
    )["location"]
    assert data["locationName"] == "Equinix DC2/DC11, Ashburn, VA"
    assert [lag["lagId"] for lag in data["lags"]] == [net["lag"]]
    assert {c["connectionId"] for c in data["connections"]} >= {net["hosted"]}


def test_partner_sees_hosted_connection_and_its_parent_interconnect(
    dx_url: str, gateway_settings: Any, net: dict[str, str]
) -> None:
    settings = gateway_settings.model_copy(
        update={"aws_access_key_id": PARTNER, "cache_namespace": "partner-" + net["lag"]}
    )
    with GatewayServer(settings) as partner:
        body = post(
            partner.url,
            """query($id: String!) { interconnect(interconnectId: $id) {
                 arn hostedConnections { connectionId ownerAccount connectionState
                   parent { __typename ... on Interconnect { interconnectId } } } } }""",
            {"id": net["interconnect"]},
        )
    assert "errors" not in body, body
    data = body["data"]["interconnect"]
    assert data["arn"] == f"arn:aws:directconnect:us-east-1:{PARTNER}:dxcon/{net['interconnect']}"
    assert data["hostedConnections"] == [
        {
            "connectionId": net["hosted"],
            "ownerAccount": CUSTOMER,
            "connectionState": "ORDERING",
            "parent": {"__typename": "Interconnect", "interconnectId": net["interconnect"]},
        }
    ]


def test_node_and_nodes_resolve_global_ids_of_every_kind(gql: Gql, net: dict[str, str]) -> None:
    ids = gql(
        """{ lags { id connections { id } virtualInterfaces { id bgpPeers { id } } location { id } }
             directConnectGateways { edges { node { id associations { edges { node { id } } } } } }
             virtualGateways(region: "us-east-1") { id } }"""
    )
    lag = ids["lags"][0]
    gw = ids["directConnectGateways"]["edges"][0]["node"]
    wanted = [
        lag["id"],
        lag["connections"][0]["id"],
        lag["virtualInterfaces"][0]["id"],
        lag["virtualInterfaces"][0]["bgpPeers"][0]["id"],
        lag["location"]["id"],
        gw["id"],
        gw["associations"]["edges"][0]["node"]["id"],
        ids["virtualGateways"][0]["id"],
    ]
    nodes = gql("query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }", ids=wanted)
    assert [n["id"] for n in nodes["nodes"]] == wanted
    assert [n["__typename"] for n in nodes["nodes"]] == [
        "Lag",
        "DxConnection",
        "VirtualInterface",
        "BgpPeer",
        "Location",
        "DirectConnectGateway",
        "DirectConnectGatewayAssociation",
        "VirtualGateway",
    ]
    one = gql("query($id: ID!) { node(id: $id) { ... on Lag { lagName } } }", id=lag["id"])
    assert one["node"] == {"lagName": "core"}


def test_filters_by_state_name_location_and_tag(gql: Gql, net: dict[str, str]) -> None:
    data = gql(
        """{ ordering: connections(states: [ORDERING]) { connectionId }
             named: connections(name: "EDG") { connectionId }
             at: connections(location: "CSVA1") { connectionId }
             tagged: lags(tag: {key: "env", value: "prod"}) { lagId }
             untagged: lags(tag: {key: "env", value: "dev"}) { lagId }
             west: connections(region: "us-west-2") { connectionId } }"""
    )
    assert data["ordering"] == [{"connectionId": net["hosted"]}]
    assert data["named"] == [{"connectionId": net["conn"]}]
    assert data["at"] == [{"connectionId": net["conn"]}]
    assert data["tagged"] == [{"lagId": net["lag"]}]
    assert data["untagged"] == []
    assert data["west"] == []


def test_asns_beyond_32_bits_and_enums_and_masked_auth_keys(gql: Gql, net: dict[str, str]) -> None:
    vif = gql(
        "query($id: String!) { virtualInterface(virtualInterfaceId: $id) {"
        " amazonSideAsn virtualInterfaceState virtualInterfaceType authKey"
        " bgpPeers { authKey } } }",
        id=net["lag_vif"],
    )["virtualInterface"]
    assert vif["amazonSideAsn"] == 4200000001
    assert vif["virtualInterfaceState"] == "AVAILABLE"
    assert vif["virtualInterfaceType"] == "PRIVATE"
    assert vif["authKey"] == "********"
    assert all(p["authKey"] == "********" for p in vif["bgpPeers"])


def test_loa_is_returned_as_base64_and_downloads_as_a_pdf(
    gateway: GatewayServer, gql: Gql, net: dict[str, str]
) -> None:
    loa = gql(
        "query($id: String!) { connection(connectionId: $id) { loa { loaContentType downloadUrl"
        " loaContent } loaIssueTime } }",
        id=net["conn"],
    )["connection"]["loa"]
    assert loa["loaContentType"] == "APPLICATION_PDF"
    assert base64.b64decode(loa["loaContent"]).startswith(b"%PDF-")
    response = httpx.get(gateway.url + loa["downloadUrl"], timeout=10)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert "attachment" in response.headers["content-disposition"]
    assert response.content.startswith(b"%PDF-")
    missing = httpx.get(f"{gateway.url}/loa/us-east-1/dxcon-fzzzzzzz.pdf", timeout=10)
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "NOT_FOUND"


def test_unknown_ids_give_null_and_bad_input_gives_coded_errors(
    gateway: GatewayServer, net: dict[str, str]
) -> None:
    body = post(gateway.url, '{ connection(connectionId: "dxcon-fzzzzzzz") { connectionId } }')
    assert body["data"] == {"connection": None}
    assert "errors" not in body
    body = post(gateway.url, "{ connections { nope } }")
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    body = post(gateway.url, "{ connections { ")
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"
    body = post(gateway.url, '{ node(id: "not-a-global-id") { id } }')
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    body = post(gateway.url, '{ connections(region: "mars-east-1") { connectionId } }')
    assert body["errors"][0]["extensions"]["code"] == "INVALID_REQUEST"
    assert "us-east-1, us-west-2" in body["errors"][0]["message"]


def test_a_failing_region_returns_null_there_and_the_other_regions_data(
    gateway: GatewayServer, control: httpx.Client, net: dict[str, str]
) -> None:
    control.put("/faults", json={"errorRate": 1.0, "operations": ["DescribeLags"]})
    body = post(gateway.url, "{ connections { connectionId } lags { lagId } }")
    assert {c["connectionId"] for c in body["data"]["connections"]} >= {net["conn"]}
    assert body["data"]["lags"] == []
    codes = {(e["extensions"]["code"], e["extensions"]["operation"]) for e in body["errors"]}
    assert codes == {("UPSTREAM_UNAVAILABLE", "DescribeLags")}
    assert {e["extensions"]["region"] for e in body["errors"]} == {"us-east-1", "us-west-2"}
    assert all(e["extensions"]["requestId"] for e in body["errors"])


def test_node_ids_naming_unserved_regions_resolve_to_null_without_upstream_calls(
    gateway: GatewayServer, calls: Any
) -> None:
    ids = [
        base64.b64encode(f"Lag:ap-south-{n}/dxlag-f{n:07d}".encode()).decode() for n in range(20)
    ]
    body = post(gateway.url, "query($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": ids})
    assert body["data"]["nodes"] == [None] * 20
    assert calls() == {}

"""The full provisioning story, as automation runs it, through GraphQL mutations only.

Partner allocates a hosted connection → customer confirms it → customer creates a private VIF to
a DX gateway → adds an IPv6 BGP peer → associates a VGW with the gateway → tags everything → one
query shows the whole chain linked → tear down in order. Effects are checked with boto3.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from gql.http.server import GatewayServer
from gql.settings import Settings
from tests.conftest import CUSTOMER, PARTNER
from tests.gql.conftest import post


def run(url: str, query: str, **variables: Any) -> dict[str, Any]:
    body = post(url, query, variables)
    assert "errors" not in body, body["errors"]
    data: dict[str, Any] = body["data"]
    return data


@pytest.fixture
def partner_gateway(gateway_settings: Settings) -> Iterator[GatewayServer]:
    settings = gateway_settings.model_copy(
        update={
            "aws_access_key_id": PARTNER,
            "cache_namespace": gateway_settings.cache_namespace + "p",
        }
    )
    with GatewayServer(settings) as server:
        yield server


def test_partner_to_customer_provisioning_and_teardown(
    gateway: GatewayServer, partner_gateway: GatewayServer, dx: Any, dx_partner: Any
) -> None:
    customer, partner = gateway.url, partner_gateway.url
    interconnect = run(
        partner,
        """mutation { createInterconnect(input: {interconnectName: "ic-iad", bandwidth: "10Gbps",
           location: "EqDC2"}) { interconnect { interconnectId } } }""",
    )["createInterconnect"]["interconnect"]["interconnectId"]
    dx_partner.describe_interconnects()

    # 1. the partner allocates a hosted connection to the customer
    hosted = run(
        partner,
        """mutation($ic: String!, $owner: String!) { allocateHostedConnection(input: {
             connectionId: $ic, ownerAccount: $owner, bandwidth: "500Mbps",
             connectionName: "cust-500m", vlan: 101}) {
             connection { connectionId connectionState } } }""",
        ic=interconnect,
        owner=CUSTOMER,
    )["allocateHostedConnection"]["connection"]
    assert hosted["connectionState"] == "ORDERING"
    hosted_id = hosted["connectionId"]

    # 2. the customer confirms it
    confirmed = run(
        customer,
        "mutation($id: String!) { confirmConnection(input: {connectionId: $id}) "
        "{ connectionState connection { connectionState } } }",
        id=hosted_id,
    )["confirmConnection"]
    assert confirmed["connectionState"] == "PENDING"

    # 3. a DX gateway, and a private VIF on the hosted connection to it
    gateway_id = run(
        customer,
        """mutation { createDirectConnectGateway(input: {directConnectGatewayName: "core",
           amazonSideAsn: 4200000001}) { directConnectGateway { directConnectGatewayId } } }""",
    )["createDirectConnectGateway"]["directConnectGateway"]["directConnectGatewayId"]
    dx.describe_direct_connect_gateways()
    vif = run(
        customer,
        """mutation($conn: String!, $gw: String!) { createPrivateVirtualInterface(input: {
             connectionId: $conn, newPrivateVirtualInterface: {virtualInterfaceName: "cust-vif",
             vlan: 101, asn: 65001, directConnectGatewayId: $gw}}) {
             virtualInterface { virtualInterfaceId virtualInterfaceState } } }""",
        conn=hosted_id,
        gw=gateway_id,
    )["createPrivateVirtualInterface"]["virtualInterface"]
    vif_id = vif["virtualInterfaceId"]
    dx.describe_virtual_interfaces()

    # 4. an IPv6 BGP peer (Amazon assigns the addresses)
    peers = run(
        customer,
        """mutation($vif: String!) { createBgpPeer(input: {virtualInterfaceId: $vif,
             newBGPPeer: {asn: 65001, addressFamily: IPV6}}) {
             virtualInterface { bgpPeers { addressFamily customerAddress } } } }""",
        vif=vif_id,
    )["createBgpPeer"]["virtualInterface"]["bgpPeers"]
    assert {p["addressFamily"] for p in peers} == {"IPV4", "IPV6"}
    assert all(p["customerAddress"] for p in peers)

    # 5. associate a VGW with the DX gateway
    vgw = dx.describe_virtual_gateways()["virtualGateways"][0]["virtualGatewayId"]
    run(
        customer,
        """mutation($gw: String!, $vgw: String!) { createDirectConnectGatewayAssociation(input: {
             directConnectGatewayId: $gw, virtualGatewayId: $vgw}) {
             directConnectGatewayAssociation { associationState } } }""",
        gw=gateway_id,
        vgw=vgw,
    )

    # 6. tag everything
    arns = [
        f"arn:aws:directconnect:us-east-1:{CUSTOMER}:dxcon/{hosted_id}",
        f"arn:aws:directconnect:us-east-1:{CUSTOMER}:dxvif/{vif_id}",
        f"arn:aws:directconnect::{CUSTOMER}:dx-gateway/{gateway_id}",
    ]
    for arn in arns:
        run(
            customer,
            """mutation($arn: String!) { tagResource(input: {resourceArn: $arn,
                 tags: [{key: "customer", value: "acme"}]}) { tags { key value } } }""",
            arn=arn,
        )
    assert all(
        t["tags"] == [{"key": "customer", "value": "acme"}]
        for t in dx.describe_tags(resourceArns=arns)["resourceTags"]
    )

    # 7. one query shows the whole chain linked
    chain = run(
        customer,
        """query($id: String!) { connection(connectionId: $id) {
             connectionState tags { value }
             virtualInterfaces { virtualInterfaceState tags { value }
               bgpPeers { addressFamily bgpPeerState }
               directConnectGateway { amazonSideAsn tags { value }
                 virtualGateways { virtualGatewayId }
                 associations { edges { node { associationState } } } } } } }""",
        id=hosted_id,
    )["connection"]
    assert chain["connectionState"] == "AVAILABLE"
    assert chain["tags"] == [{"value": "acme"}]
    [chained_vif] = chain["virtualInterfaces"]
    assert chained_vif["virtualInterfaceState"] == "AVAILABLE"
    assert {p["bgpPeerState"] for p in chained_vif["bgpPeers"]} == {"AVAILABLE"}
    gw = chained_vif["directConnectGateway"]
    assert gw["amazonSideAsn"] == 4200000001
    assert gw["virtualGateways"] == [{"virtualGatewayId": vgw}]
    assert gw["associations"]["edges"][0]["node"]["associationState"] == "ASSOCIATED"

    # 8. tear down in order: association, VIF, gateway, hosted connection, interconnect
    run(
        customer,
        """mutation($gw: String!, $vgw: String!) { deleteDirectConnectGatewayAssociation(input: {
             directConnectGatewayId: $gw, virtualGatewayId: $vgw}) {
             directConnectGatewayAssociation { associationState } } }""",
        gw=gateway_id,
        vgw=vgw,
    )
    run(
        customer,
        "mutation($vif: String!) { deleteVirtualInterface(input: {virtualInterfaceId: $vif}) "
        "{ virtualInterfaceState } }",
        vif=vif_id,
    )
    dx.describe_virtual_interfaces()
    dx.describe_direct_connect_gateway_associations(directConnectGatewayId=gateway_id)
    run(
        customer,
        "mutation($gw: String!) { deleteDirectConnectGateway(input: {directConnectGatewayId: $gw}) "
        "{ directConnectGateway { directConnectGatewayState } } }",
        gw=gateway_id,
    )
    run(
        customer,
        "mutation($id: String!) { deleteConnection(input: {connectionId: $id}) "
        "{ connection { connectionState } } }",
        id=hosted_id,
    )
    dx.describe_connections()
    run(
        partner,
        "mutation($ic: String!) { deleteInterconnect(input: {interconnectId: $ic}) "
        "{ interconnectState } }",
        ic=interconnect,
    )
    assert dx.describe_direct_connect_gateways()["directConnectGateways"] == []
    assert {c["connectionState"] for c in dx.describe_connections()["connections"]} <= {
        "deleting",
        "deleted",
    }
    assert {
        i["interconnectState"] for i in dx_partner.describe_interconnects()["interconnects"]
    } <= {"deleting", "deleted"}

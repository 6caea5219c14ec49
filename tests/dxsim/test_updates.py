"""Three operations of today's API (issue 10): UpdateConnection, UpdateDirectConnectGateway and
DescribeRouterConfiguration, through real boto3 in both protocols."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from botocore.exceptions import ClientError

from dxsim import DXServer, Simulator
from tests.conftest import CUSTOMER, error_of
from tests.dxsim.builders import new_connection, new_gateway
from tests.dxsim.shapes import boto_client

CISCO = "CiscoSystemsInc-2900SeriesRouters-IOS124"
JUNIPER = "JuniperNetworksInc-MMXSeriesRouters-JunOS95"


def new_vif(dx: Any) -> str:
    vgw = dx.describe_virtual_gateways()["virtualGateways"][0]["virtualGatewayId"]
    vif_id: str = dx.create_private_virtual_interface(
        connectionId=new_connection(dx),
        newPrivateVirtualInterface={
            "virtualInterfaceName": "to-vpc",
            "vlan": 321,
            "asn": 65123,
            "authKey": "s3cret",
            "amazonAddress": "169.254.10.1/30",
            "customerAddress": "169.254.10.2/30",
            "virtualGatewayId": vgw,
        },
    )["virtualInterfaceId"]
    return vif_id


# -- UpdateConnection ----------------------------------------------------------------------------
def test_update_connection_renames_and_returns_the_bare_connection(dx: Any) -> None:
    conn_id = new_connection(dx)
    updated = dx.update_connection(connectionId=conn_id, connectionName="renamed")
    assert updated["connectionId"] == conn_id
    assert updated["connectionName"] == "renamed"
    assert updated["connectionState"] == "available"
    listed = dx.describe_connections(connectionId=conn_id)["connections"][0]
    assert listed["connectionName"] == "renamed"


def test_update_connection_refuses_an_unknown_encryption_mode(dx: Any) -> None:
    with pytest.raises(ClientError) as exc:
        dx.update_connection(connectionId=new_connection(dx), encryptionMode="always_encrypt")
    code, message = error_of(exc)
    assert code == "DirectConnectClientException"
    assert "encryptionMode 'always_encrypt' is not valid" in message
    assert "no_encrypt, should_encrypt, must_encrypt" in message


def test_update_connection_refuses_an_encryption_mode_on_a_connection_without_macsec(
    dx: Any,
) -> None:
    conn_id = new_connection(dx)
    with pytest.raises(ClientError) as exc:
        dx.update_connection(
            connectionId=conn_id, connectionName="renamed", encryptionMode="must_encrypt"
        )
    assert error_of(exc) == (
        "DirectConnectClientException",
        f"Connection {conn_id} is not MACsec capable: encryptionMode can only be set on "
        "a dedicated connection created with requestMACSec.",
    )
    listed = dx.describe_connections(connectionId=conn_id)["connections"][0]
    assert listed["connectionName"] == "c"
    assert "encryptionMode" not in listed


def test_update_connection_refuses_an_invalid_name(dx: Any) -> None:
    with pytest.raises(ClientError) as exc:
        dx.update_connection(connectionId=new_connection(dx), connectionName="x" * 201)
    code, message = error_of(exc)
    assert code == "DirectConnectClientException"
    assert "connectionName" in message
    assert "1-200 characters" in message


@pytest.mark.aws_verified
def test_update_connection_on_an_unknown_connection_is_not_found(dx: Any) -> None:
    with pytest.raises(ClientError) as exc:
        dx.update_connection(connectionId="dxcon-fzzzzzzz", connectionName="x")
    assert error_of(exc) == (
        "DirectConnectClientException",
        "Could not find Connection with ID dxcon-fzzzzzzz",
    )


def test_update_connection_on_a_deleted_connection_is_refused(dx: Any) -> None:
    conn_id = new_connection(dx)
    dx.delete_connection(connectionId=conn_id)
    dx.describe_connections()
    with pytest.raises(ClientError) as exc:
        dx.update_connection(connectionId=conn_id, connectionName="late")
    assert error_of(exc) == (
        "DirectConnectClientException",
        f"Connection {conn_id} is in state deleted.",
    )


def test_update_connection_by_another_account_is_not_found(dx: Any, dx_partner: Any) -> None:
    conn_id = new_connection(dx)
    with pytest.raises(ClientError) as exc:
        dx_partner.update_connection(connectionId=conn_id, connectionName="mine")
    assert error_of(exc)[1] == f"Could not find Connection with ID {conn_id}"


def test_partner_cannot_update_its_customers_hosted_connection(dx: Any, dx_partner: Any) -> None:
    interconnect = dx_partner.create_interconnect(
        interconnectName="ic", bandwidth="10Gbps", location="EqDC2"
    )["interconnectId"]
    dx_partner.describe_interconnects()
    hosted = dx_partner.allocate_hosted_connection(
        connectionId=interconnect,
        ownerAccount=CUSTOMER,
        bandwidth="100Mbps",
        connectionName="hosted",
        vlan=201,
    )["connectionId"]
    with pytest.raises(ClientError) as exc:
        dx_partner.update_connection(connectionId=hosted, connectionName="partner-rename")
    assert "only its owner can update it" in error_of(exc)[1]
    assert dx.update_connection(connectionId=hosted, connectionName="mine")["connectionName"] == (
        "mine"
    )


def test_update_connection_is_counted_and_subject_to_faults(
    dx: Any, dx_url: str, control: httpx.Client
) -> None:
    conn_id = new_connection(dx)
    control.delete("/calls").raise_for_status()
    dx.update_connection(connectionId=conn_id, connectionName="n")
    assert control.get("/calls").json()["operations"] == {"UpdateConnection": 1}
    control.put("/faults", json={"errorRate": 1.0, "operations": ["UpdateConnection"]})
    with pytest.raises(ClientError) as exc:
        boto_client(dx_url).update_connection(connectionId=conn_id, connectionName="m")
    assert error_of(exc)[0] == "DirectConnectServerException"


# -- UpdateDirectConnectGateway --------------------------------------------------------------------
@pytest.mark.aws_verified
@pytest.mark.aws_writes
def test_update_gateway_renames_it(dx: Any) -> None:
    gateway_id = new_gateway(dx, "dxsim-conformance")
    try:
        updated = dx.update_direct_connect_gateway(
            directConnectGatewayId=gateway_id, newDirectConnectGatewayName="renamed"
        )["directConnectGateway"]
        assert (updated["directConnectGatewayId"], updated["directConnectGatewayName"]) == (
            gateway_id,
            "renamed",
        )
        listed = dx.describe_direct_connect_gateways(directConnectGatewayId=gateway_id)
        assert listed["directConnectGateways"][0]["directConnectGatewayName"] == "renamed"
    finally:
        dx.delete_direct_connect_gateway(directConnectGatewayId=gateway_id)


def test_update_gateway_refuses_a_name_longer_than_100_characters(dx: Any) -> None:
    gateway_id = new_gateway(dx)
    with pytest.raises(ClientError) as exc:
        dx.update_direct_connect_gateway(
            directConnectGatewayId=gateway_id, newDirectConnectGatewayName="g" * 101
        )
    code, message = error_of(exc)
    assert code == "DirectConnectClientException"
    assert "newDirectConnectGatewayName" in message
    assert "1-100 characters" in message


@pytest.mark.aws_verified
def test_update_gateway_on_an_unknown_gateway_does_not_exist(dx: Any) -> None:
    missing = "11111111-2222-4333-8444-555555555555"
    with pytest.raises(ClientError) as exc:
        dx.update_direct_connect_gateway(
            directConnectGatewayId=missing, newDirectConnectGatewayName="x"
        )
    assert error_of(exc) == (
        "DirectConnectClientException",
        f"Direct Connect Gateway {missing} does not exist",
    )


def test_update_gateway_while_it_is_deleting_is_refused(dx: Any, control: httpx.Client) -> None:
    gateway_id = new_gateway(dx)
    dx.describe_direct_connect_gateways()
    control.put("/settings", json={"provisioningDelay": 60}).raise_for_status()
    dx.delete_direct_connect_gateway(directConnectGatewayId=gateway_id)
    with pytest.raises(ClientError) as exc:
        dx.update_direct_connect_gateway(
            directConnectGatewayId=gateway_id, newDirectConnectGatewayName="late"
        )
    assert error_of(exc)[1] == f"Direct Connect Gateway {gateway_id} is in state deleting."


def test_renames_survive_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    server = DXServer(Simulator(state_path=path, provisioning_delay=0.0))
    server.start()
    try:
        dx = boto_client(server.url)
        conn_id = new_connection(dx)
        gateway_id = new_gateway(dx)
        dx.update_connection(connectionId=conn_id, connectionName="renamed-conn")
        dx.update_direct_connect_gateway(
            directConnectGatewayId=gateway_id, newDirectConnectGatewayName="renamed-gw"
        )
    finally:
        server.stop()
    server = DXServer(Simulator(state_path=path, provisioning_delay=0.0))
    server.start()
    try:
        dx = boto_client(server.url)
        conn = dx.describe_connections(connectionId=conn_id)["connections"][0]
        gateways = dx.describe_direct_connect_gateways(directConnectGatewayId=gateway_id)
        assert conn["connectionName"] == "renamed-conn"
        assert gateways["directConnectGateways"][0]["directConnectGatewayName"] == "renamed-gw"
    finally:
        server.stop()


# -- DescribeRouterConfiguration -------------------------------------------------------------------
def test_router_configuration_names_the_cisco_router_type(dx: Any) -> None:
    vif_id = new_vif(dx)
    config = dx.describe_router_configuration(virtualInterfaceId=vif_id, routerTypeIdentifier=CISCO)
    assert config["router"] == {
        "vendor": "Cisco Systems, Inc.",
        "platform": "2900 Series Routers",
        "software": "IOS 12.4+",
        "xsltTemplateName": "customer-router-cisco-generic.xslt",
        "xsltTemplateNameForMacSec": "",
        "routerTypeIdentifier": CISCO,
    }
    assert (config["virtualInterfaceId"], config["virtualInterfaceName"]) == (vif_id, "to-vpc")


def test_router_configuration_knows_a_juniper_router_type(dx: Any) -> None:
    config = dx.describe_router_configuration(
        virtualInterfaceId=new_vif(dx), routerTypeIdentifier=JUNIPER
    )
    assert config["router"]["vendor"] == "Juniper Networks, Inc."
    assert config["router"]["xsltTemplateName"] == "customer-router-juniper-generic.xslt"


def test_router_configuration_carries_vlan_addresses_asns_and_key(dx: Any) -> None:
    vif_id = new_vif(dx)
    config = dx.describe_router_configuration(virtualInterfaceId=vif_id, routerTypeIdentifier=CISCO)
    text = config["customerRouterConfig"]
    for part in (
        f'<logical_connection id="{vif_id}">',
        "<vlan>321</vlan>",
        "<customer_address>169.254.10.2/30</customer_address>",
        "<amazon_address>169.254.10.1/30</amazon_address>",
        "<bgp_asn>65123</bgp_asn>",
        "<bgp_auth_key>s3cret</bgp_auth_key>",
        "<connection_type>private</connection_type>",
    ):
        assert part in text
    described = dx.describe_virtual_interfaces(virtualInterfaceId=vif_id)["virtualInterfaces"][0]
    assert text == described["customerRouterConfig"]


def test_router_configuration_without_a_router_type_has_no_router(dx: Any) -> None:
    config = dx.describe_router_configuration(virtualInterfaceId=new_vif(dx))
    assert "router" not in config
    assert "<vlan>321</vlan>" in config["customerRouterConfig"]


def test_router_configuration_refuses_an_unknown_router_type(dx: Any) -> None:
    with pytest.raises(ClientError) as exc:
        dx.describe_router_configuration(
            virtualInterfaceId=new_vif(dx), routerTypeIdentifier="AcmeRouters-Toaster-1"
        )
    code, message = error_of(exc)
    assert code == "DirectConnectClientException"
    assert "routerTypeIdentifier 'AcmeRouters-Toaster-1' is not valid" in message
    assert CISCO in message


@pytest.mark.aws_verified
def test_router_configuration_of_an_unknown_vif_does_not_exist(dx: Any) -> None:
    with pytest.raises(ClientError) as exc:
        dx.describe_router_configuration(virtualInterfaceId="dxvif-fzzzzzzz")
    assert error_of(exc) == (
        "DirectConnectClientException",
        "Virtual interface dxvif-fzzzzzzz does not exist",
    )

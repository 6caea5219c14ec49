"""Virtual interfaces over boto3: lifecycles, hosted VIFs, association and the seed rules V1–V16."""

from __future__ import annotations

import ipaddress
import re
from typing import Any

import httpx
import pytest
from botocore.exceptions import ClientError

from tests.conftest import CUSTOMER, OTHER, advance, error_of, set_delay

CLIENT_ERROR = "DirectConnectClientException"


# -- helpers ----------------------------------------------------------------------------------
def connection(dx: Any, name: str = "c") -> str:
    """An available dedicated connection of the client's account."""
    conn_id = str(
        dx.create_connection(location="EqDC2", bandwidth="1Gbps", connectionName=name)[
            "connectionId"
        ]
    )
    dx.describe_connections(connectionId=conn_id)
    return conn_id


def lag(dx: Any) -> str:
    lag_id = str(
        dx.create_lag(
            numberOfConnections=1, location="EqDC2", connectionsBandwidth="1Gbps", lagName="l"
        )["lagId"]
    )
    dx.describe_lags(lagId=lag_id)
    return lag_id


def hosted_connection(dx: Any, dx_partner: Any, vlan: int = 300) -> str:
    """A confirmed hosted connection of the customer on a partner interconnect."""
    ic = dx_partner.create_interconnect(interconnectName="ic", bandwidth="1Gbps", location="EqDC2")
    dx_partner.describe_interconnects()
    hosted = dx_partner.allocate_hosted_connection(
        connectionId=ic["interconnectId"],
        ownerAccount=CUSTOMER,
        bandwidth="50Mbps",
        connectionName="h",
        vlan=vlan,
    )
    dx.confirm_connection(connectionId=hosted["connectionId"])
    return str(hosted["connectionId"])


def vgw(dx: Any) -> str:
    return str(dx.describe_virtual_gateways()["virtualGateways"][0]["virtualGatewayId"])


def private_vif(dx: Any, conn_id: str, vlan: int = 101, **fields: Any) -> dict[str, Any]:
    spec: dict[str, Any] = {"virtualInterfaceName": "v", "vlan": vlan, "asn": 65000}
    if "directConnectGatewayId" not in fields:
        spec["virtualGatewayId"] = vgw(dx)
    spec.update(fields)
    result: dict[str, Any] = dx.create_private_virtual_interface(
        connectionId=conn_id, newPrivateVirtualInterface=spec
    )
    return result


def public_vif(dx: Any, conn_id: str, vlan: int = 201, **fields: Any) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "virtualInterfaceName": "pub",
        "vlan": vlan,
        "asn": 65000,
        "amazonAddress": "203.0.113.1/30",
        "customerAddress": "203.0.113.2/30",
        "routeFilterPrefixes": [{"cidr": "203.0.113.0/30"}],
    }
    spec.update(fields)
    result: dict[str, Any] = dx.create_public_virtual_interface(
        connectionId=conn_id, newPublicVirtualInterface=spec
    )
    return result


def describe(dx: Any, vif_id: str) -> dict[str, Any]:
    vif: dict[str, Any] = dx.describe_virtual_interfaces(virtualInterfaceId=vif_id)[
        "virtualInterfaces"
    ][0]
    return vif


def refused(call: Any, **kwargs: Any) -> str:
    """The message of the DirectConnectClientException that `call(**kwargs)` raises."""
    with pytest.raises(ClientError) as exc:
        call(**kwargs)
    code, message = error_of(exc)
    assert code == CLIENT_ERROR
    return message


# -- create: shape and lifecycles ---------------------------------------------------------------
def test_private_vif_is_created_pending_with_its_first_bgp_peer_and_router_config(dx: Any) -> None:
    conn_id = connection(dx)
    vif = private_vif(dx, conn_id, authKey="secret")
    assert re.fullmatch(r"dxvif-[a-z0-9]{8}", vif["virtualInterfaceId"])
    assert vif["virtualInterfaceState"] == "pending"
    assert (vif["ownerAccount"], vif["connectionId"], vif["location"]) == (
        CUSTOMER,
        conn_id,
        "EqDC2",
    )
    assert (vif["virtualInterfaceType"], vif["vlan"], vif["asn"], vif["mtu"]) == (
        "private",
        101,
        65000,
        1500,
    )
    assert vif["amazonSideAsn"] == 64512
    assert vif["directConnectGatewayId"] == ""
    [peer] = vif["bgpPeers"]
    assert re.fullmatch(r"dxpeer-[a-z0-9]{8}", peer["bgpPeerId"])
    assert (peer["asn"], peer["authKey"], peer["bgpPeerState"]) == (65000, "secret", "pending")
    config = vif["customerRouterConfig"]
    assert f'<logical_connection id="{vif["virtualInterfaceId"]}">' in config
    assert "<vlan>101</vlan>" in config
    assert f"<customer_address>{vif['customerAddress']}</customer_address>" in config
    assert "<amazon_bgp_asn>64512</amazon_bgp_asn>" in config
    assert "<connection_type>private</connection_type>" in config


def test_private_vif_walks_pending_to_available_on_the_simulated_clock(
    dx: Any, control: httpx.Client
) -> None:
    conn_id = connection(dx)
    set_delay(control, 60)
    vif_id = private_vif(dx, conn_id)["virtualInterfaceId"]
    assert describe(dx, vif_id)["virtualInterfaceState"] == "pending"
    advance(control, 60)
    vif = describe(dx, vif_id)
    assert vif["virtualInterfaceState"] == "available"
    assert (vif["bgpPeers"][0]["bgpPeerState"], vif["bgpPeers"][0]["bgpStatus"]) == (
        "available",
        "up",
    )


def test_public_vif_walks_verifying_pending_available(dx: Any, control: httpx.Client) -> None:
    conn_id = connection(dx)
    set_delay(control, 60)
    vif = public_vif(dx, conn_id)
    assert vif["virtualInterfaceState"] == "verifying"
    assert vif["mtu"] == 1500
    assert vif["routeFilterPrefixes"] == [{"cidr": "203.0.113.0/30"}]
    states = []
    for _ in range(2):
        advance(control, 60)
        states.append(describe(dx, vif["virtualInterfaceId"])["virtualInterfaceState"])
    assert states == ["pending", "available"]


def test_vifs_can_ride_on_a_lag_and_on_a_hosted_connection(dx: Any, dx_partner: Any) -> None:
    lag_id = lag(dx)
    hosted_id = hosted_connection(dx, dx_partner)
    on_lag = private_vif(dx, lag_id, vlan=10)
    on_hosted = private_vif(dx, hosted_id, vlan=300)
    assert on_lag["connectionId"] == lag_id
    assert on_hosted["connectionId"] == hosted_id
    listed = {v["connectionId"] for v in dx.describe_virtual_interfaces()["virtualInterfaces"]}
    assert listed == {lag_id, hosted_id}


def test_vif_on_a_deleted_connection_is_refused(dx: Any, control: httpx.Client) -> None:
    set_delay(control, 60)
    conn_id = dx.create_connection(location="EqDC2", bandwidth="1Gbps", connectionName="c")[
        "connectionId"
    ]
    dx.delete_connection(connectionId=conn_id)
    message = refused(
        dx.create_private_virtual_interface,
        connectionId=conn_id,
        newPrivateVirtualInterface={
            "virtualInterfaceName": "v",
            "vlan": 5,
            "asn": 65000,
            "virtualGatewayId": vgw(dx),
        },
    )
    assert "is in state deleted" in message


@pytest.mark.aws_verified
def test_vif_on_an_unknown_connection_says_could_not_find(dx: Any) -> None:
    message = refused(
        dx.create_public_virtual_interface,
        connectionId="dxcon-fzzzzzzz",
        newPublicVirtualInterface={"virtualInterfaceName": "p", "vlan": 5, "asn": 65000},
    )
    assert message == "Could not find Connection with ID dxcon-fzzzzzzz"


def test_partner_cannot_put_a_vif_on_its_customers_hosted_connection(
    dx: Any, dx_partner: Any
) -> None:
    hosted_id = hosted_connection(dx, dx_partner)
    message = refused(
        dx_partner.create_public_virtual_interface,
        connectionId=hosted_id,
        newPublicVirtualInterface={
            "virtualInterfaceName": "p",
            "vlan": 300,
            "asn": 65000,
            "amazonAddress": "203.0.113.1/30",
            "customerAddress": "203.0.113.2/30",
        },
    )
    assert f"belongs to account {CUSTOMER}" in message


# -- value rules --------------------------------------------------------------------------------
def test_vlan_outside_1_to_4094_is_refused(dx: Any) -> None:
    conn_id = connection(dx)
    with pytest.raises(ClientError) as exc:
        private_vif(dx, conn_id, vlan=4095)
    assert error_of(exc)[0] == CLIENT_ERROR
    assert "between 1 and 4094" in error_of(exc)[1]


def test_vlan_already_used_on_the_connection_is_refused_until_that_vif_is_deleted(
    dx: Any,
) -> None:
    conn_id = connection(dx)
    first = private_vif(dx, conn_id, vlan=101)
    with pytest.raises(ClientError) as exc:
        private_vif(dx, conn_id, vlan=101)
    assert f"VLAN 101 is already in use on {conn_id}" in error_of(exc)[1]
    assert private_vif(dx, connection(dx, "other"), vlan=101)["vlan"] == 101
    dx.delete_virtual_interface(virtualInterfaceId=first["virtualInterfaceId"])
    assert private_vif(dx, conn_id, vlan=101)["vlan"] == 101


def test_customer_asn_above_2147483646_is_refused(dx: Any) -> None:
    conn_id = connection(dx)
    with pytest.raises(ClientError) as exc:
        private_vif(dx, conn_id, asn=2147483647)
    assert error_of(exc)[0] == CLIENT_ERROR
    assert "less than or equal to 2147483646" in error_of(exc)[1]


def test_missing_asn_is_refused_although_the_model_marks_it_optional(dx: Any) -> None:
    conn_id = connection(dx)
    message = refused(
        dx.create_private_virtual_interface,
        connectionId=conn_id,
        newPrivateVirtualInterface={
            "virtualInterfaceName": "v",
            "vlan": 7,
            "virtualGatewayId": vgw(dx),
        },
    )
    assert "newPrivateVirtualInterface.asn is required" in message


def test_asn_long_wins_over_asn_and_a_4_byte_value_reads_back_as_asn_zero(dx: Any) -> None:
    conn_id = connection(dx)
    vif = private_vif(dx, conn_id, asn=65000, asnLong=4200000001)
    assert (vif["asn"], vif["asnLong"]) == (0, 4200000001)
    assert (vif["bgpPeers"][0]["asn"], vif["bgpPeers"][0]["asnLong"]) == (0, 4200000001)
    assert "<bgp_asn>4200000001</bgp_asn>" in vif["customerRouterConfig"]


def test_private_vif_mtu_is_1500_or_9001(dx: Any) -> None:
    conn_id = connection(dx)
    assert private_vif(dx, conn_id, vlan=1, mtu=9001)["mtu"] == 9001
    with pytest.raises(ClientError) as exc:
        private_vif(dx, conn_id, vlan=2, mtu=8000)
    assert "supported values are 1500 and 9001" in error_of(exc)[1]


def test_private_vif_needs_exactly_one_of_vgw_and_dx_gateway(dx: Any) -> None:
    conn_id = connection(dx)
    gateway = dx.create_direct_connect_gateway(directConnectGatewayName="g")
    dx.describe_direct_connect_gateways()
    both = refused(
        dx.create_private_virtual_interface,
        connectionId=conn_id,
        newPrivateVirtualInterface={
            "virtualInterfaceName": "v",
            "vlan": 8,
            "asn": 65000,
            "virtualGatewayId": vgw(dx),
            "directConnectGatewayId": gateway["directConnectGateway"]["directConnectGatewayId"],
        },
    )
    assert "not both" in both
    neither = refused(
        dx.create_private_virtual_interface,
        connectionId=conn_id,
        newPrivateVirtualInterface={"virtualInterfaceName": "v", "vlan": 8, "asn": 65000},
    )
    assert "exactly one" in neither


def test_vgw_must_belong_to_the_caller_in_its_region(dx: Any, dx_for: Any) -> None:
    conn_id = connection(dx)
    foreign = dx_for(OTHER).describe_virtual_gateways()["virtualGateways"][0]["virtualGatewayId"]
    with pytest.raises(ClientError) as exc:
        private_vif(dx, conn_id, virtualGatewayId=foreign)
    assert error_of(exc) == (CLIENT_ERROR, f"The VirtualGateway {foreign} does not exist.")


def test_dx_gateway_must_be_available(dx: Any, control: httpx.Client) -> None:
    conn_id = connection(dx)
    set_delay(control, 60)
    gateway_id = dx.create_direct_connect_gateway(directConnectGatewayName="g")[
        "directConnectGateway"
    ]["directConnectGatewayId"]
    with pytest.raises(ClientError) as exc:
        private_vif(dx, conn_id, directConnectGatewayId=gateway_id)
    assert "is in state pending; it must be available" in error_of(exc)[1]


def test_dx_gateway_vif_gets_the_gateway_asn_and_an_attachment_that_detaches_on_delete(
    dx: Any, control: httpx.Client
) -> None:
    conn_id = connection(dx)
    gateway_id = dx.create_direct_connect_gateway(
        directConnectGatewayName="g", amazonSideAsn=64999
    )["directConnectGateway"]["directConnectGatewayId"]
    dx.describe_direct_connect_gateways()
    set_delay(control, 60)
    vif = private_vif(dx, conn_id, directConnectGatewayId=gateway_id)
    assert (vif["amazonSideAsn"], vif["directConnectGatewayId"], vif["virtualGatewayId"]) == (
        64999,
        gateway_id,
        "",
    )

    def attachment_state() -> str:
        attachments = dx.describe_direct_connect_gateway_attachments(
            virtualInterfaceId=vif["virtualInterfaceId"]
        )["directConnectGatewayAttachments"]
        return str(attachments[0]["attachmentState"])

    assert attachment_state() == "attaching"
    advance(control, 60)
    assert attachment_state() == "attached"
    dx.delete_virtual_interface(virtualInterfaceId=vif["virtualInterfaceId"])
    assert attachment_state() == "detaching"


def test_auth_key_is_generated_when_absent(dx: Any) -> None:
    vif = private_vif(dx, connection(dx))
    assert re.fullmatch(r"0x[A-Za-z0-9]{22}", vif["authKey"])
    assert vif["bgpPeers"][0]["authKey"] == vif["authKey"]


def test_private_ipv4_addresses_are_assigned_as_a_30_pair_from_169_254(dx: Any) -> None:
    vif = private_vif(dx, connection(dx))
    amazon = ipaddress.IPv4Interface(vif["amazonAddress"])
    customer = ipaddress.ip_interface(vif["customerAddress"])
    assert amazon.network == customer.network
    assert amazon.network.prefixlen == 30
    assert amazon.network.subnet_of(ipaddress.IPv4Network("169.254.0.0/16"))
    assert (
        int(amazon.ip) - int(amazon.network.network_address),
        int(customer.ip) - int(amazon.ip),
    ) == (
        1,
        1,
    )


def test_given_ipv4_addresses_must_share_one_subnet(dx: Any) -> None:
    conn_id = connection(dx)
    with pytest.raises(ClientError) as exc:
        private_vif(dx, conn_id, amazonAddress="192.168.1.1/30", customerAddress="192.168.2.2/30")
    assert error_of(exc)[1] == "Amazon Address and Customer Address must be in the same CIDR"


def test_public_ipv4_vif_requires_both_addresses(dx: Any) -> None:
    conn_id = connection(dx)
    message = refused(
        dx.create_public_virtual_interface,
        connectionId=conn_id,
        newPublicVirtualInterface={"virtualInterfaceName": "p", "vlan": 9, "asn": 65000},
    )
    assert "needs both newPublicVirtualInterface.amazonAddress" in message


def test_ipv6_vif_addresses_must_be_omitted_and_are_assigned_as_a_125_pair(dx: Any) -> None:
    conn_id = connection(dx)
    with pytest.raises(ClientError) as exc:
        public_vif(dx, conn_id, addressFamily="ipv6", amazonAddress="2001:db8::1/125")
    assert "Custom IPv6 addresses are not supported" in error_of(exc)[1]
    vif = dx.create_public_virtual_interface(
        connectionId=conn_id,
        newPublicVirtualInterface={
            "virtualInterfaceName": "p6",
            "vlan": 6,
            "asn": 65000,
            "addressFamily": "ipv6",
        },
    )
    amazon = ipaddress.ip_interface(vif["amazonAddress"])
    customer = ipaddress.ip_interface(vif["customerAddress"])
    assert (amazon.version, amazon.network.prefixlen) == (6, 125)
    assert amazon.network == customer.network


def test_route_filter_prefixes_must_be_cidrs_and_ipv6_ones_64_or_shorter(dx: Any) -> None:
    conn_id = connection(dx)
    with pytest.raises(ClientError) as exc:
        public_vif(dx, conn_id, routeFilterPrefixes=[{"cidr": "2001:db8::/80"}])
    assert "IPv6 CIDR must use /64 or shorter" in error_of(exc)[1]
    with pytest.raises(ClientError) as exc:
        public_vif(dx, conn_id, routeFilterPrefixes=[{"cidr": "not-a-cidr"}])
    assert "is not a valid CIDR" in error_of(exc)[1]


# -- hosted VIFs: allocate, confirm, reject -----------------------------------------------------
def test_allocated_private_vif_stays_confirming_until_its_owner_confirms_it_onto_a_vgw(
    dx: Any, dx_partner: Any, control: httpx.Client
) -> None:
    conn_id = connection(dx_partner)
    allocated = dx_partner.allocate_private_virtual_interface(
        connectionId=conn_id,
        ownerAccount=CUSTOMER,
        newPrivateVirtualInterfaceAllocation={
            "virtualInterfaceName": "h",
            "vlan": 42,
            "asn": 65001,
        },
    )
    vif_id = allocated["virtualInterfaceId"]
    assert (allocated["ownerAccount"], allocated["virtualInterfaceState"]) == (
        CUSTOMER,
        "confirming",
    )
    advance(control, 3600)
    assert describe(dx, vif_id)["virtualInterfaceState"] == "confirming"
    set_delay(control, 60)
    gateway = vgw(dx)
    confirmed = dx.confirm_private_virtual_interface(
        virtualInterfaceId=vif_id, virtualGatewayId=gateway
    )
    assert confirmed["virtualInterfaceState"] == "pending"
    advance(control, 60)
    vif = describe(dx, vif_id)
    assert (vif["virtualInterfaceState"], vif["virtualGatewayId"], vif["amazonSideAsn"]) == (
        "available",
        gateway,
        64512,
    )


@pytest.mark.aws_verified
def test_allocating_a_vif_for_the_connection_owner_is_refused(dx: Any) -> None:
    conn_id = connection(dx)
    message = refused(
        dx.allocate_public_virtual_interface,
        connectionId=conn_id,
        ownerAccount=CUSTOMER,
        newPublicVirtualInterfaceAllocation={"virtualInterfaceName": "h", "vlan": 4, "asn": 65001},
    )
    assert message == "Cannot allocate VirtualInterface for the connection owner."


def test_confirmed_public_vif_walks_verifying_pending_available(
    dx: Any, dx_partner: Any, control: httpx.Client
) -> None:
    conn_id = connection(dx_partner)
    vif_id = dx_partner.allocate_public_virtual_interface(
        connectionId=conn_id,
        ownerAccount=CUSTOMER,
        newPublicVirtualInterfaceAllocation={
            "virtualInterfaceName": "h",
            "vlan": 43,
            "asn": 65001,
            "amazonAddress": "198.51.100.1/30",
            "customerAddress": "198.51.100.2/30",
        },
    )["virtualInterfaceId"]
    set_delay(control, 60)
    response = dx.confirm_public_virtual_interface(virtualInterfaceId=vif_id)
    assert response["virtualInterfaceState"] == "verifying"
    states = []
    for _ in range(2):
        advance(control, 60)
        states.append(describe(dx, vif_id)["virtualInterfaceState"])
    assert states == ["pending", "available"]


def test_owner_deleting_a_confirming_vif_rejects_it(dx: Any, dx_partner: Any) -> None:
    vif_id = dx_partner.allocate_private_virtual_interface(
        connectionId=connection(dx_partner),
        ownerAccount=CUSTOMER,
        newPrivateVirtualInterfaceAllocation={
            "virtualInterfaceName": "h",
            "vlan": 44,
            "asn": 65001,
        },
    )["virtualInterfaceId"]
    assert dx.delete_virtual_interface(virtualInterfaceId=vif_id)["virtualInterfaceState"] == (
        "rejected"
    )
    assert describe(dx_partner, vif_id)["virtualInterfaceState"] == "rejected"


# -- delete and describe ------------------------------------------------------------------------
def test_delete_returns_deleting_then_the_vif_is_deleted(dx: Any, control: httpx.Client) -> None:
    vif_id = private_vif(dx, connection(dx))["virtualInterfaceId"]
    set_delay(control, 60)
    response = dx.delete_virtual_interface(virtualInterfaceId=vif_id)
    assert response["virtualInterfaceState"] == "deleting"
    advance(control, 60)
    vif = describe(dx, vif_id)
    assert vif["virtualInterfaceState"] == "deleted"


def test_deleted_vif_stays_listed_for_15_simulated_minutes(dx: Any, control: httpx.Client) -> None:
    vif_id = private_vif(dx, connection(dx))["virtualInterfaceId"]
    dx.delete_virtual_interface(virtualInterfaceId=vif_id)
    advance(control, 14 * 60)
    listed = dx.describe_virtual_interfaces()["virtualInterfaces"]
    assert [(v["virtualInterfaceId"], v["virtualInterfaceState"]) for v in listed] == [
        (vif_id, "deleted")
    ]
    advance(control, 60)
    assert dx.describe_virtual_interfaces()["virtualInterfaces"] == []


def test_describe_filters_by_connection_and_by_vif(dx: Any) -> None:
    first_conn, second_conn = connection(dx, "a"), connection(dx, "b")
    a = private_vif(dx, first_conn, vlan=1)["virtualInterfaceId"]
    b = private_vif(dx, second_conn, vlan=2)["virtualInterfaceId"]

    def ids(**filters: str) -> list[str]:
        vifs = dx.describe_virtual_interfaces(**filters)["virtualInterfaces"]
        return [v["virtualInterfaceId"] for v in vifs]

    assert ids() == [a, b]
    assert ids(connectionId=second_conn) == [b]
    assert ids(virtualInterfaceId=a) == [a]
    assert ids(connectionId=second_conn, virtualInterfaceId=a) == []


def test_describe_shows_own_vifs_and_vifs_on_own_connections_only(
    dx: Any, dx_partner: Any, dx_for: Any
) -> None:
    vif_id = dx_partner.allocate_private_virtual_interface(
        connectionId=connection(dx_partner),
        ownerAccount=CUSTOMER,
        newPrivateVirtualInterfaceAllocation={
            "virtualInterfaceName": "h",
            "vlan": 45,
            "asn": 65001,
        },
    )["virtualInterfaceId"]
    for client in (dx, dx_partner):
        listed = client.describe_virtual_interfaces()["virtualInterfaces"]
        assert [v["virtualInterfaceId"] for v in listed] == [vif_id]
    assert dx_for(OTHER).describe_virtual_interfaces()["virtualInterfaces"] == []
    assert dx_for(CUSTOMER, "us-west-2").describe_virtual_interfaces()["virtualInterfaces"] == []
    with pytest.raises(ClientError) as exc:
        dx_for(OTHER).describe_virtual_interfaces(virtualInterfaceId=vif_id)
    assert error_of(exc) == (CLIENT_ERROR, f"Virtual interface {vif_id} does not exist")


# -- update -------------------------------------------------------------------------------------
def test_setting_mtu_9001_makes_the_connection_jumbo_frame_capable(dx: Any) -> None:
    conn_id = connection(dx)
    vif_id = private_vif(dx, conn_id)["virtualInterfaceId"]
    assert (
        dx.describe_connections(connectionId=conn_id)["connections"][0]["jumboFrameCapable"]
        is False
    )
    updated = dx.update_virtual_interface_attributes(virtualInterfaceId=vif_id, mtu=9001)
    assert (updated["mtu"], updated["jumboFrameCapable"]) == (9001, True)
    assert (
        dx.describe_connections(connectionId=conn_id)["connections"][0]["jumboFrameCapable"] is True
    )


def test_public_vif_mtu_is_fixed_at_1500(dx: Any) -> None:
    vif_id = public_vif(dx, connection(dx))["virtualInterfaceId"]
    message = refused(dx.update_virtual_interface_attributes, virtualInterfaceId=vif_id, mtu=9001)
    assert "fixed at 1500" in message


# -- associate ----------------------------------------------------------------------------------
def test_associate_moves_the_vif_to_another_owned_connection(dx: Any) -> None:
    source, target = connection(dx, "a"), connection(dx, "b")
    vif_id = private_vif(dx, source)["virtualInterfaceId"]
    moved = dx.associate_virtual_interface(virtualInterfaceId=vif_id, connectionId=target)
    assert moved["connectionId"] == target
    assert [
        v["virtualInterfaceId"]
        for v in dx.describe_virtual_interfaces(connectionId=target)["virtualInterfaces"]
    ] == [vif_id]


def test_associate_onto_a_conflicting_vlan_fails(dx: Any) -> None:
    source, target = connection(dx, "a"), connection(dx, "b")
    vif_id = private_vif(dx, source, vlan=77)["virtualInterfaceId"]
    private_vif(dx, target, vlan=77)
    message = refused(
        dx.associate_virtual_interface, virtualInterfaceId=vif_id, connectionId=target
    )
    assert "on VLAN 77; the VLAN conflicts" in message


def test_vif_on_a_hosted_connection_cannot_move_to_a_lag(dx: Any, dx_partner: Any) -> None:
    hosted_id = hosted_connection(dx, dx_partner)
    lag_id = lag(dx)
    vif_id = private_vif(dx, hosted_id, vlan=300)["virtualInterfaceId"]
    message = refused(
        dx.associate_virtual_interface, virtualInterfaceId=vif_id, connectionId=lag_id
    )
    assert "cannot be associated with a LAG" in message
    assert "AssociateHostedConnection" in message


def test_associate_requires_owning_the_target(dx: Any, dx_partner: Any) -> None:
    vif_id = private_vif(dx, connection(dx))["virtualInterfaceId"]
    foreign = connection(dx_partner)
    message = refused(
        dx.associate_virtual_interface, virtualInterfaceId=vif_id, connectionId=foreign
    )
    assert message == f"Could not find Connection with ID {foreign}"
    stranger = refused(
        dx_partner.associate_virtual_interface, virtualInterfaceId=vif_id, connectionId=foreign
    )
    assert stranger == f"Virtual interface {vif_id} does not exist"


# -- derived state and quotas -------------------------------------------------------------------
def test_link_down_takes_the_vif_and_bgp_down_and_back_up(dx: Any, control: httpx.Client) -> None:
    conn_id = connection(dx)
    vif_id = private_vif(dx, conn_id)["virtualInterfaceId"]

    def status() -> tuple[str, str]:
        vif = describe(dx, vif_id)
        return vif["virtualInterfaceState"], vif["bgpPeers"][0]["bgpStatus"]

    assert status() == ("available", "up")
    control.post(f"/connections/{conn_id}/link", json={"status": "down"}).raise_for_status()
    assert status() == ("down", "down")
    control.post(f"/connections/{conn_id}/link", json={"status": "up"}).raise_for_status()
    assert status() == ("available", "up")


def test_a_hosted_connection_carries_one_vif(dx: Any, dx_partner: Any) -> None:
    hosted_id = hosted_connection(dx, dx_partner)
    private_vif(dx, hosted_id, vlan=300)
    with pytest.raises(ClientError) as exc:
        private_vif(dx, hosted_id, vlan=301)
    assert (
        "already has 1 virtual interface(s), the maximum for a hosted connection"
        in (error_of(exc)[1])
    )


def test_a_dedicated_connection_carries_at_most_50_vifs(dx: Any) -> None:
    conn_id = connection(dx)
    gateway = vgw(dx)
    for vlan in range(1, 51):
        dx.create_private_virtual_interface(
            connectionId=conn_id,
            newPrivateVirtualInterface={
                "virtualInterfaceName": "v",
                "vlan": vlan,
                "asn": 65000,
                "virtualGatewayId": gateway,
            },
        )
    with pytest.raises(ClientError) as exc:
        private_vif(dx, conn_id, vlan=51)
    assert "already has 50 virtual interface(s)" in error_of(exc)[1]


def test_associate_onto_a_conflicting_peer_address_fails(dx: Any) -> None:
    source, target = connection(dx, "a"), connection(dx, "b")
    addresses = {"amazonAddress": "192.168.7.1/30", "customerAddress": "192.168.7.2/30"}
    vif_id = private_vif(dx, source, vlan=70, **addresses)["virtualInterfaceId"]
    private_vif(dx, target, vlan=71, **addresses)
    message = refused(
        dx.associate_virtual_interface, virtualInterfaceId=vif_id, connectionId=target
    )
    assert "using IP address 192.168.7.1, 192.168.7.2; the address conflicts" in message


def test_confirming_a_vif_that_is_not_confirming_is_refused(dx: Any) -> None:
    vif_id = private_vif(dx, connection(dx))["virtualInterfaceId"]
    dx.describe_virtual_interfaces()
    message = refused(dx.confirm_private_virtual_interface, virtualInterfaceId=vif_id)
    assert message == f"ConfirmPrivateVirtualInterface failed. {vif_id} is in state available"

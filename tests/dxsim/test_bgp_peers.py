"""BGP peers over boto3: the first peer of every VIF, CreateBGPPeer, DeleteBGPPeer, rules B1–B6."""

from __future__ import annotations

import ipaddress
from typing import Any

import httpx
import pytest
from botocore.exceptions import ClientError

from tests.conftest import CUSTOMER, advance, error_of, set_delay

CLIENT_ERROR = "DirectConnectClientException"


def connection(dx: Any) -> str:
    conn_id = str(
        dx.create_connection(location="EqDC2", bandwidth="1Gbps", connectionName="c")[
            "connectionId"
        ]
    )
    dx.describe_connections(connectionId=conn_id)
    return conn_id


def private_vif(dx: Any, carrier_id: str | None = None) -> dict[str, Any]:
    gateway = dx.describe_virtual_gateways()["virtualGateways"][0]["virtualGatewayId"]
    vif: dict[str, Any] = dx.create_private_virtual_interface(
        connectionId=carrier_id or connection(dx),
        newPrivateVirtualInterface={
            "virtualInterfaceName": "v",
            "vlan": 101,
            "asn": 65000,
            "virtualGatewayId": gateway,
        },
    )
    return vif


def public_vif(dx: Any) -> dict[str, Any]:
    vif: dict[str, Any] = dx.create_public_virtual_interface(
        connectionId=connection(dx),
        newPublicVirtualInterface={
            "virtualInterfaceName": "pub",
            "vlan": 201,
            "asn": 65000,
            "amazonAddress": "203.0.113.1/30",
            "customerAddress": "203.0.113.2/30",
        },
    )
    return vif


def peers(dx: Any, vif_id: str) -> list[dict[str, Any]]:
    vif = dx.describe_virtual_interfaces(virtualInterfaceId=vif_id)["virtualInterfaces"][0]
    found: list[dict[str, Any]] = vif["bgpPeers"]
    return found


def refused(call: Any, **kwargs: Any) -> str:
    with pytest.raises(ClientError) as exc:
        call(**kwargs)
    code, message = error_of(exc)
    assert code == CLIENT_ERROR
    return message


def test_every_vif_starts_with_one_peer_that_its_bgp_fields_mirror(dx: Any) -> None:
    vif = private_vif(dx)
    [peer] = vif["bgpPeers"]
    assert {k: peer[k] for k in ("asn", "authKey", "addressFamily")} == {
        "asn": vif["asn"],
        "authKey": vif["authKey"],
        "addressFamily": vif["addressFamily"],
    }
    assert (peer["amazonAddress"], peer["customerAddress"]) == (
        vif["amazonAddress"],
        vif["customerAddress"],
    )


def test_create_bgp_peer_without_virtual_interface_id_is_refused(dx: Any) -> None:
    message = refused(dx.create_bgp_peer, newBGPPeer={"asn": 65000, "addressFamily": "ipv6"})
    assert message.startswith("virtualInterfaceId is required")


def test_create_bgp_peer_without_new_bgp_peer_is_refused(dx: Any) -> None:
    vif_id = private_vif(dx)["virtualInterfaceId"]
    message = refused(dx.create_bgp_peer, virtualInterfaceId=vif_id)
    assert message.startswith("newBGPPeer is required")


def test_an_ipv6_peer_can_join_an_ipv4_vif_with_amazon_assigned_125_addresses(dx: Any) -> None:
    vif_id = private_vif(dx)["virtualInterfaceId"]
    result = dx.create_bgp_peer(
        virtualInterfaceId=vif_id, newBGPPeer={"asn": 64600, "addressFamily": "ipv6"}
    )
    vif = result["virtualInterface"]
    assert vif["virtualInterfaceId"] == vif_id
    ipv4, ipv6 = vif["bgpPeers"]
    assert (ipv4["addressFamily"], ipv6["addressFamily"]) == ("ipv4", "ipv6")
    assert ipv6["bgpPeerState"] == "pending"
    amazon = ipaddress.ip_interface(ipv6["amazonAddress"])
    assert (amazon.version, amazon.network.prefixlen) == (6, 125)
    assert ipaddress.ip_interface(ipv6["customerAddress"]).network == amazon.network
    assert vif["addressFamily"] == "ipv4"
    assert (
        f"<ipv6_amazon_address>{ipv6['amazonAddress']}</ipv6_amazon_address>"
        in (vif["customerRouterConfig"])
    )


def test_ipv6_peer_with_custom_addresses_is_refused(dx: Any) -> None:
    vif_id = private_vif(dx)["virtualInterfaceId"]
    message = refused(
        dx.create_bgp_peer,
        virtualInterfaceId=vif_id,
        newBGPPeer={
            "asn": 64600,
            "addressFamily": "ipv6",
            "amazonAddress": "2001:db8::1/125",
            "customerAddress": "2001:db8::6/125",
        },
    )
    assert "Custom IPv6 addresses are not supported" in message


def test_second_peer_in_a_family_is_refused_without_logical_redundancy(dx: Any) -> None:
    conn_id = connection(dx)
    vif_id = private_vif(dx, conn_id)["virtualInterfaceId"]
    message = refused(
        dx.create_bgp_peer,
        virtualInterfaceId=vif_id,
        newBGPPeer={"asn": 65001, "addressFamily": "ipv4"},
    )
    assert f"{conn_id} does not support logical redundancy (hasLogicalRedundancy: no)" in message


def test_second_peer_in_a_family_is_allowed_on_a_lag_with_logical_redundancy(dx: Any) -> None:
    lag_id = dx.create_lag(
        numberOfConnections=1, location="EqDC2", connectionsBandwidth="1Gbps", lagName="l"
    )["lagId"]
    assert dx.describe_lags(lagId=lag_id)["lags"][0]["hasLogicalRedundancy"] == "yes"
    vif_id = private_vif(dx, lag_id)["virtualInterfaceId"]
    vif = dx.create_bgp_peer(
        virtualInterfaceId=vif_id, newBGPPeer={"asn": 65001, "addressFamily": "ipv4"}
    )["virtualInterface"]
    first, second = vif["bgpPeers"]
    assert (first["addressFamily"], second["addressFamily"]) == ("ipv4", "ipv4")
    assert first["amazonAddress"] != second["amazonAddress"]


def test_public_vif_peer_asn_must_be_private_or_already_on_the_vif(dx: Any) -> None:
    vif_id = public_vif(dx)["virtualInterfaceId"]
    message = refused(
        dx.create_bgp_peer,
        virtualInterfaceId=vif_id,
        newBGPPeer={"asn": 16509, "addressFamily": "ipv6"},
    )
    assert "must be private (64512-65534, 4200000000-4294967294)" in message
    vif = dx.create_bgp_peer(
        virtualInterfaceId=vif_id, newBGPPeer={"asn": 65000, "addressFamily": "ipv6"}
    )["virtualInterface"]
    assert len(vif["bgpPeers"]) == 2


def test_new_peer_verifies_on_a_public_vif_and_is_pending_on_a_private_one_then_available(
    dx: Any, control: httpx.Client
) -> None:
    public_id = public_vif(dx)["virtualInterfaceId"]
    private_id = private_vif(dx)["virtualInterfaceId"]
    set_delay(control, 60)
    public_peer = dx.create_bgp_peer(
        virtualInterfaceId=public_id, newBGPPeer={"asn": 65000, "addressFamily": "ipv6"}
    )["virtualInterface"]["bgpPeers"][1]
    private_peer = dx.create_bgp_peer(
        virtualInterfaceId=private_id, newBGPPeer={"asn": 65000, "addressFamily": "ipv6"}
    )["virtualInterface"]["bgpPeers"][1]
    assert (public_peer["bgpPeerState"], private_peer["bgpPeerState"]) == ("verifying", "pending")
    assert public_peer["bgpStatus"] == "down"
    advance(control, 60)
    for vif_id in (public_id, private_id):
        assert (peers(dx, vif_id)[1]["bgpPeerState"], peers(dx, vif_id)[1]["bgpStatus"]) == (
            "available",
            "up",
        )


def test_peer_with_asn_long_reads_back_asn_zero_for_a_4_byte_asn(dx: Any) -> None:
    vif_id = private_vif(dx)["virtualInterfaceId"]
    peer = dx.create_bgp_peer(
        virtualInterfaceId=vif_id,
        newBGPPeer={"asnLong": 4200000002, "addressFamily": "ipv6"},
    )["virtualInterface"]["bgpPeers"][1]
    assert (peer["asn"], peer["asnLong"]) == (0, 4200000002)


def test_delete_bgp_peer_by_id_passes_deleting_then_deleted(dx: Any, control: httpx.Client) -> None:
    vif_id = private_vif(dx)["virtualInterfaceId"]
    peer_id = dx.create_bgp_peer(
        virtualInterfaceId=vif_id, newBGPPeer={"asn": 65000, "addressFamily": "ipv6"}
    )["virtualInterface"]["bgpPeers"][1]["bgpPeerId"]
    dx.describe_virtual_interfaces()
    set_delay(control, 60)
    vif = dx.delete_bgp_peer(bgpPeerId=peer_id)["virtualInterface"]
    assert [(p["bgpPeerId"], p["bgpPeerState"]) for p in vif["bgpPeers"]][1] == (
        peer_id,
        "deleting",
    )
    advance(control, 60)
    assert [p["bgpPeerId"] for p in peers(dx, vif_id)] == [vif["bgpPeers"][0]["bgpPeerId"]]


def test_delete_bgp_peer_by_asn_and_customer_address(dx: Any) -> None:
    vif_id = private_vif(dx)["virtualInterfaceId"]
    added = dx.create_bgp_peer(
        virtualInterfaceId=vif_id, newBGPPeer={"asn": 64600, "addressFamily": "ipv6"}
    )["virtualInterface"]["bgpPeers"][1]
    vif = dx.delete_bgp_peer(
        virtualInterfaceId=vif_id, asn=64600, customerAddress=added["customerAddress"]
    )["virtualInterface"]
    assert vif["bgpPeers"][1]["bgpPeerState"] == "deleting"


def test_deleting_the_first_peer_makes_the_vif_fields_mirror_the_next_one(dx: Any) -> None:
    vif = private_vif(dx)
    first_id = vif["bgpPeers"][0]["bgpPeerId"]
    dx.create_bgp_peer(
        virtualInterfaceId=vif["virtualInterfaceId"],
        newBGPPeer={"asn": 64600, "addressFamily": "ipv6"},
    )
    after = dx.delete_bgp_peer(bgpPeerId=first_id)["virtualInterface"]
    assert (after["addressFamily"], after["asn"]) == ("ipv6", 64600)


def test_the_last_bgp_peer_cannot_be_deleted(dx: Any) -> None:
    vif = private_vif(dx)
    message = refused(dx.delete_bgp_peer, bgpPeerId=vif["bgpPeers"][0]["bgpPeerId"])
    assert message == "The last BGP Peer on a Virtual Interface cannot be deleted"


def test_delete_bgp_peer_needs_an_id_or_vif_asn_and_customer_address(dx: Any) -> None:
    vif_id = private_vif(dx)["virtualInterfaceId"]
    message = refused(dx.delete_bgp_peer, virtualInterfaceId=vif_id, asn=65000)
    assert "needs bgpPeerId, or virtualInterfaceId together with asn" in message


def test_only_the_vif_owner_can_add_peers(dx: Any, dx_partner: Any) -> None:
    conn_id = connection(dx_partner)
    vif_id = dx_partner.allocate_private_virtual_interface(
        connectionId=conn_id,
        ownerAccount=CUSTOMER,
        newPrivateVirtualInterfaceAllocation={"virtualInterfaceName": "h", "vlan": 9, "asn": 1},
    )["virtualInterfaceId"]
    message = refused(
        dx_partner.create_bgp_peer,
        virtualInterfaceId=vif_id,
        newBGPPeer={"asn": 65000, "addressFamily": "ipv6"},
    )
    assert f"Only the owner of virtual interface {vif_id}" in message


# -- today's members: asnLong, awsLogicalDeviceId, auth key length ------------------------------
def test_peer_asn_long_is_echoed_in_both_fields_for_a_2_byte_asn(dx: Any) -> None:
    vif = private_vif(dx)
    added = dx.create_bgp_peer(
        virtualInterfaceId=vif["virtualInterfaceId"],
        newBGPPeer={"asnLong": 64777, "addressFamily": "ipv6"},
    )["virtualInterface"]
    peer = next(p for p in added["bgpPeers"] if p["addressFamily"] == "ipv6")
    assert (peer["asn"], peer["asnLong"]) == (64777, 64777)


def test_peers_carry_a_stable_aws_logical_device_id(dx: Any) -> None:
    vif = private_vif(dx)
    [peer] = vif["bgpPeers"]
    assert peer["awsLogicalDeviceId"] == vif["awsLogicalDeviceId"]
    assert peer["awsLogicalDeviceId"].startswith("EqDC2-")
    [again] = peers(dx, vif["virtualInterfaceId"])
    assert again["awsLogicalDeviceId"] == peer["awsLogicalDeviceId"]


@pytest.mark.parametrize("length", [5, 81])
def test_peer_auth_key_must_be_6_to_80_characters_and_is_never_echoed(dx: Any, length: int) -> None:
    vif = private_vif(dx)
    key = "x" * (length - 1) + "Q"
    with pytest.raises(ClientError) as exc:
        dx.create_bgp_peer(
            virtualInterfaceId=vif["virtualInterfaceId"],
            newBGPPeer={"asn": 64600, "addressFamily": "ipv6", "authKey": key},
        )
    code, message = error_of(exc)
    assert code == CLIENT_ERROR
    assert "6-80 characters" in message
    assert key not in message

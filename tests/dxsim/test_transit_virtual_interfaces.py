"""Transit virtual interfaces over boto3: create, allocate, confirm, their rules and quotas, and
the DX gateway that carries private or transit traffic but never both."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from botocore.exceptions import ClientError

from tests.conftest import CUSTOMER, PARTNER, REGION, advance, error_of, set_delay
from tests.dxsim.builders import transit_vif
from tests.dxsim.shapes import raw_call
from tests.dxsim.test_virtual_interfaces import connection, hosted_connection, lag, private_vif

CLIENT_ERROR = "DirectConnectClientException"
LIMIT = "LimitExceededException"


def gateway(dx: Any, asn: int = 64600, name: str = "transit") -> str:
    return str(
        dx.create_direct_connect_gateway(directConnectGatewayName=name, amazonSideAsn=asn)[
            "directConnectGateway"
        ]["directConnectGatewayId"]
    )


def allocate(dx_partner: Any, conn_id: str, vlan: int = 501, **fields: Any) -> dict[str, Any]:
    spec: dict[str, Any] = {"virtualInterfaceName": "hosted-transit", "vlan": vlan, "asn": 65001}
    spec.update(fields)
    vif: dict[str, Any] = dx_partner.allocate_transit_virtual_interface(
        connectionId=conn_id, ownerAccount=CUSTOMER, newTransitVirtualInterfaceAllocation=spec
    )["virtualInterface"]
    return vif


def describe(dx: Any, vif_id: str) -> dict[str, Any]:
    vif: dict[str, Any] = dx.describe_virtual_interfaces(virtualInterfaceId=vif_id)[
        "virtualInterfaces"
    ][0]
    return vif


def error(call: Any, **kwargs: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as exc:
        call(**kwargs)
    return error_of(exc)


# -- create ---------------------------------------------------------------------------------------
def test_transit_vif_is_created_pending_on_its_gateway_and_becomes_available(
    dx: Any, control: httpx.Client
) -> None:
    conn_id, gateway_id = connection(dx), gateway(dx, asn=64600)
    set_delay(control, 30)
    vif = transit_vif(dx, conn_id, gateway_id)
    assert (vif["virtualInterfaceType"], vif["virtualInterfaceState"]) == ("transit", "pending")
    assert (vif["directConnectGatewayId"], vif["amazonSideAsn"]) == (gateway_id, 64600)
    assert (vif["mtu"], vif["asn"], vif["asnLong"]) == (1500, 65000, 65000)
    assert vif["siteLinkEnabled"] is False
    [peer] = vif["bgpPeers"]
    assert (peer["bgpPeerState"], peer["bgpStatus"]) == ("pending", "down")
    assert "<connection_type>transit</connection_type>" in vif["customerRouterConfig"]
    [attachment] = dx.describe_direct_connect_gateway_attachments(
        directConnectGatewayId=gateway_id
    )["directConnectGatewayAttachments"]
    assert attachment["attachmentState"] == "attaching"
    advance(control, 60)
    assert describe(dx, vif["virtualInterfaceId"])["virtualInterfaceState"] == "available"
    [attachment] = dx.describe_direct_connect_gateway_attachments(
        directConnectGatewayId=gateway_id
    )["directConnectGatewayAttachments"]
    assert attachment["attachmentState"] == "attached"


def test_transit_vif_needs_a_dx_gateway_name_and_vlan(dx: Any) -> None:
    conn_id = connection(dx)
    spec = {"virtualInterfaceName": "t", "vlan": 400, "asn": 65000}
    code, message = error(
        dx.create_transit_virtual_interface, connectionId=conn_id, newTransitVirtualInterface=spec
    )
    assert (code, "directConnectGatewayId is required" in message) == (CLIENT_ERROR, True)
    gateway_id = gateway(dx)
    for missing in ("virtualInterfaceName", "vlan"):
        partial = {k: v for k, v in spec.items() if k != missing}
        code, message = error(
            dx.create_transit_virtual_interface,
            connectionId=conn_id,
            newTransitVirtualInterface={**partial, "directConnectGatewayId": gateway_id},
        )
        assert code == CLIENT_ERROR
        assert f"newTransitVirtualInterface.{missing} is required" in message


def test_transit_vif_on_an_unknown_gateway_is_not_found(dx: Any) -> None:
    code, message = error(
        transit_vif,
        dx=dx,
        conn_id=connection(dx),
        gateway_id="5f294f92-bafb-4011-916d-9b0b1a2b3c4d",
    )
    assert code == CLIENT_ERROR
    assert "does not exist" in message


def test_transit_vif_mtu_is_1500_or_8500_and_8500_makes_the_connection_jumbo(dx: Any) -> None:
    conn_id, gateway_id = connection(dx), gateway(dx)
    code, message = error(transit_vif, dx=dx, conn_id=conn_id, gateway_id=gateway_id, mtu=9001)
    assert code == CLIENT_ERROR
    assert "supported values are 1500 and 8500" in message
    vif = transit_vif(dx, conn_id, gateway_id, mtu=8500)
    assert (vif["mtu"], vif["jumboFrameCapable"]) == (8500, True)
    assert dx.describe_connections(connectionId=conn_id)["connections"][0]["jumboFrameCapable"]
    updated = dx.update_virtual_interface_attributes(
        virtualInterfaceId=vif["virtualInterfaceId"], mtu=1500
    )
    assert updated["mtu"] == 1500
    code, message = error(
        dx.update_virtual_interface_attributes,
        virtualInterfaceId=vif["virtualInterfaceId"],
        mtu=9001,
    )
    assert "supported values are 1500 and 8500" in message


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ({"asn": 65010}, (65010, 65010)),
        ({"asnLong": 64999}, (64999, 64999)),
        ({"asnLong": 4200000001}, (0, 4200000001)),
        ({"asn": 65010, "asnLong": 4200000005}, (0, 4200000005)),
    ],
)
def test_transit_vif_asn_and_asn_long(
    dx: Any, given: dict[str, int], expected: tuple[int, int]
) -> None:
    spec = {"virtualInterfaceName": "t", "vlan": 400, "directConnectGatewayId": gateway(dx)}
    vif = dx.create_transit_virtual_interface(
        connectionId=connection(dx), newTransitVirtualInterface={**spec, **given}
    )["virtualInterface"]
    assert (vif["asn"], vif["asnLong"]) == expected
    assert (vif["bgpPeers"][0]["asn"], vif["bgpPeers"][0]["asnLong"]) == expected


def test_transit_vif_asn_beyond_the_legacy_range_is_refused(dx: Any) -> None:
    code, message = error(
        transit_vif, dx=dx, conn_id=connection(dx), gateway_id=gateway(dx), asn=2147483647
    )
    assert code == CLIENT_ERROR
    assert "use asnLong" in message


@pytest.mark.parametrize("length", [5, 81])
def test_transit_vif_auth_key_is_6_to_80_characters_and_never_echoed(dx: Any, length: int) -> None:
    key = "k" * (length - 1) + "Z"
    code, message = error(
        transit_vif, dx=dx, conn_id=connection(dx), gateway_id=gateway(dx), authKey=key
    )
    assert code == CLIENT_ERROR
    assert "6-80 characters" in message
    assert key not in message


def test_transit_vif_tags_are_stored_and_returned(dx: Any) -> None:
    tags = [{"key": "team", "value": "net"}, {"key": "bare"}]
    vif = transit_vif(dx, connection(dx), gateway(dx), tags=tags)
    assert vif["tags"] == tags
    assert describe(dx, vif["virtualInterfaceId"])["tags"] == tags
    arn = f"arn:aws:directconnect:{REGION}:{CUSTOMER}:dxvif/{vif['virtualInterfaceId']}"
    assert dx.describe_tags(resourceArns=[arn])["resourceTags"][0]["tags"] == tags


def test_bad_tags_refuse_the_transit_vif_before_anything_is_created(dx: Any) -> None:
    conn_id = connection(dx)
    code, _ = error(
        transit_vif,
        dx=dx,
        conn_id=conn_id,
        gateway_id=gateway(dx),
        tags=[{"key": "k", "value": "1"}, {"key": "k", "value": "2"}],
    )
    assert code == "DuplicateTagKeysException"
    assert dx.describe_virtual_interfaces(connectionId=conn_id)["virtualInterfaces"] == []


# -- allocate and confirm -------------------------------------------------------------------------
def test_allocated_transit_vif_is_confirming_without_a_gateway(dx_partner: Any) -> None:
    vif = allocate(dx_partner, connection(dx_partner))
    assert (vif["ownerAccount"], vif["virtualInterfaceState"]) == (CUSTOMER, "confirming")
    assert (vif["virtualInterfaceType"], vif["directConnectGatewayId"]) == ("transit", "")
    assert vif["amazonSideAsn"] == 7224


@pytest.mark.aws_verified
def test_allocating_a_transit_vif_for_the_connection_owner_is_refused(dx_partner: Any) -> None:
    conn_id = connection(dx_partner)
    code, message = error(
        dx_partner.allocate_transit_virtual_interface,
        connectionId=conn_id,
        ownerAccount=PARTNER,
        newTransitVirtualInterfaceAllocation={"virtualInterfaceName": "t", "vlan": 9, "asn": 1},
    )
    assert (code, message) == (
        CLIENT_ERROR,
        "Cannot allocate VirtualInterface for the connection owner.",
    )


def test_owner_confirms_a_transit_vif_onto_its_gateway(
    dx: Any, dx_partner: Any, control: httpx.Client
) -> None:
    vif_id = allocate(dx_partner, connection(dx_partner))["virtualInterfaceId"]
    gateway_id = gateway(dx, asn=64700)
    set_delay(control, 30)
    answer = dx.confirm_transit_virtual_interface(
        virtualInterfaceId=vif_id, directConnectGatewayId=gateway_id
    )
    assert {k: v for k, v in answer.items() if k != "ResponseMetadata"} == {
        "virtualInterfaceState": "pending"
    }
    advance(control, 60)
    vif = describe(dx, vif_id)
    assert (vif["virtualInterfaceState"], vif["directConnectGatewayId"]) == (
        "available",
        gateway_id,
    )
    assert vif["amazonSideAsn"] == 64700


def test_only_the_vif_owner_confirms_and_only_a_confirming_transit_vif(
    dx: Any, dx_partner: Any
) -> None:
    vif_id = allocate(dx_partner, connection(dx_partner))["virtualInterfaceId"]
    partner_gateway = gateway(dx_partner)
    code, message = error(
        dx_partner.confirm_transit_virtual_interface,
        virtualInterfaceId=vif_id,
        directConnectGatewayId=partner_gateway,
    )
    assert (code, "only the owner" in message) == (CLIENT_ERROR, True)
    gateway_id = gateway(dx)
    dx.confirm_transit_virtual_interface(
        virtualInterfaceId=vif_id, directConnectGatewayId=gateway_id
    )
    code, message = error(
        dx.confirm_transit_virtual_interface,
        virtualInterfaceId=vif_id,
        directConnectGatewayId=gateway_id,
    )
    assert code == CLIENT_ERROR
    assert "ConfirmTransitVirtualInterface failed" in message


def test_confirm_transit_refuses_a_private_vif(dx: Any, dx_partner: Any) -> None:
    vif_id = dx_partner.allocate_private_virtual_interface(
        connectionId=connection(dx_partner),
        ownerAccount=CUSTOMER,
        newPrivateVirtualInterfaceAllocation={"virtualInterfaceName": "p", "vlan": 7, "asn": 65001},
    )["virtualInterfaceId"]
    code, message = error(
        dx.confirm_transit_virtual_interface,
        virtualInterfaceId=vif_id,
        directConnectGatewayId=gateway(dx),
    )
    assert code == CLIENT_ERROR
    assert "use ConfirmPrivateVirtualInterface" in message


def test_owner_deleting_a_confirming_transit_vif_rejects_it(dx: Any, dx_partner: Any) -> None:
    vif_id = allocate(dx_partner, connection(dx_partner))["virtualInterfaceId"]
    state = dx.delete_virtual_interface(virtualInterfaceId=vif_id)["virtualInterfaceState"]
    assert state == "rejected"


# -- quotas ---------------------------------------------------------------------------------------
def test_a_connection_carries_at_most_4_transit_vifs(dx: Any) -> None:
    conn_id = connection(dx)
    gateways = [gateway(dx, name=f"g{n}") for n in range(5)]
    for n in range(4):
        transit_vif(dx, conn_id, gateways[n], vlan=410 + n)
    code, message = error(transit_vif, dx=dx, conn_id=conn_id, gateway_id=gateways[4], vlan=420)
    assert code == LIMIT
    assert "4 transit virtual interfaces" in message


def test_a_lag_carries_at_most_4_transit_vifs(dx: Any) -> None:
    lag_id, gateway_id = lag(dx), gateway(dx)
    for n in range(4):
        transit_vif(dx, lag_id, gateway_id, vlan=410 + n)
    code, _ = error(transit_vif, dx=dx, conn_id=lag_id, gateway_id=gateway_id, vlan=420)
    assert code == LIMIT


def test_a_connection_carries_at_most_51_vifs_of_all_types(dx: Any) -> None:
    conn_id, vgw_gateway, transit_gateway = connection(dx), gateway(dx, name="p"), gateway(dx)
    vgw_id = dx.describe_virtual_gateways()["virtualGateways"][0]["virtualGatewayId"]
    for vlan in range(1, 51):
        target = {"virtualGatewayId": vgw_id} if vlan % 2 else {}
        private_vif(dx, conn_id, vlan=vlan, **(target or {"directConnectGatewayId": vgw_gateway}))
    transit_vif(dx, conn_id, transit_gateway, vlan=100)
    code, message = error(transit_vif, dx=dx, conn_id=conn_id, gateway_id=transit_gateway, vlan=101)
    assert code == LIMIT
    assert "51 virtual interfaces" in message


def test_no_transit_vif_on_a_hosted_connection_below_1_gbps(dx: Any, dx_partner: Any) -> None:
    hosted_id = hosted_connection(dx, dx_partner)
    code, message = error(transit_vif, dx=dx, conn_id=hosted_id, gateway_id=gateway(dx))
    assert code == CLIENT_ERROR
    assert "1Gbps or more" in message


def test_a_dx_gateway_takes_at_most_30_vifs(dx: Any) -> None:
    gateway_id = gateway(dx)
    conns = [connection(dx, name=f"c{n}") for n in range(8)]
    for n in range(30):
        transit_vif(dx, conns[n // 4], gateway_id, vlan=400 + n)
    code, message = error(transit_vif, dx=dx, conn_id=conns[7], gateway_id=gateway_id, vlan=499)
    assert code == LIMIT
    assert "already has 30 virtual interfaces attached" in message


# -- private or transit, never both ---------------------------------------------------------------
def test_a_gateway_with_a_private_vif_takes_no_transit_vif(dx: Any) -> None:
    conn_id, gateway_id = connection(dx), gateway(dx)
    private_vif(dx, conn_id, vlan=10, directConnectGatewayId=gateway_id)
    code, message = error(transit_vif, dx=dx, conn_id=conn_id, gateway_id=gateway_id)
    assert code == CLIENT_ERROR
    assert "attached to a private virtual interface" in message
    assert "transit virtual interface cannot be attached" in message


def test_a_gateway_with_a_vgw_association_takes_no_transit_vif(dx: Any) -> None:
    gateway_id = gateway(dx)
    vgw_id = dx.describe_virtual_gateways()["virtualGateways"][0]["virtualGatewayId"]
    dx.create_direct_connect_gateway_association(
        directConnectGatewayId=gateway_id, virtualGatewayId=vgw_id
    )
    code, message = error(transit_vif, dx=dx, conn_id=connection(dx), gateway_id=gateway_id)
    assert code == CLIENT_ERROR
    assert "associated with a virtual private gateway" in message


def test_a_gateway_with_a_transit_vif_takes_no_private_vif(dx: Any, dx_partner: Any) -> None:
    conn_id, gateway_id = connection(dx), gateway(dx)
    transit_vif(dx, conn_id, gateway_id)
    with pytest.raises(ClientError) as exc:
        private_vif(dx, conn_id, vlan=10, directConnectGatewayId=gateway_id)
    code, message = error_of(exc)
    assert code == CLIENT_ERROR
    assert "private virtual interface cannot be attached" in message
    hosted_private = dx_partner.allocate_private_virtual_interface(
        connectionId=connection(dx_partner),
        ownerAccount=CUSTOMER,
        newPrivateVirtualInterfaceAllocation={"virtualInterfaceName": "p", "vlan": 7, "asn": 65001},
    )["virtualInterfaceId"]
    code, message = error(
        dx.confirm_private_virtual_interface,
        virtualInterfaceId=hosted_private,
        directConnectGatewayId=gateway_id,
    )
    assert "private virtual interface cannot be attached" in message


def test_confirming_a_transit_vif_onto_a_private_gateway_is_refused(
    dx: Any, dx_partner: Any
) -> None:
    gateway_id = gateway(dx)
    private_vif(dx, connection(dx), vlan=10, directConnectGatewayId=gateway_id)
    vif_id = allocate(dx_partner, connection(dx_partner))["virtualInterfaceId"]
    code, message = error(
        dx.confirm_transit_virtual_interface,
        virtualInterfaceId=vif_id,
        directConnectGatewayId=gateway_id,
    )
    assert code == CLIENT_ERROR
    assert "transit virtual interface cannot be attached" in message
    assert describe(dx, vif_id)["virtualInterfaceState"] == "confirming"


def test_a_gateway_whose_transit_vif_is_deleted_takes_private_vifs_again(
    dx: Any, control: httpx.Client
) -> None:
    conn_id, gateway_id = connection(dx), gateway(dx)
    vif_id = transit_vif(dx, conn_id, gateway_id)["virtualInterfaceId"]
    dx.delete_virtual_interface(virtualInterfaceId=vif_id)
    advance(control, 1)
    dx.describe_virtual_interfaces()
    made = private_vif(dx, conn_id, vlan=10, directConnectGatewayId=gateway_id)
    assert made["directConnectGatewayId"] == gateway_id


# -- BGP peers ------------------------------------------------------------------------------------
def test_bgp_peers_on_a_transit_vif_are_added_and_deleted(dx: Any) -> None:
    vif = transit_vif(dx, connection(dx), gateway(dx))
    vif_id = vif["virtualInterfaceId"]
    dx.describe_virtual_interfaces()
    added = dx.create_bgp_peer(
        virtualInterfaceId=vif_id, newBGPPeer={"asnLong": 4200000009, "addressFamily": "ipv6"}
    )["virtualInterface"]
    peer = next(p for p in added["bgpPeers"] if p["addressFamily"] == "ipv6")
    assert (peer["asn"], peer["asnLong"]) == (0, 4200000009)
    after = dx.delete_bgp_peer(virtualInterfaceId=vif_id, bgpPeerId=peer["bgpPeerId"])
    states = {p["bgpPeerId"]: p["bgpPeerState"] for p in after["virtualInterface"]["bgpPeers"]}
    assert states[peer["bgpPeerId"]] == "deleting"


def test_a_public_vif_never_attaches_to_a_gateway(dx_url: str, dx: Any) -> None:
    spec = {
        "virtualInterfaceName": "pub",
        "vlan": 201,
        "asn": 65000,
        "amazonAddress": "203.0.113.1/30",
        "customerAddress": "203.0.113.2/30",
        "directConnectGatewayId": gateway(dx),
    }
    response = raw_call(
        dx_url,
        "CreatePublicVirtualInterface",
        {"connectionId": connection(dx), "newPublicVirtualInterface": spec},
    )
    assert response.status_code == 400
    assert response.json()["__type"] == "ValidationException"
    assert "newPublicVirtualInterface.directConnectGatewayId" in response.json()["message"]

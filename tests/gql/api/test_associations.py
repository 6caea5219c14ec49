"""DX gateway associations and attachments as today's API returns them, through the gateway on
dxsim: transit gateway associations with their associationId, associated gateway and allowed
prefixes, one node ID each (the old key gave two TGW associations of one DX gateway the same
ID), old node IDs still resolving, a VGW association still linking its VGW, the attachment type
of transit and private VIFs, and no upstream call more for the new fields."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from dxsim.gateway_records import seeded_tgws
from gql.api.direct_connect_gateway_attachment import DirectConnectGatewayAttachment
from gql.api.enums import AttachmentType
from gql.http.server import GatewayServer
from gql.settings import Settings
from tests.conftest import CUSTOMER
from tests.dxsim.builders import new_connection, new_gateway, transit_vif
from tests.gql.conftest import Gql

EAST, WEST = "us-east-1", "us-west-2"

NEW_FIELDS = """id associationId directConnectGatewayId directConnectGatewayOwnerAccount
  associatedGateway { id type ownerAccount region } allowedPrefixesToDirectConnectGateway
  associationState virtualGatewayId virtualGateway { virtualGatewayId }"""
OLD_FIELDS = """id directConnectGatewayId virtualGatewayId virtualGatewayRegion
  virtualGatewayOwnerAccount associationState stateChangeError"""
OF_GATEWAY = (
    "query($gw: String!) { directConnectGatewayAssociations(directConnectGatewayId: $gw) {"
    f" edges {{ node {{ {NEW_FIELDS} }} }} }} }}"
)
NODE = """query($id: ID!) { node(id: $id) { id
  ... on DirectConnectGatewayAssociation { associationId associatedGateway { id region } } } }"""


def every_gateway(fields: str) -> str:
    """Every DX gateway with `fields` of each of its associations."""
    return (
        "{ directConnectGateways { edges { node { directConnectGatewayId"
        f" associations {{ edges {{ node {{ {fields} }} }} }} }} }} }} }}"
    )


@dataclass
class Estate:
    """A DX gateway with TGW associations in two regions, and another with a VGW association."""

    transit_gateway: str
    east_tgw: str
    west_tgw: str
    east_association: str
    west_association: str
    private_gateway: str
    vgw: str
    vgw_association: str


def associate(client: Any, gateway_id: str, target: str, *cidrs: str) -> str:
    """Associates `target` (TGW or VGW) with the DX gateway; the associationId AWS returned."""
    extra: dict[str, Any] = {}
    if cidrs:
        extra["addAllowedPrefixesToDirectConnectGateway"] = [{"cidr": c} for c in cidrs]
    created = client.create_direct_connect_gateway_association(
        directConnectGatewayId=gateway_id, gatewayId=target, **extra
    )
    association_id: str = created["directConnectGatewayAssociation"]["associationId"]
    return association_id


@pytest.fixture
def estate(dx: Any, dx_for: Callable[..., Any]) -> Estate:
    """The dxsim demo's `transit-dxgw` shape: one DX gateway, a TGW of each region."""
    transit = new_gateway(dx, "transit-dxgw")
    east_tgw, west_tgw = seeded_tgws(CUSTOMER, EAST)[0][0], seeded_tgws(CUSTOMER, WEST)[0][0]
    east = associate(dx, transit, east_tgw, "10.10.0.0/16", "10.11.0.0/16")
    west = associate(dx_for(CUSTOMER, WEST), transit, west_tgw, "10.20.0.0/16")
    private = new_gateway(dx, "private-dxgw")
    vgw: str = dx.describe_virtual_gateways()["virtualGateways"][0]["virtualGatewayId"]
    vgw_association = associate(dx, private, vgw)
    return Estate(transit, east_tgw, west_tgw, east, west, private, vgw, vgw_association)


def global_id(type_name: str, key: str) -> str:
    """A Relay global ID as strawberry makes it (base64 of `Type:key`), for keys of old forms."""
    return base64.b64encode(f"{type_name}:{key}".encode()).decode()


def nodes(body: dict[str, Any]) -> list[dict[str, Any]]:
    return [e["node"] for e in body["directConnectGatewayAssociations"]["edges"]]


def test_transit_associations_carry_todays_members(gql: Gql, estate: Estate) -> None:
    found = {n["associationId"]: n for n in nodes(gql(OF_GATEWAY, gw=estate.transit_gateway))}
    assert set(found) == {estate.east_association, estate.west_association}
    for association_id, tgw, region, prefixes in (
        (estate.east_association, estate.east_tgw, EAST, ["10.10.0.0/16", "10.11.0.0/16"]),
        (estate.west_association, estate.west_tgw, WEST, ["10.20.0.0/16"]),
    ):
        node = found[association_id]
        assert node["directConnectGatewayId"] == estate.transit_gateway
        assert node["directConnectGatewayOwnerAccount"] == CUSTOMER
        assert node["associatedGateway"] == {
            "id": tgw,
            "type": "TRANSIT_GATEWAY",
            "ownerAccount": CUSTOMER,
            "region": region,
        }
        assert sorted(node["allowedPrefixesToDirectConnectGateway"]) == prefixes
        # A TGW is no VGW: the legacy member and the VGW link stay empty, without an error.
        assert node["virtualGatewayId"] is None
        assert node["virtualGateway"] is None
    # One node ID per association (the old key was `<gateway>/-` for both).
    assert len({n["id"] for n in found.values()}) == 2


def test_node_lookup_returns_each_transit_association(gql: Gql, estate: Estate) -> None:
    listed = nodes(gql(OF_GATEWAY, gw=estate.transit_gateway))
    for node in listed:
        looked_up = gql(NODE, id=node["id"])["node"]
        assert looked_up == {
            "id": node["id"],
            "associationId": node["associationId"],
            "associatedGateway": {
                "id": node["associatedGateway"]["id"],
                "region": node["associatedGateway"]["region"],
            },
        }


def test_a_vgw_association_still_links_its_vgw(gql: Gql, dx: Any, estate: Estate) -> None:
    [raw] = dx.describe_direct_connect_gateway_associations(associationId=estate.vgw_association)[
        "directConnectGatewayAssociations"
    ]
    [node] = nodes(gql(OF_GATEWAY, gw=estate.private_gateway))
    assert node["associationId"] == estate.vgw_association
    assert node["associatedGateway"]["id"] == estate.vgw
    assert node["associatedGateway"]["type"] == "VIRTUAL_PRIVATE_GATEWAY"
    assert node["virtualGatewayId"] == estate.vgw
    assert node["virtualGateway"] == {"virtualGatewayId": estate.vgw}
    # Without prefixes given, AWS advertises the VPC's CIDR: the gateway shows what AWS says.
    vpc_cidrs = [p["cidr"] for p in raw["allowedPrefixesToDirectConnectGateway"]]
    assert vpc_cidrs
    assert node["allowedPrefixesToDirectConnectGateway"] == vpc_cidrs


def test_old_node_ids_still_resolve_when_they_named_one_association(
    gql: Gql, dx: Any, estate: Estate
) -> None:
    old_vgw_key = global_id(
        "DirectConnectGatewayAssociation", f"{estate.private_gateway}/{estate.vgw}"
    )
    assert gql(NODE, id=old_vgw_key)["node"]["associationId"] == estate.vgw_association
    # `<gateway>/-` named both TGW associations of transit-dxgw: it names neither now.
    shared = global_id("DirectConnectGatewayAssociation", f"{estate.transit_gateway}/-")
    assert gql(NODE, id=shared)["node"] is None
    # With one TGW association only, the old key was unambiguous and still finds it.
    lone_gateway = new_gateway(dx, "lone-dxgw")
    lone = associate(dx, lone_gateway, seeded_tgws(CUSTOMER, EAST)[1][0], "10.30.0.0/16")
    lone_key = global_id("DirectConnectGatewayAssociation", f"{lone_gateway}/-")
    assert gql(NODE, id=lone_key)["node"]["associationId"] == lone


def test_new_fields_cost_no_upstream_call_more(
    gateway_settings: Settings, control: httpx.Client, estate: Estate
) -> None:
    """The new members come in the same DescribeDirectConnectGatewayAssociations answers as the
    old ones: the same query reading them makes the same calls (each on a cold cache)."""

    def counts(fields: str) -> dict[str, int]:
        fresh = gateway_settings.model_copy(update={"cache_namespace": uuid.uuid4().hex[:12]})
        control.delete("/calls").raise_for_status()
        with GatewayServer(fresh) as server:
            response = httpx.post(
                f"{server.url}/graphql", json={"query": every_gateway(fields)}, timeout=30
            )
        body = response.json()
        assert "errors" not in body, body
        edges = body["data"]["directConnectGateways"]["edges"]
        assert sum(len(e["node"]["associations"]["edges"]) for e in edges) == 3
        operations: dict[str, int] = control.get("/calls").json()["operations"]
        return operations

    old = counts(OLD_FIELDS)
    assert old == {
        "DescribeDirectConnectGateways": 1,
        "DescribeDirectConnectGatewayAssociations": 2,
    }
    assert counts(NEW_FIELDS.replace("virtualGateway { virtualGatewayId }", "")) == old


ALL_ASSOCIATIONS = """query($tgw: String) {
  directConnectGatewayAssociations(associatedGatewayId: $tgw) {
    edges { node { associationId associatedGateway { id } } } }
  directConnectGatewayAttachments { edges { node { virtualInterfaceId } } } }"""


def test_association_and_attachment_roots_answer_without_arguments(
    gateway_settings: Settings, control: httpx.Client, estate: Estate
) -> None:
    """AWS's describes need a gateway or a VGW/VIF; the roots read every gateway's list instead
    of refusing (a refusal nulled every other root of the document): one gateway list, then one
    associations and one attachments call per gateway."""
    control.delete("/calls").raise_for_status()
    fresh = gateway_settings.model_copy(update={"cache_namespace": uuid.uuid4().hex[:12]})
    with GatewayServer(fresh) as server:
        body = httpx.post(
            f"{server.url}/graphql", json={"query": ALL_ASSOCIATIONS}, timeout=30
        ).json()
    assert "errors" not in body, body
    found = {
        e["node"]["associationId"]
        for e in body["data"]["directConnectGatewayAssociations"]["edges"]
    }
    assert found == {estate.east_association, estate.west_association, estate.vgw_association}
    assert body["data"]["directConnectGatewayAttachments"]["edges"] == []
    assert body["extensions"]["cost"]["actualUpstreamCalls"] == 5
    assert control.get("/calls").json()["operations"] == {
        "DescribeDirectConnectGateways": 1,
        "DescribeDirectConnectGatewayAssociations": 2,
        "DescribeDirectConnectGatewayAttachments": 2,
    }


def test_associations_filter_by_the_associated_transit_gateway(gql: Gql, estate: Estate) -> None:
    body = gql(ALL_ASSOCIATIONS, tgw=estate.west_tgw)
    edges = body["directConnectGatewayAssociations"]["edges"]
    assert [e["node"] for e in edges] == [
        {"associationId": estate.west_association, "associatedGateway": {"id": estate.west_tgw}}
    ]
    by_vgw = gql(ALL_ASSOCIATIONS, tgw=estate.vgw)["directConnectGatewayAssociations"]["edges"]
    assert [e["node"]["associationId"] for e in by_vgw] == [estate.vgw_association]


ATTACHMENTS = """query($gw: String!) {
  directConnectGatewayAttachments(directConnectGatewayId: $gw) {
    edges { node { virtualInterfaceId attachmentType } } } }"""


def test_attachments_say_whether_a_transit_or_a_private_vif_is_attached(gql: Gql, dx: Any) -> None:
    connection = new_connection(dx)
    transit_gateway = new_gateway(dx, "transit", asn=64600)
    transit = transit_vif(dx, connection, transit_gateway)["virtualInterfaceId"]
    private_gateway = new_gateway(dx, "private")
    private = dx.create_private_virtual_interface(
        connectionId=connection,
        newPrivateVirtualInterface={
            "virtualInterfaceName": "private",
            "vlan": 402,
            "asn": 65000,
            "directConnectGatewayId": private_gateway,
        },
    )["virtualInterfaceId"]
    for gateway_id, vif_id, kind in (
        (transit_gateway, transit, "TRANSIT_VIRTUAL_INTERFACE"),
        (private_gateway, private, "PRIVATE_VIRTUAL_INTERFACE"),
    ):
        edges = gql(ATTACHMENTS, gw=gateway_id)["directConnectGatewayAttachments"]["edges"]
        assert [e["node"] for e in edges] == [
            {"virtualInterfaceId": vif_id, "attachmentType": kind}
        ]


@pytest.mark.parametrize(
    ("wire", "expected"),
    [
        ("transitVirtualInterface", AttachmentType.TRANSIT_VIRTUAL_INTERFACE),
        ("TransitVirtualInterface", AttachmentType.TRANSIT_VIRTUAL_INTERFACE),
        ("privateVirtualInterface", AttachmentType.PRIVATE_VIRTUAL_INTERFACE),
        ("PrivateVirtualInterface", AttachmentType.PRIVATE_VIRTUAL_INTERFACE),
        ("cloudWanVirtualInterface", AttachmentType.UNKNOWN),
        (None, None),
    ],
)
def test_attachment_type_accepts_both_spellings(
    wire: str | None, expected: AttachmentType | None
) -> None:
    """botocore's model (and dxsim) spell the values `TransitVirtualInterface`; real answers
    reportedly `transitVirtualInterface`; a kind AWS adds later is UNKNOWN, not an error."""
    raw: dict[str, Any] = {"directConnectGatewayId": "gw", "virtualInterfaceId": "dxvif-1"}
    if wire is not None:
        raw["attachmentType"] = wire
    assert DirectConnectGatewayAttachment.from_aws(raw).attachment_type is expected

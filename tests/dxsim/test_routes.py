"""ListVirtualInterfaceRoutes through real boto3 in both protocols: the route table a VIF's BGP
sessions carry, its filters and paging, and how failover tests and links change it."""

from __future__ import annotations

import ipaddress
from typing import Any

import httpx
import pytest
from botocore.exceptions import ClientError

from dxsim.accounts import Caller
from dxsim.backend import DirectConnectBackend
from dxsim.routes import amazon_prefixes, vpc_cidrs
from tests.conftest import CUSTOMER, PARTNER, REGION, advance, error_of
from tests.dxsim.builders import (
    new_connection,
    new_gateway,
    offered_private_vif,
    set_link,
    transit_vif,
)

MINUTE = 60.0


def first_vgw(dx: Any) -> str:
    vgw: str = dx.describe_virtual_gateways()["virtualGateways"][0]["virtualGatewayId"]
    return vgw


def private_vif(dx: Any, conn_id: str | None = None, vlan: int = 101, **target: str) -> str:
    vif_id: str = dx.create_private_virtual_interface(
        connectionId=conn_id or new_connection(dx),
        newPrivateVirtualInterface={
            "virtualInterfaceName": f"vif-{vlan}",
            "vlan": vlan,
            "asn": 65000,
            **(target or {"virtualGatewayId": first_vgw(dx)}),
        },
    )["virtualInterfaceId"]
    dx.describe_virtual_interfaces()
    return vif_id


def public_vif(dx: Any) -> str:
    vif_id: str = dx.create_public_virtual_interface(
        connectionId=new_connection(dx),
        newPublicVirtualInterface={
            "virtualInterfaceName": "public",
            "vlan": 102,
            "asn": 65000,
            "amazonAddress": "198.51.100.1/30",
            "customerAddress": "198.51.100.2/30",
            "routeFilterPrefixes": [{"cidr": "203.0.113.0/24"}, {"cidr": "192.0.2.0/25"}],
        },
    )["virtualInterfaceId"]
    dx.describe_virtual_interfaces()
    return vif_id


def add_ipv6_peer(dx: Any, vif_id: str) -> str:
    vif = dx.create_bgp_peer(
        virtualInterfaceId=vif_id, newBGPPeer={"asn": 65000, "addressFamily": "ipv6"}
    )["virtualInterface"]
    dx.describe_virtual_interfaces()
    return str(next(p["bgpPeerId"] for p in vif["bgpPeers"] if p["addressFamily"] == "ipv6"))


def routes(dx: Any, vif_id: str, **filters: Any) -> list[dict[str, Any]]:
    params: dict[str, Any] = {"virtualInterfaceId": vif_id}
    if filters:
        params["filters"] = filters
    answer = dx.list_virtual_interface_routes(**params)
    assert answer["virtualInterfaceId"] == vif_id
    found: list[dict[str, Any]] = answer["routes"]
    return found


def cidrs(found: list[dict[str, Any]]) -> set[str]:
    return {r["cidr"] for r in found}


def refused(call: Any, **params: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as excinfo:
        call(**params)
    return error_of(excinfo)


# -- what each kind of VIF carries ----------------------------------------------------------
def test_a_private_vif_on_a_vgw_advertises_its_vpc_and_accepts_seeded_customer_prefixes(
    dx: Any,
) -> None:
    vif_id = private_vif(dx)
    vif = dx.describe_virtual_interfaces(virtualInterfaceId=vif_id)["virtualInterfaces"][0]
    found = routes(dx, vif_id)
    advertised = [r for r in found if r["routeDirection"] == "advertised"]
    accepted = [r for r in found if r["routeDirection"] == "accepted"]
    assert cidrs(advertised) == set(vpc_cidrs(first_vgw(dx), "ipv4"))
    assert advertised[0]["asPath"] == [{"pathType": "seq", "path": [64512]}]
    assert len(accepted) == 3
    for route in accepted:
        assert ipaddress.ip_network(route["cidr"]).is_private
        assert route["asPath"] == [{"pathType": "seq", "path": [65000]}]
        assert route["communities"][0] in ("7224:7100", "7224:7200", "7224:7300")
    for route in found:
        assert route["addressFamily"] == "ipv4"
        assert route["awsLogicalDeviceId"] == vif["awsDeviceV2"]
        assert route["routeInstalledAt"] is not None
    assert routes(dx, vif_id) == found


def test_each_peer_carries_its_own_address_family(dx: Any) -> None:
    vif_id = private_vif(dx)
    add_ipv6_peer(dx, vif_id)
    v6 = routes(dx, vif_id, addressFamily="ipv6")
    assert {r["addressFamily"] for r in v6} == {"ipv6"}
    assert cidrs([r for r in v6 if r["routeDirection"] == "advertised"]) == set(
        vpc_cidrs(first_vgw(dx), "ipv6")
    )
    accepted_v6 = [r for r in v6 if r["routeDirection"] == "accepted"]
    assert len(accepted_v6) == 3
    assert all(
        ipaddress.IPv6Network(r["cidr"]).subnet_of(ipaddress.IPv6Network("2001:db8::/32"))
        for r in accepted_v6
    )
    assert len(routes(dx, vif_id)) == len(v6) + len(routes(dx, vif_id, addressFamily="ipv4"))


def test_a_public_vif_advertises_amazon_prefixes_and_accepts_its_route_filter_prefixes(
    dx: Any,
) -> None:
    vif_id = public_vif(dx)
    advertised = routes(dx, vif_id, routeDirection="advertised")
    assert cidrs(advertised) == set(amazon_prefixes(REGION, "ipv4"))
    assert {tuple(r["communities"]) for r in advertised} == {("7224:8100",)}
    assert {r["asPath"][0]["path"][0] for r in advertised} == {7224}
    accepted = routes(dx, vif_id, routeDirection="accepted")
    assert cidrs(accepted) == {"203.0.113.0/24", "192.0.2.0/25"}


def test_a_vif_on_a_dx_gateway_advertises_what_the_gateway_associations_allow(dx: Any) -> None:
    """A VGW association advertises its allowed prefixes, or its VPC CIDR when it has none."""
    gateway = dx.create_direct_connect_gateway(directConnectGatewayName="gw", amazonSideAsn=64600)[
        "directConnectGateway"
    ]["directConnectGatewayId"]
    vif_id = private_vif(dx, directConnectGatewayId=gateway)
    assert routes(dx, vif_id, routeDirection="advertised") == []
    vgw = first_vgw(dx)
    dx.create_direct_connect_gateway_association(
        directConnectGatewayId=gateway, virtualGatewayId=vgw
    )
    association = dx.describe_direct_connect_gateway_associations(directConnectGatewayId=gateway)[
        "directConnectGatewayAssociations"
    ][0]
    allowed = {
        p["cidr"]
        for p in association.get("allowedPrefixesToDirectConnectGateway", [])
        if ":" not in p["cidr"]
    }
    advertised = routes(dx, vif_id, routeDirection="advertised", addressFamily="ipv4")
    assert cidrs(advertised) == (allowed or set(vpc_cidrs(vgw, "ipv4")))
    assert advertised[0]["asPath"][0]["path"] == [64600]


def test_a_transit_vif_accepts_seeded_prefixes_and_advertises_only_allowed_ones(dx: Any) -> None:
    """A transit VIF's gateway advertises only what its TGW associations allow: none yet."""
    gateway = new_gateway(dx, "transit", asn=64600)
    vif_id = transit_vif(dx, new_connection(dx), gateway, asn=65010)["virtualInterfaceId"]
    dx.describe_virtual_interfaces()
    assert routes(dx, vif_id, routeDirection="advertised") == []
    accepted = routes(dx, vif_id, routeDirection="accepted")
    assert len(accepted) == 3
    assert {r["asPath"][0]["path"][0] for r in accepted} == {65010}


def test_a_dx_gateway_advertises_the_allowed_prefixes_of_its_associations() -> None:
    """In process: the allowed prefixes are set on the association record as TGW associations
    and UpdateDirectConnectGatewayAssociation set them."""
    backend = DirectConnectBackend()
    me = Caller(CUSTOMER, REGION)
    conn = backend.call(
        me, "create_connection", {"location": "EqDC2", "bandwidth": "1Gbps", "connection_name": "c"}
    )
    gateway = backend.call(
        me, "create_direct_connect_gateway", {"direct_connect_gateway_name": "gw"}
    )["directConnectGateway"]["directConnectGatewayId"]
    vif = backend.call(
        me,
        "create_private_virtual_interface",
        {
            "connection_id": conn["connectionId"],
            "new_private_virtual_interface": {
                "virtualInterfaceName": "v",
                "vlan": 7,
                "asn": 65000,
                "directConnectGatewayId": gateway,
            },
        },
    )["virtualInterfaceId"]
    vgw = backend.ensure_virtual_gateways(CUSTOMER, REGION)[0].id
    backend.call(
        me,
        "create_direct_connect_gateway_association",
        {"direct_connect_gateway_id": gateway, "virtual_gateway_id": vgw},
    )
    association = next(iter(backend.gateway_associations.values()))
    association.allowed_prefixes = ["10.10.0.0/16", "10.20.0.0/16", "2001:db8:aa::/56"]
    answer = backend.call(
        me,
        "list_virtual_interface_routes",
        {"virtual_interface_id": vif, "filters": {"routeDirection": "advertised"}},
    )
    assert [r["cidr"] for r in answer["routes"]] == ["10.10.0.0/16", "10.20.0.0/16"]
    association.association_state = "disassociating"
    answer = backend.call(
        me,
        "list_virtual_interface_routes",
        {"virtual_interface_id": vif, "filters": {"routeDirection": "advertised"}},
    )
    assert answer["routes"] == []


# -- when there are no routes ---------------------------------------------------------------
def test_no_routes_while_the_link_is_down_or_the_vif_is_not_confirmed(
    dx: Any, dx_partner: Any, control: httpx.Client
) -> None:
    conn_id = new_connection(dx)
    vif_id = private_vif(dx, conn_id)
    assert routes(dx, vif_id) != []
    set_link(control, conn_id, up=False)
    assert routes(dx, vif_id) == []
    set_link(control, conn_id, up=True)
    assert routes(dx, vif_id) != []
    hosted = offered_private_vif(dx_partner, CUSTOMER)
    assert routes(dx, hosted) == []


def test_a_failover_test_withdraws_the_tested_sessions_routes(
    dx: Any, control: httpx.Client
) -> None:
    vif_id = private_vif(dx)
    ipv6 = add_ipv6_peer(dx, vif_id)
    before = routes(dx, vif_id)
    dx.start_bgp_failover_test(virtualInterfaceId=vif_id, bgpPeers=[ipv6])
    during = routes(dx, vif_id)
    assert {r["addressFamily"] for r in during} == {"ipv4"}
    assert during == [r for r in before if r["addressFamily"] == "ipv4"]
    dx.stop_bgp_failover_test(virtualInterfaceId=vif_id)
    ended = dx.list_virtual_interface_test_history()["virtualInterfaceTestHistory"][0]["endTime"]
    after = routes(dx, vif_id)
    assert cidrs(after) == cidrs(before)
    assert {r["routeInstalledAt"] for r in after if r["addressFamily"] == "ipv6"} == {ended}

    dx.start_bgp_failover_test(virtualInterfaceId=vif_id, testDurationInMinutes=5)
    assert routes(dx, vif_id) == []
    advance(control, 5 * MINUTE)
    assert cidrs(routes(dx, vif_id)) == cidrs(before)


# -- filters ------------------------------------------------------------------------------------
def test_filters_combine_and_cidrs_match_exactly(dx: Any) -> None:
    vif_id = public_vif(dx)
    every = routes(dx, vif_id)
    one = every[0]["cidr"]
    assert cidrs(routes(dx, vif_id, cidrs=[one])) == {one}
    network = ipaddress.ip_network(one)
    wider = str(network.supernet())
    assert routes(dx, vif_id, cidrs=[wider]) == []
    assert cidrs(routes(dx, vif_id, cidrs=["203.0.113.0/24"], routeDirection="advertised")) == set()
    assert cidrs(routes(dx, vif_id, cidrs=["203.0.113.0/24"], routeDirection="accepted")) == {
        "203.0.113.0/24"
    }
    assert cidrs(routes(dx, vif_id, asPath=[7224])) == set(amazon_prefixes(REGION, "ipv4"))
    assert cidrs(routes(dx, vif_id, asPath=[65000])) == {"203.0.113.0/24", "192.0.2.0/25"}
    assert routes(dx, vif_id, asPath=[7224, 65000]) == []
    assert cidrs(routes(dx, vif_id, communities=["7224:8100"])) == set(
        amazon_prefixes(REGION, "ipv4")
    )
    assert routes(dx, vif_id, communities=["7224:8100"], routeDirection="accepted") == []
    assert routes(dx, vif_id, addressFamily="ipv6") == []


@pytest.mark.parametrize(
    ("filters", "problem"),
    [
        ({"routeDirection": "received"}, "filters.routeDirection 'received' is not valid"),
        ({"addressFamily": "ipv5"}, "filters.addressFamily 'ipv5' is not valid"),
        ({"cidrs": [f"10.0.{n}.0/24" for n in range(11)]}, "give at most 10"),
        ({"cidrs": ["10.0.0.0/33"]}, "is not a valid CIDR"),
        ({"asPath": [0]}, "filters.asPath ASN 0 is not valid"),
        ({"asPath": [4294967295]}, "filters.asPath ASN 4294967295 is not valid"),
        ({"communities": ["7224"]}, "is not a valid BGP community"),
        ({"communities": ["70000:1"]}, "is not a valid BGP community"),
    ],
)
def test_filter_values_are_validated(dx: Any, filters: dict[str, Any], problem: str) -> None:
    vif_id = private_vif(dx)
    code, message = refused(
        dx.list_virtual_interface_routes, virtualInterfaceId=vif_id, filters=filters
    )
    assert code == "DirectConnectClientException"
    assert problem in message


def test_a_large_community_is_a_valid_filter(dx: Any) -> None:
    assert routes(dx, private_vif(dx), communities=["4200000000:1:2"]) == []


# -- paging and visibility --------------------------------------------------------------------
def test_routes_page_in_a_stable_order(dx: Any) -> None:
    vif_id = public_vif(dx)
    every = routes(dx, vif_id)
    seen: list[dict[str, Any]] = []
    token: dict[str, str] = {}
    while True:
        page = dx.list_virtual_interface_routes(virtualInterfaceId=vif_id, maxResults=2, **token)
        assert len(page["routes"]) <= 2
        seen += page["routes"]
        if "nextToken" not in page:
            break
        token = {"nextToken": page["nextToken"]}
    assert seen == every
    code, message = refused(
        dx.list_virtual_interface_routes,
        virtualInterfaceId=vif_id,
        filters={"routeDirection": "accepted"},
        nextToken=token.get("nextToken") or "bogus",
    )
    assert code == "DirectConnectClientException"
    assert "nextToken is not valid" in message


def test_an_unknown_or_foreign_vif_is_not_found(dx: Any, dx_for: Any) -> None:
    code, message = refused(dx.list_virtual_interface_routes, virtualInterfaceId="dxvif-fzzzzzzz")
    assert code == "DirectConnectClientException"
    assert "Virtual interface dxvif-fzzzzzzz does not exist" in message
    vif_id = private_vif(dx)
    for other in (dx_for(PARTNER), dx_for(CUSTOMER, "us-west-2")):
        code, _ = refused(other.list_virtual_interface_routes, virtualInterfaceId=vif_id)
        assert code == "DirectConnectClientException"


def test_a_missing_vif_id_is_refused(dx: Any) -> None:
    code, message = refused(dx.list_virtual_interface_routes)
    assert code == "ValidationException"
    assert "virtualInterfaceId" in message

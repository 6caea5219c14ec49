"""Today's members of the describe answers, through the gateway over real HTTP on dxsim: MACsec
and provider members on connections, LAGs and interconnects, 4-byte ASNs, SiteLink, prefix pools
and rate limits on VIFs and BGP peers, a VIF under a failover test, and a location's offer.

Each resource is built with boto3 on dxsim the way a user builds it, and the values the gateway
shows are checked against what was asked for. The members are plain data of the answers the
gateway already reads, so reading them must cost no upstream call more.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from gql.api.enums import BillingMode
from gql.http.server import GatewayServer
from gql.settings import Settings
from tests.conftest import CUSTOMER, PARTNER
from tests.gql.conftest import Gql, post
from tests.resolvers.data.test_rounds import calls_of

CKN = "ab" * 32
CAK = "cd" * 32
SECRET_ARN_PREFIX = f"arn:aws:secretsmanager:us-east-1:{CUSTOMER}:secret:directconnect!"

PORT = """awsLogicalDeviceId awsDeviceV2 providerName macSecCapable encryptionMode
  macSecKeys { secretARN ckn state startOn }"""


@pytest.fixture
def partner_gateway(gateway_settings: Settings) -> Iterator[GatewayServer]:
    """The gateway acting as the partner account, which owns interconnects."""
    settings = gateway_settings.model_copy(update={"aws_access_key_id": PARTNER})
    with GatewayServer(settings) as server:
        yield server


def macsec_connection(dx: Any) -> str:
    """A 100Gbps MACsec port at EqDC2 with one CKN/CAK pair, settled to `available`."""
    connection: str = dx.create_connection(
        location="EqDC2",
        bandwidth="100Gbps",
        connectionName="secure",
        requestMACSec=True,
        providerName="Zayo Group",
        billingMode="FlatRateTier2",
    )["connectionId"]
    dx.associate_mac_sec_key(connectionId=connection, ckn=CKN, cak=CAK)
    dx.describe_connections()
    return connection


def transit_vif(dx: Any, connection: str) -> str:
    """A transit VIF with a 4-byte ASN, SiteLink, prefix pools and a rate limit, settled."""
    gateway = dx.create_direct_connect_gateway(
        directConnectGatewayName="transit", amazonSideAsn=64600
    )["directConnectGateway"]["directConnectGatewayId"]
    vif: str = dx.create_transit_virtual_interface(
        connectionId=connection,
        newTransitVirtualInterface={
            "virtualInterfaceName": "transit",
            "vlan": 401,
            "asnLong": 4200000010,
            "directConnectGatewayId": gateway,
            "enableSiteLink": True,
            "prefixPoolAllocatedCountIpv4": 5,
            "prefixPoolAllocatedCountIpv6": 7,
            "rateLimit": "1Gbps",
        },
    )["virtualInterface"]["virtualInterfaceId"]
    dx.describe_virtual_interfaces()
    return vif


def test_a_macsec_connection_shows_its_key_mode_provider_and_billing(gql: Gql, dx: Any) -> None:
    connection = macsec_connection(dx)
    dx.update_connection(connectionId=connection, encryptionMode="must_encrypt")
    [wire] = dx.describe_connections(connectionId=connection)["connections"]
    data = gql(
        f"""query($id: String!) {{ connection(connectionId: $id) {{ {PORT}
              portEncryptionStatus billingMode }} }}""",
        id=connection,
    )["connection"]
    assert data["macSecCapable"] is True
    assert data["encryptionMode"] == "MUST_ENCRYPT"
    assert data["portEncryptionStatus"] == "Encryption Up"
    assert data["providerName"] == "Zayo Group"
    assert data["billingMode"] == "FLAT_RATE_TIER2"
    assert data["awsLogicalDeviceId"] == wire["awsLogicalDeviceId"]
    assert data["awsLogicalDeviceId"].startswith("EqDC2-")
    [key] = data["macSecKeys"]
    assert key["ckn"] == CKN
    assert key["state"] == "ASSOCIATED"
    assert key["secretARN"].startswith(SECRET_ARN_PREFIX)
    assert key["secretARN"] == wire["macSecKeys"][0]["secretARN"]
    assert key["startOn"] == wire["macSecKeys"][0]["startOn"]
    assert CAK not in str(data)


def test_a_port_without_macsec_has_no_keys_and_no_encryption(gql: Gql, dx: Any) -> None:
    connection = dx.create_connection(location="EqDC2", bandwidth="1Gbps", connectionName="plain")[
        "connectionId"
    ]
    dx.describe_connections()
    data = gql(
        f"""query($id: String!) {{ connection(connectionId: $id) {{ {PORT}
              portEncryptionStatus billingMode }} }}""",
        id=connection,
    )["connection"]
    assert data["macSecCapable"] is False
    assert data["macSecKeys"] == []
    assert data["encryptionMode"] is None  # a port that cannot encrypt has no mode
    assert data["billingMode"] == "PAY_AS_YOU_GO"


def test_a_macsec_lag_and_its_members_show_the_members_of_today(gql: Gql, dx: Any) -> None:
    lag = dx.create_lag(
        numberOfConnections=2,
        location="EqDC2",
        connectionsBandwidth="10Gbps",
        lagName="secure-lag",
        requestMACSec=True,
        providerName="Megaport",
        billingMode="FlatRateTier1",
    )["lagId"]
    dx.describe_lags()
    dx.associate_mac_sec_key(connectionId=lag, ckn=CKN, cak=CAK)
    dx.update_lag(lagId=lag, encryptionMode="should_encrypt")
    dx.describe_lags()
    data = gql(
        f"""query($id: String!) {{ lag(lagId: $id) {{ {PORT} billingMode
              connections {{ connectionId macSecCapable encryptionMode }} }} }}""",
        id=lag,
    )["lag"]
    assert data["macSecCapable"] is True
    assert data["providerName"] == "Megaport"
    assert data["billingMode"] == "FLAT_RATE_TIER1"
    assert data["encryptionMode"] == "SHOULD_ENCRYPT"
    assert data["awsLogicalDeviceId"].startswith("EqDC2-")
    [key] = data["macSecKeys"]
    assert (key["ckn"], key["state"]) == (CKN, "ASSOCIATED")
    assert len(data["connections"]) == 2
    assert {(c["macSecCapable"], c["encryptionMode"]) for c in data["connections"]} == {
        (True, "SHOULD_ENCRYPT")
    }


def test_a_partners_macsec_interconnect_shows_its_provider_and_encryption(
    partner_gateway: GatewayServer, dx_partner: Any
) -> None:
    interconnect = dx_partner.create_interconnect(
        interconnectName="ic",
        bandwidth="10Gbps",
        location="EqDC2",
        requestMACSec=True,
        providerName="Megaport",
    )["interconnectId"]
    dx_partner.describe_interconnects()
    body = post(
        partner_gateway.url,
        f"""query($id: String!) {{ interconnect(interconnectId: $id) {{ {PORT}
              portEncryptionStatus }} }}""",
        {"id": interconnect},
    )
    assert "errors" not in body, body
    data = body["data"]["interconnect"]
    assert data["providerName"] == "Megaport"
    assert data["macSecCapable"] is True
    assert data["encryptionMode"] == "NO_ENCRYPT"
    assert data["portEncryptionStatus"] in {"Encryption Up", "Encryption Down"}
    assert data["macSecKeys"] == []
    assert data["awsLogicalDeviceId"] == data["awsDeviceV2"]


def test_a_transit_vif_shows_its_4_byte_asn_sitelink_prefix_pools_and_rate_limit(
    gql: Gql, dx: Any
) -> None:
    vif = transit_vif(dx, macsec_connection(dx))
    data = gql(
        """query($id: String!) { virtualInterface(virtualInterfaceId: $id) {
             virtualInterfaceType asn asnLong siteLinkEnabled awsLogicalDeviceId
             prefixPoolAllocatedCountIpv4 prefixPoolAllocatedCountIpv6 rateLimit
             bgpPeers { asn asnLong awsLogicalDeviceId awsDeviceV2 } } }""",
        id=vif,
    )["virtualInterface"]
    assert data["virtualInterfaceType"] == "TRANSIT"
    assert data["asnLong"] == 4200000010  # beyond GraphQL's 32-bit Int
    assert data["asn"] == 4200000010
    assert data["siteLinkEnabled"] is True
    assert (data["prefixPoolAllocatedCountIpv4"], data["prefixPoolAllocatedCountIpv6"]) == (5, 7)
    assert data["rateLimit"] == "1Gbps"
    assert data["awsLogicalDeviceId"].startswith("EqDC2-")
    [peer] = data["bgpPeers"]
    assert (peer["asn"], peer["asnLong"]) == (4200000010, 4200000010)
    assert peer["awsLogicalDeviceId"] == peer["awsDeviceV2"]


def test_a_vif_under_a_failover_test_is_testing(gql: Gql, dx: Any) -> None:
    connection = dx.create_connection(location="EqDC2", bandwidth="1Gbps", connectionName="edge")[
        "connectionId"
    ]
    dx.describe_connections()
    vif = transit_vif(dx, connection)
    dx.start_bgp_failover_test(virtualInterfaceId=vif, testDurationInMinutes=10)
    data = gql(
        """query($id: String!) { virtualInterface(virtualInterfaceId: $id) {
             virtualInterfaceState siteLinkEnabled bgpPeers { bgpStatus } } }""",
        id=vif,
    )["virtualInterface"]
    assert data["virtualInterfaceState"] == "TESTING"
    assert data["bgpPeers"] == [{"bgpStatus": "DOWN"}]
    listed = gql("{ virtualInterfaces(states: [TESTING]) { virtualInterfaceId } }")
    assert listed["virtualInterfaces"] == [{"virtualInterfaceId": vif}]


def test_a_location_shows_its_port_speeds_providers_macsec_speeds_and_billing_modes(
    gql: Gql, dx: Any
) -> None:
    [wire] = [loc for loc in dx.describe_locations()["locations"] if loc["locationCode"] == "EqDC2"]
    data = gql(
        """{ location(locationCode: "EqDC2") { availablePortSpeeds availableProviders
             availableMacSecPortSpeeds
             availableBillingModes { billingMode availablePortSpeeds includedRegions } } }"""
    )["location"]
    assert data["availablePortSpeeds"] == wire["availablePortSpeeds"]
    assert "100Gbps" in data["availablePortSpeeds"]
    assert data["availableProviders"] == wire["availableProviders"]
    assert "Megaport" in data["availableProviders"]
    assert data["availableMacSecPortSpeeds"] == wire["availableMacSecPortSpeeds"]
    assert "1Gbps" not in data["availableMacSecPortSpeeds"]
    assert [m["billingMode"] for m in data["availableBillingModes"]][:2] == [
        "PAY_AS_YOU_GO",
        "FLAT_RATE_TIER1",
    ]
    assert data["availableBillingModes"] == [
        {
            "billingMode": BillingMode(mode["billingMode"]).name,
            "availablePortSpeeds": mode["availablePortSpeeds"],
            "includedRegions": mode["includedRegions"],
        }
        for mode in wire["availableBillingModes"]
    ]


EVERYTHING_OLD = """{
  connections { connectionId connectionState bandwidth awsDeviceV2 }
  lags { lagId lagState connections { connectionId connectionState } }
  virtualInterfaces { virtualInterfaceId asn virtualInterfaceState bgpPeers { bgpPeerId asn } }
  locations { locationCode locationName }
}"""
EVERYTHING_NEW = f"""{{
  connections {{ connectionId connectionState bandwidth awsDeviceV2 {PORT}
    portEncryptionStatus billingMode }}
  lags {{ lagId lagState {PORT} billingMode
    connections {{ connectionId connectionState {PORT} portEncryptionStatus billingMode }} }}
  virtualInterfaces {{ virtualInterfaceId asn virtualInterfaceState asnLong siteLinkEnabled
    awsLogicalDeviceId prefixPoolAllocatedCountIpv4 prefixPoolAllocatedCountIpv6 rateLimit
    bgpPeers {{ bgpPeerId asn asnLong awsLogicalDeviceId }} }}
  locations {{ locationCode locationName availablePortSpeeds availableProviders
    availableMacSecPortSpeeds
    availableBillingModes {{ billingMode availablePortSpeeds includedRegions }} }}
}}"""
INTERCONNECTS_OLD = "{ interconnects { interconnectId interconnectState bandwidth } }"
INTERCONNECTS_NEW = f"""{{ interconnects {{ interconnectId interconnectState bandwidth {PORT}
  portEncryptionStatus }} }}"""


def test_reading_every_new_member_costs_no_upstream_call_more(
    gateway: GatewayServer,
    partner_gateway: GatewayServer,
    dx: Any,
    dx_partner: Any,
    calls: Callable[[], dict[str, int]],
) -> None:
    transit_vif(dx, macsec_connection(dx))
    dx.create_lag(
        numberOfConnections=2,
        location="EqDC2",
        connectionsBandwidth="10Gbps",
        lagName="lag",
        requestMACSec=True,
    )
    dx_partner.create_interconnect(
        interconnectName="ic", bandwidth="10Gbps", location="EqDC2", requestMACSec=True
    )
    dx.describe_lags()
    dx_partner.describe_interconnects()

    old = calls_of(gateway.url, EVERYTHING_OLD, calls)
    new = calls_of(gateway.url, EVERYTHING_NEW, calls)
    assert new == old
    assert set(old) == {
        "DescribeConnections",
        "DescribeLags",
        "DescribeVirtualInterfaces",
        "DescribeLocations",
    }
    old_ic = calls_of(partner_gateway.url, INTERCONNECTS_OLD, calls)
    new_ic = calls_of(partner_gateway.url, INTERCONNECTS_NEW, calls)
    assert new_ic == old_ic == {"DescribeInterconnects": len(gateway_regions(gateway))}


def gateway_regions(gateway: GatewayServer) -> list[str]:
    body = post(gateway.url, "{ regions }")
    regions: list[str] = body["data"]["regions"]
    return regions

"""Every operation's response, as sent on the wire and as boto3 parses it, fits botocore's output
shape: no key the model lacks, the model's types, enum values within the model's enums.

`CASES` maps each operation to a `Case`: the `Scenario` resources (built with real boto3 calls) the
response should show, and the call under test, which returns boto3's result. `RawCapture` keeps the
raw JSON body of that call, which is checked before boto3 gets a chance to drop unknown keys. A
new operation slots in by adding one entry to `CASES`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

import pytest

from dxsim import protocol
from dxsim.gateway_records import seeded_tgws
from tests.conftest import CUSTOMER, PARTNER, REGION
from tests.dxsim.shapes import RawCapture, output_errors, service_model, shape_errors


class Scenario:
    """Resources built on demand through boto3, each at most once per test.

    `dx` is the customer account, `partner` a Direct Connect partner; everything is in us-east-1
    at EqDC2, and with provisioning delay 0 every lifecycle completes on the next request.
    """

    def __init__(self, dx: Any, partner: Any) -> None:
        self.dx = dx
        self.partner = partner

    @staticmethod
    def arn(resource_id: str) -> str:
        prefix = resource_id.split("-", 1)[0]
        return f"arn:aws:directconnect:{REGION}:{CUSTOMER}:{prefix}/{resource_id}"

    def new_connection(self, client: Any | None = None, name: str = "c") -> str:
        client = client or self.dx
        conn_id: str = client.create_connection(
            location="EqDC2", bandwidth="1Gbps", connectionName=name
        )["connectionId"]
        client.describe_connections()
        return conn_id

    @cached_property
    def connection(self) -> str:
        """A dedicated, available customer connection."""
        return self.new_connection()

    @cached_property
    def partner_connection(self) -> str:
        """A dedicated, available partner connection (partners allocate hosted VIFs on it)."""
        return self.new_connection(self.partner, "partner")

    @cached_property
    def lag(self) -> str:
        """An available customer LAG with two members."""
        lag_id: str = self.dx.create_lag(
            numberOfConnections=2, location="EqDC2", connectionsBandwidth="1Gbps", lagName="l"
        )["lagId"]
        self.dx.describe_lags()
        return lag_id

    @cached_property
    def members(self) -> list[str]:
        lag = self.dx.describe_lags(lagId=self.lag)["lags"][0]
        return [c["connectionId"] for c in lag["connections"]]

    @cached_property
    def partner_lag(self) -> str:
        lag_id: str = self.partner.create_lag(
            numberOfConnections=1, location="EqDC2", connectionsBandwidth="1Gbps", lagName="pl"
        )["lagId"]
        self.partner.describe_lags()
        return lag_id

    @cached_property
    def interconnect(self) -> str:
        """An available partner interconnect."""
        ic_id: str = self.partner.create_interconnect(
            interconnectName="ic", bandwidth="1Gbps", location="EqDC2"
        )["interconnectId"]
        self.partner.describe_interconnects()
        return ic_id

    @cached_property
    def hosted_connection(self) -> str:
        """A hosted connection the partner allocated to the customer, still `ordering`."""
        conn_id: str = self.partner.allocate_hosted_connection(
            connectionId=self.interconnect,
            ownerAccount=CUSTOMER,
            bandwidth="50Mbps",
            connectionName="hosted",
            vlan=201,
        )["connectionId"]
        return conn_id

    @cached_property
    def vgw(self) -> str:
        vgw_id: str = self.dx.describe_virtual_gateways()["virtualGateways"][0]["virtualGatewayId"]
        return vgw_id

    @cached_property
    def gateway(self) -> str:
        gateway_id: str = self.dx.create_direct_connect_gateway(directConnectGatewayName="gw")[
            "directConnectGateway"
        ]["directConnectGatewayId"]
        return gateway_id

    @cached_property
    def association(self) -> dict[str, Any]:
        found: dict[str, Any] = self.dx.create_direct_connect_gateway_association(
            directConnectGatewayId=self.gateway, virtualGatewayId=self.vgw
        )["directConnectGatewayAssociation"]
        return found

    @cached_property
    def transit_association(self) -> dict[str, Any]:
        """The customer's first seeded TGW associated with `transit_gateway`."""
        found: dict[str, Any] = self.dx.create_direct_connect_gateway_association(
            directConnectGatewayId=self.transit_gateway,
            gatewayId=seeded_tgws(CUSTOMER, REGION)[0][0],
            addAllowedPrefixesToDirectConnectGateway=[{"cidr": "10.0.0.0/16"}],
        )["directConnectGatewayAssociation"]
        return found

    @cached_property
    def proposal(self) -> str:
        """The partner's proposal to associate its TGW with the customer's `transit_gateway`."""
        proposal_id: str = self.partner.create_direct_connect_gateway_association_proposal(
            directConnectGatewayId=self.transit_gateway,
            directConnectGatewayOwnerAccount=CUSTOMER,
            gatewayId=seeded_tgws(PARTNER, REGION)[0][0],
            addAllowedPrefixesToDirectConnectGateway=[{"cidr": "10.20.0.0/16"}],
        )["directConnectGatewayAssociationProposal"]["proposalId"]
        return proposal_id

    def private_vif(self, vlan: int, **target: str) -> str:
        """A private VIF on `connection`, to the VGW unless a gateway target is given."""
        target = target or {"virtualGatewayId": self.vgw}
        vif_id: str = self.dx.create_private_virtual_interface(
            connectionId=self.connection,
            newPrivateVirtualInterface={
                "virtualInterfaceName": f"private-{vlan}",
                "vlan": vlan,
                "asn": 65000,
                **target,
            },
        )["virtualInterfaceId"]
        self.dx.describe_virtual_interfaces()
        return vif_id

    @cached_property
    def vif(self) -> str:
        return self.private_vif(101)

    @cached_property
    def gateway_vif(self) -> str:
        """A private VIF attached to the DX gateway."""
        return self.private_vif(103, directConnectGatewayId=self.gateway)

    @cached_property
    def public_vif(self) -> str:
        vif_id: str = self.dx.create_public_virtual_interface(
            connectionId=self.connection,
            newPublicVirtualInterface={
                "virtualInterfaceName": "public",
                "vlan": 102,
                "asn": 65000,
                "amazonAddress": "198.51.100.1/30",
                "customerAddress": "198.51.100.2/30",
                "routeFilterPrefixes": [{"cidr": "203.0.113.0/24"}],
            },
        )["virtualInterfaceId"]
        return vif_id

    @cached_property
    def hosted_private_vif(self) -> str:
        """A private VIF the partner allocated to the customer, still `confirming`."""
        vif_id: str = self.partner.allocate_private_virtual_interface(
            connectionId=self.partner_connection,
            ownerAccount=CUSTOMER,
            newPrivateVirtualInterfaceAllocation={
                "virtualInterfaceName": "hosted-private",
                "vlan": 301,
                "asn": 65001,
            },
        )["virtualInterfaceId"]
        return vif_id

    @cached_property
    def hosted_public_vif(self) -> str:
        vif_id: str = self.partner.allocate_public_virtual_interface(
            connectionId=self.partner_connection,
            ownerAccount=CUSTOMER,
            newPublicVirtualInterfaceAllocation={
                "virtualInterfaceName": "hosted-public",
                "vlan": 302,
                "asn": 65001,
                "amazonAddress": "198.51.100.5/30",
                "customerAddress": "198.51.100.6/30",
                "routeFilterPrefixes": [{"cidr": "203.0.113.0/24"}],
            },
        )["virtualInterfaceId"]
        return vif_id

    @cached_property
    def transit_gateway(self) -> str:
        """A DX gateway for transit VIFs and TGW associations (nothing private on it)."""
        gateway_id: str = self.dx.create_direct_connect_gateway(
            directConnectGatewayName="transit-gw", amazonSideAsn=64600
        )["directConnectGateway"]["directConnectGatewayId"]
        return gateway_id

    @cached_property
    def transit_vif(self) -> str:
        """A tagged transit VIF with SiteLink, prefix pools and a rate limit."""
        vif_id: str = self.dx.create_transit_virtual_interface(
            connectionId=self.connection,
            newTransitVirtualInterface={
                "virtualInterfaceName": "transit-1",
                "vlan": 113,
                "asn": 65010,
                "directConnectGatewayId": self.transit_gateway,
                "tags": [{"key": "team", "value": "net"}],
                "enableSiteLink": True,
                "prefixPoolAllocatedCountIpv4": 10,
                "rateLimit": "100Mbps",
            },
        )["virtualInterface"]["virtualInterfaceId"]
        self.dx.describe_virtual_interfaces()
        return vif_id

    @cached_property
    def hosted_transit_vif(self) -> str:
        """A transit VIF the partner allocated to the customer, still `confirming`."""
        vif_id: str = self.partner.allocate_transit_virtual_interface(
            connectionId=self.partner_connection,
            ownerAccount=CUSTOMER,
            newTransitVirtualInterfaceAllocation={
                "virtualInterfaceName": "hosted-transit",
                "vlan": 305,
                "asnLong": 4200000001,
            },
        )["virtualInterface"]["virtualInterfaceId"]
        return vif_id

    @cached_property
    def ipv6_peer(self) -> str:
        """A second (IPv6) BGP peer on `vif`; the last peer of a VIF cannot be deleted."""
        vif = self.dx.create_bgp_peer(
            virtualInterfaceId=self.vif, newBGPPeer={"asn": 64600, "addressFamily": "ipv6"}
        )["virtualInterface"]
        self.dx.describe_virtual_interfaces()
        return str(next(p["bgpPeerId"] for p in vif["bgpPeers"] if p["addressFamily"] == "ipv6"))

    @cached_property
    def mac_sec_connection(self) -> str:
        """An available 10 Gbps MACsec-capable connection with one associated key."""
        conn_id: str = self.dx.create_connection(
            location="EqDC2",
            bandwidth="10Gbps",
            connectionName="macsec",
            requestMACSec=True,
            tags=[{"key": "team", "value": "net"}],
            providerName="Megaport",
        )["connectionId"]
        self.dx.associate_mac_sec_key(connectionId=conn_id, ckn="0a" * 32, cak="1b" * 32)
        self.dx.describe_connections()
        return conn_id

    @cached_property
    def mac_sec_lag(self) -> str:
        """A MACsec LAG (10 Gbps members) with one key."""
        lag_id: str = self.dx.create_lag(
            numberOfConnections=1,
            location="EqDC2",
            connectionsBandwidth="10Gbps",
            lagName="macsec",
            requestMACSec=True,
            billingMode="FlatRateTier1",
        )["lagId"]
        self.dx.associate_mac_sec_key(connectionId=lag_id, ckn="4e" * 32, cak="5f" * 32)
        self.dx.describe_lags()
        return lag_id

    @cached_property
    def mac_sec_interconnect(self) -> str:
        ic_id: str = self.partner.create_interconnect(
            interconnectName="macsec-ic", bandwidth="10Gbps", location="EqDC2", requestMACSec=True
        )["interconnectId"]
        self.partner.associate_mac_sec_key(connectionId=ic_id, ckn="6a" * 32, cak="7b" * 32)
        self.partner.describe_interconnects()
        return ic_id

    @cached_property
    def mac_sec_secret(self) -> str:
        conn = self.dx.describe_connections(connectionId=self.mac_sec_connection)
        secret: str = conn["connections"][0]["macSecKeys"][0]["secretARN"]
        return secret

    @cached_property
    def ipv6_vif(self) -> str:
        """A private VIF with an IPv4 and an IPv6 peer (routes of both families)."""
        vif_id = self.private_vif(104)
        self.dx.create_bgp_peer(
            virtualInterfaceId=vif_id, newBGPPeer={"asn": 64600, "addressFamily": "ipv6"}
        )
        self.dx.describe_virtual_interfaces()
        return vif_id

    @cached_property
    def failover_test(self) -> str:
        """A BGP failover test in progress on `vif`."""
        test_id: str = self.dx.start_bgp_failover_test(virtualInterfaceId=self.vif)[
            "virtualInterfaceTest"
        ]["testId"]
        return test_id

    @cached_property
    def resiliency_group(self) -> str:
        """An available resiliency group with a tag."""
        group_id: str = self.dx.create_resiliency_group(
            resiliencyGroupName="rg",
            intendedResiliencyModel="high-resiliency",
            tags=[{"key": "team", "value": "net"}],
        )["resiliencyGroup"]["resiliencyGroupId"]
        self.dx.list_resiliency_groups()
        return group_id

    @cached_property
    def grouped_connection(self) -> str:
        """`connection`, associated with `resiliency_group`."""
        self.dx.associate_connections_to_resiliency_group(
            resiliencyGroupId=self.resiliency_group, connectionIdentifiers=[self.connection]
        )
        self.dx.list_resiliency_groups()
        return self.connection

    @cached_property
    def tagged_connection(self) -> str:
        self.dx.tag_resource(
            resourceArn=self.arn(self.connection), tags=[{"key": "team", "value": "net"}]
        )
        return self.connection


@dataclass(frozen=True)
class Case:
    """How to get one operation's response: build `needs` (Scenario attributes) so the response
    has something in it, then `call`, whose last request must be the operation itself."""

    call: Callable[[Scenario], Any]
    needs: tuple[str, ...] = ()


ALLOCATED_PUBLIC = {
    "virtualInterfaceName": "hosted-public-2",
    "vlan": 304,
    "asn": 65001,
    "amazonAddress": "198.51.100.9/30",
    "customerAddress": "198.51.100.10/30",
    "routeFilterPrefixes": [{"cidr": "203.0.113.0/24"}],
}
NEW_PUBLIC = {**ALLOCATED_PUBLIC, "virtualInterfaceName": "public-2", "vlan": 111}

CASES: dict[str, Case] = {
    "AllocateConnectionOnInterconnect": Case(
        lambda s: s.partner.allocate_connection_on_interconnect(
            bandwidth="50Mbps",
            connectionName="old-style",
            ownerAccount=CUSTOMER,
            interconnectId=s.interconnect,
            vlan=202,
        )
    ),
    "AllocateHostedConnection": Case(
        lambda s: s.partner.allocate_hosted_connection(
            connectionId=s.interconnect,
            ownerAccount=CUSTOMER,
            bandwidth="100Mbps",
            connectionName="hosted",
            vlan=203,
        )
    ),
    "AllocatePrivateVirtualInterface": Case(
        lambda s: s.partner.allocate_private_virtual_interface(
            connectionId=s.partner_connection,
            ownerAccount=CUSTOMER,
            newPrivateVirtualInterfaceAllocation={
                "virtualInterfaceName": "hosted-private-2",
                "vlan": 303,
                "asn": 65001,
                "mtu": 9001,
            },
        )
    ),
    "AllocatePublicVirtualInterface": Case(
        lambda s: s.partner.allocate_public_virtual_interface(
            connectionId=s.partner_connection,
            ownerAccount=CUSTOMER,
            newPublicVirtualInterfaceAllocation=ALLOCATED_PUBLIC,
        )
    ),
    "AssociateMacSecKey": Case(
        lambda s: s.dx.associate_mac_sec_key(
            connectionId=s.mac_sec_connection, ckn="2c" * 32, cak="3d" * 32
        )
    ),
    "ConfirmCustomerAgreement": Case(
        lambda s: s.dx.confirm_customer_agreement(agreementName="DirectConnectServiceTerms")
    ),
    "DescribeCustomerMetadata": Case(lambda s: s.dx.describe_customer_metadata()),
    "DisassociateMacSecKey": Case(
        lambda s: s.dx.disassociate_mac_sec_key(
            connectionId=s.mac_sec_connection, secretARN=s.mac_sec_secret
        )
    ),
    "UpdateConnectionsBillingMode": Case(
        lambda s: s.dx.update_connections_billing_mode(
            connectionIds=[s.mac_sec_connection, s.connection], billingMode="PayAsYouGo"
        )
    ),
    "AllocateTransitVirtualInterface": Case(
        lambda s: s.partner.allocate_transit_virtual_interface(
            connectionId=s.partner_connection,
            ownerAccount=CUSTOMER,
            newTransitVirtualInterfaceAllocation={
                "virtualInterfaceName": "hosted-transit-2",
                "vlan": 306,
                "asn": 65001,
                "mtu": 8500,
                "tags": [{"key": "team", "value": "net"}],
                "rateLimit": "500Mbps",
            },
        )
    ),
    "AssociateConnectionsToResiliencyGroup": Case(
        lambda s: s.dx.associate_connections_to_resiliency_group(
            resiliencyGroupId=s.resiliency_group,
            connectionIdentifiers=[s.connection, s.arn(s.new_connection(name="second"))],
        )
    ),
    "AssociateConnectionWithLag": Case(
        lambda s: s.dx.associate_connection_with_lag(
            connectionId=s.new_connection(name="joiner"), lagId=s.lag
        )
    ),
    "AssociateHostedConnection": Case(
        lambda s: s.partner.associate_hosted_connection(
            connectionId=s.hosted_connection, parentConnectionId=s.partner_lag
        )
    ),
    "AssociateVirtualInterface": Case(
        lambda s: s.dx.associate_virtual_interface(virtualInterfaceId=s.vif, connectionId=s.lag)
    ),
    "ConfirmConnection": Case(lambda s: s.dx.confirm_connection(connectionId=s.hosted_connection)),
    "ConfirmPrivateVirtualInterface": Case(
        lambda s: s.dx.confirm_private_virtual_interface(
            virtualInterfaceId=s.hosted_private_vif, virtualGatewayId=s.vgw
        )
    ),
    "ConfirmTransitVirtualInterface": Case(
        lambda s: s.dx.confirm_transit_virtual_interface(
            virtualInterfaceId=s.hosted_transit_vif, directConnectGatewayId=s.transit_gateway
        )
    ),
    "ConfirmPublicVirtualInterface": Case(
        lambda s: s.dx.confirm_public_virtual_interface(virtualInterfaceId=s.hosted_public_vif)
    ),
    "CreateResiliencyGroup": Case(
        lambda s: s.dx.create_resiliency_group(
            resiliencyGroupName="rg-2",
            intendedResiliencyModel="maximum-resiliency",
            clientToken="token",
            tags=[{"key": "k", "value": "v"}, {"key": "bare"}],
        )
    ),
    "CreateBGPPeer": Case(
        lambda s: s.dx.create_bgp_peer(
            virtualInterfaceId=s.vif, newBGPPeer={"asn": 64600, "addressFamily": "ipv6"}
        )
    ),
    "CreateConnection": Case(
        lambda s: s.dx.create_connection(location="EqDC2", bandwidth="10Gbps", connectionName="new")
    ),
    "CreateDirectConnectGateway": Case(
        lambda s: s.dx.create_direct_connect_gateway(
            directConnectGatewayName="gw-2", amazonSideAsn=64513, tags=[{"key": "team"}]
        )
    ),
    "AcceptDirectConnectGatewayAssociationProposal": Case(
        lambda s: s.dx.accept_direct_connect_gateway_association_proposal(
            directConnectGatewayId=s.transit_gateway,
            proposalId=s.proposal,
            associatedGatewayOwnerAccount=PARTNER,
        )
    ),
    "CreateDirectConnectGatewayAssociationProposal": Case(
        lambda s: s.partner.create_direct_connect_gateway_association_proposal(
            directConnectGatewayId=s.transit_gateway,
            directConnectGatewayOwnerAccount=CUSTOMER,
            gatewayId=seeded_tgws(PARTNER, REGION)[1][0],
            addAllowedPrefixesToDirectConnectGateway=[{"cidr": "2001:db8::/56"}],
        )
    ),
    "DeleteDirectConnectGatewayAssociationProposal": Case(
        lambda s: s.partner.delete_direct_connect_gateway_association_proposal(
            proposalId=s.proposal
        )
    ),
    "DescribeDirectConnectGatewayAssociationProposals": Case(
        lambda s: s.dx.describe_direct_connect_gateway_association_proposals(
            directConnectGatewayId=s.transit_gateway
        ),
        needs=("proposal",),
    ),
    "UpdateDirectConnectGatewayAssociation": Case(
        lambda s: s.dx.update_direct_connect_gateway_association(
            associationId=s.transit_association["associationId"],
            addAllowedPrefixesToDirectConnectGateway=[{"cidr": "10.1.0.0/16"}],
        )
    ),
    "CreateDirectConnectGatewayAssociation": Case(
        lambda s: s.dx.create_direct_connect_gateway_association(
            directConnectGatewayId=s.gateway, virtualGatewayId=s.vgw
        )
    ),
    "CreateInterconnect": Case(
        lambda s: s.partner.create_interconnect(
            interconnectName="ic-2", bandwidth="10Gbps", location="EqDC2"
        )
    ),
    "CreateLag": Case(
        lambda s: s.dx.create_lag(
            numberOfConnections=2, location="EqDC2", connectionsBandwidth="1Gbps", lagName="new"
        )
    ),
    "CreatePrivateVirtualInterface": Case(
        lambda s: s.dx.create_private_virtual_interface(
            connectionId=s.connection,
            newPrivateVirtualInterface={
                "virtualInterfaceName": "private-2",
                "vlan": 110,
                "asn": 65000,
                "mtu": 9001,
                "virtualGatewayId": s.vgw,
            },
        )
    ),
    "CreatePublicVirtualInterface": Case(
        lambda s: s.dx.create_public_virtual_interface(
            connectionId=s.connection, newPublicVirtualInterface=NEW_PUBLIC
        )
    ),
    "CreateTransitVirtualInterface": Case(
        lambda s: s.dx.create_transit_virtual_interface(
            connectionId=s.connection,
            newTransitVirtualInterface={
                "virtualInterfaceName": "transit",
                "vlan": 112,
                "asnLong": 4200000002,
                "mtu": 8500,
                "authKey": "transit-key",
                "directConnectGatewayId": s.transit_gateway,
                "tags": [{"key": "team", "value": "net"}, {"key": "bare"}],
                "enableSiteLink": True,
                "prefixPoolAllocatedCountIpv4": 100,
                "prefixPoolAllocatedCountIpv6": 0,
                "rateLimit": "500Mbps",
            },
        )
    ),
    "DeleteBGPPeer": Case(
        lambda s: s.dx.delete_bgp_peer(virtualInterfaceId=s.vif, bgpPeerId=s.ipv6_peer)
    ),
    "DeleteConnection": Case(lambda s: s.dx.delete_connection(connectionId=s.connection)),
    "DeleteDirectConnectGateway": Case(
        lambda s: s.dx.delete_direct_connect_gateway(directConnectGatewayId=s.gateway)
    ),
    "DeleteDirectConnectGatewayAssociation": Case(
        lambda s: s.dx.delete_direct_connect_gateway_association(
            directConnectGatewayId=s.gateway, virtualGatewayId=s.vgw
        ),
        needs=("association",),
    ),
    "DeleteInterconnect": Case(
        lambda s: s.partner.delete_interconnect(interconnectId=s.interconnect)
    ),
    "DeleteLag": Case(lambda s: s.dx.delete_lag(lagId=s.lag)),
    "DeleteResiliencyGroup": Case(
        lambda s: s.dx.delete_resiliency_group(resiliencyGroupId=s.resiliency_group)
    ),
    "DeleteVirtualInterface": Case(
        lambda s: s.dx.delete_virtual_interface(virtualInterfaceId=s.vif)
    ),
    "DescribeConnectionLoa": Case(
        lambda s: s.dx.describe_connection_loa(connectionId=s.connection)
    ),
    "DescribeConnections": Case(
        lambda s: s.dx.describe_connections(),
        needs=("tagged_connection", "members", "hosted_connection", "mac_sec_connection"),
    ),
    "DescribeConnectionsOnInterconnect": Case(
        lambda s: s.partner.describe_connections_on_interconnect(interconnectId=s.interconnect),
        needs=("hosted_connection",),
    ),
    "DescribeDirectConnectGatewayAssociations": Case(
        lambda s: s.dx.describe_direct_connect_gateway_associations(
            directConnectGatewayId=s.gateway
        ),
        needs=("association",),
    ),
    "DescribeDirectConnectGatewayAttachments": Case(
        lambda s: s.dx.describe_direct_connect_gateway_attachments(
            directConnectGatewayId=s.gateway
        ),
        needs=("gateway_vif",),
    ),
    "DescribeDirectConnectGateways": Case(
        lambda s: s.dx.describe_direct_connect_gateways(), needs=("gateway",)
    ),
    "DescribeHostedConnections": Case(
        lambda s: s.partner.describe_hosted_connections(connectionId=s.interconnect),
        needs=("hosted_connection",),
    ),
    "DescribeInterconnectLoa": Case(
        lambda s: s.partner.describe_interconnect_loa(interconnectId=s.interconnect)
    ),
    "DescribeInterconnects": Case(
        lambda s: s.partner.describe_interconnects(),
        needs=("interconnect", "mac_sec_interconnect"),
    ),
    "DescribeLags": Case(lambda s: s.dx.describe_lags(), needs=("lag", "mac_sec_lag")),
    "DescribeLoa": Case(lambda s: s.dx.describe_loa(connectionId=s.connection)),
    "DescribeLocations": Case(lambda s: s.dx.describe_locations()),
    "DescribeRouterConfiguration": Case(
        lambda s: s.dx.describe_router_configuration(
            virtualInterfaceId=s.vif,
            routerTypeIdentifier="CiscoSystemsInc-2900SeriesRouters-IOS124",
        )
    ),
    "DescribeTags": Case(lambda s: s.dx.describe_tags(resourceArns=[s.arn(s.tagged_connection)])),
    "DescribeVirtualGateways": Case(lambda s: s.dx.describe_virtual_gateways()),
    "DescribeVirtualInterfaces": Case(
        lambda s: s.dx.describe_virtual_interfaces(),
        needs=("ipv6_peer", "public_vif", "gateway_vif", "transit_vif", "hosted_transit_vif"),
    ),
    "DisassociateConnectionFromLag": Case(
        lambda s: s.dx.disassociate_connection_from_lag(connectionId=s.members[0], lagId=s.lag)
    ),
    "DisassociateConnectionsFromResiliencyGroup": Case(
        lambda s: s.dx.disassociate_connections_from_resiliency_group(
            resiliencyGroupId=s.resiliency_group, connectionIdentifiers=[s.grouped_connection]
        )
    ),
    "GetResiliencyGroup": Case(
        lambda s: s.dx.get_resiliency_group(resiliencyGroupId=s.resiliency_group)
    ),
    "ListResiliencyGroupAssociations": Case(
        lambda s: s.dx.list_resiliency_group_associations(resiliencyGroupId=s.resiliency_group),
        needs=("grouped_connection",),
    ),
    "ListResiliencyGroups": Case(
        lambda s: s.dx.list_resiliency_groups(maxResults=1), needs=("resiliency_group",)
    ),
    "ListVirtualInterfaceRoutes": Case(
        lambda s: s.dx.list_virtual_interface_routes(virtualInterfaceId=s.ipv6_vif, maxResults=3)
    ),
    "ListVirtualInterfaceTestHistory": Case(
        lambda s: s.dx.list_virtual_interface_test_history(), needs=("failover_test",)
    ),
    "StartBgpFailoverTest": Case(
        lambda s: s.dx.start_bgp_failover_test(
            virtualInterfaceId=s.vif, bgpPeers=[s.ipv6_peer], testDurationInMinutes=60
        )
    ),
    "StopBgpFailoverTest": Case(
        lambda s: s.dx.stop_bgp_failover_test(virtualInterfaceId=s.vif), needs=("failover_test",)
    ),
    "TagResource": Case(
        lambda s: s.dx.tag_resource(
            resourceArn=s.arn(s.connection), tags=[{"key": "k", "value": "v"}, {"key": "bare"}]
        )
    ),
    "UntagResource": Case(
        lambda s: s.dx.untag_resource(resourceArn=s.arn(s.tagged_connection), tagKeys=["team"])
    ),
    "UpdateConnection": Case(
        lambda s: s.dx.update_connection(connectionId=s.connection, connectionName="renamed")
    ),
    "UpdateDirectConnectGateway": Case(
        lambda s: s.dx.update_direct_connect_gateway(
            directConnectGatewayId=s.gateway, newDirectConnectGatewayName="renamed"
        )
    ),
    "UpdateLag": Case(lambda s: s.dx.update_lag(lagId=s.lag, lagName="renamed", minimumLinks=1)),
    "UpdateResiliencyGroup": Case(
        lambda s: s.dx.update_resiliency_group(
            resiliencyGroupId=s.resiliency_group, resiliencyGroupName="renamed", clientToken="t"
        )
    ),
    "UpdateVirtualInterfaceAttributes": Case(
        lambda s: s.dx.update_virtual_interface_attributes(virtualInterfaceId=s.vif, mtu=9001)
    ),
}


@pytest.mark.parametrize("operation", sorted(CASES))
def test_response_matches_the_output_shape(operation: str, dx: Any, dx_partner: Any) -> None:
    case = CASES[operation]
    scenario = Scenario(dx, dx_partner)
    for name in case.needs:
        getattr(scenario, name)
    capture = RawCapture(dx, dx_partner)
    parsed = case.call(scenario)
    raw = capture.last(operation)
    assert output_errors(operation, raw, raw=capture.wire(operation)) == []
    assert output_errors(operation, parsed, raw=False) == []


def test_every_operation_has_a_shape_case() -> None:
    assert (
        set(CASES)
        == set(protocol.operation_specs())
        == set(protocol.service_model().operation_names)
    )


# -- the checker itself ------------------------------------------------------------------------
CONNECTION = {
    "connectionId": "dxcon-fabcdefg",
    "connectionState": "available",
    "loaIssueTime": 1491568964.0,
    "vlan": 101,
    "jumboFrameCapable": False,
}


def connection_shape() -> Any:
    return service_model().shape_for("Connection")


def test_checker_accepts_a_well_formed_raw_connection() -> None:
    assert shape_errors(connection_shape(), CONNECTION, raw=True) == []


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"colour": "red"}, "key 'colour' is not in Connection"),
        ({"vlan": "101"}, "$.vlan: expected a JSON integer"),
        ({"vlan": True}, "$.vlan: expected a JSON integer"),
        ({"jumboFrameCapable": "false"}, "$.jumboFrameCapable: expected a JSON boolean"),
        ({"loaIssueTime": "2017-04-07 12:42:44"}, "$.loaIssueTime: expected a JSON number"),
        ({"connectionState": "sleeping"}, "'sleeping' is not in ConnectionState's enum"),
        ({"lagId": None}, "$.lagId: null"),
    ],
)
def test_checker_reports_each_kind_of_mismatch(change: dict[str, Any], problem: str) -> None:
    errors = shape_errors(connection_shape(), {**CONNECTION, **change}, raw=True)
    assert len(errors) == 1
    assert problem in errors[0]


def test_checker_wants_parsed_timestamps_as_datetimes_and_blobs_as_bytes() -> None:
    parsed = {**CONNECTION, "loaIssueTime": datetime.fromtimestamp(1491568964, UTC)}
    assert shape_errors(connection_shape(), parsed, raw=False) == []
    assert shape_errors(connection_shape(), CONNECTION, raw=False) != []
    loa = service_model().shape_for("Loa")
    assert shape_errors(loa, {"loaContent": "JVBERi0="}, raw=True) == []
    assert shape_errors(loa, {"loaContent": "not base64!"}, raw=True) != []
    assert shape_errors(loa, {"loaContent": b"%PDF-"}, raw=False) == []


def test_checker_looks_inside_lists_and_nested_structures() -> None:
    body = {"connections": [CONNECTION, {**CONNECTION, "vlan": 1.5}]}
    assert output_errors("DescribeConnections", body, raw=True) == [
        "$.connections[1].vlan: expected a JSON integer (VLAN), got 1.5"
    ]

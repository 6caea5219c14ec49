"""The records of gateways: Direct Connect gateways, their associations with virtual private and
transit gateways, cross-account association proposals, VIF attachments to them, and the virtual
private and transit gateways themselves.

What is stored and how each looks on the wire; the rules live in `dxsim.gateways`,
`dxsim.gateway_associations`, `dxsim.association_proposals`, `dxsim.gateway_attachments` and
`dxsim.virtual_gateways`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, ClassVar

from dxsim.records import Tables
from dxsim.resource import Resource
from dxsim.wire import compact

# No Direct Connect operation creates VGWs (W1) or Transit Gateways: each (account, Region) has
# this many of each, seeded.
VGWS_PER_ACCOUNT_REGION = 4
TGWS_PER_ACCOUNT_REGION = 2
# Private ASNs for seeded Transit Gateways; never 64512, AWS's default DX gateway ASN, so a seeded
# TGW can associate with a gateway created with the default.
TGW_ASN_RANGE = (64513, 65534)


@dataclass(kw_only=True)
class DirectConnectGateway(Resource):
    """A Direct Connect gateway; its id is a lowercase UUID."""

    KIND: ClassVar[str] = "gateway"
    STATE_FIELD: ClassVar[str] = "direct_connect_gateway_state"

    direct_connect_gateway_name: str
    amazon_side_asn: int
    owner_account: str
    direct_connect_gateway_state: str = "pending"
    state_change_error: str | None = None
    created_at: float = 0.0

    def to_wire(self, world: Tables) -> dict[str, Any]:
        return compact(
            {
                "directConnectGatewayId": self.id,
                "directConnectGatewayName": self.direct_connect_gateway_name,
                "amazonSideAsn": self.amazon_side_asn,
                "ownerAccount": self.owner_account,
                "directConnectGatewayState": self.direct_connect_gateway_state,
                "stateChangeError": self.state_change_error,
            }
        )


def gateway_type(gateway_id: str) -> str:
    """The `associatedGateway.type` of a VGW (`vgw-`) or Transit Gateway (`tgw-`) id."""
    return "transitGateway" if gateway_id.startswith("tgw-") else "virtualPrivateGateway"


def prefix_list(cidrs: list[str]) -> list[dict[str, str]]:
    """CIDRs as a `RouteFilterPrefixList` (`[{"cidr": …}]`)."""
    return [{"cidr": cidr} for cidr in cidrs]


@dataclass(kw_only=True)
class GatewayAssociation(Resource):
    """A DX gateway ↔ VGW or Transit Gateway association; `id` is the association UUID.

    `virtual_gateway_id` holds the associated gateway, VGW (`vgw-`) or TGW (`tgw-`), and the
    `virtual_gateway_*` fields its Region and owner (for a cross-account association made by a
    proposal, the proposer). `allowed_prefixes` are the CIDRs advertised to on-premises through
    it. `direct_connect_gateway_owner_account` is the DX gateway's owner: Terraform reads the
    member of that name as `dx_gateway_owner_account_id`.
    """

    KIND: ClassVar[str] = "gateway_association"
    STATE_FIELD: ClassVar[str] = "association_state"

    direct_connect_gateway_id: str
    virtual_gateway_id: str
    virtual_gateway_region: str
    virtual_gateway_owner_account: str
    direct_connect_gateway_owner_account: str = ""
    allowed_prefixes: list[str] = field(default_factory=list)
    association_state: str = "associating"
    state_change_error: str | None = None
    created_at: float = 0.0

    @property
    def is_transit(self) -> bool:
        return self.virtual_gateway_id.startswith("tgw-")

    def to_wire(self, world: Tables) -> dict[str, Any]:
        legacy = None if self.is_transit else self.virtual_gateway_id
        return compact(
            {
                "directConnectGatewayId": self.direct_connect_gateway_id,
                "directConnectGatewayOwnerAccount": self.direct_connect_gateway_owner_account
                or None,
                "virtualGatewayId": legacy,
                "virtualGatewayRegion": legacy and self.virtual_gateway_region,
                "virtualGatewayOwnerAccount": legacy and self.virtual_gateway_owner_account,
                "associationState": self.association_state,
                "stateChangeError": self.state_change_error,
                "associatedGateway": {
                    "id": self.virtual_gateway_id,
                    "type": gateway_type(self.virtual_gateway_id),
                    "ownerAccount": self.virtual_gateway_owner_account,
                    "region": self.virtual_gateway_region,
                },
                "associationId": self.id,
                "allowedPrefixesToDirectConnectGateway": prefix_list(self.allowed_prefixes),
            }
        )


@dataclass(kw_only=True)
class AssociationProposal(Resource):
    """A cross-account association proposal; `id` is the proposal UUID.

    Made by the owner of the VGW or TGW (`associated_gateway_owner_account`, in the gateway's
    Region), accepted or rejected by the DX gateway's owner. `existing_prefixes` are those of
    the association the proposal would change (empty for a new one); `requested_prefixes` are
    what the association would advertise once accepted (existing + added − removed).
    """

    KIND: ClassVar[str] = "gateway_association_proposal"
    STATE_FIELD: ClassVar[str] = "proposal_state"

    direct_connect_gateway_id: str
    direct_connect_gateway_owner_account: str
    associated_gateway_id: str
    associated_gateway_owner_account: str
    associated_gateway_region: str
    existing_prefixes: list[str] = field(default_factory=list)
    requested_prefixes: list[str] = field(default_factory=list)
    proposal_state: str = "requested"
    created_at: float = 0.0

    def to_wire(self, world: Tables) -> dict[str, Any]:
        return {
            "proposalId": self.id,
            "directConnectGatewayId": self.direct_connect_gateway_id,
            "directConnectGatewayOwnerAccount": self.direct_connect_gateway_owner_account,
            "proposalState": self.proposal_state,
            "associatedGateway": {
                "id": self.associated_gateway_id,
                "type": gateway_type(self.associated_gateway_id),
                "ownerAccount": self.associated_gateway_owner_account,
                "region": self.associated_gateway_region,
            },
            "existingAllowedPrefixesToDirectConnectGateway": prefix_list(self.existing_prefixes),
            "requestedAllowedPrefixesToDirectConnectGateway": prefix_list(self.requested_prefixes),
        }


@dataclass(kw_only=True)
class GatewayAttachment(Resource):
    """A VIF attached to a DX gateway; `id` is `<gateway id>/<vif id>`."""

    KIND: ClassVar[str] = "gateway_attachment"
    STATE_FIELD: ClassVar[str] = "attachment_state"

    direct_connect_gateway_id: str
    virtual_interface_id: str
    virtual_interface_region: str
    virtual_interface_owner_account: str
    attachment_state: str = "attaching"
    state_change_error: str | None = None
    created_at: float = 0.0

    def to_wire(self, world: Tables) -> dict[str, Any]:
        vif = world.virtual_interfaces.get(self.virtual_interface_id)
        # The model's spelling (the response-shape tests hold dxsim to it); real answers are
        # reported lower-camel (dx-facts.md), so clients must accept both, as the gateway does.
        kind = None if vif is None else f"{vif.virtual_interface_type.title()}VirtualInterface"
        return compact(
            {
                "directConnectGatewayId": self.direct_connect_gateway_id,
                "virtualInterfaceId": self.virtual_interface_id,
                "attachmentType": kind,
                "virtualInterfaceRegion": self.virtual_interface_region,
                "virtualInterfaceOwnerAccount": self.virtual_interface_owner_account,
                "attachmentState": self.attachment_state,
                "stateChangeError": self.state_change_error,
            }
        )


@dataclass(kw_only=True)
class VirtualGateway(Resource):
    """A virtual private gateway (`vgw-` + 17 hex), attached to a VPC and `available` (the
    control API can set any EC2 state: pending, available, deleting, deleted)."""

    KIND: ClassVar[str] = "virtual_gateway"
    STATE_FIELD: ClassVar[str] = "virtual_gateway_state"

    owner_account: str
    region: str
    virtual_gateway_state: str = "available"
    # EC2's amazonSideAsn of the VGW (AWS's default for a VGW created without one)
    amazon_side_asn: int = 64512

    def to_wire(self, world: Tables) -> dict[str, Any]:
        return {"virtualGatewayId": self.id, "virtualGatewayState": self.virtual_gateway_state}


@dataclass(kw_only=True)
class TransitGateway(Resource):
    """A Transit Gateway (`tgw-` + 17 hex): an EC2 resource, seeded per account and Region.

    Direct Connect never lists TGWs; clients read them through EC2's DescribeTransitGateways.
    `amazon_side_asn` must differ from the ASN of any DX gateway it associates with.
    """

    KIND: ClassVar[str] = "transit_gateway"
    STATE_FIELD: ClassVar[str] = "transit_gateway_state"

    owner_account: str
    region: str
    amazon_side_asn: int
    description: str = ""
    transit_gateway_state: str = "available"
    created_at: float = 0.0


def seeded_tgws(account: str, region: str) -> list[tuple[str, int]]:
    """The (TGW id, ASN) pairs an account has in a region: stable, so tests and demos can name
    them; ASNs come from `TGW_ASN_RANGE` and differ between an account's Regions as AWS advises
    (a DX gateway with TGWs in several Regions needs unique ASNs)."""
    low, high = TGW_ASN_RANGE
    seeded = []
    for n in range(TGWS_PER_ACCOUNT_REGION):
        digest = hashlib.sha256(f"{account}/{region}/tgw/{n}".encode()).hexdigest()
        seeded.append(("tgw-" + digest[:17], low + int(digest[17:25], 16) % (high - low + 1)))
    return seeded


def seeded_vgw_ids(account: str, region: str) -> list[str]:
    """The VGW IDs an account has in a region: stable, so tests and demos can name them."""
    return [
        "vgw-" + hashlib.sha256(f"{account}/{region}/{n}".encode()).hexdigest()[:17]
        for n in range(VGWS_PER_ACCOUNT_REGION)
    ]

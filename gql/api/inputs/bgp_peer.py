"""Inputs of the BGP peer mutations; both return the virtual interface AWS returns
(`VirtualInterfacePayload`), so a client sees every peer of it.

`NewBGPPeer` carries the secret `authKey`, so it and `CreateBgpPeerInput` declare every field
nullable and check the required ones in `validate()` (see `gql.api.inputs.virtual_interface`).
"""

from __future__ import annotations

from typing import Any

import strawberry

from gql.api.enums import AddressFamily
from gql.api.inputs.connection import REGION_DESCRIPTION
from gql.api.inputs.new_virtual_interface import (
    AMAZON_ADDRESS_DESCRIPTION,
    ASN_DESCRIPTION,
    AUTH_KEY_DESCRIPTION,
    CUSTOMER_ADDRESS_DESCRIPTION,
    check_auth_key,
    check_peer_address_any_family,
    check_peer_addresses,
)
from gql.api.scalars import BigInt
from resolvers.validation import Checks, split_asn

__all__ = ["CreateBgpPeerInput", "DeleteBgpPeerInput", "NewBGPPeer"]


@strawberry.input(
    description=(
        "Information about a new BGP peer. For IPv6 omit amazonAddress and customerAddress "
        "(Amazon assigns them)."
    )
)
class NewBGPPeer:
    asn: BigInt | None = strawberry.field(default=None, description=ASN_DESCRIPTION)
    auth_key: str | None = strawberry.field(default=None, description=AUTH_KEY_DESCRIPTION)
    address_family: AddressFamily | None = strawberry.field(
        default=None, description="Required. The address family for the BGP peer."
    )
    amazon_address: str | None = strawberry.field(
        default=None, description=AMAZON_ADDRESS_DESCRIPTION
    )
    customer_address: str | None = strawberry.field(
        default=None, description=CUSTOMER_ADDRESS_DESCRIPTION
    )

    def validate(self, checks: Checks) -> None:
        if checks.required("asn", self.asn):
            checks.asn("asn", self.asn)
        check_auth_key(checks, "authKey", self.auth_key)
        if checks.required("addressFamily", self.address_family):
            check_peer_addresses(
                checks, self.address_family, self.amazon_address, self.customer_address
            )

    def to_aws(self) -> dict[str, Any]:
        params: dict[str, Any] = {}
        if self.asn is not None:
            params.update(split_asn(self.asn))
        if self.auth_key is not None:
            params["authKey"] = self.auth_key
        if self.address_family is not None:
            params["addressFamily"] = self.address_family.value
        if self.amazon_address is not None:
            params["amazonAddress"] = self.amazon_address
        if self.customer_address is not None:
            params["customerAddress"] = self.customer_address
        return params


@strawberry.input(
    description=(
        "CreateBGPPeer: another BGP peer on a virtual interface you own. A second peer in the "
        "same address family needs a connection with logical redundancy; on a public virtual "
        "interface the ASN must be private or already used by it."
    )
)
class CreateBgpPeerInput:
    virtual_interface_id: str | None = strawberry.field(
        default=None, description="Required. The ID of the virtual interface (dxvif-…)."
    )
    new_bgp_peer: NewBGPPeer | None = strawberry.field(
        default=None,
        name="newBGPPeer",
        description="Required. Information about the BGP peer.",
    )
    region: str | None = strawberry.field(default=None, description=REGION_DESCRIPTION)

    def validate(self, checks: Checks) -> None:
        if checks.required("virtualInterfaceId", self.virtual_interface_id):
            checks.aws_id("virtualInterfaceId", self.virtual_interface_id, "dxvif")
        if checks.required("newBGPPeer", self.new_bgp_peer) and self.new_bgp_peer is not None:
            self.new_bgp_peer.validate(checks.nested("newBGPPeer"))

    def to_aws(self) -> dict[str, Any]:
        params: dict[str, Any] = {}
        if self.virtual_interface_id is not None:
            params["virtualInterfaceId"] = self.virtual_interface_id
        if self.new_bgp_peer is not None:
            params["newBGPPeer"] = self.new_bgp_peer.to_aws()
        return params


@strawberry.input(
    description=(
        "DeleteBGPPeer: a BGP peer identified by bgpPeerId, or by virtualInterfaceId + asn + "
        "customerAddress. The last BGP peer of a virtual interface cannot be deleted."
    )
)
class DeleteBgpPeerInput:
    virtual_interface_id: str | None = strawberry.field(
        default=None,
        description="The ID of the virtual interface (dxvif-…); required without bgpPeerId.",
    )
    asn: BigInt | None = strawberry.field(
        default=None,
        description=(
            "The autonomous system (AS) number for Border Gateway Protocol (BGP) configuration; "
            "required without bgpPeerId."
        ),
    )
    customer_address: str | None = strawberry.field(
        default=None,
        description=(
            "The IP address assigned to the customer interface, in CIDR notation; required "
            "without bgpPeerId."
        ),
    )
    bgp_peer_id: str | None = strawberry.field(
        default=None, description="The ID of the BGP peer (dxpeer-…)."
    )
    region: str | None = strawberry.field(default=None, description=REGION_DESCRIPTION)

    def validate(self, checks: Checks) -> None:
        checks.aws_id("virtualInterfaceId", self.virtual_interface_id, "dxvif")
        checks.asn("asn", self.asn)
        check_peer_address_any_family(checks, "customerAddress", self.customer_address)
        checks.aws_id("bgpPeerId", self.bgp_peer_id, "dxpeer")
        if self.bgp_peer_id is None:
            for name, value in (
                ("virtualInterfaceId", self.virtual_interface_id),
                ("asn", self.asn),
                ("customerAddress", self.customer_address),
            ):
                if value is None or value == "":
                    checks.fail(
                        name,
                        "REQUIRED",
                        "is required unless bgpPeerId is given: a peer is identified by "
                        "bgpPeerId, or by virtualInterfaceId + asn + customerAddress",
                    )

    def to_aws(self) -> dict[str, Any]:
        params: dict[str, Any] = {}
        if self.virtual_interface_id is not None:
            params["virtualInterfaceId"] = self.virtual_interface_id
        if self.asn is not None:
            params.update(split_asn(self.asn))
        if self.customer_address is not None:
            params["customerAddress"] = self.customer_address
        if self.bgp_peer_id is not None:
            params["bgpPeerId"] = self.bgp_peer_id
        return params

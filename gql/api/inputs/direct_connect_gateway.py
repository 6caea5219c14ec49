"""Inputs and payloads of the Direct Connect gateway and gateway association mutations.

Direct Connect gateways are global: their mutations take no region. An association joins a
regional virtual private gateway, so its inputs take the VGW's region (the call is signed for it).
"""

from __future__ import annotations

from typing import Any

import strawberry

from gql.api.direct_connect_gateway import DirectConnectGateway
from gql.api.direct_connect_gateway_association import DirectConnectGatewayAssociation
from gql.api.scalars import BigInt
from resolvers.validation import Checks

__all__ = [
    "CreateDirectConnectGatewayAssociationInput",
    "CreateDirectConnectGatewayInput",
    "DeleteDirectConnectGatewayAssociationInput",
    "DeleteDirectConnectGatewayInput",
    "DirectConnectGatewayAssociationPayload",
    "DirectConnectGatewayPayload",
]

GATEWAY_NAME_MAX = 100
VGW_REGION_DESCRIPTION = (
    "The AWS Region of the virtual private gateway; the call is signed for it (default: the "
    "gateway's first served region)."
)


@strawberry.input(
    description=(
        "CreateDirectConnectGateway: a global gateway joining virtual interfaces and virtual "
        "private gateways in any Region."
    )
)
class CreateDirectConnectGatewayInput:
    direct_connect_gateway_name: str = strawberry.field(
        description="The name of the Direct Connect gateway (1-100 characters)."
    )
    amazon_side_asn: BigInt | None = strawberry.field(
        default=None,
        description=(
            "The autonomous system number (ASN) for Border Gateway Protocol (BGP) to be "
            "configured on the Amazon side of the connection. The ASN must be in the private "
            "range of 64,512 to 65,534 or 4,200,000,000 to 4,294,967,294. The default is 64512."
        ),
    )

    def validate(self, checks: Checks) -> None:
        if checks.required("directConnectGatewayName", self.direct_connect_gateway_name):
            checks.name(
                "directConnectGatewayName", self.direct_connect_gateway_name, GATEWAY_NAME_MAX
            )
        checks.amazon_side_asn("amazonSideAsn", self.amazon_side_asn)

    def to_aws(self) -> dict[str, Any]:
        params: dict[str, Any] = {"directConnectGatewayName": self.direct_connect_gateway_name}
        if self.amazon_side_asn is not None:
            params["amazonSideAsn"] = self.amazon_side_asn
        return params


@strawberry.input(description="A Direct Connect gateway by its ID (DeleteDirectConnectGateway).")
class DeleteDirectConnectGatewayInput:
    direct_connect_gateway_id: str = strawberry.field(
        description="The ID of the Direct Connect gateway (a UUID)."
    )

    def validate(self, checks: Checks) -> None:
        checks.gateway_id("directConnectGatewayId", self.direct_connect_gateway_id)

    def to_aws(self) -> dict[str, Any]:
        return {"directConnectGatewayId": self.direct_connect_gateway_id}


@strawberry.input(
    description=(
        "CreateDirectConnectGatewayAssociation: associate a virtual private gateway (attached to "
        "a VPC, not associated with another Direct Connect gateway) with a Direct Connect gateway."
    )
)
class CreateDirectConnectGatewayAssociationInput:
    direct_connect_gateway_id: str = strawberry.field(
        description="The ID of the Direct Connect gateway (a UUID)."
    )
    virtual_gateway_id: str = strawberry.field(
        description="The ID of the virtual private gateway (vgw-…)."
    )
    region: str | None = strawberry.field(default=None, description=VGW_REGION_DESCRIPTION)

    def validate(self, checks: Checks) -> None:
        checks.gateway_id("directConnectGatewayId", self.direct_connect_gateway_id)
        checks.virtual_gateway_id("virtualGatewayId", self.virtual_gateway_id)

    def to_aws(self) -> dict[str, Any]:
        return {
            "directConnectGatewayId": self.direct_connect_gateway_id,
            "virtualGatewayId": self.virtual_gateway_id,
        }


@strawberry.input(
    description=(
        "DeleteDirectConnectGatewayAssociation: the association between a Direct Connect gateway "
        "and a virtual private gateway."
    )
)
class DeleteDirectConnectGatewayAssociationInput(CreateDirectConnectGatewayAssociationInput):
    pass


@strawberry.type(description="The Direct Connect gateway a mutation created or changed.")
class DirectConnectGatewayPayload:
    direct_connect_gateway: DirectConnectGateway = strawberry.field(
        description="The Direct Connect gateway, as AWS returned it."
    )


@strawberry.type(description="The gateway association a mutation created or changed.")
class DirectConnectGatewayAssociationPayload:
    direct_connect_gateway_association: DirectConnectGatewayAssociation = strawberry.field(
        description="The association, as AWS returned it."
    )

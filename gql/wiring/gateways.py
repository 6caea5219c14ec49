"""Mutations on Direct Connect gateways, their associations, and tags; deprecated reads."""

from __future__ import annotations

import strawberry

from gql.inputs.direct_connect_gateway import (
    DirectConnectGatewayAssociationPayload,
    DirectConnectGatewayPayload,
)
from gql.inputs.tag import ResourceTagsPayload
from gql.types.connection import DxConnection
from gql.types.loa import Loa
from resolvers import deprecated, tags
from resolvers import direct_connect_gateways as gateways


@strawberry.type
class GatewayMutations:
    create_direct_connect_gateway: DirectConnectGatewayPayload = strawberry.mutation(
        resolver=gateways.create_direct_connect_gateway,
        description=(
            "CreateDirectConnectGateway: a global gateway (state pending). amazonSideAsn must be "
            "in 64512-65534 or 4200000000-4294967294; 64512 when omitted."
        ),
    )
    delete_direct_connect_gateway: DirectConnectGatewayPayload = strawberry.mutation(
        resolver=gateways.delete_direct_connect_gateway,
        description=(
            "DeleteDirectConnectGateway (state deleting). Delete the attached virtual interfaces "
            "and disassociate every virtual private gateway first."
        ),
    )
    create_direct_connect_gateway_association: DirectConnectGatewayAssociationPayload = (
        strawberry.mutation(
            resolver=gateways.create_direct_connect_gateway_association,
            description=(
                "CreateDirectConnectGatewayAssociation (state associating), signed for the "
                "virtual private gateway's Region. The VGW must be attached to a VPC and not "
                "associated with another Direct Connect gateway."
            ),
        )
    )
    delete_direct_connect_gateway_association: DirectConnectGatewayAssociationPayload = (
        strawberry.mutation(
            resolver=gateways.delete_direct_connect_gateway_association,
            description=(
                "DeleteDirectConnectGatewayAssociation: disassociate a virtual private gateway "
                "from a Direct Connect gateway (state disassociating)."
            ),
        )
    )
    tag_resource: ResourceTagsPayload = strawberry.mutation(
        resolver=tags.tag_resource,
        description=(
            "TagResource: add tags, or update the value of a key the resource has. At most 50 "
            "tags per resource; keys 1-128 and values 0-256 characters, each key once."
        ),
    )
    untag_resource: ResourceTagsPayload = strawberry.mutation(
        resolver=tags.untag_resource,
        description="UntagResource: remove tags from a resource by key (at least one key).",
    )


@strawberry.type
class DeprecatedQueries:
    connection_loa: Loa = strawberry.field(
        resolver=deprecated.connection_loa,
        description="DescribeConnectionLoa (deprecated): the LOA-CFA of a connection.",
        deprecation_reason="Use `connection.loa` (DescribeLoa) instead.",
    )
    interconnect_loa: Loa = strawberry.field(
        resolver=deprecated.interconnect_loa,
        description="DescribeInterconnectLoa (deprecated): the LOA-CFA of an interconnect.",
        deprecation_reason="Use `interconnect.loa` (DescribeLoa) instead.",
    )
    connections_on_interconnect: list[DxConnection] = strawberry.field(
        resolver=deprecated.connections_on_interconnect,
        description=(
            "DescribeConnectionsOnInterconnect (deprecated): the hosted connections provisioned "
            "on an interconnect."
        ),
        deprecation_reason=(
            "Use `interconnect.hostedConnections` (DescribeHostedConnections) instead."
        ),
    )

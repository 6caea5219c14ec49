"""The schema: Query wiring as a flat list per resource kind, and `schema` itself."""

from __future__ import annotations

import logging

import strawberry
from graphql import GraphQLError
from strawberry import relay
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from gql.context import Info
from gql.documents import KnownDocuments
from gql.execution import FastLeafExecutor
from gql.extensions import ErrorCodes, Prefetch
from gql.limits import LIMIT_EXTENSIONS
from gql.scalars import BIG_INT, BigInt
from gql.types import (
    DirectConnectGateway,
    DxConnection,
    Interconnect,
    Lag,
    Location,
    VirtualGateway,
    VirtualInterface,
)
from gql.wiring.connections import ConnectionMutations
from gql.wiring.gateways import DeprecatedQueries, GatewayMutations
from gql.wiring.virtual_interfaces import VirtualInterfaceMutations
from resolvers import connections as connection_reads
from resolvers import direct_connect_gateways as gateway_reads
from resolvers import interconnects as interconnect_reads
from resolvers import lags as lag_reads
from resolvers import locations as location_reads
from resolvers import virtual_gateways as virtual_gateway_reads
from resolvers import virtual_interfaces as virtual_interface_reads

logger = logging.getLogger("dxgraph.errors")


@strawberry.type(description="Read the Direct Connect graph.")
class Query(DeprecatedQueries):
    node: relay.Node | None = relay.node(
        description="Any object by its global ID (Relay object identification)."
    )
    nodes: list[relay.Node | None] = relay.node(description="Objects by their global IDs.")

    @strawberry.field(description="The AWS Regions this gateway serves.")
    def regions(self, info: Info) -> list[str]:
        return list(info.context.upstream.regions)

    connections: list[DxConnection] = strawberry.field(
        resolver=connection_reads.list_connections,
        description="Connections in the served regions (dedicated, LAG members, hosted).",
    )
    connection: DxConnection | None = strawberry.field(
        resolver=connection_reads.get_connection, description="One connection by its ID."
    )

    interconnects: list[Interconnect] = strawberry.field(
        resolver=interconnect_reads.list_interconnects,
        description="Interconnects owned by the account in the served regions.",
    )
    interconnect: Interconnect | None = strawberry.field(
        resolver=interconnect_reads.get_interconnect, description="One interconnect by its ID."
    )

    lags: list[Lag] = strawberry.field(
        resolver=lag_reads.list_lags, description="Link aggregation groups in the served regions."
    )
    lag: Lag | None = strawberry.field(resolver=lag_reads.get_lag, description="One LAG by its ID.")

    virtual_interfaces: list[VirtualInterface] = strawberry.field(
        resolver=virtual_interface_reads.list_virtual_interfaces,
        description=(
            "Virtual interfaces in the served regions (including those deleted less than 15 "
            "minutes ago)."
        ),
    )
    virtual_interface: VirtualInterface | None = strawberry.field(
        resolver=virtual_interface_reads.get_virtual_interface,
        description="One virtual interface by its ID.",
    )

    direct_connect_gateways = gateway_reads.list_direct_connect_gateways
    direct_connect_gateway: DirectConnectGateway | None = strawberry.field(
        resolver=gateway_reads.get_direct_connect_gateway,
        description="One Direct Connect gateway by its ID.",
    )
    direct_connect_gateway_associations = gateway_reads.list_direct_connect_gateway_associations
    direct_connect_gateway_attachments = gateway_reads.list_direct_connect_gateway_attachments

    virtual_gateways: list[VirtualGateway] = strawberry.field(
        resolver=virtual_gateway_reads.list_virtual_gateways,
        description="Virtual private gateways of the account in the served regions.",
    )
    virtual_gateway: VirtualGateway | None = strawberry.field(
        resolver=virtual_gateway_reads.get_virtual_gateway,
        description="One virtual private gateway by its ID.",
    )

    locations: list[Location] = strawberry.field(
        resolver=location_reads.list_locations,
        description="Direct Connect locations of the served regions.",
    )
    location: Location | None = strawberry.field(
        resolver=location_reads.get_location, description="One location by its code."
    )


@strawberry.type(
    description=(
        "Change Direct Connect: one mutation per write operation, named after it. Inputs are "
        "checked before anything is sent; send an `Idempotency-Key` header to make retries safe."
    )
)
class Mutation(ConnectionMutations, VirtualInterfaceMutations, GatewayMutations):
    pass


class DxGraphSchema(strawberry.Schema):
    """Logs only unexpected errors; expected ones (bad input, upstream refusals) are the
    caller's business and already coded in the response."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        for error in errors:
            if (error.extensions or {}).get("code") == "INTERNAL_ERROR":
                logger.error("internal error at %s: %s", error.path, error.message)


schema = DxGraphSchema(
    query=Query,
    mutation=Mutation,
    extensions=[ErrorCodes, *LIMIT_EXTENSIONS, KnownDocuments, Prefetch],
    config=StrawberryConfig(scalar_map={BigInt: BIG_INT}),
    execution_context_class=FastLeafExecutor,
)

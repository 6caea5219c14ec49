"""The Query root: every root read of the graph, each declaring what it reads upstream."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay

from gql.api.connection import DxConnection
from gql.api.deprecated import DeprecatedQueries
from gql.api.direct_connect_gateway import DirectConnectGateway
from gql.api.direct_connect_gateway_association import DirectConnectGatewayAssociation
from gql.api.direct_connect_gateway_attachment import DirectConnectGatewayAttachment
from gql.api.enums import (
    ConnectionState,
    DirectConnectGatewayState,
    InterconnectState,
    LagState,
    VirtualGatewayState,
    VirtualInterfaceState,
)
from gql.api.interconnect import Interconnect
from gql.api.lag import Lag
from gql.api.listing import get_resolver, list_resolver
from gql.api.location import Location
from gql.api.tag import TagFilter
from gql.api.virtual_gateway import VirtualGateway
from gql.api.virtual_interface import VirtualInterface
from resolvers import links, listing
from resolvers.context import Info
from resolvers.data.plan import reads


async def get_direct_connect_gateway(
    info: Info,
    direct_connect_gateway_id: Annotated[
        str, strawberry.argument(description="The Direct Connect gateway ID (a UUID).")
    ],
) -> DirectConnectGateway | None:
    raw = await links.find_gateway(info, direct_connect_gateway_id)
    return DirectConnectGateway.from_aws(raw) if raw else None


async def list_locations(
    info: Info,
    region: Annotated[
        str | None, strawberry.argument(description="Only this served region.")
    ] = None,
) -> list[Location]:
    items = await listing.list_items(info, "locations", region=region)
    return [Location.from_aws(item, item["region"]) for item in items]


async def get_location(
    info: Info,
    location_code: Annotated[str, strawberry.argument(description="The location code (EqDC2).")],
    region: Annotated[
        str | None, strawberry.argument(description="Its region; all served regions if omitted.")
    ] = None,
) -> Location | None:
    found = await listing.get_item(info, "locations", location_code, region)
    return None if found is None else Location.from_aws(*found)


@strawberry.type(description="Read the Direct Connect graph.")
class Query(DeprecatedQueries):
    node: relay.Node | None = relay.node(
        description="Any object by its global ID (Relay object identification).",
        metadata=reads(nodes=True),
    )
    nodes: list[relay.Node | None] = relay.node(
        description="Objects by their global IDs.", metadata=reads(nodes=True)
    )

    @strawberry.field(description="The AWS Regions this gateway serves.", metadata=reads())
    def regions(self, info: Info) -> list[str]:
        return list(info.context.upstream.regions)

    connections: list[DxConnection] = strawberry.field(
        resolver=list_resolver("connections", DxConnection, ConnectionState),
        description="Connections in the served regions (dedicated, LAG members, hosted).",
        metadata=reads("connections"),
    )
    connection: DxConnection | None = strawberry.field(
        resolver=get_resolver("connections", DxConnection, "connectionId", "dxcon-…"),
        description="One connection by its ID.",
        metadata=reads("connections"),
    )

    interconnects: list[Interconnect] = strawberry.field(
        resolver=list_resolver("interconnects", Interconnect, InterconnectState),
        description="Interconnects owned by the account in the served regions.",
        metadata=reads("interconnects"),
    )
    interconnect: Interconnect | None = strawberry.field(
        resolver=get_resolver("interconnects", Interconnect, "interconnectId", "dxcon-…"),
        description="One interconnect by its ID.",
        metadata=reads("interconnects"),
    )

    lags: list[Lag] = strawberry.field(
        resolver=list_resolver("lags", Lag, LagState),
        description="Link aggregation groups in the served regions.",
        metadata=reads("lags"),
    )
    lag: Lag | None = strawberry.field(
        resolver=get_resolver("lags", Lag, "lagId", "dxlag-…"),
        description="One LAG by its ID.",
        metadata=reads("lags"),
    )

    virtual_interfaces: list[VirtualInterface] = strawberry.field(
        resolver=list_resolver("virtual_interfaces", VirtualInterface, VirtualInterfaceState),
        description=(
            "Virtual interfaces in the served regions (including those deleted less than 15 "
            "minutes ago)."
        ),
        metadata=reads("virtual_interfaces"),
    )
    virtual_interface: VirtualInterface | None = strawberry.field(
        resolver=get_resolver(
            "virtual_interfaces", VirtualInterface, "virtualInterfaceId", "dxvif-…"
        ),
        description="One virtual interface by its ID.",
        metadata=reads("virtual_interfaces"),
    )

    direct_connect_gateway: DirectConnectGateway | None = strawberry.field(
        resolver=get_direct_connect_gateway,
        description="One Direct Connect gateway by its ID.",
        metadata=reads("gateways"),
    )
    virtual_gateways: list[VirtualGateway] = strawberry.field(
        resolver=list_resolver("virtual_gateways", VirtualGateway, VirtualGatewayState),
        description="Virtual private gateways of the account in the served regions.",
        metadata=reads("virtual_gateways"),
    )
    virtual_gateway: VirtualGateway | None = strawberry.field(
        resolver=get_resolver("virtual_gateways", VirtualGateway, "virtualGatewayId", "vgw-…"),
        description="One virtual private gateway by its ID.",
        metadata=reads("virtual_gateways"),
    )

    locations: list[Location] = strawberry.field(
        resolver=list_locations,
        description="Direct Connect locations of the served regions.",
        metadata=reads("locations"),
    )
    location: Location | None = strawberry.field(
        resolver=get_location, description="One location by its code.", metadata=reads("locations")
    )

    @relay.connection(
        relay.ListConnection[DirectConnectGateway],
        description=(
            "Direct Connect gateways (global). AWS pages them; the gateway reads every page and "
            "pages the result with cursors."
        ),
        metadata=reads("gateways"),
    )
    async def direct_connect_gateways(
        self,
        info: Info,
        states: Annotated[
            list[DirectConnectGatewayState] | None,
            strawberry.argument(description="Only these states."),
        ] = None,
        name: Annotated[
            str | None, strawberry.argument(description="Case-insensitive substring of the name.")
        ] = None,
        owner_account: Annotated[
            str | None, strawberry.argument(description="Owner account.")
        ] = None,
        tag: Annotated[
            TagFilter | None, strawberry.argument(description="Carrying this tag.")
        ] = None,
    ) -> list[DirectConnectGateway]:
        items = await listing.list_gateways(
            info, states=states, name=name, owner_account=owner_account, tag=tag
        )
        return [DirectConnectGateway.from_aws(g) for g in items]

    @relay.connection(
        relay.ListConnection[DirectConnectGatewayAssociation],
        description="Associations of a Direct Connect gateway, a VGW or Transit Gateway, or all of "
        "them (every DX gateway's, without arguments).",
        metadata=reads("associations"),
    )
    async def direct_connect_gateway_associations(
        self,
        info: Info,
        direct_connect_gateway_id: Annotated[
            str | None, strawberry.argument(description="The Direct Connect gateway ID.")
        ] = None,
        virtual_gateway_id: Annotated[
            str | None, strawberry.argument(description="The virtual private gateway ID.")
        ] = None,
        associated_gateway_id: Annotated[
            str | None,
            strawberry.argument(
                description="The associated gateway's ID: a virtual private gateway or a Transit "
                "Gateway."
            ),
        ] = None,
    ) -> list[DirectConnectGatewayAssociation]:
        items = await listing.list_of_gateways(
            info, "associations", direct_connect_gateway_id, "virtualGatewayId", virtual_gateway_id
        )
        associations = [DirectConnectGatewayAssociation.from_aws(a) for a in items]
        if associated_gateway_id is None:
            return associations
        return [
            a
            for a in associations
            if a.associated_gateway is not None and a.associated_gateway.id == associated_gateway_id
        ]

    @relay.connection(
        relay.ListConnection[DirectConnectGatewayAttachment],
        description="Attachments of a Direct Connect gateway, a virtual interface, or all of them "
        "(every DX gateway's, without arguments).",
        metadata=reads("attachments"),
    )
    async def direct_connect_gateway_attachments(
        self,
        info: Info,
        direct_connect_gateway_id: Annotated[
            str | None, strawberry.argument(description="The Direct Connect gateway ID.")
        ] = None,
        virtual_interface_id: Annotated[
            str | None, strawberry.argument(description="The virtual interface ID.")
        ] = None,
    ) -> list[DirectConnectGatewayAttachment]:
        items = await listing.list_of_gateways(
            info,
            "attachments",
            direct_connect_gateway_id,
            "virtualInterfaceId",
            virtual_interface_id,
        )
        return [DirectConnectGatewayAttachment.from_aws(a) for a in items]

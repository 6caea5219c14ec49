"""The GraphQL types of the Direct Connect graph, one module per resource kind."""

from gql.api.bgp_peer import BgpPeer
from gql.api.connection import DxConnection
from gql.api.direct_connect_gateway import DirectConnectGateway
from gql.api.direct_connect_gateway_association import DirectConnectGatewayAssociation
from gql.api.direct_connect_gateway_attachment import DirectConnectGatewayAttachment
from gql.api.interconnect import Interconnect
from gql.api.lag import Lag
from gql.api.loa import Loa
from gql.api.location import Location
from gql.api.tag import Tag, TagFilter
from gql.api.unions import ConnectionParent, VirtualInterfaceHost
from gql.api.virtual_gateway import VirtualGateway
from gql.api.virtual_interface import RouteFilterPrefix, VirtualInterface

__all__ = [
    "BgpPeer",
    "ConnectionParent",
    "DirectConnectGateway",
    "DirectConnectGatewayAssociation",
    "DirectConnectGatewayAttachment",
    "DxConnection",
    "Interconnect",
    "Lag",
    "Loa",
    "Location",
    "RouteFilterPrefix",
    "Tag",
    "TagFilter",
    "VirtualGateway",
    "VirtualInterface",
    "VirtualInterfaceHost",
]

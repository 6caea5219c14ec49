"""The GraphQL types of the Direct Connect graph, one module per resource kind."""

from gql.types.bgp_peer import BgpPeer
from gql.types.connection import DxConnection
from gql.types.direct_connect_gateway import DirectConnectGateway
from gql.types.direct_connect_gateway_association import DirectConnectGatewayAssociation
from gql.types.direct_connect_gateway_attachment import DirectConnectGatewayAttachment
from gql.types.interconnect import Interconnect
from gql.types.lag import Lag
from gql.types.loa import Loa
from gql.types.location import Location
from gql.types.tag import Tag, TagFilter
from gql.types.unions import ConnectionParent, VirtualInterfaceHost
from gql.types.virtual_gateway import VirtualGateway
from gql.types.virtual_interface import RouteFilterPrefix, VirtualInterface

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

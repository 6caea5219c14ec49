"""GraphiQL for people: strawberry's page, preloaded with example operations on the graph."""

from __future__ import annotations

import json
import re

from strawberry.http.ides import get_graphql_ide_html

TOPOLOGY_QUERY = """# The whole network in one request: LAGs -> connections -> VIFs -> BGP peers
# -> Direct Connect gateways -> associated VGWs, with locations and tags.
query Topology {
  regions
  lags {
    lagId lagName lagState connectionsBandwidth minimumLinks
    location { locationCode locationName }
    tags { key value }
    connections { connectionId connectionName connectionState bandwidth }
    virtualInterfaces { ...Vif }
  }
  connections {
    connectionId connectionName connectionState bandwidth partnerName
    location { locationCode locationName }
    tags { key value }
    virtualInterfaces { ...Vif }
  }
}

fragment Vif on VirtualInterface {
  virtualInterfaceId virtualInterfaceName virtualInterfaceType virtualInterfaceState
  vlan asn amazonSideAsn mtu
  bgpPeers { bgpPeerId addressFamily asn bgpPeerState bgpStatus customerAddress amazonAddress }
  virtualGateway { virtualGatewayId virtualGatewayState }
  directConnectGateway {
    directConnectGatewayId directConnectGatewayName amazonSideAsn
    associations { edges { node { virtualGatewayId virtualGatewayRegion associationState } } }
  }
  tags { key value }
}
"""

GATEWAYS_QUERY = """# Direct Connect gateways are global: associations, attachments and tags.
query Gateways {
  directConnectGateways(first: 10) {
    edges {
      node {
        directConnectGatewayId directConnectGatewayName amazonSideAsn directConnectGatewayState
        tags { key value }
        virtualGateways { virtualGatewayId region }
        virtualInterfaces { virtualInterfaceId virtualInterfaceName region }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}
"""

LOCATIONS_QUERY = """# Where can I connect? Locations per region, with what terminates there.
query Locations {
  locations(region: "us-east-1") {
    locationCode locationName
    connections { connectionId connectionName }
    lags { lagId lagName }
  }
}
"""

EXAMPLE_TABS = [
    {"query": TOPOLOGY_QUERY},
    {"query": GATEWAYS_QUERY},
    {"query": LOCATIONS_QUERY},
]


def graphiql_html() -> str:
    """Strawberry's GraphiQL page with our example operations as its tabs."""
    html = get_graphql_ide_html(graphql_ide="graphiql")
    html = re.sub(
        r"const EXAMPLE_QUERY = `.*?`;",
        lambda _: "const EXAMPLE_QUERY = " + json.dumps(TOPOLOGY_QUERY) + ";",
        html,
        count=1,
        flags=re.DOTALL,
    )
    return html.replace(
        "defaultEditorToolsVisibility: true,",
        "defaultEditorToolsVisibility: true,\n          defaultTabs: "
        + json.dumps(EXAMPLE_TABS)
        + ",",
        1,
    )

"""GraphiQL for people: the page served at `GET /graphql`, preloaded with example operations.

* **Example tabs**: the whole topology, the (global) Direct Connect gateways, locations, a
  provisioning flow (createDirectConnectGateway, then createPrivateVirtualInterface, with
  variables) and how to confirm a hosted connection a partner allocated to you.
* **Credentials**: open the page once as `/graphql?apiKey=<key>` (or `#apiKey=<key>`, which never
  reaches the server): the key is kept in this browser's `localStorage`, removed from the address
  bar, and sent as `X-API-Key` with every request (`?apiKey=` with nothing after it forgets it).
  When the gateway has API keys configured, the header editor is prefilled with
  `{"X-API-Key": "<your key>"}`: type the key there instead; the placeholder itself is never sent.
* **Deep links**: `?q=<query>` (and `&variables=<json>`) opens a tab with that operation;
  `&autorun=1` runs it once the page has loaded — only when the document holds exactly one
  operation and it is a query, so a link can never make someone's browser run a mutation.
* **Assets**: React, GraphiQL and the explorer plugin are vendored in `gql/http/static/graphiql/`
  (the npm releases, byte for byte: every file is checked against its Subresource Integrity
  hash). When that folder is present the page loads them from `/graphiql-assets/…` and works
  offline; without it, from unpkg.com with the same integrity hashes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from gql.settings import Settings

STATIC_DIR = Path(__file__).resolve().parent / "static" / "graphiql"
ASSETS_PATH = "/graphiql-assets"
API_KEY_HEADER = "X-API-Key"
API_KEY_PLACEHOLDER = "<your key>"
TOKEN_PLACEHOLDER = "Bearer <your token>"


@dataclass(frozen=True)
class Asset:
    """One vendored file: where it lives here, where npm/unpkg has it, and its SRI hash."""

    name: str
    package: str
    path: str
    integrity: str

    @property
    def cdn_url(self) -> str:
        return f"https://unpkg.com/{self.package}/{self.path}"


# The versions strawberry's own GraphiQL page uses; the hashes are those of the npm tarballs.
REACT = Asset(
    "react.production.min.js",
    "react@18.2.0",
    "umd/react.production.min.js",
    "sha384-tMH8h3BGESGckSAVGZ82T9n90ztNXxvdwvdM6UoR56cYcf+0iGXBliJ29D+wZ/x8",
)
REACT_DOM = Asset(
    "react-dom.production.min.js",
    "react-dom@18.2.0",
    "umd/react-dom.production.min.js",
    "sha384-bm7MnzvK++ykSwVJ2tynSE5TRdN+xL418osEVF2DE/L/gfWHj91J2Sphe582B1Bh",
)
GRAPHIQL_JS = Asset(
    "graphiql.min.js",
    "graphiql@3.8.3",
    "graphiql.min.js",
    "sha384-HbRVEFG0JGJZeAHCJ9Xm2+tpknBQ7QZmNlO/DgZtkZ0aJSypT96YYGRNod99l9Ie",
)
GRAPHIQL_CSS = Asset(
    "graphiql.min.css",
    "graphiql@3.8.3",
    "graphiql.min.css",
    "sha384-Mq3vbRBY71jfjQAt/DcjxUIYY33ksal4cgdRt9U/hNPvHBCaT2JfJ/PTRiPKf0aM",
)
EXPLORER_JS = Asset(
    "plugin-explorer.umd.js",
    "@graphiql/plugin-explorer@1.0.2",
    "dist/index.umd.js",
    "sha384-2oonKe47vfHIZnmB6ZZ10vl7T0Y+qrHQF2cmNTaFDuPshpKqpUMGMc9jgj9MLDZ9",
)
EXPLORER_CSS = Asset(
    "plugin-explorer.css",
    "@graphiql/plugin-explorer@1.0.2",
    "dist/style.css",
    "sha384-5DFJlDPW2tSATRbM8kzoP1j194jexLswuNmClWoRr2Q0x7R68JIQzPHZ02Faktwi",
)
ASSETS = (REACT, REACT_DOM, GRAPHIQL_JS, GRAPHIQL_CSS, EXPLORER_JS, EXPLORER_CSS)

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

PROVISIONING_OPERATIONS = """# Provisioning: a Direct Connect gateway, then a private virtual
# interface to it.
# This tab holds three operations: put the cursor in one and press Ctrl-Enter (or pick it
# from the run button's menu).
#  1. CreateGateway creates the gateway: copy its directConnectGatewayId into the variables
#     (it is PENDING for a moment: the interface needs it AVAILABLE, see the Gateways tab).
#  2. Connections lists where the interface can go: copy a connectionId (dxcon-… or a LAG's
#     dxlag-…) into the variables and choose a VLAN its interfaces do not use yet.
#  3. CreatePrivateVif creates the interface and its IPv4 BGP peer (Amazon assigns the
#     169.254.x.x/30 peer addresses when you give none).
# Every input is checked before anything is sent to AWS. Add an "Idempotency-Key" header to
# make a retry safe: the same key and input return the first answer and call AWS once.
mutation CreateGateway($gateway: CreateDirectConnectGatewayInput!) {
  createDirectConnectGateway(input: $gateway) {
    directConnectGateway {
      directConnectGatewayId directConnectGatewayName amazonSideAsn directConnectGatewayState
    }
  }
}

query Connections {
  connections(states: [AVAILABLE]) {
    connectionId connectionName bandwidth region
    location { locationCode }
    virtualInterfaces { vlan }
  }
  lags(states: [AVAILABLE]) {
    lagId lagName connectionsBandwidth region
    virtualInterfaces { vlan }
  }
}

mutation CreatePrivateVif($vif: CreatePrivateVirtualInterfaceInput!) {
  createPrivateVirtualInterface(input: $vif) {
    virtualInterface {
      virtualInterfaceId virtualInterfaceName virtualInterfaceState vlan asn mtu region
      bgpPeers { addressFamily asn bgpPeerState customerAddress amazonAddress }
      directConnectGateway { directConnectGatewayName amazonSideAsn }
    }
  }
}
"""

PROVISIONING_VARIABLES = {
    "gateway": {"directConnectGatewayName": "edge-dxgw", "amazonSideAsn": 64513},
    "vif": {
        "connectionId": "dxcon-… (from Connections)",
        "region": "us-east-1",
        "newPrivateVirtualInterface": {
            "virtualInterfaceName": "edge-vif",
            "vlan": 110,
            "asn": 65020,
            "mtu": 9001,
            "addressFamily": "IPV4",
            "directConnectGatewayId": "… (from CreateGateway)",
        },
    },
}

CONFIRM_HOSTED_CONNECTION = """# A partner allocated a hosted connection to your account: it waits
# in ORDERING until you accept it (billing starts then), and goes
# ORDERING -> PENDING -> AVAILABLE.
#  1. Run HostedConnectionsToConfirm (cursor in it, Ctrl-Enter).
#  2. Copy a connectionId and its region into the variables.
#  3. Run ConfirmHostedConnection. (To refuse one instead: deleteConnection.)
query HostedConnectionsToConfirm {
  connections(states: [ORDERING]) {
    connectionId connectionName connectionState bandwidth vlan region
    partnerName ownerAccount
    location { locationCode locationName }
  }
}

mutation ConfirmHostedConnection($connectionId: String!, $region: String) {
  confirmConnection(input: {connectionId: $connectionId, region: $region}) {
    connectionState
    connection { connectionId connectionName connectionState bandwidth vlan partnerName }
  }
}
"""

CONFIRM_VARIABLES = {
    "connectionId": "dxcon-… (from HostedConnectionsToConfirm)",
    "region": "us-east-1",
}


def _variables(value: Mapping[str, object]) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


EXAMPLE_TABS: list[dict[str, str]] = [
    {"query": TOPOLOGY_QUERY},
    {"query": GATEWAYS_QUERY},
    {"query": LOCATIONS_QUERY},
    {"query": PROVISIONING_OPERATIONS, "variables": _variables(PROVISIONING_VARIABLES)},
    {"query": CONFIRM_HOSTED_CONNECTION, "variables": _variables(CONFIRM_VARIABLES)},
]


def local_assets_available(folder: Path = STATIC_DIR) -> bool:
    """Whether every vendored file is present (then the page works without the internet)."""
    return all((folder / asset.name).is_file() for asset in ASSETS)


def install_graphiql_assets(app: FastAPI, folder: Path = STATIC_DIR) -> None:
    """Serves the vendored GraphiQL files at `/graphiql-assets/` when they are present."""
    if local_assets_available(folder):
        app.mount(ASSETS_PATH, StaticFiles(directory=folder), name="graphiql-assets")


def headers_template(settings: Settings | None) -> str | None:
    """What the header editor starts with: a placeholder for the credential the gateway wants."""
    if settings is None:
        return None
    if settings.api_keys:
        return json.dumps({API_KEY_HEADER: API_KEY_PLACEHOLDER}, indent=2)
    if settings.auth_configured:
        return json.dumps({"Authorization": TOKEN_PLACEHOLDER}, indent=2)
    return None


def page_config(settings: Settings | None = None) -> dict[str, object]:
    """The JSON the page's script reads: example tabs and how to send credentials."""
    template = headers_template(settings)
    tabs = [dict(tab, headers=template) if template else dict(tab) for tab in EXAMPLE_TABS]
    return {
        "tabs": tabs,
        "headersTemplate": template,
        "apiKeyHeader": API_KEY_HEADER,
        "placeholders": [API_KEY_PLACEHOLDER, TOKEN_PLACEHOLDER],
    }


def _script_json(value: object) -> str:
    """JSON that is safe inside a <script> element (no `</script>`, no `<!--`)."""
    return (
        json.dumps(value, ensure_ascii=False)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )


def _asset_tag(asset: Asset, local: bool) -> str:
    if local:
        src = f"{ASSETS_PATH}/{asset.name}"
        attrs = f'integrity="{asset.integrity}"'
    else:
        src = asset.cdn_url
        attrs = f'integrity="{asset.integrity}" crossorigin="anonymous"'
    if asset.name.endswith(".css"):
        return f'<link rel="stylesheet" href="{src}" {attrs} />'
    return f'<script src="{src}" {attrs}></script>'


# The page's own logic, free of the DOM and of React so that tests can run it under Node.
PAGE_LOGIC = r"""
var DXGRAPH_STORAGE_KEY = "dxgraph:apiKey";

/* The API key for this page: `?apiKey=` or `#apiKey=` (then saved in `storage` and removed from
   the address: `cleanUrl`), else the key saved before. An empty `apiKey=` forgets the key. */
function dxgraphReadApiKey(location, storage) {
  var search = new URLSearchParams(location.search);
  var hash = new URLSearchParams(String(location.hash || "").replace(/^#/, ""));
  var given = search.has("apiKey") ? search.get("apiKey")
    : hash.has("apiKey") ? hash.get("apiKey") : null;
  if (given === null) {
    var saved = null;
    try { saved = storage.getItem(DXGRAPH_STORAGE_KEY); } catch (err) { saved = null; }
    return { apiKey: saved || null, cleanUrl: null };
  }
  search.delete("apiKey");
  hash.delete("apiKey");
  try {
    if (given) { storage.setItem(DXGRAPH_STORAGE_KEY, given); }
    else { storage.removeItem(DXGRAPH_STORAGE_KEY); }
  } catch (err) { /* storage disabled: the key lasts as long as the page */ }
  var rest = search.toString(), fragment = hash.toString();
  return {
    apiKey: given || null,
    cleanUrl: location.pathname + (rest ? "?" + rest : "") + (fragment ? "#" + fragment : ""),
  };
}

/* The headers of one request: the page's API key as `X-API-Key`, then the header editor's
   headers on top (a header the editor sets replaces the page's, whatever its case), except
   values still holding a placeholder such as "<your key>", which are never sent. */
function dxgraphRequestHeaders(apiKey, editorHeaders, config) {
  var headers = {};
  if (apiKey) { headers[config.apiKeyHeader] = apiKey; }
  var given = editorHeaders || {};
  Object.keys(given).forEach(function (name) {
    var value = given[name];
    if (typeof value === "string" && config.placeholders.some(function (p) {
      return value.indexOf(p) >= 0;
    })) { return; }
    Object.keys(headers).forEach(function (have) {
      if (have.toLowerCase() === name.toLowerCase()) { delete headers[have]; }
    });
    headers[name] = value;
  });
  return headers;
}

/* Whether a link may run its document on load: exactly one operation, and a query. */
function dxgraphCanAutorun(documentAst) {
  var operations = (documentAst.definitions || []).filter(function (definition) {
    return typeof definition.operation === "string";
  });
  return operations.length === 1 && operations[0].operation === "query";
}
"""

PAGE_SCRIPT = r"""
(function () {
  var e = React.createElement;
  var config = JSON.parse(document.getElementById("dxgraph-config").textContent);
  var storage = null;
  try { storage = window.localStorage; } catch (err) { storage = null; }
  var read = dxgraphReadApiKey(window.location, storage || {
    getItem: function () { return null; }, setItem: function () {}, removeItem: function () {},
  });
  if (read.cleanUrl !== null) { window.history.replaceState(null, "", read.cleanUrl); }

  var params = new URLSearchParams(window.location.search);
  var linkedQuery = params.get("q");
  var linkedVariables = params.get("variables");
  var autorun = ["1", "true", "yes"].indexOf(String(params.get("autorun")).toLowerCase()) >= 0;

  var baseFetcher = GraphiQL.createFetcher({
    url: window.location.origin + window.location.pathname,
  });
  function fetcher(graphQLParams, options) {
    var headers = dxgraphRequestHeaders(read.apiKey, options && options.headers, config);
    return baseFetcher(graphQLParams, Object.assign({}, options, { headers: headers }));
  }

  var tabs = config.tabs.slice();
  if (linkedQuery) {
    tabs.unshift({
      query: linkedQuery, variables: linkedVariables, headers: config.headersTemplate,
    });
  }

  // Runs the linked query once the editors exist (a component inside GraphiQL's providers).
  function AutoRun() {
    var editors = GraphiQL.React.useEditorContext({ nonNull: true });
    var execution = GraphiQL.React.useExecutionContext({ nonNull: true });
    var started = React.useRef(false);
    React.useEffect(function () {
      if (!autorun || started.current) { return; }
      if (!editors.queryEditor || !editors.responseEditor) { return; }
      started.current = true;
      var ast = null;
      try {
        ast = GraphiQL.GraphQL.parse(editors.queryEditor.getValue());
      } catch (err) {
        ast = null;
      }
      if (ast && dxgraphCanAutorun(ast)) { execution.run(); }
    });
    return null;
  }

  var explorer = GraphiQLPluginExplorer.explorerPlugin();
  var props = {
    fetcher: fetcher,
    defaultTabs: tabs,
    defaultEditorToolsVisibility: true,
    plugins: [explorer],
    inputValueDeprecation: true,
    isHeadersEditorEnabled: true,
    shouldPersistHeaders: false,
    toolbar: { additionalComponent: AutoRun },
  };
  if (config.headersTemplate) { props.defaultHeaders = config.headersTemplate; }
  if (linkedQuery) {
    props.query = linkedQuery;
    if (linkedVariables) { props.variables = linkedVariables; }
  }
  ReactDOM.createRoot(document.getElementById("graphiql")).render(e(GraphiQL, props));
})();
"""

PAGE = """<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>dxgraph · GraphiQL</title>
    <link rel="icon" href="data:," />
    <style>
      body { height: 100%; margin: 0; width: 100%; overflow: hidden; }
      #graphiql { height: 100vh; display: flex; }
    </style>
    {{styles}}
  </head>
  <body>
    <div id="graphiql" class="graphiql-container">Loading GraphiQL…</div>
    {{scripts}}
    <script id="dxgraph-config" type="application/json">{{config}}</script>
    <script>{{logic}}</script>
    <script>{{script}}</script>
  </body>
</html>
"""


def graphiql_html(settings: Settings | None = None, assets_dir: Path = STATIC_DIR) -> str:
    """The GraphiQL page: example tabs, and the header editor prefilled when auth is configured.

    The assets come from `/graphiql-assets/` when `assets_dir` holds them all, else from unpkg.
    """
    local = local_assets_available(assets_dir)
    styles = "\n    ".join(
        _asset_tag(asset, local) for asset in ASSETS if asset.name.endswith(".css")
    )
    scripts = "\n    ".join(
        _asset_tag(asset, local) for asset in ASSETS if asset.name.endswith(".js")
    )
    return (
        PAGE.replace("{{styles}}", styles)
        .replace("{{scripts}}", scripts)
        .replace("{{config}}", _script_json(page_config(settings)))
        .replace("{{logic}}", PAGE_LOGIC)
        .replace("{{script}}", PAGE_SCRIPT)
    )

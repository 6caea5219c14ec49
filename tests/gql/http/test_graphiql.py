"""GraphiQL at `/graphql`: example tabs that work, credentials in headers, vendored assets."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from graphql import parse, validate
from graphql.utilities import ast_to_dict
from pydantic import SecretStr

from gql.engine.schema import build_schema
from gql.http.graphiql import (
    API_KEY_PLACEHOLDER,
    ASSETS,
    ASSETS_PATH,
    STATIC_DIR,
    graphiql_html,
    local_assets_available,
)
from gql.http.server import GatewayServer
from gql.settings import ApiKey, Settings
from tests.conftest import CUSTOMER

HTML = {"Accept": "text/html"}
READ_KEY = "graphiql-test-read-key"


def page(url: str) -> str:
    response = httpx.get(f"{url}/graphql", headers=HTML, timeout=10)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    return response.text


def config_of(html: str) -> dict[str, Any]:
    match = re.search(r'<script id="dxgraph-config" type="application/json">(.*?)</script>', html)
    assert match, "the page carries no dxgraph-config"
    config: dict[str, Any] = json.loads(match.group(1))
    return config


def tab(config: dict[str, Any], operation: str) -> dict[str, Any]:
    found: list[dict[str, Any]] = [t for t in config["tabs"] if operation in t["query"]]
    assert len(found) == 1, operation
    return found[0]


def run(url: str, document: str, operation: str, variables: dict[str, Any]) -> dict[str, Any]:
    """Runs one operation of a tab's document, as GraphiQL sends it."""
    response = httpx.post(
        f"{url}/graphql",
        json={"query": document, "operationName": operation, "variables": variables},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body["errors"]
    data: dict[str, Any] = body["data"]
    return data


@pytest.fixture
def keyed_gateway(gateway_settings: Settings) -> Iterator[GatewayServer]:
    digest = hashlib.sha256(READ_KEY.encode()).hexdigest()
    settings = gateway_settings.model_copy(update={"api_keys": [ApiKey(name="ops", sha256=digest)]})
    with GatewayServer(settings) as server:
        yield server


def test_graphql_page_is_graphiql_with_the_five_example_tabs(gateway: GatewayServer) -> None:
    html = page(gateway.url)
    assert "graphiql.min.js" in html
    queries = [t["query"] for t in config_of(html)["tabs"]]
    assert [re.search(r"^(query|mutation) (\w+)", q, re.M).group(2) for q in queries] == [  # type: ignore[union-attr]
        "Topology",
        "Gateways",
        "Locations",
        "CreateGateway",
        "HostedConnectionsToConfirm",
    ]
    assert "createDirectConnectGateway" in queries[3]
    assert "createPrivateVirtualInterface" in queries[3]
    assert "confirmConnection" in queries[4]


def test_every_example_operation_is_valid_against_the_schema(gateway: GatewayServer) -> None:
    for example in config_of(page(gateway.url))["tabs"]:
        assert validate(build_schema()._schema, parse(example["query"])) == [], example["query"][
            :60
        ]
        if "variables" in example:
            json.loads(example["variables"])


def test_example_queries_run_without_errors(gateway: GatewayServer, dx: Any) -> None:
    dx.create_connection(location="EqDC2", bandwidth="1Gbps", connectionName="primary")
    config = config_of(page(gateway.url))
    for operation in ("Topology", "Gateways", "Locations"):
        document = tab(config, f"query {operation}")["query"]
        assert run(gateway.url, document, operation, {})
    topology = run(gateway.url, tab(config, "query Topology")["query"], "Topology", {})
    assert [c["connectionName"] for c in topology["connections"]] == ["primary"]


def test_provisioning_tab_creates_a_gateway_then_a_private_vif_to_it(
    gateway: GatewayServer, dx: Any
) -> None:
    dx.create_connection(location="EqDC2", bandwidth="1Gbps", connectionName="primary")
    example = tab(config_of(page(gateway.url)), "mutation CreateGateway")
    document, variables = example["query"], json.loads(example["variables"])

    created = run(gateway.url, document, "CreateGateway", variables)
    gateway_id = created["createDirectConnectGateway"]["directConnectGateway"][
        "directConnectGatewayId"
    ]
    connections = run(gateway.url, document, "Connections", variables)["connections"]
    assert [c["connectionName"] for c in connections] == ["primary"]

    # what the tab's comments tell a person to do: paste the two IDs into the variables
    variables["vif"]["connectionId"] = connections[0]["connectionId"]
    variables["vif"]["newPrivateVirtualInterface"]["directConnectGatewayId"] = gateway_id
    vif = run(gateway.url, document, "CreatePrivateVif", variables)[
        "createPrivateVirtualInterface"
    ]["virtualInterface"]
    assert vif["virtualInterfaceName"] == "edge-vif"
    assert vif["vlan"] == 110
    assert vif["directConnectGateway"]["directConnectGatewayName"] == "edge-dxgw"
    assert [p["addressFamily"] for p in vif["bgpPeers"]] == ["IPV4"]


def test_confirm_tab_lists_and_confirms_a_hosted_connection(
    gateway: GatewayServer, dx_partner: Any
) -> None:
    interconnect = dx_partner.create_interconnect(
        interconnectName="ic", bandwidth="10Gbps", location="EqDC2"
    )["interconnectId"]
    hosted = dx_partner.allocate_hosted_connection(
        connectionId=interconnect,
        ownerAccount=CUSTOMER,
        bandwidth="500Mbps",
        connectionName="from-partner",
        vlan=301,
    )["connectionId"]
    example = tab(config_of(page(gateway.url)), "mutation ConfirmHostedConnection")
    document, variables = example["query"], json.loads(example["variables"])

    waiting = run(gateway.url, document, "HostedConnectionsToConfirm", variables)["connections"]
    assert [(c["connectionId"], c["connectionState"]) for c in waiting] == [(hosted, "ORDERING")]

    variables["connectionId"] = hosted
    confirmed = run(gateway.url, document, "ConfirmHostedConnection", variables)
    assert confirmed["confirmConnection"]["connectionState"] == "PENDING"
    assert confirmed["confirmConnection"]["connection"]["connectionName"] == "from-partner"


def test_header_editor_is_prefilled_with_the_api_key_placeholder_when_keys_are_configured(
    keyed_gateway: GatewayServer,
) -> None:
    config = config_of(page(keyed_gateway.url))
    assert json.loads(config["headersTemplate"]) == {"X-API-Key": API_KEY_PLACEHOLDER}
    assert all(json.loads(t["headers"]) == {"X-API-Key": "<your key>"} for t in config["tabs"])
    assert "<your key>" in config["placeholders"]


def test_header_editor_starts_empty_when_no_auth_is_configured(gateway: GatewayServer) -> None:
    config = config_of(page(gateway.url))
    assert config["headersTemplate"] is None
    assert all("headers" not in t for t in config["tabs"])


def test_header_editor_is_prefilled_with_a_bearer_placeholder_when_only_jwt_is_configured() -> None:
    html = graphiql_html(Settings(jwt_public_key=SecretStr("a-shared-secret-of-enough-length")))
    assert json.loads(config_of(html)["headersTemplate"]) == {
        "Authorization": "Bearer <your token>"
    }


def test_graphiql_page_and_assets_load_without_credentials_when_keys_are_configured(
    keyed_gateway: GatewayServer,
) -> None:
    assert "graphiql" in page(keyed_gateway.url).lower()
    response = httpx.get(f"{keyed_gateway.url}{ASSETS_PATH}/graphiql.min.js", timeout=10)
    assert response.status_code == 200
    refused = httpx.post(f"{keyed_gateway.url}/graphql", json={"query": "{ regions }"})
    assert refused.status_code == 401


def _run_page_logic(html: str, checks: str) -> Any:
    """Runs the page's own script (the part free of DOM and React) under Node."""
    node = shutil.which("node")
    assert node, "Node.js is part of this machine kind; the page logic is tested with it"
    scripts = re.findall(r"<script>(.*?)</script>", html, re.S)
    logic = next(s for s in scripts if "function dxgraphReadApiKey" in s)
    program = (
        logic
        + """
function memoryStorage(initial) {
  var items = Object.assign({}, initial);
  return {
    items: items,
    getItem: function (k) { return k in items ? items[k] : null; },
    setItem: function (k, v) { items[k] = String(v); },
    removeItem: function (k) { delete items[k]; },
  };
}
function at(url) {
  var u = new URL(url);
  return { pathname: u.pathname, search: u.search, hash: u.hash };
}
"""
        + checks
    )
    done = subprocess.run(
        [node, "-e", program], capture_output=True, text=True, timeout=20, check=False
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_page_takes_the_api_key_from_the_url_keeps_it_and_sends_it_as_x_api_key(
    keyed_gateway: GatewayServer,
) -> None:
    html = page(keyed_gateway.url)
    result = _run_page_logic(
        html,
        """
var config = JSON.parse(__CONFIG__);
var storage = memoryStorage({});
var first = dxgraphReadApiKey(at("http://gw/graphql?apiKey=k-123&autorun=1#x=1"), storage);
var later = dxgraphReadApiKey(at("http://gw/graphql"), storage);
var fromHash = dxgraphReadApiKey(at("http://gw/graphql#apiKey=k-hash"), memoryStorage({}));
var forgetting = memoryStorage({"dxgraph:apiKey": "old"});
var forgot = dxgraphReadApiKey(at("http://gw/graphql?apiKey="), forgetting);
var template = JSON.parse(config.headersTemplate);
console.log(JSON.stringify({
  first: first, stored: storage.items, later: later, fromHash: fromHash,
  forgot: forgot, forgotStore: forgetting.items,
  withTemplate: dxgraphRequestHeaders(later.apiKey, template, config),
  noKeyTemplate: dxgraphRequestHeaders(null, template, config),
  typed: dxgraphRequestHeaders(
    later.apiKey, {"x-api-key": "typed", "Idempotency-Key": "i1"}, config),
}));
""".replace("__CONFIG__", json.dumps(json.dumps(config_of(html)))),
    )
    assert result["first"] == {"apiKey": "k-123", "cleanUrl": "/graphql?autorun=1#x=1"}
    assert result["stored"] == {"dxgraph:apiKey": "k-123"}
    assert result["later"] == {"apiKey": "k-123", "cleanUrl": None}
    assert result["fromHash"] == {"apiKey": "k-hash", "cleanUrl": "/graphql"}
    assert result["forgot"] == {"apiKey": None, "cleanUrl": "/graphql"}
    assert result["forgotStore"] == {}
    # the placeholder in the header editor is never sent; the page's key is
    assert result["withTemplate"] == {"X-API-Key": "k-123"}
    assert result["noKeyTemplate"] == {}
    # a key typed into the header editor wins, whatever its case
    assert result["typed"] == {"x-api-key": "typed", "Idempotency-Key": "i1"}


def test_autorun_runs_a_single_query_and_never_a_mutation(gateway: GatewayServer) -> None:
    documents = {
        "query": "query Q { regions }",
        "queryWithFragment": "query Q { lags { ...L } } fragment L on Lag { lagId }",
        "mutation": 'mutation { deleteLag(input: {lagId: "dxlag-ffrz71kw"}) { lagState } }',
        "two": "query A { regions } query B { regions }",
    }
    asts = {name: ast_to_dict(parse(doc)) for name, doc in documents.items()}
    result = _run_page_logic(
        page(gateway.url),
        "var asts = " + json.dumps(asts) + "; var out = {};"
        " Object.keys(asts).forEach(function (k) { out[k] = dxgraphCanAutorun(asts[k]); });"
        " console.log(JSON.stringify(out));",
    )
    assert result == {"query": True, "queryWithFragment": True, "mutation": False, "two": False}


def test_graphiql_disabled_serves_no_ide_at_graphql(gateway_settings: Settings) -> None:
    with GatewayServer(gateway_settings.model_copy(update={"graphiql": False})) as server:
        response = httpx.get(f"{server.url}/graphql", headers=HTML, timeout=10)
        assert "graphiql" not in response.text.lower()
        assert not response.headers.get("content-type", "").startswith("text/html")
        assert httpx.get(f"{server.url}{ASSETS_PATH}/graphiql.min.js").status_code == 404
        body = httpx.post(f"{server.url}/graphql", json={"query": "{ regions }"}).json()
        assert body["data"]["regions"] == ["us-east-1", "us-west-2"]


def test_vendored_assets_are_served_and_are_the_npm_releases_byte_for_byte(
    gateway: GatewayServer,
) -> None:
    assert local_assets_available()
    html = page(gateway.url)
    for asset in ASSETS:
        assert f'"{ASSETS_PATH}/{asset.name}" integrity="{asset.integrity}"' in html
        response = httpx.get(f"{gateway.url}{ASSETS_PATH}/{asset.name}", timeout=10)
        assert response.status_code == 200
        digest = base64.b64encode(hashlib.sha384(response.content).digest()).decode()
        assert f"sha384-{digest}" == asset.integrity, asset.name
        assert (STATIC_DIR / asset.name).read_bytes() == response.content
    assert "unpkg.com" not in html


def test_page_loads_the_assets_from_unpkg_with_integrity_when_none_are_vendored(
    tmp_path: Path,
) -> None:
    assert not local_assets_available(tmp_path)
    html = graphiql_html(Settings(), assets_dir=tmp_path)
    for asset in ASSETS:
        assert (
            f'"https://unpkg.com/{asset.package}/{asset.path}" '
            f'integrity="{asset.integrity}" crossorigin="anonymous"'
        ) in html
    assert ASSETS_PATH not in html

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
* **The page itself** is in the same folder: the HTML template (`page.html`), the page's logic
  free of the DOM and React (`page-logic.js`, which the tests run under Node), the script that
  mounts GraphiQL (`page.js`) and the example operations (`examples/<name>.graphql`, variables
  in `examples/<name>.json`). They are read once, on first use; this module fills the template
  with the asset tags and the JSON config. (Being in that folder, they are also served under
  `/graphiql-assets/`, like the vendored files: nothing in them is private.)
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from gql.settings import Settings

STATIC_DIR = Path(__file__).resolve().parent / "static" / "graphiql"
ASSETS_PATH = "/graphiql-assets"
API_KEY_HEADER = "X-API-Key"
API_KEY_PLACEHOLDER = "<your key>"
TOKEN_PLACEHOLDER = "Bearer <your token>"
_PLACEHOLDER = re.compile(r"\{\{(styles|scripts|config|logic|script)\}\}")


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

PAGE_DIR = STATIC_DIR
"""The page's own files (`page.html`, `page-logic.js`, `page.js`, `examples/`): always the
package's, whatever folder the vendored assets are served from."""
EXAMPLES = ("topology", "gateways", "locations", "provisioning", "confirm-hosted-connection")
"""The example tabs, in order: `examples/<name>.graphql`, with `examples/<name>.json` as its
variables when there is one."""


@cache
def _page_file(name: str) -> str:
    return (PAGE_DIR / name).read_text(encoding="utf-8")


@cache
def example_tabs() -> tuple[Mapping[str, str], ...]:
    """The example tabs as the page's config carries them (read once)."""
    tabs: list[Mapping[str, str]] = []
    for name in EXAMPLES:
        tab = {"query": _page_file(f"examples/{name}.graphql")}
        variables = PAGE_DIR / "examples" / f"{name}.json"
        if variables.is_file():
            value = json.loads(variables.read_text(encoding="utf-8"))
            tab["variables"] = json.dumps(value, indent=2, ensure_ascii=False)
        tabs.append(tab)
    return tuple(tabs)


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
    tabs = [dict(tab, headers=template) if template else dict(tab) for tab in example_tabs()]
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
    parts = {
        "styles": styles,
        "scripts": scripts,
        "config": _script_json(page_config(settings)),
        "logic": _page_file("page-logic.js"),
        "script": _page_file("page.js"),
    }
    return _PLACEHOLDER.sub(lambda m: parts[m.group(1)], _page_file("page.html"))

"""GraphiQL in a real headless browser (Debian's chromium, installed by `make test` / `.ci/run`):
the page renders offline from the vendored assets, with its example tabs and the first query."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from gql.http.server import GatewayServer


def rendered(url: str, profile: Path) -> str:
    """The page's DOM once its scripts have run (chromium's virtual time lets them finish
    without a wall-clock wait: it advances only when the page is idle)."""
    chromium = shutil.which("chromium")
    assert chromium, "chromium is installed by `make test` and `.ci/run` (Debian's package)"
    done = subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            f"--user-data-dir={profile}",
            "--virtual-time-budget=30000",
            "--dump-dom",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_graphiql_renders_its_example_tabs_and_the_topology_query(
    gateway: GatewayServer, tmp_path: Path
) -> None:
    dom = rendered(f"{gateway.url}/graphql", tmp_path)
    assert 'class="graphiql-container"' in dom
    for tab in ("Topology", "Gateways", "Locations", "CreateGateway", "HostedConnectionsToConfirm"):
        assert f">{tab}<" in dom, tab
    # the first tab's query, highlighted by the editor (CodeMirror's spans)
    assert 'class="cm-def">Topology</span>' in dom
    assert 'class="cm-property">lagName</span>' in dom

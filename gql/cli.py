"""The `dxgraph` command: `serve` the gateway, run the simulator (`sim`), `export-schema`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any


def _serve(args: argparse.Namespace) -> int:
    import uvicorn
    from pydantic import ValidationError

    from gql.http.auth import startup_refusal
    from gql.settings import Settings

    overrides: dict[str, Any] = {}
    if args.host:
        overrides["host"] = args.host
    if args.port is not None:
        overrides["port"] = args.port
    if args.dx_endpoint:
        overrides["dx_endpoint"] = args.dx_endpoint
    if args.regions:
        overrides["regions"] = args.regions
    if args.upstream:
        overrides["upstream"] = args.upstream
    if args.insecure:
        overrides["insecure"] = True
    try:
        settings = Settings(**overrides)
    except ValidationError as err:
        print(f"dxgraph: invalid settings:\n{err}", file=sys.stderr)
        return 2
    refusal = startup_refusal(settings)
    if refusal is not None:
        print(refusal, file=sys.stderr)
        return 2
    from gql.http.app import create_app
    from gql.http.logs import configure_logging

    configure_logging(settings)
    print(
        f"dxgraph: GraphQL gateway (and GraphiQL) on http://{settings.host}:{settings.port}/graphql"
        f" - upstream={settings.upstream}, regions={','.join(settings.regions)}",
        flush=True,
    )
    try:
        app = create_app(settings)
    except ValueError as err:  # e.g. JWT settings that cannot work
        print(f"dxgraph: invalid settings: {err}", file=sys.stderr)
        return 2
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning", log_config=None)
    return 0


def _export_schema(args: argparse.Namespace) -> int:
    from gql.engine.schema import build_schema

    sys.stdout.write(build_schema().as_str() + "\n")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="dxgraph", description="GraphQL gateway over AWS Direct Connect."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the GraphQL gateway")
    serve.add_argument("--host", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default 8000)")
    serve.add_argument("--dx-endpoint", help="a Direct Connect-compatible endpoint URL")
    serve.add_argument("--regions", help="comma-separated regions to serve")
    serve.add_argument(
        "--upstream",
        choices=("sim", "endpoint", "aws"),
        help="embedded simulator (default), an endpoint, or real AWS",
    )
    serve.add_argument(
        "--insecure",
        action="store_true",
        help="allow a non-loopback address with no authentication configured (DXGRAPH_INSECURE)",
    )

    sim = sub.add_parser("sim", help="run the Direct Connect simulator (dxsim)")
    from dxsim.cli import add_arguments
    from dxsim.cli import run as run_sim

    add_arguments(sim)
    sub.add_parser("export-schema", help="print the GraphQL schema (SDL)")

    args = parser.parse_args(argv)
    if args.command == "serve":
        return _serve(args)
    if args.command == "sim":
        return run_sim(args)
    return _export_schema(args)

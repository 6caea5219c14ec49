"""The `dxgraph` command: `sim` runs the Direct Connect simulator."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="dxgraph", description="GraphQL gateway over AWS Direct Connect."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sim = sub.add_parser("sim", help="run the Direct Connect simulator (dxsim)")
    from dxsim.cli import add_arguments, run

    add_arguments(sim)
    args = parser.parse_args(argv)
    if args.command == "sim":
        return run(args)
    parser.print_help(sys.stderr)
    return 2

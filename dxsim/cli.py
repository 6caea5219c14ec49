"""`dxgraph sim` / `python -m dxsim`: run the simulator in the foreground."""

from __future__ import annotations

import argparse
import socket
import sqlite3
import sys
from collections.abc import Sequence

import uvicorn

from dxsim.accounts import DEFAULT_ACCESS_KEY, DEFAULT_ACCOUNT, DEFAULT_SECRET, CredentialStore
from dxsim.exceptions import DXError
from dxsim.faults import FaultSettings
from dxsim.server import SEEDS, Simulator, SimulatorServer, create_app

DEFAULT_PORT = 8799


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port must be 0-65535, not {port}")
    return port


def _non_negative(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a finite number >= 0, not {text}")
    return value


def _probability(text: str) -> float:
    value = _non_negative(text)
    if value > 1:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, not {text}")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: loopback)")
    parser.add_argument(
        "--port", type=_port, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT}; 0 = any)"
    )
    parser.add_argument("--state", metavar="PATH", help="keep state in this SQLite file")
    parser.add_argument("--seed", choices=SEEDS, default="empty", help="initial data")
    parser.add_argument(
        "--provisioning-delay",
        type=_non_negative,
        default=5.0,
        metavar="SECONDS",
        help="simulated seconds between lifecycle steps (default 5; tests use 0)",
    )
    parser.add_argument("--latency-ms", type=_non_negative, default=0.0, help="added to every call")
    parser.add_argument(
        "--throttle-rate",
        type=_non_negative,
        default=0.0,
        help="requests/second per account; 0 = off",
    )
    parser.add_argument(
        "--throttle-burst",
        type=_non_negative,
        default=0.0,
        help="requests an account may make at once (default: the rate, at least 1)",
    )
    parser.add_argument(
        "--error-rate", type=_probability, default=0.0, help="probability of an injected 500 (0-1)"
    )
    parser.add_argument(
        "--credentials",
        metavar="FILE",
        help='JSON list of {"accessKeyId","secretAccessKey","accountId"}; only these are accepted',
    )


def run(args: argparse.Namespace) -> int:
    """Starts the simulator and serves until interrupted; 2 for unusable arguments, 1 if the
    address cannot be bound."""
    try:
        credentials = CredentialStore.from_file(args.credentials) if args.credentials else None
    except (OSError, ValueError, KeyError, TypeError) as err:
        print(
            f"dxsim: cannot use credentials file {args.credentials}: {type(err).__name__}: {err}",
            file=sys.stderr,
        )
        return 2
    faults = FaultSettings(
        latency_ms=args.latency_ms,
        throttle_rate=args.throttle_rate,
        throttle_burst=args.throttle_burst,
        error_rate=args.error_rate,
    )
    try:
        faults.validate()
    except DXError as err:
        print(f"dxsim: {err.message}", file=sys.stderr)
        return 2
    try:
        sim = Simulator(
            state_path=args.state,
            seed=args.seed,
            provisioning_delay=args.provisioning_delay,
            credentials=credentials,
            faults=faults,
        )
    except (OSError, sqlite3.Error, KeyError, TypeError, ValueError) as err:
        if not args.state:
            raise
        print(
            f"dxsim: cannot use state file {args.state}: {type(err).__name__}: {err}",
            file=sys.stderr,
        )
        return 2
    family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
    # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY only on such sockets; without it
    # each response waits ~40 ms for the client's delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((args.host, args.port))
        sock.listen(2048)
    except OSError as err:
        print(f"dxsim: cannot bind {args.host}:{args.port}: {err}", file=sys.stderr)
        sim.close()
        return 1
    port = sock.getsockname()[1]
    host = f"[{args.host}]" if ":" in args.host else args.host
    url = f"http://{host}:{port}"
    print(f"dxsim: Direct Connect simulator listening on {url}", flush=True)
    print(
        f"  seed={args.seed} state={args.state or 'in-memory'} "
        f"provisioning-delay={args.provisioning_delay}s",
        flush=True,
    )
    if credentials is None:
        print(
            f"  credentials: AWS_ACCESS_KEY_ID={DEFAULT_ACCESS_KEY} "
            f"AWS_SECRET_ACCESS_KEY={DEFAULT_SECRET} (account {DEFAULT_ACCOUNT}); "
            f"any 12-digit key with secret '{DEFAULT_SECRET}' is that account",
            flush=True,
        )
    else:
        print(f"  credentials: only the keys in {args.credentials}", flush=True)
    print(
        f"  try: aws directconnect describe-connections --endpoint-url {url} --region us-east-1",
        flush=True,
    )
    print(f"  control API: {url}/_dxsim/", flush=True)
    config = uvicorn.Config(
        create_app(sim), log_level="warning", access_log=False, lifespan="off", backlog=2048
    )
    server = SimulatorServer(config, sim)
    try:
        server.run(sockets=[sock])
    finally:
        sim.close()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="dxsim", description="Run the Direct Connect simulator.")
    add_arguments(parser)
    return run(parser.parse_args(argv))

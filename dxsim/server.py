"""The simulator's HTTP side: the Direct Connect endpoint, the `/_dxsim/` control API, and helpers
to run it (`Simulator`, `create_app`, `DXServer` on an ephemeral port)."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import threading
from pathlib import Path
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from dxsim import protocol
from dxsim.accounts import CredentialStore
from dxsim.backend import DirectConnectBackend
from dxsim.calls import CallCounter
from dxsim.exceptions import (
    DirectConnectServerException,
    DXError,
    SerializationException,
    ThrottlingException,
)
from dxsim.faults import FaultInjector, FaultSettings
from dxsim.sigv4 import SignedRequest, verify
from dxsim.world import SqliteStore, Store

logger = logging.getLogger("dxsim")

SEEDS = ("empty", "demo")
MAX_BODY_BYTES = 1 << 20
JSON_CONTENT_TYPES = (
    "application/x-amz-json-1.1",
    "application/x-amz-json-1.0",
    "application/json",
)


class Simulator:
    """One simulated Direct Connect: backend state, credentials, faults and call counts.

    Args:
        state_path: SQLite file to keep state in; None keeps it in memory.
        seed: `empty` or `demo`; demo data is built only when the state is empty.
        provisioning_delay: simulated seconds between lifecycle steps.
        credentials: accepted access keys; None accepts the zero-setup defaults.
        faults: initial fault settings.
    """

    def __init__(
        self,
        state_path: str | Path | None = None,
        seed: str = "empty",
        provisioning_delay: float = 0.0,
        credentials: CredentialStore | None = None,
        faults: FaultSettings | None = None,
    ) -> None:
        if seed not in SEEDS:
            raise ValueError(f"seed must be one of {SEEDS}, not {seed!r}")
        store: Store = SqliteStore(state_path) if state_path else Store()
        self.backend = DirectConnectBackend(store=store, provisioning_delay=provisioning_delay)
        self.credentials = credentials or CredentialStore()
        self.initial_delay = provisioning_delay
        self.initial_faults = faults or FaultSettings()
        self.faults = FaultInjector(FaultSettings(**vars(self.initial_faults)))
        self.calls = CallCounter()
        self.lock = threading.Lock()
        self.seed = seed
        if seed == "demo" and not any(True for _ in self.backend.all_resources()):
            self._seed(seed)

    def _seed(self, seed: str) -> None:
        if seed == "demo":
            from dxsim.demo import seed_demo

            seed_demo(self.backend)
        self.backend.settle()

    def reset(self, seed: str = "empty") -> None:
        """Back to the start: no resources (or the demo data), no calls counted, start-up
        provisioning delay and faults, clock at real time."""
        if seed not in SEEDS:
            raise DXError(f"seed must be one of {', '.join(SEEDS)}, not {seed!r}.")
        with self.lock:
            self.backend.clear()
            self.backend.provisioning_delay = self.initial_delay
            self.calls.reset()
            self.faults = FaultInjector(FaultSettings(**vars(self.initial_faults)))
            self._seed(seed)

    def close(self) -> None:
        self.backend.store.close()


def _aws_response(resp: protocol.Response) -> Response:
    return Response(resp.body, status_code=resp.status, headers=resp.headers)


def _control_error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


async def _json_body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise DXError(f"Body is not valid JSON: {err}") from None
    if not isinstance(data, dict):
        raise DXError("Body must be a JSON object.")
    return data


def create_app(sim: Simulator) -> Starlette:
    """The ASGI app: `POST /` is Direct Connect, `/_dxsim/...` is the control API."""

    async def direct_connect(request: Request) -> Response:
        body = await request.body()
        if len(body) > MAX_BODY_BYTES:
            err = SerializationException(f"Request body exceeds {MAX_BODY_BYTES} bytes.")
            return _aws_response(protocol.error_response(err))
        headers = {k.lower(): v for k, v in request.headers.items()}
        try:
            caller = verify(
                SignedRequest(request.method, request.url.path, request.url.query, headers, body),
                sim.credentials,
            )
            spec = protocol.parse_target(headers.get("x-amz-target"))
            content_type = headers.get("content-type", "").split(";")[0].strip()
            if content_type not in JSON_CONTENT_TYPES:
                raise SerializationException(
                    f"Content-Type must be application/x-amz-json-1.1, got {content_type!r}."
                )
        except DXError as err:
            return _aws_response(protocol.error_response(err))
        sim.calls.record(caller, spec.name)
        latency = sim.faults.settings.latency_ms
        if latency > 0:
            await asyncio.sleep(latency / 1000)
        if sim.faults.throttled(caller.account, spec.name):
            return _aws_response(protocol.error_response(ThrottlingException("Rate exceeded")))
        if sim.faults.failed(spec.name):
            fault = DirectConnectServerException("Injected fault: internal server error.")
            return _aws_response(protocol.error_response(fault))
        with sim.lock:
            resp = protocol.dispatch(sim.backend, caller, spec, body)
        return _aws_response(resp)

    async def index(request: Request) -> Response:
        return JSONResponse(
            {
                "service": "dxsim",
                "description": "A stateful AWS Direct Connect simulator (AWS JSON 1.1, POST /).",
                "control": "/_dxsim/",
            }
        )

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def reset(request: Request) -> Response:
        body = await _json_body(request)
        sim.reset(str(body.get("seed", "empty")))
        return JSONResponse({"reset": True, "seed": body.get("seed", "empty")})

    async def clock(request: Request) -> Response:
        with sim.lock:
            return JSONResponse(
                {
                    "now": sim.backend.clock.now(),
                    "offset": sim.backend.clock.offset,
                    "provisioningDelay": sim.backend.provisioning_delay,
                }
            )

    async def advance(request: Request) -> Response:
        body = await _json_body(request)
        seconds = body.get("seconds")
        if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds < 0:
            raise DXError("'seconds' must be a number >= 0.")
        with sim.lock:
            now = sim.backend.advance(float(seconds))
        return JSONResponse({"now": now, "offset": sim.backend.clock.offset})

    async def settings(request: Request) -> Response:
        if request.method == "PUT":
            body = await _json_body(request)
            delay = body.get("provisioningDelay")
            if isinstance(delay, bool) or not isinstance(delay, int | float) or delay < 0:
                raise DXError("'provisioningDelay' must be a number >= 0.")
            with sim.lock:
                sim.backend.provisioning_delay = float(delay)
        return JSONResponse({"provisioningDelay": sim.backend.provisioning_delay})

    async def link(request: Request) -> Response:
        body = await _json_body(request)
        status = body.get("status")
        if status not in ("up", "down"):
            raise DXError("'status' must be 'up' or 'down'.")
        with sim.lock:
            result = sim.backend.set_link(request.path_params["resource_id"], status == "up")
        return JSONResponse(result)

    async def calls(request: Request) -> Response:
        if request.method == "DELETE":
            sim.calls.reset()
        return JSONResponse(sim.calls.snapshot())

    async def faults(request: Request) -> Response:
        if request.method == "PUT":
            sim.faults.settings.update(await _json_body(request))
        return JSONResponse(sim.faults.settings.to_dict())

    def control(handler: Any) -> Any:
        async def wrapped(request: Request) -> Response:
            try:
                response: Response = await handler(request)
                return response
            except DXError as err:
                status = 404 if "Could not find" in err.message else 400
                code = "NotFound" if status == 404 else "InvalidRequest"
                return _control_error(status, code, err.message)

        return wrapped

    routes = [
        Route("/", direct_connect, methods=["POST"]),
        Route("/", index, methods=["GET"]),
        Route("/_dxsim/health", control(health), methods=["GET"]),
        Route("/_dxsim/reset", control(reset), methods=["POST"]),
        Route("/_dxsim/clock", control(clock), methods=["GET"]),
        Route("/_dxsim/clock/advance", control(advance), methods=["POST"]),
        Route("/_dxsim/settings", control(settings), methods=["GET", "PUT"]),
        Route("/_dxsim/connections/{resource_id}/link", control(link), methods=["POST"]),
        Route("/_dxsim/calls", control(calls), methods=["GET", "DELETE"]),
        Route("/_dxsim/faults", control(faults), methods=["GET", "PUT"]),
    ]
    app = Starlette(routes=routes)
    app.state.simulator = sim
    app.add_middleware(_NeverATraceback)
    return app


class _NeverATraceback:
    """Last line of defence: an unexpected exception becomes an AWS-shaped 500, not a traceback."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Any) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            logger.exception("dxsim: unexpected error")
            if started:
                raise
            err = DirectConnectServerException("An internal error occurred in the simulator.")
            await _aws_response(protocol.error_response(err))(scope, receive, send)


class DXServer:
    """Runs a simulator on a loopback port in a background thread (for tests and embedding).

    Example:
        with DXServer() as server:
            boto3.client("directconnect", endpoint_url=server.url, ...)
    """

    def __init__(
        self, simulator: Simulator | None = None, host: str = "127.0.0.1", port: int = 0
    ) -> None:
        self.simulator = simulator or Simulator()
        self.host = host
        self.port = port
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def start(self) -> str:
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self.port))
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(
            create_app(self.simulator), log_level="warning", lifespan="off", access_log=False
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, daemon=True, name="dxsim"
        )
        self._thread.start()
        while not self._server.started:
            if not self._thread.is_alive():
                raise RuntimeError("dxsim server failed to start")
            threading.Event().wait(0.01)
        return self.url

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        self.simulator.close()

    def __enter__(self) -> DXServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

"""The simulator's HTTP side: the Direct Connect endpoint, the `/_dxsim/` control API, and helpers
to run it (`Simulator`, `create_app`, `DXServer` on an ephemeral port)."""

from __future__ import annotations

import asyncio
import contextvars
import json
import logging
import socket
import threading
from pathlib import Path
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from dxsim import protocol, protocol_cbor
from dxsim.accounts import CredentialStore
from dxsim.backend import DirectConnectBackend
from dxsim.calls import CallCounter
from dxsim.control_io import control_error, count_of, known_keys, seconds_of
from dxsim.demo import seed_demo
from dxsim.disconnects import done_or_disconnected, through_gate
from dxsim.ec2 import respond as ec2_respond
from dxsim.ec2 import set_gateway_state, signing_service
from dxsim.exceptions import (
    DirectConnectClientException,
    DirectConnectServerException,
    DXError,
    NotFound,
    ThrottlingException,
    UnknownOperationException,
)
from dxsim.faults import FaultInjector, FaultSettings
from dxsim.gate import DEFAULT_WAIT_SECONDS, MAX_WAIT_SECONDS, Gate
from dxsim.protocols import CBOR, JSON, Wire
from dxsim.sigv4 import SignedRequest, verify
from dxsim.sts import StsError, assume_role, error_xml
from dxsim.world import SqliteStore, Store

logger = logging.getLogger("dxsim")

SEEDS = ("empty", "demo")
MAX_BODY_BYTES = 1 << 20
STS_CONTENT_TYPE = "application/x-www-form-urlencoded"


class Simulator:
    """One simulated Direct Connect: backend state, credentials, faults, call counts and the gate.

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
        self.gate = Gate()
        self.lock = threading.Lock()
        self.seed = seed
        if seed == "demo" and not any(True for _ in self.backend.all_resources()):
            self._seed(seed)

    def _seed(self, seed: str) -> None:
        if seed == "demo":
            seed_demo(self.backend)
        self.backend.settle()

    def reset(self, seed: str = "empty") -> None:
        """Back to the start: no resources (or the demo data), no calls counted, start-up
        provisioning delay and faults, clock at real time, the gate open (releasing everything)."""
        if seed not in SEEDS:
            raise DXError(f"seed must be one of {', '.join(SEEDS)}, not {seed!r}.")
        with self.lock:
            self.backend.clear()
            self.backend.provisioning_delay = self.initial_delay
            self.calls.reset()
            self.faults = FaultInjector(FaultSettings(**vars(self.initial_faults)))
            self.gate.reset()
            self._seed(seed)

    def close(self) -> None:
        self.backend.store.close()


class RequestEntityTooLargeException(DXError):
    """The request body is larger than the simulator accepts (AWS front ends answer 413)."""

    code = "RequestEntityTooLargeException"
    status = 413


async def _read_body(request: Request) -> bytes:
    """The request body, refused past MAX_BODY_BYTES without reading the rest into memory."""
    too_large = RequestEntityTooLargeException(
        f"The request body exceeds the {MAX_BODY_BYTES}-byte limit."
    )
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


def _aws_response(resp: protocol.Response) -> Response:
    return Response(resp.body, status_code=resp.status, headers=resp.headers)


# Set (in the request's own task) when dxsim cuts a response on purpose, so that uvicorn's
# "returned without completing response" error line is not logged for it.
_DROPPING: contextvars.ContextVar[bool] = contextvars.ContextVar("dxsim_dropping", default=False)


class _QuietDeliberateDrops(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not (_DROPPING.get() and "without completing response" in record.getMessage())


logging.getLogger("uvicorn.error").addFilter(_QuietDeliberateDrops())


class _CutResponse(Response):
    """A response whose connection is closed after the headers and half of the body.

    The headers announce the full `Content-Length`; returning before the body is complete makes
    uvicorn close the connection, so the client sees a response broken mid-way.
    """

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await send(
            {"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers}
        )
        await send(
            {
                "type": "http.response.body",
                "body": self.body[: len(self.body) // 2],
                "more_body": True,
            }
        )
        _DROPPING.set(True)


async def _json_body(request: Request) -> dict[str, Any]:
    return protocol.parse_body(await _read_body(request))


def create_app(sim: Simulator) -> Starlette:
    """The ASGI app: `POST /` is Direct Connect, `/_dxsim/...` is the control API."""

    async def direct_connect(request: Request) -> Response:
        """AWS JSON 1.1 (and the query protocol of STS and EC2, which share `POST /`)."""
        headers = {k.lower(): v for k, v in request.headers.items()}
        if headers.get("content-type", "").startswith(STS_CONTENT_TYPE):
            if signing_service(headers) == "ec2":
                return await elastic_compute_cloud(request, headers)
            return await security_token_service(request, headers)
        return await serve(request, headers, JSON)

    async def rpc_v2_cbor(request: Request) -> Response:
        return await serve(request, {k.lower(): v for k, v in request.headers.items()}, CBOR)

    async def serve(
        request: Request,
        headers: dict[str, str],
        wire: Wire,
    ) -> Response:
        """One Direct Connect call in either protocol: authenticate, resolve, gate, faults, run."""
        try:
            body = await _read_body(request)
            caller = verify(
                SignedRequest(request.method, request.url.path, request.url.query, headers, body),
                sim.credentials,
            )
            spec = wire.operation(headers, request.path_params)
        except DXError as err:
            return _aws_response(wire.error(err))
        sim.calls.record(caller, spec.name)
        held = sim.gate.hold(caller, spec.name, wire.params(body)) if sim.gate.closed else None
        if held is not None and not await through_gate(sim.gate, held, request.receive):
            gone = DirectConnectClientException("The client went away while held at the gate.")
            return _aws_response(wire.error(gone))
        faults = sim.faults
        delay = faults.delay(spec.name)
        if delay > 0:
            await asyncio.sleep(delay)
        if faults.throttled(caller.account, spec.name):
            return _aws_response(wire.error(ThrottlingException("Rate exceeded")))
        if faults.failed(spec.name):
            fault = DirectConnectServerException("Injected fault: internal server error.")
            return _aws_response(wire.error(fault))
        with sim.lock:
            resp = wire.dispatch(sim.backend, caller, spec, body)
        if faults.dropped(spec.name):
            return _CutResponse(resp.body, status_code=resp.status, headers=resp.headers)
        return _aws_response(resp)

    async def security_token_service(request: Request, headers: dict[str, str]) -> Response:
        """STS (query protocol) on the same endpoint: AssumeRole for per-caller identities."""
        try:
            body = await _read_body(request)
            caller = verify(
                SignedRequest(request.method, request.url.path, request.url.query, headers, body),
                sim.credentials,
                expected_service="sts",
            )
            xml = assume_role(sim.credentials, caller, body)
        except DXError as err:
            return _aws_response(protocol.error_response(err))
        except StsError as err:
            return Response(error_xml(err), status_code=err.status, media_type="text/xml")
        sim.calls.record(caller, "AssumeRole")
        return Response(xml, media_type="text/xml")

    async def elastic_compute_cloud(request: Request, headers: dict[str, str]) -> Response:
        """EC2 (query protocol): DescribeTransitGateways and DescribeVpnGateways (dxsim.ec2)."""
        try:
            body = await _read_body(request)
        except DXError as err:
            return _aws_response(protocol.error_response(err))
        signed = SignedRequest(request.method, request.url.path, request.url.query, headers, body)
        status, xml = ec2_respond(sim.backend, sim.credentials, sim.lock, signed)
        return Response(xml, status_code=status, media_type="text/xml")

    async def index(request: Request) -> Response:
        return JSONResponse(
            {
                "service": "dxsim",
                "description": "A stateful AWS Direct Connect simulator: AWS JSON 1.1 (POST /) and "
                "Smithy RPC v2 CBOR (POST /service/OvertureService/operation/<Operation>).",
                "control": "/_dxsim/",
            }
        )

    async def control_index(request: Request) -> Response:
        return JSONResponse(
            {
                "endpoints": {
                    "GET /_dxsim/health": "liveness",
                    "POST /_dxsim/reset": '{"seed": "empty"|"demo"}: drop all state and counts',
                    "GET /_dxsim/clock": "simulated time, offset and provisioning delay",
                    "POST /_dxsim/clock/advance": '{"seconds": n}: move time, apply due steps',
                    "GET|PUT /_dxsim/settings": '{"provisioningDelay": seconds}',
                    "POST /_dxsim/connections/{id}/link": '{"status": "up"|"down"}',
                    "PUT /_dxsim/ec2-gateways/{id}": '{"state": s}: a seeded Transit Gateway '
                    "(pending|available|modifying|deleting|deleted) or VGW "
                    "(pending|available|deleting|deleted) as EC2 and Direct Connect see it",
                    "GET|DELETE /_dxsim/calls": "Direct Connect calls per operation and scope",
                    "GET|PUT /_dxsim/faults": "latencyMs, throttleRate, throttleBurst, "
                    "errorRate, dropRate, latencySpikeMs, latencySpikeRate, operations",
                    "GET|PUT /_dxsim/gate": '{"closed": true|false}: hold Direct Connect requests '
                    "before they run / open and release them all; state: closed, arrived, "
                    "released, abandoned, waiting",
                    "POST /_dxsim/gate/release": "release the requests waiting now; the gate "
                    "stays closed for later ones",
                    "POST /_dxsim/gate/wait": '{"arrived": n, "abandoned": n, "timeoutSeconds": '
                    "s}: answer once the counts are reached (200) or after s seconds (408)",
                }
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
        seconds = seconds_of(body, "seconds")
        with sim.lock:
            now = sim.backend.advance(seconds)
        return JSONResponse({"now": now, "offset": sim.backend.clock.offset})

    async def settings(request: Request) -> Response:
        if request.method == "PUT":
            body = await _json_body(request)
            delay = seconds_of(body, "provisioningDelay")
            with sim.lock:
                sim.backend.provisioning_delay = delay
        return JSONResponse({"provisioningDelay": sim.backend.provisioning_delay})

    async def link(request: Request) -> Response:
        body = await _json_body(request)
        status = body.get("status")
        if status not in ("up", "down"):
            raise DXError("'status' must be 'up' or 'down'.")
        with sim.lock:
            result = sim.backend.set_link(request.path_params["resource_id"], status == "up")
        return JSONResponse(result)

    async def ec2_gateway(request: Request) -> Response:
        body = await _json_body(request)
        known_keys(body, "state")
        with sim.lock:
            result = set_gateway_state(
                sim.backend, request.path_params["gateway_id"], body.get("state")
            )
            sim.backend.settle()
        return JSONResponse(result)

    async def calls(request: Request) -> Response:
        if request.method == "DELETE":
            sim.calls.reset()
        return JSONResponse(sim.calls.snapshot())

    async def faults(request: Request) -> Response:
        if request.method == "PUT":
            sim.faults.update(await _json_body(request))
        return JSONResponse(sim.faults.settings.to_dict())

    async def gate(request: Request) -> Response:
        if request.method == "PUT":
            body = await _json_body(request)
            known_keys(body, "closed")
            closed = body.get("closed")
            if not isinstance(closed, bool):
                raise DXError(f"'closed' must be true or false, not {json.dumps(closed)}.")
            sim.gate.set_closed(closed)
        return JSONResponse(sim.gate.snapshot())

    async def gate_release(request: Request) -> Response:
        known_keys(await _json_body(request))
        return JSONResponse({"released": sim.gate.release()})

    async def gate_wait(request: Request) -> Response:
        body = await _json_body(request)
        known_keys(body, "arrived", "abandoned", "timeoutSeconds")
        if "arrived" not in body and "abandoned" not in body:
            raise DXError("Say what to wait for: 'arrived' and/or 'abandoned' (counts).")
        arrived, abandoned = count_of(body, "arrived"), count_of(body, "abandoned")
        timeout = DEFAULT_WAIT_SECONDS
        if "timeoutSeconds" in body:
            timeout = seconds_of(body, "timeoutSeconds")
            if timeout > MAX_WAIT_SECONDS:
                raise DXError(f"'timeoutSeconds' must be at most {MAX_WAIT_SECONDS:g}.")
        reached = sim.gate.wait_for(arrived, abandoned)
        try:
            finished = await done_or_disconnected(reached, request.receive, timeout)
        finally:
            sim.gate.unwatch(reached)
        state = sim.gate.snapshot()
        if finished and reached.result():
            return JSONResponse(state)
        if finished:
            return control_error(503, "GATE_SHUTDOWN", "The simulator is shutting down.", state)
        # timed out (or the client went away, and nobody will read this)
        message = f"Not reached within {timeout:g} seconds: {json.dumps(body)}."
        return control_error(408, "GATE_TIMEOUT", message, state)

    def control(handler: Any) -> Any:
        async def wrapped(request: Request) -> Response:
            try:
                response: Response = await handler(request)
                return response
            except NotFound as err:
                return control_error(404, "NotFound", err.message)
            except RequestEntityTooLargeException as err:
                return control_error(413, "RequestEntityTooLarge", err.message)
            except DXError as err:
                return control_error(400, "InvalidRequest", err.message)

        return wrapped

    routes = [
        Route("/", direct_connect, methods=["POST"]),
        Route("/", index, methods=["GET"]),
        Route("/service/{service}/operation/{operation}", rpc_v2_cbor, methods=["POST"]),
        Route("/_dxsim/", control(control_index), methods=["GET"]),
        Route("/_dxsim/health", control(health), methods=["GET"]),
        Route("/_dxsim/reset", control(reset), methods=["POST"]),
        Route("/_dxsim/clock", control(clock), methods=["GET"]),
        Route("/_dxsim/clock/advance", control(advance), methods=["POST"]),
        Route("/_dxsim/settings", control(settings), methods=["GET", "PUT"]),
        Route("/_dxsim/connections/{resource_id}/link", control(link), methods=["POST"]),
        Route("/_dxsim/ec2-gateways/{gateway_id}", control(ec2_gateway), methods=["PUT"]),
        Route("/_dxsim/calls", control(calls), methods=["GET", "DELETE"]),
        Route("/_dxsim/faults", control(faults), methods=["GET", "PUT"]),
        Route("/_dxsim/gate", control(gate), methods=["GET", "PUT"]),
        Route("/_dxsim/gate/release", control(gate_release), methods=["POST"]),
        Route("/_dxsim/gate/wait", control(gate_wait), methods=["POST"]),
    ]
    app = Starlette(
        routes=routes,
        exception_handlers={404: _no_route, 405: _no_route},  # type: ignore[dict-item]
    )
    app.state.simulator = sim
    app.add_middleware(_NeverATraceback)
    return app


async def _no_route(request: Request, exc: HTTPException) -> Response:
    """Unknown path or method: a control-API error under /_dxsim/, an AWS-shaped one elsewhere."""
    message = f"No route for {request.method} {request.url.path}."
    if exc.status_code == 405:
        message = f"{request.method} is not allowed on {request.url.path}."
    if request.url.path.startswith("/_dxsim"):
        code = "NotFound" if exc.status_code == 404 else "MethodNotAllowed"
        return control_error(exc.status_code, code, message + " See GET /_dxsim/.")
    err = UnknownOperationException(
        message + " Direct Connect requests are POST / (AWS JSON 1.1) or POST "
        f"{protocol_cbor.PATH_PREFIX}<Operation> (Smithy RPC v2 CBOR)."
    )
    err.status = exc.status_code
    if request.url.path.startswith("/service/"):
        return _aws_response(protocol_cbor.error_response(err))
    return _aws_response(protocol.error_response(err))


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


class SimulatorServer(uvicorn.Server):
    """uvicorn's server, opening the simulator's gate when it shuts down: uvicorn waits for the
    requests in flight, and held ones would otherwise never finish."""

    def __init__(self, config: uvicorn.Config, simulator: Simulator) -> None:
        super().__init__(config)
        self.simulator = simulator

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        self.simulator.gate.shut_down()
        await super().shutdown(sockets)


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
        self._server: SimulatorServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def start(self) -> str:
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY only on such sockets; without it
        # each response waits ~40 ms for the client's delayed ACK.
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self.port))
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(
            create_app(self.simulator), log_level="warning", lifespan="off", access_log=False
        )
        self._server = SimulatorServer(config, self.simulator)
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

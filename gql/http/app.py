"""The FastAPI app: `/graphql` (API and GraphiQL), LOA downloads, and the embedded simulator.

`create_app(settings)` builds it; its lifespan starts the embedded dxsim when no Direct Connect is
configured (`upstream=sim`), then the upstream client and the shared cache.
"""

from __future__ import annotations

import base64
import gc
import json
import logging
import re
import sys
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from cross_web import HTTPException
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from graphql import GraphQLError, OperationDefinitionNode
from strawberry.fastapi import BaseContext, GraphQLRouter
from strawberry.types.unset import UNSET

from gql.engine.documents import parsed
from gql.engine.schema import build_schema
from gql.http.auth import install_auth, principal_of
from gql.http.deadline import install_deadline
from gql.http.graphiql import graphiql_html, install_graphiql_assets
from gql.http.observability import install_observability
from gql.http.rate_limit import install_limits
from gql.settings import Settings, get_settings
from resolvers.aws.client import DirectConnectClient
from resolvers.aws.errors import ErrorCode, UpstreamError
from resolvers.aws.identity import RoleClients
from resolvers.context import Context, Principal
from resolvers.data.cache import ResponseCache
from resolvers.data.loaders import Loaders
from resolvers.data.upstream import Upstream

logger = logging.getLogger("dxgraph")

FRESH_HEADER = "x-dxgraph-fresh"
IDEMPOTENCY_HEADER = "idempotency-key"
_LOA_ID = re.compile(r"^dx(con|lag)-[a-z0-9]{8,21}$")


@dataclass
class Runtime:
    """What lives as long as the app: effective settings, upstream client, cache, simulator."""

    settings: Settings
    client: DirectConnectClient
    cache: ResponseCache
    account_id: str
    roles: RoleClients
    simulator: Any = None

    async def acting_for(self, principal: Principal) -> tuple[DirectConnectClient, str]:
        """The client and account a caller's upstream calls use: its role's, or the gateway's."""
        if principal.role_arn is None:
            return self.client, self.account_id
        client = await self.roles.client_for(principal.role_arn)
        return client, client.identity


async def account_id_for(settings: Settings, client: DirectConnectClient) -> str:
    """The account the gateway acts as, for ARNs (Direct Connect shapes carry no ARN).

    An explicit `account_id` wins; in aws mode STS says; dxsim and other local endpoints follow
    the moto/LocalStack convention (key `test` is 123456789012, a 12-digit key is that account).
    """
    if settings.account_id:
        return settings.account_id
    from_sts = await client.caller_account()
    if from_sts:
        return from_sts
    key = settings.aws_access_key_id or ""
    if re.fullmatch(r"\d{12}", key):
        return key
    return "123456789012"


def start_embedded_simulator(settings: Settings) -> tuple[Any, Settings]:
    """Starts dxsim on a loopback port with its state under `sim_state_dir`."""
    from dxsim import DXServer, Simulator

    state_dir = Path(settings.sim_state_dir)
    state_dir.mkdir(parents=True, exist_ok=True)
    server = DXServer(
        Simulator(
            state_path=state_dir / "dxsim.sqlite3",
            seed=settings.sim_seed,
            provisioning_delay=settings.sim_provisioning_delay,
        )
    )
    server.start()
    logger.warning(
        "dxgraph: no Direct Connect configured - serving the embedded simulator (dxsim, %s data, "
        "state in %s) at %s",
        settings.sim_seed,
        state_dir / "dxsim.sqlite3",
        server.url,
    )
    return server, settings.model_copy(update={"dx_endpoint": server.url})


def wants_fresh(request: Request) -> bool:
    """`Cache-Control: no-cache` or `X-Dxgraph-Fresh: 1` asks for data straight from AWS."""
    cache_control = request.headers.get("cache-control", "").lower()
    return "no-cache" in cache_control or request.headers.get(FRESH_HEADER, "") in ("1", "true")


class RequestContext(Context, BaseContext):
    """`Context` as strawberry's FastAPI router wants it (it sets `request` and `response`)."""

    def __post_init__(self) -> None:
        BaseContext.__init__(self)


class DxGraphRouter(GraphQLRouter[RequestContext, None]):
    """Strawberry's router, with GraphiQL preloaded with our example operations, strict JSON
    decoding, and its HTTP refusals answered as coded GraphQL errors instead of plain text."""

    async def run(self, request: Any, context: Any = UNSET, root_value: Any = UNSET) -> Any:
        try:
            return await super().run(request, context=context, root_value=root_value)
        except HTTPException as err:
            return _http_refusal(err.status_code, err.reason)

    def encode_json(self, data: object) -> bytes:
        """orjson, ~10x faster than `json` on large answers (a 1,000-VIF topology is ~0.5 MB);
        `json` for what orjson refuses (integers beyond 64 bits)."""
        try:
            return orjson.dumps(data)
        except orjson.JSONEncodeError:
            return json.dumps(data, separators=(",", ":")).encode()

    def decode_json(self, data: str | bytes) -> object:
        """JSON bodies only: strict UTF-8, an object or a batch list, no pathological nesting."""
        try:
            text = data.decode("utf-8") if isinstance(data, bytes) else data
            value = json.loads(text)
        except (UnicodeDecodeError, ValueError, RecursionError) as err:
            reason = f"The request body is not valid JSON ({type(err).__name__})."
            raise HTTPException(400, reason) from None
        if not isinstance(value, dict | list):
            raise HTTPException(400, "The request body must be a JSON object.")
        return value

    async def parse_http_body(self, request: Any) -> Any:
        data = await super().parse_http_body(request)
        if isinstance(data, list):
            return data
        if not isinstance(data.operation_name, str | None):
            raise HTTPException(400, "operationName must be a string.")
        if data.operation_name is None and isinstance(data.query, str):
            try:
                document = parsed(data.query)
            except GraphQLError:
                return data  # reported, coded, by the schema's own parse
            operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
            if len(operations) > 1:
                raise HTTPException(
                    400, "Must provide operationName if the query contains multiple operations."
                )
        return data

    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        return HTMLResponse(graphiql_html(request.app.state.runtime.settings))


_TUNED = False


def tune_runtime() -> None:
    """Tunes the Python runtime for a gateway that builds large answers while threads wait on
    Direct Connect.

    * Garbage collection: a 1,000-VIF topology answer allocates about a million containers, and
      each full pass of the collector scanned the whole heap (boto3's models, the schema) again:
      untuned, half of that answer's time went to the collector. Freezing what exists after
      startup takes it out of every later pass; a young-generation threshold of 5,000 (default
      700) runs the young passes less often. Higher thresholds were measured too: no faster
      once startup is frozen, and a request's reference cycles (graphql-core's executor, the
      loaders) then live longer — 50,000 grew a loaded gateway past 500 MiB.
    * Thread switching: a boto3 call needs the GIL to send its request and to parse the answer;
      while the event loop resolves an answer, a thread waits up to the switch interval for it
      each time. 1 ms instead of 5 ms keeps the second round trip of a topology query moving.

    Once per process: a later freeze would pin whatever earlier apps of the same process (tests)
    left behind.
    """
    global _TUNED
    if _TUNED:
        return
    _TUNED = True
    gc.collect()
    gc.freeze()
    gc.set_threshold(5_000, 10, 10)
    sys.setswitchinterval(0.001)


def create_app(settings: Settings | None = None) -> FastAPI:
    """The gateway app for these settings (default: from the environment)."""
    configured = settings or get_settings()
    # botocore logs request parameters (BGP auth keys among them) at DEBUG
    logging.getLogger("botocore").setLevel(max(logging.getLogger("botocore").level, logging.INFO))

    closers: list[Callable[[], Coroutine[Any, Any, None]]] = []

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        simulator = None
        effective = configured
        if configured.upstream == "sim":
            simulator, effective = start_embedded_simulator(configured)
        client = DirectConnectClient(effective)
        cache = ResponseCache.from_settings(effective)
        app.state.runtime = Runtime(
            settings=effective,
            client=client,
            cache=cache,
            account_id=await account_id_for(effective, client),
            roles=RoleClients(effective, client),
            simulator=simulator,
        )
        if effective.runtime_tuning:
            tune_runtime()
        try:
            yield
        finally:
            app.state.runtime.roles.close()
            client.close()
            await cache.close()
            for close in closers:
                await close()
            if simulator is not None:
                simulator.stop()

    async def get_context(request: Request) -> RequestContext:
        runtime: Runtime = request.app.state.runtime
        principal = principal_of(request)
        client, account_id = await runtime.acting_for(principal)
        upstream = Upstream(
            client, runtime.cache, runtime.settings.regions, fresh=wants_fresh(request)
        )
        return RequestContext(
            settings=runtime.settings,
            upstream=upstream,
            loaders=Loaders(upstream, account_id),
            account_id=account_id,
            principal=principal,
            show_secrets="secrets" in principal.scopes,
            can_write="write" in principal.scopes and not runtime.settings.read_only,
            idempotency_key=request.headers.get(IDEMPOTENCY_HEADER) or None,
        )

    app = FastAPI(
        title="dxgraph",
        description="A GraphQL API gateway over AWS Direct Connect.",
        lifespan=lifespan,
    )
    router = DxGraphRouter(
        build_schema(),
        context_getter=get_context,
        graphql_ide="graphiql" if configured.graphiql else None,
    )
    app.include_router(router, prefix="/graphql")
    if configured.graphiql:
        install_graphiql_assets(app)
    install_deadline(app, configured)
    limits_closer = install_limits(app, configured)
    if limits_closer is not None:
        closers.append(limits_closer)
    install_auth(app, configured)
    install_observability(app, configured)

    @app.exception_handler(UpstreamError)
    async def role_unavailable(request: Request, err: UpstreamError) -> JSONResponse:
        """The caller's IAM role could not be assumed: nothing can run for this request."""
        return JSONResponse(
            {"errors": [{"message": err.message, "extensions": err.to_extensions()}]},
            status_code=403 if err.code == ErrorCode.UPSTREAM_AUTH else 502,
        )

    @app.get("/", include_in_schema=False)
    async def index() -> RedirectResponse:
        return RedirectResponse("/graphql")

    @app.get("/loa/{region}/{resource_id}.pdf", summary="Download a Letter of Authorization")
    async def download_loa(region: str, resource_id: str, request: Request) -> Response:
        runtime: Runtime = request.app.state.runtime
        if region not in runtime.settings.regions or not _LOA_ID.match(resource_id):
            return _error(404, ErrorCode.NOT_FOUND, "No such region or resource ID.")
        try:
            client, _ = await runtime.acting_for(principal_of(request))
            loa = await client.call(region, "describe_loa", connectionId=resource_id)
        except UpstreamError as err:
            status = 404 if err.code == ErrorCode.NOT_FOUND else 502
            return JSONResponse({"error": err.to_extensions() | {"message": err.message}}, status)
        content = loa.get("loaContent", b"")
        pdf = content if isinstance(content, bytes) else base64.b64decode(content)
        return Response(
            pdf,
            media_type="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="{resource_id}-loa.pdf"'},
        )

    return app


_HTTP_CODES = {400: "BAD_REQUEST", 404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED", 415: "BAD_REQUEST"}


def _http_refusal(status: int, reason: str) -> JSONResponse:
    """A request refused before GraphQL ran (bad body, batch, GET mutation, ...), coded."""
    code = _HTTP_CODES.get(status, "BAD_REQUEST")
    if reason == "Batching is not enabled":
        code, reason = "BATCHING_NOT_SUPPORTED", "Send one operation per request (no batches)."
    return JSONResponse({"errors": [{"message": reason, "extensions": {"code": code}}]}, status)


def _error(status: int, code: ErrorCode, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": str(code), "message": message}}, status_code=status)

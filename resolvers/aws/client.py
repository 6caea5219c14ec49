"""The async facade over boto3's Direct Connect client: the only module that touches boto3/botocore.

Calls run in a dedicated thread pool (boto3 blocks), with botocore's own retries and timeouts;
every failure comes out as a `resolvers.aws.errors.UpstreamError` carrying our code and what
AWS said.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import hashlib
import logging
import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
)

from gql.settings import REGION_PATTERN, Settings
from resolvers.aws.error_mapping import ResponseCutOff, refuse_cut_response, to_upstream_error
from resolvers.aws.errors import ErrorCode, UpstreamError

__all__ = [
    "GLOBAL",
    "DirectConnectClient",
    "UpstreamCall",
    "UpstreamObserver",
    "call_outcome",
    "upstream_observer",
]

logger = logging.getLogger(__name__)

GLOBAL = "global"
"""Pseudo-region for global resources (Direct Connect gateways); calls go to the home region."""

SERVICE = "directconnect"


# Direct Connect reports a missing resource as a plain DirectConnectClientException; only the
# message tells it apart ("Could not find Connection with ID dxcon-…", dx-facts.md §5.2).
@dataclass(frozen=True)
class UpstreamCall:
    """One finished `DirectConnectClient.call`, as told to the `upstream_observer`.

    Attributes:
        operation: the AWS operation name (`DescribeConnections`).
        region: the region the call went to.
        outcome: `ok`, `throttled`, `unavailable`, `auth`, `rejected` (Direct Connect refused the
            request: not found, invalid, conflict, limit), `error` or `cancelled`.
        started: when the call started (seconds since the epoch).
        seconds: how long it took, botocore's retries included.
        error: the failure, if any.
    """

    operation: str
    region: str
    outcome: str
    started: float
    seconds: float
    error: UpstreamError | None = None


UpstreamObserver = Callable[[UpstreamCall], None]

upstream_observer: contextvars.ContextVar[UpstreamObserver | None] = contextvars.ContextVar(
    "dxgraph_upstream_observer", default=None
)
"""Who hears about every upstream call made in this context (the gateway sets it per request for
its metrics and traces); None: nobody. An observer must be quick and must not raise."""

_OUTCOMES = {
    ErrorCode.THROTTLED: "throttled",
    ErrorCode.UPSTREAM_UNAVAILABLE: "unavailable",
    ErrorCode.UPSTREAM_AUTH: "auth",
    ErrorCode.NOT_FOUND: "rejected",
    ErrorCode.INVALID_REQUEST: "rejected",
    ErrorCode.CONFLICT: "rejected",
    ErrorCode.INVALID_STATE: "rejected",
    ErrorCode.LIMIT_EXCEEDED: "rejected",
}


def call_outcome(error: BaseException | None) -> str:
    """The `UpstreamCall.outcome` of a call that raised `error` (None: it succeeded)."""
    if error is None:
        return "ok"
    if isinstance(error, asyncio.CancelledError):
        return "cancelled"
    if isinstance(error, UpstreamError):
        return _OUTCOMES.get(error.code, "error")
    return "error"


@dataclass(frozen=True)
class RoleSession:
    """Temporary credentials of an assumed IAM role (never logged: see `__repr__`)."""

    role_arn: str
    account: str
    access_key_id: str
    secret_access_key: str
    session_token: str
    expires_at: float

    def __repr__(self) -> str:
        return f"RoleSession(role_arn={self.role_arn!r}, expires_at={self.expires_at})"


_this_call = threading.local()
"""The pool thread's current call: `on_sent`, until its request has gone out."""


def _request_sent() -> None:
    on_sent = getattr(_this_call, "on_sent", None)
    if on_sent is not None:
        _this_call.on_sent = None
        try:
            on_sent()
        except Exception:  # a notification must never fail a call
            logger.debug("on_sent failed", exc_info=True)


def _failed_future(loop: asyncio.AbstractEventLoop, error: Exception) -> asyncio.Future[Any]:
    failed: asyncio.Future[Any] = loop.create_future()
    failed.set_exception(error)
    return failed


def _on_before_send(**_: Any) -> None:
    """botocore's `before-send` (every attempt): the first one tells the call's `on_sent`."""
    _request_sent()


class DirectConnectClient:
    """Async Direct Connect calls for one set of credentials, in any region.

    boto3 clients are created on first use per (region, credentials) and reused; they are
    thread-safe, so all pool threads share them. Create one `DirectConnectClient` per process
    (in the app's lifespan) and `close()` it on shutdown.

    Credentials: in `sim` and `endpoint` modes the static keys of the settings (the default
    chain if either is unset); in `aws` mode the standard credential chain. `dx_endpoint`, when
    set, is the endpoint URL in every mode.

    Args:
        settings: `upstream`, `dx_endpoint`, keys, timeouts, retries and `upstream_workers` are
            read once here; later changes to the object have no effect.

    Raises:
        ValueError: `upstream` is `sim` but `dx_endpoint` (the running simulator's URL) is unset.

    Attributes:
        calls: upstream calls made through `call()` by boto3 operation name (one per `call`,
            however many attempts botocore's retries made), for metrics and tests.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        session: RoleSession | None = None,
    ) -> None:
        if settings.upstream == "sim" and not settings.dx_endpoint:
            # Without an endpoint boto3 would sign the simulator's test keys for real AWS.
            raise ValueError("upstream 'sim' needs dx_endpoint: start the simulator first")
        self._settings = settings
        self._endpoint_url = settings.dx_endpoint
        self._static_keys: tuple[str, str] | None = None
        if (
            settings.upstream != "aws"
            and settings.aws_access_key_id
            and settings.aws_secret_access_key is not None
        ):
            self._static_keys = (
                settings.aws_access_key_id,
                settings.aws_secret_access_key.get_secret_value(),
            )
        self._config = Config(
            connect_timeout=settings.connect_timeout,
            read_timeout=settings.read_timeout,
            retries={"mode": settings.retry_mode, "total_max_attempts": settings.max_attempts},
            max_pool_connections=max(settings.upstream_workers, 10),
            user_agent_extra="dxgraph",
        )
        self._pool = ThreadPoolExecutor(
            max_workers=settings.upstream_workers, thread_name_prefix="dxgraph-upstream"
        )
        self._lock = threading.Lock()
        self._session: boto3.session.Session | None = None
        self._clients: dict[tuple[str, str], Any] = {}
        self._identity: str | None = session.account if session else None
        self._role_session = session
        self._closed = False
        self._api_names: dict[str, str] = {}
        self.calls: Counter[str] = Counter()

    @property
    def home_region(self) -> str:
        """Where calls for `GLOBAL` go: the first configured region."""
        return self._settings.home_region

    @property
    def identity(self) -> str:
        """Who the calls act as, for scoping caches: the account id, or a hash of the access key.

        Never contains a secret. In `aws` mode without `account_id`, the first read resolves the
        credential chain (blocking; read it once at startup), and replicas using temporary
        credentials get different identities, so they share no cache: set `account_id` there.
        """
        if self._identity is None:
            if self._settings.account_id:
                self._identity = self._settings.account_id
            else:
                access_key = self._access_key_id()
                if access_key is None:
                    self._identity = "anonymous"
                else:
                    digest = hashlib.sha256(access_key.encode()).hexdigest()[:16]
                    self._identity = f"key-{digest}"
        return self._identity

    async def call(self, region: str, operation: str, **params: Any) -> dict[str, Any]:
        """Runs one Direct Connect operation off the event loop.

        Args:
            region: an AWS region, or `GLOBAL` for the home region.
            operation: the boto3 method name, e.g. `describe_connections`.
            **params: the operation's parameters, with AWS's names (`connectionId=...`).

        Returns:
            The response without `ResponseMetadata`.

        Raises:
            UpstreamError: any failure, after botocore's retries; `ResourceNotFound` when Direct
                Connect says the resource does not exist.
            ValueError: `operation` is not a Direct Connect operation (a bug, not bad input).
            RuntimeError: the client was closed.
        """
        return await self.start(region, operation, **params)

    def start(
        self,
        region: str,
        operation: str,
        *,
        on_sent: Callable[[], None] | None = None,
        **params: Any,
    ) -> asyncio.Future[dict[str, Any]]:
        """`call`, started now: the request is handed to the pool before this returns.

        A coroutine starts only when the event loop gets to it, which behind a large answer
        being assembled can be a hundred milliseconds later; the future returned here is
        already running. Same result and errors as `call` (a closed client or a region that is
        no region name fail the future, never this call). `on_sent` is called once, from the
        pool thread, when the request has gone out (or the call ended without sending one).
        """
        loop = asyncio.get_running_loop()
        if self._closed:
            return _failed_future(loop, RuntimeError("DirectConnectClient is closed"))
        region = self.home_region if region == GLOBAL else region
        if not REGION_PATTERN.match(region):
            error = UpstreamError(
                f"{region!r} is not an AWS region name.",
                code=ErrorCode.INVALID_REQUEST,
                region=region,
            )
            return _failed_future(loop, error)
        self.calls[operation] += 1
        job = functools.partial(self._invoke_telling, region, operation, params, on_sent)
        # The pool thread runs in a copy of this context, so its log lines keep the request ID.
        run = functools.partial(contextvars.copy_context().run, job)
        future: asyncio.Future[dict[str, Any]] = loop.run_in_executor(self._pool, run)
        observer = upstream_observer.get()
        if observer is not None:
            started, clock = time.time(), time.perf_counter()

            def observe(done: asyncio.Future[dict[str, Any]]) -> None:
                failure = asyncio.CancelledError() if done.cancelled() else done.exception()
                self._observed(observer, region, operation, failure, started, clock)

            future.add_done_callback(observe)
        return future

    def _observed(
        self,
        observer: UpstreamObserver,
        region: str,
        operation: str,
        failure: BaseException | None,
        started: float,
        clock: float,
    ) -> None:
        named = failure.operation if isinstance(failure, UpstreamError) else None
        call = UpstreamCall(
            operation=self._api_names.get(operation) or named or operation,
            region=region,
            outcome=call_outcome(failure),
            started=started,
            seconds=time.perf_counter() - clock,
            error=failure if isinstance(failure, UpstreamError) else None,
        )
        try:
            observer(call)
        except Exception:  # metrics must never fail a call
            logger.debug("upstream observer failed", exc_info=True)

    async def call_all_pages(
        self,
        region: str,
        operation: str,
        result_key: str,
        *,
        on_sent: Callable[[], None] | None = None,
        **params: Any,
    ) -> list[dict[str, Any]]:
        """Runs a paged operation until AWS returns no `nextToken`, one `call` per page.

        Args:
            region: as for `call`.
            operation: as for `call`, e.g. `describe_direct_connect_gateways`.
            result_key: the list each page holds, e.g. `directConnectGateways`.
            on_sent: as for `start`, told when the first page's request has gone out.
            **params: as for `call`; a `nextToken` here starts from that page.

        Returns:
            Every page's `result_key` items, in order.

        Raises:
            UpstreamError: as for `call`, or when AWS repeats a `nextToken` (a paging loop).
        """
        items: list[dict[str, Any]] = []
        seen: set[str] = set()
        token = params.pop("nextToken", None)
        while True:
            page_params = params if token is None else {**params, "nextToken": token}
            page = await self.start(region, operation, on_sent=on_sent, **page_params)
            on_sent = None  # told once, by the first page
            items.extend(page.get(result_key) or [])
            token = page.get("nextToken")
            if not token:
                return items
            if token in seen:
                raise UpstreamError(
                    f"{operation} returned the same nextToken twice; stopped paging.",
                    operation=operation,
                    region=region,
                )
            seen.add(token)

    def close(self) -> None:
        """Stops the thread pool (queued calls are cancelled) and closes the HTTP pools.

        Does not wait for calls already running; their callers still get their answers.
        """
        if self._closed:
            return
        self._closed = True
        self._pool.shutdown(wait=False, cancel_futures=True)
        with self._lock:
            clients = list(self._clients.values())
            self._clients.clear()
        for client in clients:
            client.close()

    # -- inside the pool threads ---------------------------------------------------------------
    def _invoke_telling(
        self,
        region: str,
        operation: str,
        params: dict[str, Any],
        on_sent: Callable[[], None] | None,
    ) -> dict[str, Any]:
        _this_call.on_sent = on_sent
        try:
            return self._invoke(region, operation, params)
        finally:
            _request_sent()

    def _invoke(self, region: str, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        try:
            client = self._client(region)
        except Exception as err:
            raise self._failed(err, operation, region) from err
        api_names: dict[str, str] = client.meta.method_to_api_mapping
        if not self._api_names:
            self._api_names = api_names  # the same for every region; names metrics and spans
        if operation not in api_names:
            raise ValueError(f"{operation!r} is not a Direct Connect operation")
        # Only reads are repeated after a cut response: a write may have been carried out.
        attempts = self._settings.max_attempts if operation.startswith("describe_") else 1
        for attempt in range(1, attempts + 1):
            try:
                response: dict[str, Any] = getattr(client, operation)(**params)
            except ResponseCutOff as err:
                if attempt == attempts:
                    raise self._failed(err, api_names[operation], region) from err
                time.sleep(random.uniform(0, min(20, 2 ** (attempt - 1))))  # botocore's backoff
                continue
            except Exception as err:
                raise self._failed(err, api_names[operation], region) from err
            response.pop("ResponseMetadata", None)
            return response
        raise AssertionError("unreachable")

    @staticmethod
    def _failed(err: Exception, operation: str, region: str) -> UpstreamError:
        error = to_upstream_error(err, operation, region)
        level = logging.WARNING if error.retryable else logging.DEBUG
        logger.log(level, "Direct Connect %s in %s failed: %r", operation, region, error)
        return error

    def _client(self, region: str) -> Any:
        key = (region, self._credentials_key())
        client = self._clients.get(key)
        if client is not None:
            return client
        with self._lock:
            client = self._clients.get(key)
            if client is None:
                client = self._boto_session().client(
                    SERVICE,
                    region_name=region,
                    endpoint_url=self._endpoint_url,
                    config=self._config,
                )
                client.meta.events.register("before-parse.direct-connect", refuse_cut_response)
                client.meta.events.register("before-send.direct-connect", _on_before_send)
                self._clients[key] = client
            return client

    async def caller_account(self) -> str | None:
        """The account the credentials act as, from STS (aws mode only; None elsewhere or if
        STS cannot be reached). Direct Connect's shapes carry no ARNs, so the gateway builds
        them from this account."""
        if self._settings.upstream != "aws":
            return None

        def ask() -> str | None:
            with self._lock:
                sts = self._boto_session().client(
                    "sts", region_name=self.home_region, config=self._config
                )
            try:
                return str(sts.get_caller_identity()["Account"])
            except (BotoCoreError, ClientError):
                return None

        return await asyncio.get_running_loop().run_in_executor(self._pool, ask)

    def _credentials_key(self) -> str:
        return self._static_keys[0] if self._static_keys else "default-chain"

    def _boto_session(self) -> boto3.session.Session:
        # boto3 sessions are not thread-safe: build and use this one under self._lock only.
        if self._session is None:
            if self._role_session is not None:
                self._session = boto3.session.Session(
                    aws_access_key_id=self._role_session.access_key_id,
                    aws_secret_access_key=self._role_session.secret_access_key,
                    aws_session_token=self._role_session.session_token,
                )
            elif self._static_keys is not None:
                access_key, secret_key = self._static_keys
                self._session = boto3.session.Session(
                    aws_access_key_id=access_key, aws_secret_access_key=secret_key
                )
            else:
                self._session = boto3.session.Session()
        return self._session

    async def assume_role(self, role_arn: str, session_name: str) -> RoleSession:
        """STS AssumeRole with this client's credentials: a session acting as `role_arn`.

        The STS endpoint is `sts_endpoint`, else (sim/endpoint modes) `dx_endpoint`, else AWS's.

        Raises:
            UpstreamError: STS refused or could not be reached (code UPSTREAM_AUTH / _UNAVAILABLE).
        """
        settings = self._settings
        endpoint = settings.sts_endpoint or (
            settings.dx_endpoint if settings.upstream != "aws" else None
        )

        def ask() -> RoleSession:
            with self._lock:
                sts = self._boto_session().client(
                    "sts", region_name=self.home_region, endpoint_url=endpoint, config=self._config
                )
            answer = sts.assume_role(RoleArn=role_arn, RoleSessionName=session_name)
            credentials = answer["Credentials"]
            return RoleSession(
                role_arn=role_arn,
                account=role_arn.split(":")[4],
                access_key_id=credentials["AccessKeyId"],
                secret_access_key=credentials["SecretAccessKey"],
                session_token=credentials["SessionToken"],
                expires_at=credentials["Expiration"].timestamp(),
            )

        try:
            return await asyncio.get_running_loop().run_in_executor(self._pool, ask)
        except Exception as err:
            raise to_upstream_error(err, "AssumeRole", self.home_region) from None

    def _access_key_id(self) -> str | None:
        if self._role_session is not None:
            return self._role_session.access_key_id
        if self._static_keys is not None:
            return self._static_keys[0]
        with self._lock:
            credentials = self._boto_session().get_credentials()
        return None if credentials is None else str(credentials.access_key)

"""Who is calling: API keys and JWT bearer tokens, mapped to scopes (`read`, `write`, `secrets`).

`install_auth` puts an authentication middleware in front of the API (`/graphql`, GET and POST,
and the LOA downloads under `/loa/`); it stores the caller's `Principal` on
`request.state.principal`. Only the probes and pages that carry no data stay open: `/`,
`/healthz`, `/readyz`, `/metrics`, FastAPI's docs and the GraphiQL page itself (a browser cannot
add a header to a page load; GraphiQL then sends the key with each query).

* API keys: header `X-API-Key`; its SHA-256 is compared in constant time with every configured
  `api_keys[*].sha256` (the key itself is never stored).
* JWT: `Authorization: Bearer <jwt>`, verified with PyJWT against `jwt_public_key` (PEM or HS
  secret) or the keys at `jwt_jwks_url` (cached); issuer, audience, `exp`/`nbf` (30 s leeway);
  scopes from `jwt_scopes_claim`, an IAM role from `jwt_role_claim`, the name from `sub`.

No or bad credentials → HTTP 401 (`UNAUTHENTICATED`, `WWW-Authenticate: Bearer`); a caller
without `read` → 403 (`FORBIDDEN`); the JWKS endpoint unreachable → 503 (`AUTH_UNAVAILABLE`).
Bodies are GraphQL-shaped (`{"errors": [{"message", "extensions": {"code"}}]}`) and no message
or log line ever holds a key or a token: credentials put in a URL (`?apiKey=`, `?access_token=`)
are scrubbed from the request before the app or the server's access log sees it.

With no API key and no JWT key configured, the gateway runs open (every caller may read and
write; secrets stay masked) and says so at startup.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import logging
import time
from typing import Any
from urllib.parse import parse_qs, unquote_to_bytes

import anyio.to_thread
import jwt
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from cryptography.x509 import load_pem_x509_certificate
from fastapi import FastAPI, Request
from starlette.types import ASGIApp, Receive, Scope, Send

from gql.settings import Settings
from resolvers.context import OPEN, Principal

logger = logging.getLogger("dxgraph.auth")

ALL_SCOPES = frozenset({"read", "write", "secrets"})

API_KEY_HEADER = "x-api-key"
JWT_LEEWAY_SECONDS = 30.0
JWKS_TIMEOUT_SECONDS = 5.0
JWKS_CACHE_SECONDS = 300.0
# After a failed JWKS fetch, answer 503 at once for this long instead of queueing every request
# behind another fetch that is likely to fail too.
JWKS_RETRY_SECONDS = 5.0

# Routes that carry no data and must answer without credentials (probes, docs, the redirect).
OPEN_PATHS = frozenset(
    {"/", "/healthz", "/readyz", "/metrics", "/docs", "/docs/oauth2-redirect", "/redoc"}
    | {"/openapi.json", "/favicon.ico"}
)
# ... and folders of static files a browser loads without headers (GraphiQL's vendored assets).
OPEN_PREFIXES = ("/graphiql-assets/",)
_HMAC_PREFIX = "HS"


def principal_of(request: Request) -> Principal:
    """The caller `install_auth`'s middleware identified (`OPEN` when no auth is configured)."""
    principal = getattr(request.state, "principal", None)
    return principal if isinstance(principal, Principal) else OPEN


def api_key_digest(key: str | bytes) -> str:
    """The hex SHA-256 of an API key, as `api_keys[*].sha256` stores it."""
    raw = key.encode() if isinstance(key, str) else key
    return hashlib.sha256(raw).hexdigest()


def is_loopback(host: str) -> bool:
    """Whether binding to `host` keeps the gateway reachable from this machine only."""
    if host.lower() in ("localhost", "localhost.localdomain", "ip6-localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name could resolve anywhere


def startup_refusal(settings: Settings) -> str | None:
    """Why `dxgraph serve` must not start with these settings (None: it may)."""
    if settings.auth_configured or settings.insecure or is_loopback(settings.host):
        return None
    return (
        f"dxgraph: refusing to serve on {settings.host} with no authentication configured - "
        "anyone who can reach it could read the network and run mutations. Configure API keys "
        "(DXGRAPH_API_KEYS) or JWT (DXGRAPH_JWT_JWKS_URL or DXGRAPH_JWT_PUBLIC_KEY), bind to "
        "127.0.0.1, or pass --insecure (DXGRAPH_INSECURE=true) to run open anyway."
    )


class AuthError(Exception):
    """A refused request: HTTP status, our code and a message that never holds a secret."""

    def __init__(
        self,
        message: str,
        *,
        status: int = 401,
        code: str = "UNAUTHENTICATED",
        challenge: str | None = 'Bearer realm="dxgraph"',
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.challenge = challenge
        self.retry_after = retry_after


def _invalid_token(message: str) -> AuthError:
    return AuthError(message, challenge='Bearer realm="dxgraph", error="invalid_token"')


def _scopes(value: Any) -> frozenset[str]:
    """Scopes from a claim: a space-separated string or a list; unknown names are ignored."""
    if isinstance(value, str):
        names = value.split()
    elif isinstance(value, list | tuple):
        names = [item for item in value if isinstance(item, str)]
    else:
        names = []
    return frozenset(names) & ALL_SCOPES


class Authenticator:
    """Turns a request's credentials into a `Principal`, or raises `AuthError`."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.api_keys = [
            (key.sha256.encode(), Principal(key.name, frozenset(key.scopes), key.role_arn))
            for key in settings.api_keys
        ]
        self.static_key: Any = None
        self.jwks: jwt.PyJWKClient | None = None
        self.algorithms: list[str] = []
        self._jwks_failed_until = 0.0
        algorithms = [name for name in settings.jwt_algorithms if name.lower() != "none"]
        if settings.jwt_public_key is not None:
            secret = settings.jwt_public_key.get_secret_value()
            pem = "-----BEGIN" in secret
            self.static_key = _load_pem(secret) if pem else secret
            self.algorithms = [a for a in algorithms if a.startswith(_HMAC_PREFIX) != pem]
            if not self.algorithms:
                kind = "a PEM public key" if pem else "a shared secret"
                raise ValueError(
                    f"jwt_public_key is {kind} but jwt_algorithms ({', '.join(algorithms)}) "
                    "has no algorithm for it (RS*/ES*/PS*/EdDSA for PEM keys, HS* for secrets)"
                )
        elif settings.jwt_jwks_url:
            self.jwks = jwt.PyJWKClient(
                settings.jwt_jwks_url,
                cache_jwk_set=True,
                lifespan=JWKS_CACHE_SECONDS,
                timeout=JWKS_TIMEOUT_SECONDS,
            )
            self.algorithms = [a for a in algorithms if not a.startswith(_HMAC_PREFIX)]
            if not self.algorithms:
                raise ValueError("jwt_algorithms has no public-key algorithm for jwt_jwks_url")

    @property
    def accepts_tokens(self) -> bool:
        return self.static_key is not None or self.jwks is not None

    def _how(self) -> str:
        ways = []
        if self.api_keys:
            ways.append("an API key in the X-API-Key header")
        if self.accepts_tokens:
            ways.append("a bearer token in the Authorization header")
        return " or ".join(ways)

    async def authenticate(self, headers: dict[bytes, bytes]) -> Principal:
        api_key = headers.get(API_KEY_HEADER.encode())
        authorization = headers.get(b"authorization")
        if api_key is not None and authorization is not None:
            raise AuthError("Send either an X-API-Key header or a bearer token, not both.")
        if api_key is not None:
            return self._by_api_key(api_key.strip())
        if authorization is not None:
            scheme, _, token = authorization.strip().partition(b" ")
            if scheme.lower() != b"bearer" or not token.strip():
                raise AuthError("The Authorization header must be 'Bearer <token>'.")
            return await self._by_token(token.strip().decode("latin-1"))
        raise AuthError(f"Authentication required: send {self._how()}.")

    def _by_api_key(self, presented: bytes) -> Principal:
        if not self.api_keys:
            raise AuthError(
                "This gateway does not accept API keys: send a bearer token in the "
                "Authorization header."
            )
        if not presented:
            raise AuthError("The X-API-Key header is empty.")
        digest = api_key_digest(presented).encode()
        found: Principal | None = None
        for stored, principal in self.api_keys:  # no early exit: same work for every key
            if hmac.compare_digest(digest, stored):
                found = principal
        if found is None:
            raise AuthError("Unknown API key.")
        return found

    async def _by_token(self, token: str) -> Principal:
        if not self.accepts_tokens:
            raise AuthError(
                "This gateway does not accept bearer tokens: send an API key in the X-API-Key "
                "header."
            )
        key = self.static_key if self.jwks is None else await self._jwks_key(token)
        settings = self.settings
        required = ["exp", "sub"]
        if settings.jwt_issuer:
            required.append("iss")
        if settings.jwt_audience:
            required.append("aud")
        try:
            claims = jwt.decode(
                token,
                key=key,
                algorithms=self.algorithms,
                audience=settings.jwt_audience,
                issuer=settings.jwt_issuer,
                leeway=JWT_LEEWAY_SECONDS,
                options={"require": required, "verify_aud": settings.jwt_audience is not None},
            )
        except jwt.PyJWTError as err:
            raise _token_error(err, settings, self.algorithms) from None
        scopes = _scopes(claims.get(settings.jwt_scopes_claim))
        role = claims.get(settings.jwt_role_claim) if settings.jwt_role_claim else None
        return Principal(
            name=str(claims["sub"]), scopes=scopes, role_arn=role if isinstance(role, str) else None
        )

    async def _jwks_key(self, token: str) -> Any:
        assert self.jwks is not None
        try:
            kid = jwt.get_unverified_header(token).get("kid")
        except jwt.PyJWTError:
            raise _invalid_token("The bearer token is malformed (not a JWT).") from None
        if not isinstance(kid, str) or not kid:
            raise _invalid_token("The bearer token's header has no key ID ('kid').")
        if time.monotonic() < self._jwks_failed_until:
            raise _jwks_unavailable()
        try:
            return await anyio.to_thread.run_sync(self._signing_key, kid)
        except jwt.PyJWKClientConnectionError as err:
            self._jwks_failed_until = time.monotonic() + JWKS_RETRY_SECONDS
            logger.warning("JWKS endpoint unreachable: %s", err)
            raise _jwks_unavailable() from None
        except (jwt.PyJWKSetError, jwt.PyJWKClientError) as err:
            if isinstance(err, _UnknownKid):
                raise _invalid_token(
                    "The bearer token is signed with a key the JWKS endpoint does not list."
                ) from None
            self._jwks_failed_until = time.monotonic() + JWKS_RETRY_SECONDS
            logger.warning("JWKS endpoint answered no usable keys: %s", err)
            raise _jwks_unavailable() from None

    def _signing_key(self, kid: str) -> Any:
        """The JWKS key for `kid` (runs in a worker thread: PyJWKClient fetches synchronously)."""
        assert self.jwks is not None
        self.jwks.get_signing_keys()  # the endpoint is reachable and lists keys, or this raises
        try:
            return self.jwks.get_signing_key(kid)
        except jwt.PyJWKClientConnectionError:
            raise
        except jwt.PyJWKClientError:
            raise _UnknownKid from None


class _UnknownKid(jwt.PyJWKClientError):
    pass


def _jwks_unavailable() -> AuthError:
    return AuthError(
        "Cannot verify bearer tokens right now: the JWKS endpoint is unreachable or lists no "
        "keys. Retry later.",
        status=503,
        code="AUTH_UNAVAILABLE",
        challenge=None,
        retry_after=JWKS_RETRY_SECONDS,
    )


def _token_error(err: jwt.PyJWTError, settings: Settings, algorithms: list[str]) -> AuthError:
    """A precise message for a token PyJWT refused (never the token itself)."""
    if isinstance(err, jwt.ExpiredSignatureError):
        return _invalid_token("The bearer token has expired.")
    if isinstance(err, jwt.ImmatureSignatureError):
        return _invalid_token("The bearer token is not valid yet (nbf or iat in the future).")
    if isinstance(err, jwt.InvalidAudienceError):
        return _invalid_token(
            f"The bearer token has the wrong audience (this gateway is {settings.jwt_audience!r})."
        )
    if isinstance(err, jwt.InvalidIssuerError):
        return _invalid_token(
            f"The bearer token has the wrong issuer (this gateway trusts {settings.jwt_issuer!r})."
        )
    if isinstance(err, jwt.MissingRequiredClaimError):
        return _invalid_token(f"The bearer token lacks the required {err.claim!r} claim.")
    if isinstance(err, jwt.InvalidSignatureError):
        return _invalid_token("The bearer token's signature is invalid.")
    if isinstance(err, jwt.InvalidKeyError):
        return _invalid_token("The bearer token's algorithm does not fit the gateway's key.")
    if isinstance(err, jwt.InvalidAlgorithmError):
        return _invalid_token(
            f"The bearer token's signing algorithm is not accepted ({', '.join(algorithms)})."
        )
    if isinstance(err, jwt.DecodeError):
        return _invalid_token("The bearer token is malformed (not a JWT).")
    return _invalid_token(f"The bearer token is invalid ({type(err).__name__}).")


def _load_pem(pem: str) -> Any:
    data = pem.strip().encode()
    try:
        if b"CERTIFICATE" in data.split(b"\n", 1)[0]:
            return load_pem_x509_certificate(data).public_key()
        return load_pem_public_key(data)
    except ValueError:
        raise ValueError("jwt_public_key is not a valid PEM public key or certificate") from None


# Query parameters that may carry a credential (GraphiQL's `?apiKey=`, RFC 6750's
# `access_token`): their values are scrubbed from the request before anything can log its URL.
_URL_CREDENTIALS = frozenset({b"apikey", b"api_key", b"x-api-key", b"access_token", b"token"})
_SCRUBBED = b"********"


def scrub_query_string(query: bytes) -> bytes:
    """`query` with the values of credential parameters replaced by `********`."""
    parts = query.split(b"&")
    for index, part in enumerate(parts):
        name, sep, value = part.partition(b"=")
        if sep and value and unquote_to_bytes(name).lower() in _URL_CREDENTIALS:
            parts[index] = name + b"=" + _SCRUBBED
    return b"&".join(parts)


def _graphiql_page(scope: Scope, headers: dict[bytes, bytes]) -> bool:
    """Strawberry's rule for serving the GraphiQL page (GET, no `query`, accepts HTML)."""
    if scope["method"] != "GET":
        return False
    if "query" in parse_qs(scope.get("query_string", b"").decode("latin-1"), True):
        return False
    accept = headers.get(b"accept", b"")
    return b"text/html" in accept or b"*/*" in accept


class AuthMiddleware:
    """ASGI middleware: authenticates every HTTP and WebSocket request but the open routes."""

    def __init__(self, app: ASGIApp, authenticator: Authenticator, graphiql: bool) -> None:
        self.app = app
        self.authenticator = authenticator
        self.graphiql = graphiql

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        query: bytes = scope.get("query_string", b"")
        if query:
            # in place: the server's access log reads this very scope once the response is sent
            scope["query_string"] = scrub_query_string(query)
        path: str = scope["path"]
        root: str = scope.get("root_path", "")
        if root and path.startswith(root):
            path = path[len(root) :] or "/"
        headers: dict[bytes, bytes] = {}
        for name, value in scope["headers"]:
            headers.setdefault(name.lower(), value)
        if (
            path in OPEN_PATHS
            or path.startswith(OPEN_PREFIXES)
            or (
                scope["type"] == "http"
                and self.graphiql
                and path.rstrip("/") == "/graphql"
                and _graphiql_page(scope, headers)
            )
        ):
            await self.app(scope, receive, send)
            return
        try:
            principal = await self.authenticator.authenticate(headers)
            if "read" not in principal.scopes:
                raise AuthError(
                    f"Caller {principal.name!r} lacks the 'read' scope.",
                    status=403,
                    code="FORBIDDEN",
                    challenge=None,
                )
        except AuthError as err:
            logger.info("request refused (%s %s): %s", err.status, path, err.message)
            await _refuse(scope, receive, send, err)
            return
        logger.debug("authenticated %r (scopes %s)", principal.name, sorted(principal.scopes))
        scope.setdefault("state", {})["principal"] = principal
        await self.app(scope, receive, send)


async def _refuse(scope: Scope, receive: Receive, send: Send, err: AuthError) -> None:
    if scope["type"] == "websocket":
        await receive()  # websocket.connect
        await send({"type": "websocket.close", "code": 1008, "reason": err.message[:120]})
        return
    body = json.dumps(
        {"errors": [{"message": err.message, "extensions": {"code": err.code}}]}
    ).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"cache-control", b"no-store"),
    ]
    if err.challenge:
        headers.append((b"www-authenticate", err.challenge.encode()))
    if err.retry_after is not None:
        headers.append((b"retry-after", str(int(err.retry_after)).encode()))
    await send({"type": "http.response.start", "status": err.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def install_auth(app: FastAPI, settings: Settings) -> None:
    """Adds authentication in front of the API when API keys or a JWT key are configured.

    Raises:
        ValueError: the JWT settings cannot work (bad PEM, no algorithm fitting the key).
    """
    if not settings.auth_configured:
        where = (
            "demo mode: only this machine can reach it"
            if is_loopback(settings.host)
            else f"INSECURE: listening on {settings.host}"
        )
        logger.warning(
            "dxgraph: no authentication configured - the gateway is OPEN: every caller may read "
            "and run mutations (%s). Set DXGRAPH_API_KEYS or DXGRAPH_JWT_* to require credentials.",
            where,
        )
        return
    authenticator = Authenticator(settings)
    if authenticator.accepts_tokens and not (settings.jwt_audience and settings.jwt_issuer):
        logger.warning(
            "dxgraph: JWT bearer tokens are accepted without a required %s: set "
            "DXGRAPH_JWT_ISSUER and DXGRAPH_JWT_AUDIENCE so tokens meant for other services "
            "are refused",
            " or ".join(
                name
                for name, value in (
                    ("issuer", settings.jwt_issuer),
                    ("audience", settings.jwt_audience),
                )
                if not value
            ),
        )
    app.add_middleware(AuthMiddleware, authenticator=authenticator, graphiql=settings.graphiql)

"""Authentication over real HTTP: API keys and JWT bearer tokens (static key and JWKS URL), the
scopes they grant (`read`, `write`, `secrets`), the refusals (401/403/503, GraphQL-shaped), the
routes that stay open, and not one key or token in any log line."""

from __future__ import annotations

import json
import logging
import secrets
import socket
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from pydantic import SecretStr

from gql.http.auth import api_key_digest
from gql.http.server import GatewayServer
from gql.settings import ApiKey, Settings
from tests.conftest import CUSTOMER

ISSUER = "https://idp.example.test/"
AUDIENCE = "dxgraph-tests"
KID = "test-key-1"
BGP_SECRET = "bgp-md5-" + secrets.token_hex(8)

READ_KEY = "rk_" + secrets.token_urlsafe(24)
WRITE_KEY = "wk_" + secrets.token_urlsafe(24)
SECRETS_KEY = "sk_" + secrets.token_urlsafe(24)
NO_READ_KEY = "nk_" + secrets.token_urlsafe(24)
UNKNOWN_KEY = "uk_" + secrets.token_urlsafe(24)
HS_SECRET = "hs_" + secrets.token_urlsafe(32)

SIGNER = rsa.generate_private_key(public_exponent=65537, key_size=2048)
FORGER = rsa.generate_private_key(public_exponent=65537, key_size=2048)
PUBLIC_PEM = (
    SIGNER.public_key()
    .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    .decode()
)

# Every credential the tests send: none of them may show up in a log line or a response.
SENT: set[str] = {READ_KEY, WRITE_KEY, SECRETS_KEY, NO_READ_KEY, UNKNOWN_KEY, HS_SECRET, BGP_SECRET}

TAG = """mutation($input: TagResourceInput!) {
  tagResource(input: $input) { resourceArn tags { key value } } }"""
VIF_SECRETS = """query($id: String!) { virtualInterface(virtualInterfaceId: $id) {
  authKey bgpPeers { authKey } } }"""
GATEWAY_LOGGERS = ("", "dxgraph", "dxgraph.auth", "uvicorn", "uvicorn.error", "uvicorn.access")


def token(
    signer: Any = SIGNER, algorithm: str = "RS256", kid: str | None = None, **claims: Any
) -> str:
    """A JWT with sensible defaults (claims set to None are left out); remembered in `SENT`."""
    now = int(time.time())
    body = {
        "sub": "alice@example.test",
        "iss": ISSUER,
        "aud": AUDIENCE,
        "iat": now,
        "exp": now + 300,
        "scope": "read",
    } | claims
    encoded = jwt.encode(
        {name: value for name, value in body.items() if value is not None},
        signer,
        algorithm=algorithm,
        headers={"kid": kid} if kid else None,
    )
    SENT.add(encoded)
    return encoded


def bearer(encoded: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {encoded}"}


def key(value: str) -> dict[str, str]:
    return {"X-API-Key": value}


def call(
    url: str,
    query: str,
    variables: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    response = httpx.post(
        f"{url}/graphql",
        json={"query": query, "variables": variables or {}},
        headers=headers or {},
        timeout=30,
    )
    for sent in SENT:
        assert sent not in response.text, "a credential was echoed in a response"
    return response


def refusal(response: httpx.Response, status: int, code: str) -> str:
    """The message of a GraphQL-shaped refusal, after checking its status and code."""
    assert response.status_code == status, response.text
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == code
    message: str = error["message"]
    return message


def watch_logs(caplog: pytest.LogCaptureFixture) -> None:
    """Captures every gateway logger at DEBUG, uvicorn's non-propagating ones included."""
    for name in GATEWAY_LOGGERS:
        logger = logging.getLogger(name)
        logger.setLevel(logging.DEBUG)
        if not logger.propagate and caplog.handler not in logger.handlers:
            logger.addHandler(caplog.handler)


def logged_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    return [
        formatter.format(record)
        for when in ("setup", "call")
        for record in caplog.get_records(when)
    ]


@pytest.fixture(autouse=True)
def _no_secret_in_logs(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    caplog.set_level(logging.DEBUG)
    watch_logs(caplog)
    yield
    for line in logged_lines(caplog):
        for sent in SENT:
            assert sent not in line, f"a credential was logged: {line[:80]}..."
    for name in GATEWAY_LOGGERS:
        logging.getLogger(name).removeHandler(caplog.handler)


def served(settings: Settings, caplog: pytest.LogCaptureFixture) -> Iterator[GatewayServer]:
    with GatewayServer(settings) as server:
        watch_logs(caplog)  # uvicorn configured its loggers while starting
        yield server


@pytest.fixture
def secured(
    gateway_settings: Settings, caplog: pytest.LogCaptureFixture
) -> Iterator[GatewayServer]:
    """API keys (read; read+write; read+secrets; secrets only) and RS256 tokens (static key)."""
    keys = [
        ApiKey(name="reader", sha256=api_key_digest(READ_KEY), scopes=["read"]),
        ApiKey(name="writer", sha256=api_key_digest(WRITE_KEY), scopes=["read", "write"]),
        ApiKey(name="auditor", sha256=api_key_digest(SECRETS_KEY), scopes=["read", "secrets"]),
        ApiKey(name="blind", sha256=api_key_digest(NO_READ_KEY), scopes=["secrets"]),
    ]
    settings = gateway_settings.model_copy(
        update={
            "api_keys": keys,
            "jwt_public_key": SecretStr(PUBLIC_PEM),
            "jwt_algorithms": ["RS256"],
            "jwt_issuer": ISSUER,
            "jwt_audience": AUDIENCE,
        }
    )
    yield from served(settings, caplog)


def connection_arn(dx: Any) -> str:
    connection_id = dx.create_connection(location="EqDC2", bandwidth="1Gbps", connectionName="c")[
        "connectionId"
    ]
    return f"arn:aws:directconnect:us-east-1:{CUSTOMER}:dxcon/{connection_id}"


def tags_of(dx: Any, arn: str) -> list[dict[str, str]]:
    [entry] = dx.describe_tags(resourceArns=[arn])["resourceTags"]
    tags: list[dict[str, str]] = entry["tags"]
    return tags


# -- no or bad credentials ------------------------------------------------------------------


def test_no_credentials_get_401_with_a_bearer_challenge_on_graphql_get_post_and_loa(
    secured: GatewayServer,
) -> None:
    message = refusal(call(secured.url, "{ regions }"), 401, "UNAUTHENTICATED")
    assert "X-API-Key" in message
    assert "bearer token" in message
    response = call(secured.url, "{ regions }")
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.headers["content-type"] == "application/json"
    by_get = httpx.get(f"{secured.url}/graphql", params={"query": "{ regions }"}, timeout=10)
    refusal(by_get, 401, "UNAUTHENTICATED")
    loa = httpx.get(f"{secured.url}/loa/us-east-1/dxcon-abcdefgh.pdf", timeout=10)
    refusal(loa, 401, "UNAUTHENTICATED")
    with_key = httpx.get(
        f"{secured.url}/loa/us-east-1/dxcon-abcdefgh.pdf", headers=key(READ_KEY), timeout=10
    )
    assert with_key.status_code == 404  # authenticated: the LOA route itself answers


def test_an_unknown_api_key_gets_401_saying_so_without_echoing_it(secured: GatewayServer) -> None:
    response = call(secured.url, "{ regions }", headers=key(UNKNOWN_KEY))
    assert refusal(response, 401, "UNAUTHENTICATED") == "Unknown API key."
    assert response.headers["www-authenticate"].startswith("Bearer")
    empty = call(secured.url, "{ regions }", headers=key(""))
    assert refusal(empty, 401, "UNAUTHENTICATED") == "The X-API-Key header is empty."


def test_a_non_bearer_authorization_or_two_credentials_at_once_get_401(
    secured: GatewayServer,
) -> None:
    basic = call(secured.url, "{ regions }", headers={"Authorization": f"Basic {UNKNOWN_KEY}"})
    assert "Bearer <token>" in refusal(basic, 401, "UNAUTHENTICATED")
    both = call(secured.url, "{ regions }", headers=key(READ_KEY) | bearer(token()))
    assert "not both" in refusal(both, 401, "UNAUTHENTICATED")


def test_a_key_without_the_read_scope_gets_403_forbidden(secured: GatewayServer) -> None:
    response = call(secured.url, "{ regions }", headers=key(NO_READ_KEY))
    assert "'read'" in refusal(response, 403, "FORBIDDEN")


# -- API key scopes -------------------------------------------------------------------------


def test_a_read_key_reads_but_its_mutation_gets_403_forbidden_and_changes_nothing(
    secured: GatewayServer, dx: Any
) -> None:
    read = call(secured.url, "{ regions }", headers=key(READ_KEY))
    assert read.status_code == 200
    assert read.json()["data"]["regions"] == ["us-east-1", "us-west-2"]
    arn = connection_arn(dx)
    variables = {"input": {"resourceArn": arn, "tags": [{"key": "env", "value": "prod"}]}}
    response = call(secured.url, TAG, variables, headers=key(READ_KEY))
    assert "may not run mutations" in refusal(response, 403, "FORBIDDEN")
    assert tags_of(dx, arn) == []


def test_a_write_key_runs_a_mutation(secured: GatewayServer, dx: Any) -> None:
    arn = connection_arn(dx)
    variables = {"input": {"resourceArn": arn, "tags": [{"key": "env", "value": "prod"}]}}
    response = call(secured.url, TAG, variables, headers=key(WRITE_KEY))
    assert response.status_code == 200, response.text
    assert response.json()["data"]["tagResource"]["tags"] == [{"key": "env", "value": "prod"}]
    assert tags_of(dx, arn) == [{"key": "env", "value": "prod"}]


def test_bgp_auth_keys_are_masked_without_the_secrets_scope_and_clear_with_it(
    secured: GatewayServer, dx: Any
) -> None:
    connection = dx.create_connection(location="EqDC2", bandwidth="1Gbps", connectionName="c")
    dx.describe_connections()  # lets the connection become available
    vgw = dx.describe_virtual_gateways()["virtualGateways"][0]["virtualGatewayId"]
    vif = dx.create_private_virtual_interface(
        connectionId=connection["connectionId"],
        newPrivateVirtualInterface={
            "virtualInterfaceName": "secret-vif",
            "vlan": 101,
            "asn": 65000,
            "authKey": BGP_SECRET,
            "virtualGatewayId": vgw,
        },
    )["virtualInterfaceId"]
    variables = {"id": vif}
    masked = call(secured.url, VIF_SECRETS, variables, headers=key(READ_KEY)).json()
    assert masked["data"]["virtualInterface"] == {
        "authKey": "********",
        "bgpPeers": [{"authKey": "********"}],
    }
    clear = httpx.post(
        f"{secured.url}/graphql",
        json={"query": VIF_SECRETS, "variables": variables},
        headers=key(SECRETS_KEY),
        timeout=30,
    ).json()
    assert clear["data"]["virtualInterface"] == {
        "authKey": BGP_SECRET,
        "bgpPeers": [{"authKey": BGP_SECRET}],
    }
    with_token = httpx.post(
        f"{secured.url}/graphql",
        json={"query": VIF_SECRETS, "variables": variables},
        headers=bearer(token(scope="read secrets")),
        timeout=30,
    ).json()
    assert with_token["data"]["virtualInterface"]["authKey"] == BGP_SECRET


# -- JWT with a static key ------------------------------------------------------------------


def test_a_valid_jwt_reads_and_unknown_scope_names_are_ignored(secured: GatewayServer) -> None:
    response = call(
        secured.url, "{ regions }", headers=bearer(token(scope="read dxgraph:admin sudo"))
    )
    assert response.status_code == 200, response.text
    assert response.json()["data"]["regions"] == ["us-east-1", "us-west-2"]


def test_a_jwt_with_write_in_a_scope_list_runs_a_mutation_and_without_it_gets_403(
    secured: GatewayServer, dx: Any
) -> None:
    arn = connection_arn(dx)
    variables = {"input": {"resourceArn": arn, "tags": [{"key": "by", "value": "jwt"}]}}
    reader = call(secured.url, TAG, variables, headers=bearer(token(scope="read")))
    refusal(reader, 403, "FORBIDDEN")
    writer = call(secured.url, TAG, variables, headers=bearer(token(scope=["read", "write"])))
    assert writer.status_code == 200, writer.text
    assert tags_of(dx, arn) == [{"key": "by", "value": "jwt"}]


@pytest.mark.parametrize(
    ("claims", "says"),
    [
        ({"exp": int(time.time()) - 3600, "iat": int(time.time()) - 7200}, "has expired"),
        ({"aud": "some-other-service"}, "wrong audience"),
        ({"iss": "https://evil.example.test/"}, "wrong issuer"),
        ({"nbf": int(time.time()) + 3600}, "not valid yet"),
        ({"exp": None}, "'exp' claim"),
        ({"signer": FORGER}, "signature is invalid"),
        ({"signer": HS_SECRET, "algorithm": "HS256"}, "algorithm is not accepted"),
    ],
    ids=[
        "expired",
        "wrong-audience",
        "wrong-issuer",
        "not-yet-valid",
        "no-exp",
        "bad-signature",
        "hs256-against-an-rsa-key",
    ],
)
def test_a_bad_jwt_gets_401_saying_precisely_what_is_wrong(
    secured: GatewayServer, claims: dict[str, Any], says: str
) -> None:
    response = call(secured.url, "{ regions }", headers=bearer(token(**claims)))
    assert says in refusal(response, 401, "UNAUTHENTICATED")
    assert 'error="invalid_token"' in response.headers["www-authenticate"]


def test_a_token_that_is_not_a_jwt_gets_401_malformed(secured: GatewayServer) -> None:
    response = call(secured.url, "{ regions }", headers=bearer(UNKNOWN_KEY))
    assert "malformed" in refusal(response, 401, "UNAUTHENTICATED")


def test_an_hs256_shared_secret_verifies_tokens_when_configured(
    gateway_settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    settings = gateway_settings.model_copy(
        update={
            "jwt_public_key": SecretStr(HS_SECRET),
            "jwt_algorithms": ["HS256"],
            "jwt_audience": AUDIENCE,
            "jwt_issuer": ISSUER,
        }
    )
    for server in served(settings, caplog):
        good = call(server.url, "{ regions }", headers=bearer(token(HS_SECRET, "HS256")))
        assert good.status_code == 200, good.text
        forged = call(server.url, "{ regions }", headers=bearer(token("x" * 32, "HS256")))
        assert "signature" in refusal(forged, 401, "UNAUTHENTICATED")
        api_key = call(server.url, "{ regions }", headers=key(READ_KEY))
        assert "does not accept API keys" in refusal(api_key, 401, "UNAUTHENTICATED")


# -- JWT through a JWKS URL ------------------------------------------------------------------


class JwksServer:
    """A JWKS document on a loopback ephemeral port, counting how often it is fetched."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.hits = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.hits += 1
                body = json.dumps(document).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/.well-known/jwks.json"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def jwks_settings(gateway_settings: Settings, url: str) -> Settings:
    return gateway_settings.model_copy(
        update={
            "jwt_jwks_url": url,
            "jwt_algorithms": ["RS256", "ES256"],
            "jwt_issuer": ISSUER,
            "jwt_audience": AUDIENCE,
        }
    )


@pytest.fixture
def jwks() -> Iterator[JwksServer]:
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(SIGNER.public_key()))
    server = JwksServer({"keys": [jwk | {"kid": KID, "use": "sig", "alg": "RS256"}]})
    yield server
    server.close()


def test_a_jwt_verified_through_a_jwks_url_reads_and_the_key_set_is_fetched_once(
    gateway_settings: Settings, jwks: JwksServer, caplog: pytest.LogCaptureFixture
) -> None:
    for server in served(jwks_settings(gateway_settings, jwks.url), caplog):
        for _ in range(3):
            response = call(server.url, "{ regions }", headers=bearer(token(kid=KID)))
            assert response.status_code == 200, response.text
        assert jwks.hits == 1
        forged = call(server.url, "{ regions }", headers=bearer(token(FORGER, kid=KID)))
        assert "signature is invalid" in refusal(forged, 401, "UNAUTHENTICATED")
        stranger = call(server.url, "{ regions }", headers=bearer(token(FORGER, kid="other")))
        assert "does not list" in refusal(stranger, 401, "UNAUTHENTICATED")
        no_kid = call(server.url, "{ regions }", headers=bearer(token()))
        assert "no key ID" in refusal(no_kid, 401, "UNAUTHENTICATED")
        expired = call(
            server.url, "{ regions }", headers=bearer(token(kid=KID, exp=int(time.time()) - 600))
        )
        assert "expired" in refusal(expired, 401, "UNAUTHENTICATED")


def test_an_unreachable_jwks_url_gets_503_not_401(
    gateway_settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{sock.getsockname()[1]}/jwks.json"
    for server in served(jwks_settings(gateway_settings, dead), caplog):
        for _ in range(2):  # the second is answered from the failure memory, as clearly
            response = call(server.url, "{ regions }", headers=bearer(token(kid=KID)))
            assert "JWKS endpoint" in refusal(response, 503, "AUTH_UNAVAILABLE")
            assert "www-authenticate" not in response.headers
            assert int(response.headers["retry-after"]) > 0


# -- what stays open ---------------------------------------------------------------------------


def test_health_metrics_index_and_the_graphiql_page_need_no_credentials(
    secured: GatewayServer,
) -> None:
    for path in ("/healthz", "/readyz", "/metrics"):
        response = httpx.get(f"{secured.url}{path}", timeout=10)
        assert response.status_code not in (401, 403), path
        assert "www-authenticate" not in response.headers
    index = httpx.get(f"{secured.url}/", timeout=10)
    assert index.status_code == 307
    page = httpx.get(f"{secured.url}/graphql", headers={"Accept": "text/html"}, timeout=10)
    assert page.status_code == 200
    assert "graphiql" in page.text.lower()
    asset = httpx.get(f"{secured.url}/graphiql-assets/graphiql.min.js", timeout=10)
    assert asset.status_code not in (401, 403)


def test_a_key_put_in_the_graphiql_url_is_scrubbed_before_the_access_log_sees_it(
    secured: GatewayServer, caplog: pytest.LogCaptureFixture
) -> None:
    logging.getLogger("uvicorn.access").setLevel(logging.INFO)  # as a deployment may run it
    query = urllib.parse.urlencode({"apiKey": READ_KEY, "q": "{ regions }"})
    # urllib, not httpx: the test's own client would log the URL it was given
    request = urllib.request.Request(
        f"{secured.url}/graphql?{query}", headers={"Accept": "text/html"}
    )
    with urllib.request.urlopen(request, timeout=10) as page:
        assert page.status == 200  # the page itself; its queries then carry the key
    access = [line for line in logged_lines(caplog) if line.startswith("uvicorn.access")]
    assert any("/graphql?apiKey=********&q=" in line for line in access), access


def test_an_open_gateway_runs_mutations_without_credentials(
    gateway: GatewayServer, dx: Any
) -> None:
    arn = connection_arn(dx)
    variables = {"input": {"resourceArn": arn, "tags": [{"key": "open"}]}}
    response = call(gateway.url, TAG, variables)
    assert response.status_code == 200, response.text
    assert tags_of(dx, arn) == [{"key": "open"}]


# -- logs ----------------------------------------------------------------------------------------


def test_no_key_or_token_appears_in_any_log_line(
    secured: GatewayServer, caplog: pytest.LogCaptureFixture
) -> None:
    attempts = [
        key(READ_KEY),
        key(UNKNOWN_KEY),
        key(NO_READ_KEY),
        bearer(token(scope="read write secrets")),
        bearer(token(exp=int(time.time()) - 3600)),
        bearer(token(FORGER)),
        bearer(UNKNOWN_KEY),
        {"Authorization": UNKNOWN_KEY},
    ]
    for headers in attempts:
        call(secured.url, "{ regions }", headers=headers)
    lines = logged_lines(caplog)
    refused = [line for line in lines if "request refused" in line]
    assert len(refused) == len(attempts) - 2  # the read key and the valid token passed
    assert any("Unknown API key" in line for line in refused)
    assert any("expired" in line for line in refused)
    assert any("authenticated 'reader'" in line for line in lines)
    for line in lines:
        for sent in SENT:
            assert sent not in line, f"a credential was logged: {line[:80]}..."

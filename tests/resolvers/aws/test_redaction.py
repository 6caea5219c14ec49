"""One redaction for the whole gateway: each kind of secret masked by `redact`, in a log line
(whatever logger writes it) and in a GraphQL error message (where GraphQL echoes the input)."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from graphql import GraphQLError

from gql.engine.extensions import classify
from gql.engine.schema import build_schema
from gql.http.logs import install_log_redaction
from resolvers.aws.redaction import MASK, redact

# (text carrying a secret, the secret): one case per pattern
SECRETS = {
    "amazon BGP key": ("router key 0xAbCdEf0123456789abcdef01", "0xAbCdEf0123456789abcdef01"),
    "authKey in JSON": ('{"newBGPPeer": {"authKey": "bgp key with spaces"}}', "key with"),
    "auth_key=, a key holding ; and )": ("auth_key=s3c;r3t)x next", "s3c;r3t)x"),
    "bgp_auth_key XML": ("<bgp_auth_key>s3cr3tKey</bgp_auth_key>", "s3cr3tKey"),
    "authKey> separator": ("authKey>s3cr3tKey", "s3cr3tKey"),
    "authentication-key": ('authentication-key "s3c;r3t";', "s3c;r3t"),
    "bearer token": ("sent bearer abcdefghijklmnop1234 upstream", "abcdefghijklmnop1234"),
    "JWT": ("token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJvcHMifQ.c2lnbmF0dXJl", "eyJzdWIiOiJvcHMifQ"),
    "URL password": ("redis://user:hunter2pass@cache:6379/0", "hunter2pass"),
    "X-API-Key header": ("X-API-Key: k-12345678", "k-12345678"),
    "Authorization header": ("authorization: Basic dXNlcjpwYXNz", "dXNlcjpwYXNz"),
    "AWS secret key": ("aws_secret_access_key=wJalrXUtnFEMIK7MDENG", "wJalrXUtnFEMIK7MDENG"),
    "AWS session token": ("aws_session_token=FQoGZXIvYXdzE1", "FQoGZXIvYXdzE1"),
    "request signature": ("?X-Amz-Signature=abcdef0123&x=1", "abcdef0123"),
    "password parameter": ("?password=hunter2&next=1", "hunter2"),
    "JWT verification key": ("jwt_public_key=shared-secret-value", "shared-secret-value"),
}

INNOCENT = [
    "127.0.0.1 - GET /healthz 200",
    "the bearer token expired",
    "Field 'NewBGPPeer.authKey' of required type 'String!' was not provided.",
    "Cannot query field 'signature' on type 'Query'.",
    "<authKey>s3cr3t</authKey> stays closed",
]


@pytest.mark.parametrize(("text", "secret"), SECRETS.values(), ids=SECRETS.keys())
def test_redact_masks_each_kind_of_secret(text: str, secret: str) -> None:
    masked = redact(text)
    assert secret not in masked
    assert MASK in masked
    assert redact(masked) == masked


def test_redact_leaves_innocent_text_and_what_surrounds_a_secret_alone() -> None:
    assert [redact(text) for text in INNOCENT] == [
        *INNOCENT[:4],
        f"<authKey>{MASK}</authKey> stays closed",
    ]
    assert redact('{"authKey": "k", "asn": 65000}') == f'{{"authKey": "{MASK}", "asn": 65000}}'


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.mark.parametrize(("text", "secret"), SECRETS.values(), ids=SECRETS.keys())
def test_log_lines_of_any_logger_have_each_kind_of_secret_masked(text: str, secret: str) -> None:
    install_log_redaction()
    capture = Capture()
    library = logging.getLogger("tests.redaction")
    library.addHandler(capture)
    library.setLevel(logging.DEBUG)
    try:
        library.info(text)
        library.info("upstream said %s", text)
    finally:
        library.removeHandler(capture)
    assert len(capture.lines) == 2
    assert not [line for line in capture.lines if secret in line]
    assert all(MASK in line for line in capture.lines)


@pytest.mark.parametrize(("text", "secret"), SECRETS.values(), ids=SECRETS.keys())
def test_graphql_error_messages_have_each_kind_of_secret_masked(text: str, secret: str) -> None:
    (coded,) = classify(GraphQLError(f"Unexpected value: {text}"))
    assert secret not in coded.message
    assert MASK in coded.message


@pytest.fixture(scope="module")
def schema() -> Any:
    return build_schema()


async def test_a_bgp_key_graphql_echoes_from_a_refused_variable_is_masked(schema: Any) -> None:
    document = """mutation($input: CreateBgpPeerInput!) {
      createBgpPeer(input: $input) { virtualInterface { virtualInterfaceId } } }"""
    peer = {"asn": 65000, "authKey": "k;e y", "note": "0xAbCdEf0123456789abcdef01"}
    result = await schema.execute(
        document, variable_values={"input": {"virtualInterfaceId": "dxvif-x", "newBGPPeer": peer}}
    )
    (error,) = result.errors
    assert error.extensions == {"code": "BAD_USER_INPUT"}
    assert "unknown field 'note'" in error.message  # graphql-core echoed the whole input
    assert f"'authKey': '{MASK}'" in error.message
    assert "k;e y" not in error.message
    assert "0xAbCdEf" not in error.message

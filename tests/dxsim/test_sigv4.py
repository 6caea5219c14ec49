"""SigV4 as Direct Connect checks it: who signed, for which region, and bad signatures refused."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from botocore.exceptions import ClientError

from dxsim import DXServer, Simulator
from dxsim.accounts import CredentialStore
from tests.conftest import CUSTOMER, OTHER, error_of
from tests.dxsim.shapes import boto_client, raw_call, signed_headers

STRICT_KEYS = [
    {"accessKeyId": "AKIAOPS0000000000001", "secretAccessKey": "ops-secret", "accountId": OTHER},
]


def error_code(response: httpx.Response) -> tuple[int, str, str]:
    body = response.json()
    return response.status_code, body["__type"], body["message"]


@pytest.fixture(scope="module")
def strict_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DXServer]:
    """A server started with a credentials file: only the listed keys are accepted."""
    path = tmp_path_factory.mktemp("creds") / "credentials.json"
    path.write_text(json.dumps(STRICT_KEYS))
    server = DXServer(Simulator(credentials=CredentialStore.from_file(path)))
    server.start()
    yield server
    server.stop()


def test_request_without_authorization_is_missing_authentication_token(dx_url: str) -> None:
    response = httpx.post(
        f"{dx_url}/",
        content=b"{}",
        headers={
            "X-Amz-Target": "OvertureService.DescribeLocations",
            "Content-Type": "application/x-amz-json-1.1",
        },
    )
    assert error_code(response) == (
        403,
        "MissingAuthenticationTokenException",
        "Missing Authentication Token",
    )


def test_wrong_secret_is_invalid_signature(dx_url: str) -> None:
    status, code, message = error_code(
        raw_call(dx_url, "DescribeLocations", secret_key="not-the-secret")
    )
    assert (status, code) == (403, "InvalidSignatureException")
    assert "does not match the signature you provided" in message


def test_wrong_secret_through_boto3_raises_invalid_signature(dx_url: str) -> None:
    client = boto_client(dx_url, secret_key="wrong")
    with pytest.raises(ClientError) as exc:
        client.describe_locations()
    assert error_of(exc)[0] == "InvalidSignatureException"


def test_body_tampered_after_signing_is_invalid_signature(dx_url: str) -> None:
    response = raw_call(
        dx_url,
        "DescribeConnections",
        {"connectionId": "dxcon-faaaaaaa"},
        sent_body=b'{"connectionId": "dxcon-fbbbbbbb"}',
    )
    assert error_code(response)[:2] == (403, "InvalidSignatureException")


def test_declared_payload_hash_must_match_the_body(dx_url: str) -> None:
    signed = b"{}"
    headers = signed_headers(dx_url, signed, target="OvertureService.DescribeConnections")
    headers["X-Amz-Content-SHA256"] = "0" * 64
    response = httpx.post(f"{dx_url}/", content=signed, headers=headers)
    status, code, message = error_code(response)
    assert (status, code) == (403, "InvalidSignatureException")
    assert "x-amz-content-sha256" in message


def test_header_changed_after_signing_is_invalid_signature(dx_url: str) -> None:
    headers = signed_headers(dx_url, b"{}", target="OvertureService.DescribeLocations")
    headers["X-Amz-Target"] = "OvertureService.DescribeConnections"
    response = httpx.post(f"{dx_url}/", content=b"{}", headers=headers)
    assert error_code(response)[:2] == (403, "InvalidSignatureException")


def test_scope_for_another_service_is_refused(dx_url: str) -> None:
    status, code, message = error_code(raw_call(dx_url, "DescribeLocations", service="ec2"))
    assert (status, code) == (403, "InvalidSignatureException")
    assert "Credential should be scoped to correct service: 'directconnect'" in message


def test_signature_older_than_15_minutes_is_expired(dx_url: str) -> None:
    headers = signed_headers(dx_url, b"{}", target="OvertureService.DescribeLocations")
    stale = "20200101T000000Z"
    headers["X-Amz-Date"] = stale
    headers["Authorization"] = headers["Authorization"].replace(
        headers["Authorization"].split("/")[1], stale[:8], 1
    )
    status, code, message = error_code(httpx.post(f"{dx_url}/", content=b"{}", headers=headers))
    assert (status, code) == (403, "InvalidSignatureException")
    assert message.startswith(f"Signature expired: {stale} is now earlier than")


def test_malformed_authorization_header_is_incomplete_signature(dx_url: str) -> None:
    response = httpx.post(
        f"{dx_url}/",
        content=b"{}",
        headers={
            "Authorization": "Bearer abc",
            "X-Amz-Target": "OvertureService.DescribeLocations",
            "Content-Type": "application/x-amz-json-1.1",
        },
    )
    assert error_code(response)[:2] == (403, "IncompleteSignatureException")


def test_twelve_digit_access_key_acts_as_that_account(dx_for: Any) -> None:
    other = dx_for(OTHER)
    created = other.create_connection(location="EqDC2", bandwidth="1Gbps", connectionName="c")
    assert created["ownerAccount"] == OTHER
    assert dx_for(CUSTOMER).describe_connections()["connections"] == []
    assert [c["connectionId"] for c in other.describe_connections()["connections"]] == [
        created["connectionId"]
    ]


def test_region_comes_from_the_signing_scope(dx_for: Any) -> None:
    dublin = dx_for(CUSTOMER, "eu-west-1")
    virginia = dx_for(CUSTOMER, "us-east-1")
    in_dublin = dublin.create_connection(location="EqLD5", bandwidth="1Gbps", connectionName="d")
    in_virginia = virginia.create_connection(
        location="EqDC2", bandwidth="1Gbps", connectionName="v"
    )
    assert in_dublin["region"] == "eu-west-1"
    assert [c["connectionId"] for c in dublin.describe_connections()["connections"]] == [
        in_dublin["connectionId"]
    ]
    assert [c["connectionId"] for c in virginia.describe_connections()["connections"]] == [
        in_virginia["connectionId"]
    ]


def test_locations_follow_the_signing_region(dx_for: Any) -> None:
    regions = {
        loc["region"] for loc in dx_for(CUSTOMER, "eu-west-1").describe_locations()["locations"]
    }
    assert regions == {"eu-west-1"}


def test_server_with_credentials_file_accepts_a_listed_key(strict_server: DXServer) -> None:
    key = STRICT_KEYS[0]
    client = boto_client(
        strict_server.url, access_key=key["accessKeyId"], secret_key=key["secretAccessKey"]
    )
    created = client.create_connection(location="EqDC2", bandwidth="1Gbps", connectionName="c")
    assert created["ownerAccount"] == OTHER


@pytest.mark.parametrize("access_key", ["test", "123456789012", "AKIAUNKNOWN000000000"])
def test_server_with_credentials_file_refuses_unlisted_keys(
    strict_server: DXServer, access_key: str
) -> None:
    response = raw_call(strict_server.url, "DescribeLocations", access_key=access_key)
    assert error_code(response) == (
        403,
        "UnrecognizedClientException",
        "The security token included in the request is invalid.",
    )


def test_server_with_credentials_file_checks_the_listed_secret(strict_server: DXServer) -> None:
    response = raw_call(
        strict_server.url,
        "DescribeLocations",
        access_key=STRICT_KEYS[0]["accessKeyId"],
        secret_key="test",
    )
    assert error_code(response)[:2] == (403, "InvalidSignatureException")


def test_aws_cli_lists_locations(dx_url: str, tmp_path: Path) -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("AWS_") and key != "PYTHONPATH"
    }
    env.update(
        AWS_ACCESS_KEY_ID="test",
        AWS_SECRET_ACCESS_KEY="test",
        AWS_CONFIG_FILE="/dev/null",
        AWS_SHARED_CREDENTIALS_FILE="/dev/null",
        HOME=str(tmp_path),
    )
    aws = str(Path(sys.executable).parent / "aws")
    command = [aws, "directconnect", "describe-locations", "--endpoint-url", dx_url]
    result = subprocess.run(
        [*command, "--region", "us-east-1", "--output", "json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    codes = [loc["locationCode"] for loc in json.loads(result.stdout)["locations"]]
    assert "EqDC2" in codes

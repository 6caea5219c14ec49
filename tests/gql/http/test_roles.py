"""Per-caller AWS identity: an API key mapped to an IAM role acts in the role's account (STS
AssumeRole against the simulator), with caches kept per account."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from gql.http.server import GatewayServer
from gql.settings import ApiKey, Settings
from tests.conftest import CUSTOMER

TEAM_B = "444455556666"
ROLE_B = f"arn:aws:iam::{TEAM_B}:role/team-b-network"
KEY_A, KEY_B, KEY_BAD = "key-team-a", "key-team-b", "key-broken-role"


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@pytest.fixture
def gateway_with_roles(gateway_settings: Settings) -> Iterator[GatewayServer]:
    keys = [
        ApiKey(name="team-a", sha256=digest(KEY_A), scopes=["read", "write"]),
        ApiKey(name="team-b", sha256=digest(KEY_B), scopes=["read", "write"], role_arn=ROLE_B),
        ApiKey(
            name="broken",
            sha256=digest(KEY_BAD),
            scopes=["read"],
            role_arn="arn:aws:iam::5555:role/not-an-account",
        ),
    ]
    settings = gateway_settings.model_copy(update={"api_keys": keys})
    with GatewayServer(settings) as server:
        yield server


def ask(url: str, key: str, query: str) -> httpx.Response:
    return httpx.post(
        f"{url}/graphql", json={"query": query}, headers={"X-API-Key": key}, timeout=30
    )


def test_a_key_with_a_role_sees_and_changes_the_roles_account_only(
    gateway_with_roles: GatewayServer, dx: Any, dx_for: Any
) -> None:
    dx.create_connection(location="EqDC2", bandwidth="1Gbps", connectionName="team-a")
    dx_for(TEAM_B).create_connection(location="EqDC2", bandwidth="1Gbps", connectionName="team-b")
    query = "{ connections { connectionName ownerAccount arn } }"
    a = ask(gateway_with_roles.url, KEY_A, query).json()["data"]["connections"]
    b = ask(gateway_with_roles.url, KEY_B, query).json()["data"]["connections"]
    assert [(c["connectionName"], c["ownerAccount"]) for c in a] == [("team-a", CUSTOMER)]
    assert [(c["connectionName"], c["ownerAccount"]) for c in b] == [("team-b", TEAM_B)]
    assert b[0]["arn"].startswith(f"arn:aws:directconnect:us-east-1:{TEAM_B}:dxcon/")
    created = ask(
        gateway_with_roles.url,
        KEY_B,
        'mutation { createConnection(input: {location: "EqDC2", bandwidth: "1Gbps", '
        'connectionName: "team-b-2"}) { connection { ownerAccount } } }',
    ).json()
    assert created["data"]["createConnection"]["connection"]["ownerAccount"] == TEAM_B
    names = {c["connectionName"] for c in dx_for(TEAM_B).describe_connections()["connections"]}
    assert names == {"team-b", "team-b-2"}
    assert len(dx.describe_connections()["connections"]) == 1


def test_a_role_that_cannot_be_assumed_is_a_coded_refusal(
    gateway_with_roles: GatewayServer,
) -> None:
    response = ask(gateway_with_roles.url, KEY_BAD, "{ regions }")
    assert response.status_code == 502
    [error] = response.json()["errors"]
    assert error["extensions"]["operation"] == "AssumeRole"
    assert error["extensions"]["awsCode"] == "ValidationError"
    assert "not a valid IAM role ARN" in error["message"]

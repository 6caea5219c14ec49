"""dxsim's STS: AssumeRole hands out temporary credentials that act in the role's account."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

ROLE = "arn:aws:iam::444455556666:role/network"


def sts(dx_url: str) -> Any:
    return boto3.client(
        "sts",
        region_name="us-east-1",
        endpoint_url=dx_url,
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


def test_assumed_role_credentials_act_in_the_roles_account(dx_url: str, dx: Any) -> None:
    answer = sts(dx_url).assume_role(RoleArn=ROLE, RoleSessionName="ci")
    creds = answer["Credentials"]
    assert creds["AccessKeyId"].startswith("ASIA")
    assert answer["AssumedRoleUser"]["Arn"] == "arn:aws:sts::444455556666:assumed-role/network/ci"
    as_role = boto3.client(
        "directconnect",
        region_name="us-east-1",
        endpoint_url=dx_url,
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
    )
    made = as_role.create_connection(location="EqDC2", bandwidth="1Gbps", connectionName="r")
    assert made["ownerAccount"] == "444455556666"
    assert dx.describe_connections()["connections"] == []


def test_temporary_credentials_without_their_session_token_are_refused(dx_url: str) -> None:
    creds = sts(dx_url).assume_role(RoleArn=ROLE, RoleSessionName="ci")["Credentials"]
    no_token = boto3.client(
        "directconnect",
        region_name="us-east-1",
        endpoint_url=dx_url,
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
    )
    with pytest.raises(ClientError) as exc:
        no_token.describe_connections()
    assert exc.value.response["Error"]["Code"] == "UnrecognizedClientException"


def test_a_malformed_role_arn_is_a_validation_error(dx_url: str) -> None:
    with pytest.raises(ClientError) as exc:
        sts(dx_url).assume_role(RoleArn="arn:aws:iam::1:role/x", RoleSessionName="ci")
    assert exc.value.response["Error"]["Code"] == "ValidationError"
    assert "not a valid IAM role ARN" in exc.value.response["Error"]["Message"]

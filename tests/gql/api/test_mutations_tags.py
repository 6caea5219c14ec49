"""The tag mutations over real HTTP: the call goes to the ARN's Region (a DX gateway's to the
first served one), the payload is the tags read afresh, limits come back typed, bad input sends
nothing upstream."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gql.http.server import GatewayServer
from tests.conftest import CUSTOMER
from tests.gql.conftest import post

TAG = """mutation($input: TagResourceInput!) {
  tagResource(input: $input) { resourceArn tags { key value } } }"""
UNTAG = """mutation($input: UntagResourceInput!) {
  untagResource(input: $input) { resourceArn tags { key value } } }"""


def connection_arn(client: Any, region: str = "us-east-1", location: str = "EqDC2") -> str:
    connection_id = client.create_connection(
        location=location, bandwidth="1Gbps", connectionName="edge"
    )["connectionId"]
    return f"arn:aws:directconnect:{region}:{CUSTOMER}:dxcon/{connection_id}"


def tags_of(client: Any, arn: str) -> list[dict[str, str]]:
    [entry] = client.describe_tags(resourceArns=[arn])["resourceTags"]
    tags: list[dict[str, str]] = entry["tags"]
    return tags


def problems(body: dict[str, Any]) -> set[tuple[str, str]]:
    assert body["data"] is None
    assert {e["extensions"]["code"] for e in body["errors"]} == {"BAD_USER_INPUT"}
    return {(e["extensions"]["field"], e["extensions"]["reason"]) for e in body["errors"]}


def test_tag_resource_adds_and_upserts_and_returns_the_fresh_tags(
    gateway: GatewayServer, dx: Any
) -> None:
    arn = connection_arn(dx)
    dx.tag_resource(resourceArn=arn, tags=[{"key": "env", "value": "test"}])
    tags = [{"key": "env", "value": "prod"}, {"key": "team"}]
    body = post(gateway.url, TAG, {"input": {"resourceArn": arn, "tags": tags}})
    assert body["data"]["tagResource"] == {
        "resourceArn": arn,
        "tags": [{"key": "env", "value": "prod"}, {"key": "team", "value": None}],
    }
    assert tags_of(dx, arn) == [{"key": "env", "value": "prod"}, {"key": "team"}]


def test_a_tag_change_is_seen_by_the_next_query_although_tags_were_cached(
    gateway: GatewayServer, dx: Any
) -> None:
    arn = connection_arn(dx)
    query = "{ connections { tags { key value } } }"
    assert post(gateway.url, query)["data"]["connections"] == [{"tags": []}]
    post(gateway.url, TAG, {"input": {"resourceArn": arn, "tags": [{"key": "a", "value": "1"}]}})
    assert post(gateway.url, query)["data"]["connections"] == [
        {"tags": [{"key": "a", "value": "1"}]}
    ]


def test_a_regional_arn_is_tagged_in_its_own_region(
    gateway: GatewayServer, dx_for: Callable[..., Any]
) -> None:
    west = dx_for(CUSTOMER, "us-west-2")
    arn = connection_arn(west, "us-west-2", "EqSE2")
    body = post(gateway.url, TAG, {"input": {"resourceArn": arn, "tags": [{"key": "site"}]}})
    assert body["data"]["tagResource"]["tags"] == [{"key": "site", "value": None}]
    assert tags_of(west, arn) == [{"key": "site"}]


def test_a_gateway_arn_is_tagged_through_the_first_served_region(
    gateway: GatewayServer, dx: Any
) -> None:
    gateway_id = dx.create_direct_connect_gateway(directConnectGatewayName="gw")[
        "directConnectGateway"
    ]["directConnectGatewayId"]
    arn = f"arn:aws:directconnect::{CUSTOMER}:dx-gateway/{gateway_id}"
    query = "{ directConnectGateway(directConnectGatewayId: %s) { tags { key } } }"
    assert post(gateway.url, query % f'"{gateway_id}"')["data"]["directConnectGateway"] == {
        "tags": []
    }
    body = post(gateway.url, TAG, {"input": {"resourceArn": arn, "tags": [{"key": "core"}]}})
    assert body["data"]["tagResource"]["tags"] == [{"key": "core", "value": None}]
    assert tags_of(dx, arn) == [{"key": "core"}]
    assert post(gateway.url, query % f'"{gateway_id}"')["data"]["directConnectGateway"] == {
        "tags": [{"key": "core"}]
    }


def test_too_many_tags_comes_back_as_limit_exceeded(gateway: GatewayServer, dx: Any) -> None:
    arn = connection_arn(dx)
    dx.tag_resource(resourceArn=arn, tags=[{"key": f"old-{n}"} for n in range(45)])
    new = [{"key": f"new-{n}"} for n in range(10)]
    body = post(gateway.url, TAG, {"input": {"resourceArn": arn, "tags": new}})
    [error] = body["errors"]
    assert error["path"] == ["tagResource"]
    assert error["extensions"]["code"] == "LIMIT_EXCEEDED"
    assert error["extensions"]["awsCode"] == "TooManyTagsException"
    assert "maximum of 50 tags" in error["extensions"]["awsMessage"]
    assert error["extensions"]["requestId"]
    assert len(tags_of(dx, arn)) == 45


def test_tagging_a_missing_resource_is_not_found(gateway: GatewayServer) -> None:
    arn = f"arn:aws:directconnect:us-east-1:{CUSTOMER}:dxcon/dxcon-fzzzzzzz"
    body = post(gateway.url, TAG, {"input": {"resourceArn": arn, "tags": [{"key": "a"}]}})
    [error] = body["errors"]
    assert error["extensions"]["code"] == "NOT_FOUND"
    assert error["extensions"]["awsCode"] == "DirectConnectClientException"
    assert error["extensions"]["operation"] == "TagResource"
    assert error["extensions"]["region"] == "us-east-1"


VALID_ARN = f"arn:aws:directconnect:us-east-1:{CUSTOMER}:dxcon/dxcon-fgabcdef"
BAD_TAG_INPUTS: list[tuple[dict[str, Any], set[tuple[str, str]]]] = [
    (
        {"resourceArn": VALID_ARN, "tags": [{"key": "env"}, {"key": "env", "value": "x"}]},
        {("input.tags[1].key", "DUPLICATE")},
    ),
    (
        {"resourceArn": VALID_ARN, "tags": [{"key": f"k{n}"} for n in range(51)]},
        {("input.tags", "TOO_MANY")},
    ),
    (
        {"resourceArn": VALID_ARN, "tags": [{"key": "k" * 129}, {"key": "ok", "value": "v" * 257}]},
        {("input.tags[0].key", "TOO_LONG"), ("input.tags[1].value", "TOO_LONG")},
    ),
    (
        {"resourceArn": VALID_ARN, "tags": [{"key": "a#b"}, {"key": "", "value": "x!"}]},
        {
            ("input.tags[0].key", "INVALID_FORMAT"),
            ("input.tags[1].key", "TOO_LONG"),
            ("input.tags[1].value", "INVALID_FORMAT"),
        },
    ),
    (
        {"resourceArn": "arn:aws:ec2:us-east-1:123456789012:vpc/vpc-1", "tags": []},
        {("input.resourceArn", "INVALID_FORMAT"), ("input.tags", "REQUIRED")},
    ),
    (
        {"resourceArn": f"arn:aws:directconnect:us-east-1:{CUSTOMER}:dx-gateway/x", "tags": []},
        {("input.resourceArn", "INVALID_FORMAT"), ("input.tags", "REQUIRED")},
    ),
    (
        {"resourceArn": f"arn:aws:directconnect::{CUSTOMER}:dxlag/dxlag-fgabcdef", "tags": []},
        {("input.resourceArn", "INVALID_FORMAT"), ("input.tags", "REQUIRED")},
    ),
]


def test_tag_resource_refuses_bad_input_before_any_call(
    gateway: GatewayServer, calls: Callable[[], dict[str, int]]
) -> None:
    for given, expected in BAD_TAG_INPUTS:
        assert problems(post(gateway.url, TAG, {"input": given})) == expected, given
    assert calls() == {}


def test_an_arn_in_an_unserved_region_is_refused(
    gateway: GatewayServer, calls: Callable[[], dict[str, int]]
) -> None:
    arn = f"arn:aws:directconnect:eu-west-1:{CUSTOMER}:dxcon/dxcon-fgabcdef"
    for document, given in ((TAG, {"tags": [{"key": "a"}]}), (UNTAG, {"tagKeys": ["a"]})):
        body = post(gateway.url, document, {"input": {"resourceArn": arn, **given}})
        assert problems(body) == {("input.resourceArn", "NOT_SERVED")}
    assert calls() == {}


def test_untag_resource_removes_keys_and_returns_the_fresh_tags(
    gateway: GatewayServer, dx: Any
) -> None:
    arn = connection_arn(dx)
    dx.tag_resource(resourceArn=arn, tags=[{"key": "a", "value": "1"}, {"key": "b"}, {"key": "c"}])
    body = post(gateway.url, UNTAG, {"input": {"resourceArn": arn, "tagKeys": ["a", "c"]}})
    assert body["data"]["untagResource"] == {
        "resourceArn": arn,
        "tags": [{"key": "b", "value": None}],
    }
    assert tags_of(dx, arn) == [{"key": "b"}]


def test_untagging_a_missing_resource_is_not_found(gateway: GatewayServer) -> None:
    arn = f"arn:aws:directconnect:us-east-1:{CUSTOMER}:dxlag/dxlag-fzzzzzzz"
    body = post(gateway.url, UNTAG, {"input": {"resourceArn": arn, "tagKeys": ["a"]}})
    [error] = body["errors"]
    assert error["extensions"]["code"] == "NOT_FOUND"
    assert error["extensions"]["awsCode"] == "DirectConnectClientException"
    assert error["extensions"]["operation"] == "UntagResource"


def test_untag_resource_refuses_bad_input_before_any_call(
    gateway: GatewayServer, calls: Callable[[], dict[str, int]]
) -> None:
    body = post(gateway.url, UNTAG, {"input": {"resourceArn": "dxcon-fgabcdef", "tagKeys": []}})
    assert problems(body) == {
        ("input.resourceArn", "INVALID_FORMAT"),
        ("input.tagKeys", "REQUIRED"),
    }
    body = post(
        gateway.url, UNTAG, {"input": {"resourceArn": VALID_ARN, "tagKeys": ["k" * 129, "a#"]}}
    )
    assert problems(body) == {
        ("input.tagKeys[0]", "TOO_LONG"),
        ("input.tagKeys[1]", "INVALID_FORMAT"),
    }
    assert calls() == {}

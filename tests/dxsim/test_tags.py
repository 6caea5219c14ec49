"""Tags over boto3: upsert, limits, key/value rules, ARN resolution and DescribeTags batches."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from botocore.exceptions import ClientError

from dxsim.base import gateway_arn, resource_arn
from dxsim.tag_rules import MAX_DESCRIBE_TAGS_ARNS
from tests.conftest import CUSTOMER, PARTNER, REGION, advance, error_of


def connection_arn(dx: Any, region: str = REGION) -> str:
    location = "EqSE2" if region == "us-west-2" else "EqDC2"
    conn = dx.create_connection(location=location, bandwidth="1Gbps", connectionName="c")
    return f"arn:aws:directconnect:{region}:{CUSTOMER}:dxcon/{conn['connectionId']}"


def gateway_arn_of(dx: Any) -> str:
    created = dx.create_direct_connect_gateway(directConnectGatewayName="gw")
    return gateway_arn(CUSTOMER, created["directConnectGateway"]["directConnectGatewayId"])


def tags_of(dx: Any, arn: str) -> list[dict[str, str]]:
    return list(dx.describe_tags(resourceArns=[arn])["resourceTags"][0]["tags"])


def tag_list(count: int, prefix: str = "k") -> list[dict[str, str]]:
    return [{"key": f"{prefix}{n}", "value": f"v{n}"} for n in range(count)]


def test_tags_round_trip_on_connection_and_global_gateway_arns(dx: Any, dx_for: Any) -> None:
    conn, gw = connection_arn(dx), gateway_arn_of(dx)
    dx.tag_resource(resourceArn=conn, tags=[{"key": "env", "value": "prod"}, {"key": "bare"}])
    dx.tag_resource(resourceArn=gw, tags=[{"key": "team", "value": "net"}])
    assert tags_of(dx, conn) == [{"key": "env", "value": "prod"}, {"key": "bare"}]
    assert tags_of(dx_for(CUSTOMER, "eu-west-1"), gw) == [{"key": "team", "value": "net"}]


def test_more_than_50_tags_on_a_resource_is_refused(dx: Any) -> None:
    arn = connection_arn(dx)
    dx.tag_resource(resourceArn=arn, tags=tag_list(50))
    dx.tag_resource(resourceArn=arn, tags=[{"key": "k0", "value": "updated"}])
    with pytest.raises(ClientError) as exc:
        dx.tag_resource(resourceArn=arn, tags=[{"key": "one-more", "value": "x"}])
    assert error_of(exc) == (
        "TooManyTagsException",
        f"Resource {arn} would have 51 tags; each resource can have a maximum of 50 tags.",
    )
    assert len(tags_of(dx, arn)) == 50


def test_tagging_an_existing_key_updates_its_value_in_place(dx: Any) -> None:
    arn = connection_arn(dx)
    dx.tag_resource(resourceArn=arn, tags=tag_list(3))
    dx.tag_resource(resourceArn=arn, tags=[{"key": "k1", "value": "new"}, {"key": "k9"}])
    assert tags_of(dx, arn) == [
        {"key": "k0", "value": "v0"},
        {"key": "k1", "value": "new"},
        {"key": "k2", "value": "v2"},
        {"key": "k9"},
    ]


def test_duplicate_keys_in_one_request_are_refused_and_change_nothing(dx: Any) -> None:
    arn = connection_arn(dx)
    with pytest.raises(ClientError) as exc:
        dx.tag_resource(resourceArn=arn, tags=[{"key": "a", "value": "1"}, {"key": "a"}])
    assert error_of(exc) == (
        "DuplicateTagKeysException",
        "Tag key 'a' appears more than once in the request; give each key once.",
    )
    assert tags_of(dx, arn) == []


def test_untag_removes_named_keys_and_ignores_unknown_ones(dx: Any) -> None:
    arn = connection_arn(dx)
    dx.tag_resource(resourceArn=arn, tags=tag_list(3))
    dx.untag_resource(resourceArn=arn, tagKeys=["k0", "k2", "never-set"])
    assert tags_of(dx, arn) == [{"key": "k1", "value": "v1"}]
    dx.untag_resource(resourceArn=arn, tagKeys=["k1"])
    assert tags_of(dx, arn) == []


def test_describe_tags_answers_each_arn_in_request_order(dx: Any) -> None:
    first, second, gw = connection_arn(dx), connection_arn(dx), gateway_arn_of(dx)
    dx.tag_resource(resourceArn=gw, tags=[{"key": "g", "value": "1"}])
    dx.tag_resource(resourceArn=first, tags=[{"key": "f", "value": "1"}])
    found = dx.describe_tags(resourceArns=[gw, second, first])["resourceTags"]
    assert found == [
        {"resourceArn": gw, "tags": [{"key": "g", "value": "1"}]},
        {"resourceArn": second, "tags": []},
        {"resourceArn": first, "tags": [{"key": "f", "value": "1"}]},
    ]


def test_describe_tags_takes_at_most_20_arns(dx: Any) -> None:
    arn = connection_arn(dx)
    assert len(dx.describe_tags(resourceArns=[arn] * 20)["resourceTags"]) == 20
    with pytest.raises(ClientError) as exc:
        dx.describe_tags(resourceArns=[arn] * (MAX_DESCRIBE_TAGS_ARNS + 1))
    assert error_of(exc) == (
        "DirectConnectClientException",
        "resourceArns has 21 ARNs: DescribeTags takes 1 to 20 ARNs per call.",
    )


@pytest.mark.parametrize(
    ("tag", "fragment"),
    [
        ({"key": "k" * 129}, "Tag key 'kkk"),
        ({"key": "semi;colon"}, "Tag key 'semi;colon' is not valid"),
        ({"key": "ok", "value": "v" * 257}, "Tag value 'vvv"),
        ({"key": "ok", "value": "<script>"}, "Tag value '<script>' for key 'ok' is not valid"),
    ],
    ids=["key-too-long", "key-bad-char", "value-too-long", "value-bad-char"],
)
def test_tag_key_or_value_outside_length_or_pattern_is_refused(
    dx: Any, tag: dict[str, str], fragment: str
) -> None:
    arn = connection_arn(dx)
    with pytest.raises(ClientError) as exc:
        dx.tag_resource(resourceArn=arn, tags=[tag])
    code, message = error_of(exc)
    assert code == "DirectConnectClientException"
    assert fragment in message
    assert "letters, digits, spaces and _ . : / = + - @" in message


def test_unicode_letters_numbers_spaces_and_allowed_punctuation_are_accepted(dx: Any) -> None:
    arn = connection_arn(dx)
    tags = [
        {"key": "k" * 128, "value": "v" * 256},
        {"key": "Größe ٣ 名前", "value": "_.:/=+-@ ²"},
        {"key": "empty", "value": ""},
    ]
    dx.tag_resource(resourceArn=arn, tags=tags)
    assert tags_of(dx, arn) == tags


@pytest.mark.parametrize(
    "arn",
    [
        "not-an-arn",
        "arn:aws:ec2:us-east-1:123456789012:vpc/vpc-1",
        "arn:aws:directconnect:us-east-1:123456789012:dxfoo/dxfoo-fa000000",
        "arn:aws:directconnect:us-east-1:123456789012:dx-gateway/x",
        "arn:aws:directconnect::123456789012:dxcon/dxcon-fa000000",
        "arn:aws:directconnect:us-east-1:123456789012:dxcon/",
    ],
)
def test_malformed_arn_is_refused_with_the_accepted_forms(dx: Any, arn: str) -> None:
    with pytest.raises(ClientError) as exc:
        dx.describe_tags(resourceArns=[arn])
    code, message = error_of(exc)
    assert code == "DirectConnectClientException"
    assert f"resourceArn {arn!r} is not a Direct Connect resource ARN" in message
    assert "dx-gateway/<id>" in message


def test_arn_of_a_missing_resource_is_refused(dx: Any) -> None:
    arn = f"arn:aws:directconnect:{REGION}:{CUSTOMER}:dxcon/dxcon-fzzzzzzz"
    with pytest.raises(ClientError) as exc:
        dx.tag_resource(resourceArn=arn, tags=[{"key": "a"}])
    assert error_of(exc) == ("DirectConnectClientException", f"Resource {arn} does not exist")


def test_regional_arn_must_name_the_callers_region(dx: Any, dx_for: Any) -> None:
    west = dx_for(CUSTOMER, "us-west-2")
    arn = connection_arn(west, "us-west-2")
    west.tag_resource(resourceArn=arn, tags=[{"key": "a"}])
    with pytest.raises(ClientError) as exc:
        dx.describe_tags(resourceArns=[arn])
    code, message = error_of(exc)
    assert code == "DirectConnectClientException"
    assert f"Resource {arn} is in Region us-west-2, but the request is signed for " in message


def test_other_accounts_resources_cannot_be_tagged_or_described(dx: Any, dx_partner: Any) -> None:
    arn = connection_arn(dx)
    calls: list[tuple[str, dict[str, Any]]] = [
        ("tag_resource", {"resourceArn": arn, "tags": [{"key": "a"}]}),
        ("untag_resource", {"resourceArn": arn, "tagKeys": ["a"]}),
        ("describe_tags", {"resourceArns": [arn]}),
    ]
    for method, params in calls:
        with pytest.raises(ClientError) as exc:
            getattr(dx_partner, method)(**params)
        assert error_of(exc)[1] == (
            f"Resource {arn} belongs to account {CUSTOMER}; account {PARTNER} can only tag "
            f"its own resources."
        )
    forged = arn.replace(CUSTOMER, PARTNER)
    with pytest.raises(ClientError) as exc:
        dx_partner.describe_tags(resourceArns=[forged])
    assert error_of(exc)[1] == f"Resource {forged} does not exist"


def test_tags_of_a_deleted_gateway_are_gone_with_it(dx: Any) -> None:
    arn = gateway_arn_of(dx)
    dx.tag_resource(resourceArn=arn, tags=[{"key": "a", "value": "1"}])
    dx.delete_direct_connect_gateway(directConnectGatewayId=arn.rsplit("/", 1)[1])
    with pytest.raises(ClientError) as exc:
        dx.describe_tags(resourceArns=[arn])
    assert error_of(exc) == ("DirectConnectClientException", f"Resource {arn} does not exist")


def test_tags_of_a_purged_connection_are_gone_with_it(dx: Any, control: httpx.Client) -> None:
    arn = connection_arn(dx)
    dx.tag_resource(resourceArn=arn, tags=[{"key": "a", "value": "1"}])
    dx.delete_connection(connectionId=arn.rsplit("/", 1)[1])
    assert tags_of(dx, arn) == [{"key": "a", "value": "1"}]
    advance(control, 15 * 60)
    with pytest.raises(ClientError) as exc:
        dx.describe_tags(resourceArns=[arn])
    assert error_of(exc)[1] == f"Resource {arn} does not exist"


def test_interconnect_lag_and_virtual_interface_arns_resolve(dx: Any, dx_partner: Any) -> None:
    interconnect_id = dx_partner.create_interconnect(
        interconnectName="ic", bandwidth="1Gbps", location="EqDC2"
    )["interconnectId"]
    lag_id = dx.create_lag(
        numberOfConnections=1, location="EqDC2", connectionsBandwidth="1Gbps", lagName="lag"
    )["lagId"]
    conn_id = connection_arn(dx).rsplit("/", 1)[1]
    dx.describe_connections()
    vgw_id = dx.describe_virtual_gateways()["virtualGateways"][0]["virtualGatewayId"]
    vif_id = dx.create_private_virtual_interface(
        connectionId=conn_id,
        newPrivateVirtualInterface={
            "virtualInterfaceName": "vif",
            "vlan": 101,
            "asn": 65000,
            "virtualGatewayId": vgw_id,
        },
    )["virtualInterfaceId"]
    ic_arn = resource_arn(REGION, PARTNER, interconnect_id)
    dx_partner.tag_resource(resourceArn=ic_arn, tags=[{"key": "kind", "value": "ic"}])
    assert tags_of(dx_partner, ic_arn) == [{"key": "kind", "value": "ic"}]
    arns = [resource_arn(REGION, CUSTOMER, lag_id), resource_arn(REGION, CUSTOMER, vif_id)]
    assert arns[0].endswith(f":dxlag/{lag_id}")
    assert arns[1].endswith(f":dxvif/{vif_id}")
    for arn in arns:
        dx.tag_resource(resourceArn=arn, tags=[{"key": "arn", "value": arn}])
    found = dx.describe_tags(resourceArns=arns)["resourceTags"]
    assert found == [{"resourceArn": a, "tags": [{"key": "arn", "value": a}]} for a in arns]
    lag_as_connection = arns[0].replace(":dxlag/", ":dxcon/")
    with pytest.raises(ClientError) as exc:
        dx.describe_tags(resourceArns=[lag_as_connection])
    assert error_of(exc)[1] == f"Resource {lag_as_connection} does not exist"

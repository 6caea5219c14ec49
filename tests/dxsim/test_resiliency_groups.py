"""Resiliency groups (the eight operations, plus tagging by their ARN) through real boto3 in both
protocols; one restart test over a SQLite store."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from botocore.exceptions import ClientError

from dxsim import DXServer, Simulator
from tests.conftest import CUSTOMER, PARTNER, REGION, advance, error_of, set_delay
from tests.dxsim.builders import new_connection
from tests.dxsim.shapes import boto_client

GROUP_ID = re.compile(r"^dxrg-[0-9a-z]{17}$")
DAY = 86400.0


def conn_arn(conn_id: str, region: str = REGION, account: str = CUSTOMER) -> str:
    return f"arn:aws:directconnect:{region}:{account}:dxcon/{conn_id}"


def create(dx: Any, name: str = "rg", **params: Any) -> dict[str, Any]:
    group: dict[str, Any] = dx.create_resiliency_group(
        resiliencyGroupName=name,
        intendedResiliencyModel=params.pop("intendedResiliencyModel", "high-resiliency"),
        **params,
    )["resiliencyGroup"]
    return group


def new_group(dx: Any, name: str = "rg") -> str:
    group_id: str = create(dx, name)["resiliencyGroupId"]
    dx.list_resiliency_groups()
    return group_id


def get(dx: Any, group_id: str) -> dict[str, Any]:
    group: dict[str, Any] = dx.get_resiliency_group(resiliencyGroupId=group_id)["resiliencyGroup"]
    return group


def members(dx: Any, group_id: str) -> dict[str, str]:
    items = dx.list_resiliency_group_associations(resiliencyGroupId=group_id)["items"]
    return {a["connectionArn"]: a["state"] for a in items}


def refused(call: Any, **params: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as excinfo:
        call(**params)
    return error_of(excinfo)


# -- create, get, list ----------------------------------------------------------------------
def test_a_group_is_created_pending_and_becomes_available(dx: Any) -> None:
    group = create(dx, "core-dc", tags=[{"key": "team", "value": "net"}])
    assert GROUP_ID.match(group["resiliencyGroupId"])
    assert group["resiliencyGroupArn"] == (
        f"arn:aws:directconnect::{CUSTOMER}:dx-resiliency-group/{group['resiliencyGroupId']}"
    )
    assert group["resiliencyGroupName"] == "core-dc"
    assert group["resiliencyGroupType"] == "Managed"
    assert group["ownerAccount"] == CUSTOMER
    assert group["state"] == "pending"
    assert group["tags"] == [{"key": "team", "value": "net"}]
    fetched = get(dx, group["resiliencyGroupId"])
    assert fetched == {**group, "state": "available"}


def test_a_group_without_tags_has_no_tags_member(dx: Any) -> None:
    assert "tags" not in create(dx)


@pytest.mark.parametrize("name", ["with space", "dot.ted", "x" * 256, "émigré"])
def test_a_name_outside_the_pattern_or_longer_than_255_is_refused(dx: Any, name: str) -> None:
    code, message = refused(
        dx.create_resiliency_group,
        resiliencyGroupName=name,
        intendedResiliencyModel="basic-resiliency",
    )
    assert code == "DirectConnectClientException"
    assert "resiliencyGroupName" in message
    assert dx.list_resiliency_groups()["items"] == []


def test_a_255_character_name_of_letters_digits_hyphens_and_underscores_is_accepted(
    dx: Any,
) -> None:
    name = ("Ab_9-" * 51)[:255]
    assert create(dx, name)["resiliencyGroupName"] == name


def test_an_unknown_resiliency_model_is_refused(dx: Any) -> None:
    code, message = refused(
        dx.create_resiliency_group, resiliencyGroupName="rg", intendedResiliencyModel="extreme"
    )
    assert code == "DirectConnectClientException"
    assert "maximum-resiliency, high-resiliency, basic-resiliency" in message


def test_bad_tags_are_refused_before_anything_is_created(dx: Any) -> None:
    code, _ = refused(
        dx.create_resiliency_group,
        resiliencyGroupName="rg",
        intendedResiliencyModel="basic-resiliency",
        tags=[{"key": "k", "value": "1"}, {"key": "k", "value": "2"}],
    )
    assert code == "DuplicateTagKeysException"
    code, _ = refused(
        dx.create_resiliency_group,
        resiliencyGroupName="rg",
        intendedResiliencyModel="basic-resiliency",
        tags=[{"key": f"k{n}"} for n in range(51)],
    )
    assert code == "TooManyTagsException"
    assert dx.list_resiliency_groups()["items"] == []


def test_list_shows_the_callers_groups_in_the_signed_region_and_pages(dx: Any, dx_for: Any) -> None:
    ids = [new_group(dx, f"rg-{n}") for n in range(3)]
    create(dx_for(CUSTOMER, "us-west-2"), "west")
    create(dx_for(PARTNER), "theirs")
    items = dx.list_resiliency_groups()["items"]
    assert [g["resiliencyGroupId"] for g in items] == ids
    assert all("tags" not in g for g in items)
    first = dx.list_resiliency_groups(maxResults=2)
    assert len(first["items"]) == 2
    rest = dx.list_resiliency_groups(maxResults=2, nextToken=first["nextToken"])
    assert [g["resiliencyGroupId"] for g in first["items"] + rest["items"]] == ids
    assert "nextToken" not in rest


def test_a_group_is_found_only_by_its_owner_in_its_region(dx: Any, dx_for: Any) -> None:
    group_id = new_group(dx)
    for other in (dx_for(PARTNER), dx_for(CUSTOMER, "us-west-2")):
        code, message = refused(other.get_resiliency_group, resiliencyGroupId=group_id)
        assert code == "DirectConnectClientException"
        assert f"Resiliency group {group_id} does not exist" in message
    assert get(dx, group_id.replace("dxrg-", "DXRG-").upper())["resiliencyGroupId"] == group_id


@pytest.mark.parametrize("bad", ["dxrg-" + "a" * 16 + "!", "dxgw-" + "a" * 17, "dxrg-" + "a" * 18])
def test_a_malformed_group_id_is_refused(dx: Any, bad: str) -> None:
    code, message = refused(dx.get_resiliency_group, resiliencyGroupId=bad)
    assert code == "DirectConnectClientException"
    assert "is not valid" in message


# -- idempotency ----------------------------------------------------------------------------
def test_the_same_client_token_and_parameters_return_the_same_group(dx: Any) -> None:
    first = create(dx, "rg", clientToken="token-1")
    again = create(dx, "rg", clientToken="token-1")
    assert again["resiliencyGroupId"] == first["resiliencyGroupId"]
    assert again["state"] == "available"
    assert len(dx.list_resiliency_groups()["items"]) == 1
    other = create(dx, "rg", clientToken="token-2")
    assert other["resiliencyGroupId"] != first["resiliencyGroupId"]


def test_the_same_client_token_with_other_parameters_is_refused(dx: Any) -> None:
    create(dx, "rg", clientToken="token-1")
    for changed in (
        {"resiliencyGroupName": "other", "intendedResiliencyModel": "high-resiliency"},
        {"resiliencyGroupName": "rg", "intendedResiliencyModel": "basic-resiliency"},
        {
            "resiliencyGroupName": "rg",
            "intendedResiliencyModel": "high-resiliency",
            "tags": [{"key": "k"}],
        },
    ):
        code, message = refused(dx.create_resiliency_group, clientToken="token-1", **changed)
        assert code == "DirectConnectClientException"
        assert "clientToken 'token-1' was already used" in message
    assert len(dx.list_resiliency_groups()["items"]) == 1


def test_a_client_token_is_remembered_for_24_hours(dx: Any, control: httpx.Client) -> None:
    first = create(dx, "rg", clientToken="t")
    advance(control, DAY)
    later = create(dx, "other", clientToken="t")
    assert later["resiliencyGroupId"] != first["resiliencyGroupId"]


def test_a_client_token_longer_than_128_is_refused(dx: Any) -> None:
    code, message = refused(
        dx.create_resiliency_group,
        resiliencyGroupName="rg",
        intendedResiliencyModel="high-resiliency",
        clientToken="t" * 129,
    )
    assert code == "DirectConnectClientException"
    assert "the maximum is 128" in message


# -- update, delete -------------------------------------------------------------------------
def test_update_renames_and_is_idempotent_by_client_token(dx: Any) -> None:
    group_id = new_group(dx)
    renamed = dx.update_resiliency_group(
        resiliencyGroupId=group_id, resiliencyGroupName="renamed", clientToken="u1"
    )["resiliencyGroup"]
    assert renamed["resiliencyGroupName"] == "renamed"
    assert get(dx, group_id)["resiliencyGroupName"] == "renamed"
    dx.update_resiliency_group(resiliencyGroupId=group_id, resiliencyGroupName="third")
    replay = dx.update_resiliency_group(
        resiliencyGroupId=group_id, resiliencyGroupName="renamed", clientToken="u1"
    )["resiliencyGroup"]
    assert replay["resiliencyGroupName"] == "third"
    code, message = refused(
        dx.update_resiliency_group,
        resiliencyGroupId=group_id,
        resiliencyGroupName="fourth",
        clientToken="u1",
    )
    assert "clientToken 'u1' was already used" in message
    code, message = refused(
        dx.update_resiliency_group, resiliencyGroupId=group_id, resiliencyGroupName="bad name"
    )
    assert code == "DirectConnectClientException"


def test_delete_is_asynchronous_and_a_deleted_group_goes_after_15_minutes(
    dx: Any, control: httpx.Client
) -> None:
    group_id = create(dx, tags=[{"key": "env", "value": "prod"}])["resiliencyGroupId"]
    arn = get(dx, group_id)["resiliencyGroupArn"]
    deleting = dx.delete_resiliency_group(resiliencyGroupId=group_id)["resiliencyGroup"]
    assert deleting["state"] == "deleting"
    assert get(dx, group_id)["state"] == "deleted"
    assert dx.delete_resiliency_group(resiliencyGroupId=group_id)["resiliencyGroup"]["state"] == (
        "deleted"
    )
    code, message = refused(
        dx.update_resiliency_group, resiliencyGroupId=group_id, resiliencyGroupName="x"
    )
    assert "is in state deleted" in message
    advance(control, 15 * 60)
    code, _ = refused(dx.get_resiliency_group, resiliencyGroupId=group_id)
    assert code == "DirectConnectClientException"
    assert dx.list_resiliency_groups()["items"] == []
    code, message = refused(dx.describe_tags, resourceArns=[arn])
    assert f"Resource {arn} does not exist" in message


def test_delete_is_refused_while_connections_are_in_the_group(
    dx: Any, control: httpx.Client
) -> None:
    set_delay(control, 60)
    group_id = create(dx)["resiliencyGroupId"]
    conn_id = new_connection(dx)
    advance(control, 120)
    dx.associate_connections_to_resiliency_group(
        resiliencyGroupId=group_id, connectionIdentifiers=[conn_id]
    )
    code, message = refused(dx.delete_resiliency_group, resiliencyGroupId=group_id)
    assert code == "DirectConnectClientException"
    assert f"still has 1 connection(s) ({conn_id})" in message
    dx.disassociate_connections_from_resiliency_group(
        resiliencyGroupId=group_id, connectionIdentifiers=[conn_id]
    )
    assert members(dx, group_id) == {conn_arn(conn_id): "disassociating"}
    code, _ = refused(dx.delete_resiliency_group, resiliencyGroupId=group_id)
    assert code == "DirectConnectClientException"
    advance(control, 60)
    assert members(dx, group_id) == {}
    state = dx.delete_resiliency_group(resiliencyGroupId=group_id)["resiliencyGroup"]["state"]
    assert state == "deleting"
    advance(control, 60)
    assert get(dx, group_id)["state"] == "deleted"


# -- associations ---------------------------------------------------------------------------
def test_connections_join_by_id_or_arn_associating_then_associated(dx: Any) -> None:
    group_id = new_group(dx)
    a, b = new_connection(dx, "a"), new_connection(dx, "b")
    answer = dx.associate_connections_to_resiliency_group(
        resiliencyGroupId=group_id, connectionIdentifiers=[a, conn_arn(b), conn_arn(a)]
    )["resiliencyGroupAssociations"]
    assert answer == [
        {"resiliencyGroupId": group_id, "connectionArn": conn_arn(a), "state": "associating"},
        {"resiliencyGroupId": group_id, "connectionArn": conn_arn(b), "state": "associating"},
    ]
    assert members(dx, group_id) == {conn_arn(a): "associated", conn_arn(b): "associated"}
    again = dx.associate_connections_to_resiliency_group(
        resiliencyGroupId=group_id, connectionIdentifiers=[a]
    )["resiliencyGroupAssociations"]
    assert again == [
        {"resiliencyGroupId": group_id, "connectionArn": conn_arn(a), "state": "associated"}
    ]


def test_associate_is_all_or_nothing(dx: Any, dx_partner: Any, dx_for: Any) -> None:
    group_id = new_group(dx)
    good = new_connection(dx)
    hosted = dx_partner.allocate_hosted_connection(
        connectionId=dx_partner.create_interconnect(
            interconnectName="ic", bandwidth="1Gbps", location="EqDC2"
        )["interconnectId"],
        ownerAccount=CUSTOMER,
        bandwidth="50Mbps",
        connectionName="hosted",
        vlan=201,
    )["connectionId"]
    lag = dx.create_lag(
        numberOfConnections=1, location="EqDC2", connectionsBandwidth="1Gbps", lagName="l"
    )["lagId"]
    theirs = new_connection(dx_partner, "theirs")
    west = new_connection(dx_for(CUSTOMER, "us-west-2"), "west", "EqSE2")
    bad = {
        "dxcon-fzzzzzzz": "Could not find Connection with ID dxcon-fzzzzzzz",
        hosted: "is a hosted connection",
        lag: f"Could not find Connection with ID {lag}",
        theirs: f"Could not find Connection with ID {theirs}",
        conn_arn(theirs, account=PARTNER): f"is not a connection of account {CUSTOMER}",
        conn_arn(west, region="us-west-2"): "is not a connection of account",
        west: f"Could not find Connection with ID {west}",
        f"arn:aws:directconnect:{REGION}:{CUSTOMER}:dxlag/{lag}": "is not a connection ARN",
    }
    for identifier, problem in bad.items():
        code, message = refused(
            dx.associate_connections_to_resiliency_group,
            resiliencyGroupId=group_id,
            connectionIdentifiers=[good, identifier],
        )
        assert code == "DirectConnectClientException", identifier
        assert problem in message, identifier
    assert members(dx, group_id) == {}


def test_a_connection_belongs_to_one_group_at_a_time(dx: Any) -> None:
    first, second = new_group(dx, "one"), new_group(dx, "two")
    conn_id = new_connection(dx)
    dx.associate_connections_to_resiliency_group(
        resiliencyGroupId=first, connectionIdentifiers=[conn_id]
    )
    code, message = refused(
        dx.associate_connections_to_resiliency_group,
        resiliencyGroupId=second,
        connectionIdentifiers=[conn_id],
    )
    assert code == "DirectConnectClientException"
    assert f"already associated with resiliency group {first}" in message


def test_a_group_holds_at_most_10_connections(dx: Any) -> None:
    group_id = new_group(dx)
    conns = [new_connection(dx, f"c{n}") for n in range(11)]
    dx.associate_connections_to_resiliency_group(
        resiliencyGroupId=group_id, connectionIdentifiers=conns[:9]
    )
    code, message = refused(
        dx.associate_connections_to_resiliency_group,
        resiliencyGroupId=group_id,
        connectionIdentifiers=conns[9:],
    )
    assert code == "LimitExceededException"
    assert "at most 10" in message
    assert len(members(dx, group_id)) == 9
    dx.associate_connections_to_resiliency_group(
        resiliencyGroupId=group_id, connectionIdentifiers=conns[:10]
    )
    assert len(members(dx, group_id)) == 10


def test_at_most_50_identifiers_per_call(dx: Any) -> None:
    group_id = new_group(dx)
    code, message = refused(
        dx.associate_connections_to_resiliency_group,
        resiliencyGroupId=group_id,
        connectionIdentifiers=[f"dxcon-f{n:07d}" for n in range(51)],
    )
    assert code == "DirectConnectClientException"
    assert "give 1 to 50" in message


def test_disassociate_is_all_or_nothing_and_the_connection_leaves(dx: Any) -> None:
    group_id = new_group(dx)
    a, b = new_connection(dx, "a"), new_connection(dx, "b")
    dx.associate_connections_to_resiliency_group(
        resiliencyGroupId=group_id, connectionIdentifiers=[a]
    )
    code, message = refused(
        dx.disassociate_connections_from_resiliency_group,
        resiliencyGroupId=group_id,
        connectionIdentifiers=[a, b],
    )
    assert code == "DirectConnectClientException"
    assert f"Connection {b} is not associated with resiliency group {group_id}" in message
    assert members(dx, group_id) == {conn_arn(a): "associated"}
    answer = dx.disassociate_connections_from_resiliency_group(
        resiliencyGroupId=group_id, connectionIdentifiers=[conn_arn(a)]
    )["resiliencyGroupAssociations"]
    assert answer == [
        {"resiliencyGroupId": group_id, "connectionArn": conn_arn(a), "state": "disassociating"}
    ]
    assert members(dx, group_id) == {}
    dx.associate_connections_to_resiliency_group(
        resiliencyGroupId=group_id, connectionIdentifiers=[a]
    )
    assert members(dx, group_id) == {conn_arn(a): "associated"}


def test_association_calls_are_idempotent_by_client_token(dx: Any) -> None:
    group_id = new_group(dx)
    a, b = new_connection(dx, "a"), new_connection(dx, "b")
    first = dx.associate_connections_to_resiliency_group(
        resiliencyGroupId=group_id, connectionIdentifiers=[a], clientToken="assoc"
    )["resiliencyGroupAssociations"]
    dx.disassociate_connections_from_resiliency_group(
        resiliencyGroupId=group_id, connectionIdentifiers=[a]
    )
    replay = dx.associate_connections_to_resiliency_group(
        resiliencyGroupId=group_id, connectionIdentifiers=[conn_arn(a)], clientToken="assoc"
    )["resiliencyGroupAssociations"]
    assert replay == first
    assert members(dx, group_id) == {}
    code, message = refused(
        dx.associate_connections_to_resiliency_group,
        resiliencyGroupId=group_id,
        connectionIdentifiers=[b],
        clientToken="assoc",
    )
    assert code == "DirectConnectClientException"
    assert "clientToken 'assoc' was already used" in message


def test_a_deleted_connection_leaves_its_group(dx: Any) -> None:
    group_id = new_group(dx)
    conn_id = new_connection(dx)
    dx.associate_connections_to_resiliency_group(
        resiliencyGroupId=group_id, connectionIdentifiers=[conn_id]
    )
    dx.delete_connection(connectionId=conn_id)
    assert members(dx, group_id) == {}
    code, message = refused(
        dx.associate_connections_to_resiliency_group,
        resiliencyGroupId=group_id,
        connectionIdentifiers=[conn_id],
    )
    assert code == "DirectConnectClientException"
    assert "is in state deleted" in message


def test_a_deleting_group_takes_no_connections(dx: Any, control: httpx.Client) -> None:
    set_delay(control, 60)
    group_id = create(dx)["resiliencyGroupId"]
    conn_id = new_connection(dx)
    advance(control, 120)
    dx.delete_resiliency_group(resiliencyGroupId=group_id)
    code, message = refused(
        dx.associate_connections_to_resiliency_group,
        resiliencyGroupId=group_id,
        connectionIdentifiers=[conn_id],
    )
    assert code == "DirectConnectClientException"
    assert "is in state deleting" in message


# -- tags and persistence -------------------------------------------------------------------
def test_tag_untag_and_describe_tags_take_the_group_arn(dx: Any, dx_for: Any) -> None:
    group = create(dx, tags=[{"key": "a", "value": "1"}])
    arn = group["resiliencyGroupArn"]
    dx.tag_resource(resourceArn=arn, tags=[{"key": "b", "value": "2"}])
    dx.untag_resource(resourceArn=arn, tagKeys=["a"])
    assert dx.describe_tags(resourceArns=[arn])["resourceTags"] == [
        {"resourceArn": arn, "tags": [{"key": "b", "value": "2"}]}
    ]
    assert get(dx, group["resiliencyGroupId"])["tags"] == [{"key": "b", "value": "2"}]
    west = dx_for(CUSTOMER, "us-west-2")
    code, message = refused(west.describe_tags, resourceArns=[arn])
    assert code == "DirectConnectClientException"
    assert "does not exist" in message


def test_a_group_arn_with_a_region_is_not_a_direct_connect_arn(dx: Any) -> None:
    group_id = new_group(dx)
    arn = f"arn:aws:directconnect:{REGION}:{CUSTOMER}:dx-resiliency-group/{group_id}"
    code, message = refused(dx.tag_resource, resourceArn=arn, tags=[{"key": "k"}])
    assert code == "DirectConnectClientException"
    assert "dx-resiliency-group/<id>" in message


def test_groups_and_associations_survive_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    server = DXServer(Simulator(state_path=path))
    server.start()
    try:
        dx = boto_client(server.url)
        group = create(dx, "kept", clientToken="tok", tags=[{"key": "k", "value": "v"}])
        conn_id = new_connection(dx)
        dx.associate_connections_to_resiliency_group(
            resiliencyGroupId=group["resiliencyGroupId"], connectionIdentifiers=[conn_id]
        )
        before = get(dx, group["resiliencyGroupId"])
        before_members = members(dx, group["resiliencyGroupId"])
    finally:
        server.stop()
    server = DXServer(Simulator(state_path=path))
    server.start()
    try:
        dx = boto_client(server.url)
        assert get(dx, group["resiliencyGroupId"]) == before
        assert members(dx, group["resiliencyGroupId"]) == before_members
        assert (
            create(dx, "kept", clientToken="tok", tags=[{"key": "k", "value": "v"}])[
                "resiliencyGroupId"
            ]
            == group["resiliencyGroupId"]
        )
    finally:
        server.stop()

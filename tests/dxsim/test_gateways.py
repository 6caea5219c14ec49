"""Direct Connect gateways and their VIF attachments over boto3: lifecycle, rules, pagination.

Attachments come from private VIFs created with `directConnectGatewayId` on a connection.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from botocore.exceptions import ClientError

from dxsim.accounts import Caller
from dxsim.backend import DirectConnectBackend
from tests.conftest import CUSTOMER, REGION, advance, error_of, set_delay

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")


def create(dx: Any, name: str = "gw", **kwargs: Any) -> str:
    gateway = dx.create_direct_connect_gateway(directConnectGatewayName=name, **kwargs)
    return str(gateway["directConnectGateway"]["directConnectGatewayId"])


def describe(dx: Any, gateway_id: str) -> dict[str, Any]:
    gateways = dx.describe_direct_connect_gateways(directConnectGatewayId=gateway_id)
    return dict(gateways["directConnectGateways"][0])


# -- G1, G2: identity, global visibility, ASN --------------------------------------------------
def test_gateway_is_global_with_uuid_id_and_visible_from_every_region(dx_for: Any) -> None:
    created = dx_for(CUSTOMER, "us-east-1").create_direct_connect_gateway(
        directConnectGatewayName="global", amazonSideAsn=65000
    )["directConnectGateway"]
    assert UUID.fullmatch(created["directConnectGatewayId"])
    assert created == {
        "directConnectGatewayId": created["directConnectGatewayId"],
        "directConnectGatewayName": "global",
        "amazonSideAsn": 65000,
        "ownerAccount": CUSTOMER,
        "directConnectGatewayState": "pending",
    }
    for region in ("eu-west-1", "us-west-2"):
        seen = dx_for(CUSTOMER, region).describe_direct_connect_gateways()["directConnectGateways"]
        assert [g["directConnectGatewayId"] for g in seen] == [created["directConnectGatewayId"]]


def test_amazon_side_asn_defaults_to_64512(dx: Any) -> None:
    assert describe(dx, create(dx))["amazonSideAsn"] == 64512


def test_amazon_side_asn_accepts_both_private_ranges_at_their_bounds(dx: Any) -> None:
    for asn in (64512, 65534, 4200000000, 4294967294):
        assert describe(dx, create(dx, amazonSideAsn=asn))["amazonSideAsn"] == asn


@pytest.mark.parametrize("asn", [7224, 64511, 65535, 4199999999, 4294967295])
def test_amazon_side_asn_outside_private_ranges_is_refused(dx: Any, asn: int) -> None:
    with pytest.raises(ClientError) as exc:
        create(dx, amazonSideAsn=asn)
    code, message = error_of(exc)
    assert code == "DirectConnectClientException"
    assert f"amazonSideAsn {asn} is not valid" in message
    assert "64512-65534 or 4200000000-4294967294" in message


def test_gateway_name_longer_than_100_characters_is_refused(dx: Any) -> None:
    assert describe(dx, create(dx, "n" * 100))["directConnectGatewayName"] == "n" * 100
    with pytest.raises(ClientError) as exc:
        create(dx, "n" * 101)
    code, message = error_of(exc)
    assert code == "DirectConnectClientException"
    assert "directConnectGatewayName" in message
    assert "1-100 characters" in message


# -- lifecycle, G4, G5 -------------------------------------------------------------------------
def test_gateway_walks_pending_available_on_the_simulated_clock(
    dx: Any, control: httpx.Client
) -> None:
    set_delay(control, 60)
    gateway_id = create(dx)
    assert describe(dx, gateway_id)["directConnectGatewayState"] == "pending"
    advance(control, 60)
    assert describe(dx, gateway_id)["directConnectGatewayState"] == "available"


def test_deleted_gateway_passes_deleting_and_is_never_returned(
    dx: Any, control: httpx.Client
) -> None:
    gateway_id = create(dx)
    kept = create(dx, "kept")
    set_delay(control, 30)
    deleting = dx.delete_direct_connect_gateway(directConnectGatewayId=gateway_id)
    assert deleting["directConnectGateway"]["directConnectGatewayState"] == "deleting"
    assert describe(dx, gateway_id)["directConnectGatewayState"] == "deleting"
    advance(control, 30)
    listed = dx.describe_direct_connect_gateways()["directConnectGateways"]
    assert [g["directConnectGatewayId"] for g in listed] == [kept]
    with pytest.raises(ClientError) as exc:
        describe(dx, gateway_id)
    assert error_of(exc) == (
        "DirectConnectClientException",
        f"Direct Connect Gateway {gateway_id} does not exist",
    )


def test_delete_is_refused_while_a_virtual_gateway_is_associated(dx: Any) -> None:
    gateway_id = create(dx)
    vgw_id = dx.describe_virtual_gateways()["virtualGateways"][0]["virtualGatewayId"]
    dx.create_direct_connect_gateway_association(
        directConnectGatewayId=gateway_id, virtualGatewayId=vgw_id
    )
    with pytest.raises(ClientError) as exc:
        dx.delete_direct_connect_gateway(directConnectGatewayId=gateway_id)
    code, message = error_of(exc)
    assert code == "DirectConnectClientException"
    assert f"is associated with virtual private gateway(s) ({vgw_id})" in message
    dx.delete_direct_connect_gateway_association(
        directConnectGatewayId=gateway_id, virtualGatewayId=vgw_id
    )
    dx.describe_direct_connect_gateways()
    deleted = dx.delete_direct_connect_gateway(directConnectGatewayId=gateway_id)
    assert deleted["directConnectGateway"]["directConnectGatewayState"] == "deleting"


def test_accounts_do_not_see_each_others_gateways(dx: Any, dx_partner: Any) -> None:
    gateway_id = create(dx)
    assert dx_partner.describe_direct_connect_gateways()["directConnectGateways"] == []
    with pytest.raises(ClientError) as exc:
        dx_partner.delete_direct_connect_gateway(directConnectGatewayId=gateway_id)
    assert error_of(exc)[1] == f"Direct Connect Gateway {gateway_id} does not exist"


# -- pagination ----------------------------------------------------------------------------------
def test_describe_gateways_pages_with_max_results_and_next_token(dx: Any) -> None:
    created = [create(dx, f"gw{n}") for n in range(5)]
    first = dx.describe_direct_connect_gateways(maxResults=2)
    assert [g["directConnectGatewayId"] for g in first["directConnectGateways"]] == created[:2]
    second = dx.describe_direct_connect_gateways(maxResults=2, nextToken=first["nextToken"])
    assert [g["directConnectGatewayId"] for g in second["directConnectGateways"]] == created[2:4]
    pages = dx.get_paginator("describe_direct_connect_gateways").paginate(
        PaginationConfig={"PageSize": 2}
    )
    listed = [g["directConnectGatewayId"] for p in pages for g in p["directConnectGateways"]]
    assert listed == created
    last = dx.describe_direct_connect_gateways(maxResults=5)
    assert "nextToken" not in last


def test_max_results_above_100_is_clamped_to_100(dx: Any) -> None:
    backend = DirectConnectBackend()
    caller = Caller(CUSTOMER, REGION)
    for n in range(101):
        backend.create_direct_connect_gateway(caller, direct_connect_gateway_name=f"gw{n}")
    page = backend.describe_direct_connect_gateways(caller, max_results=500)
    assert len(page["directConnectGateways"]) == 100
    rest = backend.describe_direct_connect_gateways(caller, next_token=page["nextToken"])
    assert len(rest["directConnectGateways"]) == 1
    assert "nextToken" not in rest


@pytest.mark.aws_verified
def test_max_results_above_100_is_accepted_not_refused(dx: Any) -> None:
    """AWS clamps an over-large page size instead of refusing it (dx-facts: "clamped to 100")."""
    page = dx.describe_direct_connect_gateways(maxResults=500)
    assert len(page["directConnectGateways"]) <= 100


def test_max_results_below_1_is_refused(dx: Any) -> None:
    with pytest.raises(ClientError) as exc:
        dx.describe_direct_connect_gateways(maxResults=0)
    assert error_of(exc) == (
        "DirectConnectClientException",
        "maxResults 0 is not valid: it must be between 1 and 100.",
    )


@pytest.mark.parametrize("token", ["garbage", "eyJzIjoiMCJ9", ""])
def test_invalid_next_token_is_refused(dx: Any, token: str) -> None:
    with pytest.raises(ClientError) as exc:
        dx.describe_direct_connect_gateways(nextToken=token)
    code, message = error_of(exc)
    assert code == "DirectConnectClientException"
    assert message.startswith("nextToken is not valid")


def test_next_token_of_another_query_is_refused(dx: Any) -> None:
    gateway_id = create(dx)
    create(dx)
    token = dx.describe_direct_connect_gateways(maxResults=1)["nextToken"]
    with pytest.raises(ClientError) as exc:
        dx.describe_direct_connect_gateways(directConnectGatewayId=gateway_id, nextToken=token)
    assert error_of(exc)[1].startswith("nextToken is not valid")


# -- attachments (G7) ----------------------------------------------------------------------------
def attach(dx: Any, gateway_id: str, count: int) -> list[str]:
    """`count` private VIFs on a fresh connection, attached to the gateway; their ids."""
    conn_id = dx.create_connection(location="EqDC2", bandwidth="1Gbps", connectionName="c")[
        "connectionId"
    ]
    dx.describe_connections()
    return [
        dx.create_private_virtual_interface(
            connectionId=conn_id,
            newPrivateVirtualInterface={
                "virtualInterfaceName": f"vif{n}",
                "vlan": 101 + n,
                "asn": 65000,
                "directConnectGatewayId": gateway_id,
            },
        )["virtualInterfaceId"]
        for n in range(count)
    ]


def attachments(dx: Any, **filters: Any) -> list[tuple[str, str, str]]:
    found = dx.describe_direct_connect_gateway_attachments(**filters)
    return [
        (a["directConnectGatewayId"], a["virtualInterfaceId"], a["attachmentState"])
        for a in found["directConnectGatewayAttachments"]
    ]


def test_describe_attachments_requires_a_gateway_or_a_virtual_interface(dx: Any) -> None:
    with pytest.raises(ClientError) as exc:
        dx.describe_direct_connect_gateway_attachments()
    assert error_of(exc) == (
        "DirectConnectClientException",
        "You must specify a Direct Connect gateway (directConnectGatewayId), a virtual "
        "interface (virtualInterfaceId), or both.",
    )


def test_describe_attachments_by_gateway_by_virtual_interface_or_the_pair(dx: Any) -> None:
    first, second = create(dx, "first"), create(dx, "second")
    dx.describe_direct_connect_gateways()
    on_first, [on_second] = attach(dx, first, 2), attach(dx, second, 1)
    assert attachments(dx, directConnectGatewayId=first) == [
        (first, vif_id, "attached") for vif_id in on_first
    ]
    [found] = dx.describe_direct_connect_gateway_attachments(virtualInterfaceId=on_second)[
        "directConnectGatewayAttachments"
    ]
    assert found == {
        "directConnectGatewayId": second,
        "virtualInterfaceId": on_second,
        "virtualInterfaceRegion": REGION,
        "virtualInterfaceOwnerAccount": CUSTOMER,
        "attachmentType": "PrivateVirtualInterface",
        "attachmentState": "attached",
    }
    pair = {"directConnectGatewayId": first, "virtualInterfaceId": on_first[1]}
    assert attachments(dx, **pair) == [(first, on_first[1], "attached")]
    assert attachments(dx, directConnectGatewayId=second, virtualInterfaceId=on_first[1]) == []


def test_attachment_walks_attaching_attached_and_detaching_then_disappears(
    dx: Any, control: httpx.Client
) -> None:
    gateway_id = create(dx)
    dx.describe_direct_connect_gateways()
    set_delay(control, 30)
    [vif_id] = attach(dx, gateway_id, 1)
    assert attachments(dx, virtualInterfaceId=vif_id) == [(gateway_id, vif_id, "attaching")]
    advance(control, 60)
    assert attachments(dx, virtualInterfaceId=vif_id) == [(gateway_id, vif_id, "attached")]
    dx.delete_virtual_interface(virtualInterfaceId=vif_id)
    assert attachments(dx, virtualInterfaceId=vif_id) == [(gateway_id, vif_id, "detaching")]
    advance(control, 30)
    assert attachments(dx, directConnectGatewayId=gateway_id) == []


def test_describe_attachments_pages_with_max_results_and_next_token(dx: Any) -> None:
    gateway_id = create(dx)
    dx.describe_direct_connect_gateways()
    vif_ids = attach(dx, gateway_id, 3)
    page = dx.describe_direct_connect_gateway_attachments(
        directConnectGatewayId=gateway_id, maxResults=2
    )
    assert [a["virtualInterfaceId"] for a in page["directConnectGatewayAttachments"]] == vif_ids[:2]
    pages = dx.get_paginator("describe_direct_connect_gateway_attachments").paginate(
        directConnectGatewayId=gateway_id, PaginationConfig={"PageSize": 2}
    )
    listed = [a["virtualInterfaceId"] for p in pages for a in p["directConnectGatewayAttachments"]]
    assert listed == vif_ids
    with pytest.raises(ClientError) as exc:
        dx.describe_direct_connect_gateway_attachments(
            virtualInterfaceId=vif_ids[0], nextToken=page["nextToken"]
        )
    assert error_of(exc)[1].startswith("nextToken is not valid")


def test_other_accounts_cannot_list_a_gateways_attachments(dx: Any, dx_partner: Any) -> None:
    gateway_id = create(dx)
    dx.describe_direct_connect_gateways()
    [vif_id] = attach(dx, gateway_id, 1)
    refusals = [
        ({"directConnectGatewayId": gateway_id}, f"Direct Connect Gateway {gateway_id}"),
        ({"virtualInterfaceId": vif_id}, f"Virtual interface {vif_id}"),
    ]
    for filters, subject in refusals:
        with pytest.raises(ClientError) as exc:
            dx_partner.describe_direct_connect_gateway_attachments(**filters)
        assert error_of(exc) == ("DirectConnectClientException", f"{subject} does not exist")


def test_delete_is_refused_while_a_virtual_interface_is_attached_or_detaching(
    dx: Any, control: httpx.Client
) -> None:
    gateway_id = create(dx)
    dx.describe_direct_connect_gateways()
    [vif_id] = attach(dx, gateway_id, 1)
    message = (
        f"Direct Connect Gateway {gateway_id} has virtual interface(s) attached ({vif_id}); "
        f"delete them and wait until they are detached first."
    )
    with pytest.raises(ClientError) as exc:
        dx.delete_direct_connect_gateway(directConnectGatewayId=gateway_id)
    assert error_of(exc) == ("DirectConnectClientException", message)
    set_delay(control, 30)
    dx.delete_virtual_interface(virtualInterfaceId=vif_id)
    with pytest.raises(ClientError) as exc:
        dx.delete_direct_connect_gateway(directConnectGatewayId=gateway_id)
    assert error_of(exc)[1] == message
    advance(control, 30)
    deleted = dx.delete_direct_connect_gateway(directConnectGatewayId=gateway_id)
    assert deleted["directConnectGateway"]["directConnectGatewayState"] == "deleting"


# -- tags on create ------------------------------------------------------------------------------
def test_create_takes_tags_and_the_gateway_shape_carries_them(dx: Any) -> None:
    tags = [{"key": "team", "value": "net"}, {"key": "bare"}]
    created = dx.create_direct_connect_gateway(directConnectGatewayName="gw", tags=tags)
    gateway = created["directConnectGateway"]
    assert gateway["tags"] == tags
    assert describe(dx, gateway["directConnectGatewayId"])["tags"] == tags
    arn = f"arn:aws:directconnect::{CUSTOMER}:dx-gateway/{gateway['directConnectGatewayId']}"
    assert dx.describe_tags(resourceArns=[arn])["resourceTags"][0]["tags"] == tags


def test_untagged_gateway_has_no_tags_member(dx: Any) -> None:
    assert "tags" not in describe(dx, create(dx))


@pytest.mark.parametrize(
    ("tags", "code"),
    [
        ([{"key": "k"}, {"key": "k"}], "DuplicateTagKeysException"),
        ([{"key": f"k{n}"} for n in range(51)], "TooManyTagsException"),
        ([{"key": "bad!"}], "DirectConnectClientException"),
    ],
    ids=["duplicate", "too-many", "bad-key"],
)
def test_bad_tags_are_refused_before_the_gateway_exists(
    dx: Any, tags: list[dict[str, str]], code: str
) -> None:
    with pytest.raises(ClientError) as exc:
        dx.create_direct_connect_gateway(directConnectGatewayName="gw", tags=tags)
    assert error_of(exc)[0] == code
    assert dx.describe_direct_connect_gateways()["directConnectGateways"] == []

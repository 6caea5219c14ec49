"""Direct Connect gateway ↔ virtual private gateway associations over boto3."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from botocore.exceptions import ClientError

from dxsim.gateway_records import seeded_vgw_ids
from tests.conftest import CUSTOMER, PARTNER, REGION, advance, error_of, set_delay


def gateway(dx: Any, name: str = "gw") -> str:
    created = dx.create_direct_connect_gateway(directConnectGatewayName=name)
    return str(created["directConnectGateway"]["directConnectGatewayId"])


def associate(dx: Any, gateway_id: str, vgw_id: str) -> dict[str, Any]:
    return dict(
        dx.create_direct_connect_gateway_association(
            directConnectGatewayId=gateway_id, virtualGatewayId=vgw_id
        )["directConnectGatewayAssociation"]
    )


def associations(dx: Any, **filters: Any) -> list[dict[str, Any]]:
    found = dx.describe_direct_connect_gateway_associations(**filters)
    return list(found["directConnectGatewayAssociations"])


VGWS = seeded_vgw_ids(CUSTOMER, REGION)


def test_association_walks_associating_to_associated_and_names_vgw_region_and_owner(
    dx: Any, control: httpx.Client
) -> None:
    gateway_id = gateway(dx)
    set_delay(control, 60)
    assert associate(dx, gateway_id, VGWS[0]) == {
        "directConnectGatewayId": gateway_id,
        "virtualGatewayId": VGWS[0],
        "virtualGatewayRegion": REGION,
        "virtualGatewayOwnerAccount": CUSTOMER,
        "associationState": "associating",
    }
    advance(control, 60)
    [found] = associations(dx, directConnectGatewayId=gateway_id)
    assert found["associationState"] == "associated"


def test_gateway_takes_virtual_gateways_from_several_regions(dx: Any, dx_for: Any) -> None:
    gateway_id = gateway(dx)
    west = dx_for(CUSTOMER, "us-west-2")
    west_vgw = west.describe_virtual_gateways()["virtualGateways"][0]["virtualGatewayId"]
    associate(dx, gateway_id, VGWS[0])
    associate(west, gateway_id, west_vgw)
    found = associations(dx, directConnectGatewayId=gateway_id)
    assert [(a["virtualGatewayId"], a["virtualGatewayRegion"]) for a in found] == [
        (VGWS[0], REGION),
        (west_vgw, "us-west-2"),
    ]


@pytest.mark.parametrize(
    "vgw_id",
    [
        "vgw-0123456789abcdef0",
        seeded_vgw_ids(CUSTOMER, "us-west-2")[0],
        seeded_vgw_ids(PARTNER, REGION)[0],
    ],
    ids=["unknown", "other-region", "other-account"],
)
def test_virtual_gateway_must_exist_in_the_callers_account_and_region(
    dx: Any, dx_for: Any, vgw_id: str
) -> None:
    dx_for(CUSTOMER, "us-west-2").describe_virtual_gateways()
    dx_for(PARTNER, REGION).describe_virtual_gateways()
    gateway_id = gateway(dx)
    with pytest.raises(ClientError) as exc:
        associate(dx, gateway_id, vgw_id)
    assert error_of(exc) == (
        "DirectConnectClientException",
        f"The VirtualGateway {vgw_id} does not exist.",
    )


def test_virtual_gateway_joins_at_most_one_gateway(dx: Any) -> None:
    first, second = gateway(dx, "first"), gateway(dx, "second")
    associate(dx, first, VGWS[0])
    for target in (second, first):
        with pytest.raises(ClientError) as exc:
            associate(dx, target, VGWS[0])
        code, message = error_of(exc)
        assert code == "DirectConnectClientException"
        assert f"The VirtualGateway {VGWS[0]} is already associated with Direct Connect " in message
        assert f"Gateway {first} (state associated)" in message


def test_unknown_gateway_is_refused(dx: Any) -> None:
    missing = "00000000-0000-4000-8000-000000000000"
    with pytest.raises(ClientError) as exc:
        associate(dx, missing, VGWS[0])
    assert error_of(exc)[1] == f"Direct Connect Gateway {missing} does not exist"


def test_create_and_delete_require_virtual_gateway_id(dx: Any) -> None:
    gateway_id = gateway(dx)
    for call in (
        dx.create_direct_connect_gateway_association,
        dx.delete_direct_connect_gateway_association,
    ):
        with pytest.raises(ClientError) as exc:
            call(directConnectGatewayId=gateway_id)
        code, message = error_of(exc)
        assert code == "ValidationException"
        assert "'virtualGatewayId' failed to satisfy constraint: Member must not be null" in message


def test_delete_walks_disassociating_then_the_association_is_gone(
    dx: Any, control: httpx.Client
) -> None:
    gateway_id = gateway(dx)
    associate(dx, gateway_id, VGWS[0])
    set_delay(control, 30)
    deleted = dx.delete_direct_connect_gateway_association(
        directConnectGatewayId=gateway_id, virtualGatewayId=VGWS[0]
    )["directConnectGatewayAssociation"]
    assert deleted["associationState"] == "disassociating"
    assert associations(dx, virtualGatewayId=VGWS[0])[0]["associationState"] == "disassociating"
    advance(control, 30)
    assert associations(dx, directConnectGatewayId=gateway_id) == []
    assert associate(dx, gateway(dx, "next"), VGWS[0])["associationState"] == "associating"


def test_delete_of_missing_association_says_does_not_exist(dx: Any) -> None:
    gateway_id = gateway(dx)
    with pytest.raises(ClientError) as exc:
        dx.delete_direct_connect_gateway_association(
            directConnectGatewayId=gateway_id, virtualGatewayId=VGWS[1]
        )
    assert error_of(exc) == (
        "DirectConnectClientException",
        f"Direct Connect Gateway Association between {gateway_id} and {VGWS[1]} does not exist",
    )


def test_describe_requires_a_gateway_or_a_virtual_gateway(dx: Any) -> None:
    with pytest.raises(ClientError) as exc:
        dx.describe_direct_connect_gateway_associations()
    assert error_of(exc) == (
        "DirectConnectClientException",
        "You must specify a Direct Connect gateway (directConnectGatewayId), a virtual private "
        "gateway (virtualGatewayId), or both.",
    )


def test_describe_by_gateway_by_virtual_gateway_or_the_pair(dx: Any) -> None:
    first, second = gateway(dx, "first"), gateway(dx, "second")
    for gateway_id, vgw_id in ((first, VGWS[0]), (first, VGWS[1]), (second, VGWS[2])):
        associate(dx, gateway_id, vgw_id)

    def pairs(**filters: Any) -> list[tuple[str, str]]:
        return [
            (a["directConnectGatewayId"], a["virtualGatewayId"])
            for a in associations(dx, **filters)
        ]

    assert pairs(directConnectGatewayId=first) == [(first, VGWS[0]), (first, VGWS[1])]
    assert pairs(virtualGatewayId=VGWS[2]) == [(second, VGWS[2])]
    assert pairs(directConnectGatewayId=first, virtualGatewayId=VGWS[1]) == [(first, VGWS[1])]
    assert pairs(directConnectGatewayId=second, virtualGatewayId=VGWS[1]) == []


def test_describe_pages_with_max_results_and_next_token(dx: Any) -> None:
    gateway_id = gateway(dx)
    for vgw_id in VGWS[:3]:
        associate(dx, gateway_id, vgw_id)
    first = dx.describe_direct_connect_gateway_associations(
        directConnectGatewayId=gateway_id, maxResults=2
    )
    assert [a["virtualGatewayId"] for a in first["directConnectGatewayAssociations"]] == VGWS[:2]
    pages = dx.get_paginator("describe_direct_connect_gateway_associations").paginate(
        directConnectGatewayId=gateway_id, PaginationConfig={"PageSize": 1}
    )
    listed = [a["virtualGatewayId"] for p in pages for a in p["directConnectGatewayAssociations"]]
    assert listed == VGWS[:3]
    with pytest.raises(ClientError) as exc:
        dx.describe_direct_connect_gateway_associations(
            virtualGatewayId=VGWS[0], nextToken=first["nextToken"]
        )
    assert re.match(r"nextToken is not valid", error_of(exc)[1])


def test_other_accounts_cannot_see_or_delete_associations(dx: Any, dx_partner: Any) -> None:
    gateway_id = gateway(dx)
    associate(dx, gateway_id, VGWS[0])
    assert associations(dx_partner, virtualGatewayId=VGWS[0]) == []
    with pytest.raises(ClientError) as exc:
        dx_partner.delete_direct_connect_gateway_association(
            directConnectGatewayId=gateway_id, virtualGatewayId=VGWS[0]
        )
    assert error_of(exc)[1] == f"Direct Connect Gateway {gateway_id} does not exist"


def test_gateway_being_deleted_takes_no_new_associations(dx: Any, control: httpx.Client) -> None:
    gateway_id = gateway(dx)
    dx.describe_direct_connect_gateways()
    set_delay(control, 30)
    dx.delete_direct_connect_gateway(directConnectGatewayId=gateway_id)
    with pytest.raises(ClientError) as exc:
        associate(dx, gateway_id, VGWS[0])
    assert error_of(exc) == (
        "DirectConnectClientException",
        f"Direct Connect Gateway {gateway_id} is in state deleting and cannot be associated.",
    )

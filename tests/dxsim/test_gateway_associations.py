"""Direct Connect gateway ↔ virtual private gateway associations over boto3."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import partial
from typing import Any

import httpx
import pytest
from botocore.exceptions import ClientError

from dxsim.accounts import Caller
from dxsim.backend import DirectConnectBackend
from dxsim.exceptions import DirectConnectClientException
from dxsim.gateway_associations import MAX_VGWS
from dxsim.gateway_records import seeded_tgws, seeded_vgw_ids
from dxsim.routes import vpc_cidrs
from tests.conftest import CUSTOMER, PARTNER, REGION, advance, error_of, set_delay
from tests.dxsim.builders import new_gateway


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
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")


def test_association_walks_associating_to_associated_and_names_vgw_region_and_owner(
    dx: Any, control: httpx.Client
) -> None:
    gateway_id = new_gateway(dx)
    set_delay(control, 60)
    created = associate(dx, gateway_id, VGWS[0])
    assert UUID.fullmatch(created.pop("associationId"))
    assert created == {
        "directConnectGatewayId": gateway_id,
        "directConnectGatewayOwnerAccount": CUSTOMER,
        "virtualGatewayId": VGWS[0],
        "virtualGatewayRegion": REGION,
        "virtualGatewayOwnerAccount": CUSTOMER,
        "associationState": "associating",
        "associatedGateway": {
            "id": VGWS[0],
            "type": "virtualPrivateGateway",
            "ownerAccount": CUSTOMER,
            "region": REGION,
        },
        "allowedPrefixesToDirectConnectGateway": [{"cidr": vpc_cidrs(VGWS[0], "ipv4")[0]}],
    }
    advance(control, 60)
    [found] = associations(dx, directConnectGatewayId=gateway_id)
    assert found["associationState"] == "associated"


def test_gateway_takes_virtual_gateways_from_several_regions(dx: Any, dx_for: Any) -> None:
    gateway_id = new_gateway(dx)
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
    gateway_id = new_gateway(dx)
    with pytest.raises(ClientError) as exc:
        associate(dx, gateway_id, vgw_id)
    assert error_of(exc) == (
        "DirectConnectClientException",
        f"The VirtualGateway {vgw_id} does not exist.",
    )


def test_virtual_gateway_joins_at_most_one_gateway(dx: Any) -> None:
    first, second = new_gateway(dx, "first"), new_gateway(dx, "second")
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


def test_create_needs_a_gateway_id_and_delete_an_association_id_or_the_pair(dx: Any) -> None:
    gateway_id = new_gateway(dx)
    with pytest.raises(ClientError) as exc:
        dx.create_direct_connect_gateway_association(directConnectGatewayId=gateway_id)
    assert error_of(exc) == (
        "DirectConnectClientException",
        "gatewayId is required: the ID of the virtual private gateway or transit gateway to "
        "associate (the legacy virtualGatewayId is also accepted).",
    )
    with pytest.raises(ClientError) as exc:
        dx.delete_direct_connect_gateway_association(directConnectGatewayId=gateway_id)
    assert error_of(exc) == (
        "DirectConnectClientException",
        "Specify the association to delete: associationId, or both directConnectGatewayId and "
        "virtualGatewayId.",
    )


def test_delete_walks_disassociating_then_the_association_is_gone(
    dx: Any, control: httpx.Client
) -> None:
    gateway_id = new_gateway(dx)
    associate(dx, gateway_id, VGWS[0])
    set_delay(control, 30)
    deleted = dx.delete_direct_connect_gateway_association(
        directConnectGatewayId=gateway_id, virtualGatewayId=VGWS[0]
    )["directConnectGatewayAssociation"]
    assert deleted["associationState"] == "disassociating"
    assert associations(dx, virtualGatewayId=VGWS[0])[0]["associationState"] == "disassociating"
    advance(control, 30)
    assert associations(dx, directConnectGatewayId=gateway_id) == []
    assert associate(dx, new_gateway(dx, "next"), VGWS[0])["associationState"] == "associating"


def test_delete_of_missing_association_says_does_not_exist(dx: Any) -> None:
    gateway_id = new_gateway(dx)
    with pytest.raises(ClientError) as exc:
        dx.delete_direct_connect_gateway_association(
            directConnectGatewayId=gateway_id, virtualGatewayId=VGWS[1]
        )
    assert error_of(exc) == (
        "DirectConnectClientException",
        f"Direct Connect Gateway Association between {gateway_id} and {VGWS[1]} does not exist",
    )


def test_describe_requires_a_gateway_an_associated_gateway_or_an_association(dx: Any) -> None:
    with pytest.raises(ClientError) as exc:
        dx.describe_direct_connect_gateway_associations()
    assert error_of(exc) == (
        "DirectConnectClientException",
        "You must specify a Direct Connect gateway (directConnectGatewayId), an associated "
        "gateway (associatedGatewayId or virtualGatewayId), or an association (associationId).",
    )


def test_describe_by_gateway_by_virtual_gateway_or_the_pair(dx: Any) -> None:
    first, second = new_gateway(dx, "first"), new_gateway(dx, "second")
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
    gateway_id = new_gateway(dx)
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
    gateway_id = new_gateway(dx)
    associate(dx, gateway_id, VGWS[0])
    assert associations(dx_partner, virtualGatewayId=VGWS[0]) == []
    with pytest.raises(ClientError) as exc:
        dx_partner.delete_direct_connect_gateway_association(
            directConnectGatewayId=gateway_id, virtualGatewayId=VGWS[0]
        )
    assert error_of(exc)[1] == f"Direct Connect Gateway {gateway_id} does not exist"


def test_gateway_being_deleted_takes_no_new_associations(dx: Any, control: httpx.Client) -> None:
    gateway_id = new_gateway(dx)
    dx.describe_direct_connect_gateways()
    set_delay(control, 30)
    dx.delete_direct_connect_gateway(directConnectGatewayId=gateway_id)
    with pytest.raises(ClientError) as exc:
        associate(dx, gateway_id, VGWS[0])
    assert error_of(exc) == (
        "DirectConnectClientException",
        f"Direct Connect Gateway {gateway_id} is in state deleting and cannot be associated.",
    )


# -- today's members: gatewayId, transit gateways, allowed prefixes ---------------------------
TGWS = seeded_tgws(CUSTOMER, REGION)


def create(dx: Any, gateway_id: str, target: str, *cidrs: str, **extra: Any) -> dict[str, Any]:
    prefixes = {"addAllowedPrefixesToDirectConnectGateway": [{"cidr": c} for c in cidrs]}
    return dict(
        dx.create_direct_connect_gateway_association(
            directConnectGatewayId=gateway_id,
            gatewayId=target,
            **(prefixes if cidrs else {}),
            **extra,
        )["directConnectGatewayAssociation"]
    )


def refusal(excinfo: pytest.ExceptionInfo[Any]) -> str:
    code, message = error_of(excinfo)
    assert code == "DirectConnectClientException"
    return message


def cidrs(association: dict[str, Any]) -> list[str]:
    return [p["cidr"] for p in association["allowedPrefixesToDirectConnectGateway"]]


def test_transit_gateway_association_names_the_gateway_without_legacy_members(dx: Any) -> None:
    gateway_id = new_gateway(dx)
    created = create(dx, gateway_id, TGWS[0][0], "10.1.0.0/16", "2001:db8::/56")
    assert created["associatedGateway"] == {
        "id": TGWS[0][0],
        "type": "transitGateway",
        "ownerAccount": CUSTOMER,
        "region": REGION,
    }
    assert cidrs(created) == ["10.1.0.0/16", "2001:db8::/56"]
    assert created["directConnectGatewayOwnerAccount"] == CUSTOMER
    assert not {"virtualGatewayId", "virtualGatewayRegion", "virtualGatewayOwnerAccount"} & set(
        created
    )
    [found] = associations(dx, associatedGatewayId=TGWS[0][0])
    assert found["associationState"] == "associated"
    assert found["associationId"] == created["associationId"]


def test_transit_gateway_association_requires_allowed_prefixes(dx: Any) -> None:
    gateway_id = new_gateway(dx)
    with pytest.raises(ClientError) as exc:
        create(dx, gateway_id, TGWS[0][0])
    assert refusal(exc).startswith(
        "addAllowedPrefixesToDirectConnectGateway is required when you create an association "
        "to a transit gateway"
    )


def test_virtual_gateway_takes_given_prefixes_instead_of_its_vpc_cidr(dx: Any) -> None:
    created = create(dx, new_gateway(dx), VGWS[1], "10.9.0.0/16")
    assert cidrs(created) == ["10.9.0.0/16"]
    assert created["virtualGatewayId"] == VGWS[1]


def test_gateway_id_and_legacy_virtual_gateway_id_must_agree(dx: Any) -> None:
    gateway_id = new_gateway(dx)
    with pytest.raises(ClientError) as exc:
        create(dx, gateway_id, VGWS[0], virtualGatewayId=VGWS[1])
    assert refusal(exc).startswith(f"gatewayId {VGWS[0]} and virtualGatewayId {VGWS[1]} differ")
    same = create(dx, gateway_id, VGWS[0], virtualGatewayId=VGWS[0])
    assert same["associatedGateway"]["id"] == VGWS[0]


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("tgw-0123456789abcdef0", "The TransitGateway tgw-0123456789abcdef0 does not exist."),
        (seeded_tgws(PARTNER, REGION)[0][0], "does not exist."),
        ("igw-0123456789abcdef0", "The gateway igw-0123456789abcdef0 does not exist"),
    ],
    ids=["unknown", "other-account", "not-a-gateway"],
)
def test_transit_gateway_must_be_the_callers(dx: Any, target: str, message: str) -> None:
    with pytest.raises(ClientError) as exc:
        create(dx, new_gateway(dx), target, "10.0.0.0/16")
    assert message in refusal(exc)


def test_transit_gateway_asn_must_differ_from_the_gateways(dx: Any) -> None:
    tgw_id, asn = TGWS[0]
    same_asn = dx.create_direct_connect_gateway(directConnectGatewayName="g", amazonSideAsn=asn)
    gateway_id = same_asn["directConnectGateway"]["directConnectGatewayId"]
    with pytest.raises(ClientError) as exc:
        create(dx, gateway_id, tgw_id, "10.0.0.0/16")
    assert refusal(exc) == (
        f"The TransitGateway {tgw_id} uses ASN {asn}, the same as Direct Connect Gateway "
        f"{gateway_id}; the ASNs of a transit gateway and a Direct Connect gateway it associates "
        f"with must be different."
    )


def test_gateway_carries_virtual_gateways_or_transit_gateways_never_both(dx: Any) -> None:
    private, transit = new_gateway(dx, "private"), new_gateway(dx, "transit")
    associate(dx, private, VGWS[0])
    create(dx, transit, TGWS[0][0], "10.0.0.0/16")
    with pytest.raises(ClientError) as exc:
        create(dx, private, TGWS[1][0], "10.0.0.0/16")
    assert refusal(exc).startswith(
        f"You cannot associate a transit gateway with Direct Connect Gateway {private}: it is "
        f"already associated with a virtual private gateway or attached to a private virtual "
        f"interface."
    )
    with pytest.raises(ClientError) as exc:
        associate(dx, transit, VGWS[1])
    assert refusal(exc).startswith(
        f"You cannot associate a virtual private gateway with Direct Connect Gateway {transit}"
    )


def test_transit_gateway_joins_several_gateways_but_each_once(dx: Any) -> None:
    first, second = new_gateway(dx, "first"), new_gateway(dx, "second")
    create(dx, first, TGWS[0][0], "10.0.0.0/16")
    create(dx, second, TGWS[0][0], "10.0.0.0/16")
    with pytest.raises(ClientError) as exc:
        create(dx, first, TGWS[0][0], "10.0.0.0/16")
    assert f"The TransitGateway {TGWS[0][0]} is already associated" in refusal(exc)


@pytest.mark.parametrize(
    ("prefixes", "message"),
    [
        (["10.0.0.0/33"], "is not a valid CIDR"),
        (["not-a-cidr"], "is not a valid CIDR"),
        (["2001:db8::/65"], "an IPv6 CIDR must use /64 or shorter"),
        (["10.0.0.0/16", "10.0.0.0/16"], "lists 10.0.0.0/16 more than once"),
        (["10.0.0.0/16", "10.0.0.1/16"], "lists 10.0.0.1/16 more than once"),
        ([f"10.{n // 256}.{n % 256}.0/24" for n in range(201)], "at most 200"),
    ],
    ids=["bad-length", "garbage", "ipv6-too-long", "duplicate", "same-network", "over-quota"],
)
def test_allowed_prefixes_are_checked(dx: Any, prefixes: list[str], message: str) -> None:
    with pytest.raises(ClientError) as exc:
        create(dx, new_gateway(dx), TGWS[0][0], *prefixes)
    assert message in refusal(exc)


def test_allowed_prefixes_take_ipv6_up_to_64_and_200_entries(dx: Any) -> None:
    many = [f"10.0.{n}.0/24" for n in range(199)] + ["2001:db8:1:2::/64"]
    assert len(cidrs(create(dx, new_gateway(dx), TGWS[0][0], *many))) == 200


def test_prefix_without_cidr_is_refused(dx: Any) -> None:
    with pytest.raises(ClientError) as exc:
        dx.create_direct_connect_gateway_association(
            directConnectGatewayId=new_gateway(dx),
            gatewayId=TGWS[0][0],
            addAllowedPrefixesToDirectConnectGateway=[{}],
        )
    assert "every prefix needs a cidr" in refusal(exc)


def state_of(control: httpx.Client, gateway_id: str, state: str) -> httpx.Response:
    return control.put(f"/ec2-gateways/{gateway_id}", json={"state": state})


def test_transit_gateway_must_be_available(dx: Any, control: httpx.Client) -> None:
    create(dx, new_gateway(dx, "seen"), TGWS[0][0], "10.0.0.0/16")
    assert state_of(control, TGWS[1][0], "pending").json()["state"] == "pending"
    with pytest.raises(ClientError) as exc:
        create(dx, new_gateway(dx), TGWS[1][0], "10.0.0.0/16")
    assert refusal(exc) == (
        f"The TransitGateway {TGWS[1][0]} is in state pending; only an available transit "
        f"gateway can be associated."
    )


def test_association_fails_with_state_change_error_when_its_gateway_goes_away(
    dx: Any, control: httpx.Client
) -> None:
    gateway_id = new_gateway(dx)
    set_delay(control, 60)
    created = create(dx, gateway_id, TGWS[0][0], "10.0.0.0/16")
    state_of(control, TGWS[0][0], "deleting").raise_for_status()
    advance(control, 60)
    [failed] = associations(dx, associationId=created["associationId"])
    assert failed["associationState"] == "disassociated"
    assert failed["stateChangeError"] == (
        f"The TransitGateway {TGWS[0][0]} is deleting; the association with Direct Connect "
        f"Gateway {gateway_id} failed."
    )
    advance(control, 3600)
    assert associations(dx, associationId=created["associationId"]) == []


def test_gateway_quota_is_twenty_virtual_gateways() -> None:
    backend = DirectConnectBackend()
    home = Caller(account=CUSTOMER, region=REGION)
    gateway_id = backend.create_direct_connect_gateway(home, direct_connect_gateway_name="g")[
        "directConnectGateway"
    ]["directConnectGatewayId"]
    regions = ("us-east-1", "us-west-2", "eu-west-1", "ap-south-1", "eu-central-1", "sa-east-1")
    vgws = [(region, vgw) for region in regions for vgw in seeded_vgw_ids(CUSTOMER, region)]
    for n, (region, vgw_id) in enumerate(vgws[: MAX_VGWS + 1]):
        call = partial(
            backend.create_direct_connect_gateway_association,
            Caller(account=CUSTOMER, region=region),
            direct_connect_gateway_id=gateway_id,
            gateway_id=vgw_id,
        )
        if n < MAX_VGWS:
            call()
            continue
        with pytest.raises(DirectConnectClientException) as exc:
            call()
        assert "already has 20 virtual private gateway associations" in str(exc.value)


# -- update, delete and describe by association id ---------------------------------------------
def update(
    dx: Any, association_id: str, add: Sequence[str] = (), remove: Sequence[str] = ()
) -> Any:
    return dx.update_direct_connect_gateway_association(
        associationId=association_id,
        addAllowedPrefixesToDirectConnectGateway=[{"cidr": c} for c in add],
        removeAllowedPrefixesToDirectConnectGateway=[{"cidr": c} for c in remove],
    )["directConnectGatewayAssociation"]


def test_update_changes_prefixes_walking_updating_to_associated(
    dx: Any, control: httpx.Client
) -> None:
    association_id = create(dx, new_gateway(dx), TGWS[0][0], "10.0.0.0/16", "10.1.0.0/16")[
        "associationId"
    ]
    set_delay(control, 120)
    updated = update(dx, association_id, add=["10.2.0.0/16", "10.0.0.0/16"], remove=["10.1.0.0/16"])
    assert updated["associationState"] == "updating"
    assert cidrs(updated) == ["10.0.0.0/16", "10.2.0.0/16"]
    [found] = associations(dx, associationId=association_id)
    assert (found["associationState"], cidrs(found)) == ("updating", cidrs(updated))
    advance(control, 120)
    assert associations(dx, associationId=association_id)[0]["associationState"] == "associated"


def test_update_is_refused_until_the_association_is_associated(
    dx: Any, control: httpx.Client
) -> None:
    set_delay(control, 60)
    association_id = create(dx, new_gateway(dx), TGWS[0][0], "10.0.0.0/16")["associationId"]
    with pytest.raises(ClientError) as exc:
        update(dx, association_id, add=["10.1.0.0/16"])
    assert refusal(exc) == (
        f"Direct Connect Gateway Association {association_id} is in state associating; only an "
        f"associated association can be updated."
    )


@pytest.mark.parametrize(
    ("add", "remove", "message"),
    [
        ([], ["10.7.0.0/16"], "names 10.7.0.0/16, which the association does not advertise"),
        (["10.1.0.0/16"], ["10.1.0.0/16"], "cannot be both added and removed"),
        ([], [], "Nothing to update"),
        (["2001:db8::/80"], [], "an IPv6 CIDR must use /64 or shorter"),
    ],
    ids=["remove-missing", "add-and-remove", "nothing", "bad-cidr"],
)
def test_update_checks_its_prefix_lists(
    dx: Any, add: list[str], remove: list[str], message: str
) -> None:
    association_id = create(dx, new_gateway(dx), TGWS[0][0], "10.0.0.0/16")["associationId"]
    with pytest.raises(ClientError) as exc:
        update(dx, association_id, add=add, remove=remove)
    assert message in refusal(exc)


def test_update_may_leave_a_transit_association_without_prefixes(dx: Any) -> None:
    association_id = create(dx, new_gateway(dx), TGWS[0][0], "10.0.0.0/16")["associationId"]
    assert cidrs(update(dx, association_id, remove=["10.0.0.0/16"])) == []


def test_update_of_unknown_or_other_accounts_association_does_not_exist(
    dx: Any, dx_partner: Any
) -> None:
    association_id = create(dx, new_gateway(dx), TGWS[0][0], "10.0.0.0/16")["associationId"]
    for client, wanted in ((dx, "00000000-0000-4000-8000-000000000000"), (dx_partner, None)):
        target = wanted or association_id
        with pytest.raises(ClientError) as exc:
            update(client, target, add=["10.1.0.0/16"])
        assert refusal(exc) == f"Direct Connect Gateway Association {target} does not exist"


def test_delete_by_association_id(dx: Any, control: httpx.Client) -> None:
    gateway_id = new_gateway(dx)
    association_id = create(dx, gateway_id, TGWS[0][0], "10.0.0.0/16")["associationId"]
    set_delay(control, 30)
    deleted = dx.delete_direct_connect_gateway_association(associationId=association_id)
    assert deleted["directConnectGatewayAssociation"]["associationState"] == "disassociating"
    advance(control, 30)
    assert associations(dx, directConnectGatewayId=gateway_id) == []
    with pytest.raises(ClientError) as exc:
        dx.delete_direct_connect_gateway_association(associationId=association_id)
    assert refusal(exc) == f"Direct Connect Gateway Association {association_id} does not exist"


def test_legacy_pair_deletes_a_transit_association_too(dx: Any) -> None:
    gateway_id = new_gateway(dx)
    create(dx, gateway_id, TGWS[0][0], "10.0.0.0/16")
    deleted = dx.delete_direct_connect_gateway_association(
        directConnectGatewayId=gateway_id, virtualGatewayId=TGWS[0][0]
    )["directConnectGatewayAssociation"]
    assert deleted["associatedGateway"]["id"] == TGWS[0][0]


def test_describe_by_association_or_associated_gateway(dx: Any) -> None:
    first, second = new_gateway(dx, "first"), new_gateway(dx, "second")
    one = create(dx, first, TGWS[0][0], "10.0.0.0/16")["associationId"]
    two = create(dx, second, TGWS[0][0], "10.0.0.0/16")["associationId"]
    three = create(dx, first, TGWS[1][0], "10.0.0.0/16")["associationId"]

    def ids(**filters: Any) -> list[str]:
        return [a["associationId"] for a in associations(dx, **filters)]

    assert ids(associationId=two) == [two]
    assert ids(associatedGatewayId=TGWS[0][0]) == [one, two]
    assert ids(virtualGatewayId=TGWS[1][0]) == [three]
    assert ids(directConnectGatewayId=first, associatedGatewayId=TGWS[0][0]) == [one]
    assert ids(associationId=one, associatedGatewayId=TGWS[1][0]) == []
    pages = dx.get_paginator("describe_direct_connect_gateway_associations").paginate(
        associatedGatewayId=TGWS[0][0], PaginationConfig={"PageSize": 1}
    )
    assert [a["associationId"] for p in pages for a in p["directConnectGatewayAssociations"]] == [
        one,
        two,
    ]


def test_delete_gateway_is_refused_while_a_transit_gateway_is_associated(dx: Any) -> None:
    gateway_id = new_gateway(dx)
    create(dx, gateway_id, TGWS[0][0], "10.0.0.0/16")
    with pytest.raises(ClientError) as exc:
        dx.delete_direct_connect_gateway(directConnectGatewayId=gateway_id)
    assert f"is associated with transit gateway(s) ({TGWS[0][0]})" in refusal(exc)

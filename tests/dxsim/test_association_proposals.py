"""Cross-account association proposals over boto3 (dx-current-api.md §4.3).

The customer (`dx`, account A) owns the Direct Connect gateway; the partner (`dx_partner`,
account B) owns the Transit Gateway or VGW and proposes; A accepts or rejects.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from botocore.exceptions import ClientError

from dxsim.accounts import Caller
from dxsim.association_proposals import ACCEPTED_RETENTION, DELETED_RETENTION
from dxsim.backend import DirectConnectBackend
from dxsim.gateway_records import seeded_tgws, seeded_vgw_ids
from dxsim.routes import vpc_cidrs
from dxsim.world import SqliteStore
from tests.conftest import CUSTOMER, OTHER, PARTNER, REGION, advance, error_of, set_delay
from tests.dxsim.builders import new_gateway

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
PARTNER_TGWS = seeded_tgws(PARTNER, REGION)
TGW = PARTNER_TGWS[0][0]
MISSING = "00000000-0000-4000-8000-000000000000"


def prefixes(*cidrs: str) -> list[dict[str, str]]:
    return [{"cidr": c} for c in cidrs]


def cidrs(items: list[dict[str, str]]) -> list[str]:
    return [p["cidr"] for p in items]


def propose(
    client: Any,
    gateway_id: str,
    target: str = TGW,
    *add: str,
    owner: str = CUSTOMER,
    remove: tuple[str, ...] = (),
) -> dict[str, Any]:
    extra: dict[str, Any] = {}
    if add:
        extra["addAllowedPrefixesToDirectConnectGateway"] = prefixes(*add)
    if remove:
        extra["removeAllowedPrefixesToDirectConnectGateway"] = prefixes(*remove)
    return dict(
        client.create_direct_connect_gateway_association_proposal(
            directConnectGatewayId=gateway_id,
            directConnectGatewayOwnerAccount=owner,
            gatewayId=target,
            **extra,
        )["directConnectGatewayAssociationProposal"]
    )


def accept(
    dx: Any, gateway_id: str, proposal_id: str, owner: str = PARTNER, **extra: Any
) -> dict[str, Any]:
    return dict(
        dx.accept_direct_connect_gateway_association_proposal(
            directConnectGatewayId=gateway_id,
            proposalId=proposal_id,
            associatedGatewayOwnerAccount=owner,
            **extra,
        )["directConnectGatewayAssociation"]
    )


def proposals(client: Any, **filters: Any) -> list[dict[str, Any]]:
    found = client.describe_direct_connect_gateway_association_proposals(**filters)
    return list(found["directConnectGatewayAssociationProposals"])


def associations(client: Any, **filters: Any) -> list[dict[str, Any]]:
    found = client.describe_direct_connect_gateway_associations(**filters)
    return list(found["directConnectGatewayAssociations"])


def refusal(excinfo: pytest.ExceptionInfo[Any]) -> str:
    code, message = error_of(excinfo)
    assert code == "DirectConnectClientException"
    return message


# -- the flow of §4.3, end to end ----------------------------------------------------------------
@pytest.mark.aws_verified
def test_cross_account_transit_association_end_to_end(
    dx: Any, dx_partner: Any, control: httpx.Client
) -> None:
    gateway_id = new_gateway(dx)  # 1. A owns the DX gateway
    proposal = propose(dx_partner, gateway_id, TGW, "10.20.0.0/16")  # 2. B proposes
    proposal_id = proposal.pop("proposalId")
    assert UUID.fullmatch(proposal_id)
    assert proposal == {
        "directConnectGatewayId": gateway_id,
        "directConnectGatewayOwnerAccount": CUSTOMER,
        "proposalState": "requested",
        "associatedGateway": {
            "id": TGW,
            "type": "transitGateway",
            "ownerAccount": PARTNER,
            "region": REGION,
        },
        "existingAllowedPrefixesToDirectConnectGateway": [],
        "requestedAllowedPrefixesToDirectConnectGateway": [{"cidr": "10.20.0.0/16"}],
    }
    [seen] = proposals(dx, directConnectGatewayId=gateway_id)  # 3. A sees it
    assert seen["proposalId"] == proposal_id
    assert proposals(dx_partner, proposalId=proposal_id) == [seen]  # so does B

    set_delay(control, 60)  # 4. A accepts
    association = accept(dx, gateway_id, proposal_id)
    assert association["associationState"] == "associating"
    assert association["associatedGateway"]["ownerAccount"] == PARTNER
    assert association["directConnectGatewayOwnerAccount"] == CUSTOMER
    assert cidrs(association["allowedPrefixesToDirectConnectGateway"]) == ["10.20.0.0/16"]
    assert proposals(dx, proposalId=proposal_id)[0]["proposalState"] == "accepted"
    advance(control, 60)  # 5. it becomes associated; both accounts see it
    association_id = association["associationId"]
    [mine] = associations(dx, associationId=association_id)
    assert mine["associationState"] == "associated"
    assert associations(dx_partner, associatedGatewayId=TGW) == [mine]
    assert associations(dx_partner, directConnectGatewayId=gateway_id) == [mine]
    with pytest.raises(ClientError) as exc:  # re-accepting
        accept(dx, gateway_id, proposal_id)
    assert refusal(exc) == "Direct Connect Gateway Association Proposal  has been accepted!"

    change = propose(  # 6. B proposes a change; A accepts it
        dx_partner, gateway_id, TGW, "10.21.0.0/16", remove=("10.20.0.0/16",)
    )
    assert cidrs(change["existingAllowedPrefixesToDirectConnectGateway"]) == ["10.20.0.0/16"]
    assert cidrs(change["requestedAllowedPrefixesToDirectConnectGateway"]) == ["10.21.0.0/16"]
    updated = accept(dx, gateway_id, change["proposalId"])
    assert updated["associationId"] == association_id
    assert updated["associationState"] == "updating"
    assert cidrs(updated["allowedPrefixesToDirectConnectGateway"]) == ["10.21.0.0/16"]
    advance(control, 60)
    assert associations(dx, associationId=association_id)[0]["associationState"] == "associated"

    rejected = propose(dx_partner, gateway_id, TGW, "10.22.0.0/16")  # 7. A rejects one
    deleted = dx.delete_direct_connect_gateway_association_proposal(
        proposalId=rejected["proposalId"]
    )["directConnectGatewayAssociationProposal"]
    assert deleted["proposalState"] == "deleted"

    dx.delete_direct_connect_gateway_association(associationId=association_id)  # 8. tear down
    advance(control, 60)
    assert associations(dx, directConnectGatewayId=gateway_id) == []


def test_override_prefixes_replace_the_requested_ones(dx: Any, dx_partner: Any) -> None:
    gateway_id = new_gateway(dx)
    proposal_id = propose(dx_partner, gateway_id, TGW, "10.20.0.0/16")["proposalId"]
    association = accept(
        dx,
        gateway_id,
        proposal_id,
        overrideAllowedPrefixesToDirectConnectGateway=prefixes("10.30.0.0/16", "10.31.0.0/16"),
    )
    assert cidrs(association["allowedPrefixesToDirectConnectGateway"]) == [
        "10.30.0.0/16",
        "10.31.0.0/16",
    ]


def test_override_prefixes_are_checked(dx: Any, dx_partner: Any) -> None:
    gateway_id = new_gateway(dx)
    proposal_id = propose(dx_partner, gateway_id, TGW, "10.20.0.0/16")["proposalId"]
    with pytest.raises(ClientError) as exc:
        accept(
            dx,
            gateway_id,
            proposal_id,
            overrideAllowedPrefixesToDirectConnectGateway=prefixes("2001:db8::/96"),
        )
    assert "an IPv6 CIDR must use /64 or shorter" in refusal(exc)


def test_virtual_gateway_proposal_defaults_to_the_vpc_cidr_and_may_be_same_account(
    dx: Any,
) -> None:
    gateway_id = new_gateway(dx)
    vgw = seeded_vgw_ids(CUSTOMER, REGION)[0]
    proposal = propose(dx, gateway_id, vgw)
    assert proposal["associatedGateway"]["type"] == "virtualPrivateGateway"
    requested = cidrs(proposal["requestedAllowedPrefixesToDirectConnectGateway"])
    assert requested == [vpc_cidrs(vgw, "ipv4")[0]]
    association = accept(dx, gateway_id, proposal["proposalId"], owner=CUSTOMER)
    assert association["virtualGatewayId"] == vgw


def test_a_change_waits_until_the_association_is_associated(
    dx: Any, dx_partner: Any, control: httpx.Client
) -> None:
    gateway_id = new_gateway(dx)
    proposal_id = propose(dx_partner, gateway_id, TGW, "10.20.0.0/16")["proposalId"]
    set_delay(control, 60)
    association_id = accept(dx, gateway_id, proposal_id)["associationId"]
    change = propose(dx_partner, gateway_id, TGW, "10.21.0.0/16")["proposalId"]
    with pytest.raises(ClientError) as exc:
        accept(dx, gateway_id, change)
    assert refusal(exc) == (
        f"Direct Connect Gateway Association {association_id} is in state associating; accept "
        f"the proposal once it is associated."
    )
    advance(control, 60)
    assert accept(dx, gateway_id, change)["associationState"] == "updating"


def test_the_proposer_may_delete_the_association_but_not_update_it(
    dx: Any, dx_partner: Any
) -> None:
    gateway_id = new_gateway(dx)
    proposal_id = propose(dx_partner, gateway_id, TGW, "10.20.0.0/16")["proposalId"]
    association_id = accept(dx, gateway_id, proposal_id)["associationId"]
    with pytest.raises(ClientError) as exc:
        dx_partner.update_direct_connect_gateway_association(
            associationId=association_id,
            addAllowedPrefixesToDirectConnectGateway=prefixes("10.21.0.0/16"),
        )
    assert refusal(exc) == f"Direct Connect Gateway Association {association_id} does not exist"
    deleted = dx_partner.delete_direct_connect_gateway_association(associationId=association_id)
    assert deleted["directConnectGatewayAssociation"]["associationState"] == "disassociating"


def test_third_accounts_cannot_describe_associations_of_a_gateway(
    dx: Any, dx_partner: Any, dx_for: Any
) -> None:
    gateway_id = new_gateway(dx)
    accept(dx, gateway_id, propose(dx_partner, gateway_id, TGW, "10.20.0.0/16")["proposalId"])
    with pytest.raises(ClientError) as exc:
        associations(dx_for(OTHER), directConnectGatewayId=gateway_id)
    assert refusal(exc) == f"Direct Connect Gateway {gateway_id} does not exist"
    assert associations(dx_for(OTHER), associatedGatewayId=TGW) == []


# -- who may do what, and where ------------------------------------------------------------------
@pytest.mark.aws_verified
def test_accepting_outside_the_gateways_region_is_not_found(
    dx: Any, dx_partner: Any, dx_for: Any
) -> None:
    gateway_id = new_gateway(dx)
    proposal_id = propose(dx_partner, gateway_id, TGW, "10.20.0.0/16")["proposalId"]
    with pytest.raises(ClientError) as exc:
        accept(dx_for(CUSTOMER, "us-west-2"), gateway_id, proposal_id)
    assert refusal(exc) == (
        f"The Virtual Gateway in the Direct Connect Gateway Association Proposal {proposal_id} "
        f"is not found"
    )


def test_associated_gateway_owner_account_must_be_the_proposer(dx: Any, dx_partner: Any) -> None:
    gateway_id = new_gateway(dx)
    proposal_id = propose(dx_partner, gateway_id, TGW, "10.20.0.0/16")["proposalId"]
    with pytest.raises(ClientError) as exc:
        accept(dx, gateway_id, proposal_id, owner=OTHER)
    assert refusal(exc).startswith(f"associatedGatewayOwnerAccount {OTHER} does not own")


def test_only_the_gateway_owner_accepts(dx: Any, dx_partner: Any) -> None:
    gateway_id = new_gateway(dx)
    proposal_id = propose(dx_partner, gateway_id, TGW, "10.20.0.0/16")["proposalId"]
    with pytest.raises(ClientError) as exc:
        accept(dx_partner, gateway_id, proposal_id)
    assert refusal(exc) == f"Direct Connect Gateway {gateway_id} does not exist"


def test_accepting_an_unknown_proposal_is_not_found(dx: Any) -> None:
    gateway_id = new_gateway(dx)
    with pytest.raises(ClientError) as exc:
        accept(dx, gateway_id, MISSING)
    assert refusal(exc) == f"Direct Connect Gateway Association Proposal {MISSING} is not found"


@pytest.mark.parametrize(
    ("owner", "message"),
    [
        (PARTNER, "of account 210987654321 does not exist"),
        ("12345", "directConnectGatewayOwnerAccount '12345' is not valid"),
    ],
    ids=["wrong-owner", "not-an-account"],
)
def test_gateway_must_exist_for_the_named_owner(
    dx: Any, dx_partner: Any, owner: str, message: str
) -> None:
    gateway_id = new_gateway(dx)
    with pytest.raises(ClientError) as exc:
        propose(dx_partner, gateway_id, TGW, "10.20.0.0/16", owner=owner)
    assert message in refusal(exc)


def test_proposer_proposes_its_own_gateway_in_its_region(
    dx: Any, dx_partner: Any, dx_for: Any
) -> None:
    gateway_id = new_gateway(dx)
    for client, target in (
        (dx_for(PARTNER, "us-west-2"), TGW),
        (dx_partner, seeded_tgws(CUSTOMER, REGION)[0][0]),
    ):
        with pytest.raises(ClientError) as exc:
            propose(client, gateway_id, target, "10.20.0.0/16")
        assert refusal(exc) == f"The TransitGateway {target} does not exist."


@pytest.mark.parametrize(
    ("add", "remove", "message"),
    [
        ((), (), "addAllowedPrefixesToDirectConnectGateway is required when you propose"),
        (("10.0.0.0/16",), ("10.1.0.0/16",), "applies to an existing association"),
        (("10.0.0.0/16", "10.0.0.0/16"), (), "lists 10.0.0.0/16 more than once"),
    ],
    ids=["tgw-without-prefixes", "remove-on-new", "duplicate"],
)
def test_proposal_prefixes_are_checked(
    dx: Any, dx_partner: Any, add: tuple[str, ...], remove: tuple[str, ...], message: str
) -> None:
    with pytest.raises(ClientError) as exc:
        propose(dx_partner, new_gateway(dx), TGW, *add, remove=remove)
    assert message in refusal(exc)


def test_proposal_follows_the_association_rules(dx: Any, dx_partner: Any) -> None:
    tgw, asn = PARTNER_TGWS[0]
    same_asn = new_gateway(dx, "same", amazonSideAsn=asn)
    with pytest.raises(ClientError) as exc:
        propose(dx_partner, same_asn, tgw, "10.0.0.0/16")
    assert "the ASNs of a transit gateway and a Direct Connect gateway" in refusal(exc)


def test_acceptance_checks_the_rules_again(dx: Any, dx_partner: Any) -> None:
    gateway_id = new_gateway(dx)
    proposal_id = propose(dx_partner, gateway_id, TGW, "10.20.0.0/16")["proposalId"]
    dx.create_direct_connect_gateway_association(
        directConnectGatewayId=gateway_id, gatewayId=seeded_vgw_ids(CUSTOMER, REGION)[0]
    )
    with pytest.raises(ClientError) as exc:
        accept(dx, gateway_id, proposal_id)
    assert refusal(exc).startswith("You cannot associate a transit gateway")
    assert proposals(dx, proposalId=proposal_id)[0]["proposalState"] == "requested"


def test_one_waiting_proposal_per_gateway_pair(dx: Any, dx_partner: Any) -> None:
    gateway_id = new_gateway(dx)
    first = propose(dx_partner, gateway_id, TGW, "10.20.0.0/16")["proposalId"]
    with pytest.raises(ClientError) as exc:
        propose(dx_partner, gateway_id, TGW, "10.21.0.0/16")
    assert refusal(exc).startswith(f"Direct Connect Gateway Association Proposal {first} for")
    dx_partner.delete_direct_connect_gateway_association_proposal(proposalId=first)
    assert propose(dx_partner, gateway_id, TGW, "10.21.0.0/16")["proposalState"] == "requested"


# -- delete (withdraw or reject) and retention --------------------------------------------------
@pytest.mark.parametrize("by", ["proposer", "gateway-owner"])
def test_either_account_deletes_a_waiting_proposal(dx: Any, dx_partner: Any, by: str) -> None:
    gateway_id = new_gateway(dx)
    proposal_id = propose(dx_partner, gateway_id, TGW, "10.20.0.0/16")["proposalId"]
    client = dx_partner if by == "proposer" else dx
    deleted = client.delete_direct_connect_gateway_association_proposal(proposalId=proposal_id)
    assert deleted["directConnectGatewayAssociationProposal"]["proposalState"] == "deleted"
    again = client.delete_direct_connect_gateway_association_proposal(proposalId=proposal_id)
    assert again["directConnectGatewayAssociationProposal"]["proposalState"] == "deleted"
    with pytest.raises(ClientError) as exc:
        accept(dx, gateway_id, proposal_id)
    assert refusal(exc) == (
        f"Direct Connect Gateway Association Proposal {proposal_id} has been deleted."
    )


def test_accepted_proposal_cannot_be_deleted(dx: Any, dx_partner: Any) -> None:
    gateway_id = new_gateway(dx)
    proposal_id = propose(dx_partner, gateway_id, TGW, "10.20.0.0/16")["proposalId"]
    accept(dx, gateway_id, proposal_id)
    for client in (dx, dx_partner):
        with pytest.raises(ClientError) as exc:
            client.delete_direct_connect_gateway_association_proposal(proposalId=proposal_id)
        assert refusal(exc).startswith(
            f"Direct Connect Gateway Association Proposal {proposal_id} has been accepted and "
            f"can no longer be deleted"
        )


def test_third_accounts_neither_see_nor_delete_proposals(
    dx: Any, dx_partner: Any, dx_for: Any
) -> None:
    gateway_id = new_gateway(dx)
    proposal_id = propose(dx_partner, gateway_id, TGW, "10.20.0.0/16")["proposalId"]
    other = dx_for(OTHER)
    assert proposals(other) == []
    assert proposals(other, proposalId=proposal_id) == []
    for proposal in (proposal_id, MISSING):
        with pytest.raises(ClientError) as exc:
            other.delete_direct_connect_gateway_association_proposal(proposalId=proposal)
        assert refusal(exc) == (
            f"Direct Connect Gateway Association Proposal {proposal} is not found"
        )


def test_deleting_the_gateway_deletes_its_waiting_proposals(dx: Any, dx_partner: Any) -> None:
    gateway_id = new_gateway(dx)
    proposal_id = propose(dx_partner, gateway_id, TGW, "10.20.0.0/16")["proposalId"]
    dx.describe_direct_connect_gateways()
    dx.delete_direct_connect_gateway(directConnectGatewayId=gateway_id)
    assert proposals(dx_partner, proposalId=proposal_id)[0]["proposalState"] == "deleted"


def test_deleted_proposals_stay_listed_for_a_while(
    dx: Any, dx_partner: Any, control: httpx.Client
) -> None:
    gateway_id = new_gateway(dx)
    proposal_id = propose(dx_partner, gateway_id, TGW, "10.20.0.0/16")["proposalId"]
    dx.delete_direct_connect_gateway_association_proposal(proposalId=proposal_id)
    advance(control, DELETED_RETENTION - 10)
    assert proposals(dx, proposalId=proposal_id)[0]["proposalState"] == "deleted"
    advance(control, 10)
    assert proposals(dx, proposalId=proposal_id) == []


def test_accepted_proposals_are_purged_after_the_retention(
    dx: Any, dx_partner: Any, control: httpx.Client
) -> None:
    gateway_id = new_gateway(dx)
    proposal_id = propose(dx_partner, gateway_id, TGW, "10.20.0.0/16")["proposalId"]
    accept(dx, gateway_id, proposal_id)
    advance(control, ACCEPTED_RETENTION - 60)
    assert proposals(dx_partner, proposalId=proposal_id)[0]["proposalState"] == "accepted"
    advance(control, 60)
    assert proposals(dx_partner, proposalId=proposal_id) == []
    assert associations(dx, directConnectGatewayId=gateway_id)[0]["associationState"] == (
        "associated"
    )


# -- describe: filters and paging ---------------------------------------------------------------
def test_describe_filters_by_gateway_proposal_and_associated_gateway(
    dx: Any, dx_partner: Any
) -> None:
    first, second = new_gateway(dx, "first"), new_gateway(dx, "second")
    other_tgw = PARTNER_TGWS[1][0]
    one = propose(dx_partner, first, TGW, "10.0.0.0/16")["proposalId"]
    two = propose(dx_partner, second, TGW, "10.0.0.0/16")["proposalId"]
    three = propose(dx_partner, first, other_tgw, "10.0.0.0/16")["proposalId"]

    def ids(client: Any = dx, **filters: Any) -> list[str]:
        return [p["proposalId"] for p in proposals(client, **filters)]

    assert ids() == [one, two, three]
    assert ids(dx_partner) == [one, two, three]
    assert ids(directConnectGatewayId=first) == [one, three]
    assert ids(associatedGatewayId=TGW) == [one, two]
    assert ids(proposalId=two) == [two]
    assert ids(directConnectGatewayId=second, associatedGatewayId=other_tgw) == []
    assert ids(maxResults=1000) == [one, two, three]
    first_page = dx.describe_direct_connect_gateway_association_proposals(maxResults=2)
    assert [p["proposalId"] for p in first_page["directConnectGatewayAssociationProposals"]] == [
        one,
        two,
    ]
    assert ids(maxResults=2, nextToken=first_page["nextToken"]) == [three]


def test_describe_pages_hold_at_most_100_proposals() -> None:
    backend = DirectConnectBackend()
    owner, proposer = Caller(CUSTOMER, REGION), Caller(PARTNER, REGION)
    for n in range(101):
        gateway_id = backend.create_direct_connect_gateway(
            owner, direct_connect_gateway_name=f"g{n}"
        )["directConnectGateway"]["directConnectGatewayId"]
        backend.create_direct_connect_gateway_association_proposal(
            proposer,
            direct_connect_gateway_id=gateway_id,
            direct_connect_gateway_owner_account=CUSTOMER,
            gateway_id=TGW,
            add_allowed_prefixes_to_direct_connect_gateway=prefixes("10.0.0.0/16"),
        )
    page = backend.describe_direct_connect_gateway_association_proposals(owner, max_results=500)
    assert len(page["directConnectGatewayAssociationProposals"]) == 100
    rest = backend.describe_direct_connect_gateway_association_proposals(
        owner, next_token=page["nextToken"]
    )
    assert len(rest["directConnectGatewayAssociationProposals"]) == 1
    assert "nextToken" not in rest


def test_proposals_and_transit_associations_survive_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    owner, proposer = Caller(CUSTOMER, REGION), Caller(PARTNER, REGION)
    backend = DirectConnectBackend(store=SqliteStore(path))
    gateway_id = backend.call(
        owner, "create_direct_connect_gateway", {"direct_connect_gateway_name": "g"}
    )["directConnectGateway"]["directConnectGatewayId"]
    for tgw, _asn in PARTNER_TGWS:
        backend.call(
            proposer,
            "create_direct_connect_gateway_association_proposal",
            {
                "direct_connect_gateway_id": gateway_id,
                "direct_connect_gateway_owner_account": CUSTOMER,
                "gateway_id": tgw,
                "add_allowed_prefixes_to_direct_connect_gateway": prefixes("10.0.0.0/16"),
            },
        )
    first = backend.describe_direct_connect_gateway_association_proposals(owner)[
        "directConnectGatewayAssociationProposals"
    ][0]["proposalId"]
    backend.call(
        owner,
        "accept_direct_connect_gateway_association_proposal",
        {
            "direct_connect_gateway_id": gateway_id,
            "proposal_id": first,
            "associated_gateway_owner_account": PARTNER,
        },
    )

    def snapshot(b: DirectConnectBackend) -> tuple[Any, Any]:
        return (
            b.describe_direct_connect_gateway_association_proposals(owner),
            b.describe_direct_connect_gateway_associations(
                owner, direct_connect_gateway_id=gateway_id
            ),
        )

    before = snapshot(backend)
    backend.store.close()
    again = DirectConnectBackend(store=SqliteStore(path))
    try:
        assert snapshot(again) == before
        assert before[1]["directConnectGatewayAssociations"][0]["associationState"] == "associated"
    finally:
        again.store.close()

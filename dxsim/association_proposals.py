"""Cross-account association proposals (dx-current-api.md §4.3).

Account B owns a VGW or Transit Gateway, account A a DX gateway. B, in its gateway's Region,
proposes (CreateDirectConnectGatewayAssociationProposal, `requested`); A sees the proposal
(Describe…Proposals, which B can call too) and accepts it (Accept…Proposal, from the Region of
B's gateway), which creates the association `associating → associated` with
`associatedGateway.ownerAccount` = B and turns the proposal `accepted`. A proposal for a gateway
that is already associated with the DX gateway changes that association's prefixes instead:
`existingAllowedPrefixes` are its current ones, `requestedAllowedPrefixes` the current ones plus
the added minus the removed. Either account may delete (reject) a proposal while it is
`requested`; once accepted it cannot be deleted. Proposal IDs are UUIDs.

Deleted proposals stay listed `DELETED_RETENTION` (backend RETENTION); accepted ones are purged
`ACCEPTED_RETENTION` after acceptance (AWS purges them "after some time", about three weeks in
Terraform issue #36632).
"""

from __future__ import annotations

from typing import Any

from dxsim.accounts import Caller
from dxsim.allowed_prefixes import applied, cidrs_of
from dxsim.exceptions import DirectConnectClientException, InvalidState, NotFound
from dxsim.gateway_associations import ADD, REMOVE, GatewayAssociationOperations
from dxsim.gateway_records import AssociationProposal, TransitGateway
from dxsim.paging import page_answer
from dxsim.routes import vpc_cidrs
from dxsim.validation import check_account

ACCEPTED_RETENTION = 21 * 24 * 3600.0
DELETED_RETENTION = 900.0
# Not a ProposalState value: the transition that purges an accepted proposal (never listed).
EXPIRED = "expired"


class AssociationProposalOperations(GatewayAssociationOperations):
    """Create, accept, delete and describe association proposals; composed into the backend."""

    def create_direct_connect_gateway_association_proposal(
        self,
        caller: Caller,
        *,
        direct_connect_gateway_id: str,
        direct_connect_gateway_owner_account: str,
        gateway_id: str,
        add_allowed_prefixes_to_direct_connect_gateway: list[dict[str, Any]] | None = None,
        remove_allowed_prefixes_to_direct_connect_gateway: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """CreateDirectConnectGatewayAssociationProposal, by the VGW/TGW owner in its Region.

        The DX gateway must exist for `directConnectGatewayOwnerAccount` (any account, the
        caller's own included). For a new association the rules of a direct one apply now
        (prefixes required for a TGW, VGW default = VPC CIDR, `check_joinable`) and again at
        acceptance; `remove…` is only for an existing one. One `requested` proposal per DX
        gateway and VGW/TGW at a time.
        """
        check_account(direct_connect_gateway_owner_account, "directConnectGatewayOwnerAccount")
        gateway = self.gateways.get(direct_connect_gateway_id)
        if (
            gateway is None
            or gateway.owner_account != direct_connect_gateway_owner_account
            or gateway.direct_connect_gateway_state in ("deleting", "deleted")
        ):
            raise NotFound(
                f"Direct Connect Gateway {direct_connect_gateway_id} of account "
                f"{direct_connect_gateway_owner_account} does not exist"
            )
        target = self.find_associated_gateway(caller.account, caller.region, gateway_id)
        add = cidrs_of(add_allowed_prefixes_to_direct_connect_gateway, ADD)
        remove = cidrs_of(remove_allowed_prefixes_to_direct_connect_gateway, REMOVE)
        existing = self.live_association(gateway.id, target.id)
        if existing is not None:
            current = list(existing.allowed_prefixes)
            requested = applied(current, add, remove)
        else:
            if remove:
                raise DirectConnectClientException(
                    f"{REMOVE} applies to an existing association, and {target.id} is not "
                    f"associated with Direct Connect Gateway {gateway.id}."
                )
            current = []
            requested = add
            if not requested:
                if isinstance(target, TransitGateway):
                    raise DirectConnectClientException(
                        f"{ADD} is required when you propose an association to a transit "
                        f"gateway: list the prefixes to advertise to on-premises."
                    )
                requested = [vpc_cidrs(target.id, "ipv4")[0]]
            self.check_joinable(gateway, target)
        for other in self.association_proposals.values():
            if (
                other.proposal_state == "requested"
                and other.direct_connect_gateway_id == gateway.id
                and other.associated_gateway_id == target.id
            ):
                raise DirectConnectClientException(
                    f"Direct Connect Gateway Association Proposal {other.id} for {target.id} and "
                    f"Direct Connect Gateway {gateway.id} is still waiting for acceptance; "
                    f"delete it before proposing again."
                )
        proposal_id = self.ids.uuid()
        while proposal_id in self.association_proposals:
            proposal_id = self.ids.uuid()
        proposal = self.add(
            AssociationProposal(
                id=proposal_id,
                direct_connect_gateway_id=gateway.id,
                direct_connect_gateway_owner_account=gateway.owner_account,
                associated_gateway_id=target.id,
                associated_gateway_owner_account=caller.account,
                associated_gateway_region=caller.region,
                existing_prefixes=current,
                requested_prefixes=requested,
                created_at=self.now(),
            )
        )
        return {"directConnectGatewayAssociationProposal": proposal.to_wire(self)}

    def get_proposal(self, caller: Caller, proposal_id: str) -> AssociationProposal:
        """A proposal the caller made or that names one of the caller's DX gateways."""
        proposal = self.association_proposals.get(proposal_id)
        if proposal is not None and caller.account in (
            proposal.direct_connect_gateway_owner_account,
            proposal.associated_gateway_owner_account,
        ):
            return proposal
        raise NotFound(f"Direct Connect Gateway Association Proposal {proposal_id} is not found")

    def describe_direct_connect_gateway_association_proposals(
        self,
        caller: Caller,
        *,
        direct_connect_gateway_id: str | None = None,
        proposal_id: str | None = None,
        associated_gateway_id: str | None = None,
        max_results: int | None = None,
        next_token: str | None = None,
    ) -> dict[str, Any]:
        """DescribeDirectConnectGatewayAssociationProposals: the proposals the caller made and
        those for the caller's DX gateways, from any Region, filtered by the given ids; pages of
        up to 100 (`maxResults` above 100 is clamped)."""
        matches = [
            p
            for p in self.association_proposals.values()
            if caller.account
            in (p.direct_connect_gateway_owner_account, p.associated_gateway_owner_account)
            and direct_connect_gateway_id in (None, p.direct_connect_gateway_id)
            and proposal_id in (None, p.id)
            and associated_gateway_id in (None, p.associated_gateway_id)
        ]
        return page_answer(
            "directConnectGatewayAssociationProposals",
            matches,
            lambda p: p.to_wire(self),
            scope=(
                f"proposals/{caller.account}/{direct_connect_gateway_id}/{proposal_id}/"
                f"{associated_gateway_id}"
            ),
            max_results=max_results,
            next_token=next_token,
        )

    def accept_direct_connect_gateway_association_proposal(
        self,
        caller: Caller,
        *,
        direct_connect_gateway_id: str,
        proposal_id: str,
        associated_gateway_owner_account: str,
        override_allowed_prefixes_to_direct_connect_gateway: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """AcceptDirectConnectGatewayAssociationProposal, by the DX gateway's owner, called in
        the Region of the proposed VGW/TGW (elsewhere AWS answers that the gateway "is not
        found").

        `associatedGatewayOwnerAccount` must be the proposer. Override prefixes (if any) replace
        the requested ones. A new association walks `associating → associated`; an existing one
        takes the prefixes and walks `updating → associated`. The proposal turns `accepted`.
        """
        gateway = self.get_gateway(caller, direct_connect_gateway_id)
        check_account(associated_gateway_owner_account, "associatedGatewayOwnerAccount")
        proposal = self.association_proposals.get(proposal_id)
        if proposal is None or proposal.direct_connect_gateway_id != gateway.id:
            raise NotFound(
                f"Direct Connect Gateway Association Proposal {proposal_id} is not found"
            )
        if proposal.proposal_state == "accepted":
            raise InvalidState("Direct Connect Gateway Association Proposal  has been accepted!")
        if proposal.proposal_state != "requested":
            raise InvalidState(
                f"Direct Connect Gateway Association Proposal {proposal.id} has been deleted."
            )
        if associated_gateway_owner_account != proposal.associated_gateway_owner_account:
            raise DirectConnectClientException(
                f"associatedGatewayOwnerAccount {associated_gateway_owner_account} does not own "
                f"the gateway of Direct Connect Gateway Association Proposal {proposal.id}."
            )
        if caller.region != proposal.associated_gateway_region:
            raise NotFound(
                f"The Virtual Gateway in the Direct Connect Gateway Association Proposal "
                f"{proposal.id} is not found"
            )
        target = self.find_associated_gateway(
            proposal.associated_gateway_owner_account,
            proposal.associated_gateway_region,
            proposal.associated_gateway_id,
        )
        override = cidrs_of(
            override_allowed_prefixes_to_direct_connect_gateway,
            "overrideAllowedPrefixesToDirectConnectGateway",
        )
        prefixes = override or list(proposal.requested_prefixes)
        association = self.live_association(gateway.id, target.id)
        if association is None:
            self.check_joinable(gateway, target)
            association = self.new_association(gateway, target, prefixes)
        else:
            if association.association_state != "associated":
                raise InvalidState(
                    f"Direct Connect Gateway Association {association.id} is in state "
                    f"{association.association_state}; accept the proposal once it is associated."
                )
            association.allowed_prefixes = prefixes
            association.association_state = "updating"
            self.schedule(association, "associated")
        proposal.proposal_state = "accepted"
        self.schedule(proposal, EXPIRED, delay=ACCEPTED_RETENTION)
        return {"directConnectGatewayAssociation": association.to_wire(self)}

    def delete_direct_connect_gateway_association_proposal(
        self, caller: Caller, *, proposal_id: str
    ) -> dict[str, Any]:
        """DeleteDirectConnectGatewayAssociationProposal: `requested → deleted`, by either
        account (the proposer withdraws, the DX gateway owner rejects). Refused once accepted;
        a deleted proposal is returned unchanged."""
        proposal = self.get_proposal(caller, proposal_id)
        if proposal.proposal_state == "accepted":
            raise InvalidState(
                f"Direct Connect Gateway Association Proposal {proposal.id} has been accepted "
                f"and can no longer be deleted; delete the association instead."
            )
        proposal.proposal_state = "deleted"
        return {"directConnectGatewayAssociationProposal": proposal.to_wire(self)}

    def entered_gateway_association_proposal(
        self, proposal: AssociationProposal, state: str
    ) -> None:
        """An accepted proposal's retention ended: AWS no longer lists it."""
        if state == EXPIRED:
            self.remove(proposal)

"""Associations between Direct Connect gateways and virtual private or transit gateways.

The caller associates one of its own VGWs or Transit Gateways in the Region it signs for (both
are regional EC2 objects; the association records the Region). Another account's gateway joins
only through a proposal (`dxsim.association_proposals`): a single cross-account call does not
work on AWS either.

States: `associating → associated`; UpdateDirectConnectGatewayAssociation `associated →
updating → associated`; delete `disassociating → disassociated`, after which the association is
purged. An association whose VGW or TGW is not `available` when it would become `associated`
fails instead: it ends `disassociated` with `stateChangeError` set and stays listed for
`FAILED_ASSOCIATION_RETENTION` so the error can be read. Tests and users provoke that with the
control API (`PUT /_dxsim/ec2-gateways/{vgw-…|tgw-…}` `{"state": "deleting"}`, `dxsim.ec2`).

Rules on joining (`check_joinable`): a VGW is in at most one live association (G3); a gateway
carries VGWs/private VIFs or TGWs/transit VIFs, never both; at most `MAX_TGWS` TGWs and
`MAX_VGWS` VGWs per DX gateway (dx-current-api.md §4.4, neither increasable); a TGW's ASN differs
from the DX gateway's and from that of every other TGW on it (User Guide).
"""

from __future__ import annotations

from typing import Any

from dxsim.accounts import Caller
from dxsim.allowed_prefixes import applied, cidrs_of
from dxsim.base import BackendBase
from dxsim.exceptions import DirectConnectClientException, InvalidState, NotFound
from dxsim.gateway_records import (
    DirectConnectGateway,
    GatewayAssociation,
    TransitGateway,
    VirtualGateway,
)
from dxsim.paging import page_answer
from dxsim.routes import vpc_cidrs

DONE = "disassociated"
MAX_TGWS = 6
MAX_VGWS = 20
# How long a failed association (stateChangeError set) stays listed, simulated seconds.
FAILED_ASSOCIATION_RETENTION = 3600.0
ADD = "addAllowedPrefixesToDirectConnectGateway"
REMOVE = "removeAllowedPrefixesToDirectConnectGateway"

AssociatedGateway = VirtualGateway | TransitGateway


def describe_gateway(target: AssociatedGateway) -> str:
    """`The TransitGateway tgw-…` / `The VirtualGateway vgw-…`, as AWS names them in errors."""
    kind = "TransitGateway" if isinstance(target, TransitGateway) else "VirtualGateway"
    return f"The {kind} {target.id}"


class GatewayAssociationOperations(BackendBase):
    """Create, update, delete and describe gateway associations; composed into the backend."""

    # -- shared with the proposal operations ----------------------------------------------------
    def find_associated_gateway(
        self, account: str, region: str, gateway_id: str
    ) -> AssociatedGateway:
        """The VGW or TGW `gateway_id` of `account` in `region` (seeded on first use)."""
        if gateway_id.startswith("tgw-"):
            self.ensure_transit_gateways(account, region)
            tgw = self.transit_gateways.get(gateway_id)
            if tgw is None or tgw.owner_account != account or tgw.region != region:
                raise NotFound(f"The TransitGateway {gateway_id} does not exist.")
            return tgw
        if gateway_id.startswith("vgw-"):
            self.ensure_virtual_gateways(account, region)
            vgw = self.virtual_gateways.get(gateway_id)
            if vgw is None or vgw.owner_account != account or vgw.region != region:
                raise NotFound(f"The VirtualGateway {gateway_id} does not exist.")
            return vgw
        raise NotFound(
            f"The gateway {gateway_id} does not exist: give the ID of a virtual private gateway "
            f"(vgw-…) or a transit gateway (tgw-…)."
        )

    def live_association(self, gateway_id: str, target_id: str) -> GatewayAssociation | None:
        """The association of this DX gateway and VGW/TGW that is not `disassociated`."""
        return next(
            (
                a
                for a in self.gateway_associations.values()
                if a.direct_connect_gateway_id == gateway_id
                and a.virtual_gateway_id == target_id
                and a.association_state != DONE
            ),
            None,
        )

    def check_joinable(self, gateway: DirectConnectGateway, target: AssociatedGateway) -> None:
        """Refuses an association of `gateway` and `target` that AWS refuses (module doc)."""
        if gateway.direct_connect_gateway_state not in ("pending", "available"):
            raise InvalidState(
                f"Direct Connect Gateway {gateway.id} is in state "
                f"{gateway.direct_connect_gateway_state} and cannot be associated."
            )
        transit = isinstance(target, TransitGateway)
        if target.state != "available":
            kind = "transit gateway" if transit else "virtual private gateway"
            raise InvalidState(
                f"{describe_gateway(target)} is in state {target.state}; only an available "
                f"{kind} can be associated."
            )
        live = [a for a in self.gateway_associations.values() if a.association_state != DONE]
        for existing in live:
            same_gateway = existing.direct_connect_gateway_id == gateway.id
            if existing.virtual_gateway_id == target.id and (same_gateway or not transit):
                raise DirectConnectClientException(
                    f"{describe_gateway(target)} is already associated with Direct Connect "
                    f"Gateway {existing.direct_connect_gateway_id} (state "
                    f"{existing.association_state}); a virtual private gateway can be "
                    f"associated with only one Direct Connect gateway, a transit gateway once "
                    f"with each."
                )
        carried = self.gateway_carries(gateway.id)
        if carried == ("private" if transit else "transit"):
            raise DirectConnectClientException(
                f"You cannot associate a {'transit' if transit else 'virtual private'} gateway "
                f"with Direct Connect Gateway {gateway.id}: it is already associated with a "
                f"{'virtual private' if transit else 'transit'} gateway or attached to a "
                f"{carried} virtual interface. A Direct Connect gateway carries one or the other."
            )
        mine = [
            a for a in live if a.direct_connect_gateway_id == gateway.id and a.is_transit == transit
        ]
        limit = MAX_TGWS if transit else MAX_VGWS
        if len(mine) >= limit:
            raise DirectConnectClientException(
                f"Direct Connect Gateway {gateway.id} already has {len(mine)} "
                f"{'transit' if transit else 'virtual private'} gateway associations; the "
                f"maximum is {limit} and cannot be increased."
            )
        if isinstance(target, TransitGateway):
            self._check_transit_asn(gateway, target, mine)

    def _check_transit_asn(
        self, gateway: DirectConnectGateway, tgw: TransitGateway, others: list[GatewayAssociation]
    ) -> None:
        if tgw.amazon_side_asn == gateway.amazon_side_asn:
            raise DirectConnectClientException(
                f"The TransitGateway {tgw.id} uses ASN {tgw.amazon_side_asn}, the same as Direct "
                f"Connect Gateway {gateway.id}; the ASNs of a transit gateway and a Direct "
                f"Connect gateway it associates with must be different."
            )
        for other in others:
            peer = self.transit_gateways.get(other.virtual_gateway_id)
            if peer is not None and peer.amazon_side_asn == tgw.amazon_side_asn:
                raise DirectConnectClientException(
                    f"The TransitGateway {tgw.id} uses ASN {tgw.amazon_side_asn}, as does "
                    f"TransitGateway {peer.id} already associated with Direct Connect Gateway "
                    f"{gateway.id}; transit gateways on one Direct Connect gateway need unique "
                    f"ASNs."
                )

    def new_association(
        self,
        gateway: DirectConnectGateway,
        target: AssociatedGateway,
        prefixes: list[str],
    ) -> GatewayAssociation:
        """Adds an `associating` association (already checked) and plans `associated`."""
        association_id = self.ids.uuid()
        while association_id in self.gateway_associations:
            association_id = self.ids.uuid()
        association = self.add(
            GatewayAssociation(
                id=association_id,
                direct_connect_gateway_id=gateway.id,
                direct_connect_gateway_owner_account=gateway.owner_account,
                virtual_gateway_id=target.id,
                virtual_gateway_region=target.region,
                virtual_gateway_owner_account=target.owner_account,
                allowed_prefixes=prefixes,
                created_at=self.now(),
            )
        )
        self.schedule(association, "associated")
        return association

    def get_association(
        self, caller: Caller, association_id: str, *, owner_only: bool = False
    ) -> GatewayAssociation:
        """A live association on one of the caller's DX gateways or, unless `owner_only`, of
        one of the caller's VGWs/TGWs."""
        association = self.gateway_associations.get(association_id)
        if association is None or association.association_state == DONE:
            raise NotFound(f"Direct Connect Gateway Association {association_id} does not exist")
        if self.gateway_owner(association) == caller.account or (
            not owner_only and association.virtual_gateway_owner_account == caller.account
        ):
            return association
        raise NotFound(f"Direct Connect Gateway Association {association_id} does not exist")

    def gateway_owner(self, association: GatewayAssociation) -> str | None:
        gateway = self.gateways.get(association.direct_connect_gateway_id)
        return gateway.owner_account if gateway is not None else None

    # -- operations -------------------------------------------------------------------------------
    def create_direct_connect_gateway_association(
        self,
        caller: Caller,
        *,
        direct_connect_gateway_id: str,
        gateway_id: str | None = None,
        add_allowed_prefixes_to_direct_connect_gateway: list[dict[str, Any]] | None = None,
        virtual_gateway_id: str | None = None,
    ) -> dict[str, Any]:
        """CreateDirectConnectGatewayAssociation: `associating`, then `associated`.

        `gatewayId` names a VGW or TGW of the caller in the caller's Region; the legacy
        `virtualGatewayId` still works. Given both, they must name the same gateway (AWS does not
        say which wins, so an ambiguous request is refused rather than guessed). The allowed
        prefixes are required for a TGW; a VGW defaults to its VPC's IPv4 CIDR (`vpc_cidrs`, the
        one route listing shows).
        """
        if gateway_id and virtual_gateway_id and gateway_id != virtual_gateway_id:
            raise DirectConnectClientException(
                f"gatewayId {gateway_id} and virtualGatewayId {virtual_gateway_id} differ; "
                f"give the gateway to associate once, preferably as gatewayId."
            )
        target_id = gateway_id or virtual_gateway_id
        if not target_id:
            raise DirectConnectClientException(
                "gatewayId is required: the ID of the virtual private gateway or transit gateway "
                "to associate (the legacy virtualGatewayId is also accepted)."
            )
        gateway = self.get_gateway(caller, direct_connect_gateway_id)
        target = self.find_associated_gateway(caller.account, caller.region, target_id)
        prefixes = cidrs_of(add_allowed_prefixes_to_direct_connect_gateway, ADD)
        if not prefixes:
            if isinstance(target, TransitGateway):
                raise DirectConnectClientException(
                    f"{ADD} is required when you create an association to a transit gateway: "
                    f"list the prefixes to advertise to on-premises."
                )
            prefixes = [vpc_cidrs(target.id, "ipv4")[0]]
        self.check_joinable(gateway, target)
        association = self.new_association(gateway, target, prefixes)
        return {"directConnectGatewayAssociation": association.to_wire(self)}

    def update_direct_connect_gateway_association(
        self,
        caller: Caller,
        *,
        association_id: str,
        add_allowed_prefixes_to_direct_connect_gateway: list[dict[str, Any]] | None = None,
        remove_allowed_prefixes_to_direct_connect_gateway: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """UpdateDirectConnectGatewayAssociation: changes the allowed prefixes.

        Only the DX gateway's owner may (the other account of a cross-account association sends
        a new proposal instead), and only while the association is `associated`. The response
        shows the new prefixes and state `updating`, which turns `associated` on the simulated
        clock.
        """
        association = self.get_association(caller, association_id, owner_only=True)
        if association.association_state != "associated":
            raise InvalidState(
                f"Direct Connect Gateway Association {association.id} is in state "
                f"{association.association_state}; only an associated association can be updated."
            )
        add = cidrs_of(add_allowed_prefixes_to_direct_connect_gateway, ADD)
        remove = cidrs_of(remove_allowed_prefixes_to_direct_connect_gateway, REMOVE)
        if not add and not remove:
            raise DirectConnectClientException(f"Nothing to update: give {ADD} and/or {REMOVE}.")
        association.allowed_prefixes = applied(association.allowed_prefixes, add, remove)
        association.association_state = "updating"
        self.schedule(association, "associated")
        return {"directConnectGatewayAssociation": association.to_wire(self)}

    def delete_direct_connect_gateway_association(
        self,
        caller: Caller,
        *,
        association_id: str | None = None,
        direct_connect_gateway_id: str | None = None,
        virtual_gateway_id: str | None = None,
    ) -> dict[str, Any]:
        """DeleteDirectConnectGatewayAssociation: `disassociating`, then `disassociated`.

        By `associationId` (either account of the association may delete it), or the legacy
        pair `directConnectGatewayId` + `virtualGatewayId` (the DX gateway's owner). Works from
        any Region, as the gateway is global. Deleting an association that is already
        `disassociating` returns it unchanged.
        """
        if association_id is not None:
            association = self.get_association(caller, association_id)
        elif direct_connect_gateway_id is not None and virtual_gateway_id is not None:
            gateway = self.get_gateway(caller, direct_connect_gateway_id)
            found = self.live_association(gateway.id, virtual_gateway_id)
            if found is None:
                raise NotFound(
                    f"Direct Connect Gateway Association between {gateway.id} and "
                    f"{virtual_gateway_id} does not exist"
                )
            association = found
        else:
            raise DirectConnectClientException(
                "Specify the association to delete: associationId, or both "
                "directConnectGatewayId and virtualGatewayId."
            )
        if association.association_state != "disassociating":
            association.association_state = "disassociating"
            self.schedule(association, "disassociated")
        return {"directConnectGatewayAssociation": association.to_wire(self)}

    def describe_direct_connect_gateway_associations(
        self,
        caller: Caller,
        *,
        association_id: str | None = None,
        associated_gateway_id: str | None = None,
        direct_connect_gateway_id: str | None = None,
        max_results: int | None = None,
        next_token: str | None = None,
        virtual_gateway_id: str | None = None,
    ) -> dict[str, Any]:
        """DescribeDirectConnectGatewayAssociations by association, DX gateway, associated
        gateway (`associatedGatewayId`, or `virtualGatewayId`, which names a VGW or TGW), or a
        combination: all given filters apply.

        Listed are associations on the caller's DX gateways and those of the caller's own
        VGWs/TGWs (the proposer's side of a cross-account association). A DX gateway id must
        name a gateway the caller can see associations of; other ids only filter.
        """
        filters = (association_id, associated_gateway_id, direct_connect_gateway_id)
        if all(f is None for f in (*filters, virtual_gateway_id)):
            raise DirectConnectClientException(
                "You must specify a Direct Connect gateway (directConnectGatewayId), an "
                "associated gateway (associatedGatewayId or virtualGatewayId), or an "
                "association (associationId)."
            )
        visible = [
            a
            for a in self.gateway_associations.values()
            if caller.account in (self.gateway_owner(a), a.virtual_gateway_owner_account)
        ]
        if direct_connect_gateway_id is not None:
            gateway = self.gateways.get(direct_connect_gateway_id)
            if (gateway is None or gateway.owner_account != caller.account) and not any(
                a.direct_connect_gateway_id == direct_connect_gateway_id for a in visible
            ):
                raise NotFound(f"Direct Connect Gateway {direct_connect_gateway_id} does not exist")
        matches = [
            a
            for a in visible
            if association_id in (None, a.id)
            and direct_connect_gateway_id in (None, a.direct_connect_gateway_id)
            and virtual_gateway_id in (None, a.virtual_gateway_id)
            and associated_gateway_id in (None, a.virtual_gateway_id)
        ]
        return page_answer(
            "directConnectGatewayAssociations",
            matches,
            lambda a: a.to_wire(self),
            scope=(
                f"associations/{caller.account}/{direct_connect_gateway_id}/{virtual_gateway_id}"
                f"/{association_id}/{associated_gateway_id}"
            ),
            max_results=max_results,
            next_token=next_token,
        )

    # -- lifecycle and control plane ----------------------------------------------------------
    def entered_gateway_association(self, association: GatewayAssociation, state: str) -> None:
        """An association becoming `associated` while its VGW/TGW is not `available` fails:
        `disassociated`, with the reason in `stateChangeError`."""
        if state != "associated":
            return
        target = self.transit_gateways.get(association.virtual_gateway_id) or (
            self.virtual_gateways.get(association.virtual_gateway_id)
        )
        if target is not None and target.state == "available":
            return
        what = describe_gateway(target) if target is not None else association.virtual_gateway_id
        association.association_state = DONE
        association.state_change_error = (
            f"{what} is {target.state if target is not None else 'gone'}; the association with "
            f"Direct Connect Gateway {association.direct_connect_gateway_id} failed."
        )
        association.transitions = []

"""Associations between Direct Connect gateways and virtual private gateways.

The caller associates one of its own VGWs in the Region it signs for (VGWs are regional EC2
objects; `virtualGatewayRegion` records where it lives). A VGW joins at most one gateway (G3),
while a gateway takes VGWs from any Region. States: `associating → associated`, and on delete
`disassociating → disassociated`, after which the association is purged.
"""

from __future__ import annotations

from typing import Any

from dxsim.accounts import Caller
from dxsim.base import BackendBase
from dxsim.exceptions import DirectConnectClientException, InvalidState, NotFound
from dxsim.gateway_records import GatewayAssociation
from dxsim.paging import paginate
from dxsim.wire import compact

DONE = "disassociated"


class GatewayAssociationOperations(BackendBase):
    """Create, delete and describe gateway associations; composed into the backend."""

    def create_direct_connect_gateway_association(
        self, caller: Caller, *, direct_connect_gateway_id: str, virtual_gateway_id: str
    ) -> dict[str, Any]:
        """CreateDirectConnectGatewayAssociation: `associating`, then `associated`.

        The VGW must be the caller's, in the caller's Region, and in no other live association
        (G3). A gateway that is being deleted takes no new associations.
        """
        gateway = self.get_gateway(caller, direct_connect_gateway_id)
        if gateway.direct_connect_gateway_state not in ("pending", "available"):
            raise InvalidState(
                f"Direct Connect Gateway {gateway.id} is in state "
                f"{gateway.direct_connect_gateway_state} and cannot be associated."
            )
        vgw = self.get_virtual_gateway(caller, virtual_gateway_id)
        if vgw.virtual_gateway_state != "available":
            raise InvalidState(
                f"The VirtualGateway {vgw.id} is in state {vgw.virtual_gateway_state}; "
                f"only an available virtual private gateway can be associated."
            )
        live = (a for a in self.gateway_associations.values() if a.association_state != DONE)
        for existing in live:
            if existing.virtual_gateway_id == vgw.id:
                raise DirectConnectClientException(
                    f"The VirtualGateway {vgw.id} is already associated with Direct Connect "
                    f"Gateway {existing.direct_connect_gateway_id} (state "
                    f"{existing.association_state}); a virtual private gateway can be "
                    f"associated with only one Direct Connect gateway."
                )
        association_id = self.ids.uuid()
        while association_id in self.gateway_associations:
            association_id = self.ids.uuid()
        association = self.add(
            GatewayAssociation(
                id=association_id,
                direct_connect_gateway_id=gateway.id,
                virtual_gateway_id=vgw.id,
                virtual_gateway_region=caller.region,
                virtual_gateway_owner_account=caller.account,
                created_at=self.now(),
            )
        )
        self.schedule(association, "associated")
        return {"directConnectGatewayAssociation": association.to_wire(self)}

    def delete_direct_connect_gateway_association(
        self, caller: Caller, *, direct_connect_gateway_id: str, virtual_gateway_id: str
    ) -> dict[str, Any]:
        """DeleteDirectConnectGatewayAssociation: `disassociating`, then `disassociated`.

        Works from any Region, as the gateway is global. Deleting an association that is
        already `disassociating` returns it unchanged.
        """
        gateway = self.get_gateway(caller, direct_connect_gateway_id)
        association = next(
            (
                a
                for a in self.gateway_associations.values()
                if a.direct_connect_gateway_id == gateway.id
                and a.virtual_gateway_id == virtual_gateway_id
                and a.association_state != DONE
            ),
            None,
        )
        if association is None:
            raise NotFound(
                f"Direct Connect Gateway Association between {gateway.id} and "
                f"{virtual_gateway_id} does not exist"
            )
        if association.association_state != "disassociating":
            association.association_state = "disassociating"
            self.schedule(association, "disassociated")
        return {"directConnectGatewayAssociation": association.to_wire(self)}

    def describe_direct_connect_gateway_associations(
        self,
        caller: Caller,
        *,
        direct_connect_gateway_id: str | None = None,
        virtual_gateway_id: str | None = None,
        max_results: int | None = None,
        next_token: str | None = None,
    ) -> dict[str, Any]:
        """DescribeDirectConnectGatewayAssociations by gateway, by VGW, or the single pair (G6).

        A gateway id must name one of the caller's gateways; a VGW id is a filter (an unknown
        one yields an empty list). Only associations of the caller's gateways are listed.
        """
        if direct_connect_gateway_id is None and virtual_gateway_id is None:
            raise DirectConnectClientException(
                "You must specify a Direct Connect gateway (directConnectGatewayId), a virtual "
                "private gateway (virtualGatewayId), or both."
            )
        if direct_connect_gateway_id is not None:
            self.get_gateway(caller, direct_connect_gateway_id)
        mine = {g.id for g in self.gateways.values() if g.owner_account == caller.account}
        matches = [
            a
            for a in self.gateway_associations.values()
            if a.direct_connect_gateway_id in mine
            and direct_connect_gateway_id in (None, a.direct_connect_gateway_id)
            and virtual_gateway_id in (None, a.virtual_gateway_id)
        ]
        page, token = paginate(
            matches,
            lambda a: (a.created_at, a.id),
            scope=(
                f"associations/{caller.account}/{direct_connect_gateway_id}/{virtual_gateway_id}"
            ),
            max_results=max_results,
            next_token=next_token,
        )
        return compact(
            {
                "directConnectGatewayAssociations": [a.to_wire(self) for a in page],
                "nextToken": token,
            }
        )

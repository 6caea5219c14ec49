"""Direct Connect gateways: global per account (no region in the ARN or the shape).

A gateway is visible from every Region of its owner (G1). It walks `pending → available`, and
on delete `deleting → deleted`; deleted gateways are never returned (G5), so the backend purges
them at once. Deleting needs every VIF detached and every VGW disassociated first (G4).

The three gateway describes page with `dxsim.paging.paginate()`.
"""

from __future__ import annotations

from typing import Any

from dxsim.accounts import Caller
from dxsim.base import BackendBase, gateway_arn
from dxsim.exceptions import InvalidState
from dxsim.gateway_records import DirectConnectGateway
from dxsim.paging import page_answer
from dxsim.resource import GONE_STATES
from dxsim.validation import check_amazon_side_asn, check_name

DEFAULT_AMAZON_SIDE_ASN = 64512
GATEWAY_NAME_MAX = 100


class GatewayOperations(BackendBase):
    """Create, rename, delete and describe Direct Connect gateways; composed into the backend."""

    def create_direct_connect_gateway(
        self,
        caller: Caller,
        *,
        direct_connect_gateway_name: str,
        amazon_side_asn: int | None = None,
        tags: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """CreateDirectConnectGateway: a global gateway, `pending` and then `available`.

        `amazonSideAsn` must lie in 64512–65534 or 4200000000–4294967294 (default 64512, G2).
        `tags` follow TagResource's rules and are checked before anything is created; the
        gateway shape carries them (`tags`) in every response.
        """
        check_name(direct_connect_gateway_name, "directConnectGatewayName", GATEWAY_NAME_MAX)
        asn = DEFAULT_AMAZON_SIDE_ASN if amazon_side_asn is None else amazon_side_asn
        check_amazon_side_asn(asn)
        checked = self.check_new_tags(tags, "Direct Connect gateway")
        gateway_id = self.ids.uuid()
        while gateway_id in self.gateways:
            gateway_id = self.ids.uuid()
        gateway = self.add(
            DirectConnectGateway(
                id=gateway_id,
                direct_connect_gateway_name=direct_connect_gateway_name,
                amazon_side_asn=asn,
                owner_account=caller.account,
                created_at=self.now(),
            )
        )
        self.tag_new(gateway_arn(caller.account, gateway.id), checked)
        self.schedule(gateway, "available")
        return {"directConnectGateway": self.gateway_wire(gateway)}

    def gateway_wire(self, gateway: DirectConnectGateway) -> dict[str, Any]:
        """The DirectConnectGateway shape, with its `tags` when it has any."""
        tags = self.tags_of(gateway_arn(gateway.owner_account, gateway.id))
        return {**gateway.to_wire(self), **({"tags": tags} if tags else {})}

    def delete_direct_connect_gateway(
        self, caller: Caller, *, direct_connect_gateway_id: str
    ) -> dict[str, Any]:
        """DeleteDirectConnectGateway: `deleting`, then `deleted` and gone from every describe.

        Refused while a VIF is attached (or still detaching) or a VGW is associated (or still
        disassociating): G4 asks for them to be deleted and disassociated first. Deleting a
        gateway that is already `deleting` returns it unchanged.
        """
        gateway = self.get_gateway(caller, direct_connect_gateway_id)
        if gateway.direct_connect_gateway_state == "deleting":
            return {"directConnectGateway": self.gateway_wire(gateway)}
        attached = sorted(
            {
                a.virtual_interface_id
                for a in self.gateway_attachments.values()
                if a.direct_connect_gateway_id == gateway.id and a.attachment_state != "detached"
            }
            | {
                v.id
                for v in self.virtual_interfaces.values()
                if v.direct_connect_gateway_id == gateway.id
                and v.virtual_interface_state not in GONE_STATES
            }
        )
        if attached:
            raise InvalidState(
                f"Direct Connect Gateway {gateway.id} has virtual interface(s) attached "
                f"({', '.join(attached)}); delete them and wait until they are detached first."
            )
        associated = sorted(
            a.virtual_gateway_id
            for a in self.gateway_associations.values()
            if a.direct_connect_gateway_id == gateway.id and a.association_state != "disassociated"
        )
        if associated:
            kind = "transit" if associated[0].startswith("tgw-") else "virtual private"
            raise InvalidState(
                f"Direct Connect Gateway {gateway.id} is associated with {kind} "
                f"gateway(s) ({', '.join(associated)}); delete the associations and wait until "
                f"they are disassociated first."
            )
        gateway.direct_connect_gateway_state = "deleting"
        self.schedule(gateway, "deleted")
        return {"directConnectGateway": self.gateway_wire(gateway)}

    def update_direct_connect_gateway(
        self,
        caller: Caller,
        *,
        direct_connect_gateway_id: str,
        new_direct_connect_gateway_name: str,
    ) -> dict[str, Any]:
        """UpdateDirectConnectGateway: renames a gateway (the only thing it changes).

        The name follows CreateDirectConnectGateway's rules; a gateway that is being deleted
        can no longer be renamed.
        """
        gateway = self.get_gateway(caller, direct_connect_gateway_id)
        check_name(new_direct_connect_gateway_name, "newDirectConnectGatewayName", GATEWAY_NAME_MAX)
        if gateway.direct_connect_gateway_state in GONE_STATES:
            raise InvalidState(
                f"Direct Connect Gateway {gateway.id} is in state "
                f"{gateway.direct_connect_gateway_state}."
            )
        gateway.direct_connect_gateway_name = new_direct_connect_gateway_name
        return {"directConnectGateway": self.gateway_wire(gateway)}

    def describe_direct_connect_gateways(
        self,
        caller: Caller,
        *,
        direct_connect_gateway_id: str | None = None,
        max_results: int | None = None,
        next_token: str | None = None,
    ) -> dict[str, Any]:
        """DescribeDirectConnectGateways: all the caller's gateways (any Region), or just one."""
        if direct_connect_gateway_id is not None:
            gateways = [self.get_gateway(caller, direct_connect_gateway_id)]
        else:
            gateways = [g for g in self.gateways.values() if g.owner_account == caller.account]
        return page_answer(
            "directConnectGateways",
            gateways,
            lambda g: self.gateway_wire(g),
            scope=f"gateways/{caller.account}/{direct_connect_gateway_id}",
            max_results=max_results,
            next_token=next_token,
        )

    def entered_gateway(self, gateway: DirectConnectGateway, state: str) -> None:
        """A deleted gateway takes its tags with it (its ARN no longer names anything), and the
        proposals still waiting for it can never be accepted: they turn `deleted`."""
        if state == "deleted":
            tag_set = self.tag_sets.get(gateway_arn(gateway.owner_account, gateway.id))
            if tag_set is not None:
                self.remove(tag_set)
            for proposal in self.association_proposals.values():
                if proposal.direct_connect_gateway_id == gateway.id and (
                    proposal.proposal_state == "requested"
                ):
                    proposal.proposal_state = "deleted"

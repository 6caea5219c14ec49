"""Attachments of virtual interfaces to Direct Connect gateways.

The VIF operations create and retire these records (`attaching → attached`, and on VIF delete
`detaching → detached`, then purged); this module only describes them (G7). The caller sees the
attachments of its own gateways, plus those of its own VIFs.
"""

from __future__ import annotations

from typing import Any

from dxsim.accounts import Caller
from dxsim.base import BackendBase
from dxsim.exceptions import DirectConnectClientException
from dxsim.paging import page_answer


class GatewayAttachmentOperations(BackendBase):
    """DescribeDirectConnectGatewayAttachments; composed into `DirectConnectBackend`."""

    def describe_direct_connect_gateway_attachments(
        self,
        caller: Caller,
        *,
        direct_connect_gateway_id: str | None = None,
        virtual_interface_id: str | None = None,
        max_results: int | None = None,
        next_token: str | None = None,
    ) -> dict[str, Any]:
        """DescribeDirectConnectGatewayAttachments by gateway, by VIF, or the single pair (G7).

        Each id given must name a gateway or VIF the caller can see (the VIF in the Region the
        caller signs for); an unknown one is refused with the usual not-found message.
        """
        if direct_connect_gateway_id is None and virtual_interface_id is None:
            raise DirectConnectClientException(
                "You must specify a Direct Connect gateway (directConnectGatewayId), a virtual "
                "interface (virtualInterfaceId), or both."
            )
        if direct_connect_gateway_id is not None:
            self.get_gateway(caller, direct_connect_gateway_id)
        if virtual_interface_id is not None:
            self.get_virtual_interface(caller, virtual_interface_id)
        mine = {g.id for g in self.gateways.values() if g.owner_account == caller.account}
        matches = [
            a
            for a in self.gateway_attachments.values()
            if (
                a.direct_connect_gateway_id in mine
                or a.virtual_interface_owner_account == caller.account
            )
            and direct_connect_gateway_id in (None, a.direct_connect_gateway_id)
            and virtual_interface_id in (None, a.virtual_interface_id)
        ]
        return page_answer(
            "directConnectGatewayAttachments",
            matches,
            lambda a: a.to_wire(self),
            scope=(
                f"attachments/{caller.account}/{direct_connect_gateway_id}/{virtual_interface_id}"
            ),
            max_results=max_results,
            next_token=next_token,
        )

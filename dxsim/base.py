"""The backend's shared core: ARNs, visibility-checked lookups and the hooks every resource uses.

Operation mixins (one per resource module) inherit `BackendBase`; `dxsim.backend` composes them.
Lookups raise the not-found errors AWS gives (dx-facts.md §5.2), so an operation can simply call
`self.get_connection(caller, connection_id)`.
"""

from __future__ import annotations

from typing import Any

from dxsim.accounts import Caller
from dxsim.catalogue import LOCATIONS
from dxsim.exceptions import DirectConnectClientException, NotFound
from dxsim.gateway_records import (
    DirectConnectGateway,
    TransitGateway,
    VirtualGateway,
    seeded_tgws,
    seeded_vgw_ids,
)
from dxsim.records import Connection, Interconnect, Lag, TagSet, VirtualInterface
from dxsim.resiliency_records import resiliency_group_arn
from dxsim.resource import GONE_STATES, Resource
from dxsim.tag_rules import checked_tags
from dxsim.world import World

ARN_PREFIXES = {"dxcon": "dxcon", "dxlag": "dxlag", "dxvif": "dxvif"}


def resource_arn(region: str, account: str, resource_id: str) -> str:
    """ARN of a connection, interconnect, LAG or VIF (`arn:aws:directconnect:r:a:dxcon/dxcon-…`)."""
    prefix = resource_id.split("-", 1)[0]
    return f"arn:aws:directconnect:{region}:{account}:{prefix}/{resource_id}"


def gateway_arn(account: str, gateway_id: str) -> str:
    """ARN of a Direct Connect gateway: global, so no region (dx-facts.md §5.1)."""
    return f"arn:aws:directconnect::{account}:dx-gateway/{gateway_id}"


class BackendBase(World):
    """World plus the lookups and helpers shared by all operation mixins."""

    def now(self) -> float:
        return self.clock.now()

    def check_location(self, caller: Caller, location: str) -> None:
        """Refuses a location code that DescribeLocations does not list for the region."""
        if location not in LOCATIONS.get(caller.region, {}):
            raise DirectConnectClientException(
                f"Location {location!r} is not a Direct Connect location in {caller.region}; "
                f"call DescribeLocations for the valid codes."
            )

    # -- lookups (visibility per account and region) ------------------------------------------
    def get_connection(self, caller: Caller, connection_id: str) -> Connection:
        """A connection the caller owns, or a hosted connection on the caller's interconnect/LAG."""
        conn = self.connections.get(connection_id)
        if conn is not None and conn.region == caller.region:
            if conn.owner_account == caller.account:
                return conn
            if conn.parent_id and self.owner_of(conn.parent_id) == caller.account:
                return conn
        raise NotFound(f"Could not find Connection with ID {connection_id}")

    def get_lag(self, caller: Caller, lag_id: str) -> Lag:
        lag = self.lags.get(lag_id)
        if lag is None or lag.owner_account != caller.account or lag.region != caller.region:
            raise NotFound(f"Could not find Lag with ID {lag_id}")
        return lag

    def get_interconnect(self, caller: Caller, interconnect_id: str) -> Interconnect:
        ic = self.interconnects.get(interconnect_id)
        if ic is None or ic.owner_account != caller.account or ic.region != caller.region:
            raise NotFound(f"Could not find Interconnect with ID {interconnect_id}")
        return ic

    def get_virtual_interface(self, caller: Caller, vif_id: str) -> VirtualInterface:
        """A VIF the caller owns, or one on a connection/LAG the caller owns."""
        vif = self.virtual_interfaces.get(vif_id)
        if (
            vif is not None
            and vif.region == caller.region
            and (
                vif.owner_account == caller.account
                or self.owner_of(vif.connection_id) == caller.account
            )
        ):
            return vif
        raise NotFound(f"Virtual interface {vif_id} does not exist")

    def get_gateway(self, caller: Caller, gateway_id: str) -> DirectConnectGateway:
        gateway = self.gateways.get(gateway_id)
        if gateway is None or gateway.owner_account != caller.account:
            raise NotFound(f"Direct Connect Gateway {gateway_id} does not exist")
        return gateway

    def get_virtual_gateway(self, caller: Caller, vgw_id: str) -> VirtualGateway:
        self.ensure_virtual_gateways(caller.account, caller.region)
        vgw = self.virtual_gateways.get(vgw_id)
        if vgw is None or vgw.owner_account != caller.account or vgw.region != caller.region:
            raise NotFound(f"The VirtualGateway {vgw_id} does not exist.")
        return vgw

    def ensure_virtual_gateways(self, account: str, region: str) -> list[VirtualGateway]:
        """Creates the seeded VGWs of (account, region) on first use and returns them: no Direct
        Connect operation creates VGWs (W1), so each account has them the first time anything
        looks at its VGWs in a Region."""
        gateways = []
        for vgw_id in seeded_vgw_ids(account, region):
            vgw = self.virtual_gateways.get(vgw_id)
            if vgw is None:
                vgw = self.add(VirtualGateway(id=vgw_id, owner_account=account, region=region))
            gateways.append(vgw)
        return gateways

    def get_transit_gateway(self, caller: Caller, tgw_id: str) -> TransitGateway:
        self.ensure_transit_gateways(caller.account, caller.region)
        tgw = self.transit_gateways.get(tgw_id)
        if tgw is None or tgw.owner_account != caller.account or tgw.region != caller.region:
            raise NotFound(f"The TransitGateway {tgw_id} does not exist.")
        return tgw

    def ensure_transit_gateways(self, account: str, region: str) -> list[TransitGateway]:
        """Creates the seeded Transit Gateways of (account, region) on first use and returns
        them, as `ensure_virtual_gateways` does for VGWs: no Direct Connect operation creates
        one."""
        gateways = []
        for tgw_id, asn in seeded_tgws(account, region):
            tgw = self.transit_gateways.get(tgw_id)
            if tgw is None:
                tgw = self.add(
                    TransitGateway(
                        id=tgw_id,
                        owner_account=account,
                        region=region,
                        amazon_side_asn=asn,
                        created_at=self.now(),
                    )
                )
            gateways.append(tgw)
        return gateways

    def gateway_carries(self, gateway_id: str) -> str | None:
        """What a DX gateway carries: "transit" (transit VIFs, TGW associations), "private"
        (private VIFs, VGW associations) or None (nothing yet). A gateway never carries both
        (UG direct-connect-transit-gateways); create, confirm, attach and associate calls check
        this before they add to one."""
        for assoc in self.gateway_associations.values():
            if assoc.direct_connect_gateway_id == gateway_id and assoc.state not in (
                "disassociated",
            ):
                return "transit" if assoc.virtual_gateway_id.startswith("tgw-") else "private"
        for attachment in self.gateway_attachments.values():
            if attachment.direct_connect_gateway_id != gateway_id or attachment.state in (
                "detaching",
                "detached",
            ):
                continue
            vif = self.virtual_interfaces.get(attachment.virtual_interface_id)
            if vif is not None:
                return "transit" if vif.virtual_interface_type == "transit" else "private"
        return None

    def check_new_tags(self, tags: list[dict[str, Any]] | None, resource: str) -> list[Any]:
        """Validates a create call's `tags` before anything is created (nothing half-made)."""
        return checked_tags(tags, resource) if tags else []

    def tag_new(self, arn: str, tags: list[dict[str, Any]]) -> None:
        """Stores the (already checked) tags of a resource just created; none = no tag set."""
        if tags:
            self.add(TagSet(id=arn, tags=tags))

    def tags_of(self, arn: str) -> list[dict[str, Any]]:
        """A resource's tags as response shapes carry them (`tags` member); [] when none."""
        tag_set = self.tag_sets.get(arn)
        return [dict(t) for t in tag_set.tags] if tag_set is not None else []

    def is_partner(self, account: str) -> bool:
        """True if the account owns a live interconnect in any region: that is what makes it a
        Direct Connect partner here (its LAGs allow hosted connections, L2263, and its
        connections become interconnects when they leave a LAG, L5372)."""
        return any(
            ic.owner_account == account and ic.interconnect_state not in GONE_STATES
            for ic in self.interconnects.values()
        )

    def owner_of(self, resource_id: str) -> str | None:
        """Owner account of a connection, interconnect or LAG (None if unknown)."""
        for table in (self.connections, self.interconnects, self.lags):
            res: Any = table.get(resource_id)
            if res is not None:
                return str(res.owner_account)
        return None

    def carrier(self, resource_id: str) -> Resource | None:
        """The connection, interconnect or LAG with this ID, whoever owns it."""
        for table in (self.connections, self.interconnects, self.lags):
            res: Resource | None = table.get(resource_id)
            if res is not None:
                return res
        return None

    def arn_of(self, resource: Any) -> str:
        if resource.KIND == "gateway":
            return gateway_arn(resource.owner_account, resource.id)
        if resource.KIND == "resiliency_group":
            return resiliency_group_arn(resource.owner_account, resource.id)
        return resource_arn(resource.region, resource.owner_account, resource.id)

    def vifs_on(self, carrier_id: str, include_gone: bool = False) -> list[VirtualInterface]:
        """VIFs whose connectionId is this connection or LAG."""
        return [
            v
            for v in self.virtual_interfaces.values()
            if v.connection_id == carrier_id
            and (include_gone or v.virtual_interface_state not in GONE_STATES)
        ]

    def hosted_on(self, parent_id: str, include_gone: bool = False) -> list[Connection]:
        """Hosted connections whose parent is this interconnect or LAG."""
        return [
            c
            for c in self.connections.values()
            if c.parent_id == parent_id and (include_gone or c.connection_state not in GONE_STATES)
        ]

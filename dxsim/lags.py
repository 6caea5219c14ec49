"""Link aggregation groups (LAGs) and their member connections.

Members are connections or interconnects whose `lag_id` names the LAG; nothing on the LAG lists
them, so joining or leaving is one attribute on the member. A LAG's `available`/`down` is derived
by `backend.recompute()` from its operational members and `minimum_links` (reference L5641).
Virtual interfaces and hosted connections can sit on the LAG itself (their `connection_id` /
`parent_id` is the LAG id); they stay with the LAG when members come and go.
"""

from __future__ import annotations

from typing import Any

from dxsim.accounts import Caller
from dxsim.base import BackendBase
from dxsim.connections import ENCRYPTION_MODES, mac_sec_mismatch, mode_for_new_port
from dxsim.exceptions import DirectConnectClientException, InvalidState, NotFound
from dxsim.locations import (
    check_mac_sec,
    check_port_speed,
    check_provider,
    checked_billing_mode,
    offer_at,
)
from dxsim.paging import page_answer
from dxsim.records import Connection, Interconnect, Lag, Member, member_wire
from dxsim.resource import GONE_STATES
from dxsim.validation import LAG_BANDWIDTHS, MAX_LAG_CONNECTIONS, check_choice, check_name
from dxsim.world import World

# States in which `backend.recompute()` owns the LAG state.
_LINK_STATES = ("available", "down")


def check_lag_can_take(world: World, lag: Lag, location: str, bandwidth: str) -> None:
    """Refuses a new member the LAG cannot take: same endpoint, same bandwidth, at most 10
    connections (reference L2257–2259)."""
    if lag.lag_state in GONE_STATES:
        raise InvalidState(f"Lag {lag.id} is in state {lag.lag_state}.")
    if location != lag.location:
        raise DirectConnectClientException(
            f"A member of Lag {lag.id} must be at the LAG's location {lag.location}, "
            f"not {location}."
        )
    if bandwidth != lag.connections_bandwidth:
        raise DirectConnectClientException(
            f"A member of Lag {lag.id} must have the LAG's bandwidth "
            f"{lag.connections_bandwidth}, not {bandwidth}."
        )
    if len(lag.members(world)) >= MAX_LAG_CONNECTIONS:
        raise DirectConnectClientException(
            f"Lag {lag.id} already has {MAX_LAG_CONNECTIONS} connections, the maximum per LAG."
        )


class LagOperations(BackendBase):
    """LAG lifecycle, UpdateLag and moving connections/interconnects in and out of LAGs."""

    # -- helpers ------------------------------------------------------------------------------
    def _physical(self, caller: Caller, connection_id: str, missing: str = "") -> Member:
        """The caller's dedicated connection or interconnect with this ID (not a hosted one)."""
        conn = self.connections.get(connection_id)
        if (
            conn is not None
            and conn.owner_account == caller.account
            and conn.region == caller.region
        ):
            if conn.is_hosted:
                raise DirectConnectClientException(
                    f"Connection {conn.id} is a hosted connection and cannot be a LAG member; "
                    f"move hosted connections with AssociateHostedConnection."
                )
            found: Member = conn
        else:
            ic = self.interconnects.get(connection_id)
            if ic is None or ic.owner_account != caller.account or ic.region != caller.region:
                raise NotFound(f"{missing}Could not find Connection with ID {connection_id}")
            found = ic
        if found.state in GONE_STATES:
            raise InvalidState(f"Connection {found.id} is in state {found.state}.")
        return found

    def _check_can_leave(self, member: Member, lag: Lag, action: str) -> None:
        """Refuses taking an operational member out if the LAG would drop below minimumLinks."""
        if member.state != "available":
            return
        left = lag.operational(self) - 1
        if left < lag.minimum_links:
            raise DirectConnectClientException(
                f"{action} {member.id} would leave Lag {lag.id} with {left} operational "
                f"connection(s), below its minimumLinks of {lag.minimum_links}."
            )

    def _join(self, member: Member, lag: Lag) -> None:
        """Makes `member` a LAG member: its VIFs (and an interconnect's hosted connections) move
        to the LAG; those of a LAG it leaves stay there (reference L921–923). A MACsec member
        drops its own keys and takes the LAG's encryption mode: the LAG's keys apply to it."""
        if member.mac_sec_capable != lag.mac_sec_capable:
            raise mac_sec_mismatch(member.id)
        for key in self.children("mac_sec_key", member.id):
            self.remove(key)
        if member.mac_sec_capable:
            member.encryption_mode = lag.encryption_mode
        for vif in self.vifs_on(member.id):
            vif.connection_id = lag.id
        if isinstance(member, Interconnect):
            for hosted in self.hosted_on(member.id):
                hosted.parent_id = lag.id
                hosted.has_logical_redundancy = lag.has_logical_redundancy
        member.lag_id = lag.id
        member.has_logical_redundancy = lag.has_logical_redundancy

    def _check_vlans_free(self, member: Member, lag: Lag) -> None:
        """Refuses a member whose VIFs (an interconnect's hosted connections too) would move to
        the LAG onto a VLAN that a live VIF or hosted connection already uses there."""
        taken = {vif.vlan: f"virtual interface {vif.id}" for vif in self.vifs_on(lag.id)}
        taken |= {c.vlan: f"hosted connection {c.id}" for c in self.hosted_on(lag.id) if c.vlan}
        moving = [(vif.vlan, f"virtual interface {vif.id}") for vif in self.vifs_on(member.id)]
        if isinstance(member, Interconnect):
            moving += [
                (c.vlan, f"hosted connection {c.id}") for c in self.hosted_on(member.id) if c.vlan
            ]
        for vlan, what in moving:
            if vlan in taken:
                raise DirectConnectClientException(
                    f"{member.id} cannot join Lag {lag.id}: its {what} uses VLAN {vlan}, which "
                    f"{taken[vlan]} already uses on the LAG; the VLAN conflicts."
                )

    def _refresh(self, lag: Lag) -> None:
        """Same rule as `backend.recompute()`, applied now so the response shows it."""
        if lag.lag_state in _LINK_STATES:
            up = lag.operational(self) >= max(1, lag.minimum_links)
            wanted = "available" if up else "down"
            if lag.lag_state != wanted:
                lag.lag_state = wanted

    def _to_interconnect(self, conn: Connection) -> Interconnect:
        """A partner's connection leaving a LAG becomes an interconnect with the same ID."""
        ic = Interconnect(
            id=conn.id,
            transitions=conn.transitions,
            owner_account=conn.owner_account,
            interconnect_name=conn.connection_name,
            interconnect_state=conn.connection_state,
            region=conn.region,
            location=conn.location,
            bandwidth=conn.bandwidth,
            loa_issue_time=conn.loa_issue_time,
            aws_device=conn.aws_device,
            jumbo_frame_capable=conn.jumbo_frame_capable,
            aws_device_v2=conn.aws_device_v2,
            link_up=conn.link_up,
            provider_name=conn.provider_name,
            mac_sec_capable=conn.mac_sec_capable,
            encryption_mode=conn.encryption_mode,
            created_at=conn.created_at,
        )
        self.remove(conn)
        return self.add(ic)

    # -- operations ---------------------------------------------------------------------------
    def create_lag(
        self,
        caller: Caller,
        *,
        number_of_connections: int,
        location: str,
        connections_bandwidth: str,
        lag_name: str,
        connection_id: str | None = None,
        tags: list[dict[str, Any]] | None = None,
        child_connection_tags: list[dict[str, Any]] | None = None,
        provider_name: str | None = None,
        request_mac_sec: bool | None = None,
        billing_mode: str | None = None,
    ) -> dict[str, Any]:
        """CreateLag: `requested` → `pending` → `available`, with new member connections.

        `connectionId` migrates an existing connection or interconnect into the LAG: it counts
        toward `numberOfConnections`, keeps its ID, and its VIFs move to the LAG (L2261). A LAG
        created by a partner allows hosted connections (L2263). `tags` go on the LAG,
        `childConnectionTags` on each connection it creates. With `requestMACSec` every member
        is MACsec-capable (an existing one must already be; without it the LAG follows the
        existing connection); the port speed, provider, MACsec and billing mode must be what the
        location offers.
        """
        check_name(lag_name, "lagName", 200)
        check_choice(connections_bandwidth, LAG_BANDWIDTHS, "connectionsBandwidth")
        offer = offer_at(self, caller, location)
        check_port_speed(offer, location, connections_bandwidth)
        check_provider(offer, location, provider_name)
        billing = checked_billing_mode(offer, location, connections_bandwidth, billing_mode)
        lag_tags = self.check_new_tags(tags or [], "LAG")
        child_tags = self.check_new_tags(child_connection_tags or [], "Connection")
        if not 1 <= number_of_connections <= MAX_LAG_CONNECTIONS:
            raise DirectConnectClientException(
                f"numberOfConnections {number_of_connections} is not valid: a LAG has 1 to "
                f"{MAX_LAG_CONNECTIONS} connections."
            )
        existing: Member | None = None
        if connection_id is not None:
            existing = self._physical(caller, connection_id)
            if existing.lag_id is not None:
                raise DirectConnectClientException(
                    f"Connection {existing.id} is already a member of Lag {existing.lag_id}; "
                    f"use AssociateConnectionWithLag to move it."
                )
            if existing.location != location:
                raise DirectConnectClientException(
                    f"Connection {existing.id} terminates at {existing.location}; the LAG must "
                    f"be created there, not at {location}."
                )
            if existing.bandwidth != connections_bandwidth:
                raise DirectConnectClientException(
                    f"Connection {existing.id} has bandwidth {existing.bandwidth}; "
                    f"connectionsBandwidth must match it, not {connections_bandwidth}."
                )
        capable = bool(request_mac_sec)
        if existing is not None:
            if request_mac_sec is not None and request_mac_sec != existing.mac_sec_capable:
                raise mac_sec_mismatch(existing.id)
            capable = existing.mac_sec_capable
        if capable:
            check_mac_sec(offer, location, connections_bandwidth)
        device = existing.aws_device if existing else self.ids.aws_device(location)
        lag = self.add(
            Lag(
                id=self.new_id("lag"),
                owner_account=caller.account,
                lag_name=lag_name,
                lag_state="pending",
                region=caller.region,
                location=location,
                connections_bandwidth=connections_bandwidth,
                aws_device=device,
                aws_device_v2=device,
                allows_hosted_connections=self.is_partner(caller.account),
                has_logical_redundancy="yes",
                provider_name=provider_name,
                mac_sec_capable=capable,
                encryption_mode=mode_for_new_port(None, capable),
                billing_mode=billing,
                created_at=self.now(),
            )
        )
        self.tag_new(self.arn_of(lag), lag_tags)
        self.schedule(lag, "pending", "available")
        if existing is not None:
            self._join(existing, lag)
        for n in range(1, number_of_connections - (1 if existing else 0) + 1):
            member = self.add(
                Connection(
                    id=self.new_id("connection"),
                    owner_account=caller.account,
                    connection_name=f"Requested Connection {n} for Lag {lag.id}",
                    connection_state="requested",
                    region=caller.region,
                    location=location,
                    bandwidth=connections_bandwidth,
                    lag_id=lag.id,
                    aws_device=device,
                    aws_device_v2=device,
                    has_logical_redundancy=lag.has_logical_redundancy,
                    provider_name=provider_name,
                    mac_sec_capable=capable,
                    encryption_mode=lag.encryption_mode,
                    billing_mode=billing,
                    created_at=self.now(),
                )
            )
            self.tag_new(self.arn_of(member), child_tags)
            self.schedule(member, "pending", "available")
        return lag.to_wire(self)

    def describe_lags(
        self,
        caller: Caller,
        *,
        lag_id: str | None = None,
        max_results: int | None = None,
        next_token: str | None = None,
    ) -> dict[str, Any]:
        """DescribeLags: the caller's LAGs in the region (members inline), or just one; oldest
        first, every LAG without `maxResults` (as before paging), else pages with `nextToken`."""
        if lag_id is not None:
            return {"lags": [self.get_lag(caller, lag_id).to_wire(self)]}
        mine = [
            lag
            for lag in self.lags.values()
            if lag.owner_account == caller.account and lag.region == caller.region
        ]
        return page_answer(
            "lags",
            mine,
            lambda lag: lag.to_wire(self),
            scope=f"DescribeLags/{caller.account}/{caller.region}",
            max_results=max_results,
            next_token=next_token,
            default_size=None,
        )

    def update_lag(
        self,
        caller: Caller,
        *,
        lag_id: str,
        lag_name: str | None = None,
        minimum_links: int | None = None,
        encryption_mode: str | None = None,
    ) -> dict[str, Any]:
        """UpdateLag: the name, minimumLinks (L5638) and MACsec encryption mode change. A
        minimumLinks above the operational member count takes the LAG `down` (L5641); lowering it
        can bring it back. `encryptionMode` (no_encrypt|should_encrypt|must_encrypt) needs a
        MACsec-capable LAG and applies to every member connection."""
        lag = self.get_lag(caller, lag_id)
        if lag_name is None and minimum_links is None and encryption_mode is None:
            raise DirectConnectClientException(
                "UpdateLag needs lagName, minimumLinks or encryptionMode: they are the only "
                "attributes it changes."
            )
        if lag.lag_state in GONE_STATES:
            raise InvalidState(f"Lag {lag.id} is in state {lag.lag_state}.")
        if lag_name is not None:
            check_name(lag_name, "lagName", 200)
        if minimum_links is not None and not 0 <= minimum_links <= MAX_LAG_CONNECTIONS:
            raise DirectConnectClientException(
                f"minimumLinks {minimum_links} is not valid: it must be between 0 and "
                f"{MAX_LAG_CONNECTIONS}."
            )
        if encryption_mode is not None:
            check_choice(encryption_mode, ENCRYPTION_MODES, "encryptionMode")
            if not lag.mac_sec_capable:
                raise DirectConnectClientException(
                    f"Lag {lag.id} is not MACsec capable: encryptionMode can only be set on a "
                    f"LAG created with requestMACSec."
                )
            lag.encryption_mode = encryption_mode
            for member in lag.members(self):
                member.encryption_mode = encryption_mode
        if lag_name is not None:
            lag.lag_name = lag_name
        if minimum_links is not None:
            lag.minimum_links = minimum_links
        self._refresh(lag)
        return lag.to_wire(self)

    def delete_lag(self, caller: Caller, *, lag_id: str) -> dict[str, Any]:
        """DeleteLag: `deleting` → `deleted`, taking its member connections with it.

        Refused while virtual interfaces or hosted connections that are not deleted still sit on
        the LAG or on one of its members (L3616). The answer already shows no members.
        """
        lag = self.get_lag(caller, lag_id)
        if lag.lag_state in ("deleting", "deleted"):
            return lag.to_wire(self)
        members = lag.members(self)
        vifs = [v for carrier in (lag, *members) for v in self.vifs_on(carrier.id)]
        if vifs:
            raise InvalidState(
                f"Lag {lag.id} has {len(vifs)} virtual interface(s) "
                f"({', '.join(v.id for v in vifs)}); delete them first."
            )
        hosted = [c for parent in (lag, *members) for c in self.hosted_on(parent.id)]
        if hosted:
            raise InvalidState(
                f"Lag {lag.id} has {len(hosted)} hosted connection(s) "
                f"({', '.join(c.id for c in hosted)}); delete them first."
            )
        for member in members:
            setattr(member, member.STATE_FIELD, "deleting")
            self.schedule(member, "deleted")
        lag.lag_state = "deleting"
        self.schedule(lag, "deleted")
        return lag.to_wire(self)

    def associate_connection_with_lag(
        self, caller: Caller, *, connection_id: str, lag_id: str
    ) -> dict[str, Any]:
        """AssociateConnectionWithLag: same location and bandwidth as the LAG (L919).

        Leaving a previous LAG must not drop it below its minimumLinks. VIFs directly on the
        connection move to the new LAG; VIFs of the previous LAG stay with it (L921). What moves
        must not take a VLAN already used on the LAG (as AssociateVirtualInterface, V12).
        """
        lag = self.get_lag(caller, lag_id)
        member = self._physical(caller, connection_id)
        if member.lag_id == lag.id:
            raise DirectConnectClientException(
                f"Connection {member.id} is already a member of Lag {lag.id}."
            )
        check_lag_can_take(self, lag, member.location, member.bandwidth)
        old = self.lags.get(member.lag_id) if member.lag_id else None
        if old is not None:
            self._check_can_leave(member, old, "Moving")
        self._check_vlans_free(member, lag)
        self._join(member, lag)
        if old is not None:
            self._refresh(old)
        self._refresh(lag)
        return member_wire(self, member)

    def disassociate_connection_from_lag(
        self, caller: Caller, *, connection_id: str, lag_id: str
    ) -> dict[str, Any]:
        """DisassociateConnectionFromLag: the member becomes standalone (L5372–5374).

        Refused if it would drop the LAG below minimumLinks, except for the last member; an empty
        LAG keeps existing. VIFs and hosted connections stay on the LAG. A connection owned by a
        partner becomes an interconnect with the same ID.
        """
        try:
            lag = self.get_lag(caller, lag_id)
        except NotFound as err:
            raise NotFound(f"Lag does not exist. {err.message}") from None
        member = self._physical(caller, connection_id, missing="Connection does not exist. ")
        if member.lag_id != lag.id:
            raise DirectConnectClientException(
                f"Connection {member.id} is not a member of Lag {lag.id}."
            )
        if len(lag.members(self)) > 1:
            self._check_can_leave(member, lag, "Disassociating")
        member.lag_id = None
        member.has_logical_redundancy = "no"
        if isinstance(member, Connection) and self.is_partner(member.owner_account):
            member = self._to_interconnect(member)
        self._refresh(lag)
        return member_wire(self, member)

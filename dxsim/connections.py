"""Connections: dedicated, LAG members and hosted connections (on an interconnect or a LAG)."""

from __future__ import annotations

from typing import Any

from dxsim.accounts import Caller
from dxsim.base import BackendBase
from dxsim.exceptions import DirectConnectClientException, InvalidState
from dxsim.locations import (
    check_mac_sec,
    check_port_speed,
    check_provider,
    checked_billing_mode,
    offer_at,
)
from dxsim.paging import page_answer
from dxsim.records import Connection, Lag
from dxsim.resource import GONE_STATES
from dxsim.validation import DEDICATED_BANDWIDTHS, MAX_LAG_CONNECTIONS, check_choice, check_name

# MACsec encryption modes (botocore model: a plain string, so AWS checks it, not the SDK).
ENCRYPTION_MODES = ("no_encrypt", "should_encrypt", "must_encrypt")
# The mode a MACsec-capable port starts in.
INITIAL_ENCRYPTION_MODE = "no_encrypt"


def mac_sec_mismatch(member_id: str | None) -> DirectConnectClientException:
    """A LAG and its members are all MACsec-capable or none is (AWS's wording, TF #36693); a
    port still being created has no ID yet."""
    which = f"Connection {member_id}" if member_id else "The new connection"
    return DirectConnectClientException(
        f"{which} and lag should be requested MacSec at the same time"
    )


def joining_mac_sec(lag: Lag | None, member_id: str | None, request_mac_sec: bool | None) -> bool:
    """Whether a new port is MACsec-capable: as asked, or as its LAG is when not asked; a port
    that would differ from its LAG is refused."""
    if lag is None:
        return bool(request_mac_sec)
    if request_mac_sec is not None and request_mac_sec != lag.mac_sec_capable:
        raise mac_sec_mismatch(member_id)
    return lag.mac_sec_capable


class ConnectionOperations(BackendBase):
    """Dedicated-connection operations; hosted connections live in `dxsim.hosted_connections`."""

    def create_connection(
        self,
        caller: Caller,
        *,
        location: str,
        bandwidth: str,
        connection_name: str,
        lag_id: str | None = None,
        tags: list[dict[str, Any]] | None = None,
        provider_name: str | None = None,
        request_mac_sec: bool | None = None,
        billing_mode: str | None = None,
    ) -> dict[str, Any]:
        """CreateConnection: a dedicated connection, `requested` until its LOA is out.

        With `lagId` the connection joins the LAG: same location and bandwidth, at most 10
        connections per LAG (reference L1839, L2257–2259); it takes the LAG's MACsec capability,
        encryption mode, provider and billing mode unless it asks for others (a different
        MACsec capability or billing mode is refused). The port speed, `providerName`,
        `requestMACSec` and `billingMode` must be what the location offers (DescribeLocations).
        """
        check_name(connection_name, "connectionName", 200)
        check_choice(bandwidth, DEDICATED_BANDWIDTHS, "bandwidth")
        offer = offer_at(self, caller, location)
        check_port_speed(offer, location, bandwidth)
        check_provider(offer, location, provider_name)
        billing = checked_billing_mode(offer, location, bandwidth, billing_mode)
        checked_tags = self.check_new_tags(tags or [], "Connection")
        redundancy = "no"
        lag: Lag | None = None
        if lag_id is not None:
            lag = self.get_lag(caller, lag_id)
            if lag.lag_state in GONE_STATES:
                raise InvalidState(f"Lag {lag_id} is in state {lag.lag_state}.")
            if lag.location != location:
                raise DirectConnectClientException(
                    f"Connection must be at the LAG's location {lag.location}, not {location}."
                )
            if lag.connections_bandwidth != bandwidth:
                raise DirectConnectClientException(
                    f"Connection bandwidth {bandwidth} does not match the LAG's "
                    f"{lag.connections_bandwidth}."
                )
            if len(lag.members(self)) >= MAX_LAG_CONNECTIONS:
                raise DirectConnectClientException(
                    f"Lag {lag_id} already has {MAX_LAG_CONNECTIONS} connections, the maximum."
                )
            redundancy = lag.has_logical_redundancy
            if billing_mode is not None and billing != lag.billing_mode:
                raise DirectConnectClientException(
                    f"A member of Lag {lag.id} has the LAG's billing mode {lag.billing_mode}, "
                    f"not {billing_mode}."
                )
            billing = lag.billing_mode or billing
            provider_name = provider_name or lag.provider_name
        capable = joining_mac_sec(lag, None, request_mac_sec)
        if capable:
            check_mac_sec(offer, location, bandwidth)
        device = self.ids.aws_device(location)
        conn = self.add(
            Connection(
                id=self.new_id("connection"),
                owner_account=caller.account,
                connection_name=connection_name,
                connection_state="requested",
                region=caller.region,
                location=location,
                bandwidth=bandwidth,
                lag_id=lag_id,
                aws_device=device,
                aws_device_v2=device,
                has_logical_redundancy=redundancy,
                provider_name=provider_name,
                mac_sec_capable=capable,
                encryption_mode=mode_for_new_port(lag, capable),
                billing_mode=billing,
                created_at=self.now(),
            )
        )
        self.tag_new(self.arn_of(conn), checked_tags)
        self.schedule(conn, "pending", "available")
        return conn.to_wire(self)

    def describe_connections(
        self,
        caller: Caller,
        *,
        connection_id: str | None = None,
        max_results: int | None = None,
        next_token: str | None = None,
    ) -> dict[str, Any]:
        """DescribeConnections: the caller's connections in the region, or just one.

        Oldest first; without `maxResults` every connection (as before paging existed), with it
        pages of at most 100 and a `nextToken`.
        """
        if connection_id is not None:
            conn = self.get_connection(caller, connection_id)
            return {"connections": [conn.to_wire(self)]}
        mine = [
            c
            for c in self.connections.values()
            if c.owner_account == caller.account and c.region == caller.region
        ]
        return page_answer(
            "connections",
            mine,
            lambda c: c.to_wire(self),
            scope=f"DescribeConnections/{caller.account}/{caller.region}",
            max_results=max_results,
            next_token=next_token,
            default_size=None,
        )

    def delete_connection(self, caller: Caller, *, connection_id: str) -> dict[str, Any]:
        """DeleteConnection.

        A hosted connection still `ordering` that its owner deletes is `rejected` (declined,
        L130); a `requested` connection is `deleted` at once; otherwise `deleting` → `deleted`.
        A connection that still carries virtual interfaces cannot be deleted.
        """
        conn = self.get_connection(caller, connection_id)
        if conn.connection_state in ("deleted", "rejected"):
            return conn.to_wire(self)
        vifs = self.vifs_on(conn.id)
        if vifs:
            raise InvalidState(
                f"Connection {conn.id} has {len(vifs)} virtual interface(s) "
                f"({', '.join(v.id for v in vifs)}); delete them first."
            )
        if conn.connection_state == "ordering" and caller.account == conn.owner_account:
            conn.connection_state = "rejected"
            conn.transitions = []
        elif conn.connection_state in ("requested", "ordering"):
            conn.connection_state = "deleted"
            conn.transitions = []
        elif conn.connection_state != "deleting":
            conn.connection_state = "deleting"
            self.schedule(conn, "deleted")
        return conn.to_wire(self)

    def confirm_connection(self, caller: Caller, *, connection_id: str) -> dict[str, Any]:
        """ConfirmConnection: the customer accepts a hosted connection (`ordering` → `pending`)."""
        conn = self.get_connection(caller, connection_id)
        if conn.owner_account != caller.account or conn.connection_state != "ordering":
            raise InvalidState(
                f"ConfirmConnection failed. {conn.id} is in state {conn.connection_state}"
            )
        conn.connection_state = "pending"
        self.schedule(conn, "available")
        return {"connectionState": conn.connection_state}

    def update_connection(
        self,
        caller: Caller,
        *,
        connection_id: str,
        connection_name: str | None = None,
        encryption_mode: str | None = None,
    ) -> dict[str, Any]:
        """UpdateConnection: renames a connection or sets its MACsec encryption mode.

        Only the connection's owner may update it (a partner sees its customers' hosted
        connections but cannot change them), and not once it is deleting, deleted or rejected.
        `encryptionMode` must be one of no_encrypt|should_encrypt|must_encrypt and needs a
        MACsec-capable connection: MACsec is requested when a connection is created
        (`requestMACSec`, dx-current-api.md §D) and is unavailable on hosted connections.
        """
        conn = self.get_connection(caller, connection_id)
        if conn.owner_account != caller.account:
            raise DirectConnectClientException(
                f"Connection {conn.id} is owned by account {conn.owner_account}; "
                f"only its owner can update it."
            )
        if conn.connection_state in GONE_STATES:
            raise InvalidState(f"Connection {conn.id} is in state {conn.connection_state}.")
        if connection_name is not None:
            check_name(connection_name, "connectionName", 200)
        if encryption_mode is not None:
            check_choice(encryption_mode, ENCRYPTION_MODES, "encryptionMode")
            if conn.is_hosted:
                raise DirectConnectClientException("MACsec is unavailable on hosted connections.")
            if not conn.mac_sec_capable:
                raise DirectConnectClientException(
                    f"Connection {conn.id} is not MACsec capable: encryptionMode can only be set "
                    f"on a dedicated connection created with requestMACSec."
                )
        if connection_name is not None:
            conn.connection_name = connection_name
        if encryption_mode is not None:
            conn.encryption_mode = encryption_mode
        return conn.to_wire(self)


def mode_for_new_port(lag: Lag | None, capable: bool) -> str | None:
    """The encryption mode a new port starts in: its LAG's, else `no_encrypt`; none without
    MACsec."""
    if not capable:
        return None
    return (lag.encryption_mode if lag is not None else None) or INITIAL_ENCRYPTION_MODE

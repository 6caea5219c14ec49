"""Connections: dedicated, LAG members and hosted connections (on an interconnect or a LAG)."""

from __future__ import annotations

from typing import Any

from dxsim.accounts import Caller
from dxsim.base import BackendBase
from dxsim.exceptions import DirectConnectClientException, InvalidState
from dxsim.records import Connection
from dxsim.resource import GONE_STATES
from dxsim.validation import DEDICATED_BANDWIDTHS, MAX_LAG_CONNECTIONS, check_choice, check_name

# MACsec encryption modes (botocore model: a plain string, so AWS checks it, not the SDK).
ENCRYPTION_MODES = ("no_encrypt", "should_encrypt", "must_encrypt")


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
    ) -> dict[str, Any]:
        """CreateConnection: a dedicated connection, `requested` until its LOA is out.

        With `lagId` the connection joins the LAG: same location and bandwidth, at most 10
        connections per LAG (reference L1839, L2257–2259).
        """
        check_name(connection_name, "connectionName", 200)
        check_choice(bandwidth, DEDICATED_BANDWIDTHS, "bandwidth")
        self.check_location(caller, location)
        redundancy = "no"
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
            )
        )
        self.schedule(conn, "pending", "available")
        return conn.to_wire(self)

    def describe_connections(
        self, caller: Caller, *, connection_id: str | None = None
    ) -> dict[str, Any]:
        """DescribeConnections: the caller's connections in the region, or just one."""
        if connection_id is not None:
            conn = self.get_connection(caller, connection_id)
            return {"connections": [conn.to_wire(self)]}
        return {
            "connections": [
                c.to_wire(self)
                for c in self.connections.values()
                if c.owner_account == caller.account and c.region == caller.region
            ]
        }

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
        `encryptionMode` must be one of no_encrypt|should_encrypt|must_encrypt; MACsec must be
        requested when a connection is created (dx-current-api.md §D), and dxsim does not model
        `requestMACSec` yet, so no connection here is MACsec-capable and every valid mode is
        refused for that reason.
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
            raise DirectConnectClientException(
                f"Connection {conn.id} is not MACsec capable: encryptionMode can only be set on "
                f"a dedicated connection created with requestMACSec."
            )
        if connection_name is not None:
            conn.connection_name = connection_name
        return conn.to_wire(self)

"""Hosted connections: partners allocate them on an interconnect or LAG for a customer account.

A hosted connection is a `Connection` owned by the customer whose `parent_id` is the partner's
interconnect or LAG. It starts `ordering`; the customer accepts it with ConfirmConnection or
declines it by deleting it (both in `dxsim.connections`). The partner sees it through
DescribeHostedConnections on the parent; `base.get_connection` also lets the parent's owner
address it by ID. Its state follows the parent's once it is up (`backend.recompute()`).
"""

from __future__ import annotations

from typing import Any

from dxsim.accounts import Caller
from dxsim.base import BackendBase
from dxsim.customer import check_hosted_bandwidth
from dxsim.exceptions import DirectConnectClientException, InvalidState, NotFound
from dxsim.paging import page_answer
from dxsim.port_wire import mbps
from dxsim.records import Connection, Interconnect, Lag
from dxsim.resource import GONE_STATES
from dxsim.validation import HOSTED_BANDWIDTHS, check_account, check_choice, check_name, check_vlan


def partner_name(account: str) -> str:
    """The `partnerName` hosted connections carry; the simulator knows partners by account."""
    return f"DX Partner {account}"


class HostedConnectionOperations(BackendBase):
    """Allocation, migration and listing of hosted connections."""

    # -- helpers ------------------------------------------------------------------------------
    def _host(self, caller: Caller, parent_id: str) -> Interconnect | Lag:
        """The caller's interconnect or LAG that can carry hosted connections."""
        conn = self.connections.get(parent_id)
        if (
            conn is not None
            and conn.owner_account == caller.account
            and conn.region == caller.region
        ):
            raise DirectConnectClientException(
                f"{parent_id} is a connection, not an interconnect or LAG; hosted connections "
                f"are allocated on an interconnect or a LAG."
            )
        parent: Interconnect | Lag
        if parent_id.startswith("dxlag-"):
            parent = self.get_lag(caller, parent_id)
            if not parent.allows_hosted_connections:
                raise DirectConnectClientException(
                    f"Lag {parent.id} does not allow hosted connections: only LAGs created by a "
                    f"Direct Connect partner can host them."
                )
        else:
            parent = self.get_interconnect(caller, parent_id)
        if parent.state in GONE_STATES:
            raise InvalidState(f"{parent.id} is in state {parent.state}.")
        return parent

    def _check_vlan_free(self, parent: Interconnect | Lag, vlan: int, moving: str = "") -> None:
        """VLANs are unique per interconnect/LAG among live hosted connections and VIFs on it."""
        for other in self.hosted_on(parent.id):
            if other.vlan == vlan and other.id != moving:
                raise DirectConnectClientException(
                    f"VLAN {vlan} is already in use on {parent.id} by hosted connection {other.id}."
                )
        for vif in self.vifs_on(parent.id):
            if vif.vlan == vlan:
                raise DirectConnectClientException(
                    f"VLAN {vlan} is already in use on {parent.id} by virtual interface {vif.id}."
                )

    def _check_addresses_free(self, parent: Interconnect | Lag, conn: Connection) -> None:
        """Refuses moving a hosted connection whose VIF addresses clash with the target's."""
        taken: dict[str, str] = {}
        for other in self.hosted_on(parent.id):
            for vif in self.vifs_on(other.id):
                for address in (vif.amazon_address, vif.customer_address):
                    if address:
                        taken[address] = vif.id
        for vif in self.vifs_on(conn.id):
            for address in (vif.amazon_address, vif.customer_address):
                if address and address in taken:
                    raise DirectConnectClientException(
                        f"Address {address} of virtual interface {vif.id} conflicts with virtual "
                        f"interface {taken[address]} on {parent.id}."
                    )

    def _allocate(
        self,
        caller: Caller,
        parent: Interconnect | Lag,
        owner_account: str,
        bandwidth: str,
        connection_name: str,
        vlan: int,
        tags: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """Creates the hosted connection after the checks every allocation shares: the partner's
        NNI type allows the bandwidth, the parent has that much capacity, the VLAN is free."""
        if owner_account == caller.account:
            raise DirectConnectClientException(
                f"Cannot allocate a hosted connection for the owner of {parent.id}: ownerAccount "
                f"must be the customer's account."
            )
        check_hosted_bandwidth(self, caller.account, bandwidth)
        capacity = self._capacity(parent)
        if mbps(bandwidth) > capacity:
            raise DirectConnectClientException(
                f"A {bandwidth} hosted connection does not fit on {parent.id}, whose capacity is "
                f"{capacity / 1000:g}Gbps."
            )
        checked_tags = self.check_new_tags(tags or [], "Connection")
        self._check_vlan_free(parent, vlan)
        conn = self.add(
            Connection(
                id=self.new_id("connection"),
                owner_account=owner_account,
                connection_name=connection_name,
                connection_state="ordering",
                region=parent.region,
                location=parent.location,
                bandwidth=bandwidth,
                vlan=vlan,
                partner_name=partner_name(caller.account),
                aws_device=parent.aws_device,
                aws_device_v2=parent.aws_device_v2,
                jumbo_frame_capable=parent.jumbo_frame_capable,
                has_logical_redundancy=parent.has_logical_redundancy,
                parent_id=parent.id,
                provider_name=parent.provider_name,
                created_at=self.now(),
            )
        )
        self.tag_new(self.arn_of(conn), checked_tags)
        return conn.to_wire(self)

    def _capacity(self, parent: Interconnect | Lag) -> float:
        """Mbps a parent carries: an interconnect's port speed, a LAG's member speed times its
        live members (at least one)."""
        if isinstance(parent, Lag):
            return mbps(parent.connections_bandwidth) * max(1, len(parent.members(self)))
        return mbps(parent.bandwidth)

    @staticmethod
    def _check_request(owner_account: str, bandwidth: str, connection_name: str, vlan: int) -> None:
        check_name(connection_name, "connectionName", 200)
        check_choice(bandwidth, HOSTED_BANDWIDTHS, "bandwidth")
        check_account(owner_account)
        check_vlan(vlan)

    # -- operations ---------------------------------------------------------------------------
    def allocate_hosted_connection(
        self,
        caller: Caller,
        *,
        connection_id: str,
        owner_account: str,
        bandwidth: str,
        connection_name: str,
        vlan: int,
        tags: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """AllocateHostedConnection: a hosted connection on the caller's interconnect or LAG,
        `ordering` in `ownerAccount` until that customer confirms it (L177, L1428). `tags` go
        on the hosted connection; the bandwidth must suit the partner's NNI type
        (`dxsim.customer`)."""
        self._check_request(owner_account, bandwidth, connection_name, vlan)
        parent = self._host(caller, connection_id)
        return self._allocate(caller, parent, owner_account, bandwidth, connection_name, vlan, tags)

    def allocate_connection_on_interconnect(
        self,
        caller: Caller,
        *,
        bandwidth: str,
        connection_name: str,
        owner_account: str,
        interconnect_id: str,
        vlan: int,
    ) -> dict[str, Any]:
        """AllocateConnectionOnInterconnect (deprecated): AllocateHostedConnection restricted to
        interconnects, with the same rules."""
        self._check_request(owner_account, bandwidth, connection_name, vlan)
        parent = self.get_interconnect(caller, interconnect_id)
        if parent.interconnect_state in GONE_STATES:
            raise InvalidState(f"{parent.id} is in state {parent.interconnect_state}.")
        return self._allocate(caller, parent, owner_account, bandwidth, connection_name, vlan)

    def associate_hosted_connection(
        self, caller: Caller, *, connection_id: str, parent_connection_id: str
    ) -> dict[str, Any]:
        """AssociateHostedConnection: the parent's owner moves a hosted connection, with its VIFs,
        to another of its interconnects or LAGs at the same location. Refused on a conflicting
        VLAN or VIF address on the target (L1048)."""
        target = self._host(caller, parent_connection_id)
        conn = self.get_connection(caller, connection_id)
        if conn.parent_id is None:
            raise DirectConnectClientException(
                f"Connection {conn.id} is not a hosted connection; use AssociateConnectionWithLag "
                f"for dedicated connections."
            )
        if self.owner_of(conn.parent_id) != caller.account:
            raise NotFound(f"Could not find Connection with ID {connection_id}")
        if conn.connection_state in GONE_STATES:
            raise InvalidState(f"Connection {conn.id} is in state {conn.connection_state}.")
        if conn.parent_id == target.id:
            raise DirectConnectClientException(
                f"Hosted connection {conn.id} is already on {target.id}."
            )
        if target.location != conn.location:
            raise DirectConnectClientException(
                f"Hosted connection {conn.id} is at {conn.location}; {target.id} is at "
                f"{target.location}. A hosted connection moves only within its location."
            )
        if conn.vlan is not None:
            self._check_vlan_free(target, conn.vlan, moving=conn.id)
        self._check_addresses_free(target, conn)
        conn.parent_id = target.id
        conn.aws_device = target.aws_device
        conn.aws_device_v2 = target.aws_device_v2
        conn.has_logical_redundancy = target.has_logical_redundancy
        return conn.to_wire(self)

    def describe_hosted_connections(
        self,
        caller: Caller,
        *,
        connection_id: str,
        max_results: int | None = None,
        next_token: str | None = None,
    ) -> dict[str, Any]:
        """DescribeHostedConnections: hosted connections on the caller's interconnect or LAG,
        including deleted and rejected ones until they are purged; oldest first, all of them
        without `maxResults`, else pages with `nextToken`."""
        parent: Any = self.interconnects.get(connection_id) or self.lags.get(connection_id)
        if (
            parent is None
            or parent.owner_account != caller.account
            or parent.region != caller.region
        ):
            raise DirectConnectClientException(
                f"{caller.account} DescribeHostedConnections failed for connection "
                f"{connection_id} doesn't exist."
            )
        return page_answer(
            "connections",
            self.hosted_on(parent.id, include_gone=True),
            lambda c: c.to_wire(self),
            scope=f"DescribeHostedConnections/{caller.account}/{caller.region}/{parent.id}",
            max_results=max_results,
            next_token=next_token,
            default_size=None,
        )

    def describe_connections_on_interconnect(
        self, caller: Caller, *, interconnect_id: str
    ) -> dict[str, Any]:
        """DescribeConnectionsOnInterconnect (deprecated): DescribeHostedConnections for an
        interconnect."""
        ic = self.get_interconnect(caller, interconnect_id)
        hosted = self.hosted_on(ic.id, include_gone=True)
        return {"connections": [c.to_wire(self) for c in hosted]}

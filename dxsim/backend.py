"""`DirectConnectBackend`: every Direct Connect operation over one `World`, plus lifecycle upkeep.

The protocol layer calls one operation method per request, then `settle()`: due transitions are
applied, derived states (link → LAG → VIF → BGP status) are recomputed, expired resources are
purged, and the changes are committed in one transaction.
"""

from __future__ import annotations

from typing import Any

from botocore import xform_name

from dxsim.accounts import Caller
from dxsim.association_proposals import DELETED_RETENTION, AssociationProposalOperations
from dxsim.bgp_peers import BgpPeerOperations
from dxsim.connections import ConnectionOperations
from dxsim.customer import CustomerOperations
from dxsim.exceptions import NotFound
from dxsim.failover_tests import HISTORY_RETENTION, FailoverTestOperations
from dxsim.gateway_associations import FAILED_ASSOCIATION_RETENTION, GatewayAssociationOperations
from dxsim.gateway_attachments import GatewayAttachmentOperations
from dxsim.gateways import GatewayOperations
from dxsim.hosted_connections import HostedConnectionOperations
from dxsim.interconnects import InterconnectOperations
from dxsim.lags import LagOperations
from dxsim.loa import LoaOperations
from dxsim.locations import LocationOperations
from dxsim.macsec import MacSecOperations
from dxsim.resiliency_groups import GROUP_RETENTION, ResiliencyGroupOperations
from dxsim.resiliency_records import TEST_ENDED
from dxsim.resource import Resource
from dxsim.router_configs import RouterConfigurationOperations
from dxsim.routes import RouteOperations
from dxsim.tags import TagOperations
from dxsim.transit_virtual_interfaces import TransitVirtualInterfaceOperations
from dxsim.vif_changes import VirtualInterfaceChangeOperations
from dxsim.virtual_gateways import VirtualGatewayOperations
from dxsim.virtual_interfaces import VirtualInterfaceOperations

# The 45 operations of the reference (seed-spec.md §1), by their API names: what the gateway
# calls, and so what its IAM policies grant.
REFERENCE_OPERATIONS: tuple[str, ...] = (
    "AllocateConnectionOnInterconnect",
    "AllocateHostedConnection",
    "AllocatePrivateVirtualInterface",
    "AllocatePublicVirtualInterface",
    "AssociateConnectionWithLag",
    "AssociateHostedConnection",
    "AssociateVirtualInterface",
    "ConfirmConnection",
    "ConfirmPrivateVirtualInterface",
    "ConfirmPublicVirtualInterface",
    "CreateBGPPeer",
    "CreateConnection",
    "CreateDirectConnectGateway",
    "CreateDirectConnectGatewayAssociation",
    "CreateInterconnect",
    "CreateLag",
    "CreatePrivateVirtualInterface",
    "CreatePublicVirtualInterface",
    "DeleteBGPPeer",
    "DeleteConnection",
    "DeleteDirectConnectGateway",
    "DeleteDirectConnectGatewayAssociation",
    "DeleteInterconnect",
    "DeleteLag",
    "DeleteVirtualInterface",
    "DescribeConnectionLoa",
    "DescribeConnections",
    "DescribeConnectionsOnInterconnect",
    "DescribeDirectConnectGatewayAssociations",
    "DescribeDirectConnectGatewayAttachments",
    "DescribeDirectConnectGateways",
    "DescribeHostedConnections",
    "DescribeInterconnectLoa",
    "DescribeInterconnects",
    "DescribeLags",
    "DescribeLoa",
    "DescribeLocations",
    "DescribeTags",
    "DescribeVirtualGateways",
    "DescribeVirtualInterfaces",
    "DisassociateConnectionFromLag",
    "TagResource",
    "UntagResource",
    "UpdateLag",
    "UpdateVirtualInterfaceAttributes",
)
# The 28 operations of today's model beyond the reference (dx-current-api.md §1).
TODAYS_OPERATIONS: tuple[str, ...] = (
    "AcceptDirectConnectGatewayAssociationProposal",
    "AllocateTransitVirtualInterface",
    "AssociateConnectionsToResiliencyGroup",
    "AssociateMacSecKey",
    "ConfirmCustomerAgreement",
    "ConfirmTransitVirtualInterface",
    "CreateDirectConnectGatewayAssociationProposal",
    "CreateResiliencyGroup",
    "CreateTransitVirtualInterface",
    "DeleteDirectConnectGatewayAssociationProposal",
    "DeleteResiliencyGroup",
    "DescribeCustomerMetadata",
    "DescribeDirectConnectGatewayAssociationProposals",
    "DescribeRouterConfiguration",
    "DisassociateConnectionsFromResiliencyGroup",
    "DisassociateMacSecKey",
    "GetResiliencyGroup",
    "ListResiliencyGroupAssociations",
    "ListResiliencyGroups",
    "ListVirtualInterfaceRoutes",
    "ListVirtualInterfaceTestHistory",
    "StartBgpFailoverTest",
    "StopBgpFailoverTest",
    "UpdateConnection",
    "UpdateConnectionsBillingMode",
    "UpdateDirectConnectGateway",
    "UpdateDirectConnectGatewayAssociation",
    "UpdateResiliencyGroup",
)

# How long a resource in a terminal state stays listed (simulated seconds). VIFs: 15 minutes
# (reference L5133); DX gateways are never returned once deleted (L4341).
RETENTION = {
    "virtual_interface": 900.0,
    "connection": 900.0,
    "interconnect": 900.0,
    "lag": 900.0,
    "failover_test": HISTORY_RETENTION,
    "resiliency_group": GROUP_RETENTION,
    "gateway_association_proposal": DELETED_RETENTION,
}
TAGGED = frozenset(
    {"connection", "interconnect", "lag", "virtual_interface", "gateway", "resiliency_group"}
)
TERMINAL_STATES = frozenset({"deleted", "rejected", "disassociated", "detached"}) | TEST_ENDED
# Seeded EC2 gateways are never purged: their state is set through the control API, and a
# `deleted` one must stay deleted rather than be seeded afresh.
NEVER_PURGED = frozenset({"virtual_gateway", "transit_gateway"})
LINK_STATES = ("available", "down")


class DirectConnectBackend(
    ConnectionOperations,
    HostedConnectionOperations,
    InterconnectOperations,
    LagOperations,
    TransitVirtualInterfaceOperations,
    VirtualInterfaceOperations,
    VirtualInterfaceChangeOperations,
    BgpPeerOperations,
    GatewayOperations,
    AssociationProposalOperations,
    GatewayAssociationOperations,
    GatewayAttachmentOperations,
    VirtualGatewayOperations,
    TagOperations,
    LocationOperations,
    LoaOperations,
    RouterConfigurationOperations,
    MacSecOperations,
    CustomerOperations,
    FailoverTestOperations,
    RouteOperations,
    ResiliencyGroupOperations,
):
    """The simulated Direct Connect service for all accounts and regions."""

    # -- upkeep ---------------------------------------------------------------------------------
    def settle(self) -> None:
        """Applies due transitions, recomputes derived states, purges, and commits."""
        for _when, resource, state in self.due_transitions():
            if self.table(resource.KIND).get(resource.id) is not resource:
                continue
            setattr(resource, resource.STATE_FIELD, state)
            hook = getattr(self, f"entered_{resource.KIND}", None)
            if hook is not None:
                hook(resource, state)
        self.recompute()
        self.purge()
        self.commit()

    def recompute(self) -> None:
        """Derives operational states: link → connection → LAG → hosted connection → VIF → BGP.

        A VIF under a BGP failover test stays `testing` (not a link state); the peers its test
        holds down are `down`, its other peers follow the link.
        """
        held_down = self.peers_held_down()
        self.drop_gone_connections_from_groups()
        physical: list[Any] = [*self.connections.values(), *self.interconnects.values()]
        for phys in physical:
            if phys.state in LINK_STATES and not getattr(phys, "parent_id", None):
                _set(phys, phys.STATE_FIELD, "available" if phys.link_up else "down")
        for lag in self.lags.values():
            if lag.lag_state in LINK_STATES:
                up = sum(1 for m in lag.members(self) if m.state == "available")
                wanted = "available" if up >= max(1, lag.minimum_links) else "down"
                _set(lag, "lag_state", wanted)
        for conn in self.connections.values():
            if conn.parent_id and conn.connection_state in LINK_STATES:
                parent = self.carrier(conn.parent_id)
                parent_up = parent is not None and parent.state == "available"
                _set(conn, "connection_state", "available" if parent_up else "down")
        for vif in self.virtual_interfaces.values():
            if vif.virtual_interface_state in LINK_STATES:
                carrier = self.carrier(vif.connection_id)
                up = carrier is not None and carrier.state == "available"
                _set(vif, "virtual_interface_state", "available" if up else "down")
        for peer in self.bgp_peers.values():
            owner = self.virtual_interfaces.get(peer.virtual_interface_id)
            if peer.bgp_peer_state == "available":
                up = (
                    owner is not None
                    and self.vif_passes_traffic(owner)
                    and peer.id not in held_down
                )
                _set(peer, "bgp_status", "up" if up else "down")
            elif peer.bgp_peer_state in ("deleting", "deleted"):
                _set(peer, "bgp_status", "down")

    def purge(self) -> None:
        """Stamps newly terminal resources and removes those past their retention."""
        now = self.now()
        for resource in list(self.all_resources()):
            if not resource.STATE_FIELD or resource.state not in TERMINAL_STATES:
                continue
            if resource.KIND in NEVER_PURGED:
                continue
            if resource.gone_at is None:
                resource.gone_at = now
            if now - resource.gone_at >= self.retention_of(resource):
                self.remove(resource)
                for key in self.children("mac_sec_key", resource.id):
                    self.remove(key)  # a purged port's MACsec keys go with it
                tags = self.tag_sets.get(self.arn_of(resource)) if resource.KIND in TAGGED else None
                if tags is not None:
                    self.remove(tags)
        for peer in list(self.bgp_peers.values()):
            if peer.virtual_interface_id not in self.virtual_interfaces:
                self.remove(peer)
        self.expire_client_tokens()

    def retention_of(self, resource: Resource) -> float:
        """Simulated seconds a resource in a terminal state stays listed: per kind, and longer
        for a gateway association that failed, so its stateChangeError can be read."""
        if resource.KIND == "gateway_association" and getattr(resource, "state_change_error", None):
            return FAILED_ASSOCIATION_RETENTION
        return RETENTION.get(resource.KIND, 0.0)

    # -- control-plane events (the /_dxsim/ API) ------------------------------------------------
    def set_link(self, resource_id: str, up: bool) -> dict[str, Any]:
        """Takes a connection's or interconnect's physical link down or up; dependents follow."""
        phys: Any = self.connections.get(resource_id) or self.interconnects.get(resource_id)
        if phys is None:
            raise NotFound(f"Could not find Connection with ID {resource_id}")
        phys.link_up = up
        self.settle()
        return {"id": resource_id, "linkUp": up, "state": phys.state}

    def advance(self, seconds: float) -> float:
        """Moves the simulated clock forward and applies what became due."""
        now = self.clock.advance(seconds)
        self.settle()
        return now

    def call(self, caller: Caller, method: str, params: dict[str, Any]) -> dict[str, Any]:
        """Runs one operation method (snake_case name) and settles the world afterwards."""
        self.settle()
        result: dict[str, Any] = getattr(self, method)(caller, **params)
        self.settle()
        return result


# Today's operations dxsim implements: those with a backend method; the model's others answer
# UnknownOperationException.
CURRENT_OPERATIONS: tuple[str, ...] = tuple(
    name for name in TODAYS_OPERATIONS if hasattr(DirectConnectBackend, xform_name(name))
)
# Every operation dxsim dispatches.
OPERATIONS: tuple[str, ...] = REFERENCE_OPERATIONS + CURRENT_OPERATIONS


def _set(resource: Resource, attr: str, value: Any) -> None:
    if getattr(resource, attr) != value:
        setattr(resource, attr, value)

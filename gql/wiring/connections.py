"""Mutations on connections, hosted connections, interconnects and LAGs."""

from __future__ import annotations

import strawberry

from gql.inputs.connection import ConnectionPayload, ConnectionStatePayload
from gql.inputs.interconnect import InterconnectPayload, InterconnectStatePayload
from gql.inputs.lag import LagMembershipPayload, LagPayload
from resolvers import connections, interconnects, lags


@strawberry.type
class ConnectionMutations:
    create_connection: ConnectionPayload = strawberry.mutation(
        resolver=connections.create_connection,
        description="CreateConnection: a dedicated connection at a location (state requested).",
    )
    delete_connection: ConnectionPayload = strawberry.mutation(
        resolver=connections.delete_connection,
        description=(
            "DeleteConnection. A hosted connection still `ordering` that its owner deletes is "
            "`rejected` (declined)."
        ),
    )
    confirm_connection: ConnectionStatePayload = strawberry.mutation(
        resolver=connections.confirm_connection,
        description="ConfirmConnection: accept a hosted connection (`ordering` → `pending`).",
    )

    # -- hosted connections (partners) -----------------------------------------------------------
    allocate_hosted_connection: ConnectionPayload = strawberry.mutation(
        resolver=connections.allocate_hosted_connection,
        description=(
            "AllocateHostedConnection (partners): a hosted connection of 50-500Mbps on your "
            "interconnect or LAG for a customer account, `ordering` until the customer confirms "
            "it. The VLAN must be free on the interconnect or LAG."
        ),
    )
    allocate_connection_on_interconnect: ConnectionPayload = strawberry.mutation(
        resolver=connections.allocate_connection_on_interconnect,
        description=(
            "AllocateConnectionOnInterconnect (deprecated, partners): a hosted connection on an "
            "interconnect only; same rules as allocateHostedConnection."
        ),
        deprecation_reason="Use allocateHostedConnection",
    )
    associate_hosted_connection: ConnectionPayload = strawberry.mutation(
        resolver=connections.associate_hosted_connection,
        description=(
            "AssociateHostedConnection (partners): move a hosted connection and its virtual "
            "interfaces to another of your interconnects or LAGs; fails on a conflicting VLAN "
            "or IP address there (connectivity is briefly interrupted)."
        ),
    )

    # -- interconnects (partners) ------------------------------------------------------------------
    create_interconnect: InterconnectPayload = strawberry.mutation(
        resolver=interconnects.create_interconnect,
        description=(
            "CreateInterconnect (partners): a 1Gbps or 10Gbps port that can host connections "
            "(state requested); with lagId it joins that LAG on the LAG's endpoint."
        ),
    )
    delete_interconnect: InterconnectStatePayload = strawberry.mutation(
        resolver=interconnects.delete_interconnect,
        description=(
            "DeleteInterconnect (partners): AWS answers only the new state, returned with the "
            "interconnect read afresh. Refused while hosted connections ride on it."
        ),
    )

    # -- link aggregation groups -------------------------------------------------------------------
    create_lag: LagPayload = strawberry.mutation(
        resolver=lags.create_lag,
        description=(
            "CreateLag: 1-10 connections of 1Gbps or 10Gbps at one location bundled as one "
            "(state requested); connectionId migrates an existing connection into it."
        ),
    )
    update_lag: LagPayload = strawberry.mutation(
        resolver=lags.update_lag,
        description=(
            "UpdateLag: change the name and/or minimumLinks (0-10) only; a minimumLinks above "
            "the operational connections takes the LAG down."
        ),
    )
    delete_lag: LagPayload = strawberry.mutation(
        resolver=lags.delete_lag,
        description=(
            "DeleteLag: refused while the LAG has active virtual interfaces or hosted connections."
        ),
    )
    associate_connection_with_lag: LagMembershipPayload = strawberry.mutation(
        resolver=lags.associate_connection_with_lag,
        description=(
            "AssociateConnectionWithLag: a connection or interconnect joins a LAG (same "
            "endpoint, same bandwidth); its virtual interfaces move to the LAG."
        ),
    )
    disassociate_connection_from_lag: LagMembershipPayload = strawberry.mutation(
        resolver=lags.disassociate_connection_from_lag,
        description=(
            "DisassociateConnectionFromLag: a member becomes standalone (a partner's becomes an "
            "interconnect); refused if the LAG would fall below minimumLinks, unless it is the "
            "last member."
        ),
    )

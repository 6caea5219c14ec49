"""The Mutation root: one mutation per Direct Connect write operation, named after it.

Every mutation takes one input with the AWS parameter names, goes through the one write path
(`resolvers.writes`: authorize, check, idempotency, call, invalidate) and answers with graph types.
"""

from __future__ import annotations

from typing import Protocol

import strawberry

from gql.api.connection import DxConnection
from gql.api.direct_connect_gateway import DirectConnectGateway
from gql.api.direct_connect_gateway_association import DirectConnectGatewayAssociation
from gql.api.enums import ConnectionState, InterconnectState, VirtualInterfaceState, parse_enum
from gql.api.inputs.bgp_peer import CreateBgpPeerInput, DeleteBgpPeerInput
from gql.api.inputs.connection import (
    AllocateConnectionOnInterconnectInput,
    AllocateHostedConnectionInput,
    AssociateHostedConnectionInput,
    ConfirmConnectionInput,
    ConnectionPayload,
    ConnectionStatePayload,
    CreateConnectionInput,
    DeleteConnectionInput,
)
from gql.api.inputs.direct_connect_gateway import (
    CreateDirectConnectGatewayAssociationInput,
    CreateDirectConnectGatewayInput,
    DeleteDirectConnectGatewayAssociationInput,
    DeleteDirectConnectGatewayInput,
    DirectConnectGatewayAssociationPayload,
    DirectConnectGatewayPayload,
)
from gql.api.inputs.interconnect import (
    CreateInterconnectInput,
    DeleteInterconnectInput,
    InterconnectPayload,
    InterconnectStatePayload,
)
from gql.api.inputs.lag import (
    AssociateConnectionWithLagInput,
    CreateLagInput,
    DeleteLagInput,
    DisassociateConnectionFromLagInput,
    LagMembershipPayload,
    LagPayload,
    UpdateLagInput,
)
from gql.api.inputs.tag import ResourceTagsPayload, TagResourceInput, UntagResourceInput
from gql.api.inputs.virtual_interface import (
    AllocatePrivateVirtualInterfaceInput,
    AllocatePublicVirtualInterfaceInput,
    AssociateVirtualInterfaceInput,
    ConfirmPrivateVirtualInterfaceInput,
    ConfirmPublicVirtualInterfaceInput,
    CreatePrivateVirtualInterfaceInput,
    CreatePublicVirtualInterfaceInput,
    DeleteVirtualInterfaceInput,
    UpdateVirtualInterfaceAttributesInput,
    VirtualInterfacePayload,
    VirtualInterfaceStatePayload,
)
from gql.api.interconnect import Interconnect
from gql.api.lag import Lag
from gql.api.permissions import CanWrite
from gql.api.tag import Tag
from gql.api.virtual_interface import VirtualInterface
from resolvers import links, writes
from resolvers.context import Info
from resolvers.data.plan import reads
from resolvers.writes import RegionalInput


class _LagMembershipInput(RegionalInput, Protocol):
    @property
    def lag_id(self) -> str: ...


class _VirtualInterfaceByIdInput(RegionalInput, Protocol):
    @property
    def virtual_interface_id(self) -> str: ...


async def _connection(info: Info, input: RegionalInput, operation: str) -> ConnectionPayload:
    raw, region = await writes.regional(info, input, operation)
    return ConnectionPayload(connection=DxConnection.from_aws(raw, region))


async def _lag(info: Info, input: RegionalInput, operation: str) -> LagPayload:
    raw, region = await writes.regional(info, input, operation)
    return LagPayload(lag=Lag.from_aws(raw, region))


async def _lag_membership(
    info: Info, input: _LagMembershipInput, operation: str
) -> LagMembershipPayload:
    raw, region = await writes.regional(info, input, operation)
    return LagMembershipPayload(
        connection=DxConnection.from_aws(raw, region), lag_id=input.lag_id, region=region
    )


async def _virtual_interface(
    info: Info, input: RegionalInput, operation: str
) -> VirtualInterfacePayload:
    raw, region = await writes.regional(info, input, operation)
    return VirtualInterfacePayload(virtual_interface=VirtualInterface.from_aws(raw, region))


async def _virtual_interface_state(
    info: Info, input: _VirtualInterfaceByIdInput, operation: str
) -> VirtualInterfaceStatePayload:
    """A write AWS answers with the VIF's new state only: the VIF comes read afresh."""
    raw, region = await writes.regional(info, input, operation)
    fresh = await links.find(info, "virtual_interfaces", input.virtual_interface_id, region)
    return VirtualInterfaceStatePayload(
        virtual_interface_state=parse_enum(VirtualInterfaceState, raw.get("virtualInterfaceState")),
        virtual_interface=VirtualInterface.from_aws(fresh, region) if fresh else None,
    )


@strawberry.type(
    description=(
        "Change Direct Connect: one mutation per write operation, named after it. Inputs are "
        "checked before anything is sent; send an `Idempotency-Key` header to make retries safe."
    )
)
class Mutation:
    @strawberry.mutation(
        permission_classes=[CanWrite],
        description="CreateConnection: a dedicated connection at a location (state requested).",
        metadata=reads(write=True),
    )
    async def create_connection(
        self, info: Info, input: CreateConnectionInput
    ) -> ConnectionPayload:
        return await _connection(info, input, "create_connection")

    @strawberry.mutation(
        permission_classes=[CanWrite],
        description=(
            "DeleteConnection. A hosted connection still `ordering` that its owner deletes is "
            "`rejected` (declined)."
        ),
        metadata=reads(write=True),
    )
    async def delete_connection(
        self, info: Info, input: DeleteConnectionInput
    ) -> ConnectionPayload:
        return await _connection(info, input, "delete_connection")

    @strawberry.mutation(
        permission_classes=[CanWrite],
        description="ConfirmConnection: accept a hosted connection (`ordering` → `pending`).",
        metadata=reads(write=True, fresh="connections"),
    )
    async def confirm_connection(
        self, info: Info, input: ConfirmConnectionInput
    ) -> ConnectionStatePayload:
        raw, region = await writes.regional(info, input, "confirm_connection")
        fresh = await links.find(info, "connections", input.connection_id, region)
        return ConnectionStatePayload(
            connection_state=parse_enum(ConnectionState, raw.get("connectionState")),
            connection=DxConnection.from_aws(fresh, region) if fresh else None,
        )

    @strawberry.mutation(
        permission_classes=[CanWrite],
        description=(
            "AllocateHostedConnection (partners): a hosted connection of 50-500Mbps on your "
            "interconnect or LAG for a customer account, `ordering` until the customer confirms "
            "it. The VLAN must be free on the interconnect or LAG."
        ),
        metadata=reads(write=True),
    )
    async def allocate_hosted_connection(
        self, info: Info, input: AllocateHostedConnectionInput
    ) -> ConnectionPayload:
        return await _connection(info, input, "allocate_hosted_connection")

    @strawberry.mutation(
        permission_classes=[CanWrite],
        description=(
            "AllocateConnectionOnInterconnect (deprecated, partners): a hosted connection on an "
            "interconnect only; same rules as allocateHostedConnection."
        ),
        deprecation_reason="Use allocateHostedConnection",
        metadata=reads(write=True),
    )
    async def allocate_connection_on_interconnect(
        self, info: Info, input: AllocateConnectionOnInterconnectInput
    ) -> ConnectionPayload:
        return await _connection(info, input, "allocate_connection_on_interconnect")

    @strawberry.mutation(
        permission_classes=[CanWrite],
        description=(
            "AssociateHostedConnection (partners): move a hosted connection and its virtual "
            "interfaces to another of your interconnects or LAGs; fails on a conflicting VLAN or "
            "IP address there (connectivity is briefly interrupted)."
        ),
        metadata=reads(write=True),
    )
    async def associate_hosted_connection(
        self, info: Info, input: AssociateHostedConnectionInput
    ) -> ConnectionPayload:
        return await _connection(info, input, "associate_hosted_connection")

    @strawberry.mutation(
        permission_classes=[CanWrite],
        description=(
            "CreateInterconnect (partners): a 1Gbps or 10Gbps port that can host connections "
            "(state requested); with lagId it joins that LAG on the LAG's endpoint."
        ),
        metadata=reads(write=True),
    )
    async def create_interconnect(
        self, info: Info, input: CreateInterconnectInput
    ) -> InterconnectPayload:
        raw, region = await writes.regional(info, input, "create_interconnect")
        return InterconnectPayload(interconnect=Interconnect.from_aws(raw, region))

    @strawberry.mutation(
        permission_classes=[CanWrite],
        description=(
            "DeleteInterconnect (partners): AWS answers only the new state, returned with the "
            "interconnect read afresh. Refused while hosted connections ride on it."
        ),
        metadata=reads(write=True, fresh="interconnects"),
    )
    async def delete_interconnect(
        self, info: Info, input: DeleteInterconnectInput
    ) -> InterconnectStatePayload:
        raw, region = await writes.regional(info, input, "delete_interconnect")
        fresh = await links.find(info, "interconnects", input.interconnect_id, region)
        return InterconnectStatePayload(
            interconnect_state=parse_enum(InterconnectState, raw.get("interconnectState")),
            interconnect=Interconnect.from_aws(fresh, region) if fresh else None,
        )

    @strawberry.mutation(
        permission_classes=[CanWrite],
        description=(
            "CreateLag: 1-10 connections of 1Gbps or 10Gbps at one location bundled as one (state"
            " requested); connectionId migrates an existing connection into it."
        ),
        metadata=reads(write=True),
    )
    async def create_lag(self, info: Info, input: CreateLagInput) -> LagPayload:
        return await _lag(info, input, "create_lag")

    @strawberry.mutation(
        permission_classes=[CanWrite],
        description=(
            "UpdateLag: change the name and/or minimumLinks (0-10) only; a minimumLinks above the"
            " operational connections takes the LAG down."
        ),
        metadata=reads(write=True),
    )
    async def update_lag(self, info: Info, input: UpdateLagInput) -> LagPayload:
        return await _lag(info, input, "update_lag")

    @strawberry.mutation(
        permission_classes=[CanWrite],
        description=(
            "DeleteLag: refused while the LAG has active virtual interfaces or hosted connections."
        ),
        metadata=reads(write=True),
    )
    async def delete_lag(self, info: Info, input: DeleteLagInput) -> LagPayload:
        return await _lag(info, input, "delete_lag")

    @strawberry.mutation(
        permission_classes=[CanWrite],
        description=(
            "AssociateConnectionWithLag: a connection or interconnect joins a LAG (same endpoint,"
            " same bandwidth); its virtual interfaces move to the LAG."
        ),
        metadata=reads(write=True),
    )
    async def associate_connection_with_lag(
        self, info: Info, input: AssociateConnectionWithLagInput
    ) -> LagMembershipPayload:
        return await _lag_membership(info, input, "associate_connection_with_lag")

    @strawberry.mutation(
        permission_classes=[CanWrite],
        description=(
            "DisassociateConnectionFromLag: a member becomes standalone (a partner's becomes an "
            "interconnect); refused if the LAG would fall below minimumLinks, unless it is the "
            "last member."
        ),
        metadata=reads(write=True),
    )
    async def disassociate_connection_from_lag(
        self, info: Info, input: DisassociateConnectionFromLagInput
    ) -> LagMembershipPayload:
        return await _lag_membership(info, input, "disassociate_connection_from_lag")

    @strawberry.mutation(
        permission_classes=[CanWrite],
        description=(
            "AllocatePrivateVirtualInterface: a private VIF on your connection or LAG for another"
            " account (not your own), `confirming` until the owner confirms it."
        ),
        metadata=reads(write=True),
    )
    async def allocate_private_virtual_interface(
        self, info: Info, input: AllocatePrivateVirtualInterfaceInput
    ) -> VirtualInterfacePayload:
        return await _virtual_interface(info, input, "allocate_private_virtual_interface")

    @strawberry.mutation(
        permission_classes=[CanWrite],
        description=(
            "AllocatePublicVirtualInterface: a public VIF on your connection or LAG for another "
            "account (not your own), `confirming` until the owner confirms it."
        ),
        metadata=reads(write=True),
    )
    async def allocate_public_virtual_interface(
        self, info: Info, input: AllocatePublicVirtualInterfaceInput
    ) -> VirtualInterfacePayload:
        return await _virtual_interface(info, input, "allocate_public_virtual_interface")

    @strawberry.mutation(
        permission_classes=[CanWrite],
        description=(
            "AssociateVirtualInterface: move a VIF to another connection or LAG; fails on a "
            "conflicting VLAN or IP address there."
        ),
        metadata=reads(write=True),
    )
    async def associate_virtual_interface(
        self, info: Info, input: AssociateVirtualInterfaceInput
    ) -> VirtualInterfacePayload:
        return await _virtual_interface(info, input, "associate_virtual_interface")

    @strawberry.mutation(
        permission_classes=[CanWrite],
        description=(
            "ConfirmPrivateVirtualInterface: accept a private VIF allocated to you (`confirming` "
            "→ `pending`), attached to at most one virtual private or Direct Connect gateway."
        ),
        metadata=reads(write=True, fresh="virtual_interfaces"),
    )
    async def confirm_private_virtual_interface(
        self, info: Info, input: ConfirmPrivateVirtualInterfaceInput
    ) -> VirtualInterfaceStatePayload:
        return await _virtual_interface_state(info, input, "confirm_private_virtual_interface")

    @strawberry.mutation(
        permission_classes=[CanWrite],
        description=(
            "ConfirmPublicVirtualInterface: accept a public VIF allocated to you (`confirming` → "
            "`verifying`)."
        ),
        metadata=reads(write=True, fresh="virtual_interfaces"),
    )
    async def confirm_public_virtual_interface(
        self, info: Info, input: ConfirmPublicVirtualInterfaceInput
    ) -> VirtualInterfaceStatePayload:
        return await _virtual_interface_state(info, input, "confirm_public_virtual_interface")

    @strawberry.mutation(
        permission_classes=[CanWrite],
        description=(
            "CreatePrivateVirtualInterface: a private VIF to exactly one of a virtual private "
            "gateway or a Direct Connect gateway."
        ),
        metadata=reads(write=True),
    )
    async def create_private_virtual_interface(
        self, info: Info, input: CreatePrivateVirtualInterfaceInput
    ) -> VirtualInterfacePayload:
        return await _virtual_interface(info, input, "create_private_virtual_interface")

    @strawberry.mutation(
        permission_classes=[CanWrite],
        description=(
            "CreatePublicVirtualInterface: a public VIF (state `verifying`); IPv4 needs both peer"
            " addresses, IPv6 takes none."
        ),
        metadata=reads(write=True),
    )
    async def create_public_virtual_interface(
        self, info: Info, input: CreatePublicVirtualInterfaceInput
    ) -> VirtualInterfacePayload:
        return await _virtual_interface(info, input, "create_public_virtual_interface")

    @strawberry.mutation(
        permission_classes=[CanWrite],
        description=(
            "DeleteVirtualInterface (`deleting`). The owner deleting a VIF still `confirming` "
            "declines it (`rejected`)."
        ),
        metadata=reads(write=True, fresh="virtual_interfaces"),
    )
    async def delete_virtual_interface(
        self, info: Info, input: DeleteVirtualInterfaceInput
    ) -> VirtualInterfaceStatePayload:
        return await _virtual_interface_state(info, input, "delete_virtual_interface")

    @strawberry.mutation(
        permission_classes=[CanWrite],
        description=(
            "UpdateVirtualInterfaceAttributes: the MTU (1500 or 9001) of a private VIF; 9001 may "
            "briefly interrupt every VIF on the connection."
        ),
        metadata=reads(write=True),
    )
    async def update_virtual_interface_attributes(
        self, info: Info, input: UpdateVirtualInterfaceAttributesInput
    ) -> VirtualInterfacePayload:
        return await _virtual_interface(info, input, "update_virtual_interface_attributes")

    @strawberry.mutation(
        permission_classes=[CanWrite],
        description=(
            "CreateBGPPeer: another BGP peer on a VIF (IPv6 peers take no addresses); returns the"
            " VIF with all its peers."
        ),
        metadata=reads(write=True),
    )
    async def create_bgp_peer(
        self, info: Info, input: CreateBgpPeerInput
    ) -> VirtualInterfacePayload:
        raw, region = await writes.regional(info, input, "create_bgp_peer")
        return VirtualInterfacePayload(
            virtual_interface=VirtualInterface.from_aws(raw["virtualInterface"], region)
        )

    @strawberry.mutation(
        permission_classes=[CanWrite],
        description=(
            "DeleteBGPPeer by bgpPeerId, or by virtualInterfaceId + asn + customerAddress; never "
            "the last peer. Returns the VIF with all its peers."
        ),
        metadata=reads(write=True),
    )
    async def delete_bgp_peer(
        self, info: Info, input: DeleteBgpPeerInput
    ) -> VirtualInterfacePayload:
        raw, region = await writes.regional(info, input, "delete_bgp_peer")
        return VirtualInterfacePayload(
            virtual_interface=VirtualInterface.from_aws(raw["virtualInterface"], region)
        )

    @strawberry.mutation(
        permission_classes=[CanWrite],
        description=(
            "CreateDirectConnectGateway: a global gateway (state pending). amazonSideAsn must be "
            "in 64512-65534 or 4200000000-4294967294; 64512 when omitted."
        ),
        metadata=reads(write=True),
    )
    async def create_direct_connect_gateway(
        self, info: Info, input: CreateDirectConnectGatewayInput
    ) -> DirectConnectGatewayPayload:
        raw = await writes.write(info, input, "create_direct_connect_gateway")
        return DirectConnectGatewayPayload(
            direct_connect_gateway=DirectConnectGateway.from_aws(raw["directConnectGateway"])
        )

    @strawberry.mutation(
        permission_classes=[CanWrite],
        description=(
            "DeleteDirectConnectGateway (state deleting). Delete the attached virtual interfaces "
            "and disassociate every virtual private gateway first."
        ),
        metadata=reads(write=True),
    )
    async def delete_direct_connect_gateway(
        self, info: Info, input: DeleteDirectConnectGatewayInput
    ) -> DirectConnectGatewayPayload:
        raw = await writes.write(info, input, "delete_direct_connect_gateway")
        return DirectConnectGatewayPayload(
            direct_connect_gateway=DirectConnectGateway.from_aws(raw["directConnectGateway"])
        )

    @strawberry.mutation(
        permission_classes=[CanWrite],
        description=(
            "CreateDirectConnectGatewayAssociation (state associating), signed for the virtual "
            "private gateway's Region. The VGW must be attached to a VPC and not associated with "
            "another Direct Connect gateway."
        ),
        metadata=reads(write=True),
    )
    async def create_direct_connect_gateway_association(
        self, info: Info, input: CreateDirectConnectGatewayAssociationInput
    ) -> DirectConnectGatewayAssociationPayload:
        raw, _ = await writes.regional(info, input, "create_direct_connect_gateway_association")
        return DirectConnectGatewayAssociationPayload(
            direct_connect_gateway_association=DirectConnectGatewayAssociation.from_aws(
                raw["directConnectGatewayAssociation"]
            )
        )

    @strawberry.mutation(
        permission_classes=[CanWrite],
        description=(
            "DeleteDirectConnectGatewayAssociation: disassociate a virtual private gateway from a"
            " Direct Connect gateway (state disassociating)."
        ),
        metadata=reads(write=True),
    )
    async def delete_direct_connect_gateway_association(
        self, info: Info, input: DeleteDirectConnectGatewayAssociationInput
    ) -> DirectConnectGatewayAssociationPayload:
        raw, _ = await writes.regional(info, input, "delete_direct_connect_gateway_association")
        return DirectConnectGatewayAssociationPayload(
            direct_connect_gateway_association=DirectConnectGatewayAssociation.from_aws(
                raw["directConnectGatewayAssociation"]
            )
        )

    @strawberry.mutation(
        permission_classes=[CanWrite],
        description=(
            "TagResource: add tags, or update the value of a key the resource has. At most 50 "
            "tags per resource; keys 1-128 and values 0-256 characters, each key once."
        ),
        metadata=reads(write=True, fresh="tags"),
    )
    async def tag_resource(self, info: Info, input: TagResourceInput) -> ResourceTagsPayload:
        tags = await writes.tag_write(info, input, "tag_resource", input.resource_arn)
        return ResourceTagsPayload(
            resource_arn=input.resource_arn, tags=[Tag.from_aws(t) for t in tags]
        )

    @strawberry.mutation(
        permission_classes=[CanWrite],
        description="UntagResource: remove tags from a resource by key (at least one key).",
        metadata=reads(write=True, fresh="tags"),
    )
    async def untag_resource(self, info: Info, input: UntagResourceInput) -> ResourceTagsPayload:
        tags = await writes.tag_write(info, input, "untag_resource", input.resource_arn)
        return ResourceTagsPayload(
            resource_arn=input.resource_arn, tags=[Tag.from_aws(t) for t in tags]
        )

"""Mutations on virtual interfaces and BGP peers."""

from __future__ import annotations

import strawberry

from gql.inputs.virtual_interface import VirtualInterfacePayload, VirtualInterfaceStatePayload
from resolvers import bgp_peers, virtual_interfaces


@strawberry.type
class VirtualInterfaceMutations:
    allocate_private_virtual_interface: VirtualInterfacePayload = strawberry.mutation(
        resolver=virtual_interfaces.allocate_private_virtual_interface,
        description=(
            "AllocatePrivateVirtualInterface: a private VIF on your connection or LAG for another "
            "account (not your own), `confirming` until the owner confirms it."
        ),
    )
    allocate_public_virtual_interface: VirtualInterfacePayload = strawberry.mutation(
        resolver=virtual_interfaces.allocate_public_virtual_interface,
        description=(
            "AllocatePublicVirtualInterface: a public VIF on your connection or LAG for another "
            "account (not your own), `confirming` until the owner confirms it."
        ),
    )
    associate_virtual_interface: VirtualInterfacePayload = strawberry.mutation(
        resolver=virtual_interfaces.associate_virtual_interface,
        description=(
            "AssociateVirtualInterface: move a VIF to another connection or LAG; fails on a "
            "conflicting VLAN or IP address there."
        ),
    )
    confirm_private_virtual_interface: VirtualInterfaceStatePayload = strawberry.mutation(
        resolver=virtual_interfaces.confirm_private_virtual_interface,
        description=(
            "ConfirmPrivateVirtualInterface: accept a private VIF allocated to you (`confirming` "
            "→ `pending`), attached to at most one virtual private or Direct Connect gateway."
        ),
    )
    confirm_public_virtual_interface: VirtualInterfaceStatePayload = strawberry.mutation(
        resolver=virtual_interfaces.confirm_public_virtual_interface,
        description=(
            "ConfirmPublicVirtualInterface: accept a public VIF allocated to you (`confirming` → "
            "`verifying`)."
        ),
    )
    create_private_virtual_interface: VirtualInterfacePayload = strawberry.mutation(
        resolver=virtual_interfaces.create_private_virtual_interface,
        description=(
            "CreatePrivateVirtualInterface: a private VIF to exactly one of a virtual private "
            "gateway or a Direct Connect gateway."
        ),
    )
    create_public_virtual_interface: VirtualInterfacePayload = strawberry.mutation(
        resolver=virtual_interfaces.create_public_virtual_interface,
        description=(
            "CreatePublicVirtualInterface: a public VIF (state `verifying`); IPv4 needs both peer "
            "addresses, IPv6 takes none."
        ),
    )
    delete_virtual_interface: VirtualInterfaceStatePayload = strawberry.mutation(
        resolver=virtual_interfaces.delete_virtual_interface,
        description=(
            "DeleteVirtualInterface (`deleting`). The owner deleting a VIF still `confirming` "
            "declines it (`rejected`)."
        ),
    )
    update_virtual_interface_attributes: VirtualInterfacePayload = strawberry.mutation(
        resolver=virtual_interfaces.update_virtual_interface_attributes,
        description=(
            "UpdateVirtualInterfaceAttributes: the MTU (1500 or 9001) of a private VIF; 9001 may "
            "briefly interrupt every VIF on the connection."
        ),
    )
    create_bgp_peer: VirtualInterfacePayload = strawberry.mutation(
        resolver=bgp_peers.create_bgp_peer,
        description=(
            "CreateBGPPeer: another BGP peer on a VIF (IPv6 peers take no addresses); returns the "
            "VIF with all its peers."
        ),
    )
    delete_bgp_peer: VirtualInterfacePayload = strawberry.mutation(
        resolver=bgp_peers.delete_bgp_peer,
        description=(
            "DeleteBGPPeer by bgpPeerId, or by virtualInterfaceId + asn + customerAddress; never "
            "the last peer. Returns the VIF with all its peers."
        ),
    )

"""BGP peer mutations: both answer with the virtual interface, so the client sees all its peers."""

from __future__ import annotations

from gql.context import Info
from gql.inputs.bgp_peer import CreateBgpPeerInput, DeleteBgpPeerInput
from gql.inputs.virtual_interface import VirtualInterfacePayload
from gql.types.virtual_interface import VirtualInterface
from resolvers.writes import region_for, write


async def create_bgp_peer(info: Info, input: CreateBgpPeerInput) -> VirtualInterfacePayload:
    region = region_for(info, input.region)
    raw = await write(info, input, "create_bgp_peer", region)
    return VirtualInterfacePayload(
        virtual_interface=VirtualInterface.from_aws(raw["virtualInterface"], region)
    )


async def delete_bgp_peer(info: Info, input: DeleteBgpPeerInput) -> VirtualInterfacePayload:
    region = region_for(info, input.region)
    raw = await write(info, input, "delete_bgp_peer", region)
    return VirtualInterfacePayload(
        virtual_interface=VirtualInterface.from_aws(raw["virtualInterface"], region)
    )

"""Virtual interfaces: top-level reads and the virtual interface mutations."""

from __future__ import annotations

from typing import Any

from gql.context import Info
from gql.enums import VirtualInterfaceState, parse_enum
from gql.inputs.virtual_interface import (
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
from gql.types.common import regional_arn
from gql.types.virtual_interface import VirtualInterface
from resolvers.filters import Fields
from resolvers.listing import get_resolver, list_resolver
from resolvers.writes import WriteInput, region_for, write


def _arn(item: dict[str, Any], account: str) -> str:
    owner = item.get("ownerAccount") or account
    return regional_arn(item["region"], owner, item["virtualInterfaceId"])


list_virtual_interfaces = list_resolver(
    "virtual_interfaces",
    VirtualInterface,
    VirtualInterfaceState,
    Fields(state="virtualInterfaceState", name="virtualInterfaceName"),
    _arn,
)
get_virtual_interface = get_resolver(
    "virtual_interfaces", VirtualInterface, "virtualInterfaceId", "dxvif-…"
)


# -- mutations ------------------------------------------------------------------------------------
async def _vif_payload(
    info: Info, input: WriteInput, operation: str, region: str | None
) -> VirtualInterfacePayload:
    """Runs a write whose answer is the bare VirtualInterface."""
    where = region_for(info, region)
    raw = await write(info, input, operation, where)
    return VirtualInterfacePayload(virtual_interface=VirtualInterface.from_aws(raw, where))


async def _state_payload(
    info: Info, input: WriteInput, operation: str, vif_id: str, region: str | None
) -> VirtualInterfaceStatePayload:
    """Runs a write whose answer is only `virtualInterfaceState`; adds the VIF read afresh."""
    where = region_for(info, region)
    raw = await write(info, input, operation, where)
    fresh = await info.context.loaders.find("virtual_interfaces", vif_id, where)
    return VirtualInterfaceStatePayload(
        virtual_interface_state=parse_enum(VirtualInterfaceState, raw.get("virtualInterfaceState")),
        virtual_interface=VirtualInterface.from_aws(fresh, where) if fresh else None,
    )


async def create_private_virtual_interface(
    info: Info, input: CreatePrivateVirtualInterfaceInput
) -> VirtualInterfacePayload:
    return await _vif_payload(info, input, "create_private_virtual_interface", input.region)


async def create_public_virtual_interface(
    info: Info, input: CreatePublicVirtualInterfaceInput
) -> VirtualInterfacePayload:
    return await _vif_payload(info, input, "create_public_virtual_interface", input.region)


async def allocate_private_virtual_interface(
    info: Info, input: AllocatePrivateVirtualInterfaceInput
) -> VirtualInterfacePayload:
    return await _vif_payload(info, input, "allocate_private_virtual_interface", input.region)


async def allocate_public_virtual_interface(
    info: Info, input: AllocatePublicVirtualInterfaceInput
) -> VirtualInterfacePayload:
    return await _vif_payload(info, input, "allocate_public_virtual_interface", input.region)


async def associate_virtual_interface(
    info: Info, input: AssociateVirtualInterfaceInput
) -> VirtualInterfacePayload:
    return await _vif_payload(info, input, "associate_virtual_interface", input.region)


async def update_virtual_interface_attributes(
    info: Info, input: UpdateVirtualInterfaceAttributesInput
) -> VirtualInterfacePayload:
    return await _vif_payload(info, input, "update_virtual_interface_attributes", input.region)


async def confirm_private_virtual_interface(
    info: Info, input: ConfirmPrivateVirtualInterfaceInput
) -> VirtualInterfaceStatePayload:
    return await _state_payload(
        info, input, "confirm_private_virtual_interface", input.virtual_interface_id, input.region
    )


async def confirm_public_virtual_interface(
    info: Info, input: ConfirmPublicVirtualInterfaceInput
) -> VirtualInterfaceStatePayload:
    return await _state_payload(
        info, input, "confirm_public_virtual_interface", input.virtual_interface_id, input.region
    )


async def delete_virtual_interface(
    info: Info, input: DeleteVirtualInterfaceInput
) -> VirtualInterfaceStatePayload:
    return await _state_payload(
        info, input, "delete_virtual_interface", input.virtual_interface_id, input.region
    )

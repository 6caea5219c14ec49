"""Inputs and payloads of the virtual interface mutations.

A BGP `authKey` is a secret, so inputs that carry one (the New*VirtualInterface objects and the
inputs holding them, and `NewBGPPeer`) declare every field nullable and check the required ones in
`validate()`: GraphQL's own error for a missing required field prints the whole input object,
which would put the key into the error message. Our checks never echo the key.
"""

from __future__ import annotations

from typing import Any

import strawberry

from gql.api.enums import VirtualInterfaceState
from gql.api.inputs.connection import REGION_DESCRIPTION
from gql.api.virtual_interface import VirtualInterface
from resolvers.validation import MTU_VALUES, Checks

__all__ = [
    "AllocatePrivateVirtualInterfaceInput",
    "AllocatePublicVirtualInterfaceInput",
    "AssociateVirtualInterfaceInput",
    "ConfirmPrivateVirtualInterfaceInput",
    "ConfirmPublicVirtualInterfaceInput",
    "CreatePrivateVirtualInterfaceInput",
    "CreatePublicVirtualInterfaceInput",
    "DeleteVirtualInterfaceInput",
    "NewPrivateVirtualInterface",
    "NewPrivateVirtualInterfaceAllocation",
    "NewPublicVirtualInterface",
    "NewPublicVirtualInterfaceAllocation",
    "RouteFilterPrefixInput",
    "UpdateVirtualInterfaceAttributesInput",
    "VirtualInterfacePayload",
    "VirtualInterfaceStatePayload",
    "check_auth_key",
    "check_peer_addresses",
]

from gql.api.inputs.new_virtual_interface import (
    CONNECTION_DESCRIPTION,
    DXGW_DESCRIPTION,
    MTU_DESCRIPTION,
    OWNER_DESCRIPTION,
    VGW_DESCRIPTION,
    VIF_ID_DESCRIPTION,
    NewPrivateVirtualInterface,
    NewPrivateVirtualInterfaceAllocation,
    NewPublicVirtualInterface,
    NewPublicVirtualInterfaceAllocation,
    RouteFilterPrefixInput,
    check_auth_key,
    check_one_gateway,
    check_peer_addresses,
)


# -- mutation inputs ------------------------------------------------------------------------------
def _check_request(
    checks: Checks, connection_id: str | None, spec_name: str, spec: Any, *owner: str | None
) -> None:
    """The checks shared by create/allocate: the carrier ID, the owner (allocate only), the spec."""
    if checks.required("connectionId", connection_id):
        checks.aws_id("connectionId", connection_id, "dxcon", "dxlag")
    for owner_account in owner:
        if checks.required("ownerAccount", owner_account):
            checks.account("ownerAccount", owner_account)
    if checks.required(spec_name, spec) and spec is not None:
        spec.validate(checks.nested(spec_name))


def _request_params(
    connection_id: str | None, spec_name: str, spec: Any, *owner: str | None
) -> dict[str, Any]:
    assert spec is not None  # validate() ran first
    params: dict[str, Any] = {"connectionId": connection_id}
    for owner_account in owner:
        params["ownerAccount"] = owner_account
    params[spec_name] = spec.to_aws()
    return params


@strawberry.input(
    description=(
        "CreatePrivateVirtualInterface: a private VIF on a connection or LAG, to a virtual "
        "private gateway or a Direct Connect gateway."
    )
)
class CreatePrivateVirtualInterfaceInput:
    connection_id: str | None = strawberry.field(default=None, description=CONNECTION_DESCRIPTION)
    new_private_virtual_interface: NewPrivateVirtualInterface | None = strawberry.field(
        default=None, description="Required. Information about the private virtual interface."
    )
    region: str | None = strawberry.field(default=None, description=REGION_DESCRIPTION)

    def validate(self, checks: Checks) -> None:
        _check_request(
            checks,
            self.connection_id,
            "newPrivateVirtualInterface",
            self.new_private_virtual_interface,
        )

    def to_aws(self) -> dict[str, Any]:
        return _request_params(
            self.connection_id, "newPrivateVirtualInterface", self.new_private_virtual_interface
        )


@strawberry.input(
    description="CreatePublicVirtualInterface: a public VIF (AWS public services) on a connection."
)
class CreatePublicVirtualInterfaceInput:
    connection_id: str | None = strawberry.field(default=None, description=CONNECTION_DESCRIPTION)
    new_public_virtual_interface: NewPublicVirtualInterface | None = strawberry.field(
        default=None, description="Required. Information about the public virtual interface."
    )
    region: str | None = strawberry.field(default=None, description=REGION_DESCRIPTION)

    def validate(self, checks: Checks) -> None:
        _check_request(
            checks,
            self.connection_id,
            "newPublicVirtualInterface",
            self.new_public_virtual_interface,
        )

    def to_aws(self) -> dict[str, Any]:
        return _request_params(
            self.connection_id, "newPublicVirtualInterface", self.new_public_virtual_interface
        )


@strawberry.input(
    description=(
        "AllocatePrivateVirtualInterface: a private VIF on your connection for another account, "
        "`confirming` until its owner confirms it."
    )
)
class AllocatePrivateVirtualInterfaceInput:
    connection_id: str | None = strawberry.field(default=None, description=CONNECTION_DESCRIPTION)
    owner_account: str | None = strawberry.field(default=None, description=OWNER_DESCRIPTION)
    new_private_virtual_interface_allocation: NewPrivateVirtualInterfaceAllocation | None = (
        strawberry.field(
            default=None,
            description="Required. Information about the private virtual interface.",
        )
    )
    region: str | None = strawberry.field(default=None, description=REGION_DESCRIPTION)

    def validate(self, checks: Checks) -> None:
        _check_request(
            checks,
            self.connection_id,
            "newPrivateVirtualInterfaceAllocation",
            self.new_private_virtual_interface_allocation,
            self.owner_account,
        )

    def to_aws(self) -> dict[str, Any]:
        return _request_params(
            self.connection_id,
            "newPrivateVirtualInterfaceAllocation",
            self.new_private_virtual_interface_allocation,
            self.owner_account,
        )


@strawberry.input(
    description=(
        "AllocatePublicVirtualInterface: a public VIF on your connection for another account, "
        "`confirming` until its owner confirms it."
    )
)
class AllocatePublicVirtualInterfaceInput:
    connection_id: str | None = strawberry.field(default=None, description=CONNECTION_DESCRIPTION)
    owner_account: str | None = strawberry.field(default=None, description=OWNER_DESCRIPTION)
    new_public_virtual_interface_allocation: NewPublicVirtualInterfaceAllocation | None = (
        strawberry.field(
            default=None,
            description="Required. Information about the public virtual interface.",
        )
    )
    region: str | None = strawberry.field(default=None, description=REGION_DESCRIPTION)

    def validate(self, checks: Checks) -> None:
        _check_request(
            checks,
            self.connection_id,
            "newPublicVirtualInterfaceAllocation",
            self.new_public_virtual_interface_allocation,
            self.owner_account,
        )

    def to_aws(self) -> dict[str, Any]:
        return _request_params(
            self.connection_id,
            "newPublicVirtualInterfaceAllocation",
            self.new_public_virtual_interface_allocation,
            self.owner_account,
        )


@strawberry.input(
    description=(
        "AssociateVirtualInterface: move a virtual interface to another connection or LAG "
        "(connectivity is briefly interrupted)."
    )
)
class AssociateVirtualInterfaceInput:
    virtual_interface_id: str = strawberry.field(description=VIF_ID_DESCRIPTION)
    connection_id: str = strawberry.field(
        description="The ID of the LAG or connection (dxlag-… or dxcon-…)."
    )
    region: str | None = strawberry.field(default=None, description=REGION_DESCRIPTION)

    def validate(self, checks: Checks) -> None:
        checks.aws_id("virtualInterfaceId", self.virtual_interface_id, "dxvif")
        checks.aws_id("connectionId", self.connection_id, "dxcon", "dxlag")

    def to_aws(self) -> dict[str, Any]:
        return {"virtualInterfaceId": self.virtual_interface_id, "connectionId": self.connection_id}


@strawberry.input(description="A virtual interface by its ID (DeleteVirtualInterface).")
class DeleteVirtualInterfaceInput:
    virtual_interface_id: str = strawberry.field(description=VIF_ID_DESCRIPTION)
    region: str | None = strawberry.field(default=None, description=REGION_DESCRIPTION)

    def validate(self, checks: Checks) -> None:
        checks.aws_id("virtualInterfaceId", self.virtual_interface_id, "dxvif")

    def to_aws(self) -> dict[str, Any]:
        return {"virtualInterfaceId": self.virtual_interface_id}


@strawberry.input(
    description="ConfirmPublicVirtualInterface: accept a public VIF allocated to your account."
)
class ConfirmPublicVirtualInterfaceInput(DeleteVirtualInterfaceInput):
    pass


@strawberry.input(
    description=(
        "ConfirmPrivateVirtualInterface: accept a private VIF allocated to your account, "
        "attaching it to a virtual private gateway or a Direct Connect gateway (at most one)."
    )
)
class ConfirmPrivateVirtualInterfaceInput:
    virtual_interface_id: str = strawberry.field(description=VIF_ID_DESCRIPTION)
    virtual_gateway_id: str | None = strawberry.field(default=None, description=VGW_DESCRIPTION)
    direct_connect_gateway_id: str | None = strawberry.field(
        default=None, description=DXGW_DESCRIPTION
    )
    region: str | None = strawberry.field(default=None, description=REGION_DESCRIPTION)

    def validate(self, checks: Checks) -> None:
        checks.aws_id("virtualInterfaceId", self.virtual_interface_id, "dxvif")
        check_one_gateway(checks, self.virtual_gateway_id, self.direct_connect_gateway_id)

    def to_aws(self) -> dict[str, Any]:
        params: dict[str, Any] = {"virtualInterfaceId": self.virtual_interface_id}
        if self.virtual_gateway_id is not None:
            params["virtualGatewayId"] = self.virtual_gateway_id
        if self.direct_connect_gateway_id is not None:
            params["directConnectGatewayId"] = self.direct_connect_gateway_id
        return params


@strawberry.input(
    description=(
        "UpdateVirtualInterfaceAttributes: the MTU of a private virtual interface. Setting 9001 "
        "(jumbo frames) may update the underlying connection, interrupting all of its virtual "
        "interfaces for up to 30 seconds."
    )
)
class UpdateVirtualInterfaceAttributesInput:
    virtual_interface_id: str = strawberry.field(
        description="The ID of the virtual private interface (dxvif-…)."
    )
    mtu: int | None = strawberry.field(default=None, description=MTU_DESCRIPTION)
    region: str | None = strawberry.field(default=None, description=REGION_DESCRIPTION)

    def validate(self, checks: Checks) -> None:
        checks.aws_id("virtualInterfaceId", self.virtual_interface_id, "dxvif")
        checks.one_of("mtu", self.mtu, MTU_VALUES)

    def to_aws(self) -> dict[str, Any]:
        params: dict[str, Any] = {"virtualInterfaceId": self.virtual_interface_id}
        if self.mtu is not None:
            params["mtu"] = self.mtu
        return params


# -- payloads ------------------------------------------------------------------------------------
@strawberry.type(description="The virtual interface a mutation created or changed.")
class VirtualInterfacePayload:
    virtual_interface: VirtualInterface = strawberry.field(
        description="The virtual interface, as AWS returned it (with all its BGP peers)."
    )


@strawberry.type(
    description="The new state of a virtual interface, and the virtual interface read afresh."
)
class VirtualInterfaceStatePayload:
    virtual_interface_state: VirtualInterfaceState | None = strawberry.field(
        description="The state AWS returned."
    )
    virtual_interface: VirtualInterface | None = strawberry.field(
        description="The virtual interface read after the change (null if no longer visible)."
    )

"""GraphQL enums for Direct Connect states and kinds; each value is the AWS wire string.

`ConnectionState.AVAILABLE.value == "available"`, so `parse_enum(ConnectionState, raw)` is the
whole conversion. AWS adds states over time (botocore already knows `unknown`, `testing`,
`updating`): a value this schema does not know maps to the enum's `UNKNOWN` member rather than
failing the whole query.
"""

from __future__ import annotations

from enum import Enum
from typing import TypeVar

import strawberry

E = TypeVar("E", bound=Enum)


def parse_enum(enum: type[E], value: str | None) -> E | None:
    """The member whose value is `value`; `UNKNOWN` for a value AWS added later; None for None."""
    if value is None:
        return None
    member: E | None = enum._value2member_map_.get(value)  # type: ignore[assignment]
    if member is not None:
        return member  # the common case, without Enum's slower lookup
    try:
        return enum(value)
    except ValueError:
        fallback: E | None = getattr(enum, "UNKNOWN", None)
        return fallback


@strawberry.enum(description="State of a connection (dedicated, LAG member or hosted).")
class ConnectionState(Enum):
    ORDERING = strawberry.enum_value(
        "ordering",
        description="Initial state of a hosted connection until the owner confirms or declines it.",
    )
    REQUESTED = strawberry.enum_value(
        "requested", description="Initial state of a standard connection until the LOA is sent."
    )
    PENDING = strawberry.enum_value("pending", description="Approved and being initialized.")
    AVAILABLE = strawberry.enum_value("available", description="Network link is up, ready.")
    DOWN = strawberry.enum_value("down", description="Network link is down.")
    DELETING = strawberry.enum_value("deleting", description="Being deleted.")
    DELETED = strawberry.enum_value("deleted", description="Deleted.")
    REJECTED = strawberry.enum_value(
        "rejected", description="A hosted connection in `ordering` deleted by the customer."
    )
    UNKNOWN = strawberry.enum_value("unknown", description="State not known.")


@strawberry.enum(description="State of an interconnect.")
class InterconnectState(Enum):
    REQUESTED = strawberry.enum_value(
        "requested", description="Initial state until the LOA is sent."
    )
    PENDING = strawberry.enum_value("pending", description="Approved and being initialized.")
    AVAILABLE = strawberry.enum_value("available", description="Network link is up, ready.")
    DOWN = strawberry.enum_value("down", description="Network link is down.")
    DELETING = strawberry.enum_value("deleting", description="Being deleted.")
    DELETED = strawberry.enum_value("deleted", description="Deleted.")
    UNKNOWN = strawberry.enum_value("unknown", description="State not known.")


@strawberry.enum(description="State of a link aggregation group (LAG).")
class LagState(Enum):
    REQUESTED = strawberry.enum_value(
        "requested", description="Initial state until the LOA is available."
    )
    PENDING = strawberry.enum_value("pending", description="Approved and being initialized.")
    AVAILABLE = strawberry.enum_value("available", description="Network link is established.")
    DOWN = strawberry.enum_value(
        "down", description="Network link is down (fewer operational links than minimumLinks)."
    )
    DELETING = strawberry.enum_value("deleting", description="Being deleted.")
    DELETED = strawberry.enum_value("deleted", description="Deleted.")
    UNKNOWN = strawberry.enum_value("unknown", description="State not known.")


@strawberry.enum(
    description=(
        "MACsec encryption mode of a connection, LAG or interconnect (UpdateConnection and "
        "UpdateLag set it)."
    )
)
class EncryptionMode(Enum):
    NO_ENCRYPT = strawberry.enum_value("no_encrypt", description="MACsec is not used.")
    SHOULD_ENCRYPT = strawberry.enum_value(
        "should_encrypt",
        description="Encrypts when a key is in place, else passes traffic unencrypted.",
    )
    MUST_ENCRYPT = strawberry.enum_value(
        "must_encrypt", description="Passes traffic only when it is encrypted."
    )
    UNKNOWN = strawberry.enum_value(
        "unknown", description="A mode this schema does not know (AWS has returned `unknown`)."
    )


@strawberry.enum(description="State of a MACsec secret key (CKN/CAK pair) on a port.")
class MacSecKeyState(Enum):
    ASSOCIATING = strawberry.enum_value(
        "associating", description="Being associated with the port."
    )
    ASSOCIATED = strawberry.enum_value(
        "associated", description="Associated with the port, ready to encrypt."
    )
    DISASSOCIATING = strawberry.enum_value(
        "disassociating", description="Being removed from the port."
    )
    DISASSOCIATED = strawberry.enum_value(
        "disassociated", description="No longer associated with the port."
    )
    UNKNOWN = strawberry.enum_value("unknown", description="A state this schema does not know.")


@strawberry.enum(description="Billing mode of a dedicated connection or LAG.")
class BillingMode(Enum):
    PAY_AS_YOU_GO = strawberry.enum_value(
        "PayAsYouGo", description="Port hours plus data transfer out."
    )
    FLAT_RATE_TIER1 = strawberry.enum_value("FlatRateTier1", description="Flat rate, tier 1.")
    FLAT_RATE_TIER2 = strawberry.enum_value("FlatRateTier2", description="Flat rate, tier 2.")
    FLAT_RATE_TIER3 = strawberry.enum_value("FlatRateTier3", description="Flat rate, tier 3.")
    FLAT_RATE_TIER4 = strawberry.enum_value("FlatRateTier4", description="Flat rate, tier 4.")
    FLAT_RATE_TIER5 = strawberry.enum_value("FlatRateTier5", description="Flat rate, tier 5.")
    PORT_PAIR_FLAT_RATE_TIER1 = strawberry.enum_value(
        "PortPairFlatRateTier1", description="Flat rate for a port pair, tier 1."
    )
    PORT_PAIR_FLAT_RATE_TIER2 = strawberry.enum_value(
        "PortPairFlatRateTier2", description="Flat rate for a port pair, tier 2."
    )
    PORT_PAIR_FLAT_RATE_TIER3 = strawberry.enum_value(
        "PortPairFlatRateTier3", description="Flat rate for a port pair, tier 3."
    )
    PORT_PAIR_FLAT_RATE_TIER4 = strawberry.enum_value(
        "PortPairFlatRateTier4", description="Flat rate for a port pair, tier 4."
    )
    PORT_PAIR_FLAT_RATE_TIER5 = strawberry.enum_value(
        "PortPairFlatRateTier5", description="Flat rate for a port pair, tier 5."
    )
    UNKNOWN = strawberry.enum_value(
        "unknown", description="A billing mode this schema does not know."
    )


@strawberry.enum(description="State of a virtual interface.")
class VirtualInterfaceState(Enum):
    CONFIRMING = strawberry.enum_value(
        "confirming",
        description="Allocated to another account; waits for the owner to confirm it.",
    )
    VERIFYING = strawberry.enum_value(
        "verifying", description="A public virtual interface being validated."
    )
    PENDING = strawberry.enum_value("pending", description="Created, being initialized.")
    AVAILABLE = strawberry.enum_value("available", description="Able to forward traffic.")
    DOWN = strawberry.enum_value("down", description="BGP is down.")
    DELETING = strawberry.enum_value("deleting", description="Being deleted.")
    DELETED = strawberry.enum_value(
        "deleted", description="Deleted; listed for 15 minutes after deletion."
    )
    REJECTED = strawberry.enum_value(
        "rejected", description="The owner declined (deleted it while `confirming`)."
    )
    TESTING = strawberry.enum_value("testing", description="A BGP failover test is running.")
    UNKNOWN = strawberry.enum_value("unknown", description="State not known.")


@strawberry.enum(description="State of a BGP peer.")
class BgpPeerState(Enum):
    VERIFYING = strawberry.enum_value(
        "verifying", description="Addresses and ASN being validated (public VIFs only)."
    )
    PENDING = strawberry.enum_value("pending", description="Created, not yet ready.")
    AVAILABLE = strawberry.enum_value("available", description="Ready to be established.")
    DELETING = strawberry.enum_value("deleting", description="Being deleted.")
    DELETED = strawberry.enum_value("deleted", description="Deleted.")
    UNKNOWN = strawberry.enum_value("unknown", description="State not known.")


@strawberry.enum(description="Status of a BGP session (not the routing function).")
class BgpStatus(Enum):
    UP = strawberry.enum_value("up", description="The BGP peer is established.")
    DOWN = strawberry.enum_value("down", description="The BGP peer is down.")
    UNKNOWN = strawberry.enum_value("unknown", description="The status is not known.")


@strawberry.enum(description="IP address family of a BGP peer.")
class AddressFamily(Enum):
    IPV4 = strawberry.enum_value("ipv4", description="IPv4.")
    IPV6 = strawberry.enum_value("ipv6", description="IPv6; addresses are assigned by Amazon.")


@strawberry.enum(description="Whether a connection supports a secondary BGP peer in one family.")
class HasLogicalRedundancy(Enum):
    YES = strawberry.enum_value("yes", description="Supported.")
    NO = strawberry.enum_value("no", description="Not supported.")
    UNKNOWN = strawberry.enum_value("unknown", description="Not known.")


@strawberry.enum(description="Kind of virtual interface.")
class VirtualInterfaceType(Enum):
    PRIVATE = strawberry.enum_value(
        "private", description="Reaches VPCs through a VGW or DX gateway."
    )
    PUBLIC = strawberry.enum_value("public", description="Reaches AWS public services.")
    TRANSIT = strawberry.enum_value("transit", description="Reaches transit gateways.")
    UNKNOWN = strawberry.enum_value("unknown", description="A kind this schema does not know.")


@strawberry.enum(description="State of a Direct Connect gateway.")
class DirectConnectGatewayState(Enum):
    PENDING = strawberry.enum_value("pending", description="Initial state after creation.")
    AVAILABLE = strawberry.enum_value("available", description="Ready to pass traffic.")
    DELETING = strawberry.enum_value("deleting", description="Initial state after deletion.")
    DELETED = strawberry.enum_value("deleted", description="Deleted; cannot pass traffic.")
    UNKNOWN = strawberry.enum_value("unknown", description="State not known.")


@strawberry.enum(
    description="State of a Direct Connect gateway association (with a VGW or a transit gateway)."
)
class AssociationState(Enum):
    ASSOCIATING = strawberry.enum_value("associating", description="Initial state after creation.")
    ASSOCIATED = strawberry.enum_value("associated", description="Ready to pass traffic.")
    DISASSOCIATING = strawberry.enum_value(
        "disassociating", description="Initial state after deletion."
    )
    DISASSOCIATED = strawberry.enum_value(
        "disassociated", description="Removed; the gateways no longer pass traffic."
    )
    UPDATING = strawberry.enum_value("updating", description="Allowed prefixes being updated.")
    UNKNOWN = strawberry.enum_value("unknown", description="State not known.")


@strawberry.enum(description="Kind of gateway a Direct Connect gateway association joins.")
class AssociatedGatewayType(Enum):
    VIRTUAL_PRIVATE_GATEWAY = strawberry.enum_value(
        "virtualPrivateGateway", description="A virtual private gateway (VGW) of one VPC."
    )
    TRANSIT_GATEWAY = strawberry.enum_value(
        "transitGateway", description="A transit gateway (TGW), reached by transit VIFs."
    )
    UNKNOWN = strawberry.enum_value("unknown", description="A kind this schema does not know.")


@strawberry.enum(description="Kind of virtual interface attached to a Direct Connect gateway.")
class AttachmentType(Enum):
    TRANSIT_VIRTUAL_INTERFACE = strawberry.enum_value(
        "transitVirtualInterface", description="A transit virtual interface."
    )
    PRIVATE_VIRTUAL_INTERFACE = strawberry.enum_value(
        "privateVirtualInterface", description="A private virtual interface."
    )
    UNKNOWN = strawberry.enum_value("unknown", description="A kind this schema does not know.")


def parse_attachment_type(value: str | None) -> AttachmentType | None:
    """The attachment type of either spelling: botocore's model (and dxsim) say
    `TransitVirtualInterface`, real answers reportedly `transitVirtualInterface`; only the first
    letter differs."""
    if not value:
        return parse_enum(AttachmentType, value)
    return parse_enum(AttachmentType, value[0].lower() + value[1:])


@strawberry.enum(
    description="State of a virtual interface's attachment to a Direct Connect gateway."
)
class AttachmentState(Enum):
    ATTACHING = strawberry.enum_value("attaching", description="Initial state after creation.")
    ATTACHED = strawberry.enum_value("attached", description="Ready to pass traffic.")
    DETACHING = strawberry.enum_value("detaching", description="Initial state after deletion.")
    DETACHED = strawberry.enum_value("detached", description="Detached; no traffic.")
    UNKNOWN = strawberry.enum_value("unknown", description="State not known.")


@strawberry.enum(description="State of a virtual private gateway (an EC2 resource).")
class VirtualGatewayState(Enum):
    PENDING = strawberry.enum_value("pending", description="Initial state after creation.")
    AVAILABLE = strawberry.enum_value("available", description="Ready for use.")
    DELETING = strawberry.enum_value("deleting", description="Initial state after deletion.")
    DELETED = strawberry.enum_value("deleted", description="Deleted.")
    UNKNOWN = strawberry.enum_value("unknown", description="State not known.")


@strawberry.enum(description="Content type of a Letter of Authorization.")
class LoaContentType(Enum):
    APPLICATION_PDF = strawberry.enum_value("application/pdf", description="A PDF document.")

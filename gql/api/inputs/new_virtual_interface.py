"""The nested inputs of the virtual interface mutations: AWS's New*VirtualInterface structures,
their shared descriptions and checks.

A BGP `authKey` is a secret, so these inputs declare every field nullable and check the required
ones in `validate()`: GraphQL's own error for a missing required field prints the whole input
object, which would put the key into the error message. Our checks never echo the key.
"""

from __future__ import annotations

import ipaddress
from typing import Any

import strawberry

from gql.api.enums import AddressFamily
from gql.api.scalars import BigInt
from resolvers.validation import MTU_VALUES, Checks, FieldError, split_asn

VIF_NAME_MAX = 100
AUTH_KEY_LENGTH = (6, 80)

NAME_DESCRIPTION = "Required. The name of the virtual interface assigned by the customer network."
VLAN_DESCRIPTION = "Required. The ID of the VLAN (1-4094)."
ASN_DESCRIPTION = (
    "Required. The autonomous system (AS) number for Border Gateway Protocol (BGP) "
    "configuration (1-4294967294)."
)
MTU_DESCRIPTION = (
    "The maximum transmission unit (MTU), in bytes. The supported values are 1500 and 9001. "
    "The default value is 1500."
)
AUTH_KEY_DESCRIPTION = (
    "The authentication key for BGP configuration (6-80 characters; Amazon generates one if "
    "omitted). A secret: never echoed in errors."
)
AMAZON_ADDRESS_DESCRIPTION = (
    "The IP address assigned to the Amazon interface, in CIDR notation (IPv4 only: omit for "
    "IPv6, Amazon assigns it). Give it together with customerAddress, or neither."
)
CUSTOMER_ADDRESS_DESCRIPTION = (
    "The IP address assigned to the customer interface, in CIDR notation (IPv4 only: omit for "
    "IPv6, Amazon assigns it). Give it together with amazonAddress, or neither."
)
ADDRESS_FAMILY_DESCRIPTION = "The address family for the BGP peer (default ipv4)."
VGW_DESCRIPTION = "The ID of the virtual private gateway."
DXGW_DESCRIPTION = "The ID of the Direct Connect gateway."
PREFIXES_DESCRIPTION = (
    "The routes to be advertised to the AWS network in this Region. Applies to public virtual "
    "interfaces."
)
CONNECTION_DESCRIPTION = (
    "Required. The ID of the connection or LAG the virtual interface is provisioned on "
    "(dxcon-… or dxlag-…)."
)
OWNER_DESCRIPTION = "Required. The ID of the AWS account that will own the virtual interface."
VIF_ID_DESCRIPTION = "The ID of the virtual interface (dxvif-…)."


# -- checks of this module's inputs (kept out of resolvers.validation on purpose) -----------
def check_auth_key(checks: Checks, name: str, value: str | None) -> None:
    """6-80 characters (AWS's documented bounds). The message never contains the key."""
    low, high = AUTH_KEY_LENGTH
    if value is not None and not low <= len(value) <= high:
        checks.fail(name, "TOO_LONG", f"must be {low}-{high} characters")


def check_peer_addresses(
    checks: Checks,
    family: AddressFamily | None,
    amazon: str | None,
    customer: str | None,
    *,
    public: bool = False,
) -> None:
    """A peer's addresses: IPv6 takes none (Amazon assigns them); IPv4 ones are CIDR notation,
    given both or neither — and a public IPv4 virtual interface needs both (public IPs)."""
    family_value = "ipv6" if family is AddressFamily.IPV6 else "ipv4"  # ipv4 is AWS's default
    checks.peer_address("amazonAddress", amazon, family_value)
    checks.peer_address("customerAddress", customer, family_value)
    if family_value == "ipv6":
        return
    if amazon is None and customer is None:
        if public:
            for name in ("amazonAddress", "customerAddress"):
                checks.fail(
                    name,
                    "REQUIRED",
                    "is required for a public IPv4 virtual interface (public IPs you own)",
                )
        return
    for name, value, other in (
        ("amazonAddress", amazon, "customerAddress"),
        ("customerAddress", customer, "amazonAddress"),
    ):
        if value is None:
            checks.fail(
                name,
                "REQUIRED",
                f"is required with {other}: give both, or neither to have Amazon assign them",
            )


def check_peer_address_any_family(checks: Checks, name: str, value: str | None) -> None:
    """An existing peer's address (IPv4 or Amazon-assigned IPv6) in CIDR notation."""
    if value is None:
        return
    try:
        if "/" not in value:
            raise ValueError("missing the prefix length, e.g. 169.254.10.2/30")
        ipaddress.ip_interface(value)
    except ValueError as err:
        checks.fail(name, "INVALID_FORMAT", f"is not an address in CIDR notation: {err}")


def check_one_gateway(
    checks: Checks, virtual_gateway_id: str | None, direct_connect_gateway_id: str | None
) -> None:
    """At most one of virtualGatewayId / directConnectGatewayId; each of the right form."""
    checks.virtual_gateway_id("virtualGatewayId", virtual_gateway_id)
    checks.gateway_id("directConnectGatewayId", direct_connect_gateway_id)
    if virtual_gateway_id is not None and direct_connect_gateway_id is not None:
        checks.errors.append(
            FieldError(
                checks.prefix,
                "CONFLICT",
                "give virtualGatewayId or directConnectGatewayId, not both: a private virtual "
                "interface attaches to one gateway",
            )
        )


def _check_vif_basics(
    checks: Checks, name: str | None, vlan: int | None, asn: int | None, auth_key: str | None
) -> None:
    if checks.required("virtualInterfaceName", name):
        checks.name("virtualInterfaceName", name, VIF_NAME_MAX)
    if checks.required("vlan", vlan):
        checks.vlan("vlan", vlan)
    if checks.required("asn", asn):
        checks.asn("asn", asn)
    check_auth_key(checks, "authKey", auth_key)


def _check_prefixes(checks: Checks, prefixes: list[RouteFilterPrefixInput] | None) -> None:
    for index, prefix in enumerate(prefixes or []):
        where = f"routeFilterPrefixes[{index}].cidr"
        if checks.required(where, prefix.cidr):
            checks.cidr(where, prefix.cidr)


def _peer_params(
    asn: int | None,
    auth_key: str | None,
    amazon: str | None,
    customer: str | None,
    family: AddressFamily | None,
) -> dict[str, Any]:
    params: dict[str, Any] = {}
    if asn is not None:
        params.update(split_asn(asn))
    if auth_key is not None:
        params["authKey"] = auth_key
    if amazon is not None:
        params["amazonAddress"] = amazon
    if customer is not None:
        params["customerAddress"] = customer
    if family is not None:
        params["addressFamily"] = family.value
    return params


def _prefix_params(prefixes: list[RouteFilterPrefixInput] | None) -> dict[str, Any]:
    if prefixes is None:
        return {}
    return {"routeFilterPrefixes": [{"cidr": p.cidr} for p in prefixes]}


# -- nested inputs (AWS's New*VirtualInterface structures) ---------------------------------------
@strawberry.input(
    description=(
        "A route filter prefix that a customer can advertise through BGP over a public virtual "
        "interface."
    )
)
class RouteFilterPrefixInput:
    cidr: str = strawberry.field(
        description=(
            "The CIDR block for the advertised route. An IPv6 CIDR must use /64 or shorter."
        )
    )


@strawberry.input(description="Information about a private virtual interface to create.")
class NewPrivateVirtualInterface:
    virtual_interface_name: str | None = strawberry.field(
        default=None, description=NAME_DESCRIPTION
    )
    vlan: int | None = strawberry.field(default=None, description=VLAN_DESCRIPTION)
    asn: BigInt | None = strawberry.field(default=None, description=ASN_DESCRIPTION)
    mtu: int | None = strawberry.field(default=None, description=MTU_DESCRIPTION)
    auth_key: str | None = strawberry.field(default=None, description=AUTH_KEY_DESCRIPTION)
    amazon_address: str | None = strawberry.field(
        default=None, description=AMAZON_ADDRESS_DESCRIPTION
    )
    customer_address: str | None = strawberry.field(
        default=None, description=CUSTOMER_ADDRESS_DESCRIPTION
    )
    address_family: AddressFamily | None = strawberry.field(
        default=None, description=ADDRESS_FAMILY_DESCRIPTION
    )
    virtual_gateway_id: str | None = strawberry.field(
        default=None,
        description=f"{VGW_DESCRIPTION} Give exactly one of this and directConnectGatewayId.",
    )
    direct_connect_gateway_id: str | None = strawberry.field(
        default=None,
        description=f"{DXGW_DESCRIPTION} Give exactly one of this and virtualGatewayId.",
    )

    def validate(self, checks: Checks) -> None:
        _check_vif_basics(checks, self.virtual_interface_name, self.vlan, self.asn, self.auth_key)
        checks.one_of("mtu", self.mtu, MTU_VALUES)
        check_peer_addresses(
            checks, self.address_family, self.amazon_address, self.customer_address
        )
        check_one_gateway(checks, self.virtual_gateway_id, self.direct_connect_gateway_id)
        if self.virtual_gateway_id is None and self.direct_connect_gateway_id is None:
            checks.errors.append(
                FieldError(
                    checks.prefix,
                    "REQUIRED",
                    "needs virtualGatewayId or directConnectGatewayId (exactly one)",
                )
            )

    def to_aws(self) -> dict[str, Any]:
        params: dict[str, Any] = {
            "virtualInterfaceName": self.virtual_interface_name,
            "vlan": self.vlan,
        }
        if self.mtu is not None:
            params["mtu"] = self.mtu
        params.update(
            _peer_params(
                self.asn,
                self.auth_key,
                self.amazon_address,
                self.customer_address,
                self.address_family,
            )
        )
        if self.virtual_gateway_id is not None:
            params["virtualGatewayId"] = self.virtual_gateway_id
        if self.direct_connect_gateway_id is not None:
            params["directConnectGatewayId"] = self.direct_connect_gateway_id
        return params


@strawberry.input(
    description=(
        "Information about a private virtual interface to provision for another account (the "
        "owner picks the gateway when confirming)."
    )
)
class NewPrivateVirtualInterfaceAllocation:
    virtual_interface_name: str | None = strawberry.field(
        default=None, description=NAME_DESCRIPTION
    )
    vlan: int | None = strawberry.field(default=None, description=VLAN_DESCRIPTION)
    asn: BigInt | None = strawberry.field(default=None, description=ASN_DESCRIPTION)
    mtu: int | None = strawberry.field(default=None, description=MTU_DESCRIPTION)
    auth_key: str | None = strawberry.field(default=None, description=AUTH_KEY_DESCRIPTION)
    amazon_address: str | None = strawberry.field(
        default=None, description=AMAZON_ADDRESS_DESCRIPTION
    )
    address_family: AddressFamily | None = strawberry.field(
        default=None, description=ADDRESS_FAMILY_DESCRIPTION
    )
    customer_address: str | None = strawberry.field(
        default=None, description=CUSTOMER_ADDRESS_DESCRIPTION
    )

    def validate(self, checks: Checks) -> None:
        _check_vif_basics(checks, self.virtual_interface_name, self.vlan, self.asn, self.auth_key)
        checks.one_of("mtu", self.mtu, MTU_VALUES)
        check_peer_addresses(
            checks, self.address_family, self.amazon_address, self.customer_address
        )

    def to_aws(self) -> dict[str, Any]:
        params: dict[str, Any] = {
            "virtualInterfaceName": self.virtual_interface_name,
            "vlan": self.vlan,
        }
        if self.mtu is not None:
            params["mtu"] = self.mtu
        params.update(
            _peer_params(
                self.asn,
                self.auth_key,
                self.amazon_address,
                self.customer_address,
                self.address_family,
            )
        )
        return params


@strawberry.input(
    description=(
        "Information about a public virtual interface to create. For IPv6 omit amazonAddress "
        "and customerAddress (Amazon assigns them); for IPv4 both are required."
    )
)
class NewPublicVirtualInterface:
    virtual_interface_name: str | None = strawberry.field(
        default=None, description=NAME_DESCRIPTION
    )
    vlan: int | None = strawberry.field(default=None, description=VLAN_DESCRIPTION)
    asn: BigInt | None = strawberry.field(default=None, description=ASN_DESCRIPTION)
    auth_key: str | None = strawberry.field(default=None, description=AUTH_KEY_DESCRIPTION)
    amazon_address: str | None = strawberry.field(
        default=None, description=AMAZON_ADDRESS_DESCRIPTION
    )
    customer_address: str | None = strawberry.field(
        default=None, description=CUSTOMER_ADDRESS_DESCRIPTION
    )
    address_family: AddressFamily | None = strawberry.field(
        default=None, description=ADDRESS_FAMILY_DESCRIPTION
    )
    route_filter_prefixes: list[RouteFilterPrefixInput] | None = strawberry.field(
        default=None, description=PREFIXES_DESCRIPTION
    )

    def validate(self, checks: Checks) -> None:
        _check_vif_basics(checks, self.virtual_interface_name, self.vlan, self.asn, self.auth_key)
        check_peer_addresses(
            checks, self.address_family, self.amazon_address, self.customer_address, public=True
        )
        _check_prefixes(checks, self.route_filter_prefixes)

    def to_aws(self) -> dict[str, Any]:
        params: dict[str, Any] = {
            "virtualInterfaceName": self.virtual_interface_name,
            "vlan": self.vlan,
        }
        params.update(
            _peer_params(
                self.asn,
                self.auth_key,
                self.amazon_address,
                self.customer_address,
                self.address_family,
            )
        )
        params.update(_prefix_params(self.route_filter_prefixes))
        return params


@strawberry.input(
    description=(
        "Information about a public virtual interface to provision for another account. For "
        "IPv6 omit amazonAddress and customerAddress; for IPv4 both are required."
    )
)
class NewPublicVirtualInterfaceAllocation(NewPublicVirtualInterface):
    pass

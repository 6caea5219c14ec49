"""Virtual interfaces: private and public VIFs on a connection, hosted connection or LAG."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

import strawberry
from strawberry import relay

from gql.api.bgp_peer import BgpPeer
from gql.api.common import mask, node_key, split_key
from gql.api.deferred import Deferred
from gql.api.enums import AddressFamily, VirtualInterfaceState, VirtualInterfaceType, parse_enum
from gql.api.location import Location, location_of
from gql.api.scalars import BigInt
from gql.api.tag import Tag
from resolvers import links
from resolvers.context import Info, context_only
from resolvers.data.arns import regional_arn
from resolvers.data.plan import reads

if TYPE_CHECKING:
    from gql.api.direct_connect_gateway import DirectConnectGateway
    from gql.api.unions import VirtualInterfaceHost
    from gql.api.virtual_gateway import VirtualGateway

_DirectConnectGateway = Deferred("gql.api.direct_connect_gateway", "DirectConnectGateway")
_DxConnection = Deferred("gql.api.connection", "DxConnection")
_Lag = Deferred("gql.api.lag", "Lag")
_VirtualGateway = Deferred("gql.api.virtual_gateway", "VirtualGateway")

__all__ = ["RouteFilterPrefix", "VirtualInterface"]

_ROUTER_KEY = re.compile(r"(<(?:ipv6_)?bgp_auth_key>)[^<]*(</)")


@functools.lru_cache(maxsize=4096)
def masked_router_config(config: str) -> str:
    """A router configuration with its BGP auth keys masked; remembered, since a large answer
    shows each VIF's configuration many times over (one per place the VIF appears)."""
    return _ROUTER_KEY.sub(r"\1********\2", config)


@strawberry.type(description="A route filter prefix that a customer can advertise (public VIFs).")
class RouteFilterPrefix:
    cidr: str | None = strawberry.field(
        description="The CIDR block for the advertised route. An IPv6 CIDR must use /64 or shorter."
    )


@strawberry.type(
    description=(
        "A virtual interface (VIF): a VLAN on a connection or LAG with BGP sessions to AWS. "
        "Private VIFs reach VPCs through a virtual private gateway or a Direct Connect gateway; "
        "public VIFs reach AWS public services."
    )
)
class VirtualInterface(relay.Node):
    LIST_KIND: ClassVar[str] = "virtual_interfaces"

    key: relay.NodeID[str]
    virtual_interface_id: str = strawberry.field(description="The ID of the virtual interface.")
    owner_account: str | None = strawberry.field(
        description="The ID of the AWS account that owns the virtual interface."
    )
    location_code: str | None = strawberry.field(
        description="The location of the connection (its code; `location` is the full object)."
    )
    connection_id: str | None = strawberry.field(
        description="The ID of the connection or LAG the virtual interface runs on."
    )
    virtual_interface_type: VirtualInterfaceType | None = strawberry.field(
        description="The type of virtual interface: private, public or transit."
    )
    virtual_interface_name: str | None = strawberry.field(
        description="The name of the virtual interface."
    )
    vlan: int | None = strawberry.field(description="The ID of the VLAN (1-4094).")
    asn: BigInt | None = strawberry.field(
        description="The autonomous system (AS) number for BGP configuration (customer side)."
    )
    amazon_side_asn: BigInt | None = strawberry.field(
        description="The autonomous system number (ASN) for the Amazon side of the connection."
    )
    amazon_address: str | None = strawberry.field(
        description="The IP address assigned to the Amazon interface."
    )
    customer_address: str | None = strawberry.field(
        description="The IP address assigned to the customer interface."
    )
    address_family: AddressFamily | None = strawberry.field(
        description="The address family for the BGP peer."
    )
    virtual_interface_state: VirtualInterfaceState | None = strawberry.field(
        description="The state of the virtual interface."
    )
    mtu: int | None = strawberry.field(
        description=(
            "The maximum transmission unit (MTU) in bytes: 1500 or 9001 (private), "
            "1500 or 8500 (transit)."
        )
    )
    jumbo_frame_capable: bool | None = strawberry.field(
        description="Indicates whether jumbo frames (9001 MTU) are supported."
    )
    virtual_gateway_id: str | None = strawberry.field(
        description="The ID of the virtual private gateway (private VIFs only)."
    )
    direct_connect_gateway_id: str | None = strawberry.field(
        description="The ID of the Direct Connect gateway."
    )
    route_filter_prefixes: list[RouteFilterPrefix] = strawberry.field(
        description="The routes to be advertised to the AWS network in this Region (public VIFs)."
    )
    region: str = strawberry.field(description="The AWS Region where the virtual interface is.")
    aws_device_v2: str | None = strawberry.field(
        description="The Direct Connect endpoint that terminates the physical connection."
    )
    asn_long: BigInt | None = strawberry.field(
        description=(
            "The long ASN (1-4294967294) for BGP configuration, as AWS sends it; for a 4-byte ASN "
            "AWS sends 0 in the legacy `asn` member (this schema's `asn` shows the long one)."
        )
    )
    aws_logical_device_id: str | None = strawberry.field(
        description="The Direct Connect endpoint that terminates the logical connection."
    )
    site_link_enabled: bool | None = strawberry.field(
        description="Whether SiteLink is enabled (traffic between Direct Connect locations)."
    )
    prefix_pool_allocated_count_ipv4: int | None = strawberry.field(
        description="The number of IPv4 prefixes allocated to this VIF from the connection's pool."
    )
    prefix_pool_allocated_count_ipv6: int | None = strawberry.field(
        description="The number of IPv6 prefixes allocated to this VIF from the connection's pool."
    )
    rate_limit: str | None = strawberry.field(
        description=(
            "The rate limit of the VIF (50Mbps to 1.6Tbps; at most the bandwidth of its "
            "connection or LAG)."
        )
    )
    raw: strawberry.Private[dict[str, Any]]

    @classmethod
    def from_aws(cls, data: dict[str, Any], region: str) -> VirtualInterface:
        region = data.get("region") or region
        return cls(
            key=node_key(region, data["virtualInterfaceId"]),
            virtual_interface_id=data["virtualInterfaceId"],
            owner_account=data.get("ownerAccount"),
            location_code=data.get("location"),
            connection_id=data.get("connectionId"),
            virtual_interface_type=parse_enum(
                VirtualInterfaceType, data.get("virtualInterfaceType")
            ),
            virtual_interface_name=data.get("virtualInterfaceName"),
            vlan=data.get("vlan"),
            asn=data.get("asnLong") or data.get("asn"),
            amazon_side_asn=data.get("amazonSideAsn"),
            amazon_address=data.get("amazonAddress"),
            customer_address=data.get("customerAddress"),
            address_family=parse_enum(AddressFamily, data.get("addressFamily")),
            virtual_interface_state=parse_enum(
                VirtualInterfaceState, data.get("virtualInterfaceState")
            ),
            mtu=data.get("mtu"),
            jumbo_frame_capable=data.get("jumboFrameCapable"),
            virtual_gateway_id=data.get("virtualGatewayId") or None,
            direct_connect_gateway_id=data.get("directConnectGatewayId") or None,
            route_filter_prefixes=[
                RouteFilterPrefix(cidr=p.get("cidr")) for p in data.get("routeFilterPrefixes") or []
            ],
            region=region,
            aws_device_v2=data.get("awsDeviceV2"),
            asn_long=data.get("asnLong"),
            aws_logical_device_id=data.get("awsLogicalDeviceId"),
            site_link_enabled=data.get("siteLinkEnabled"),
            prefix_pool_allocated_count_ipv4=data.get("prefixPoolAllocatedCountIpv4"),
            prefix_pool_allocated_count_ipv6=data.get("prefixPoolAllocatedCountIpv6"),
            rate_limit=data.get("rateLimit"),
            raw=data,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[VirtualInterface | None]:
        found: list[VirtualInterface | None] = []
        for key in node_ids:
            region, vif_id = split_key(key, 2)
            raw = await links.find(info, "virtual_interfaces", vif_id, region)
            found.append(cls.from_aws(raw, region) if raw else None)
        return found

    def arn_for(self, info: Info) -> str:
        account = self.owner_account or info.context.account_id
        return regional_arn(self.region, account, self.virtual_interface_id)

    @strawberry.field(
        description="The ARN of the virtual interface.", metadata={**reads(), **context_only()}
    )
    def arn(self, info: Info) -> str:
        return self.arn_for(info)

    @strawberry.field(
        description="The BGP MD5 authentication key; masked unless the caller may read secrets.",
        metadata={**reads(), **context_only()},
    )
    def auth_key(self, info: Info) -> str | None:
        return mask(self.raw.get("authKey"), info.context.show_secrets)

    @strawberry.field(
        description=(
            "The customer router configuration; its BGP auth keys are masked unless the caller "
            "may read secrets."
        ),
        metadata={**reads(), **context_only()},
    )
    def customer_router_config(self, info: Info) -> str | None:
        config: str | None = self.raw.get("customerRouterConfig")
        if config is None or info.context.show_secrets:
            return config
        return masked_router_config(config)

    @strawberry.field(
        description="The BGP peers configured on this virtual interface.", metadata=reads()
    )
    def bgp_peers(self) -> list[BgpPeer]:
        return [BgpPeer.from_aws(p, self.raw, self.region) for p in self.raw.get("bgpPeers") or []]

    @strawberry.field(
        description=(
            "The connection or LAG the virtual interface runs on (a LAG for VIFs on a LAG)."
        ),
        metadata=reads("connections", "lags"),
    )
    def connection(
        self, info: Info
    ) -> Annotated[VirtualInterfaceHost, strawberry.lazy("gql.api.unions")] | None:
        if self.connection_id and self.connection_id.startswith("dxlag-"):
            return links.one(  # type: ignore[no-any-return]
                info,
                "lags",
                self.connection_id,
                self.region,
                lambda raw: _Lag.from_aws(raw, self.region),
            )
        return links.one(  # type: ignore[no-any-return]
            info,
            "connections",
            self.connection_id,
            self.region,
            lambda raw: _DxConnection.from_aws(raw, self.region),
        )

    @strawberry.field(
        description="The virtual private gateway this private VIF attaches to.",
        metadata=reads("virtual_gateways"),
    )
    def virtual_gateway(
        self, info: Info
    ) -> Annotated[VirtualGateway, strawberry.lazy("gql.api.virtual_gateway")] | None:
        return links.one(  # type: ignore[no-any-return]
            info,
            "virtual_gateways",
            self.virtual_gateway_id,
            self.region,
            lambda raw: _VirtualGateway.from_aws(raw, self.region),
        )

    @strawberry.field(
        description="The Direct Connect gateway this private VIF attaches to.",
        metadata=reads("gateways"),
    )
    def direct_connect_gateway(
        self, info: Info
    ) -> Annotated[DirectConnectGateway, strawberry.lazy("gql.api.direct_connect_gateway")] | None:
        return links.gateway(  # type: ignore[no-any-return]
            info, self.direct_connect_gateway_id, _DirectConnectGateway.from_aws
        )

    @strawberry.field(
        description="The location of the connection the VIF runs on.", metadata=reads("locations")
    )
    def location(self, info: Info) -> Location | None:
        return location_of(info, self.region, self.location_code)  # type: ignore[no-any-return]

    @strawberry.field(
        description="The tags on the virtual interface.", metadata=reads(tags="virtual_interfaces")
    )
    def tags(self, info: Info) -> list[Annotated[Tag, strawberry.lazy("gql.api.tag")]]:
        return links.tags(info, self.arn_for(info), Tag.from_aws)  # type: ignore[no-any-return]

"""Link aggregation groups (LAGs): bundles of dedicated connections at one location."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

import strawberry
from strawberry import relay

from gql.api.common import node_key, split_key
from gql.api.connection import DxConnection
from gql.api.deferred import Deferred
from gql.api.enums import BillingMode, EncryptionMode, HasLogicalRedundancy, LagState, parse_enum
from gql.api.loa import Loa
from gql.api.location import Location, location_of
from gql.api.macsec import MacSecKey, mac_sec_keys
from gql.api.tag import Tag
from resolvers import links
from resolvers.context import Info, context_only
from resolvers.data.arns import regional_arn
from resolvers.data.plan import reads

if TYPE_CHECKING:
    from gql.api.virtual_interface import VirtualInterface

_VirtualInterface = Deferred("gql.api.virtual_interface", "VirtualInterface")

__all__ = ["Lag"]


@strawberry.type(
    description=(
        "A link aggregation group (LAG): dedicated connections of one bandwidth at one location, "
        "treated as a single managed connection."
    )
)
class Lag(relay.Node):
    LIST_KIND: ClassVar[str] = "lags"

    key: relay.NodeID[str]
    lag_id: str = strawberry.field(description="The ID of the LAG.")
    owner_account: str | None = strawberry.field(
        description="The ID of the AWS account that owns the LAG."
    )
    lag_name: str | None = strawberry.field(description="The name of the LAG.")
    lag_state: LagState | None = strawberry.field(description="The state of the LAG.")
    region: str = strawberry.field(description="The AWS Region where the LAG is located.")
    location_code: str | None = strawberry.field(
        description="The location of the LAG (its code; `location` is the full object)."
    )
    connections_bandwidth: str | None = strawberry.field(
        description="The individual bandwidth of the physical connections bundled by the LAG."
    )
    number_of_connections: int | None = strawberry.field(
        description="The number of physical dedicated connections bundled by the LAG (max 10)."
    )
    minimum_links: int | None = strawberry.field(
        description=(
            "The minimum number of physical connections that must be operational for the LAG "
            "itself to be operational."
        )
    )
    aws_device: str | None = strawberry.field(
        description="The AWS Direct Connect endpoint that hosts the LAG."
    )
    aws_device_v2: str | None = strawberry.field(
        description="The AWS Direct Connect endpoint that hosts the LAG."
    )
    allows_hosted_connections: bool | None = strawberry.field(
        description="Indicates whether the LAG can host other connections."
    )
    jumbo_frame_capable: bool | None = strawberry.field(
        description="Indicates whether jumbo frames (9001 MTU) are supported."
    )
    has_logical_redundancy: HasLogicalRedundancy | None = strawberry.field(
        description="Whether the LAG supports a secondary BGP peer in the same address family."
    )
    member_data: strawberry.Private[list[dict[str, Any]]]
    aws_logical_device_id: str | None = strawberry.field(
        description="The Direct Connect endpoint that terminates the logical LAG."
    )
    provider_name: str | None = strawberry.field(
        description="The name of the service provider associated with the LAG."
    )
    mac_sec_capable: bool | None = strawberry.field(
        description="Whether the LAG supports MAC Security (MACsec).",
    )
    encryption_mode: EncryptionMode | None = strawberry.field(
        description="The MAC Security (MACsec) encryption mode of the LAG."
    )
    mac_sec_keys: list[MacSecKey] = strawberry.field(
        description="The MAC Security (MACsec) keys associated with the LAG.",
    )
    billing_mode: BillingMode | None = strawberry.field(description="The billing mode of the LAG.")

    @classmethod
    def from_aws(cls, data: dict[str, Any], region: str) -> Lag:
        region = data.get("region") or region
        return cls(
            key=node_key(region, data["lagId"]),
            lag_id=data["lagId"],
            owner_account=data.get("ownerAccount"),
            lag_name=data.get("lagName"),
            lag_state=parse_enum(LagState, data.get("lagState")),
            region=region,
            location_code=data.get("location"),
            connections_bandwidth=data.get("connectionsBandwidth"),
            number_of_connections=data.get("numberOfConnections"),
            minimum_links=data.get("minimumLinks"),
            aws_device=data.get("awsDevice"),
            aws_device_v2=data.get("awsDeviceV2"),
            allows_hosted_connections=data.get("allowsHostedConnections"),
            jumbo_frame_capable=data.get("jumboFrameCapable"),
            has_logical_redundancy=parse_enum(
                HasLogicalRedundancy, data.get("hasLogicalRedundancy")
            ),
            member_data=list(data.get("connections") or []),
            aws_logical_device_id=data.get("awsLogicalDeviceId"),
            provider_name=data.get("providerName"),
            mac_sec_capable=data.get("macSecCapable"),
            encryption_mode=parse_enum(EncryptionMode, data.get("encryptionMode")),
            mac_sec_keys=mac_sec_keys(data),
            billing_mode=parse_enum(BillingMode, data.get("billingMode")),
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Lag | None]:
        found: list[Lag | None] = []
        for key in node_ids:
            region, lag_id = split_key(key, 2)
            raw = await links.find(info, "lags", lag_id, region)
            found.append(cls.from_aws(raw, region) if raw else None)
        return found

    def arn_for(self, info: Info) -> str:
        return regional_arn(self.region, self.owner_account or info.context.account_id, self.lag_id)

    @strawberry.field(
        description="The ARN of the LAG (for tags and IAM policies).",
        metadata={**reads(), **context_only()},
    )
    def arn(self, info: Info) -> str:
        return self.arn_for(info)

    @strawberry.field(description="The location of the LAG.", metadata=reads("locations"))
    def location(self, info: Info) -> Location | None:
        return location_of(info, self.region, self.location_code)  # type: ignore[no-any-return]

    @strawberry.field(
        description="The member connections of the LAG (embedded in DescribeLags).",
        metadata=reads(),
    )
    def connections(self) -> list[DxConnection]:
        return [DxConnection.from_aws(c, self.region) for c in self.member_data]

    @strawberry.field(
        description="Hosted connections provisioned on this LAG.",
        metadata=reads(each=(("hosted", "lags"),)),
    )
    async def hosted_connections(self, info: Info) -> list[DxConnection]:
        return await links.hosted_connections(
            info, self.region, self.lag_id, lambda c: DxConnection.from_aws(c, self.region)
        )

    @strawberry.field(
        description="Virtual interfaces on this LAG.", metadata=reads("virtual_interfaces")
    )
    def virtual_interfaces(
        self, info: Info
    ) -> list[Annotated[VirtualInterface, strawberry.lazy("gql.api.virtual_interface")]]:
        return links.related(  # type: ignore[no-any-return]
            info,
            "virtual_interfaces",
            self.region,
            "connectionId",
            self.lag_id,
            lambda v: _VirtualInterface.from_aws(v, self.region),
        )

    @strawberry.field(description="The tags on the LAG.", metadata=reads(tags="lags"))
    def tags(self, info: Info) -> list[Annotated[Tag, strawberry.lazy("gql.api.tag")]]:
        return links.tags(info, self.arn_for(info), Tag.from_aws)  # type: ignore[no-any-return]

    @strawberry.field(description="The LAG's LOA-CFA.", metadata=reads(each=(("loa", "lags"),)))
    async def loa(self, info: Info) -> Annotated[Loa, strawberry.lazy("gql.api.loa")]:
        path = f"/loa/{self.region}/{self.lag_id}.pdf"
        return await links.loa(info, self.region, self.lag_id, lambda raw: Loa.from_aws(raw, path))

"""Direct Connect connections: dedicated, LAG members and hosted connections.

Named `DxConnection` so it never collides with Relay's `…Connection` pagination types.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

import strawberry
from strawberry import relay

from gql.api.common import node_key, parse_time, split_key
from gql.api.deferred import Deferred
from gql.api.enums import (
    BillingMode,
    ConnectionState,
    EncryptionMode,
    HasLogicalRedundancy,
    parse_enum,
)
from gql.api.loa import Loa
from gql.api.location import Location, location_of
from gql.api.macsec import MacSecKey, mac_sec_keys
from gql.api.tag import Tag
from resolvers import links
from resolvers.context import Info, context_only
from resolvers.data.arns import regional_arn
from resolvers.data.plan import reads

if TYPE_CHECKING:
    from gql.api.interconnect import Interconnect
    from gql.api.lag import Lag
    from gql.api.unions import ConnectionParent
    from gql.api.virtual_interface import VirtualInterface

_Interconnect = Deferred("gql.api.interconnect", "Interconnect")
_Lag = Deferred("gql.api.lag", "Lag")
_VirtualInterface = Deferred("gql.api.virtual_interface", "VirtualInterface")

__all__ = ["DxConnection"]


@strawberry.type(
    description=(
        "An AWS Direct Connect connection: a dedicated port, a member of a LAG, or a hosted "
        "connection that a partner provisioned on an interconnect or LAG."
    )
)
class DxConnection(relay.Node):
    LIST_KIND: ClassVar[str] = "connections"

    key: relay.NodeID[str]
    connection_id: str = strawberry.field(description="The ID of the connection.")
    owner_account: str | None = strawberry.field(
        description="The ID of the AWS account that owns the connection."
    )
    connection_name: str | None = strawberry.field(description="The name of the connection.")
    connection_state: ConnectionState | None = strawberry.field(
        description="The state of the connection."
    )
    region: str = strawberry.field(description="The AWS Region where the connection is located.")
    location_code: str | None = strawberry.field(
        description="The location of the connection (its code; `location` is the full object)."
    )
    bandwidth: str | None = strawberry.field(description="The bandwidth of the connection.")
    vlan: int | None = strawberry.field(description="The ID of the VLAN.")
    partner_name: str | None = strawberry.field(
        description="The name of the AWS Direct Connect service provider for the connection."
    )
    loa_issue_time: datetime | None = strawberry.field(
        description="The time of the most recent call to DescribeLoa for this connection."
    )
    lag_id: str | None = strawberry.field(description="The ID of the LAG.")
    aws_device: str | None = strawberry.field(
        description="The Direct Connect endpoint on which the physical connection terminates."
    )
    jumbo_frame_capable: bool | None = strawberry.field(
        description="Indicates whether jumbo frames (9001 MTU) are supported."
    )
    aws_device_v2: str | None = strawberry.field(
        description="The Direct Connect endpoint on which the physical connection terminates."
    )
    has_logical_redundancy: HasLogicalRedundancy | None = strawberry.field(
        description="Whether the connection supports a secondary BGP peer in the same family."
    )
    aws_logical_device_id: str | None = strawberry.field(
        description="The Direct Connect endpoint that terminates the logical connection."
    )
    provider_name: str | None = strawberry.field(
        description="The name of the service provider associated with the connection."
    )
    mac_sec_capable: bool | None = strawberry.field(
        description="Whether the connection supports MAC Security (MACsec).",
    )
    port_encryption_status: str | None = strawberry.field(
        description="The MACsec port link status: `Encryption Up` or `Encryption Down`."
    )
    encryption_mode: EncryptionMode | None = strawberry.field(
        description="The MAC Security (MACsec) encryption mode of the connection."
    )
    mac_sec_keys: list[MacSecKey] = strawberry.field(
        description="The MAC Security (MACsec) keys associated with the connection.",
    )
    billing_mode: BillingMode | None = strawberry.field(
        description="The billing mode of the connection."
    )

    @classmethod
    def from_aws(cls, data: dict[str, Any], region: str) -> DxConnection:
        region = data.get("region") or region
        return cls(
            key=node_key(region, data["connectionId"]),
            connection_id=data["connectionId"],
            owner_account=data.get("ownerAccount"),
            connection_name=data.get("connectionName"),
            connection_state=parse_enum(ConnectionState, data.get("connectionState")),
            region=region,
            location_code=data.get("location"),
            bandwidth=data.get("bandwidth"),
            vlan=data.get("vlan"),
            partner_name=data.get("partnerName"),
            loa_issue_time=parse_time(data.get("loaIssueTime")),
            lag_id=data.get("lagId"),
            aws_device=data.get("awsDevice"),
            jumbo_frame_capable=data.get("jumboFrameCapable"),
            aws_device_v2=data.get("awsDeviceV2"),
            has_logical_redundancy=parse_enum(
                HasLogicalRedundancy, data.get("hasLogicalRedundancy")
            ),
            aws_logical_device_id=data.get("awsLogicalDeviceId"),
            provider_name=data.get("providerName"),
            mac_sec_capable=data.get("macSecCapable"),
            port_encryption_status=data.get("portEncryptionStatus"),
            encryption_mode=parse_enum(EncryptionMode, data.get("encryptionMode")),
            mac_sec_keys=mac_sec_keys(data),
            billing_mode=parse_enum(BillingMode, data.get("billingMode")),
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[DxConnection | None]:
        found: list[DxConnection | None] = []
        for key in node_ids:
            region, connection_id = split_key(key, 2)
            raw = await links.find(info, "connections", connection_id, region)
            found.append(cls.from_aws(raw, region) if raw else None)
        return found

    def arn_for(self, info: Info) -> str:
        return regional_arn(
            self.region, self.owner_account or info.context.account_id, self.connection_id
        )

    @strawberry.field(
        description="The ARN of the connection (for tags and IAM policies).",
        metadata={**reads(), **context_only()},
    )
    def arn(self, info: Info) -> str:
        return self.arn_for(info)

    @strawberry.field(
        description="The location where the connection terminates.", metadata=reads("locations")
    )
    def location(self, info: Info) -> Location | None:
        return location_of(info, self.region, self.location_code)  # type: ignore[no-any-return]

    @strawberry.field(
        description="The LAG this connection is a member of, if any.", metadata=reads("lags")
    )
    def lag(self, info: Info) -> Annotated[Lag, strawberry.lazy("gql.api.lag")] | None:
        return links.one(  # type: ignore[no-any-return]
            info, "lags", self.lag_id, self.region, lambda raw: _Lag.from_aws(raw, self.region)
        )

    @strawberry.field(
        description=(
            "For a hosted connection: the interconnect or LAG it lives on, when the caller owns "
            "that parent (a partner). Null for dedicated connections."
        ),
        metadata=reads(each=(("hosted", "interconnects"), ("hosted", "lags")), per_region=True),
    )
    async def parent(
        self, info: Info
    ) -> Annotated[ConnectionParent, strawberry.lazy("gql.api.unions")] | None:
        def build(raw: dict[str, Any]) -> Interconnect | Lag:
            kind = _Interconnect if "interconnectId" in raw else _Lag
            parent: Interconnect | Lag = kind.from_aws(raw, self.region)
            return parent

        return await links.hosted_parent(info, self.region, self.connection_id, build)

    @strawberry.field(
        description="Virtual interfaces on this connection.", metadata=reads("virtual_interfaces")
    )
    def virtual_interfaces(
        self, info: Info
    ) -> list[Annotated[VirtualInterface, strawberry.lazy("gql.api.virtual_interface")]]:
        return links.related(  # type: ignore[no-any-return]
            info,
            "virtual_interfaces",
            self.region,
            "connectionId",
            self.connection_id,
            lambda v: _VirtualInterface.from_aws(v, self.region),
        )

    @strawberry.field(description="The tags on the connection.", metadata=reads(tags="connections"))
    def tags(self, info: Info) -> list[Annotated[Tag, strawberry.lazy("gql.api.tag")]]:
        return links.tags(info, self.arn_for(info), Tag.from_aws)  # type: ignore[no-any-return]

    @strawberry.field(
        description="The connection's LOA-CFA (calling it sets loaIssueTime).",
        metadata=reads(each=(("loa", "connections"),)),
    )
    async def loa(self, info: Info) -> Annotated[Loa, strawberry.lazy("gql.api.loa")]:
        path = f"/loa/{self.region}/{self.connection_id}.pdf"
        return await links.loa(
            info, self.region, self.connection_id, lambda raw: Loa.from_aws(raw, path)
        )

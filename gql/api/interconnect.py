"""Interconnects: partner-owned connections that carry hosted connections."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

import strawberry
from strawberry import relay

from gql.api.common import node_key, parse_time, split_key
from gql.api.deferred import Deferred
from gql.api.enums import EncryptionMode, HasLogicalRedundancy, InterconnectState, parse_enum
from gql.api.loa import Loa
from gql.api.location import Location, location_of
from gql.api.macsec import MacSecKey, mac_sec_keys
from gql.api.tag import Tag
from resolvers import links
from resolvers.context import Info, context_only
from resolvers.data.arns import regional_arn
from resolvers.data.plan import reads

if TYPE_CHECKING:
    from gql.api.connection import DxConnection
    from gql.api.lag import Lag

_DxConnection = Deferred("gql.api.connection", "DxConnection")
_Lag = Deferred("gql.api.lag", "Lag")

__all__ = ["Interconnect"]


@strawberry.type(
    description=(
        "An interconnect: a connection capable of hosting other connections, used by AWS Direct "
        "Connect partners to provide hosted (sub-1 Gbps) connections to their customers."
    )
)
class Interconnect(relay.Node):
    LIST_KIND: ClassVar[str] = "interconnects"

    key: relay.NodeID[str]
    interconnect_id: str = strawberry.field(description="The ID of the interconnect.")
    interconnect_name: str | None = strawberry.field(description="The name of the interconnect.")
    interconnect_state: InterconnectState | None = strawberry.field(
        description="The state of the interconnect."
    )
    region: str = strawberry.field(description="The AWS Region where the interconnect is located.")
    location_code: str | None = strawberry.field(
        description="The location of the interconnect (its code; `location` is the full object)."
    )
    bandwidth: str | None = strawberry.field(description="The bandwidth of the connection.")
    loa_issue_time: datetime | None = strawberry.field(
        description="The time of the most recent call to DescribeLoa for this interconnect."
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
        description="Whether the interconnect supports a secondary BGP peer in the same family."
    )
    aws_logical_device_id: str | None = strawberry.field(
        description="The Direct Connect endpoint that terminates the logical interconnect."
    )
    provider_name: str | None = strawberry.field(
        description="The name of the service provider associated with the interconnect."
    )
    mac_sec_capable: bool | None = strawberry.field(
        description="Whether the interconnect supports MAC Security (MACsec).",
    )
    port_encryption_status: str | None = strawberry.field(
        description="The MACsec port link status: `Encryption Up` or `Encryption Down`."
    )
    encryption_mode: EncryptionMode | None = strawberry.field(
        description="The MAC Security (MACsec) encryption mode of the interconnect."
    )
    mac_sec_keys: list[MacSecKey] = strawberry.field(
        description="The MAC Security (MACsec) keys associated with the interconnect.",
    )

    @classmethod
    def from_aws(cls, data: dict[str, Any], region: str) -> Interconnect:
        region = data.get("region") or region
        return cls(
            key=node_key(region, data["interconnectId"]),
            interconnect_id=data["interconnectId"],
            interconnect_name=data.get("interconnectName"),
            interconnect_state=parse_enum(InterconnectState, data.get("interconnectState")),
            region=region,
            location_code=data.get("location"),
            bandwidth=data.get("bandwidth"),
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
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Interconnect | None]:
        found: list[Interconnect | None] = []
        for key in node_ids:
            region, interconnect_id = split_key(key, 2)
            raw = await links.find(info, "interconnects", interconnect_id, region)
            found.append(cls.from_aws(raw, region) if raw else None)
        return found

    def arn_for(self, info: Info) -> str:
        return regional_arn(self.region, info.context.account_id, self.interconnect_id)

    @strawberry.field(
        description="The ARN of the interconnect (the caller's account owns it).",
        metadata={**reads(), **context_only()},
    )
    def arn(self, info: Info) -> str:
        return self.arn_for(info)

    @strawberry.field(
        description="The location where the interconnect terminates.", metadata=reads("locations")
    )
    def location(self, info: Info) -> Location | None:
        return location_of(info, self.region, self.location_code)  # type: ignore[no-any-return]

    @strawberry.field(
        description="The LAG this interconnect is a member of, if any.", metadata=reads("lags")
    )
    def lag(self, info: Info) -> Annotated[Lag, strawberry.lazy("gql.api.lag")] | None:
        return links.one(  # type: ignore[no-any-return]
            info, "lags", self.lag_id, self.region, lambda raw: _Lag.from_aws(raw, self.region)
        )

    @strawberry.field(
        description="Hosted connections provisioned on this interconnect.",
        metadata=reads(each=(("hosted", "interconnects"),)),
    )
    async def hosted_connections(
        self, info: Info
    ) -> list[Annotated[DxConnection, strawberry.lazy("gql.api.connection")]]:
        return await links.hosted_connections(
            info,
            self.region,
            self.interconnect_id,
            lambda c: _DxConnection.from_aws(c, self.region),
        )

    @strawberry.field(
        description="The tags on the interconnect.", metadata=reads(tags="interconnects")
    )
    def tags(self, info: Info) -> list[Annotated[Tag, strawberry.lazy("gql.api.tag")]]:
        return links.tags(info, self.arn_for(info), Tag.from_aws)  # type: ignore[no-any-return]

    @strawberry.field(
        description="The interconnect's LOA-CFA (calling it sets loaIssueTime).",
        metadata=reads(each=(("loa", "interconnects"),)),
    )
    async def loa(self, info: Info) -> Annotated[Loa, strawberry.lazy("gql.api.loa")]:
        path = f"/loa/{self.region}/{self.interconnect_id}.pdf"
        return await links.loa(
            info, self.region, self.interconnect_id, lambda raw: Loa.from_aws(raw, path)
        )

"""Direct Connect locations: the colocation sites of a region."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

import strawberry
from strawberry import relay

from gql.api.common import node_key, split_key
from gql.api.deferred import Deferred
from gql.api.enums import BillingMode, parse_enum
from resolvers import links
from resolvers.context import Info
from resolvers.data.plan import reads

if TYPE_CHECKING:
    from gql.api.connection import DxConnection
    from gql.api.interconnect import Interconnect
    from gql.api.lag import Lag

_DxConnection = Deferred("gql.api.connection", "DxConnection")
_Interconnect = Deferred("gql.api.interconnect", "Interconnect")
_Lag = Deferred("gql.api.lag", "Lag")

__all__ = ["AvailableBillingMode", "Location"]


@strawberry.type(description="A billing mode offered at a location, with its port speeds.")
class AvailableBillingMode:
    billing_mode: BillingMode | None = strawberry.field(description="The billing mode.")
    available_port_speeds: list[str] = strawberry.field(
        description="The port speeds this billing mode is offered for at the location."
    )
    included_regions: list[str] = strawberry.field(
        description="The AWS Regions included with the billing mode."
    )

    @classmethod
    def from_aws(cls, data: dict[str, Any]) -> AvailableBillingMode:
        return cls(
            billing_mode=parse_enum(BillingMode, data.get("billingMode")),
            available_port_speeds=list(data.get("availablePortSpeeds") or []),
            included_regions=list(data.get("includedRegions") or []),
        )


@strawberry.type(
    description=(
        "An AWS Direct Connect location: a colocation site where connections, LAGs and "
        "interconnects terminate. Returned by DescribeLocations for a region."
    )
)
class Location(relay.Node):
    LIST_KIND: ClassVar[str] = "locations"

    key: relay.NodeID[str]
    location_code: str = strawberry.field(description="The code for the location.")
    location_name: str | None = strawberry.field(
        description=(
            "The name of the location, including the colocation partner and the physical site "
            "of the building."
        )
    )
    region: str = strawberry.field(description="The AWS Region for the location.")
    available_port_speeds: list[str] = strawberry.field(
        description="The port speeds dedicated connections can be ordered with here."
    )
    available_providers: list[str] = strawberry.field(
        description="The service providers (partners) present at the location."
    )
    available_mac_sec_port_speeds: list[str] = strawberry.field(
        description="The port speeds that support MAC Security (MACsec) here."
    )
    available_billing_modes: list[AvailableBillingMode] = strawberry.field(
        description="The billing modes offered here, each with its port speeds and Regions."
    )

    @classmethod
    def from_aws(cls, data: dict[str, Any], region: str) -> Location:
        return cls(
            key=node_key(region, data["locationCode"]),
            location_code=data["locationCode"],
            location_name=data.get("locationName"),
            region=data.get("region") or region,
            available_port_speeds=list(data.get("availablePortSpeeds") or []),
            available_providers=list(data.get("availableProviders") or []),
            available_mac_sec_port_speeds=list(data.get("availableMacSecPortSpeeds") or []),
            available_billing_modes=[
                AvailableBillingMode.from_aws(mode)
                for mode in data.get("availableBillingModes") or []
            ],
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Location | None]:
        found: list[Location | None] = []
        for key in node_ids:
            region, code = split_key(key, 2)
            raw = await links.find(info, "locations", code, region)
            found.append(cls.from_aws(raw, region) if raw else None)
        return found

    @strawberry.field(
        description="Connections (including hosted ones) at this location.",
        metadata=reads("connections"),
    )
    def connections(
        self, info: Info
    ) -> list[Annotated[DxConnection, strawberry.lazy("gql.api.connection")]]:
        return links.related(  # type: ignore[no-any-return]
            info,
            "connections",
            self.region,
            "location",
            self.location_code,
            lambda raw: _DxConnection.from_aws(raw, self.region),
        )

    @strawberry.field(description="LAGs at this location.", metadata=reads("lags"))
    def lags(self, info: Info) -> list[Annotated[Lag, strawberry.lazy("gql.api.lag")]]:
        return links.related(  # type: ignore[no-any-return]
            info,
            "lags",
            self.region,
            "location",
            self.location_code,
            lambda raw: _Lag.from_aws(raw, self.region),
        )

    @strawberry.field(
        description="Interconnects at this location.", metadata=reads("interconnects")
    )
    def interconnects(
        self, info: Info
    ) -> list[Annotated[Interconnect, strawberry.lazy("gql.api.interconnect")]]:
        return links.related(  # type: ignore[no-any-return]
            info,
            "interconnects",
            self.region,
            "location",
            self.location_code,
            lambda raw: _Interconnect.from_aws(raw, self.region),
        )


def location_of(info: Info, region: str, code: str | None) -> Any:
    """The Location for a resource's location code (None when the code is not listed); sync
    when locations are loaded, else an awaitable."""
    return links.one(info, "locations", code, region, lambda raw: Location.from_aws(raw, region))

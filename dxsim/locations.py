"""DescribeLocations over the catalogue in `dxsim.catalogue`, and the checks every create that
names a location makes against what the location offers (port speed, provider, MACsec, billing).

The checks raise `DirectConnectClientException` naming the location and the values it offers, so
a caller can fix the request from the message or from DescribeLocations.
"""

from __future__ import annotations

from typing import Any

from dxsim.accounts import Caller
from dxsim.base import BackendBase
from dxsim.catalogue import LOCATIONS, Offer, location_offer
from dxsim.exceptions import DirectConnectClientException
from dxsim.validation import check_choice

# What a request may set (`BillingMode` of the request shapes); the response enum also has
# PortPairFlatRateTier1..5, which only AWS sets.
REQUEST_BILLING_MODES = (
    "PayAsYouGo",
    "FlatRateTier1",
    "FlatRateTier2",
    "FlatRateTier3",
    "FlatRateTier4",
    "FlatRateTier5",
)
DEFAULT_BILLING_MODE = "PayAsYouGo"


def location_wire(region: str, code: str) -> dict[str, Any]:
    offer = location_offer(region, code)
    return {
        "locationCode": code,
        "locationName": LOCATIONS[region][code],
        "region": region,
        "availablePortSpeeds": list(offer.port_speeds),
        "availableProviders": list(offer.providers),
        "availableMacSecPortSpeeds": list(offer.macsec_speeds),
        "availableBillingModes": [
            {
                "billingMode": b.billing_mode,
                "availablePortSpeeds": list(b.port_speeds),
                "includedRegions": list(b.included_regions),
            }
            for b in offer.billing
        ],
    }


def offer_at(backend: BackendBase, caller: Caller, location: str) -> Offer:
    """The offer of a location of the caller's region (refused if it is not one)."""
    backend.check_location(caller, location)
    return location_offer(caller.region, location)


def check_port_speed(offer: Offer, location: str, bandwidth: str) -> None:
    """A dedicated port (connection, LAG member, interconnect) must come in a speed the
    location has (`availablePortSpeeds`)."""
    if bandwidth not in offer.port_speeds:
        raise DirectConnectClientException(
            f"Port speed {bandwidth} is not available at location {location}; its "
            f"availablePortSpeeds are {', '.join(offer.port_speeds)}."
        )


def check_provider(offer: Offer, location: str, provider_name: str | None) -> None:
    """`providerName` must be one of the location's `availableProviders`."""
    if provider_name is not None and provider_name not in offer.providers:
        raise DirectConnectClientException(
            f"providerName {provider_name!r} is not a service provider at location {location}; "
            f"its availableProviders are {', '.join(offer.providers)}."
        )


def check_mac_sec(offer: Offer, location: str, bandwidth: str) -> None:
    """MACsec (`requestMACSec`) only on a port speed in `availableMacSecPortSpeeds`."""
    if bandwidth not in offer.macsec_speeds:
        speeds = ", ".join(offer.macsec_speeds) or "none"
        raise DirectConnectClientException(
            f"MACsec is not available for {bandwidth} ports at location {location}; its "
            f"availableMacSecPortSpeeds are: {speeds}."
        )


def checked_billing_mode(
    offer: Offer, location: str, bandwidth: str, billing_mode: str | None
) -> str:
    """The billing mode a new dedicated connection or LAG gets: the one asked for, if the
    location offers it for this port speed, else pay-as-you-go by default."""
    if billing_mode is None:
        return DEFAULT_BILLING_MODE
    check_choice(billing_mode, REQUEST_BILLING_MODES, "billingMode")
    for billing in offer.billing:
        if billing.billing_mode == billing_mode:
            if bandwidth not in billing.port_speeds:
                raise DirectConnectClientException(
                    f"Billing mode {billing_mode} is not available for {bandwidth} ports at "
                    f"location {location}; it covers {', '.join(billing.port_speeds) or 'none'}."
                )
            return billing_mode
    offered = ", ".join(b.billing_mode for b in offer.billing)
    raise DirectConnectClientException(
        f"Billing mode {billing_mode} is not available at location {location}; its "
        f"availableBillingModes are {offered}."
    )


class LocationOperations(BackendBase):
    """DescribeLocations; composed into `DirectConnectBackend`."""

    def describe_locations(self, caller: Caller) -> dict[str, Any]:
        """DescribeLocations: every location of the caller's region (no parameters)."""
        codes = LOCATIONS.get(caller.region, {})
        return {"locations": [location_wire(caller.region, code) for code in codes]}

"""DescribeLocations over boto3: the per-region catalogue, and locations bound to their region."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from dxsim.catalogue import LOCATIONS
from tests.conftest import error_of


@pytest.mark.parametrize("region", ["us-east-1", "us-west-2", "eu-west-1"])
def test_describe_locations_returns_the_catalogue_of_the_region(dx_for: Any, region: str) -> None:
    locations = dx_for(region=region).describe_locations()["locations"]
    assert [(loc["locationCode"], loc["locationName"], loc["region"]) for loc in locations] == [
        (code, name, region) for code, name in LOCATIONS[region].items()
    ]


def test_describe_locations_in_a_region_without_locations_is_empty(dx_for: Any) -> None:
    assert "ap-south-2" not in LOCATIONS
    assert dx_for(region="ap-south-2").describe_locations()["locations"] == []


def test_create_connection_at_a_location_of_another_region_is_refused(dx_for: Any) -> None:
    with pytest.raises(ClientError) as exc:
        dx_for(region="us-west-2").create_connection(
            location="EqDC2", bandwidth="1Gbps", connectionName="c"
        )
    code, message = error_of(exc)
    assert code == "DirectConnectClientException"
    assert "'EqDC2' is not a Direct Connect location in us-west-2" in message


def test_locations_say_what_they_offer_and_offers_differ(dx: Any) -> None:
    by_code = {loc["locationCode"]: loc for loc in dx.describe_locations()["locations"]}
    big, small = by_code["EqDC2"], by_code["KIOQ1"]
    assert big["availablePortSpeeds"] == ["1Gbps", "10Gbps", "100Gbps", "400Gbps"]
    assert big["availableMacSecPortSpeeds"] == ["10Gbps", "100Gbps", "400Gbps"]
    assert "Megaport" in big["availableProviders"]
    assert [b["billingMode"] for b in big["availableBillingModes"]][:2] == [
        "PayAsYouGo",
        "FlatRateTier1",
    ]
    assert big["availableBillingModes"][0] == {
        "billingMode": "PayAsYouGo",
        "availablePortSpeeds": big["availablePortSpeeds"],
        "includedRegions": ["us-east-1"],
    }
    assert small["availablePortSpeeds"] == ["1Gbps", "10Gbps"]
    assert small["availableMacSecPortSpeeds"] == []
    assert small["availableProviders"] == ["KIO Networks"]
    assert [b["billingMode"] for b in small["availableBillingModes"]] == ["PayAsYouGo"]
    standard = by_code["CS32A"]
    assert standard["availablePortSpeeds"] == ["1Gbps", "10Gbps", "100Gbps"]
    assert standard["availableMacSecPortSpeeds"] == ["10Gbps", "100Gbps"]

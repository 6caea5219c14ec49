"""DescribeLocations over the catalogue in `dxsim.catalogue`."""

from __future__ import annotations

from typing import Any

from dxsim.accounts import Caller
from dxsim.base import BackendBase
from dxsim.catalogue import LOCATIONS


def location_wire(region: str, code: str) -> dict[str, Any]:
    return {"locationCode": code, "locationName": LOCATIONS[region][code], "region": region}


class LocationOperations(BackendBase):
    """DescribeLocations; composed into `DirectConnectBackend`."""

    def describe_locations(self, caller: Caller) -> dict[str, Any]:
        """DescribeLocations: every location of the caller's region (no parameters)."""
        codes = LOCATIONS.get(caller.region, {})
        return {"locations": [location_wire(caller.region, code) for code in codes]}

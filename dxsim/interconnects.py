"""Interconnects: partner-owned connections that carry hosted connections.

Owning at least one live interconnect is what makes an account a Direct Connect partner here
(`BackendBase.is_partner`): its LAGs allow hosted connections (reference L2263) and its
connections become interconnects when they leave a LAG (L5372). An interconnect created into a
LAG must suit that LAG (`dxsim.lags.check_lag_can_take`).
"""

from __future__ import annotations

from typing import Any

from dxsim.accounts import Caller
from dxsim.base import BackendBase
from dxsim.connections import joining_mac_sec, mode_for_new_port
from dxsim.exceptions import InvalidState
from dxsim.lags import check_lag_can_take
from dxsim.locations import check_mac_sec, check_port_speed, check_provider, offer_at
from dxsim.paging import page_answer
from dxsim.records import Interconnect, Lag
from dxsim.validation import INTERCONNECT_BANDWIDTHS, check_choice, check_name

# The reference gives interconnect bandwidth "in Gbps. The possible values are 1 and 10" (L2161);
# AWS answers with "1Gbps"/"10Gbps", so bare numbers are accepted and normalised.
_BARE_GBPS = {"1": "1Gbps", "10": "10Gbps"}


def normalise_interconnect_bandwidth(bandwidth: str) -> str:
    value = _BARE_GBPS.get(bandwidth, bandwidth)
    check_choice(value, INTERCONNECT_BANDWIDTHS, "bandwidth")
    return value


class InterconnectOperations(BackendBase):
    """CreateInterconnect, DeleteInterconnect, DescribeInterconnects."""

    def create_interconnect(
        self,
        caller: Caller,
        *,
        interconnect_name: str,
        bandwidth: str,
        location: str,
        lag_id: str | None = None,
        tags: list[dict[str, Any]] | None = None,
        provider_name: str | None = None,
        request_mac_sec: bool | None = None,
    ) -> dict[str, Any]:
        """CreateInterconnect: `requested` → `pending` → `available`.

        With `lagId` the interconnect joins that LAG, so it must be at the LAG's location, have
        the LAG's bandwidth and fit under the LAG's 10-connection limit (L2132, L2257), and be
        MACsec-capable exactly when the LAG is. Port speed, `providerName` and `requestMACSec`
        must be what the location offers.
        """
        check_name(interconnect_name, "interconnectName", 200)
        bandwidth = normalise_interconnect_bandwidth(bandwidth)
        offer = offer_at(self, caller, location)
        check_port_speed(offer, location, bandwidth)
        check_provider(offer, location, provider_name)
        checked_tags = self.check_new_tags(tags or [], "Interconnect")
        device = self.ids.aws_device(location)
        redundancy = "no"
        lag: Lag | None = None
        if lag_id is not None:
            lag = self.get_lag(caller, lag_id)
            check_lag_can_take(self, lag, location, bandwidth)
            device = lag.aws_device or device
            redundancy = lag.has_logical_redundancy
            provider_name = provider_name or lag.provider_name
        capable = joining_mac_sec(lag, None, request_mac_sec)
        if capable:
            check_mac_sec(offer, location, bandwidth)
        ic = self.add(
            Interconnect(
                id=self.new_id("interconnect"),
                owner_account=caller.account,
                interconnect_name=interconnect_name,
                interconnect_state="requested",
                region=caller.region,
                location=location,
                bandwidth=bandwidth,
                lag_id=lag_id,
                aws_device=device,
                aws_device_v2=device,
                has_logical_redundancy=redundancy,
                provider_name=provider_name,
                mac_sec_capable=capable,
                encryption_mode=mode_for_new_port(lag, capable),
                created_at=self.now(),
            )
        )
        self.tag_new(self.arn_of(ic), checked_tags)
        self.schedule(ic, "pending", "available")
        return ic.to_wire(self)

    def describe_interconnects(
        self,
        caller: Caller,
        *,
        interconnect_id: str | None = None,
        max_results: int | None = None,
        next_token: str | None = None,
    ) -> dict[str, Any]:
        """DescribeInterconnects: the caller's interconnects in the region, or just one; oldest
        first, all of them without `maxResults`, else pages with `nextToken`."""
        if interconnect_id is not None:
            return {"interconnects": [self.get_interconnect(caller, interconnect_id).to_wire(self)]}
        mine = [
            ic
            for ic in self.interconnects.values()
            if ic.owner_account == caller.account and ic.region == caller.region
        ]
        return page_answer(
            "interconnects",
            mine,
            lambda ic: ic.to_wire(self),
            scope=f"DescribeInterconnects/{caller.account}/{caller.region}",
            max_results=max_results,
            next_token=next_token,
            default_size=None,
        )

    def delete_interconnect(self, caller: Caller, *, interconnect_id: str) -> dict[str, Any]:
        """DeleteInterconnect: `deleting` → `deleted`; answers only `{interconnectState}`.

        Refused while hosted connections that are not deleted or rejected still ride on it.
        """
        ic = self.get_interconnect(caller, interconnect_id)
        if ic.interconnect_state in ("deleting", "deleted"):
            return {"interconnectState": ic.interconnect_state}
        hosted = self.hosted_on(ic.id)
        if hosted:
            raise InvalidState(
                f"Interconnect {ic.id} still has {len(hosted)} hosted connection(s) "
                f"({', '.join(c.id for c in hosted)}); delete them first."
            )
        ic.interconnect_state = "deleting"
        self.schedule(ic, "deleted")
        return {"interconnectState": ic.interconnect_state}

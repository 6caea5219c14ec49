"""Interconnects: partner-owned connections that carry hosted connections."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from dxsim.base import BackendBase
from dxsim.wire import compact
from dxsim.world import Resource, World


@dataclass(kw_only=True)
class Interconnect(Resource):
    """An interconnect as DescribeInterconnects returns it (the wire shape has no ownerAccount)."""

    KIND: ClassVar[str] = "interconnect"
    STATE_FIELD: ClassVar[str] = "interconnect_state"

    owner_account: str
    interconnect_name: str
    interconnect_state: str
    region: str
    location: str
    bandwidth: str
    loa_issue_time: float | None = None
    lag_id: str | None = None
    aws_device: str = ""
    jumbo_frame_capable: bool = False
    aws_device_v2: str = ""
    has_logical_redundancy: str = "no"
    link_up: bool = True

    def to_wire(self, world: World) -> dict[str, Any]:
        return compact(
            {
                "interconnectId": self.id,
                "interconnectName": self.interconnect_name,
                "interconnectState": self.interconnect_state,
                "region": self.region,
                "location": self.location,
                "bandwidth": self.bandwidth,
                "loaIssueTime": self.loa_issue_time,
                "lagId": self.lag_id,
                "awsDevice": self.aws_device,
                "jumboFrameCapable": self.jumbo_frame_capable,
                "awsDeviceV2": self.aws_device_v2,
                "hasLogicalRedundancy": self.has_logical_redundancy,
            }
        )


class InterconnectOperations(BackendBase):
    """Operations on this resource kind; composed into `DirectConnectBackend`."""

"""Link aggregation groups (LAGs) and their member connections."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from dxsim.base import BackendBase
from dxsim.wire import compact
from dxsim.world import Resource, World


@dataclass(kw_only=True)
class Lag(Resource):
    """A LAG; `numberOfConnections` and `connections` are derived from member connections."""

    KIND: ClassVar[str] = "lag"
    STATE_FIELD: ClassVar[str] = "lag_state"

    owner_account: str
    lag_name: str
    lag_state: str
    region: str
    location: str
    connections_bandwidth: str
    minimum_links: int = 0
    aws_device: str = ""
    aws_device_v2: str = ""
    allows_hosted_connections: bool = False
    jumbo_frame_capable: bool = False
    has_logical_redundancy: str = "no"

    def members(self, world: World) -> list[Any]:
        """Member connections and interconnects, in creation order."""
        conns: list[Any] = [c for c in world.connections.values() if c.lag_id == self.id]
        conns += [i for i in world.interconnects.values() if i.lag_id == self.id]
        return conns

    def to_wire(self, world: World) -> dict[str, Any]:
        members = [m.to_wire(world) for m in self.members(world) if m.KIND == "connection"]
        return compact(
            {
                "connectionsBandwidth": self.connections_bandwidth,
                "numberOfConnections": len(self.members(world)),
                "lagId": self.id,
                "ownerAccount": self.owner_account,
                "lagName": self.lag_name,
                "lagState": self.lag_state,
                "location": self.location,
                "region": self.region,
                "minimumLinks": self.minimum_links,
                "awsDevice": self.aws_device,
                "awsDeviceV2": self.aws_device_v2,
                "connections": members,
                "allowsHostedConnections": self.allows_hosted_connections,
                "jumboFrameCapable": self.jumbo_frame_capable,
                "hasLogicalRedundancy": self.has_logical_redundancy,
            }
        )


class LagOperations(BackendBase):
    """Operations on this resource kind; composed into `DirectConnectBackend`."""

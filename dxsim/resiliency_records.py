"""The records of resiliency work: BGP failover tests, resiliency groups and their connection
associations, and the client tokens that make resiliency-group calls idempotent.

What is stored and how each looks on the wire; the rules live in `dxsim.failover_tests` and
`dxsim.resiliency_groups`. Like every record, these survive a restart with the rest of the world
(`dxsim.world.SqliteStore`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from dxsim.resource import Resource
from dxsim.wire import compact

# Failover test statuses on the wire. AWS documents In progress / Completed / Cancelled / Failed
# (UG resiliency_failover) but no wire string has been published; dxsim sends them lowercase and
# hyphenated, as Direct Connect's other states are.
TEST_IN_PROGRESS = "in-progress"
TEST_COMPLETED = "completed"
TEST_CANCELLED = "cancelled"
TEST_FAILED = "failed"
TEST_STATUSES = (TEST_IN_PROGRESS, TEST_COMPLETED, TEST_CANCELLED, TEST_FAILED)
TEST_ENDED = frozenset({TEST_COMPLETED, TEST_CANCELLED, TEST_FAILED})

RESILIENCY_GROUP_TYPE = "Managed"


def resiliency_group_arn(account: str, group_id: str) -> str:
    """ARN of a resiliency group: no Region, as the model's ARN pattern has none."""
    return f"arn:aws:directconnect::{account}:dx-resiliency-group/{group_id}"


@dataclass(kw_only=True)
class FailoverTest(Resource):
    """One StartBgpFailoverTest run on a virtual interface.

    `end_time` is the planned end while the test is in progress and the real end once it is over
    (completed, stopped early, or ended by the VIF's deletion). `bgp_peers` are the peer IDs held
    down for the test.
    """

    KIND: ClassVar[str] = "failover_test"
    STATE_FIELD: ClassVar[str] = "status"

    owner_account: str
    region: str
    virtual_interface_id: str
    bgp_peers: list[str] = field(default_factory=list)
    status: str = TEST_IN_PROGRESS
    test_duration_in_minutes: int = 180
    start_time: float = 0.0
    end_time: float = 0.0

    @property
    def running(self) -> bool:
        return self.status == TEST_IN_PROGRESS

    def to_wire(self) -> dict[str, Any]:
        return {
            "testId": self.id,
            "virtualInterfaceId": self.virtual_interface_id,
            "bgpPeers": list(self.bgp_peers),
            "status": self.status,
            "ownerAccount": self.owner_account,
            "testDurationInMinutes": self.test_duration_in_minutes,
            "startTime": self.start_time,
            "endTime": self.end_time,
        }


@dataclass(kw_only=True)
class ResiliencyGroup(Resource):
    """A resiliency group (`dxrg-` + 17 lowercase alphanumerics), regional though its ARN is not.

    `intended_resiliency_model` is stored as given; the output shape has no member for it.
    """

    KIND: ClassVar[str] = "resiliency_group"
    STATE_FIELD: ClassVar[str] = "resiliency_group_state"

    owner_account: str
    region: str
    resiliency_group_name: str
    intended_resiliency_model: str
    resiliency_group_state: str = "pending"
    created_at: float = 0.0

    @property
    def arn(self) -> str:
        return resiliency_group_arn(self.owner_account, self.id)

    def summary_wire(self) -> dict[str, Any]:
        """The ResiliencyGroupSummary shape (ListResiliencyGroups): the group without tags."""
        return {
            "resiliencyGroupId": self.id,
            "resiliencyGroupArn": self.arn,
            "resiliencyGroupName": self.resiliency_group_name,
            "resiliencyGroupType": RESILIENCY_GROUP_TYPE,
            "ownerAccount": self.owner_account,
            "state": self.resiliency_group_state,
        }

    def to_wire(self, tags: list[dict[str, Any]]) -> dict[str, Any]:
        """The ResiliencyGroup shape; `tags` is omitted when the group has none (TagList min 1)."""
        return compact({**self.summary_wire(), "tags": tags or None})


@dataclass(kw_only=True)
class ResiliencyGroupAssociation(Resource):
    """A connection in a resiliency group; `id` is `<group id>/<connection id>`."""

    KIND: ClassVar[str] = "resiliency_group_association"
    STATE_FIELD: ClassVar[str] = "association_state"

    resiliency_group_id: str
    connection_id: str
    connection_arn: str
    owner_account: str
    region: str
    association_state: str = "associating"
    created_at: float = 0.0

    def to_wire(self) -> dict[str, Any]:
        return {
            "resiliencyGroupId": self.resiliency_group_id,
            "connectionArn": self.connection_arn,
            "state": self.association_state,
        }


@dataclass(kw_only=True)
class ClientToken(Resource):
    """A `clientToken` already used: `id` is `<account>/<region>/<operation>/<token>`.

    `digest` fingerprints the request's other parameters (a replay must match it); `resource_id`
    names the group the call acted on and `result` keeps the first answer of calls whose answer
    is not simply the group's current state (associate, disassociate).
    """

    KIND: ClassVar[str] = "client_token"

    digest: str
    resource_id: str
    result: list[dict[str, Any]] | None = None
    created_at: float = 0.0

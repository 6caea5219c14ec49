"""BGP failover tests: StartBgpFailoverTest, StopBgpFailoverTest, ListVirtualInterfaceTestHistory.

A test holds BGP peers of a virtual interface DOWN for a while, so the customer can check that
traffic fails over. Rules (botocore model; UG resiliency_failover):

* only the VIF's owner may test it (for a hosted VIF the account it was allocated to, not the
  connection owner); public, private and transit VIFs, hosted ones included;
* the VIF must be `available` or `down`; it is `testing` for the whole test and returns to what
  its link gives (`available` or `down`) afterwards; one test at a time per VIF;
* `bgpPeers` names live peers of the VIF (default: all of them); the tested peers' `bgpStatus` is
  `down` during the test, the VIF's other peers keep following the link;
* `testDurationInMinutes` is 1–4320, default 180, counted on the simulated clock.

Statuses on the wire: `in-progress`, `completed` (ran its full duration), `cancelled` (stopped
early with StopBgpFailoverTest) and `failed` (the VIF was deleted, or otherwise left `testing`,
before the test ended) — AWS's own strings are unpublished (see `dxsim.resiliency_records`).
`endTime` is the planned end while a test runs and the real end afterwards;
`testDurationInMinutes` stays the requested duration. History is kept 365 simulated days after a
test ends (the backend's purge), also after the VIF itself is gone.
"""

from __future__ import annotations

from typing import Any

from dxsim.accounts import Caller
from dxsim.base import BackendBase
from dxsim.exceptions import DirectConnectClientException, InvalidState, NotFound
from dxsim.paging import page_answer
from dxsim.records import VirtualInterface
from dxsim.resiliency_records import (
    TEST_CANCELLED,
    TEST_COMPLETED,
    TEST_FAILED,
    TEST_STATUSES,
    FailoverTest,
)
from dxsim.validation import check_choice

DEFAULT_DURATION_MINUTES = 180
MAX_DURATION_MINUTES = 4320
HISTORY_RETENTION = 365 * 86400.0
TESTABLE_TYPES = ("public", "private", "transit")
STARTABLE_STATES = ("available", "down")
TESTING = "testing"


class FailoverTestOperations(BackendBase):
    """The failover-test operations, and the upkeep the backend's `recompute()` calls; composed
    into `DirectConnectBackend`."""

    def start_bgp_failover_test(
        self,
        caller: Caller,
        *,
        virtual_interface_id: str,
        bgp_peers: list[str] | None = None,
        test_duration_in_minutes: int | None = None,
    ) -> dict[str, Any]:
        """StartBgpFailoverTest: the VIF goes `testing` and the chosen peers DOWN for the test's
        duration; the test is `in-progress` until it completes or is stopped."""
        vif = self._owned_vif(caller, virtual_interface_id, "start a BGP failover test on")
        duration = test_duration_in_minutes
        if duration is None:
            duration = DEFAULT_DURATION_MINUTES
        if not 1 <= duration <= MAX_DURATION_MINUTES:
            raise DirectConnectClientException(
                f"testDurationInMinutes {duration} is not valid: it must be between 1 and "
                f"{MAX_DURATION_MINUTES} minutes (72 hours); the default is "
                f"{DEFAULT_DURATION_MINUTES}."
            )
        if vif.virtual_interface_type not in TESTABLE_TYPES:
            raise DirectConnectClientException(
                f"Virtual interface {vif.id} is a {vif.virtual_interface_type} virtual interface; "
                f"BGP failover tests run on public, private and transit virtual interfaces."
            )
        running = self.running_test(vif.id)
        if running is not None:
            raise InvalidState(
                f"A BGP failover test ({running.id}) is already in progress on virtual interface "
                f"{vif.id}; stop it with StopBgpFailoverTest or wait until it ends."
            )
        if vif.virtual_interface_state not in STARTABLE_STATES:
            raise InvalidState(
                f"Virtual interface {vif.id} is in state {vif.virtual_interface_state}; a BGP "
                f"failover test needs it available or down."
            )
        peers = self._tested_peers(vif, bgp_peers)
        now = self.now()
        test = self.add(
            FailoverTest(
                id=self.new_id("failover_test"),
                owner_account=vif.owner_account,
                region=vif.region,
                virtual_interface_id=vif.id,
                bgp_peers=peers,
                test_duration_in_minutes=duration,
                start_time=now,
                end_time=now + duration * 60.0,
            )
        )
        self.schedule(test, TEST_COMPLETED, delay=duration * 60.0)
        vif.virtual_interface_state = TESTING
        return {"virtualInterfaceTest": test.to_wire()}

    def stop_bgp_failover_test(
        self, caller: Caller, *, virtual_interface_id: str
    ) -> dict[str, Any]:
        """StopBgpFailoverTest: ends the VIF's running test now (`cancelled`); the VIF and its
        peers return to what the link gives."""
        vif = self._owned_vif(caller, virtual_interface_id, "stop a BGP failover test on")
        test = self.running_test(vif.id)
        if test is None:
            raise InvalidState(
                f"No BGP failover test is in progress on virtual interface {vif.id}."
            )
        self._end_test(test, TEST_CANCELLED, self.now())
        return {"virtualInterfaceTest": test.to_wire()}

    def list_virtual_interface_test_history(
        self,
        caller: Caller,
        *,
        test_id: str | None = None,
        virtual_interface_id: str | None = None,
        bgp_peers: list[str] | None = None,
        status: str | None = None,
        max_results: int | None = None,
        next_token: str | None = None,
    ) -> dict[str, Any]:
        """ListVirtualInterfaceTestHistory: the caller's tests in the Region, newest first.

        Filters combine: `testId` and `virtualInterfaceId` match exactly (a VIF deleted since
        still has its history), `bgpPeers` keeps tests that held down every peer named, `status`
        must be one of in-progress|completed|cancelled|failed.
        """
        if status is not None:
            check_choice(status, TEST_STATUSES, "status")
        wanted_peers = set(bgp_peers or ())
        tests = [
            t
            for t in self.failover_tests.values()
            if t.owner_account == caller.account
            and t.region == caller.region
            and test_id in (None, t.id)
            and virtual_interface_id in (None, t.virtual_interface_id)
            and status in (None, t.status)
            and wanted_peers <= set(t.bgp_peers)
        ]
        return page_answer(
            "virtualInterfaceTestHistory",
            tests,
            lambda t: t.to_wire(),
            scope=(
                f"test-history/{caller.account}/{caller.region}/{test_id}/"
                f"{virtual_interface_id}/{sorted(wanted_peers)}/{status}"
            ),
            max_results=max_results,
            next_token=next_token,
            sort_key=lambda t: (-t.start_time, t.id),
        )

    # -- lifecycle --------------------------------------------------------------------------
    def entered_failover_test(self, test: FailoverTest, status: str) -> None:
        """The scheduled end of a test: it ran its full duration."""
        if status == TEST_COMPLETED:
            self._end_test(test, TEST_COMPLETED, test.end_time)

    def running_test(self, vif_id: str) -> FailoverTest | None:
        """The test in progress on a VIF, if any."""
        return next(
            (
                t
                for t in self.failover_tests.values()
                if t.virtual_interface_id == vif_id and t.running
            ),
            None,
        )

    def peers_held_down(self) -> set[str]:
        """The BGP peers running tests hold DOWN; the backend's `recompute()` calls this first.

        It also keeps tests and VIFs consistent: a test whose VIF was deleted (or otherwise left
        `testing`) ends `failed`, and a VIF `testing` without a running test returns to
        `available` (the recompute then derives `down` if its link is down).
        """
        held: set[str] = set()
        tested: set[str] = set()
        for test in list(self.failover_tests.values()):
            if not test.running:
                continue
            vif = self.virtual_interfaces.get(test.virtual_interface_id)
            if vif is None or vif.virtual_interface_state != TESTING:
                self._end_test(test, TEST_FAILED, self.now())
                continue
            tested.add(vif.id)
            held.update(test.bgp_peers)
        for vif in self.virtual_interfaces.values():
            if vif.virtual_interface_state == TESTING and vif.id not in tested:
                vif.virtual_interface_state = "available"
        return held

    def vif_passes_traffic(self, vif: VirtualInterface) -> bool:
        """True if the VIF forwards traffic: `available`, or `testing` on a link that is up
        (peers outside the test stay up)."""
        if vif.virtual_interface_state == "available":
            return True
        if vif.virtual_interface_state != TESTING:
            return False
        carrier = self.carrier(vif.connection_id)
        return carrier is not None and carrier.state == "available"

    def _end_test(self, test: FailoverTest, status: str, when: float) -> None:
        test.status = status
        test.end_time = when
        test.transitions = []
        vif = self.virtual_interfaces.get(test.virtual_interface_id)
        if vif is not None and vif.virtual_interface_state == TESTING:
            vif.virtual_interface_state = "available"

    # -- checks -----------------------------------------------------------------------------
    def _owned_vif(self, caller: Caller, vif_id: str, action: str) -> VirtualInterface:
        vif = self.get_virtual_interface(caller, vif_id)
        if vif.owner_account != caller.account:
            raise DirectConnectClientException(
                f"Only the owner of virtual interface {vif.id} (account {vif.owner_account}) can "
                f"{action} it."
            )
        return vif

    def _tested_peers(self, vif: VirtualInterface, bgp_peers: list[str] | None) -> list[str]:
        """The peer IDs a test holds down: those named (each a live peer of the VIF), or all."""
        live = [p.id for p in vif.peers(self) if p.live]
        if bgp_peers is None:
            return live
        if not bgp_peers:
            raise DirectConnectClientException(
                f"bgpPeers is empty: name at least one BGP peer of virtual interface {vif.id}, "
                f"or omit bgpPeers to test all of them."
            )
        chosen = list(dict.fromkeys(bgp_peers))
        for peer_id in chosen:
            if peer_id not in live:
                raise NotFound(
                    f"BGP peer {peer_id[:64]} does not exist on virtual interface {vif.id}."
                )
        return chosen

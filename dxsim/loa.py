"""Letters of Authorization: real PDFs naming the connection, location, port and provider.

A colocation provider needs the LOA-CFA to run the cross connect to the AWS port, so the document
names the requester, the resource, the location (code and full name), the AWS device and port,
the bandwidth, the issue date and how long it is valid. Asking for an LOA stamps `loaIssueTime`
on a connection or interconnect (seed-spec O3); the Lag shape has no such field (O4).
The blob travels base64-encoded in the JSON body; boto3 hands the caller the PDF bytes.
"""

from __future__ import annotations

import base64
import zlib
from datetime import UTC, datetime, timedelta
from typing import Any

from dxsim import pdf
from dxsim.accounts import Caller
from dxsim.base import BackendBase
from dxsim.catalogue import LOCATIONS
from dxsim.exceptions import DirectConnectClientException, InvalidState
from dxsim.records import Connection, Interconnect, Lag

LoaSubject = Connection | Interconnect | Lag

TITLE = "LETTER OF AUTHORIZATION AND CONNECTING FACILITY ASSIGNMENT (LOA-CFA)"
CONTENT_TYPE = "application/pdf"
VALID_DAYS = 90
NO_LOA_STATES = frozenset({"deleted", "rejected"})


def port_of(resource_id: str) -> str:
    """A stable `slot/card/port` on the AWS device, derived from the resource ID."""
    digest = zlib.crc32(resource_id.encode())
    return f"{1 + digest % 2}/{1 + (digest >> 1) % 4}/{1 + (digest >> 3) % 48}"


def check_content_type(loa_content_type: str | None) -> None:
    if loa_content_type not in (None, CONTENT_TYPE):
        raise DirectConnectClientException(
            f"loaContentType {loa_content_type!r} is not valid: "
            f"the only supported value is {CONTENT_TYPE}."
        )


class LoaOperations(BackendBase):
    """DescribeLoa and the two deprecated LOA calls; composed into `DirectConnectBackend`."""

    def describe_loa(
        self,
        caller: Caller,
        *,
        connection_id: str,
        provider_name: str | None = None,
        loa_content_type: str | None = None,
    ) -> dict[str, Any]:
        """DescribeLoa: the LOA-CFA for a connection, interconnect or LAG, as a bare Loa."""
        check_content_type(loa_content_type)
        resource: LoaSubject
        if connection_id.startswith("dxlag-"):
            resource = self.get_lag(caller, connection_id)
        elif self._visible_interconnect(caller, connection_id):
            resource = self.get_interconnect(caller, connection_id)
        else:
            resource = self.get_connection(caller, connection_id)
        return self._issue_loa(caller, resource, provider_name)

    def describe_connection_loa(
        self,
        caller: Caller,
        *,
        connection_id: str,
        provider_name: str | None = None,
        loa_content_type: str | None = None,
    ) -> dict[str, Any]:
        """DescribeConnectionLoa (deprecated): a connection's LOA-CFA wrapped in `loa`."""
        check_content_type(loa_content_type)
        conn = self.get_connection(caller, connection_id)
        return {"loa": self._issue_loa(caller, conn, provider_name)}

    def describe_interconnect_loa(
        self,
        caller: Caller,
        *,
        interconnect_id: str,
        provider_name: str | None = None,
        loa_content_type: str | None = None,
    ) -> dict[str, Any]:
        """DescribeInterconnectLoa (deprecated): an interconnect's LOA-CFA wrapped in `loa`."""
        check_content_type(loa_content_type)
        interconnect = self.get_interconnect(caller, interconnect_id)
        return {"loa": self._issue_loa(caller, interconnect, provider_name)}

    # -- the document ---------------------------------------------------------------------------
    def _visible_interconnect(self, caller: Caller, resource_id: str) -> bool:
        ic = self.interconnects.get(resource_id)
        return ic is not None and ic.owner_account == caller.account and ic.region == caller.region

    def _issue_loa(
        self, caller: Caller, resource: LoaSubject, provider_name: str | None
    ) -> dict[str, Any]:
        """Renders the PDF and stamps `loaIssueTime`; refuses resources that are gone."""
        if resource.state in NO_LOA_STATES:
            raise InvalidState(
                f"Cannot issue an LOA-CFA for {resource.id}: it is in state {resource.state}."
            )
        issued = self.now()
        document = pdf.render(TITLE, self._loa_lines(caller, resource, provider_name, issued))
        if not isinstance(resource, Lag):
            resource.loa_issue_time = issued
        return {
            "loaContent": base64.b64encode(document).decode("ascii"),
            "loaContentType": CONTENT_TYPE,
        }

    def _loa_lines(
        self,
        caller: Caller,
        resource: LoaSubject,
        provider_name: str | None,
        issued: float,
    ) -> list[str]:
        kind, name, bandwidth = self._describe(resource)
        requester = f"AWS account {caller.account}"
        if provider_name:
            requester = f"{provider_name} on behalf of {requester}"
        location_name = LOCATIONS.get(resource.region, {}).get(resource.location, "")
        issued_at = datetime.fromtimestamp(issued, UTC)
        expires = issued_at + timedelta(days=VALID_DAYS)
        return [
            f"Requester: {requester}",
            *([f"Provider: {provider_name}"] if provider_name else []),
            "",
            f"{kind} ID: {resource.id}",
            f"{kind} name: {name}",
            f"Region: {resource.region}",
            f"Location: {resource.location} - {location_name}",
            f"AWS device: {resource.aws_device}",
            *self._port_lines(resource),
            f"Bandwidth: {bandwidth}",
            "Demarcation: single-mode fiber, 1310 nm, LC connector",
            "",
            f"Issue date: {issued_at:%Y-%m-%d %H:%M:%S} UTC",
            f"Valid until: {expires:%Y-%m-%d} (this LOA-CFA is valid for {VALID_DAYS} days "
            "from the issue date; request a new one if the cross connect is not complete by then)",
            "",
            "Amazon Web Services authorizes the requester to order a cross connect from its "
            "equipment to the AWS port(s) named above at this colocation facility.",
        ]

    def _describe(self, resource: LoaSubject) -> tuple[str, str, str]:
        """(kind label, name, bandwidth) of the resource."""
        if isinstance(resource, Lag):
            count = len(resource.members(self))
            return "LAG", resource.lag_name, f"{count} x {resource.connections_bandwidth}"
        if isinstance(resource, Interconnect):
            return "Interconnect", resource.interconnect_name, resource.bandwidth
        return "Connection", resource.connection_name, resource.bandwidth

    def _port_lines(self, resource: LoaSubject) -> list[str]:
        """One port for a connection or interconnect; a LAG lists its members' ports.

        A hosted connection has no port of its own: it rides its interconnect's (or LAG's).
        """
        if isinstance(resource, Connection) and resource.parent_id:
            parent = self.carrier(resource.parent_id)
            if isinstance(parent, LoaSubject):
                return self._port_lines(parent)
        if isinstance(resource, Lag):
            members = resource.members(self)
            if members:
                return [f"Port: {port_of(m.id)} ({m.id})" for m in members]
        return [f"Port: {port_of(resource.id)}"]

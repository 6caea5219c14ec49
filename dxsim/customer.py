"""Customer metadata, agreements and billing modes: DescribeCustomerMetadata,
ConfirmCustomerAgreement and UpdateConnectionsBillingMode (dx-current-api.md §1.H, §1.I).

**NNI partner type.** An account that owns no live interconnect is a `nonPartner` (owning one is
what makes an account a partner here, `BackendBase.is_partner`). A partner is `v2` when its
12-digit account ID ends in 9 and `v1` otherwise: deterministic, stable while interconnects come
and go, and V1 (the common case, sub-gigabit hosted connections) stays the default, so a test
that wants a V2 partner picks an account such as 111111111119. The type gates
AllocateHostedConnection's bandwidth (the model's NniPartnerType doc): V1 partners allocate
50Mbps–500Mbps only, V2 partners 1, 2, 5 or 10 Gbps only (`check_hosted_bandwidth`).

**Agreements.** Every account has the same fixed list (`AGREEMENTS`), all `unsigned` until
ConfirmCustomerAgreement signs one; signatures are per account, not per Region, and nothing else
depends on them (AWS documents no operation that needs one).
"""

from __future__ import annotations

from typing import Any

from dxsim.accounts import Caller
from dxsim.base import BackendBase
from dxsim.catalogue import location_offer
from dxsim.exceptions import DirectConnectClientException, InvalidState, NotFound
from dxsim.locations import REQUEST_BILLING_MODES, checked_billing_mode
from dxsim.macsec_records import CustomerAgreements
from dxsim.records import Connection
from dxsim.resource import GONE_STATES
from dxsim.validation import check_choice

AGREEMENTS = ("DirectConnectServiceTerms", "DirectConnectFlatRateBillingTerms")
MAX_BILLING_CONNECTIONS = 200
V1_HOSTED_BANDWIDTHS = ("50Mbps", "100Mbps", "200Mbps", "300Mbps", "400Mbps", "500Mbps")
V2_HOSTED_BANDWIDTHS = ("1Gbps", "2Gbps", "5Gbps", "10Gbps")


def nni_partner_type(backend: BackendBase, account: str) -> str:
    """`nonPartner`, `v1` or `v2`, as the module docstring explains."""
    if not backend.is_partner(account):
        return "nonPartner"
    return "v2" if account.endswith("9") else "v1"


def check_hosted_bandwidth(backend: BackendBase, account: str, bandwidth: str) -> None:
    """Refuses a hosted-connection bandwidth the partner's NNI type cannot allocate. An account
    that is no partner (any more) but still owns a LAG that hosts connections allocates as V1."""
    kind = nni_partner_type(backend, account)
    allowed = V2_HOSTED_BANDWIDTHS if kind == "v2" else V1_HOSTED_BANDWIDTHS
    if bandwidth not in allowed:
        label = "V2" if kind == "v2" else "V1"
        raise DirectConnectClientException(
            f"Account {account} is a {label} NNI partner (DescribeCustomerMetadata "
            f"nniPartnerType); it can allocate only {', '.join(allowed)} hosted connections, "
            f"not {bandwidth}."
        )


class CustomerOperations(BackendBase):
    """Customer metadata, agreements and connection billing modes."""

    def describe_customer_metadata(self, caller: Caller) -> dict[str, Any]:
        """DescribeCustomerMetadata: the fixed agreements with their status, and the caller's
        NNI partner type."""
        record = self.customer_agreements.get(caller.account)
        signed = set(record.signed) if record is not None else set()
        return {
            "agreements": [
                {"agreementName": name, "status": "signed" if name in signed else "unsigned"}
                for name in AGREEMENTS
            ],
            "nniPartnerType": nni_partner_type(self, caller.account),
        }

    def confirm_customer_agreement(self, caller: Caller, *, agreement_name: str) -> dict[str, Any]:
        """ConfirmCustomerAgreement: signs one of `AGREEMENTS` for the caller's account
        (idempotent); any other name is refused."""
        if agreement_name not in AGREEMENTS:
            raise NotFound(
                f"Agreement {agreement_name!r} does not exist; DescribeCustomerMetadata lists "
                f"the agreements: {', '.join(AGREEMENTS)}."
            )
        record = self.customer_agreements.get(caller.account)
        if record is None:
            record = self.add(CustomerAgreements(id=caller.account))
        if agreement_name not in record.signed:
            record.signed = [*record.signed, agreement_name]
        return {"status": "signed"}

    def update_connections_billing_mode(
        self, caller: Caller, *, connection_ids: list[str], billing_mode: str
    ) -> dict[str, Any]:
        """UpdateConnectionsBillingMode: 1–200 of the caller's dedicated connections, atomically.

        Every connection is checked before any changes: it must be the caller's own dedicated
        connection (not hosted), not deleting or deleted, and its location must offer the mode
        for its port speed (DescribeLocations `availableBillingModes`). An ID given twice counts
        once. Answers `{billingMode, connections}`.
        """
        if len(connection_ids) > MAX_BILLING_CONNECTIONS:
            raise DirectConnectClientException(
                f"connectionIds has {len(connection_ids)} entries; give 1 to "
                f"{MAX_BILLING_CONNECTIONS} connections per request."
            )
        check_choice(billing_mode, REQUEST_BILLING_MODES, "billingMode")
        chosen: list[Connection] = []
        for connection_id in dict.fromkeys(connection_ids):
            conn = self.get_connection(caller, connection_id)
            if conn.is_hosted:
                raise DirectConnectClientException(
                    f"Connection {conn.id} is a hosted connection; billing modes apply to "
                    f"dedicated connections only."
                )
            if conn.owner_account != caller.account:
                raise NotFound(f"Could not find Connection with ID {connection_id}")
            if conn.connection_state in GONE_STATES:
                raise InvalidState(f"Connection {conn.id} is in state {conn.connection_state}.")
            offer = location_offer(conn.region, conn.location)
            checked_billing_mode(offer, conn.location, conn.bandwidth, billing_mode)
            chosen.append(conn)
        for conn in chosen:
            conn.billing_mode = billing_mode
        return {"billingMode": billing_mode, "connections": [c.to_wire(self) for c in chosen]}

"""The records of MACsec and customer metadata: keys associated with a port, the simulated
Secrets Manager secrets holding CKN/CAK pairs, and each account's signed agreements.

The CAK is a secret: no record keeps it. A secret stores the CKN and a SHA-256 fingerprint of
the CAK (enough to tell two pairs apart), so neither the store, a response, an error nor a log
line can ever carry the CAK itself. The rules live in `dxsim.macsec` and `dxsim.customer`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from dxsim.resource import Resource
from dxsim.wire import compact

# Key states in which the key still counts for the port (MacSecKey.state doc in the model).
LIVE_KEY_STATES = frozenset({"associating", "associated"})


@dataclass(kw_only=True)
class MacSecKey(Resource):
    """A MACsec key (secret) associated with a dedicated connection, interconnect or LAG.

    `id` is `<owner id>/<secret ARN>`; `owner_id` the port or LAG it belongs to. States follow
    the simulated clock: `associating` → `associated`, `disassociating` → `disassociated` (then
    purged). `start_on` is when it took effect, in UTC, as the model's string.
    """

    KIND: ClassVar[str] = "mac_sec_key"
    STATE_FIELD: ClassVar[str] = "state"

    owner_id: str
    secret_arn: str
    ckn: str
    state: str = "associating"
    start_on: str = ""
    created_at: float = 0.0

    @property
    def live(self) -> bool:
        return self.state in LIVE_KEY_STATES

    def to_wire(self) -> dict[str, Any]:
        return compact(
            {
                "secretARN": self.secret_arn,
                "ckn": self.ckn,
                "state": self.state,
                "startOn": self.start_on or None,
            }
        )


@dataclass(kw_only=True)
class MacSecSecret(Resource):
    """A CKN/CAK pair as the simulated Secrets Manager holds it; `id` is the secret ARN
    (`arn:aws:secretsmanager:<region>:<account>:secret:directconnect!…`). Only a fingerprint of
    the CAK is kept."""

    KIND: ClassVar[str] = "mac_sec_secret"

    owner_account: str
    region: str
    ckn: str
    cak_sha256: str


@dataclass(kw_only=True)
class CustomerAgreements(Resource):
    """The agreements an account has signed (ConfirmCustomerAgreement); `id` is the account.
    Agreements are per account, not per Region."""

    KIND: ClassVar[str] = "customer_agreements"

    signed: list[str] = field(default_factory=list)

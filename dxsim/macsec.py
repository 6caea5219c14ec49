"""MACsec keys: AssociateMacSecKey and DisassociateMacSecKey (dx-current-api.md §1.D).

A key goes on a MACsec-capable dedicated connection, interconnect or LAG (MACsec is requested at
creation, `requestMACSec`); a LAG's keys apply to all its members, so a member takes no keys of
its own (and drops them when it joins, `dxsim.lags`). A request names the key either by the
`secretARN` of a secret Direct Connect stored earlier in the caller's simulated Secrets Manager,
or by a new `ckn` + `cak` pair (64 hex digits each), which the simulator stores as a new secret
`arn:aws:secretsmanager:<region>:<account>:secret:directconnect!<hex>-<6 chars>` and answers
with; Terraform uses that ARN as the association's ID. Key states move on the simulated clock:
`associating` → `associated`, `disassociating` → `disassociated` (then the key is gone).

**The CAK is a secret.** It is never stored (only a SHA-256 fingerprint), returned, logged or put
in an error message; the messages below name the `cak` member, never its value.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime
from typing import Any

from dxsim.accounts import Caller
from dxsim.base import BackendBase
from dxsim.exceptions import DirectConnectClientException, InvalidState, NotFound
from dxsim.macsec_records import MacSecKey, MacSecSecret
from dxsim.port_wire import mac_sec_keys
from dxsim.records import Connection, Interconnect, Lag
from dxsim.resource import GONE_STATES

_HEX64 = re.compile(r"^[0-9a-fA-F]{64}$")
_SECRET_ARN = re.compile(
    r"^arn:aws:secretsmanager:(?P<region>[a-z0-9-]+):(?P<account>\d{12}):"
    r"secret:directconnect!(?P<name>[A-Za-z0-9/_+=.@!-]{1,500})$"
)

Port = Connection | Interconnect | Lag


def _start_on(when: float) -> str:
    """`startOn`: the model's UTC date-time string."""
    return datetime.fromtimestamp(when, UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


class MacSecOperations(BackendBase):
    """AssociateMacSecKey and DisassociateMacSecKey."""

    def _mac_sec_port(self, caller: Caller, connection_id: str) -> Port:
        """The caller's MACsec-capable dedicated connection, interconnect or LAG.

        Refused: hosted connections ("MACsec is unavailable on hosted connections"), ports
        created without `requestMACSec`, LAG members (their keys are the LAG's), and ports that
        are being deleted.
        """
        port: Port
        if connection_id.startswith("dxlag-"):
            port = self.get_lag(caller, connection_id)
        elif connection_id in self.interconnects:
            port = self.get_interconnect(caller, connection_id)
        else:
            conn = self.get_connection(caller, connection_id)
            if conn.is_hosted:
                raise DirectConnectClientException("MACsec is unavailable on hosted connections.")
            port = conn
        if not port.mac_sec_capable:
            raise DirectConnectClientException(
                f"{port.id} is not MACsec capable: MACsec must be requested (requestMACSec) when "
                f"the connection, interconnect or LAG is created."
            )
        if not isinstance(port, Lag) and port.lag_id is not None:
            raise DirectConnectClientException(
                f"{port.id} is a member of Lag {port.lag_id}; associate MACsec keys with the LAG, "
                f"whose keys apply to all its members."
            )
        if port.state in GONE_STATES:
            raise InvalidState(f"{port.id} is in state {port.state}.")
        return port

    def _answer(self, port: Port) -> dict[str, Any]:
        return {
            "connectionId": port.id,
            "macSecKeys": [k.to_wire() for k in mac_sec_keys(self, port.id)],
        }

    def _new_secret(self, caller: Caller, ckn: str, cak: str) -> MacSecSecret:
        name = f"directconnect!{self.ids.hex(32)}-{self.ids.hex(6)}"
        arn = f"arn:aws:secretsmanager:{caller.region}:{caller.account}:secret:{name}"
        return self.add(
            MacSecSecret(
                id=arn,
                owner_account=caller.account,
                region=caller.region,
                ckn=ckn,
                cak_sha256=hashlib.sha256(cak.encode()).hexdigest(),
            )
        )

    def _known_secret(self, caller: Caller, secret_arn: str) -> MacSecSecret:
        """A secret the caller's simulated Secrets Manager holds: ARN shaped as Direct Connect
        names its secrets, in the caller's account and Region."""
        shape = _SECRET_ARN.match(secret_arn)
        if shape is None:
            raise DirectConnectClientException(
                f"secretARN {secret_arn!r} is not valid: it must be a Direct Connect MACsec secret "
                f"ARN, arn:aws:secretsmanager:<region>:<account>:secret:directconnect!<name>."
            )
        if shape["account"] != caller.account or shape["region"] != caller.region:
            raise DirectConnectClientException(
                f"secretARN {secret_arn!r} is not in account {caller.account} and Region "
                f"{caller.region}; a MACsec secret is used where it was stored."
            )
        secret = self.mac_sec_secrets.get(secret_arn)
        if secret is None:
            raise NotFound(
                f"Secret {secret_arn} does not exist: associate a ckn and cak first, and use the "
                f"secretARN that call returns."
            )
        return secret

    def associate_mac_sec_key(
        self,
        caller: Caller,
        *,
        connection_id: str,
        secret_arn: str | None = None,
        ckn: str | None = None,
        cak: str | None = None,
    ) -> dict[str, Any]:
        """AssociateMacSecKey: `secretARN` xor (`ckn` + `cak`); the key starts `associating`.

        A CKN already live on the port is refused, as is a secret whose earlier association is
        still being removed. Answers `{connectionId, macSecKeys}` with every key of the port.
        """
        port = self._mac_sec_port(caller, connection_id)
        if secret_arn is not None and (ckn is not None or cak is not None):
            raise DirectConnectClientException(
                "Give either secretARN or the ckn and cak pair, not both."
            )
        if secret_arn is None:
            if ckn is None or cak is None:
                raise DirectConnectClientException(
                    "Give either secretARN or both ckn and cak: ckn and cak go together."
                )
            if not _HEX64.match(ckn):
                raise DirectConnectClientException(
                    "ckn is not valid: it must be 64 hexadecimal characters."
                )
            if not _HEX64.match(cak):
                raise DirectConnectClientException(
                    "cak is not valid: it must be 64 hexadecimal characters."
                )
            secret: MacSecSecret | None = None
        else:
            secret = self._known_secret(caller, secret_arn)
            ckn = secret.ckn
        keys = mac_sec_keys(self, port.id)
        if any(k.live and k.ckn.lower() == ckn.lower() for k in keys):
            raise DirectConnectClientException(f"CKN {ckn} is already associated with {port.id}.")
        if secret is None:
            assert cak is not None
            secret = self._new_secret(caller, ckn, cak)
        key_id = f"{port.id}/{secret.id}"
        if key_id in self.mac_sec_keys:
            raise InvalidState(
                f"Secret {secret.id} is still being disassociated from {port.id}; associate it "
                f"again once that is done."
            )
        now = self.now()
        key = self.add(
            MacSecKey(
                id=key_id,
                owner_id=port.id,
                secret_arn=secret.id,
                ckn=secret.ckn,
                start_on=_start_on(now),
                created_at=now,
            )
        )
        self.schedule(key, "associated")
        return self._answer(port)

    def disassociate_mac_sec_key(
        self, caller: Caller, *, connection_id: str, secret_arn: str
    ) -> dict[str, Any]:
        """DisassociateMacSecKey: the key goes `disassociating` → `disassociated` (then it is
        gone). Removing the last key of a `must_encrypt` port sets it (and a LAG's members) to
        `should_encrypt`, so traffic keeps flowing (MACsec user guide)."""
        port = self._mac_sec_port(caller, connection_id)
        key = self.mac_sec_keys.get(f"{port.id}/{secret_arn}")
        if key is None or not key.live:
            raise NotFound(f"Secret {secret_arn} is not associated with {port.id}.")
        key.state = "disassociating"
        self.schedule(key, "disassociated")
        if port.encryption_mode == "must_encrypt" and not any(
            k.live for k in mac_sec_keys(self, port.id)
        ):
            port.encryption_mode = "should_encrypt"
            if isinstance(port, Lag):
                for member in port.members(self):
                    member.encryption_mode = "should_encrypt"
        return self._answer(port)

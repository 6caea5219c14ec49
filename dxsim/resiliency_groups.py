"""Resiliency groups: the caller's dedicated connections grouped towards a resiliency model.

Rules (botocore model; dx-current-api.md §1.G), and what dxsim chose where the model is silent:

* A group is regional: ListResiliencyGroups shows the caller's groups "in the current Region",
  and Get/Update/Delete/associations find a group only in the Region it was created in, even
  though its ARN (`arn:aws:directconnect::<account>:dx-resiliency-group/dxrg-…`) has no Region.
  IDs are `dxrg-` + 17 lowercase alphanumerics; the model's pattern also allows `DXRG-` and
  upper-case letters, so IDs are matched case-insensitively.
* Lifecycle: created `pending → available`; DeleteResiliencyGroup is asynchronous, `deleting →
  deleted`; a deleted group stays visible 15 simulated minutes, then is gone with its tags.
  Delete is refused while connections are associated (or still disassociating): the model does
  not say, and dxsim follows DeleteDirectConnectGateway, which wants its associations removed
  first. A deleting or deleted group cannot be renamed or take connections.
* `clientToken` (1–128 characters) makes Create, Update, Associate and Disassociate idempotent
  for 24 simulated hours per account, Region and operation: the same token with the same
  parameters answers as the first call did (Create/Update: the group as it is now) without
  changing anything again; the same token with other parameters is refused.
* Associate/Disassociate take 1–50 connection IDs or connection ARNs and are atomic: every
  identifier is checked before anything changes. Only the caller's own dedicated connections in
  the group's Region (not hosted connections, LAGs or interconnects, and not ones deleting,
  deleted or rejected) can join; a connection is in at most one group. Association states
  `associating → associated` and `disassociating → disassociated` (then gone from the list).
  A group holds at most `MAX_CONNECTIONS_PER_GROUP` (10) connections: more is a
  LimitExceededException. A connection that is deleted leaves its group.
* `intendedResiliencyModel` is stored, not enforced: dxsim does not check that the
  connections' locations and devices meet the model.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from dxsim.accounts import Caller
from dxsim.base import BackendBase
from dxsim.exceptions import (
    DirectConnectClientException,
    InvalidState,
    LimitExceededException,
    NotFound,
)
from dxsim.paging import page_answer
from dxsim.records import Connection
from dxsim.resiliency_records import ClientToken, ResiliencyGroup, ResiliencyGroupAssociation
from dxsim.resource import GONE_STATES
from dxsim.validation import check_choice

RESILIENCY_MODELS = ("maximum-resiliency", "high-resiliency", "basic-resiliency")
MAX_CONNECTIONS_PER_GROUP = 10
MAX_IDENTIFIERS_PER_CALL = 50
IDENTIFIER_MAX = 1024
NAME_MAX = 255
TOKEN_MAX = 128
TOKEN_LIFETIME = 86400.0
GROUP_RETENTION = 900.0
LIVE_ASSOCIATION_STATES = ("associating", "associated", "disassociating")
_NAME = re.compile(r"^[a-zA-Z0-9_\-]+$")
_GROUP_ID = re.compile(r"^(dxrg|DXRG)-[0-9a-zA-Z]{17}$")
_OPEN_GROUP_STATES = ("pending", "available")


class ResiliencyGroupOperations(BackendBase):
    """The eight resiliency-group operations; composed into `DirectConnectBackend`."""

    # -- groups -----------------------------------------------------------------------------
    def create_resiliency_group(
        self,
        caller: Caller,
        *,
        resiliency_group_name: str,
        intended_resiliency_model: str,
        client_token: str | None = None,
        tags: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """CreateResiliencyGroup: a `pending` group that becomes `available`."""
        _check_name(resiliency_group_name)
        check_choice(intended_resiliency_model, RESILIENCY_MODELS, "intendedResiliencyModel")
        _check_token(client_token)
        checked = self.check_new_tags(tags, "Resiliency group")
        params = {
            "name": resiliency_group_name,
            "model": intended_resiliency_model,
            "tags": checked,
        }
        replay = self._replay(caller, "CreateResiliencyGroup", client_token, params)
        if replay is not None and replay.resource_id in self.resiliency_groups:
            return {"resiliencyGroup": self._group_wire(self.resiliency_groups[replay.resource_id])}
        group = self.add(
            ResiliencyGroup(
                id=self._new_group_id(),
                owner_account=caller.account,
                region=caller.region,
                resiliency_group_name=resiliency_group_name,
                intended_resiliency_model=intended_resiliency_model,
                created_at=self.now(),
            )
        )
        self.tag_new(group.arn, checked)
        self.schedule(group, "available")
        self._remember(caller, "CreateResiliencyGroup", client_token, params, group.id)
        return {"resiliencyGroup": self._group_wire(group)}

    def get_resiliency_group(self, caller: Caller, *, resiliency_group_id: str) -> dict[str, Any]:
        """GetResiliencyGroup: one of the caller's groups in the Region, with its tags."""
        return {"resiliencyGroup": self._group_wire(self._group(caller, resiliency_group_id))}

    def update_resiliency_group(
        self,
        caller: Caller,
        *,
        resiliency_group_id: str,
        resiliency_group_name: str,
        client_token: str | None = None,
    ) -> dict[str, Any]:
        """UpdateResiliencyGroup: renames a group that is not deleting or deleted."""
        group = self._group(caller, resiliency_group_id)
        _check_name(resiliency_group_name)
        _check_token(client_token)
        params = {"group": group.id, "name": resiliency_group_name}
        if self._replay(caller, "UpdateResiliencyGroup", client_token, params) is not None:
            return {"resiliencyGroup": self._group_wire(group)}
        self._check_open(group, "renamed")
        group.resiliency_group_name = resiliency_group_name
        self._remember(caller, "UpdateResiliencyGroup", client_token, params, group.id)
        return {"resiliencyGroup": self._group_wire(group)}

    def delete_resiliency_group(
        self, caller: Caller, *, resiliency_group_id: str
    ) -> dict[str, Any]:
        """DeleteResiliencyGroup: `deleting`, then `deleted`; refused while connections are in
        the group. Deleting a group already on its way out returns it unchanged."""
        group = self._group(caller, resiliency_group_id)
        if group.resiliency_group_state in ("deleting", "deleted"):
            return {"resiliencyGroup": self._group_wire(group)}
        members = self._associations(group.id)
        if members:
            names = ", ".join(a.connection_id for a in members)
            raise InvalidState(
                f"Resiliency group {group.id} still has {len(members)} connection(s) ({names}); "
                f"disassociate them with DisassociateConnectionsFromResiliencyGroup first."
            )
        group.resiliency_group_state = "deleting"
        self.schedule(group, "deleted")
        return {"resiliencyGroup": self._group_wire(group)}

    def list_resiliency_groups(
        self, caller: Caller, *, max_results: int | None = None, next_token: str | None = None
    ) -> dict[str, Any]:
        """ListResiliencyGroups: the caller's groups in the Region, oldest first (summaries)."""
        groups = [
            g
            for g in self.resiliency_groups.values()
            if g.owner_account == caller.account and g.region == caller.region
        ]
        return page_answer(
            "items",
            groups,
            lambda g: g.summary_wire(),
            scope=f"resiliency-groups/{caller.account}/{caller.region}",
            max_results=max_results,
            next_token=next_token,
        )

    # -- associations -----------------------------------------------------------------------
    def list_resiliency_group_associations(
        self,
        caller: Caller,
        *,
        resiliency_group_id: str,
        max_results: int | None = None,
        next_token: str | None = None,
    ) -> dict[str, Any]:
        """ListResiliencyGroupAssociations: the group's connections (disassociating included)."""
        group = self._group(caller, resiliency_group_id)
        return page_answer(
            "items",
            self._associations(group.id),
            lambda a: a.to_wire(),
            scope=f"resiliency-group-associations/{caller.account}/{group.id}",
            max_results=max_results,
            next_token=next_token,
        )

    def associate_connections_to_resiliency_group(
        self,
        caller: Caller,
        *,
        connection_identifiers: list[str],
        resiliency_group_id: str,
        client_token: str | None = None,
    ) -> dict[str, Any]:
        """AssociateConnectionsToResiliencyGroup: all of the connections join, or none does.

        A connection already in this group keeps its association (one being disassociated is
        associated again); one in another group is refused.
        """
        group = self._group(caller, resiliency_group_id)
        _check_token(client_token)
        conns = self._member_connections(caller, connection_identifiers)
        params = {"group": group.id, "connections": [c.id for c in conns]}
        replay = self._replay(caller, "AssociateConnections", client_token, params)
        if replay is not None:
            return {"resiliencyGroupAssociations": list(replay.result or [])}
        self._check_open(group, "given connections")
        for conn in conns:
            for other in self.resiliency_group_associations.values():
                if (
                    other.connection_id == conn.id
                    and other.resiliency_group_id != group.id
                    and other.association_state in LIVE_ASSOCIATION_STATES
                ):
                    raise DirectConnectClientException(
                        f"Connection {conn.id} is already associated with resiliency group "
                        f"{other.resiliency_group_id}; a connection belongs to at most one "
                        f"resiliency group."
                    )
        staying = {
            a.connection_id
            for a in self._associations(group.id)
            if a.association_state in ("associating", "associated")
        }
        total = len(staying | {c.id for c in conns})
        if total > MAX_CONNECTIONS_PER_GROUP:
            raise LimitExceededException(
                f"Resiliency group {group.id} would have {total} connections; a resiliency "
                f"group holds at most {MAX_CONNECTIONS_PER_GROUP}."
            )
        result = []
        for conn in conns:
            association = self.resiliency_group_associations.get(f"{group.id}/{conn.id}")
            if association is not None and association.association_state == "disassociated":
                self.remove(association)
                association = None
            if association is None:
                association = self.add(
                    ResiliencyGroupAssociation(
                        id=f"{group.id}/{conn.id}",
                        resiliency_group_id=group.id,
                        connection_id=conn.id,
                        connection_arn=self.arn_of(conn),
                        owner_account=caller.account,
                        region=caller.region,
                        created_at=self.now(),
                    )
                )
                self.schedule(association, "associated")
            elif association.association_state == "disassociating":
                association.association_state = "associating"
                self.schedule(association, "associated")
            result.append(association.to_wire())
        self._remember(caller, "AssociateConnections", client_token, params, group.id, result)
        return {"resiliencyGroupAssociations": result}

    def disassociate_connections_from_resiliency_group(
        self,
        caller: Caller,
        *,
        connection_identifiers: list[str],
        resiliency_group_id: str,
        client_token: str | None = None,
    ) -> dict[str, Any]:
        """DisassociateConnectionsFromResiliencyGroup: all of the connections leave, or none
        does; each must be in the group (one already disassociating is left as it is)."""
        group = self._group(caller, resiliency_group_id)
        _check_token(client_token)
        conns = self._member_connections(caller, connection_identifiers)
        params = {"group": group.id, "connections": [c.id for c in conns]}
        replay = self._replay(caller, "DisassociateConnections", client_token, params)
        if replay is not None:
            return {"resiliencyGroupAssociations": list(replay.result or [])}
        leaving = []
        for conn in conns:
            association = self.resiliency_group_associations.get(f"{group.id}/{conn.id}")
            if association is None or association.association_state not in (
                LIVE_ASSOCIATION_STATES
            ):
                raise DirectConnectClientException(
                    f"Connection {conn.id} is not associated with resiliency group {group.id}."
                )
            leaving.append(association)
        for association in leaving:
            if association.association_state != "disassociating":
                association.association_state = "disassociating"
                self.schedule(association, "disassociated")
        result = [a.to_wire() for a in leaving]
        self._remember(caller, "DisassociateConnections", client_token, params, group.id, result)
        return {"resiliencyGroupAssociations": result}

    # -- upkeep (called by the backend) -----------------------------------------------------
    def drop_gone_connections_from_groups(self) -> None:
        """A connection deleting, deleted or purged leaves its resiliency group at once."""
        for association in self.resiliency_group_associations.values():
            if association.association_state not in LIVE_ASSOCIATION_STATES:
                continue
            conn = self.connections.get(association.connection_id)
            if conn is None or conn.connection_state in GONE_STATES:
                association.association_state = "disassociated"
                association.transitions = []

    def expire_client_tokens(self) -> None:
        """Forgets client tokens older than `TOKEN_LIFETIME`."""
        now = self.now()
        for record in list(self.client_tokens.values()):
            if now - record.created_at >= TOKEN_LIFETIME:
                self.remove(record)

    # -- helpers ----------------------------------------------------------------------------
    def _group(self, caller: Caller, group_id: str) -> ResiliencyGroup:
        """One of the caller's groups in the Region, by ID (case-insensitive)."""
        if not _GROUP_ID.fullmatch(group_id):
            raise DirectConnectClientException(
                f"resiliencyGroupId {group_id[:64]!r} is not valid: it is dxrg- followed by 17 "
                f"letters or digits."
            )
        group = self.resiliency_groups.get(group_id.lower())
        if group is None or group.owner_account != caller.account or group.region != caller.region:
            raise NotFound(f"Resiliency group {group_id} does not exist")
        return group

    def _group_wire(self, group: ResiliencyGroup) -> dict[str, Any]:
        return group.to_wire(self.tags_of(group.arn))

    def _new_group_id(self) -> str:
        while True:
            candidate = f"dxrg-{self.ids.alnum(17)}"
            if candidate not in self.resiliency_groups:
                return candidate

    def _associations(self, group_id: str) -> list[ResiliencyGroupAssociation]:
        return [
            a
            for a in self.resiliency_group_associations.values()
            if a.resiliency_group_id == group_id and a.association_state in LIVE_ASSOCIATION_STATES
        ]

    def _check_open(self, group: ResiliencyGroup, what: str) -> None:
        if group.resiliency_group_state not in _OPEN_GROUP_STATES:
            raise InvalidState(
                f"Resiliency group {group.id} is in state {group.resiliency_group_state} and "
                f"cannot be {what}."
            )

    def _member_connections(self, caller: Caller, identifiers: list[str]) -> list[Connection]:
        """The connections named by IDs or ARNs, each once, all checked before any is used."""
        if len(identifiers) > MAX_IDENTIFIERS_PER_CALL:
            raise DirectConnectClientException(
                f"connectionIdentifiers has {len(identifiers)} entries: give 1 to "
                f"{MAX_IDENTIFIERS_PER_CALL} connection IDs or ARNs per call."
            )
        found: dict[str, Connection] = {}
        for identifier in identifiers:
            conn = self._member_connection(caller, identifier)
            found.setdefault(conn.id, conn)
        return list(found.values())

    def _member_connection(self, caller: Caller, identifier: str) -> Connection:
        if len(identifier) > IDENTIFIER_MAX:
            raise DirectConnectClientException(
                f"A connection identifier has {len(identifier)} characters; the maximum is "
                f"{IDENTIFIER_MAX}."
            )
        conn_id = identifier
        if identifier.startswith("arn:"):
            parts = identifier.split(":", 5)
            kind, _, conn_id = parts[-1].partition("/")
            if len(parts) != 6 or parts[:3] != ["arn", "aws", "directconnect"] or kind != "dxcon":
                raise DirectConnectClientException(
                    f"{identifier[:128]!r} is not a connection ARN; expected "
                    f"arn:aws:directconnect:<region>:<account>:dxcon/dxcon-… or a connection ID."
                )
            if parts[3] != caller.region or parts[4] != caller.account:
                raise DirectConnectClientException(
                    f"Connection {identifier[:128]} is not a connection of account "
                    f"{caller.account} in {caller.region}, where the resiliency group is."
                )
        conn = self.get_connection(caller, conn_id)
        if conn.owner_account != caller.account:
            raise DirectConnectClientException(
                f"Connection {conn.id} is owned by account {conn.owner_account}; only the "
                f"owner's dedicated connections can join its resiliency groups."
            )
        if conn.is_hosted:
            raise DirectConnectClientException(
                f"Connection {conn.id} is a hosted connection; only dedicated connections can "
                f"join a resiliency group."
            )
        if conn.connection_state in GONE_STATES:
            raise InvalidState(
                f"Connection {conn.id} is in state {conn.connection_state} and cannot be in a "
                f"resiliency group."
            )
        return conn

    def _replay(
        self, caller: Caller, operation: str, token: str | None, params: dict[str, Any]
    ) -> ClientToken | None:
        """The earlier call with this token (None if it is new); refuses other parameters."""
        if token is None:
            return None
        record = self.client_tokens.get(_token_key(caller, operation, token))
        if record is None or self.now() - record.created_at >= TOKEN_LIFETIME:
            return None
        if record.digest != _digest(params):
            raise DirectConnectClientException(
                f"clientToken {token!r} was already used for a {operation} request with other "
                f"parameters; use a new clientToken for a different request."
            )
        return record

    def _remember(
        self,
        caller: Caller,
        operation: str,
        token: str | None,
        params: dict[str, Any],
        resource_id: str,
        result: list[dict[str, Any]] | None = None,
    ) -> None:
        if token is None:
            return
        key = _token_key(caller, operation, token)
        old = self.client_tokens.get(key)
        if old is not None:
            self.remove(old)
        self.add(
            ClientToken(
                id=key,
                digest=_digest(params),
                resource_id=resource_id,
                result=result,
                created_at=self.now(),
            )
        )


def _check_name(name: str) -> None:
    if len(name) > NAME_MAX or not _NAME.fullmatch(name):
        raise DirectConnectClientException(
            f"resiliencyGroupName {name[:64]!r} is not valid: it must be 1-{NAME_MAX} letters, "
            f"digits, hyphens and underscores."
        )


def _check_token(token: str | None) -> None:
    if token is not None and len(token) > TOKEN_MAX:
        raise DirectConnectClientException(
            f"clientToken has {len(token)} characters; the maximum is {TOKEN_MAX}."
        )


def _token_key(caller: Caller, operation: str, token: str) -> str:
    return f"{caller.account}/{caller.region}/{operation}/{token}"


def _digest(params: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(params, sort_keys=True).encode()).hexdigest()

"""The simulator's state: resource tables, the simulated clock, scheduled transitions, persistence.

Everything here is HTTP-free. A `World` holds one table per resource kind for every account and
region; visibility rules (who sees what) live in `dxsim.base` and the per-kind rule modules above
it. Setting an attribute of a record the world holds marks it dirty (`dxsim.resource`), and
`World.commit()` writes the dirty ones to the store in one transaction, so a crash never leaves a
half-written operation behind. Rule for model code: never mutate a list or dict attribute in
place; assign a new value so the change is seen.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, ClassVar

from dxsim.gateway_records import (
    AssociationProposal,
    DirectConnectGateway,
    GatewayAssociation,
    GatewayAttachment,
    TransitGateway,
    VirtualGateway,
)
from dxsim.ids import IdFactory
from dxsim.macsec_records import CustomerAgreements, MacSecKey, MacSecSecret
from dxsim.records import BgpPeer, Connection, Interconnect, Lag, TagSet, VirtualInterface
from dxsim.resiliency_records import (
    ClientToken,
    FailoverTest,
    ResiliencyGroup,
    ResiliencyGroupAssociation,
)
from dxsim.resource import RESOURCE_TYPES, R, Resource


class Clock:
    """Simulated wall clock: real time plus an offset that the control API can advance."""

    def __init__(self, offset: float = 0.0) -> None:
        self.offset = offset

    def now(self) -> float:
        return time.time() + self.offset

    def advance(self, seconds: float) -> float:
        self.offset += seconds
        return self.now()


class Store:
    """Persistence interface; the default keeps nothing (in-memory simulator)."""

    def load(self) -> tuple[list[tuple[str, dict[str, Any]]], dict[str, Any]]:
        return [], {}

    def commit(
        self,
        upserts: Iterable[Resource],
        deletes: Iterable[tuple[str, str]],
        meta: dict[str, Any],
    ) -> None:
        return None

    def clear(self) -> None:
        return None

    def close(self) -> None:
        return None


class SqliteStore(Store):
    """SQLite file store: WAL, `synchronous=FULL`, one transaction per operation.

    A write is acknowledged to the client only after its transaction commits, so `kill -9` can lose
    only requests that were never answered. The file is locked exclusively while the store is
    open: a second simulator on the same file fails at start-up (`sqlite3.OperationalError:
    database is locked`) instead of silently overwriting the first one's state.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(
            str(self.path), check_same_thread=False, isolation_level=None, timeout=0.5
        )
        self._lock = threading.Lock()
        try:
            self._db.execute("PRAGMA locking_mode=EXCLUSIVE")
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS resources ("
                " kind TEXT NOT NULL, id TEXT NOT NULL, data TEXT NOT NULL,"
                " PRIMARY KEY (kind, id))"
            )
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
            )
            self._db.execute("COMMIT")
        except BaseException:
            self._db.close()
            raise

    def load(self) -> tuple[list[tuple[str, dict[str, Any]]], dict[str, Any]]:
        with self._lock:
            rows = [
                (kind, json.loads(data))
                for kind, data in self._db.execute("SELECT kind, data FROM resources")
            ]
            meta = {k: json.loads(v) for k, v in self._db.execute("SELECT key, value FROM meta")}
        return rows, meta

    def commit(
        self,
        upserts: Iterable[Resource],
        deletes: Iterable[tuple[str, str]],
        meta: dict[str, Any],
    ) -> None:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.executemany(
                    "INSERT OR REPLACE INTO resources (kind, id, data) VALUES (?, ?, ?)",
                    [(r.KIND, r.id, json.dumps(r.to_row())) for r in upserts],
                )
                self._db.executemany(
                    "DELETE FROM resources WHERE kind = ? AND id = ?", list(deletes)
                )
                self._db.executemany(
                    "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                    [(k, json.dumps(v)) for k, v in meta.items()],
                )
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def clear(self) -> None:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute("DELETE FROM resources")
            self._db.execute("DELETE FROM meta")
            self._db.execute("COMMIT")

    def close(self) -> None:
        """Releases the file (idempotent)."""
        with self._lock:
            self._db.close()


class World:
    """All resource tables of the simulator, the clock and the provisioning delay.

    Args:
        store: where committed state goes (in-memory by default).
        provisioning_delay: simulated seconds between lifecycle steps (0 in tests).
        id_seed: makes generated IDs reproducible (demo data).
    """

    def __init__(
        self,
        store: Store | None = None,
        provisioning_delay: float = 0.0,
        id_seed: int | None = None,
    ) -> None:
        self.store = store or Store()
        self.provisioning_delay = provisioning_delay
        self.ids = IdFactory(id_seed)
        self.clock = Clock()
        self.dirty: dict[tuple[str, str], Resource] = {}
        self._children: dict[str, dict[str, dict[str, None]]] = {}
        self._committed_offset: float = 0.0
        self.removed: set[tuple[str, str]] = set()
        self.connections: dict[str, Connection] = {}
        self.interconnects: dict[str, Interconnect] = {}
        self.lags: dict[str, Lag] = {}
        self.virtual_interfaces: dict[str, VirtualInterface] = {}
        self.bgp_peers: dict[str, BgpPeer] = {}
        self.gateways: dict[str, DirectConnectGateway] = {}
        self.gateway_associations: dict[str, GatewayAssociation] = {}
        self.association_proposals: dict[str, AssociationProposal] = {}
        self.gateway_attachments: dict[str, GatewayAttachment] = {}
        self.virtual_gateways: dict[str, VirtualGateway] = {}
        self.transit_gateways: dict[str, TransitGateway] = {}
        self.tag_sets: dict[str, TagSet] = {}
        self.mac_sec_keys: dict[str, MacSecKey] = {}
        self.mac_sec_secrets: dict[str, MacSecSecret] = {}
        self.customer_agreements: dict[str, CustomerAgreements] = {}
        self.failover_tests: dict[str, FailoverTest] = {}
        self.resiliency_groups: dict[str, ResiliencyGroup] = {}
        self.resiliency_group_associations: dict[str, ResiliencyGroupAssociation] = {}
        self.client_tokens: dict[str, ClientToken] = {}
        self._load()

    # -- tables -----------------------------------------------------------------------------
    TABLES: ClassVar[dict[str, str]] = {
        "connection": "connections",
        "interconnect": "interconnects",
        "lag": "lags",
        "virtual_interface": "virtual_interfaces",
        "bgp_peer": "bgp_peers",
        "gateway": "gateways",
        "gateway_association": "gateway_associations",
        "gateway_association_proposal": "association_proposals",
        "gateway_attachment": "gateway_attachments",
        "virtual_gateway": "virtual_gateways",
        "transit_gateway": "transit_gateways",
        "tag_set": "tag_sets",
        "mac_sec_key": "mac_sec_keys",
        "mac_sec_secret": "mac_sec_secrets",
        "customer_agreements": "customer_agreements",
        "failover_test": "failover_tests",
        "resiliency_group": "resiliency_groups",
        "resiliency_group_association": "resiliency_group_associations",
        "client_token": "client_tokens",
    }

    def table(self, kind: str) -> dict[str, Any]:
        table: dict[str, Any] = getattr(self, self.TABLES[kind])
        return table

    # kind → attribute naming the parent; the attribute must never change after creation.
    CHILD_INDEXES: ClassVar[dict[str, str]] = {
        "bgp_peer": "virtual_interface_id",
        "mac_sec_key": "owner_id",
    }

    def children(self, kind: str, parent_id: str) -> list[Any]:
        """Resources of `kind` whose parent attribute is `parent_id` (an index, not a scan)."""
        table = self.table(kind)
        return [table[i] for i in self._children.get(kind, {}).get(parent_id, ()) if i in table]

    def add(self, resource: R) -> R:
        """Stores a new resource and marks it for the next commit."""
        parent_attr = self.CHILD_INDEXES.get(resource.KIND)
        if parent_attr is not None:
            index = self._children.setdefault(resource.KIND, {})
            index.setdefault(getattr(resource, parent_attr), {})[resource.id] = None
        self.table(resource.KIND)[resource.id] = resource
        object.__setattr__(resource, "_world", self)
        self.removed.discard((resource.KIND, resource.id))
        self.dirty[(resource.KIND, resource.id)] = resource
        return resource

    def remove(self, resource: Resource) -> None:
        """Forgets a resource for good (describe calls no longer show it)."""
        self.table(resource.KIND).pop(resource.id, None)
        parent_attr = self.CHILD_INDEXES.get(resource.KIND)
        if parent_attr is not None:
            siblings = self._children.get(resource.KIND, {}).get(getattr(resource, parent_attr))
            if siblings is not None:
                siblings.pop(resource.id, None)
        object.__setattr__(resource, "_world", None)
        self.dirty.pop((resource.KIND, resource.id), None)
        self.removed.add((resource.KIND, resource.id))

    def all_resources(self) -> Iterator[Resource]:
        for attr in self.TABLES.values():
            yield from getattr(self, attr).values()

    def id_in_use(self, resource_id: str) -> bool:
        return any(resource_id in getattr(self, attr) for attr in self.TABLES.values())

    def new_id(self, kind: str) -> str:
        while True:
            candidate = self.ids.short(kind)
            if not self.id_in_use(candidate):
                return candidate

    # -- lifecycles ---------------------------------------------------------------------------
    def schedule(self, resource: Resource, *states: str, delay: float | None = None) -> None:
        """Plans `states` for `resource`, one provisioning delay apart, replacing earlier plans."""
        step = self.provisioning_delay if delay is None else delay
        due = self.clock.now()
        plan: list[list[Any]] = []
        for state in states:
            due += step
            plan.append([due, state])
        resource.transitions = plan

    def due_transitions(self) -> list[tuple[float, Resource, str]]:
        """Pops every transition due now, oldest first, without applying it."""
        now = self.clock.now()
        due: list[tuple[float, Resource, str]] = []
        for resource in list(self.all_resources()):
            if resource.transitions and resource.transitions[0][0] <= now:
                remaining = []
                for when, state in resource.transitions:
                    if when <= now:
                        due.append((when, resource, state))
                    else:
                        remaining.append([when, state])
                resource.transitions = remaining
        due.sort(key=lambda item: item[0])
        return due

    # -- persistence --------------------------------------------------------------------------
    def commit(self) -> None:
        """Writes every change since the last commit in one transaction."""
        if not self.dirty and not self.removed and self.clock.offset == self._committed_offset:
            return
        upserts = list(self.dirty.values())
        removed = list(self.removed)
        self.store.commit(upserts, removed, {"clock_offset": self.clock.offset})
        self._committed_offset = self.clock.offset
        self.dirty.clear()
        self.removed.clear()

    def clear(self) -> None:
        """Drops every resource (the control API's reset)."""
        for attr in self.TABLES.values():
            getattr(self, attr).clear()
        self._children.clear()
        self.dirty.clear()
        self.removed.clear()
        self.clock = Clock()
        self._committed_offset = 0.0
        self.store.clear()

    def _load(self) -> None:
        rows, meta = self.store.load()
        self.clock = Clock(float(meta.get("clock_offset", 0.0)))
        self._committed_offset = self.clock.offset
        for kind, row in rows:
            cls = RESOURCE_TYPES[kind]
            self.add(cls.from_row(row))
        self.dirty.clear()

"""Per-request DataLoaders: any query becomes the fewest upstream `describe_*` calls.

Direct Connect's describe calls take one ID or none, so every regional kind is loaded whole — one
`describe_*()` per region, whatever the number of objects a query touches — and indexed here. Only
tags (batched by ARN, up to `TAG_BATCH` per call), hosted connections (one call per parent) and DX
gateway associations/attachments (one paged call per gateway) need per-key calls. Values are raw AWS
dicts; the GraphQL types map them. A failure of one region is recorded as a partial error and the
other regions' data is still returned.
"""

from __future__ import annotations

import asyncio
import base64
import contextvars
import logging
from collections.abc import Awaitable, Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from graphql import FragmentDefinitionNode, GraphQLSchema, OperationDefinitionNode
from strawberry.dataloader import DataLoader

from resolvers.aws.errors import UpstreamError
from resolvers.data.arns import GLOBAL, gateway_arn, item_arn, region_of_arn
from resolvers.data.plan import Plan, argument, node_kinds, plan_operation, regions_of_root
from resolvers.data.tags import fetch_tags
from resolvers.data.upstream import Upstream

Raw = dict[str, Any]
K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

logger = logging.getLogger(__name__)

BatchObserver = Callable[[str, int], None]

batch_observer: contextvars.ContextVar[BatchObserver | None] = contextvars.ContextVar(
    "dxgraph_batch_observer", default=None
)
"""Who hears `(loader name, batch size)` for every batch a loader dispatches in this context (the
gateway sets it per request for its metrics); None: nobody. Must be quick and must not raise."""


def _measured(
    name: str, load_fn: Callable[[list[K]], Awaitable[list[Any]]]
) -> Callable[[list[K]], Awaitable[list[Any]]]:
    """`load_fn`, telling the `batch_observer` the size of each batch."""

    async def load(keys: list[K]) -> list[Any]:
        observer = batch_observer.get()
        if observer is not None:
            try:
                observer(name, len(keys))
            except Exception:  # metrics must never fail a load
                logger.debug("batch observer failed", exc_info=True)
        return await load_fn(keys)

    return load


# Tagged kinds in the order their ARNs fill describe_tags batches (see `_fetch_tags`):
# the regional lists first (one call each, started with the operation), the paged DX gateway
# list last: its ARNs only join the home region's last batches.
TAG_ORDER = ("lags", "connections", "interconnects", "virtual_interfaces", "gateways")

# kind → (boto3 operation, result key, id key)
REGIONAL = {
    "connections": ("describe_connections", "connections", "connectionId"),
    "interconnects": ("describe_interconnects", "interconnects", "interconnectId"),
    "lags": ("describe_lags", "lags", "lagId"),
    "virtual_interfaces": (
        "describe_virtual_interfaces",
        "virtualInterfaces",
        "virtualInterfaceId",
    ),
    "locations": ("describe_locations", "locations", "locationCode"),
    "virtual_gateways": ("describe_virtual_gateways", "virtualGateways", "virtualGatewayId"),
}


ID_KEYS = {kind: spec[2] for kind, spec in REGIONAL.items()}


class Missing:
    """What a `peek_*` returns when the data is not loaded yet (the caller must await)."""


MISSING: Missing = Missing()


def _ready(loader: DataLoader[Any, Any], key: Any) -> Any:
    """A loader's value for `key` if it has already arrived, else MISSING (no load started)."""
    future = loader.cache_map.get(key)
    if future is None or not future.done() or future.cancelled() or future.exception():
        return MISSING
    return future.result()


def _observe(future: asyncio.Future[Any]) -> None:
    """Marks a prefetch's failure as seen; the resolver that needs the data reports it."""
    if not future.cancelled():
        future.exception()


async def _settle(awaitables: Sequence[Awaitable[V]]) -> list[V | BaseException]:
    return list(await asyncio.gather(*awaitables, return_exceptions=True))


@dataclass
class Loaders:
    """All loaders of one request. Build it per request (DataLoaders cache for their lifetime)."""

    upstream: Upstream
    account_id: str
    tag_kinds: set[str] | None = None
    regional: dict[str, DataLoader[str, list[Raw]]] = field(init=False)
    tags: DataLoader[str, list[Raw]] = field(init=False)
    hosted_connections: DataLoader[tuple[str, str], list[Raw]] = field(init=False)
    gateways: DataLoader[str, list[Raw]] = field(init=False)
    gateway_associations: DataLoader[str, list[Raw]] = field(init=False)
    gateway_attachments: DataLoader[str, list[Raw]] = field(init=False)
    loas: DataLoader[tuple[str, str], Raw] = field(init=False)
    narrowed: bool = False
    _all_tags: asyncio.Future[dict[str, Any]] | None = field(init=False, default=None)
    _tags_of_all: bool = field(init=False, default=False)  # _all_tags covers every planned kind
    _stamped: dict[tuple[str, str], list[Raw]] = field(init=False, default_factory=dict)
    _by_virtual_gateway: dict[Any, list[Raw]] | None = field(init=False, default=None)
    _groups: dict[tuple[str, str, str], dict[Any, list[Raw]]] = field(
        init=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        self.regional = {
            kind: DataLoader(load_fn=_measured(kind, self._regional_fn(kind))) for kind in REGIONAL
        }
        self.tags = DataLoader(load_fn=_measured("tags", self._load_tags))
        self.hosted_connections = DataLoader(
            load_fn=_measured("hosted_connections", self._load_hosted)
        )
        self.gateways = DataLoader(load_fn=_measured("gateways", self._load_gateways))
        self.gateway_associations = DataLoader(
            load_fn=_measured(
                "gateway_associations",
                self._per_gateway(
                    "describe_direct_connect_gateway_associations",
                    "directConnectGatewayAssociations",
                ),
            )
        )
        self.gateway_attachments = DataLoader(
            load_fn=_measured(
                "gateway_attachments",
                self._per_gateway(
                    "describe_direct_connect_gateway_attachments",
                    "directConnectGatewayAttachments",
                ),
            )
        )
        self.loas = DataLoader(load_fn=_measured("loas", self._load_loas))

    @property
    def regions(self) -> list[str]:
        return self.upstream.regions

    # -- batch functions ----------------------------------------------------------------------
    def _regional_fn(self, kind: str) -> Callable[[list[str]], Awaitable[list[Any]]]:
        operation, result_key, _ = REGIONAL[kind]

        async def load(regions: list[str]) -> list[Any]:
            async def one(region: str) -> list[Raw]:
                result = await self.upstream.read(region, operation)
                items: list[Raw] = result.get(result_key, [])
                return items

            return await _settle([one(r) for r in regions])

        return load

    def plan_tags(
        self,
        schema: GraphQLSchema,
        operation: OperationDefinitionNode,
        fragments: dict[str, FragmentDefinitionNode],
    ) -> None:
        """Notes (once per request) which kinds the operation reads tags of."""
        if self.tag_kinds is None:
            plan: Plan = plan_operation(schema, operation, fragments)
            self.tag_kinds = plan.tag_kinds

    def prefetch(
        self,
        schema: GraphQLSchema,
        operation: OperationDefinitionNode,
        fragments: dict[str, FragmentDefinitionNode],
        variables: dict[str, Any] | None = None,
    ) -> list[asyncio.Future[Any]]:
        """Starts every read the operation will make (see `resolvers.data.plan`), and returns
        what to let land before resolving: the lists of the first round trip.

        What needs a list first — tags, the associations or attachments of every DX gateway,
        the hosted connections of every interconnect or LAG a list reaches — is started as
        soon as that list lands, not when resolving gets there: whatever the query's shape,
        its reads take at most two dependent round trips. A root field narrowed by `region`
        reads in that region only.
        """
        plan = plan_operation(schema, operation, fragments)
        self.tag_kinds = plan.tag_kinds
        values = dict(variables or {})
        lists: set[tuple[str, str]] = set()
        per_gateway: set[str] = set()
        hosted: set[tuple[str, str]] = set()
        loas: set[tuple[str, str]] = set()
        tag_regions: set[str] = set()
        gateways = False
        for node, needs in plan.roots:
            regions = regions_of_root(node, values, self.regions)
            if len(regions) < len(self.regions):
                self.narrowed = True
            for kind in needs.kinds:
                if kind in REGIONAL:
                    lists.update((kind, region) for region in regions)
                else:
                    gateways = True
                    if kind != "gateways":
                        per_gateway.add(kind)
            hosted.update((k, r) for read, k in needs.each if read == "hosted" for r in regions)
            loas.update((k, r) for read, k in needs.exact if read == "loa" for r in regions)
            if needs.tag_kinds:
                tag_regions.update(regions)
            if needs.nodes:
                for kind, region in self._node_lists(schema, node, values):
                    if kind == "gateways":
                        gateways = True
                    else:
                        lists.add((kind, region))
        pending: list[Awaitable[Any]] = [self.regional[k].load(r) for k, r in sorted(lists)]
        if gateways:
            pending.append(self.gateways.load(GLOBAL))
        started: list[asyncio.Future[Any]] = [asyncio.ensure_future(a) for a in pending]
        for future in started:
            future.add_done_callback(_observe)
        later: list[Awaitable[Any]] = [self._prefetch_per_gateway(k) for k in sorted(per_gateway)]
        later += [self._prefetch_hosted(kind, region) for kind, region in sorted(hosted)]
        later += [self._prefetch_loas(kind, region) for kind, region in sorted(loas)]
        for awaitable in later:
            asyncio.ensure_future(awaitable).add_done_callback(_observe)
        if plan.tag_kinds and self._all_tags is None:
            self._all_tags = asyncio.ensure_future(
                self._fetch_tags([], tag_regions, plan.tag_kinds)
            )
            self._all_tags.add_done_callback(_observe)
            self._tags_of_all = not self.narrowed
        return started

    def _node_lists(
        self, schema: GraphQLSchema, node: Any, values: dict[str, Any]
    ) -> set[tuple[str, str]]:
        """The lists `node(id:)`/`nodes(ids:)` will read: the kinds and regions its IDs name."""
        found: set[tuple[str, str]] = set()
        kinds = node_kinds(schema)
        ids: list[Any] = []
        for name in ("id", "ids"):
            _, value = argument(node, name, values)
            ids.extend(value if isinstance(value, list) else [value])
        for global_id in ids:
            try:
                type_name, key = (
                    base64.b64decode(str(global_id), validate=True).decode().split(":", 1)
                )
            except (ValueError, UnicodeDecodeError):
                continue
            kind = kinds.get(type_name)
            region = key.split("/", 1)[0]
            if kind == "gateways":
                found.add((kind, GLOBAL))
            elif kind in REGIONAL and region in self.regions:
                found.add((kind, region))
        return found

    async def _prefetch_loas(self, kind: str, region: str) -> None:
        """The LOA of every object of a root list that asks each of them for it, started as soon
        as the list lands (never more: DescribeLoa stamps the resource's loaIssueTime)."""
        items = await self._region_items(kind, region)
        id_key = ID_KEYS[kind]
        await self.loas.load_many([(region, item[id_key]) for item in items])

    async def _prefetch_hosted(self, kind: str, region: str) -> None:
        """The hosted connections of every interconnect or LAG (`kind`) in the region, started
        as soon as their list lands."""
        parents = await self._region_items(kind, region)
        id_key = ID_KEYS[kind]
        await self.hosted_connections.load_many([(region, p[id_key]) for p in parents])

    async def _prefetch_per_gateway(self, kind: str) -> None:
        loader = self.of_gateway_loader(kind)
        gateways = await self.all_gateways()
        await loader.load_many([g["directConnectGatewayId"] for g in gateways])

    async def _planned_arns(self, kind: str, regions: list[str]) -> list[str]:
        """ARNs of every object of a tagged kind in `regions` (all DX gateways for "gateways")."""
        if kind == "gateways":
            return [
                gateway_arn(g.get("ownerAccount") or self.account_id, g["directConnectGatewayId"])
                for g in await self.all_gateways()
            ]
        id_key = ID_KEYS[kind]
        return [item_arn(i, id_key, self.account_id) for i in await self.in_regions(kind, regions)]

    def _own(self, arn: str) -> bool:
        """Tags of other accounts' resources (hosted VIFs on our ports) are not ours to read."""
        parts = arn.split(":")
        return len(parts) > 5 and parts[4] == self.account_id

    async def _load_tags(self, requested: list[str]) -> list[Any]:
        """Tags by ARN. The first batch fetches the tags of everything the operation reads tags
        of (one shared task); later batches, fired by deeper levels while it runs, wait for it
        instead of fetching overlapping batches of their own."""
        if self._all_tags is None:
            regions = {region_of_arn(a) for a in requested}
            if not self.narrowed:
                regions.update(self.regions)
            self._all_tags = asyncio.ensure_future(
                self._fetch_tags(requested, regions, self.tag_kinds)
            )
        known = await asyncio.shield(self._all_tags)
        missing = {a for a in requested if a not in known and self._own(a)}
        if missing:
            known = {**known, **await self._fetch_tags(sorted(missing))}
        return [known.get(arn, []) for arn in requested]

    async def _fetch_tags(
        self,
        requested: Sequence[str],
        regions: set[str] | None = None,
        kinds: set[str] | None = None,
    ) -> dict[str, Any]:
        """Tags of `requested` and of every object of the planned tagged `kinds` in `regions`
        (see `resolvers.data.tags.fetch_tags`)."""
        wanted = sorted(r for r in regions or () if r != GLOBAL)
        planned = [kind for kind in TAG_ORDER if kind in (kinds or set())]
        return await fetch_tags(
            self.upstream,
            requested,
            planned,
            lambda kind: self._planned_arns(kind, wanted),
            self._own,
        )

    async def _load_hosted(self, keys: list[tuple[str, str]]) -> list[Any]:
        async def one(region: str, parent_id: str) -> list[Raw]:
            result = await self.upstream.read(
                region, "describe_hosted_connections", connectionId=parent_id
            )
            items: list[Raw] = result.get("connections", [])
            return items

        return await _settle([one(region, parent) for region, parent in keys])

    async def _load_gateways(self, keys: list[str]) -> list[Any]:
        async def one(_: str) -> list[Raw]:
            return await self.upstream.read_all_pages(
                GLOBAL, "describe_direct_connect_gateways", "directConnectGateways"
            )

        return await _settle([one(k) for k in keys])

    def _per_gateway(
        self, operation: str, result_key: str
    ) -> Callable[[list[str]], Awaitable[list[Any]]]:
        async def load(gateway_ids: list[str]) -> list[Any]:
            return await _settle(
                [
                    self.upstream.read_all_pages(
                        GLOBAL, operation, result_key, directConnectGatewayId=gateway_id
                    )
                    for gateway_id in gateway_ids
                ]
            )

        return load

    async def _load_loas(self, keys: list[tuple[str, str]]) -> list[Any]:
        return await _settle(
            [self.upstream.read(region, "describe_loa", connectionId=rid) for region, rid in keys]
        )

    # -- lookups used by types and resolvers ----------------------------------------------------
    async def in_regions(self, kind: str, regions: Sequence[str] | None = None) -> list[Raw]:
        """Every object of `kind` in the given (default: all served) regions.

        Each item carries its `region` (VGWs have none on the wire). A region that fails is
        recorded as a partial error; the others still answer.
        """
        wanted = list(regions) if regions is not None else self.regions
        items: list[Raw] = []
        for region in wanted:
            items.extend(await self._region_items(kind, region))
        return items

    async def _region_items(self, kind: str, region: str) -> list[Raw]:
        if region not in self.regions:
            return []  # e.g. a node ID naming a region this gateway does not serve: no call
        key = (kind, region)
        if key not in self._stamped:
            try:
                raw = await self.regional[kind].load(region)
            except UpstreamError as err:
                self.upstream.record(err)
                raw = []
            if key not in self._stamped:
                self._stamped[key] = [i if "region" in i else {**i, "region": region} for i in raw]
        return self._stamped[key]

    async def find(self, kind: str, resource_id: str, region: str | None = None) -> Raw | None:
        """The object of `kind` with this AWS ID, in one region or any served region."""
        for r in [region] if region else self.regions:
            item = (await self._grouped(kind, r, REGIONAL[kind][2])).get(resource_id)
            if item:
                return item[0]
        return None

    async def related(self, kind: str, region: str, key: str, value: str) -> list[Raw]:
        """Objects of `kind` in `region` whose `key` equals `value` (indexed once per request)."""
        return (await self._grouped(kind, region, key)).get(value, [])

    # -- synchronous fast paths ---------------------------------------------------------------
    # Most fields of a big query ask for data the planner has already loaded; answering those
    # without a coroutine saves the event-loop round trip per field (graphql-core awaits any
    # awaitable a resolver returns, so resolvers return data or fall back to the async call).
    def _peek_grouped(self, kind: str, region: str, key: str) -> dict[Any, list[Raw]] | Missing:
        index = self._groups.get((kind, region, key))
        if index is not None:
            return index
        stamp_key = (kind, region)
        if stamp_key not in self._stamped:
            raw: Any = _ready(self.regional[kind], region)
            if isinstance(raw, Missing):
                return raw
            self._stamped[stamp_key] = [
                i if "region" in i else {**i, "region": region} for i in raw
            ]
        built: dict[Any, list[Raw]] = {}
        for item in self._stamped[stamp_key]:
            built.setdefault(item.get(key), []).append(item)
        self._groups[(kind, region, key)] = built
        return built

    def peek_find(self, kind: str, resource_id: str, region: str) -> tuple[bool, Raw | None]:
        """`(True, find(...))` without awaiting, or `(False, None)` if the list is not loaded."""
        index = self._peek_grouped(kind, region, REGIONAL[kind][2])
        if isinstance(index, Missing):
            return False, None
        found = index.get(resource_id)
        return True, (found[0] if found else None)

    def peek_related(self, kind: str, region: str, key: str, value: str) -> tuple[bool, list[Raw]]:
        index = self._peek_grouped(kind, region, key)
        return (False, []) if isinstance(index, Missing) else (True, index.get(value, []))

    def peek_tags(self, arn: str) -> tuple[bool, list[Raw]]:
        value: Any = _ready(self.tags, arn)
        if value is not MISSING:
            return True, list(value)
        planned = self._all_tags
        if planned is None or not planned.done() or planned.cancelled() or planned.exception():
            return False, []
        if not self._own(arn):
            return True, []
        known = planned.result().get(arn, MISSING)
        if known is MISSING or isinstance(known, BaseException):
            return False, []
        return True, list(known)

    def of_gateway_loader(self, kind: str) -> DataLoader[str, list[Raw]]:
        """The loader of one DX gateway's associations or attachments (`kind`)."""
        return self.gateway_associations if kind == "associations" else self.gateway_attachments

    def peek_of_gateway(self, kind: str, gateway_id: str) -> tuple[bool, list[Raw]]:
        """`(True, associations or attachments of the gateway)` if they have arrived, else
        `(False, [])` (`kind`: "associations" or "attachments")."""
        loader = self.of_gateway_loader(kind)
        value: Any = _ready(loader, gateway_id)
        return (False, []) if value is MISSING else (True, value)

    def pending_tags(self, arn: str) -> asyncio.Future[dict[str, Any]] | None:
        """The future that will hold this ARN's tags (ARN → tags, or → the error its batch met)
        while the operation's planned tags are still on their way; None when there is none or it
        may not hold this ARN (then `tags.load` is the way)."""
        planned = self._all_tags
        if not self._tags_of_all or planned is None or planned.done() or not self._own(arn):
            return None
        return planned

    def peek_associations_of(self, virtual_gateway_id: str) -> tuple[bool, list[Raw]]:
        """`(True, every DX gateway's associations with this VGW)` once every gateway's have
        arrived (indexed once per request), else `(False, [])`."""
        index = self._by_virtual_gateway
        if index is None:
            gateways: Any = _ready(self.gateways, GLOBAL)
            if gateways is MISSING:
                return False, []
            index = {}
            for gateway in gateways:
                hit, items = self.peek_of_gateway("associations", gateway["directConnectGatewayId"])
                if not hit:
                    return False, []
                for item in items:
                    index.setdefault(item.get("virtualGatewayId"), []).append(item)
            self._by_virtual_gateway = index
        return True, index.get(virtual_gateway_id, [])

    def peek_gateway(self, gateway_id: str) -> tuple[bool, Raw | None]:
        gateways: Any = _ready(self.gateways, GLOBAL)
        if gateways is MISSING:
            return False, None
        found = (g for g in gateways if g.get("directConnectGatewayId") == gateway_id)
        return True, next(found, None)

    async def _grouped(self, kind: str, region: str, key: str) -> dict[str, list[Raw]]:
        index = self._groups.get((kind, region, key))
        if index is None:
            index = {}
            for item in await self._region_items(kind, region):
                index.setdefault(item.get(key), []).append(item)
            self._groups[(kind, region, key)] = index
        return index

    async def all_gateways(self) -> list[Raw]:
        return await self.gateways.load(GLOBAL)

    async def find_gateway(self, gateway_id: str) -> Raw | None:
        for gateway in await self.all_gateways():
            if gateway.get("directConnectGatewayId") == gateway_id:
                return gateway
        return None

    async def all_associations(self) -> list[Raw]:
        """Associations of every DX gateway: one paged call per gateway."""
        return await self._of_every_gateway(self.gateway_associations)

    async def all_attachments(self) -> list[Raw]:
        """Attachments of every DX gateway: one paged call per gateway."""
        return await self._of_every_gateway(self.gateway_attachments)

    async def _of_every_gateway(self, loader: DataLoader[str, list[Raw]]) -> list[Raw]:
        gateways = await self.all_gateways()
        lists = await loader.load_many([g["directConnectGatewayId"] for g in gateways])
        return [item for group in lists for item in group]

    async def hosted_parent(self, region: str, connection_id: str) -> Raw | None:
        """The interconnect or LAG whose hosted connections include this connection.

        The Connection shape has no parent ID, so the parents' hosted lists are read (one call
        per interconnect/LAG the caller owns in the region).
        """
        parents = [
            *(await self.in_regions("interconnects", [region])),
            *(await self.in_regions("lags", [region])),
        ]
        keys = [(region, p.get("interconnectId") or p["lagId"]) for p in parents]
        lists = await self.hosted_connections.load_many(keys)
        for parent, hosted in zip(parents, lists, strict=True):
            if any(c.get("connectionId") == connection_id for c in hosted):
                return parent
        return None

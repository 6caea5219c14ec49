"""The upstream-call budget: an operation's Direct Connect calls on a cold cache, estimated before
it runs from the plan of `resolvers.data.plan` (the same plan the loaders prefetch by), refused with
`COST_LIMIT_EXCEEDED` over `max_upstream_calls`, reported in `extensions.cost` on every answer."""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from graphql import (
    DocumentNode,
    GraphQLSchema,
    OperationType,
    ValidationContext,
    ValidationRule,
)
from graphql.utilities import value_from_ast_untyped
from strawberry.extensions import SchemaExtension

from gql.engine.documents import PER_REQUEST_RULES
from gql.engine.limits import COST_LIMIT_EXCEEDED, coded, operations_of, settings_of, too_deep
from gql.settings import Settings
from resolvers.data.arns import GLOBAL
from resolvers.data.loaders import REGIONAL
from resolvers.data.plan import (
    Needs,
    argument,
    declared,
    fragments_of,
    plan_operation,
    regions_of_root,
)
from resolvers.data.tags import TAG_BATCH

if TYPE_CHECKING:
    from strawberry.types import ExecutionContext

    from resolvers.data.loaders import Loaders

ASSUMED_COUNT = 1
"""Objects of a kind in a region (and DX gateways) assumed before any request has seen them."""


@dataclass(frozen=True)
class Sizes:
    """How big the estate is, as far as the estimator knows: objects per (kind, region) and
    the DX gateways under ("gateways", "global"); `ASSUMED_COUNT` for what is not known."""

    counts: Mapping[tuple[str, str], int] = field(default_factory=dict)

    def of(self, kind: str, region: str) -> int:
        return self.counts.get((kind, region), ASSUMED_COUNT)

    @property
    def gateways(self) -> int:
        return self.of("gateways", GLOBAL)


class _Calls:
    """The distinct upstream calls of one set of loaders (one query, or one mutation)."""

    def __init__(self, sizes: Sizes, home: str) -> None:
        self.sizes = sizes
        self.home = home
        self.lists: set[tuple[str, str]] = set()
        self.gateways = False
        self.per_gateway: set[str] = set()
        self.each: set[tuple[str, str, str]] = set()
        self.fixed = 0
        self.tag_kinds: set[str] = set()
        self.tag_regions: set[str] = set()

    def add(self, needs: Needs, regions: Iterable[str]) -> None:
        regions = list(regions)
        for kind in needs.kinds:
            if kind in REGIONAL:
                self.lists.update((kind, region) for region in regions)
            elif kind == "gateways":
                self.gateways = True
            else:  # associations, attachments: the gateway list, then one call per gateway
                self.gateways = True
                self.per_gateway.add(kind)
        self.each.update((read, kind, r) for read, kind in needs.each for r in regions)
        self.fixed += len(needs.once)
        if needs.tag_kinds:
            self.tag_kinds |= needs.tag_kinds
            self.tag_regions.update(regions)

    def total(self, one_tag_batch: bool = False) -> int:
        sizes = self.sizes
        regional_tags = self.tag_kinds - {"gateways"}
        lists = self.lists | {(k, r) for k in regional_tags for r in self.tag_regions}
        gateways = self.gateways or "gateways" in self.tag_kinds
        count = len(lists) + int(gateways) + len(self.per_gateway) * sizes.gateways
        count += sum(sizes.of(kind, region) for _, kind, region in self.each)
        count += self.fixed
        if self.tag_kinds:
            batches = {
                region: sum(sizes.of(kind, region) for kind in regional_tags)
                for region in self.tag_regions
            }
            if "gateways" in self.tag_kinds:
                batches[self.home] = batches.get(self.home, 0) + sizes.gateways
            for objects in batches.values():
                count += min(objects, 1) if one_tag_batch else math.ceil(objects / TAG_BATCH)
        return count


def pick_operation(document: DocumentNode, operation_name: str | None) -> Any:
    """The operation a request runs (None if the name does not pick exactly one)."""
    operations = operations_of(document)
    if operation_name is None:
        return operations[0] if len(operations) == 1 else None
    named = [op for op in operations if op.name and op.name.value == operation_name]
    return named[0] if len(named) == 1 else None


def estimate_calls(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: Mapping[str, Any] | None,
    regions: list[str],
    sizes: Sizes | None = None,
) -> int:
    """The Direct Connect calls an operation makes on a cold cache, from the reads its fields
    declare (`resolvers.data.plan`), counted the way the loaders read:

    * one call per list kind and region: every served region, or only the `region` argument's
      when a root field narrows (then every list below that root field is counted in that
      region only);
    * the DX gateway list once (a paged read counts once, as `Upstream.calls_made` does) and,
      for associations or attachments, one call per gateway;
    * tags: per region, one `DescribeTags` per `TAG_BATCH` resources of the kinds whose tags are
      selected (DX gateways ride in the first region's batches);
    * per-object reads (`loa`, `hostedConnections`): one per object of the kind below a list,
      one below a single object; `DxConnection.parent` reads every interconnect's and LAG's
      hosted list in the region;
    * `node`: one call; `nodes`: one per ID, at most one per kind and region; the deprecated
      root reads: one each;
    * a mutation: its write, the fresh read of a state payload, and the reads its payload
      selects in its region (each mutation reads afresh: nothing is shared between them).

    Object and gateway counts come from `sizes` — what earlier requests saw (see
    `UpstreamBudget`) — and are `ASSUMED_COUNT` where nothing is known yet.
    """
    operation = pick_operation(document, operation_name)
    if operation is None:
        return 0
    sizes = sizes or Sizes()
    fragments = fragments_of(document)
    values = dict(variables or {})
    for definition in operation.variable_definitions or ():
        name = definition.variable.name.value
        if name not in values and definition.default_value is not None:
            values[name] = value_from_ast_untyped(definition.default_value)
    plan = plan_operation(schema, operation, fragments)
    home = regions[0]
    if operation.operation == OperationType.MUTATION:
        return sum(
            _mutation_calls(node, needs, values, regions, sizes) for node, needs in plan.roots
        )
    root_type = schema.get_root_type(operation.operation)
    root_fields = root_type.fields if root_type is not None else {}
    calls = _Calls(sizes, home)
    narrowed = any(argument(node, "region", values)[0] for node, _ in plan.roots)
    for node, needs in plan.roots:
        has_region, region = argument(node, "region", values)
        own = regions_of_root(node, values, regions)
        if needs.calls:
            calls.fixed += len(own[:1]) if has_region and region is not None else needs.calls
        if needs.nodes:
            if node.name.value == "nodes":
                _, ids = argument(node, "ids", values)
                count = len(ids) if isinstance(ids, list) else 1
                calls.fixed += min(count, len(REGIONAL) * len(regions) + 1)
            else:
                calls.fixed += 1
        has_tag, tag = argument(node, "tag", values)
        own_reads = declared(root_fields.get(node.name.value))
        if has_tag and tag is not None and own_reads is not None and own_reads.lists:
            needs = _with_tags_of(needs, own_reads.lists[0])
        if not narrowed:
            calls.add(needs, regions)
        elif needs.calls:
            calls.add(needs, own[:1] if has_region else [home])
        else:
            calls.add(needs, own)
    return calls.total()


def _with_tags_of(needs: Needs, kind: str) -> Needs:
    """A root list filtered by `tag` reads the tags of the kind it lists."""
    widened = Needs()
    widened.absorb(needs, below_list=False)
    widened.tag_kinds.add(kind)
    return widened


def _mutation_calls(
    node: Any, needs: Needs, values: dict[str, Any], regions: list[str], sizes: Sizes
) -> int:
    _, data = argument(node, "input", values)
    region = data.get("region") if isinstance(data, dict) else None
    if region is not None and region not in regions:
        return 0  # refused before anything is sent
    where = region if isinstance(region, str) else regions[0]
    calls = _Calls(sizes, regions[0])
    calls.add(needs, [where])
    for fresh in needs.fresh:
        if fresh == "tags":
            calls.fixed += 1
        else:
            calls.lists.add((fresh, where))
    return max(needs.writes, 1) + calls.total(one_tag_batch=True)


# -- what earlier requests saw -------------------------------------------------------------------
_SIZES_KEPT = 256
_sizes: OrderedDict[tuple[str, str], dict[tuple[str, str], int]] = OrderedDict()
_sizes_lock = threading.Lock()  # gateways in several threads of one process (tests, embedding)


def _sizes_key(settings: Settings, context: Any) -> tuple[str, str]:
    return settings.cache_namespace, str(getattr(context, "account_id", ""))


def known_sizes(settings: Settings, context: Any) -> Sizes:
    """Object counts the requests of this account have seen in this process."""
    with _sizes_lock:
        return Sizes(dict(_sizes.get(_sizes_key(settings, context), {})))


def _ready_length(loader: Any, key: Any) -> int | None:
    future = loader.cache_map.get(key)
    if future is None or not future.done() or future.cancelled() or future.exception():
        return None
    return len(future.result())


def learn_sizes(settings: Settings, context: Any) -> None:
    """Remembers how many objects of each kind and region the request's loaders read."""
    loaders: Loaders | None = getattr(context, "loaders", None)
    if loaders is None:
        return
    seen: dict[tuple[str, str], int] = {}
    for kind, loader in loaders.regional.items():
        for region in loaders.regions:
            length = _ready_length(loader, region)
            if length is not None:
                seen[(kind, region)] = length
    gateways = _ready_length(loaders.gateways, GLOBAL)
    if gateways is not None:
        seen[("gateways", GLOBAL)] = gateways
    if not seen:
        return
    key = _sizes_key(settings, context)
    with _sizes_lock:
        _sizes.setdefault(key, {}).update(seen)
        _sizes.move_to_end(key)
        while len(_sizes) > _SIZES_KEPT:
            _sizes.popitem(last=False)


class UpstreamBudget(SchemaExtension):
    """Refuses an operation whose estimated upstream calls exceed `max_upstream_calls`
    (`COST_LIMIT_EXCEEDED`, during validation: nothing runs) and reports
    `extensions.cost` on every response."""

    def __init__(self, *, execution_context: ExecutionContext | None = None) -> None:
        self.estimate = 0
        self.budget: int | None = None
        self.settings: Settings | None = None

    def on_operation(self) -> Iterator[None]:
        ctx = self.execution_context
        self.settings = settings_of(ctx)
        if self.settings is None:
            yield
            return
        self.budget = self.settings.max_upstream_calls
        ctx.validation_rules = (*ctx.validation_rules, UpstreamBudgetRule)
        token = _checking.set(self)
        try:
            yield
        finally:
            _checking.reset(token)

    def on_execute(self) -> Iterator[None]:
        yield
        if self.settings is not None:
            learn_sizes(self.settings, self.execution_context.context)

    def get_results(self) -> dict[str, Any]:
        if self.budget is None:
            return {}
        upstream = getattr(self.execution_context.context, "upstream", None)
        return {
            "cost": {
                "estimatedUpstreamCalls": self.estimate,
                "actualUpstreamCalls": int(getattr(upstream, "calls_made", 0)),
                "budget": self.budget,
            }
        }

    def check(self, context: ValidationContext) -> None:
        """Estimates the operation (the validation rule calls this) and refuses it if over."""
        settings = self.settings
        if settings is None or self.budget is None:
            return
        ctx = self.execution_context
        upstream = getattr(ctx.context, "upstream", None)
        regions = list(getattr(upstream, "regions", None) or settings.regions)
        try:
            self.estimate = estimate_calls(
                context.schema,
                context.document,
                ctx.operation_name,
                ctx.variables,
                regions,
                known_sizes(settings, ctx.context),
            )
        except RecursionError:
            context.report_error(too_deep(settings.max_depth))
            return
        if self.estimate > self.budget:
            context.report_error(
                coded(
                    f"This operation would make about {self.estimate} calls to Direct Connect; "
                    f"the budget of one operation is {self.budget}. Ask for fewer kinds of data, "
                    "narrow it with `region`, or split it.",
                    COST_LIMIT_EXCEEDED,
                    estimatedUpstreamCalls=self.estimate,
                    budget=self.budget,
                )
            )


# The request's budget extension, for the validation rule (validation runs inside on_operation).
_checking: ContextVar[UpstreamBudget | None] = ContextVar("dxgraph_upstream_budget", default=None)


class UpstreamBudgetRule(ValidationRule):
    """Hands the document to the request's `UpstreamBudget` during validation."""

    def __init__(self, context: ValidationContext) -> None:
        super().__init__(context)
        extension = _checking.get()
        if extension is not None:
            extension.check(context)


PER_REQUEST_RULES.add(UpstreamBudgetRule)  # its estimate depends on variables and learned sizes

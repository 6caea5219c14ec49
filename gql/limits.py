"""Refusing abuse: query depth, aliases, tokens, body size, an upstream-call budget, rate limits.

GraphQL limits — the schema extensions in `LIMIT_EXTENSIONS` read their limits from
`context.settings` on every request. A refused operation is never executed, so nothing reaches
Direct Connect:

* tokens (`max_tokens`): graphql-core stops parsing past the limit → `TOO_MANY_TOKENS`;
* depth (`max_depth`): how many selection sets nest below a root field (fragments expanded,
  introspection fields not counted; `{ lags { lagName } }` is 1) → `QUERY_TOO_DEEP`, also for
  documents nested too deeply for the parser itself;
* aliases (`max_aliases`): aliased fields of the document, a fragment counted every time it is
  spread → `TOO_MANY_ALIASES`;
* upstream-call budget (`max_upstream_calls`): the Direct Connect calls the operation would
  make on a cold cache, estimated from the fields it selects before it runs
  (`estimate_calls`) → `COST_LIMIT_EXCEEDED`.

Every response carries `extensions.cost`: `{"estimatedUpstreamCalls", "actualUpstreamCalls",
"budget"}`; the actual number counts the calls this request started (cache hits and calls
joined from concurrent requests are free; see `Upstream.calls_made`).

HTTP limits — `install_limits(app, settings)` adds two ASGI middlewares:

* request bodies over `max_body_bytes` → 413 `REQUEST_TOO_LARGE`, decided from the bytes
  received (a `Content-Length` over the limit is refused at once, a smaller or missing one is
  not trusted) before anything parses the body;
* a token bucket per caller (`rate_limit_per_minute`, `rate_limit_burst`; the authenticated
  principal, else the client address) → 429 `RATE_LIMITED` with `Retry-After`. With
  `cache_backend=redis` the buckets live in Redis (one Lua script, atomic, Redis' clock), so
  the limit holds across replicas; if Redis fails, each replica falls back to its own buckets.
  `/healthz`, `/readyz` and `/metrics` are never limited.

Refusals answer `{"errors": [{"message", "extensions": {"code"}}]}` like the other HTTP-level
refusals of the gateway (gql/auth.py).
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import threading
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Mapping
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI
from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    TypeInfo,
    TypeInfoVisitor,
    Undefined,
    ValidationContext,
    ValidationRule,
    Visitor,
    get_named_type,
    get_nullable_type,
    is_list_type,
    visit,
)
from graphql.utilities import value_from_ast_untyped
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.extensions import AddValidationRules, MaxTokensLimiter, SchemaExtension
from strawberry.extensions.utils import is_introspection_key

from gql.auth import OPEN, principal_of
from gql.documents import PER_REQUEST_RULES
from gql.settings import Settings
from resolvers.loaders import REGIONAL, TAG_BATCH
from resolvers.plan import FIELD_KINDS, TAGGED_KINDS
from resolvers.upstream import GLOBAL

if TYPE_CHECKING:
    from strawberry.types import ExecutionContext

    from resolvers.loaders import Loaders

logger = logging.getLogger("dxgraph.limits")

QUERY_TOO_DEEP = "QUERY_TOO_DEEP"
TOO_MANY_ALIASES = "TOO_MANY_ALIASES"
TOO_MANY_TOKENS = "TOO_MANY_TOKENS"
COST_LIMIT_EXCEEDED = "COST_LIMIT_EXCEEDED"
REQUEST_TOO_LARGE = "REQUEST_TOO_LARGE"
RATE_LIMITED = "RATE_LIMITED"

# Routes that are never rate limited (probes and scrapers poll them).
UNLIMITED_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})


def _settings_of(execution_context: ExecutionContext) -> Settings | None:
    settings = getattr(execution_context.context, "settings", None)
    return settings if isinstance(settings, Settings) else None


def _coded(message: str, code: str, node: Any = None, **extensions: Any) -> GraphQLError:
    return GraphQLError(message, nodes=node, extensions={"code": code, **extensions})


# -- fragments, visited once each ------------------------------------------------------------
def _fragments(document: DocumentNode) -> dict[str, FragmentDefinitionNode]:
    return {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}


def _spreads(node: Any) -> set[str]:
    """Names of the fragments spread anywhere inside `node` (graphql's visit is iterative)."""
    found: set[str] = set()

    class Spreads(Visitor):
        def enter_fragment_spread(self, spread: FragmentSpreadNode, *_: Any) -> None:
            found.add(spread.name.value)

    visit(node, Spreads())
    return found


def _fragment_order(fragments: Mapping[str, FragmentDefinitionNode]) -> list[str]:
    """Fragment names, each after the fragments it spreads (a cycle, which validation refuses
    anyway, is cut). Iterative, so long chains of fragments cannot exhaust Python's stack."""
    order: list[str] = []
    state: dict[str, bool] = {}  # False: in progress, True: placed
    children = {name: _spreads(fragment) for name, fragment in fragments.items()}
    for root in fragments:
        stack: list[tuple[str, bool]] = [(root, False)]
        while stack:
            name, expanded = stack.pop()
            if expanded:
                state[name] = True
                order.append(name)
                continue
            if name in state or name not in fragments:
                continue
            state[name] = False
            stack.append((name, True))
            stack.extend((child, False) for child in children[name] if child not in state)
    return order


# -- depth and aliases -------------------------------------------------------------------------
# Our own counting rather than strawberry's QueryDepthLimiter/MaxAliasesLimiter rules: those walk
# a fragment again at every spread, exponential in nested spreads (22 levels of fragments each
# spreading the next twice take over 5 s); here every fragment is measured once.
def _depth(selection_set: SelectionSetNode, fragment_depths: Mapping[str, int]) -> int:
    best = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            if is_introspection_key(selection.name.value) or selection.selection_set is None:
                continue
            depth = 1 + _depth(selection.selection_set, fragment_depths)
        elif isinstance(selection, InlineFragmentNode):
            depth = _depth(selection.selection_set, fragment_depths)
        elif isinstance(selection, FragmentSpreadNode):
            depth = fragment_depths.get(selection.name.value, 0)
        else:
            continue
        best = max(best, depth)
    return best


def _aliases(selection_set: SelectionSetNode, fragment_aliases: Mapping[str, int]) -> int:
    count = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            count += selection.alias is not None
            if selection.selection_set is not None:
                count += _aliases(selection.selection_set, fragment_aliases)
        elif isinstance(selection, InlineFragmentNode):
            count += _aliases(selection.selection_set, fragment_aliases)
        elif isinstance(selection, FragmentSpreadNode):
            count += fragment_aliases.get(selection.name.value, 0)
    return count


def _per_fragment(
    document: DocumentNode, measure: Callable[[SelectionSetNode, Mapping[str, int]], int]
) -> dict[str, int]:
    """`measure` of every fragment, each computed once (fragment bombs stay linear)."""
    fragments = _fragments(document)
    values: dict[str, int] = {}
    for name in _fragment_order(fragments):
        values[name] = measure(fragments[name].selection_set, values)
    return values


def _operations(document: DocumentNode) -> list[OperationDefinitionNode]:
    return [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]


@lru_cache(maxsize=16)
def depth_rule(max_depth: int) -> type[ValidationRule]:
    """A validation rule refusing operations nested deeper than `max_depth` (QUERY_TOO_DEEP)."""

    class QueryDepthRule(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            document = context.document
            try:
                depths = _per_fragment(document, _depth)
                for operation in _operations(document):
                    depth = _depth(operation.selection_set, depths)
                    if depth > max_depth:
                        name = operation.name.value if operation.name else "anonymous"
                        context.report_error(
                            _coded(
                                f"Operation '{name}' is nested {depth} levels deep; at most "
                                f"{max_depth} are allowed.",
                                QUERY_TOO_DEEP,
                                operation,
                                maxDepth=max_depth,
                            )
                        )
            except RecursionError:
                context.report_error(_too_deep(max_depth))

    return QueryDepthRule


def _too_deep(max_depth: int) -> GraphQLError:
    return _coded(
        f"The document is nested too deeply; at most {max_depth} levels are allowed.",
        QUERY_TOO_DEEP,
        maxDepth=max_depth,
    )


@lru_cache(maxsize=16)
def alias_rule(max_aliases: int) -> type[ValidationRule]:
    """A validation rule refusing documents with more than `max_aliases` aliases."""

    class MaxAliasesRule(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            document = context.document
            try:
                per_fragment = _per_fragment(document, _aliases)
                total = sum(
                    _aliases(op.selection_set, per_fragment) for op in _operations(document)
                )
            except RecursionError:
                total = max_aliases + 1
            if total > max_aliases:
                context.report_error(
                    _coded(
                        f"The document uses {total} aliases; at most {max_aliases} are allowed.",
                        TOO_MANY_ALIASES,
                        maxAliases=max_aliases,
                    )
                )

    return MaxAliasesRule


class TokenLimit(MaxTokensLimiter):
    """strawberry's `MaxTokensLimiter` with `max_tokens` read per request; its refusal coded."""

    def __init__(self, *, execution_context: ExecutionContext | None = None) -> None:
        super().__init__(max_token_count=int(Settings.model_fields["max_tokens"].default))

    def on_operation(self) -> Iterator[None]:
        settings = _settings_of(self.execution_context)
        if settings is not None:
            self.max_token_count = settings.max_tokens
        yield from super().on_operation()

    def on_parse(self) -> Iterator[None]:
        yield
        for error in self.execution_context.pre_execution_errors or ():
            if "tokens. Parsing aborted" in error.message:
                error.message = (
                    f"The document has more than {self.max_token_count} tokens; parsing stopped."
                )
                error.extensions = {"code": TOO_MANY_TOKENS, "maxTokens": self.max_token_count}


class DepthLimit(AddValidationRules):
    """Refuses operations nested deeper than `max_depth` (`QUERY_TOO_DEEP`)."""

    def __init__(self, *, execution_context: ExecutionContext | None = None) -> None:
        super().__init__([])
        self.max_depth = int(Settings.model_fields["max_depth"].default)

    def on_operation(self) -> Iterator[None]:
        settings = _settings_of(self.execution_context)
        if settings is not None:
            self.max_depth = settings.max_depth
        self.validation_rules = [depth_rule(self.max_depth)]
        yield from super().on_operation()

    def on_parse(self) -> Iterator[None]:
        yield
        for error in self.execution_context.pre_execution_errors or ():
            if "nested too deeply" in error.message or isinstance(
                error.original_error, RecursionError
            ):
                coded = _too_deep(self.max_depth)
                error.message = coded.message
                error.extensions = coded.extensions
                error.original_error = None


class AliasLimit(AddValidationRules):
    """Refuses documents with more than `max_aliases` aliases (`TOO_MANY_ALIASES`)."""

    def __init__(self, *, execution_context: ExecutionContext | None = None) -> None:
        super().__init__([])

    def on_operation(self) -> Iterator[None]:
        settings = _settings_of(self.execution_context)
        limit = settings.max_aliases if settings else Settings.model_fields["max_aliases"].default
        self.validation_rules = [alias_rule(int(limit))]
        yield from super().on_operation()


# -- the upstream-call estimate ----------------------------------------------------------------
ASSUMED_COUNT = 1
"""Objects of a kind in a region (and DX gateways) assumed before any request has seen them."""

# (type, field) → per-object reads: (read, kind of the objects, whether it reads once per object
# of the region even below a single object). DataLoaders dedupe them per object.
PER_OBJECT: dict[tuple[str, str], tuple[tuple[str, str, bool], ...]] = {
    ("DxConnection", "loa"): (("loa", "connections", False),),
    ("Interconnect", "loa"): (("loa", "interconnects", False),),
    ("Lag", "loa"): (("loa", "lags", False),),
    ("Interconnect", "hostedConnections"): (("hosted", "interconnects", False),),
    ("Lag", "hostedConnections"): (("hosted", "lags", False),),
    # a hosted connection's parent: every interconnect's and LAG's hosted list in its region
    ("DxConnection", "parent"): (("hosted", "interconnects", True), ("hosted", "lags", True)),
}
# lists read by fields the planner does not list
EXTRA_KINDS: dict[tuple[str, str], tuple[str, ...]] = {
    ("DxConnection", "parent"): ("interconnects", "lags"),
}
# root query fields that make one call of their own, in their `region` (default: the first)
SINGLE_READ_ROOTS = frozenset({"connectionLoa", "interconnectLoa", "connectionsOnInterconnect"})
# mutation payloads that read their resource afresh after the write
FRESH_READS = {
    "ConnectionStatePayload": "connections",
    "InterconnectStatePayload": "interconnects",
    "VirtualInterfaceStatePayload": "virtual_interfaces",
    "LagMembershipPayload": "lags",
    "ResourceTagsPayload": "tags",
}


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


@dataclass
class _Needs:
    """What a subtree of a query reads. `each`: per-object reads below a list (one call per
    object of the kind); `once`: per-object reads below single objects only (one call)."""

    kinds: set[str] = field(default_factory=set)
    tag_kinds: set[str] = field(default_factory=set)
    each: set[tuple[str, str]] = field(default_factory=set)
    once: set[tuple[str, str]] = field(default_factory=set)
    spreads: set[tuple[str, bool]] = field(default_factory=set)

    def absorb(self, other: _Needs, below_list: bool) -> None:
        self.kinds |= other.kinds
        self.tag_kinds |= other.tag_kinds
        self.each |= other.each
        (self.each if below_list else self.once).update(other.once)


class _Collector(Visitor):
    def __init__(self, type_info: TypeInfo, needs: _Needs) -> None:
        super().__init__()
        self.type_info = type_info
        self.needs = needs
        self.lists: list[bool] = []

    def enter_field(self, node: FieldNode, *_: Any) -> None:
        parent = self.type_info.get_parent_type()
        field_type = self.type_info.get_type()
        below_list = any(self.lists)
        self.lists.append(field_type is not None and is_list_type(get_nullable_type(field_type)))
        if parent is None:
            return
        name = node.name.value
        key = (parent.name, name)
        needs = self.needs
        if not parent.name.endswith("Payload"):  # a payload's objects come with the write
            needs.kinds.update(FIELD_KINDS.get(key) or FIELD_KINDS.get(("*", name), ()))
        needs.kinds.update(EXTRA_KINDS.get(key, ()))
        if name == "tags" and parent.name in TAGGED_KINDS:
            needs.tag_kinds.add(TAGGED_KINDS[parent.name])
        for read, kind, per_region in PER_OBJECT.get(key, ()):
            (needs.each if below_list or per_region else needs.once).add((read, kind))

    def leave_field(self, *_: Any) -> None:
        self.lists.pop()

    def enter_fragment_spread(self, node: FragmentSpreadNode, *_: Any) -> None:
        self.needs.spreads.add((node.name.value, any(self.lists)))


class _Analyzer:
    """Needs of root fields, with every fragment analysed once."""

    def __init__(self, schema: GraphQLSchema, fragments: dict[str, FragmentDefinitionNode]):
        self.schema = schema
        self.fragments = fragments
        self.resolved: dict[str, _Needs] = {}
        for name in _fragment_order(fragments):
            self.resolved[name] = self._resolve(self._collect(fragments[name], None))

    def _collect(self, node: Any, initial: GraphQLNamedType | None) -> _Needs:
        needs = _Needs()
        type_info = TypeInfo(self.schema, initial_type=initial)
        visit(node, TypeInfoVisitor(type_info, _Collector(type_info, needs)))
        return needs

    def _resolve(self, direct: _Needs) -> _Needs:
        total = _Needs(set(direct.kinds), set(direct.tag_kinds), set(direct.each), set(direct.once))
        for name, below_list in direct.spreads:
            child = self.resolved.get(name)
            if child is not None:
                total.absorb(child, below_list)
        return total

    def field(self, node: FieldNode, root: GraphQLObjectType) -> _Needs:
        return self._resolve(self._collect(node, root))


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

    def add(self, needs: _Needs, regions: Iterable[str]) -> None:
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


def _root_fields(
    selection_set: SelectionSetNode, fragments: Mapping[str, FragmentDefinitionNode]
) -> list[FieldNode]:
    """The root fields of an operation, its root-level fragments expanded once each."""
    found: list[FieldNode] = []
    seen: set[str] = set()
    pending = list(reversed(selection_set.selections))
    while pending:
        selection = pending.pop()
        if isinstance(selection, FieldNode):
            found.append(selection)
        elif isinstance(selection, InlineFragmentNode):
            pending.extend(reversed(selection.selection_set.selections))
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name not in seen and name in fragments:
                seen.add(name)
                pending.extend(reversed(fragments[name].selection_set.selections))
    return found


def _argument(node: FieldNode, name: str, values: dict[str, Any]) -> tuple[bool, Any]:
    for argument in node.arguments or ():
        if argument.name.value == name:
            value = value_from_ast_untyped(argument.value, values)
            return True, None if value is Undefined else value
    return False, None


def _regions_of(value: Any, served: list[str]) -> list[str]:
    """The regions a `region` argument selects: one served region, none (refused), or all."""
    if isinstance(value, str):
        return [value] if value in served else []
    return list(served)


def pick_operation(
    document: DocumentNode, operation_name: str | None
) -> OperationDefinitionNode | None:
    """The operation a request runs (None if the name does not pick exactly one)."""
    operations = _operations(document)
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
    """The Direct Connect calls an operation makes on a cold cache, from the fields it selects.

    Mirrors how the loaders read (resolvers/loaders.py, resolvers/plan.py):

    * one call per list kind the operation reads (`plan.FIELD_KINDS`) and region: every served
      region, or only the `region` argument's when a root field narrows (then every list below
      that root field is counted in that region only);
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
    fragments = _fragments(document)
    root_type = schema.get_root_type(operation.operation)
    if root_type is None:
        return 0
    values = dict(variables or {})
    for definition in operation.variable_definitions or ():
        name = definition.variable.name.value
        if name not in values and definition.default_value is not None:
            values[name] = value_from_ast_untyped(definition.default_value)
    analyzer = _Analyzer(schema, fragments)
    roots = [
        root
        for root in _root_fields(operation.selection_set, fragments)
        if not is_introspection_key(root.name.value)
    ]
    home = regions[0]
    if operation.operation == OperationType.MUTATION:
        return sum(
            _mutation_calls(analyzer, root, root_type, values, regions, sizes) for root in roots
        )

    calls = _Calls(sizes, home)
    narrowed = any(_argument(root, "region", values)[0] for root in roots)
    for root in roots:
        name = root.name.value
        needs = analyzer.field(root, root_type)
        has_region, region = _argument(root, "region", values)
        if name in SINGLE_READ_ROOTS:
            own = _regions_of(region, regions)[:1] if has_region else [home]
            calls.fixed += len(own)
        elif name == "node":
            calls.fixed += 1
        elif name == "nodes":
            _, ids = _argument(root, "ids", values)
            count = len(ids) if isinstance(ids, list) else 1
            calls.fixed += min(count, len(REGIONAL) * len(regions) + 1)
        has_tag, tag = _argument(root, "tag", values)
        root_kinds = FIELD_KINDS.get(("Query", name), ())
        if has_tag and tag is not None and root_kinds:
            needs.tag_kinds.add(root_kinds[0])
        if not narrowed:
            calls.add(needs, regions)
        elif name in SINGLE_READ_ROOTS:
            calls.add(needs, _regions_of(region, regions)[:1] if has_region else [home])
        else:
            calls.add(needs, _regions_of(region, regions) if has_region else regions)
    return calls.total()


def _mutation_calls(
    analyzer: _Analyzer,
    root: FieldNode,
    root_type: GraphQLObjectType,
    values: dict[str, Any],
    regions: list[str],
    sizes: Sizes,
) -> int:
    _, data = _argument(root, "input", values)
    region = data.get("region") if isinstance(data, dict) else None
    if region is not None and region not in regions:
        return 0  # refused before anything is sent
    where = region if isinstance(region, str) else regions[0]
    calls = _Calls(sizes, regions[0])
    calls.add(analyzer.field(root, root_type), [where])
    definition = root_type.fields.get(root.name.value)
    if definition is not None:
        fresh = FRESH_READS.get(get_named_type(definition.type).name)
        if fresh == "tags":
            calls.fixed += 1
        elif fresh is not None:
            calls.lists.add((fresh, where))
    return 1 + calls.total(one_tag_batch=True)


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
        self.settings = _settings_of(ctx)
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
            context.report_error(_too_deep(settings.max_depth))
            return
        if self.estimate > self.budget:
            context.report_error(
                _coded(
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

LIMIT_EXTENSIONS: list[type[SchemaExtension]] = [TokenLimit, DepthLimit, AliasLimit, UpstreamBudget]


# -- HTTP: body size --------------------------------------------------------------------------
def _refusal(code: str, message: str, **extensions: Any) -> tuple[bytes, list[Any]]:
    body = json.dumps(
        {"errors": [{"message": message, "extensions": {"code": code, **extensions}}]}
    )
    encoded = body.encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(encoded)).encode()),
        (b"cache-control", b"no-store"),
    ]
    return encoded, headers


async def _send_refusal(
    send: Send,
    status: int,
    code: str,
    message: str,
    extra_headers: Iterable[tuple[bytes, bytes]] = (),
    **extensions: Any,
) -> None:
    body, headers = _refusal(code, message, **extensions)
    headers.extend(extra_headers)
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers") or ():
        if key.lower() == name:
            return bytes(value)
    return None


DRAIN_SECONDS = 1.0


class BodySizeLimit:
    """ASGI middleware: 413 `REQUEST_TOO_LARGE` for a body over `max_bytes`.

    The body is read here, counting bytes as they arrive, and handed on only once it is whole
    and within the limit, so nothing downstream ever parses an oversized body. A declared
    `Content-Length` over the limit is refused before reading; a smaller one, or chunked
    transfer, is not trusted. After a refusal the rest of the body is read and dropped for a
    moment (at most `max_bytes` more, `DRAIN_SECONDS`) so the client can read the answer
    instead of a connection reset.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _header(scope, b"content-length")
        try:
            length = int(declared) if declared is not None else None
        except ValueError:
            length = None
        expects_continue = (_header(scope, b"expect") or b"").lower() == b"100-continue"
        if length is not None and length > self.max_bytes:
            # with Expect: 100-continue the client has not sent the body: read nothing
            await self._refuse(send, None if expects_continue else receive)
            return
        chunks: list[bytes] = []
        size = 0
        first: Message | None = None
        while True:
            message = await receive()
            if message["type"] != "http.request":
                first = message  # disconnected: let the app see it
                break
            body = message.get("body", b"")
            size += len(body)
            if size > self.max_bytes:
                await self._refuse(send, receive if message.get("more_body") else None)
                return
            chunks.append(body)
            if not message.get("more_body", False):
                break
        replay: Message = first or {
            "type": "http.request",
            "body": b"".join(chunks),
            "more_body": False,
        }
        replayed = False

        async def replaying_receive() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return replay
            return await receive()

        await self.app(scope, replaying_receive, send)

    async def _refuse(self, send: Send, receive: Receive | None) -> None:
        if receive is not None:
            await self._drain(receive)
        await _send_refusal(
            send,
            413,
            REQUEST_TOO_LARGE,
            f"The request body is larger than {self.max_bytes} bytes.",
            maxBodyBytes=self.max_bytes,
        )

    async def _drain(self, receive: Receive) -> None:
        dropped = 0
        loop = asyncio.get_running_loop()
        deadline = loop.time() + DRAIN_SECONDS
        while dropped <= self.max_bytes:
            remaining = deadline - loop.time()
            if remaining <= 0:
                return
            try:
                message = await asyncio.wait_for(receive(), remaining)
            except TimeoutError:
                return
            if message["type"] != "http.request":
                return
            dropped += len(message.get("body", b""))
            if not message.get("more_body", False):
                return


# -- HTTP: rate limit ---------------------------------------------------------------------------
class MemoryBuckets:
    """Token buckets in this process: `burst` tokens, refilled at `rate` per second."""

    KEPT = 10_000

    def __init__(self, rate: float, burst: int) -> None:
        self.rate = rate
        self.burst = float(burst)
        self._buckets: dict[str, tuple[float, float]] = {}

    def take(self, caller: str) -> float:
        """Takes a token: 0 if granted, else the seconds until one is available."""
        now = time.monotonic()
        tokens, stamp = self._buckets.get(caller, (self.burst, now))
        tokens = min(self.burst, tokens + (now - stamp) * self.rate)
        if tokens >= 1:
            self._buckets[caller] = (tokens - 1, now)
            wait = 0.0
        else:
            self._buckets[caller] = (tokens, now)
            wait = (1 - tokens) / self.rate
        if len(self._buckets) > self.KEPT:
            self._forget_full(now)
        return wait

    async def acquire(self, caller: str) -> float:
        return self.take(caller)

    def _forget_full(self, now: float) -> None:
        """Drops buckets that have refilled: forgetting them changes nothing."""
        full = [
            caller
            for caller, (tokens, stamp) in self._buckets.items()
            if tokens + (now - stamp) * self.rate >= self.burst
        ]
        for caller in full:
            del self._buckets[caller]


# KEYS[1]: the bucket; ARGV: rate (tokens/s), burst. Redis' own clock, so every replica agrees.
TOKEN_BUCKET_LUA = """
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local now_parts = redis.call('TIME')
local now = tonumber(now_parts[1]) + tonumber(now_parts[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'stamp')
local tokens = tonumber(state[1])
local stamp = tonumber(state[2])
if tokens == nil or stamp == nil then
  tokens = burst
  stamp = now
end
tokens = math.min(burst, tokens + math.max(0, now - stamp) * rate)
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
else
  wait = (1 - tokens) / rate
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'stamp', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 1000)
return tostring(wait)
"""

_WARN_EVERY_SECONDS = 30.0


class RedisBuckets:
    """Token buckets in Redis, shared by every replica using the same `cache_namespace`.

    While Redis fails, each replica limits on its own (`MemoryBuckets`), warns at most every
    30 s, and tries Redis again after `RETRY_SECONDS`. The connection is opened lazily, in the
    serving event loop.
    """

    RETRY_SECONDS = 5.0

    def __init__(self, url: str, namespace: str, rate: float, burst: int) -> None:
        self.url = url
        self.prefix = f"{namespace}:ratelimit:"
        self.rate = rate
        self.burst = burst
        self.fallback = MemoryBuckets(rate, burst)
        self._client: Any = None
        self._script: Any = None
        self._down_until = 0.0
        self._last_warning = -_WARN_EVERY_SECONDS

    async def acquire(self, caller: str) -> float:
        """Takes a token: 0 if granted, else the seconds until one is available."""
        now = time.monotonic()
        if now < self._down_until:
            return self.fallback.take(caller)
        try:
            if self._client is None:
                import redis.asyncio as redis_asyncio

                # Blocking: under load, requests wait for a pooled connection, not fail.
                pool = redis_asyncio.BlockingConnectionPool.from_url(
                    self.url,
                    max_connections=64,
                    timeout=1.0,
                    socket_timeout=1.0,
                    socket_connect_timeout=1.0,
                )
                self._client = redis_asyncio.Redis(connection_pool=pool)
                self._script = self._client.register_script(TOKEN_BUCKET_LUA)
            wait = await self._script(keys=[self.prefix + caller], args=[self.rate, self.burst])
            return float(wait)
        except Exception as err:  # Redis down: limit per replica rather than not at all
            self._down_until = now + self.RETRY_SECONDS
            if now - self._last_warning >= _WARN_EVERY_SECONDS:
                self._last_warning = now
                logger.warning(
                    "rate limiter: Redis failed (%s); limiting per replica for now",
                    type(err).__name__,
                )
            return self.fallback.take(caller)

    async def close(self) -> None:
        if self._client is not None:
            client, self._client = self._client, None
            await client.aclose()


class RateLimit:
    """ASGI middleware: one token per request and caller; 429 `RATE_LIMITED` with
    `Retry-After` (whole seconds, at least 1) when the caller's bucket is empty.

    The caller is the principal authentication identified (`gql.auth.principal_of`; the auth
    middleware runs first), else the client address. `UNLIMITED_PATHS` pass freely.
    """

    def __init__(
        self, app: ASGIApp, buckets: MemoryBuckets | RedisBuckets, per_minute: float, burst: int
    ) -> None:
        self.app = app
        self.buckets = buckets
        self.per_minute = per_minute
        self.burst = burst

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or _path(scope) in UNLIMITED_PATHS:
            await self.app(scope, receive, send)
            return
        caller = caller_of(scope)
        wait = await self.buckets.acquire(caller)
        if wait <= 0:
            await self.app(scope, receive, send)
            return
        retry_after = max(1, math.ceil(wait))
        logger.debug("rate limited %s (%s): retry after %d s", caller, _path(scope), retry_after)
        await _send_refusal(
            send,
            429,
            RATE_LIMITED,
            f"Too many requests: {self.per_minute:g} per minute are allowed (bursts of "
            f"{self.burst}); retry in {retry_after} s.",
            [(b"retry-after", str(retry_after).encode())],
            retryAfter=retry_after,
        )


def _path(scope: Scope) -> str:
    path: str = scope.get("path", "/")
    root: str = scope.get("root_path", "")
    if root and path.startswith(root):
        path = path[len(root) :] or "/"
    return path


def caller_of(scope: Scope) -> str:
    """The rate-limit key of a request: `principal:<name>`, or `addr:<ip>` when anonymous."""
    principal = principal_of(Request(scope))
    if principal is not OPEN and principal.name != OPEN.name:
        return f"principal:{principal.name}"
    client = scope.get("client")
    return f"addr:{client[0] if client else 'unknown'}"


def install_limits(app: FastAPI, settings: Settings) -> None:
    """Adds the HTTP-level limits (request body size, per-caller rate limit).

    Call it before `install_auth`: middlewares added later run first, so the caller is
    authenticated before its bucket is chosen.
    """
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    if settings.rate_limit_per_minute <= 0:
        return
    rate = settings.rate_limit_per_minute / 60.0
    buckets: MemoryBuckets | RedisBuckets
    if settings.cache_backend == "redis":
        redis_buckets = RedisBuckets(
            settings.redis_url, settings.cache_namespace, rate, settings.rate_limit_burst
        )
        buckets = redis_buckets
        previous = app.router.lifespan_context

        @asynccontextmanager
        async def lifespan(app: Any) -> AsyncIterator[Any]:
            async with previous(app) as state:
                try:
                    yield state
                finally:
                    await redis_buckets.close()

        app.router.lifespan_context = lifespan
    else:
        buckets = MemoryBuckets(rate, settings.rate_limit_burst)
    app.add_middleware(
        RateLimit,
        buckets=buckets,
        per_minute=settings.rate_limit_per_minute,
        burst=settings.rate_limit_burst,
    )

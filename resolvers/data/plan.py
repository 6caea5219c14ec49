"""The one query planner: what an operation reads upstream, from the reads its fields declare.

Every field that needs Direct Connect data declares it beside its definition, in strawberry's field
metadata (`metadata=reads(...)`, see `Reads`). `analyze` walks an operation with type information
and gathers, per root field, what its subtree reads. Two users derive everything from that:

* the loaders' prefetch (`Loaders.prefetch`): round one starts every list at once; round two
  starts every per-object and tag call as soon as the IDs it needs have landed, without waiting
  for resolution — so any query's reads take at most two dependent round trips;
* the upstream-call budget (`gql.engine.budget`): the calls a cold cache would make.

A test walks the schema and fails for any resolver-backed field without a declaration.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    TypeInfo,
    TypeInfoVisitor,
    Undefined,
    Visitor,
    get_nullable_type,
    is_list_type,
    visit,
)
from graphql.utilities import value_from_ast_untyped

READS = "dxgraph.reads"
"""The key of a field's read declaration in its strawberry metadata."""

REGIONAL_KINDS = frozenset(
    {"connections", "interconnects", "lags", "virtual_interfaces", "locations", "virtual_gateways"}
)
PER_GATEWAY_KINDS = frozenset({"associations", "attachments"})
LIST_KINDS = REGIONAL_KINDS | PER_GATEWAY_KINDS | {"gateways"}
PER_OBJECT_READS = frozenset({"hosted", "loa"})
TAGGED_KINDS = frozenset({"connections", "interconnects", "lags", "virtual_interfaces", "gateways"})


@dataclass(frozen=True)
class Reads:
    """What one field reads upstream (declared with `reads`).

    Attributes:
        lists: whole lists it reads: regional kinds (one call per region), "gateways" (one
            paged call), "associations"/"attachments" (the gateway list, then one paged call
            per DX gateway).
        each: per-object reads `(read, kind)`: "hosted" (DescribeHostedConnections) or "loa"
            (DescribeLoa) of one object of `kind`; one call per object below a list.
        per_region: the per-object reads are made for every object of the kind in the region,
            even below a single object (a hosted connection's parent).
        tags: the kind whose tags it reads (batched per region).
        calls: calls of its own in its region (the deprecated single reads).
        nodes: `node`/`nodes`: the kinds the IDs name, one list each.
        fresh: a mutation payload that reads its resource afresh after the write: the list
            kind, or "tags".
        write: a mutation's write call.
    """

    lists: tuple[str, ...] = ()
    each: tuple[tuple[str, str], ...] = ()
    per_region: bool = False
    tags: str | None = None
    calls: int = 0
    nodes: bool = False
    fresh: str | None = None
    write: bool = False

    def __post_init__(self) -> None:
        unknown = [k for k in self.lists if k not in LIST_KINDS]
        unknown += [f"{r}/{k}" for r, k in self.each if r not in PER_OBJECT_READS]
        if self.tags is not None and self.tags not in TAGGED_KINDS:
            unknown.append(f"tags of {self.tags}")
        if unknown:
            raise ValueError(f"unknown reads declared: {', '.join(unknown)}")


def reads(
    *lists: str,
    each: tuple[tuple[str, str], ...] = (),
    per_region: bool = False,
    tags: str | None = None,
    calls: int = 0,
    nodes: bool = False,
    fresh: str | None = None,
    write: bool = False,
) -> dict[str, Reads]:
    """Field metadata declaring what the field reads: `strawberry.field(metadata=reads("lags"))`."""
    declared = Reads(tuple(lists), each, per_region, tags, calls, nodes, fresh, write)
    return {READS: declared}


NO_READS = Reads()


def declared(field_def: GraphQLField | None) -> Reads | None:
    """The declaration of a schema field (None: it declares nothing)."""
    if field_def is None:
        return None
    definition = (field_def.extensions or {}).get("strawberry-definition")
    metadata = getattr(definition, "metadata", None) or {}
    found = metadata.get(READS)
    return found if isinstance(found, Reads) else None


@dataclass
class Needs:
    """What a subtree of an operation reads.

    Attributes:
        kinds: lists (see `Reads.lists`).
        tag_kinds: kinds whose tags it reads.
        each: per-object reads below a list or per region: one call per object of the kind.
        once: per-object reads below single objects only: one call each.
        calls: calls of their own (deprecated single reads), `nodes`: node lookups.
        fresh: fresh reads of mutation payloads; `writes`: mutations.
        exact: per-object reads asked of every object of an unfiltered root list (the field sits
            right below it): the objects are known as soon as the list lands, so the reads can
            start then, before resolving gets there, and read nothing that was not asked for.
    """

    kinds: set[str] = field(default_factory=set)
    tag_kinds: set[str] = field(default_factory=set)
    each: set[tuple[str, str]] = field(default_factory=set)
    once: set[tuple[str, str]] = field(default_factory=set)
    calls: int = 0
    nodes: int = 0
    fresh: set[str] = field(default_factory=set)
    writes: int = 0
    exact: set[tuple[str, str]] = field(default_factory=set)
    spreads: set[tuple[str, bool]] = field(default_factory=set)

    def absorb(self, other: Needs, below_list: bool) -> None:
        self.kinds |= other.kinds
        self.tag_kinds |= other.tag_kinds
        self.each |= other.each
        (self.each if below_list else self.once).update(other.once)
        self.calls += other.calls
        self.nodes += other.nodes
        self.fresh |= other.fresh
        self.writes += other.writes
        self.exact |= other.exact

    def add(self, reads: Reads, below_list: bool) -> None:
        self.kinds.update(reads.lists)
        if reads.tags is not None:
            self.tag_kinds.add(reads.tags)
            self.kinds.add(reads.tags)
        for read, kind in reads.each:
            self.kinds.add(kind)
            (self.each if below_list or reads.per_region else self.once).add((read, kind))
        self.calls += reads.calls
        self.nodes += int(reads.nodes)
        if reads.fresh is not None:
            self.fresh.add(reads.fresh)
        self.writes += int(reads.write)


class _Collector(Visitor):
    def __init__(self, type_info: TypeInfo, needs: Needs, root: bool) -> None:
        super().__init__()
        self.type_info = type_info
        self.needs = needs
        self.root = root
        self.lists: list[bool] = []
        self.whole: str | None = None  # the kind a whole, unfiltered root list reads

    def enter_field(self, node: FieldNode, *_: Any) -> None:
        field_type = self.type_info.get_type()
        below_list = any(self.lists)
        is_list = field_type is not None and is_list_type(get_nullable_type(field_type))
        found = declared(self.type_info.get_field_def())
        if self.root and not self.lists:
            unfiltered = all(a.name.value == "region" for a in node.arguments or ())
            if is_list and unfiltered and found is not None and len(found.lists) == 1:
                self.whole = found.lists[0]
        elif found is not None and len(self.lists) == 1 and self.whole is not None:
            self.needs.exact.update((read, kind) for read, kind in found.each if kind == self.whole)
        self.lists.append(is_list)
        if found is not None:
            self.needs.add(found, below_list)

    def leave_field(self, *_: Any) -> None:
        self.lists.pop()

    def enter_fragment_spread(self, node: FragmentSpreadNode, *_: Any) -> None:
        self.needs.spreads.add((node.name.value, any(self.lists)))


def fragments_of(document: DocumentNode) -> dict[str, FragmentDefinitionNode]:
    """The fragment definitions of a document, by name."""
    return {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}


def _spreads(node: Any) -> set[str]:
    names: set[str] = set()

    class Spreads(Visitor):
        def enter_fragment_spread(self, spread: FragmentSpreadNode, *_: Any) -> None:
            names.add(spread.name.value)

    visit(node, Spreads())
    return names


def fragment_order(fragments: Mapping[str, FragmentDefinitionNode]) -> list[str]:
    """Fragment names, each after the fragments it spreads (cycles are left to validation)."""
    order: list[str] = []
    state: dict[str, int] = {}
    for start in fragments:
        stack: list[tuple[str, list[str]]] = [(start, sorted(_spreads(fragments[start])))]
        if state.get(start):
            continue
        state[start] = 1
        while stack:
            name, pending = stack[-1]
            child = next((c for c in pending if c in fragments and not state.get(c)), None)
            if child is None:
                stack.pop()
                state[name] = 2
                order.append(name)
                continue
            pending.remove(child)
            state[child] = 1
            stack.append((child, sorted(_spreads(fragments[child]))))
    return order


class Analyzer:
    """Needs of root fields, with every fragment analysed once."""

    def __init__(self, schema: GraphQLSchema, fragments: Mapping[str, FragmentDefinitionNode]):
        self.schema = schema
        self.resolved: dict[str, Needs] = {}
        for name in fragment_order(fragments):
            self.resolved[name] = self._resolve(self._collect(fragments[name], None))

    def _collect(self, node: Any, initial: GraphQLNamedType | None, root: bool = False) -> Needs:
        needs = Needs()
        type_info = TypeInfo(self.schema, initial_type=initial)
        visit(node, TypeInfoVisitor(type_info, _Collector(type_info, needs, root)))
        return needs

    def _resolve(self, direct: Needs) -> Needs:
        total = Needs()
        total.absorb(direct, below_list=False)
        for name, below_list in direct.spreads:
            child = self.resolved.get(name)
            if child is not None:
                total.absorb(child, below_list)
        return total

    def field(self, node: FieldNode, root: GraphQLObjectType) -> Needs:
        return self._resolve(self._collect(node, root, root=True))


def root_fields(
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


@dataclass(frozen=True)
class Plan:
    """What an operation reads: each root field with what its subtree needs."""

    roots: tuple[tuple[FieldNode, Needs], ...]

    @property
    def tag_kinds(self) -> set[str]:
        return {kind for _, needs in self.roots for kind in needs.tag_kinds}


_PLANS: OrderedDict[tuple[int, int], tuple[Any, Plan]] = OrderedDict()
_PLANS_KEPT = 256


def plan_operation(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    fragments: Mapping[str, FragmentDefinitionNode],
) -> Plan:
    """The plan of an operation, remembered per operation node (the gateway reuses parsed
    documents, `gql.engine.documents`), so a repeated operation is planned once. A plan is never
    modified by its users."""
    key = (id(schema), id(operation))
    kept = _PLANS.get(key)
    if kept is not None and kept[0] is operation:
        _PLANS.move_to_end(key)
        return kept[1]
    root_type = schema.get_root_type(operation.operation)
    analyzer = Analyzer(schema, fragments)
    roots: tuple[tuple[FieldNode, Needs], ...] = ()
    if root_type is not None:
        roots = tuple(
            (node, analyzer.field(node, root_type))
            for node in root_fields(operation.selection_set, fragments)
            if not node.name.value.startswith("__")
        )
    plan = Plan(roots)
    _PLANS[key] = (operation, plan)  # the node is kept, so its id cannot be reused meanwhile
    while len(_PLANS) > _PLANS_KEPT:
        _PLANS.popitem(last=False)
    return plan


def argument(node: FieldNode, name: str, variables: Mapping[str, Any]) -> tuple[bool, Any]:
    """Whether a field node gives argument `name`, and its value (variables substituted)."""
    for given in node.arguments or ():
        if given.name.value == name:
            value = value_from_ast_untyped(given.value, dict(variables))
            return True, None if value is Undefined else value
    return False, None


def regions_of_root(node: FieldNode, variables: Mapping[str, Any], served: list[str]) -> list[str]:
    """The regions a root field reads: its `region` argument's (none if not served), else all."""
    has_region, region = argument(node, "region", variables)
    if not has_region or region is None:
        return list(served)
    return [region] if region in served else []


_NODE_KINDS: dict[int, dict[str, str]] = {}


def node_kinds(schema: GraphQLSchema) -> dict[str, str]:
    """GraphQL type name → the list kind its objects come from, for the types that declare one
    (`LIST_KIND` on the type's class): how `node(id:)` finds the list a global ID names."""
    found = _NODE_KINDS.get(id(schema))
    if found is None:
        found = {}
        for name, named in schema.type_map.items():
            definition = (named.extensions or {}).get("strawberry-definition")
            kind = getattr(getattr(definition, "origin", None), "LIST_KIND", None)
            if isinstance(kind, str):
                found[name] = kind
        _NODE_KINDS[id(schema)] = found
    return found

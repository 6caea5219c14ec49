"""Query shapes generated from the gateway's schema (test and benchmark support; no tests here).

`every_link_query(introspection)` builds ONE query that reads the whole graph the schema offers:

* every root list field of `Query`: a field returning a list of objects (or unions/interfaces)
  or a Relay connection, with no required arguments, not deprecated, not `node`/`nodes`, and
  not in `REPEATED_ROOTS` (root lists that only repeat, for every DX gateway, what
  `DirectConnectGateway.associations` / `.attachments` already read; left out so the query's shape,
  and the benchmark measured on it, stays the one it was when the gateway refused them bare);
* under them, every *link field* once.

A **link field** is a field of an object type whose (unwrapped) type is an object, a list of
objects, a union or an interface, or a Relay connection — anything that is not a scalar or enum
leaf. `tags: [Tag!]!`, `loa: Loa!` and `routeFilterPrefixes` are links too (to objects that only
have leaves: they render as `tags { __typename key value }`). A Relay connection (an object type
with `edges { node }` and `pageInfo`) counts as ONE link, on the field that returns it; its
`edges`, `node` and `pageInfo` are its plumbing, not links. A link is named by
`(parent type, field)`; the root list fields are the links of `Query`.

The walk is breadth-first from the root lists, with a visited set of `(parent type, field)`: a
link is followed at the first (shallowest) place it can appear and nowhere else, so each link
appears once in the whole document, the walk terminates, and the query stays shallow. Every
object selected gets `__typename` and all its scalar/enum fields (also the connection's
`pageInfo` and each edge's `cursor`); a union or interface gets an inline fragment per possible
type. Fields with required arguments and deprecated fields are skipped everywhere.

`link_fields(introspection)` is the set of links the query covers (roots included as
`("Query", field)`), and `introspect(url)` fetches a standard introspection result over HTTP.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx
from graphql import get_introspection_query

SKIPPED_ROOTS = frozenset({"node", "nodes"})
REPEATED_ROOTS = frozenset({"directConnectGatewayAssociations", "directConnectGatewayAttachments"})
"""Root lists the every-link query leaves out: bare, they read every DX gateway's associations or
attachments, which `DirectConnectGateway.associations` / `.attachments` already select."""
LEAF_KINDS = frozenset({"SCALAR", "ENUM"})
ABSTRACT_KINDS = frozenset({"UNION", "INTERFACE"})

Link = tuple[str, str]


def introspect(url: str, timeout: float = 30.0, **headers: str) -> dict[str, Any]:
    """The standard introspection result (`{"__schema": …}`) of the GraphQL endpoint `url`."""
    response = httpx.post(
        url, json={"query": get_introspection_query()}, headers=headers, timeout=timeout
    )
    response.raise_for_status()
    body = response.json()
    if body.get("errors"):
        raise RuntimeError(f"introspection failed: {body['errors']}")
    data: dict[str, Any] = body["data"]
    return data


def every_link_query(
    introspection: Mapping[str, Any], name: str = "EveryLink", skip: Iterable[str] = REPEATED_ROOTS
) -> str:
    """One query selecting every root list field (but `skip`) and, below them, every link field
    once."""
    root, _ = _walk(introspection, frozenset(skip))
    return f"query {name} {root.render(0)}\n"


def link_fields(
    introspection: Mapping[str, Any], skip: Iterable[str] = REPEATED_ROOTS
) -> set[Link]:
    """Every `(type, field)` link `every_link_query` follows; root lists as `("Query", …)`."""
    _, visited = _walk(introspection, frozenset(skip))
    return visited


def root_list_fields(
    introspection: Mapping[str, Any], skip: Iterable[str] = REPEATED_ROOTS
) -> list[str]:
    """The root fields `every_link_query` selects, in schema order."""
    return [f["name"] for f in _Schema(introspection).root_lists(frozenset(skip))]


# -- the walk -----------------------------------------------------------------------------------
@dataclass
class _Selection:
    """A selection set under construction: leaf names, then nested fields and fragments.

    The inline fragments of one union/interface selection share `shapes` (response name → field
    type): a field whose type differs from a sibling fragment's field of the same name (e.g.
    `lagId: String` on one member, `String!` on another) cannot share its response name, so it
    gets an alias `<field>_on_<Type>`.
    """

    owner: str = ""
    shapes: dict[str, str] | None = None
    items: list[tuple[str, _Selection | None]] = field(default_factory=list)

    def _head(self, name: str, shape: str) -> str:
        if self.shapes is None:
            return name
        known = self.shapes.setdefault(name, shape)
        return name if known == shape else f"{name}_on_{self.owner}: {name}"

    def leaf(self, name: str, shape: str = "") -> None:
        self.items.append((self._head(name, shape), None))

    def nest(self, name: str, shape: str = "") -> _Selection:
        child = _Selection()
        self.items.append((self._head(name, shape), child))
        return child

    def fragment(self, type_name: str, shapes: dict[str, str]) -> _Selection:
        child = _Selection(owner=type_name, shapes=shapes)
        self.items.append((f"... on {type_name}", child))
        return child

    def render(self, indent: int) -> str:
        pad = "  " * (indent + 1)
        leaves = [head for head, child in self.items if child is None]
        lines = [pad + " ".join(leaves)] if leaves else []
        for head, child in self.items:
            if child is not None:
                lines.append(f"{pad}{head} {child.render(indent + 1)}")
        return "{\n" + "\n".join(lines) + "\n" + "  " * indent + "}"


class _Schema:
    """Lookups over an introspection result."""

    def __init__(self, introspection: Mapping[str, Any]) -> None:
        schema = introspection["__schema"]
        self.types: dict[str, dict[str, Any]] = {t["name"]: t for t in schema["types"]}
        self.query_type: str = schema["queryType"]["name"]

    @staticmethod
    def named(ref: dict[str, Any]) -> str:
        while ref.get("ofType") is not None:
            ref = ref["ofType"]
        name: str = ref["name"]
        return name

    @staticmethod
    def is_list(ref: dict[str, Any] | None) -> bool:
        while ref is not None:
            if ref["kind"] == "LIST":
                return True
            ref = ref.get("ofType")
        return False

    def kind(self, type_name: str) -> str:
        kind: str = self.types[type_name]["kind"]
        return kind

    def fields(self, type_name: str) -> list[dict[str, Any]]:
        """The usable fields of a type: not deprecated, no required arguments."""
        return [
            f
            for f in self.types[type_name].get("fields") or []
            if not f.get("isDeprecated") and not any(_required(a) for a in f.get("args") or [])
        ]

    def field(self, type_name: str, name: str) -> dict[str, Any] | None:
        return next((f for f in self.fields(type_name) if f["name"] == name), None)

    def is_leaf(self, f: dict[str, Any]) -> bool:
        return self.kind(self.named(f["type"])) in LEAF_KINDS

    def edge_of(self, type_name: str) -> str | None:
        """The edge type if `type_name` is a Relay connection (`edges { node }` + `pageInfo`)."""
        if self.kind(type_name) != "OBJECT":
            return None
        edges = self.field(type_name, "edges")
        if edges is None or self.field(type_name, "pageInfo") is None:
            return None
        edge = self.named(edges["type"])
        if self.kind(edge) != "OBJECT" or self.field(edge, "node") is None:
            return None
        return edge

    def possible(self, type_name: str) -> list[str]:
        return [t["name"] for t in self.types[type_name].get("possibleTypes") or []]

    def root_lists(self, skip: frozenset[str]) -> list[dict[str, Any]]:
        found = []
        for f in self.fields(self.query_type):
            target = self.named(f["type"])
            if f["name"] in SKIPPED_ROOTS | skip or self.kind(target) in LEAF_KINDS:
                continue
            if self.is_list(f["type"]) or self.edge_of(target) is not None:
                found.append(f)
        return found


def _required(arg: dict[str, Any]) -> bool:
    return bool(arg["type"]["kind"] == "NON_NULL" and arg.get("defaultValue") is None)


def _shape(ref: dict[str, Any]) -> str:
    """A type reference as SDL: `[Tag!]!`."""
    if ref["kind"] == "NON_NULL":
        return _shape(ref["ofType"]) + "!"
    if ref["kind"] == "LIST":
        return f"[{_shape(ref['ofType'])}]"
    name: str = ref["name"]
    return name


def _walk(introspection: Mapping[str, Any], skip: frozenset[str]) -> tuple[_Selection, set[Link]]:
    """Breadth-first: the selection of the query and the links it followed."""
    schema = _Schema(introspection)
    visited: set[Link] = set()
    pending: deque[tuple[str, _Selection]] = deque()
    root = _Selection()

    def leaves(type_name: str, selection: _Selection) -> None:
        selection.leaf("__typename", "String!")
        for f in schema.fields(type_name):
            if schema.is_leaf(f):
                selection.leaf(f["name"], _shape(f["type"]))

    def target(type_name: str, selection: _Selection) -> None:
        """Fill `selection` for a value of `type_name` (now or, for objects, when dequeued)."""
        if schema.kind(type_name) in ABSTRACT_KINDS:
            shapes: dict[str, str] = {}
            for possible in schema.possible(type_name):
                pending.append((possible, selection.fragment(possible, shapes)))
            return
        edge = schema.edge_of(type_name)
        if edge is None:
            pending.append((type_name, selection))
            return
        # A Relay connection: its own leaves and plumbing (pageInfo), each edge's, then the node.
        leaves(type_name, selection)
        for f in schema.fields(type_name):
            if f["name"] != "edges" and not schema.is_leaf(f):
                leaves(schema.named(f["type"]), selection.nest(f["name"]))
        edges = selection.nest("edges")
        leaves(edge, edges)
        node = schema.field(edge, "node")
        assert node is not None
        target(schema.named(node["type"]), edges.nest("node"))

    for f in schema.root_lists(skip):
        visited.add((schema.query_type, f["name"]))
        target(schema.named(f["type"]), root.nest(f["name"]))
    while pending:
        type_name, selection = pending.popleft()
        leaves(type_name, selection)
        for f in schema.fields(type_name):
            link = (type_name, f["name"])
            if schema.is_leaf(f) or link in visited:
                continue
            visited.add(link)
            target(schema.named(f["type"]), selection.nest(f["name"], _shape(f["type"])))
    return root, visited

"""The every-link query of tests/gql/shapes.py: valid, complete, each link once."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import graphql
import pytest
from graphql import (
    GraphQLField,
    GraphQLList,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    TypeInfo,
    TypeInfoVisitor,
    Visitor,
    get_named_type,
    get_nullable_type,
    is_leaf_type,
    is_object_type,
)

from gql.http.server import GatewayServer
from tests.gql.conftest import REGIONS, Gql, post
from tests.gql.shapes import REPEATED_ROOTS, every_link_query, introspect, link_fields
from tests.gql.topology import build

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def schema() -> GraphQLSchema:
    return graphql.build_schema((ROOT / "schema.graphql").read_text())


@pytest.fixture(scope="module")
def introspection(schema: GraphQLSchema) -> Mapping[str, Any]:
    return graphql.introspection_from_schema(schema)


# An independent reading of the definitions in the shapes module's docstring, on graphql-core's
# schema objects rather than on the introspection result.
def _usable(field: GraphQLField) -> bool:
    required = any(
        graphql.is_non_null_type(arg.type) and arg.default_value is graphql.Undefined
        for arg in field.args.values()
    )
    return field.deprecation_reason is None and not required


def _node_of_connection(type_: GraphQLNamedType) -> GraphQLNamedType | None:
    if not is_object_type(type_) or not {"edges", "pageInfo"} <= set(type_.fields):
        return None
    edge = get_named_type(type_.fields["edges"].type)
    if not is_object_type(edge) or "node" not in edge.fields:
        return None
    node: GraphQLNamedType = get_named_type(edge.fields["node"].type)
    return node


def _objects(type_: GraphQLNamedType, schema: GraphQLSchema) -> list[GraphQLObjectType]:
    """The object types a value of `type_` can be (through connections, unions, interfaces)."""
    node = _node_of_connection(type_)
    if node is not None:
        return _objects(node, schema)
    if is_object_type(type_):
        return [type_]
    if graphql.is_abstract_type(type_):
        return list(schema.get_possible_types(type_))
    return []


def expected_roots(schema: GraphQLSchema) -> set[str]:
    """Root lists: not leaves, a list or a connection, no required arguments, not deprecated,
    not node/nodes, not among the roots that repeat the DX gateways' own lists."""
    roots = set()
    assert schema.query_type is not None
    for name, field in schema.query_type.fields.items():
        if name in {"node", "nodes", *REPEATED_ROOTS} or not _usable(field):
            continue
        named = get_named_type(field.type)
        listed = isinstance(get_nullable_type(field.type), GraphQLList)
        if not is_leaf_type(named) and (listed or _node_of_connection(named) is not None):
            roots.add(name)
    return roots


def expected_links(schema: GraphQLSchema) -> set[tuple[str, str]]:
    """Every link of every object type reachable from the root lists, roots included."""
    assert schema.query_type is not None
    query = schema.query_type
    links = {("Query", name) for name in expected_roots(schema)}
    todo = [
        t
        for name in expected_roots(schema)
        for t in _objects(get_named_type(query.fields[name].type), schema)
    ]
    seen: set[str] = set()
    while todo:
        type_ = todo.pop()
        if type_.name in seen:
            continue
        seen.add(type_.name)
        for name, field in type_.fields.items():
            named = get_named_type(field.type)
            if _usable(field) and not is_leaf_type(named):
                links.add((type_.name, name))
                todo.extend(_objects(named, schema))
    return links


def selected_links(schema: GraphQLSchema, query: str) -> list[tuple[str, str]]:
    """(parent type, field) of every non-leaf field of the document, connection plumbing
    (`edges`, `node`, `pageInfo` under a connection or edge) left out."""
    found: list[tuple[str, str]] = []
    type_info = TypeInfo(schema)

    class Links(Visitor):
        def enter_field(self, node: graphql.FieldNode, *_: Any) -> None:
            parent = type_info.get_parent_type()
            field_type = type_info.get_type()
            if parent is None or field_type is None or is_leaf_type(get_named_type(field_type)):
                return
            plumbing = _node_of_connection(parent) is not None or parent.name.endswith("Edge")
            if not plumbing:
                found.append((parent.name, node.name.value))

    graphql.visit(graphql.parse(query), TypeInfoVisitor(type_info, Links()))
    return found


def test_the_query_is_valid_against_the_schema(
    schema: GraphQLSchema, introspection: Mapping[str, Any]
) -> None:
    document = graphql.parse(every_link_query(introspection))
    assert graphql.validate(schema, document) == []


def test_every_root_list_is_selected(
    schema: GraphQLSchema, introspection: Mapping[str, Any]
) -> None:
    document = graphql.parse(every_link_query(introspection))
    operation = document.definitions[0]
    assert isinstance(operation, graphql.OperationDefinitionNode)
    roots = {
        s.name.value for s in operation.selection_set.selections if isinstance(s, graphql.FieldNode)
    }
    assert roots == expected_roots(schema)
    assert {"connections", "virtualInterfaces", "directConnectGateways"} <= roots


def test_every_link_of_the_schema_is_covered(
    schema: GraphQLSchema, introspection: Mapping[str, Any]
) -> None:
    links = expected_links(schema)
    assert link_fields(introspection) == links, links ^ link_fields(introspection)
    assert ("VirtualInterface", "tags") in links
    assert ("BgpPeer", "virtualInterface") in links
    assert ("DirectConnectGatewayAttachment", "virtualInterface") in links  # not from a root


def test_each_link_appears_once_in_the_query(
    schema: GraphQLSchema, introspection: Mapping[str, Any]
) -> None:
    found = selected_links(schema, every_link_query(introspection))
    assert [link for link, n in Counter(found).items() if n > 1] == []
    assert set(found) == link_fields(introspection)


def test_without_skipping_every_root_list_is_selected_and_valid(
    schema: GraphQLSchema, introspection: Mapping[str, Any]
) -> None:
    query = every_link_query(introspection, skip=())
    assert graphql.validate(schema, graphql.parse(query)) == []
    assert ("Query", "directConnectGatewayAttachments") in link_fields(introspection, skip=())


@pytest.mark.parametrize("root", sorted(REPEATED_ROOTS))
def test_the_skipped_root_lists_answer_without_an_argument(
    root: str, gateway: GatewayServer
) -> None:
    body = post(gateway.url, f"{{ {root} {{ edges {{ cursor }} }} }}")
    assert "errors" not in body, body
    assert isinstance(body["data"][root]["edges"], list)


def test_the_gateway_introspected_gives_the_same_query_and_it_runs(
    gateway: GatewayServer, introspection: Mapping[str, Any], dx_for: Any, gql: Gql
) -> None:
    live = introspect(f"{gateway.url}/graphql")
    query = every_link_query(live)
    assert query == every_link_query(introspection)
    build({region: dx_for(region=region) for region in REGIONS}, 2)
    data = gql(query)
    assert len(data["virtualInterfaces"]) == 2 * len(REGIONS)
    assert all(v["tags"] for v in data["virtualInterfaces"])

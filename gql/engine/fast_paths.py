"""The fast paths of `gql.engine.execution.FastLeafExecutor`, found once per schema.

* plain leaves: scalar and enum fields strawberry reads as attributes (enum members' names from a
  table), Relay IDs strawberry encodes from the node's key, `__typename`;
* direct resolvers: argument-free, synchronous resolvers, called without graphql-core's middle
  steps;
* context leaves: scalar resolvers that declare they read only `info.context`
  (`resolvers.context.context_only`), called with the context alone.

Each reader answers `Undefined` when the standard path must decide: it then runs and reports the
proper error. tests/gql/engine/test_execution.py holds both paths to the same answers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, cast

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    Undefined,
)
from graphql.execution.collect_fields import FieldDetailsList
from strawberry import relay
from strawberry.relay.utils import to_base64
from strawberry.types.field import StrawberryField
from strawberry.types.fields.resolver import StrawberryResolver

from resolvers.context import CONTEXT_ONLY

#: A fast leaf: the attribute to read, how to serialise it, whether null is allowed.
Leaf = tuple[str, Callable[[Any], Any], bool]

_LEAVES: dict[int, dict[str, dict[str, Leaf]]] = {}


def leaf_fields(schema: GraphQLSchema) -> dict[str, dict[str, Leaf]]:
    """Object type name → GraphQL field name → `Leaf`, for every field of `schema` that may
    take the fast path (computed once per schema)."""
    leaves = _LEAVES.get(id(schema))
    if leaves is None:
        leaves = _LEAVES[id(schema)] = _find_leaves(schema)
    return leaves


def _object_fields(
    schema: GraphQLSchema,
) -> Iterator[tuple[str, str, GraphQLField, StrawberryField]]:
    """(type name, field name, graphql-core field, strawberry field) of every field of the
    schema's own object types that strawberry defined."""
    for type_name, graphql_type in schema.type_map.items():
        if not isinstance(graphql_type, GraphQLObjectType) or type_name.startswith("__"):
            continue
        for name, field_def in graphql_type.fields.items():
            field = (field_def.extensions or {}).get("strawberry-definition")
            if isinstance(field, StrawberryField):
                yield type_name, name, field_def, field


def _find_leaves(schema: GraphQLSchema) -> dict[str, dict[str, Leaf]]:
    found: dict[str, dict[str, Leaf]] = {}
    for type_name, name, field_def, field in _object_fields(schema):
        if (
            not field.is_basic_field
            or field.default_resolver is not getattr
            or not getattr(field_def.resolve, "_is_default", False)
            or field_def.args
        ):
            continue
        field_type = field_def.type
        named = field_type.of_type if isinstance(field_type, GraphQLNonNull) else field_type
        if isinstance(named, GraphQLEnumType):
            leaf = (field.python_name, _enum_names(named), named is field_type)  # nullable?
            found.setdefault(type_name, {})[name] = leaf
        elif isinstance(named, GraphQLScalarType):
            leaf = (field.python_name, named.serialize, named is field_type)
            found.setdefault(type_name, {})[name] = leaf
    for type_name, id_attr in _plain_node_ids(schema):
        found.setdefault(type_name, {})["id"] = (id_attr, _global_id(type_name), False)
    return found


def _enum_names(enum_type: GraphQLEnumType) -> Callable[[Any], Any]:
    """`enum_type.serialize`, with the Python enum's members answered from a table: strawberry
    finds a member's name by comparing it with every value of the enum, on every call, and a
    large answer has 100,000s of them. Anything else takes `serialize` itself."""
    serialize = enum_type.serialize
    wrapped = getattr(enum_type, "wrapped_cls", None)
    if not isinstance(wrapped, type):
        return serialize
    members: dict[Any, str] = {}
    for member in cast(Iterable[Any], wrapped):
        for name, value in enum_type.values.items():
            if member.value == value.value:
                members[member] = name
                break

    def serialize_member(value: Any) -> Any:
        if type(value) is wrapped:
            found = members.get(value)
            if found is not None:
                return found
        return serialize(value)

    return serialize_member


def _plain_node_ids(schema: GraphQLSchema) -> Iterator[tuple[str, str]]:
    """(type name, NodeID attribute) of the Relay node types whose `id` is strawberry's own:
    `to_base64(type name, str(node ID))`, with `resolve_id` and `resolve_typename` not
    overridden. Read as a leaf, it skips a resolver call per object (60,000 in a large answer)."""
    for type_name, graphql_type in schema.type_map.items():
        if not isinstance(graphql_type, GraphQLObjectType) or "id" not in graphql_type.fields:
            continue
        definition = (graphql_type.extensions or {}).get("strawberry-definition")
        origin = getattr(definition, "origin", None)
        if not (isinstance(origin, type) and issubclass(origin, relay.Node)):
            continue
        if (
            getattr(origin.resolve_id, "__func__", None) is not _NODE_RESOLVE_ID
            or getattr(origin.resolve_typename, "__func__", None) is not _NODE_RESOLVE_TYPENAME
            or getattr(origin._id, "__func__", None) is not _NODE_ID
        ):
            continue
        yield type_name, origin.resolve_id_attr()


_NODE_RESOLVE_ID = relay.Node.resolve_id.__func__  # type: ignore[attr-defined]
_NODE_RESOLVE_TYPENAME = relay.Node.resolve_typename.__func__  # type: ignore[attr-defined]
_NODE_ID = relay.Node._id.__func__


def _global_id(type_name: str) -> Callable[[Any], str]:
    def serialize(node_id: Any) -> str:
        return to_base64(type_name, str(node_id))

    return serialize


#: A resolver to call directly: the field's definitions, `call(source, info)`, the Info class.
Direct = tuple[GraphQLField, StrawberryField, Callable[[Any, Any], Any], type[Any]]

_DIRECT: dict[int, dict[str, dict[str, Direct]]] = {}


def direct_resolvers(schema: GraphQLSchema) -> dict[str, dict[str, Direct]]:
    """Object type name → GraphQL field name → `Direct`, for every field whose resolver may be
    called directly (see the module docstring; computed once per schema)."""
    direct = _DIRECT.get(id(schema))
    if direct is None:
        direct = _DIRECT[id(schema)] = _find_direct(schema)
    return direct


def _find_direct(schema: GraphQLSchema) -> dict[str, dict[str, Direct]]:
    strawberry_schema = getattr(schema, "_strawberry_schema", None)
    if strawberry_schema is None or tuple(getattr(strawberry_schema, "exception_handlers", ())):
        return {}
    info_class = strawberry_schema.config.info_class
    found: dict[str, dict[str, Direct]] = {}
    for type_name, name, field_def, field in _object_fields(schema):
        if (
            field.base_resolver is not None
            and not field.base_resolver.is_async
            and not field.extensions
            and not field_def.args
            and getattr(field_def.resolve, "__name__", "") == "_resolver"
        ):
            call = _caller(field.base_resolver)
            found.setdefault(type_name, {})[name] = (field_def, field, call, info_class)
    return found


#: A resolver that reads only `info.context`: `call(source, info)`, how to serialise, nullable.
ContextLeaf = tuple[Callable[[Any, Any], Any], Callable[[Any], Any], bool]

_CONTEXT_LEAVES: dict[int, dict[str, dict[str, ContextLeaf]]] = {}


def context_leaves(schema: GraphQLSchema) -> dict[str, dict[str, ContextLeaf]]:
    """Object type name → field name → `ContextLeaf`, for the scalar fields whose resolvers
    declare that they read nothing but `info.context` (`resolvers.context.context_only`)."""
    found = _CONTEXT_LEAVES.get(id(schema))
    if found is None:
        found = _CONTEXT_LEAVES[id(schema)] = _find_context_leaves(schema)
    return found


def _find_context_leaves(schema: GraphQLSchema) -> dict[str, dict[str, ContextLeaf]]:
    found: dict[str, dict[str, ContextLeaf]] = {}
    for type_name, fields in direct_resolvers(schema).items():
        for name, (field_def, field, call, _) in fields.items():
            field_type = field_def.type
            named = field_type.of_type if isinstance(field_type, GraphQLNonNull) else field_type
            if field.metadata.get(CONTEXT_ONLY) is True and isinstance(
                named, GraphQLScalarType | GraphQLEnumType
            ):
                found.setdefault(type_name, {})[name] = (call, named.serialize, named is field_type)
    return found


class ContextOnly:
    """The `info` a context-only resolver gets: the request's context, nothing else."""

    __slots__ = ("context",)

    def __init__(self, context: Any) -> None:
        self.context = context


def context_reader(leaf: ContextLeaf, info: ContextOnly) -> Callable[[Any], Any]:
    """Reads a context leaf of a source: its serialised value, or `Undefined` when the
    standard path must decide (it calls the resolver again and reports the proper error)."""
    call, serialize, nullable = leaf

    def read(source: Any) -> Any:
        try:
            value = call(source, info)
            if value is None:
                return None if nullable else Undefined
            serialized = serialize(value)
        except Exception:
            return Undefined
        return Undefined if serialized is None else serialized

    return read


def _caller(resolver: StrawberryResolver[Any]) -> Callable[[Any, Any], Any]:
    """`call(source, info)` passing what the resolver asks for, as strawberry would: the source
    as `self` or as its root/parent parameter, and the info."""
    function: Callable[..., Any] = resolver.wrapped_func  # type: ignore[assignment]
    takes_self = resolver.self_parameter is not None
    named: list[tuple[str, bool]] = []  # (parameter, is the info) for keyword arguments
    for parameter in (resolver.parent_parameter, resolver.root_parameter):
        if parameter is not None:
            named.append((parameter.name, False))
    if resolver.info_parameter is not None:
        named.append((resolver.info_parameter.name, True))

    def call(source: Any, info: Any) -> Any:
        kwargs = {name: info if is_info else source for name, is_info in named}
        return function(source, **kwargs) if takes_self else function(**kwargs)

    return call


#: One field of a selection: response name, fast leaf, field group, context-leaf reader.
Step = tuple[str, Leaf | None, FieldDetailsList, Callable[[Any], Any] | None]


def constant(value: str) -> Callable[[Any], str]:
    def serialize(_: Any) -> str:
        return value

    return serialize


def read_leaf(source: Any, leaf: Leaf) -> Any:
    """The serialised value of a fast leaf, or `Undefined` when the standard path must decide
    (it raises the proper error)."""
    python_name, serialize, nullable = leaf
    try:
        value = getattr(source, python_name)
        if value is None:
            return None if nullable else Undefined
        serialized = serialize(value)
    except Exception:
        return Undefined
    if serialized is None or serialized is Undefined:
        return Undefined
    return serialized


class FastPathsMissing(RuntimeError):
    """The executor's fast paths found no field to speed up: strawberry or graphql-core changed
    how fields are defined (see the versions pinned in pyproject.toml)."""


def check_fast_paths(schema: GraphQLSchema) -> None:
    """Fails loudly when `FastLeafExecutor` would find no plain leaf or directly callable
    resolver in `schema`: it would still answer correctly, only slowly, and nobody would know."""
    if not leaf_fields(schema) or not direct_resolvers(schema):
        raise FastPathsMissing(
            "FastLeafExecutor found no field to speed up: the installed strawberry-graphql or "
            "graphql-core differs from the versions it was written for (pyproject.toml pins "
            "them); run the differential test (tests/gql/engine/test_execution.py)."
        )

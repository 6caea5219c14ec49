"""Query execution with a fast path for plain leaf fields.

Most of a large answer is leaves read straight off a resource: the full topology of 1,000 VIFs
has ~24,000 fields, two thirds of them attributes such as `vlan` or `connectionState`.
graphql-core resolves each of them like any other field (resolve info, middleware, argument
coercion, completion), ~10 µs apiece. `FastLeafExecutor` reads such a field with one `getattr` and
serialises it with its type's `serialize`, which is what that path ends in.

A field takes the fast path only when strawberry resolves it with its basic resolver (no
resolver function, no field extensions, no permission classes), it has no arguments, and its
type is a scalar or an enum. Anything unusual about a value (a null where the schema forbids
one, a value the type cannot serialise) goes the standard way, which raises the error graphql-core
would raise, at the same path. Everything else — links, lists, resolvers that await,
introspection — is graphql-core's own execution.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    Undefined,
)
from graphql.execution.collect_fields import GroupedFieldSet
from graphql.pyutils import AwaitableOrValue, Path, gather_with_cancel
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.types.field import StrawberryField

__all__ = ["FastLeafExecutor", "leaf_fields"]

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


def _find_leaves(schema: GraphQLSchema) -> dict[str, dict[str, Leaf]]:
    found: dict[str, dict[str, Leaf]] = {}
    for type_name, graphql_type in schema.type_map.items():
        if not isinstance(graphql_type, GraphQLObjectType) or type_name.startswith("__"):
            continue
        leaves: dict[str, Leaf] = {}
        for name, field_def in graphql_type.fields.items():
            field = (field_def.extensions or {}).get("strawberry-definition")
            if (
                not isinstance(field, StrawberryField)
                or not field.is_basic_field
                or field.default_resolver is not getattr
                or not getattr(field_def.resolve, "_is_default", False)
                or field_def.args
            ):
                continue
            non_null = isinstance(field_def.type, GraphQLNonNull)
            named = field_def.type.of_type if non_null else field_def.type
            if isinstance(named, GraphQLScalarType | GraphQLEnumType):
                leaves[name] = (field.python_name, named.serialize, not non_null)
        if leaves:
            found[type_name] = leaves
    return found


class FastLeafExecutor(StrawberryGraphQLCoreExecutionContext):
    """strawberry's executor, with plain leaf fields read directly (see the module docstring)."""

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: GroupedFieldSet,
        position_context: Any,
    ) -> AwaitableOrValue[dict[str, Any]]:
        leaves = leaf_fields(self.schema).get(parent_type.name)
        if not leaves:
            return super().execute_fields(
                parent_type, source_value, path, grouped_field_set, position_context
            )
        results: dict[str, Any] = {}
        is_awaitable = self.is_awaitable
        awaitable_fields: list[str] = []
        try:
            for response_name, field_details_list in grouped_field_set.items():
                node = field_details_list[0].node
                leaf = leaves.get(node.name.value)
                if leaf is not None and not node.arguments:
                    value = _read(source_value, leaf)
                    if value is not Undefined:
                        results[response_name] = value
                        continue
                result = self.execute_field(
                    parent_type,
                    source_value,
                    field_details_list,
                    Path(path, response_name, parent_type.name),
                    position_context,
                )
                if result is not Undefined:
                    results[response_name] = result
                    if is_awaitable(result):
                        awaitable_fields.append(response_name)
        except Exception:
            if awaitable_fields:
                self.settle_in_background([results[field] for field in awaitable_fields])
            raise
        if not awaitable_fields:
            return results
        return self._gather_fields(results, awaitable_fields)

    async def _gather_fields(
        self, results: dict[str, Any], awaitable_fields: list[str]
    ) -> dict[str, Any]:
        if len(awaitable_fields) == 1:
            field = awaitable_fields[0]
            results[field] = await results[field]
        else:
            values = await gather_with_cancel(*(results[field] for field in awaitable_fields))
            results.update(zip(awaitable_fields, values, strict=True))
        return results


def _read(source: Any, leaf: Leaf) -> Any:
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

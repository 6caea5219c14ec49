"""Query execution with fast paths for what large answers are made of (`FastLeafExecutor`).

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

Fields with a resolver function take a shorter path too: the resolver is called directly with the
source and strawberry's `Info`, skipping strawberry's per-call argument conversion and extension
chain — when the field has no arguments, no field extensions (permissions are extensions) and a
plain (not `async def`) resolver, and the schema has no exception handlers. An awaitable result
still passes through the schema extensions' `resolve` hooks (the request deadline bounds it);
completion, errors and null bubbling are graphql-core's. An object is completed by executing its
selection directly once its type's `is_type_of` confirms it.

A resolver may answer with a `Late`: the value that a future shared by many fields will bring
(every `tags` field waits for the same tag batches). Such fields are filled in together at the
end instead of being awaited one by one; see `Late`.

tests/gql/engine/test_execution.py runs queries through this executor and graphql-core's own and
demands the same data, order and errors.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import logging
import threading
from collections.abc import Awaitable
from copy import copy
from typing import Any

from graphql import (
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    OperationType,
    Undefined,
)
from graphql.execution.collect_fields import FieldDetailsList, GroupedFieldSet
from graphql.execution.executor import CollectedErrors, to_nodes
from graphql.pyutils import AwaitableOrValue, Path, UndefinedType, gather_with_cancel
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from gql.engine.deadline import time_to_wait
from gql.engine.fast_paths import (
    ContextLeaf,
    ContextOnly,
    Direct,
    Leaf,
    Step,
    constant,
    context_leaves,
    context_reader,
    direct_resolvers,
    leaf_fields,
    read_leaf,
)
from resolvers.data.late import Late

__all__ = ["FastLeafExecutor", "Late"]

logger = logging.getLogger(__name__)


class _Slot:
    """Where a `Late` answer goes in the response: filled once its future is done."""

    __slots__ = ("field_details_list", "info", "late", "path", "return_type")

    def __init__(
        self,
        late: Late,
        return_type: GraphQLOutputType,
        field_details_list: FieldDetailsList,
        info: GraphQLResolveInfo[Any],
        path: Path,
    ) -> None:
        self.late = late
        self.return_type = return_type
        self.field_details_list = field_details_list
        self.info = info
        self.path = path


class FastLeafExecutor(StrawberryGraphQLCoreExecutionContext):
    """strawberry's executor, with plain leaf fields read directly and resolvers called
    directly (see the module docstring)."""

    _slots: list[_Slot] | None = None  # None: no late answers (mutations, a second execution)

    @functools.cached_property
    def _leaves(self) -> dict[str, dict[str, Leaf]]:
        return leaf_fields(self.schema)

    @functools.cached_property
    def _direct(self) -> dict[str, dict[str, Direct]]:
        return direct_resolvers(self.schema)

    @functools.cached_property
    def _context_leaves(self) -> dict[str, dict[str, ContextLeaf]]:
        return context_leaves(self.schema)

    @functools.cached_property
    def _context_info(self) -> ContextOnly:
        return ContextOnly(self.context_value)

    @functools.cached_property
    def _made_steps(self) -> dict[int, tuple[GroupedFieldSet, list[Step] | None]]:
        return {}

    @functools.cached_property
    def _field_nodes(self) -> dict[int, tuple[FieldDetailsList, list[Any]]]:
        return {}

    def _nodes_of(self, field_details_list: FieldDetailsList) -> list[Any]:
        """graphql-core's `to_nodes`, made once per field group (and kept with it)."""
        made = self._field_nodes.get(id(field_details_list))
        if made is not None and made[0] is field_details_list:
            return made[1]
        nodes = to_nodes(field_details_list)
        self._field_nodes[id(field_details_list)] = (field_details_list, nodes)
        return nodes

    def execute_operation(self, serially: bool | None = None) -> Any:
        """graphql-core's, then the `Late` answers filled in (queries only; see `Late`)."""
        if self.operation.operation != OperationType.QUERY:
            return super().execute_operation(serially)
        self._slots = []
        response = super().execute_operation(serially)
        if not self._slots and not self.is_awaitable(response):
            return response
        return self._fill_slots(response, serially)

    async def _fill_slots(self, response: Any, serially: bool | None) -> Any:
        if self.is_awaitable(response):
            response = await response
        slots = self._slots or []
        if not slots:
            return response
        futures = {slot.late.future for slot in slots}
        # Not past the deadline: if the data does not come, the second execution must still
        # resolve what did arrive, and report late only the fields still waiting.
        await asyncio.wait(futures, timeout=time_to_wait(self.context_value))
        try:
            for slot in slots:
                self._fill(response.data, slot)
        except Exception:
            logger.debug("late answers unavailable; executing the operation again", exc_info=True)
            again = copy(self)
            again.collected_errors = CollectedErrors()
            again._slots = None
            return await again._execute_again(serially)
        finally:
            self._slots = []  # the executor lives in a reference cycle: let the slots go now
        return response

    async def _execute_again(self, serially: bool | None) -> Any:
        response = super().execute_operation(serially)
        return await response if self.is_awaitable(response) else response

    def _fill(self, data: Any, slot: _Slot) -> None:
        late = slot.late
        if not late.future.done() or late.future.cancelled() or late.future.exception():
            raise Late.Unavailable("the shared data did not arrive")
        value = late.build(late.future.result())
        completed = self.complete_value(
            slot.return_type, slot.field_details_list, slot.info, slot.path, value, None
        )
        if self.is_awaitable(completed):
            if inspect.iscoroutine(completed):
                completed.close()
            raise Late.Unavailable("completing the late answer would wait")
        *parents, key = slot.path.as_list()
        for step in parents:
            data = data[step]
        if not isinstance(data, dict) or not isinstance(data.get(key), _Slot):
            raise Late.Unavailable("the late answer's place is gone (an error nulled it)")
        data[key] = completed

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: FieldDetailsList,
        path: Path,
        position_context: Any,
    ) -> AwaitableOrValue[Any] | UndefinedType:
        node = field_details_list[0].node
        direct = self._direct.get(parent_type.name)
        found = direct.get(node.name.value) if direct else None
        if found is None or node.arguments:
            return super().execute_field(
                parent_type, source, field_details_list, path, position_context
            )
        field_def, field, call, info_class = found
        return_type = field_def.type
        info = self.build_resolve_info(
            field_def, self._nodes_of(field_details_list), parent_type, path
        )
        try:
            result = call(source, info_class(_raw_info=info, _field=field))
            if (
                type(result) is Late
                and self._slots is not None
                and position_context is None
                and not result.future.done()
            ):
                slot = _Slot(result, return_type, field_details_list, info, path)
                self._slots.append(slot)
                return slot
            if self.is_awaitable(result):
                result = self._through_middleware(result, source, info)
            if self.is_awaitable(result):
                return self.complete_awaitable_value(
                    return_type, field_details_list, info, path, result, position_context
                )
            completed = self.complete_value(
                return_type, field_details_list, info, path, result, position_context
            )
            if self.is_awaitable(completed):
                return self._await_completed(completed, return_type, field_details_list, path)
        except Exception as raw_error:
            self.handle_field_error(raw_error, return_type, field_details_list, path)
            return None
        return completed

    def complete_value(
        self,
        return_type: GraphQLOutputType,
        field_details_list: FieldDetailsList,
        info: GraphQLResolveInfo[Any],
        path: Path,
        result: Any,
        position_context: Any,
    ) -> AwaitableOrValue[Any]:
        """graphql-core's completion, with the common case taken directly: an object (not
        null, of an object type, confirmed by its `is_type_of`, no `@defer` involved) has its
        selection executed without the intermediate steps."""
        object_type = (
            return_type.of_type if isinstance(return_type, GraphQLNonNull) else return_type
        )
        if (
            position_context is None
            and result is not None
            and isinstance(object_type, GraphQLObjectType)
            and not isinstance(result, Exception)
        ):
            is_type_of = object_type.is_type_of
            if is_type_of is None or is_type_of(result, info) is True:
                grouped_field_set, new_defer_usages, _ = self.collect_subfields(
                    object_type, field_details_list
                )
                if not new_defer_usages:
                    return self.execute_fields(object_type, result, path, grouped_field_set, None)
        return super().complete_value(
            return_type, field_details_list, info, path, result, position_context
        )

    def _through_middleware(self, result: Any, source: Any, info: GraphQLResolveInfo[Any]) -> Any:
        """`result`, as the schema extensions' `resolve` hooks return it (e.g. bounded by the
        request deadline), as if the resolver had just returned it to them."""
        if not self.middleware_manager:
            return result
        _handing.value = result
        try:
            return self.middleware_manager.get_field_resolver(_hand_over)(source, info)
        finally:
            _handing.value = None

    async def _await_completed(
        self,
        completed: Awaitable[Any],
        return_type: GraphQLOutputType,
        field_details_list: FieldDetailsList,
        path: Path,
    ) -> Any:
        try:
            return await completed
        except Exception as raw_error:
            self.handle_field_error(raw_error, return_type, field_details_list, path)
            return None

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: GroupedFieldSet,
        position_context: Any,
    ) -> AwaitableOrValue[dict[str, Any]]:
        steps = self._steps(parent_type, grouped_field_set)
        if steps is None:
            return super().execute_fields(
                parent_type, source_value, path, grouped_field_set, position_context
            )
        results: dict[str, Any] = {}
        is_awaitable = self.is_awaitable
        awaitable_fields: list[str] = []
        try:
            for response_name, leaf, field_details_list, reader in steps:
                if leaf is not None:
                    value = read_leaf(source_value, leaf)
                    if value is not Undefined:
                        results[response_name] = value
                        continue
                elif reader is not None:
                    value = reader(source_value)
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

    def _steps(
        self, parent_type: GraphQLObjectType, grouped_field_set: GroupedFieldSet
    ) -> list[Step] | None:
        """The fields of a selection on `parent_type`, each with its fast way to be read if it
        has one (a plain leaf, `__typename`, a context leaf); None when it has none. Made once
        per selection: graphql-core hands the same grouped field set over for every object of
        a list (it memoizes it), and the entry keeps it alive, so its id is not reused while
        the operation runs."""
        key = id(grouped_field_set)
        made = self._made_steps.get(key)
        if made is not None and made[0] is grouped_field_set:
            return made[1]
        leaves = self._leaves.get(parent_type.name) or {}
        readers = self._context_leaves.get(parent_type.name) or {}
        steps: list[Step] = []
        fast = False
        for response_name, field_details_list in grouped_field_set.items():
            node = field_details_list[0].node
            name = node.name.value
            leaf: Leaf | None = None
            reader = None
            if not node.arguments:
                if name == "__typename":
                    leaf = ("__class__", constant(parent_type.name), False)
                elif name in leaves:
                    leaf = leaves[name]
                elif name in readers:
                    reader = context_reader(readers[name], self._context_info)
            fast = fast or leaf is not None or reader is not None
            steps.append((response_name, leaf, field_details_list, reader))
        self._made_steps[key] = (grouped_field_set, steps if fast else None)
        return steps if fast else None

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


_handing = threading.local()
"""The value `_hand_over` gives the middleware; set and read within one synchronous call."""


def _hand_over(_source: Any, _info: Any, **_kwargs: Any) -> Any:
    """A resolver that answers what `FastLeafExecutor._through_middleware` hands over. A module
    function, not a method: the middleware manager caches it, and a bound method would tie the
    executor (and the whole answer) into a reference cycle."""
    return _handing.value

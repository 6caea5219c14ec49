"""Limits on the shape of an operation: depth, aliases, tokens (strawberry's extensions, with our
error codes), refused while parsing or validating — before anything runs."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
    Visitor,
    visit,
)
from strawberry.extensions import AddValidationRules, MaxTokensLimiter
from strawberry.extensions.utils import is_introspection_key

from gql.settings import Settings

if TYPE_CHECKING:
    from strawberry.types import ExecutionContext

logger = logging.getLogger("dxgraph.limits")

QUERY_TOO_DEEP = "QUERY_TOO_DEEP"
TOO_MANY_ALIASES = "TOO_MANY_ALIASES"
TOO_MANY_TOKENS = "TOO_MANY_TOKENS"
COST_LIMIT_EXCEEDED = "COST_LIMIT_EXCEEDED"


def settings_of(execution_context: ExecutionContext) -> Settings | None:
    settings = getattr(execution_context.context, "settings", None)
    return settings if isinstance(settings, Settings) else None


def coded(message: str, code: str, node: Any = None, **extensions: Any) -> GraphQLError:
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


def operations_of(document: DocumentNode) -> list[OperationDefinitionNode]:
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
                for operation in operations_of(document):
                    depth = _depth(operation.selection_set, depths)
                    if depth > max_depth:
                        name = operation.name.value if operation.name else "anonymous"
                        context.report_error(
                            coded(
                                f"Operation '{name}' is nested {depth} levels deep; at most "
                                f"{max_depth} are allowed.",
                                QUERY_TOO_DEEP,
                                operation,
                                maxDepth=max_depth,
                            )
                        )
            except RecursionError:
                context.report_error(too_deep(max_depth))

    return QueryDepthRule


def too_deep(max_depth: int) -> GraphQLError:
    return coded(
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
                    _aliases(op.selection_set, per_fragment) for op in operations_of(document)
                )
            except RecursionError:
                total = max_aliases + 1
            if total > max_aliases:
                context.report_error(
                    coded(
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
        settings = settings_of(self.execution_context)
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
        settings = settings_of(self.execution_context)
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
                coded = too_deep(self.max_depth)
                error.message = coded.message
                error.extensions = coded.extensions
                error.original_error = None


class AliasLimit(AddValidationRules):
    """Refuses documents with more than `max_aliases` aliases (`TOO_MANY_ALIASES`)."""

    def __init__(self, *, execution_context: ExecutionContext | None = None) -> None:
        super().__init__([])

    def on_operation(self) -> Iterator[None]:
        settings = settings_of(self.execution_context)
        limit = settings.max_aliases if settings else Settings.model_fields["max_aliases"].default
        self.validation_rules = [alias_rule(int(limit))]
        yield from super().on_operation()

"""Limits on the shape of an operation (depth, aliases, tokens), refused with a code in
`extensions.code` while parsing or validating, before anything runs.

strawberry's: the token limit (`MaxTokensLimiter`, graphql-core's parse option; `TokenLimit` only
reads it per request and codes the refusal), the hook that adds our rules to validation
(`AddValidationRules`), and the test for introspection fields (`is_introspection_key`).

Ours: counting depth and aliases. strawberry's `QueryDepthLimiter` and `MaxAliasesLimiter` rules
walk a fragment again, recursively, at every spread (measured with strawberry 0.341):
- 20 levels of fragments, each spreading the next twice, take 5-6 s a request, even when the
  query is harmless; 30 levels take hours. Here each fragment is measured once.
- a chain of 550 fragments raises RecursionError, and a spread of an unknown fragment raises
  KeyError (in the depth rule). Both escape validation uncoded. Here fragments are ordered
  without recursion, and an unknown one counts 0 (graphql-core refuses it).
- the depth rule reports every path that is too deep (up to graphql-core's 100 errors, then an
  uncoded abort), without the depth it found. Ours reports each operation once, with its depth.

Limits belong to the app (the request's settings); the schema and its extensions belong to the
process. So each operation adds the rules for its own limits, with one class per value
(`depth_rule`, `alias_rule`). gql.engine.documents remembers a document as valid under its rule
classes, so it never carries a verdict from one limit to another.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
)
from strawberry.extensions import AddValidationRules, MaxTokensLimiter
from strawberry.extensions.utils import is_introspection_key

from gql.settings import Settings
from resolvers.data.plan import fragment_order, fragments_of

if TYPE_CHECKING:
    from strawberry.types import ExecutionContext

QUERY_TOO_DEEP = "QUERY_TOO_DEEP"
TOO_MANY_ALIASES = "TOO_MANY_ALIASES"
TOO_MANY_TOKENS = "TOO_MANY_TOKENS"
COST_LIMIT_EXCEEDED = "COST_LIMIT_EXCEEDED"


def settings_of(execution_context: ExecutionContext) -> Settings | None:
    settings = getattr(execution_context.context, "settings", None)
    return settings if isinstance(settings, Settings) else None


def _limit(execution_context: ExecutionContext, name: str) -> int:
    """The request's `Settings.<name>` (its default for a request without settings)."""
    settings = settings_of(execution_context)
    return int(getattr(settings, name) if settings else Settings.model_fields[name].default)


def coded(message: str, code: str, node: Any = None, **extensions: Any) -> GraphQLError:
    return GraphQLError(message, nodes=node, extensions={"code": code, **extensions})


# -- depth and aliases (ours: see the module docstring) ------------------------------------------
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
    """`measure` of every fragment, computed once each (so fragment bombs stay linear), after the
    fragments it spreads (`fragment_order`: iterative, so long chains of fragments cannot exhaust
    Python's stack; a cycle, which validation refuses anyway, is cut)."""
    fragments = fragments_of(document)
    values: dict[str, int] = {}
    for name in fragment_order(fragments):
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
        self.max_token_count = _limit(self.execution_context, "max_tokens")
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
        self.max_depth = _limit(self.execution_context, "max_depth")
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
        self.validation_rules = [alias_rule(_limit(self.execution_context, "max_aliases"))]
        yield from super().on_operation()

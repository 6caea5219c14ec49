"""Documents remembered across requests: a repeated operation skips parsing and the validation
that cannot change between requests.

Clients send the same few operations over and over. graphql-core parses a document afresh and
validates it by walking it once per rule (~30 rules): for the topology query that is several
milliseconds of every request, more than the rest of a small answer costs. Only successes are
remembered — any refusal is produced fresh, with its own error objects — and at most `SIZE`
documents of each kind, least recently used dropped first.

Rules whose verdict depends on the request (the upstream-call budget: variables, learned sizes)
are listed in `PER_REQUEST_RULES` and run on every request; such a rule must judge the operation
when it is made (in `__init__`), as `gql.engine.budget.UpstreamBudgetRule` does: for a document
already known to be valid it is made without a walk over the document.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable, Iterator
from typing import Any

from graphql import DocumentNode, GraphQLError, TypeInfo, ValidationContext, parse
from strawberry.extensions import SchemaExtension

__all__ = ["PER_REQUEST_RULES", "KnownDocuments", "parsed"]

SIZE = 256

PER_REQUEST_RULES: set[type[Any]] = set()
"""Validation rules to run on every request, whatever was validated before (filled by their
modules, e.g. `gql.engine.limits.UpstreamBudgetRule`)."""


class _Lru(OrderedDict[Hashable, Any]):
    def recall(self, key: Hashable) -> Any:
        value = self.get(key)
        if value is not None:
            self.move_to_end(key)
        return value

    def remember(self, key: Hashable, value: Any) -> None:
        self[key] = value
        self.move_to_end(key)
        while len(self) > SIZE:
            self.popitem(last=False)


_PARSED = _Lru()
_VALID = _Lru()


def parsed(query: str, **options: Any) -> DocumentNode:
    """`graphql.parse(query, **options)`, remembered when it succeeds. The document is shared:
    never modify it (graphql-core's execution does not)."""
    key = (query, tuple(sorted(options.items())))
    document: DocumentNode | None = _PARSED.recall(key)
    if document is None:
        document = parse(query, **options)
        _PARSED.remember(key, document)
    return document


class KnownDocuments(SchemaExtension):
    """Uses `parsed` for the operation's document and skips the request-independent validation
    of a document already found valid under the same rules (see the module docstring).

    List it after the extensions that set parse options and validation rules: they do so when
    the operation starts, before either step.
    """

    def on_parse(self) -> Iterator[None]:
        ctx = self.execution_context
        if ctx.graphql_document is None and ctx.query:
            key = (ctx.query, tuple(sorted(ctx.parse_options.items())))
            ctx.graphql_document = _PARSED.recall(key)
            yield
            if ctx.graphql_document is not None and not ctx.pre_execution_errors:
                _PARSED.remember(key, ctx.graphql_document)
            return
        yield

    def on_validate(self) -> Iterator[None]:
        ctx = self.execution_context
        if not ctx.query or ctx.pre_execution_errors is not None:
            yield
            return
        rules = tuple(ctx.validation_rules)
        fixed = tuple(rule for rule in rules if rule not in PER_REQUEST_RULES)
        key = (id(ctx.schema), ctx.query, fixed)
        if _VALID.recall(key) is not None and ctx.graphql_document is not None:
            per_request = [rule for rule in rules if rule in PER_REQUEST_RULES]
            ctx.pre_execution_errors = _run_per_request(ctx, per_request)
            yield
            return
        yield
        if _validated(ctx):
            _VALID.remember(key, True)


def _run_per_request(ctx: Any, rules: list[type[Any]]) -> list[GraphQLError]:
    """The errors of the per-request rules for a document known to be valid otherwise.

    These rules do their work when they are made (they judge the whole operation, not its
    nodes), so they are made here without graphql-core's walk over the document, which alone
    costs milliseconds for a large query on every request.
    """
    errors: list[GraphQLError] = []
    schema = ctx.schema._schema
    context = ValidationContext(schema, ctx.graphql_document, TypeInfo(schema), errors.append)
    for rule in rules:
        rule(context)
    return errors


def _validated(ctx: Any) -> bool:
    """Validation ran and found nothing (read after the step, which sets the errors)."""
    return bool(ctx.pre_execution_errors == [])

"""Schema extensions: every GraphQL error carries `extensions.code`; no traceback ever leaks.

Upstream failures keep AWS's code, message and request ID (`UpstreamError.to_extensions()`); a
failure of one region or field that left the rest intact is reported beside the data (partial
results); an unexpected exception becomes `INTERNAL_ERROR` with a generic message and is logged.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any

from graphql import (
    GraphQLError,
    OperationDefinitionNode,
    OperationType,
)
from graphql.execution.values import get_variable_values
from strawberry.extensions import SchemaExtension
from strawberry.relay import GlobalIDValueError

from gql.engine.deadline import time_to_wait
from resolvers.aws.errors import UpstreamError
from resolvers.aws.redaction import redact
from resolvers.data.plan import fragments_of
from resolvers.validation import InvalidInput

logger = logging.getLogger("dxgraph.errors")

INTERNAL_MESSAGE = "Internal error; see the gateway's logs for the request."


def classify(error: GraphQLError) -> list[GraphQLError]:
    """The error with a machine-readable `extensions.code` (masked if unexpected); an invalid
    mutation input becomes one error per refused field."""
    original = error.original_error
    if isinstance(original, InvalidInput):
        return [
            GraphQLError(
                f"{problem.field} {problem.message}",
                nodes=error.nodes,
                path=error.path,
                extensions={
                    "code": "BAD_USER_INPUT",
                    "field": problem.field,
                    "reason": problem.reason,
                },
            )
            for problem in original.errors
        ]
    return [_classify_one(error)]


def _classify_one(error: GraphQLError) -> GraphQLError:
    # GraphQL's own messages may echo the input (a BGP key in a refused variable, say).
    error.message = redact(error.message)
    original = error.original_error
    if isinstance(original, GraphQLError):
        # variable coercion: graphql-core wraps its own input error
        error.extensions = {"code": "BAD_USER_INPUT"}
        return error
    if isinstance(original, UpstreamError):
        error.extensions = {**(error.extensions or {}), **original.to_extensions()}
        return error
    if original is None:
        code = "GRAPHQL_PARSE_FAILED" if error.message.startswith("Syntax Error") else None
        error.extensions = {
            **(error.extensions or {}),
            "code": code or (error.extensions or {}).get("code") or "GRAPHQL_VALIDATION_FAILED",
        }
        return error
    if isinstance(original, GlobalIDValueError | ValueError):
        error.extensions = {"code": "BAD_USER_INPUT"}
        return error
    logger.error("unexpected error at %s", error.path, exc_info=original)
    return GraphQLError(
        INTERNAL_MESSAGE,
        nodes=error.nodes,
        path=error.path,
        extensions={"code": "INTERNAL_ERROR"},
    )


def _variables_coerce(schema: Any, operation: OperationDefinitionNode, variables: Any) -> bool:
    """Whether execution will get past variable coercion: a refused request must not have
    prefetched anything upstream."""
    coerced = get_variable_values(schema, operation.variable_definitions or [], variables or {})
    return not isinstance(coerced, list)


class Prefetch(SchemaExtension):
    """Starts the upstream reads an operation will make (`resolvers.data.plan`) and lets the first
    round trip (the lists) land before resolving.

    Resolving while lists arrive gains little and costs much: a large answer keeps the event
    loop busy for tens of milliseconds at a time, and every step of the reads still in flight
    (a call landing, the cache storing it, a loader handing it on, the next call starting) waits
    for the loop each time. With the lists in, the second round trip (tags, DX gateway
    associations) is already on its way and the rest of the answer is resolved meanwhile.
    The wait ends shortly before the request's deadline at the latest; whatever has not landed
    by then is awaited, and bounded by the deadline, field by field as before.
    """

    async def on_execute(self) -> AsyncIterator[None]:
        started = self._start()
        if started:
            context = self.execution_context.context
            await asyncio.wait(started, timeout=time_to_wait(context))
            # The second round trip (tags, associations) has just been started: let its
            # requests leave before resolving takes the GIL (at most a few milliseconds).
            upstream = getattr(context, "upstream", None)
            if upstream is not None:
                await upstream.requests_sent(within=0.01)
        yield

    def _start(self) -> list[asyncio.Future[Any]]:
        ctx = self.execution_context
        loaders = getattr(ctx.context, "loaders", None)
        document = ctx.graphql_document
        if loaders is not None and document is not None:
            operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
            chosen = [
                op
                for op in operations
                if ctx.operation_name is None or (op.name and op.name.value == ctx.operation_name)
            ]
            if (
                len(chosen) == 1
                and chosen[0].operation == OperationType.QUERY
                and _variables_coerce(ctx.schema._schema, chosen[0], ctx.variables)
            ):
                fragments = fragments_of(document)
                try:
                    started: list[asyncio.Future[Any]] = loaders.prefetch(
                        ctx.schema._schema, chosen[0], fragments
                    )
                except Exception:  # an optimisation only: the lazy path still answers
                    logger.exception("prefetch planning failed")
                else:
                    return started
        return []


class ErrorCodes(SchemaExtension):
    """Codes every error and adds the request's partial errors to the response."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is None:
            return
        errors = [coded for e in result.errors or [] for coded in classify(e)]
        context = self.execution_context.context
        upstream = getattr(context, "upstream", None)
        for partial in getattr(upstream, "partial_errors", []):
            if not any(e.original_error is partial for e in errors):
                errors.append(GraphQLError(partial.message, extensions=partial.to_extensions()))
        result.errors = errors or None

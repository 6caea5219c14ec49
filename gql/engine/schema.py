"""The schema, built once by `build_schema` from the API surface and the engine's extensions.

The extension list is here and only here; the built schema is never modified afterwards (what
differs per app — settings, listeners — reaches the extensions through the request's context).
"""

from __future__ import annotations

import logging
from functools import cache

import strawberry
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from gql.api.mutation import Mutation
from gql.api.query import Query
from gql.api.scalars import BIG_INT, BigInt
from gql.engine.budget import UpstreamBudget
from gql.engine.deadline import DeadlineExtension
from gql.engine.documents import KnownDocuments
from gql.engine.execution import FastLeafExecutor
from gql.engine.extensions import ErrorCodes, Prefetch
from gql.engine.fast_paths import check_fast_paths
from gql.engine.limits import AliasLimit, DepthLimit, TokenLimit
from gql.engine.operations import OperationObserver

logger = logging.getLogger("dxgraph.errors")

EXTENSIONS: tuple[type[SchemaExtension], ...] = (
    OperationObserver,
    ErrorCodes,
    TokenLimit,
    DepthLimit,
    AliasLimit,
    UpstreamBudget,
    KnownDocuments,
    Prefetch,
    DeadlineExtension,
)
"""Every extension of the schema, in the order strawberry runs them."""


class DxGraphSchema(strawberry.Schema):
    """Logs only unexpected errors; expected ones (bad input, upstream refusals) are the
    caller's business and already coded in the response."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        for error in errors:
            if (error.extensions or {}).get("code") == "INTERNAL_ERROR":
                logger.error("internal error at %s: %s", error.path, error.message)


@cache
def build_schema() -> DxGraphSchema:
    """The gateway's schema (one per process: building it takes a while, and it holds no
    per-app state). Fails loudly if the engine's fast paths find nothing to speed up — a sign
    that strawberry or graphql-core changed under them."""
    built = DxGraphSchema(
        query=Query,
        mutation=Mutation,
        extensions=list(EXTENSIONS),
        config=StrawberryConfig(scalar_map={BigInt: BIG_INT}),
        execution_context_class=FastLeafExecutor,
    )
    check_fast_paths(built._schema)
    return built

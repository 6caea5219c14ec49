"""The per-request GraphQL context: settings, the request's upstream view and its loaders."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import strawberry
from strawberry.fastapi import BaseContext

from gql.auth import OPEN, Principal

if TYPE_CHECKING:
    from gql.settings import Settings
    from resolvers.loaders import Loaders
    from resolvers.upstream import Upstream


@dataclass
class Context(BaseContext):
    """What every resolver gets through `info.context`.

    Attributes:
        settings: the gateway's settings.
        upstream: cached Direct Connect access for this request (fresh flag, partial errors).
        loaders: this request's DataLoaders (never shared between requests).
        account_id: the AWS account the gateway acts as (for ARNs the wire shapes lack).
        principal: the authenticated caller (scopes, optional IAM role).
        show_secrets: whether BGP auth keys are shown unmasked.
        can_write: whether the caller may run mutations (the one authorization check for
            writes is `resolvers.writes.write`).
        idempotency_key: the request's `Idempotency-Key` header, if any.
    """

    settings: Settings
    upstream: Upstream
    loaders: Loaders
    account_id: str
    principal: Principal = OPEN
    show_secrets: bool = False
    can_write: bool = True
    idempotency_key: str | None = None

    def __post_init__(self) -> None:
        super().__init__()


Info = strawberry.Info[Context, None]

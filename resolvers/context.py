"""The per-request GraphQL context: settings, the request's upstream view, its loaders, the caller.

Defined here, below the schema surface, so that the GraphQL types can name `Info` without
importing the web layer; the HTTP layer adds what its framework needs (`gql.http.app`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import strawberry

from resolvers.validation import FieldError, InvalidInput

if TYPE_CHECKING:
    from gql.settings import Settings
    from resolvers.data.loaders import Loaders
    from resolvers.data.upstream import Upstream


@dataclass(frozen=True)
class Principal:
    """An authenticated caller.

    Attributes:
        name: the API key's name or the token's subject (logs and metrics; never a secret).
        scopes: what the caller may do.
        role_arn: an IAM role the caller's upstream calls act as, if any.
    """

    name: str
    scopes: frozenset[str] = field(default_factory=frozenset)
    role_arn: str | None = None


OPEN = Principal(name="anonymous", scopes=frozenset({"read", "write"}))
"""Open mode (no authentication configured) may read and write, but BGP keys stay masked."""


@dataclass
class Context:
    """What every resolver gets through `info.context`.

    Attributes:
        settings: the gateway's settings.
        upstream: cached Direct Connect access for this request (fresh flag, partial errors).
        loaders: this request's DataLoaders (never shared between requests).
        account_id: the AWS account the gateway acts as (for ARNs the wire shapes lack).
        principal: the authenticated caller (scopes, optional IAM role).
        show_secrets: whether BGP auth keys are shown unmasked.
        can_write: whether the caller may run mutations (checked by the `CanWrite` permission
            class every mutation carries, `gql.api.permissions.CanWrite`).
        idempotency_key: the request's `Idempotency-Key` header, if any.
        request, response: the HTTP request and response, set by the HTTP layer (None when
            the schema is executed directly).
    """

    settings: Settings
    upstream: Upstream
    loaders: Loaders
    account_id: str
    principal: Principal = OPEN
    show_secrets: bool = False
    can_write: bool = True
    idempotency_key: str | None = None
    request: Any = None
    response: Any = None


Info = strawberry.Info[Context, None]


CONTEXT_ONLY = "dxgraph.context_only"
"""The key of `context_only()` in a field's strawberry metadata."""


def context_only() -> dict[str, bool]:
    """Field metadata: the field's resolver reads nothing of its `info` but `info.context`, and
    answers a scalar at once. The engine may then call it with the context alone, as cheaply as
    reading an attribute (an ARN or a masked key shown for 10,000 objects of an answer)."""
    return {CONTEXT_ONLY: True}


def region_for(info: Info, region: str | None, field: str = "input.region") -> str:
    """The region a regional call acts in: the one given (it must be served, else `field` is
    refused), else the gateway's first."""
    served = info.context.upstream.regions
    if region is None:
        return served[0]
    if region not in served:
        raise InvalidInput(
            [
                FieldError(
                    field,
                    "NOT_SERVED",
                    f"{region!r} is not served by this gateway ({', '.join(served)})",
                )
            ]
        )
    return region

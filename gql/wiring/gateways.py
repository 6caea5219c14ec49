"""Mutations on Direct Connect gateways, their associations, and tags; deprecated reads."""

from __future__ import annotations

import strawberry


@strawberry.type
class GatewayMutations:
    pass


@strawberry.type
class DeprecatedQueries:
    pass

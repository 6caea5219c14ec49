"""Who may do what, as strawberry permission classes on the fields they guard."""

from __future__ import annotations

from typing import Any

from strawberry.permission import BasePermission

from resolvers.aws.errors import ErrorCode, UpstreamError
from resolvers.context import Info


class CanWrite(BasePermission):
    """The caller may run mutations: its `write` scope, on a gateway that is not read-only.

    Refused before the mutation's input is even read: nothing is sent upstream, the answer is
    HTTP 403 with a `FORBIDDEN` error. Every mutation carries it (a test walks the schema).
    """

    message = "This caller may not run mutations."

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        context = info.context
        if context.can_write:
            return True
        if context.response is not None:
            context.response.status_code = 403
        return False

    def on_unauthorized(self) -> None:
        raise UpstreamError(self.message or "", code=ErrorCode.FORBIDDEN)

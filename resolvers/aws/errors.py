"""Errors the resolvers raise: stable machine codes plus what AWS said, with no GraphQL or botocore.

`resolvers.aws.client` turns every botocore failure into an `UpstreamError`; the GraphQL layer turns
an `UpstreamError` into a GraphQL error whose `extensions` come from `to_extensions()`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

__all__ = ["ErrorCode", "ResourceNotFound", "UpstreamError"]


class ErrorCode(StrEnum):
    """Our machine-readable error codes: the contract with API clients, stable across releases.

    AWS error codes are passed along separately (`awsCode`) because they are neither stable nor
    specific: Direct Connect reports not-found, invalid state and bad input all as
    `DirectConnectClientException`.
    """

    NOT_FOUND = "NOT_FOUND"
    INVALID_REQUEST = "INVALID_REQUEST"
    CONFLICT = "CONFLICT"
    INVALID_STATE = "INVALID_STATE"
    LIMIT_EXCEEDED = "LIMIT_EXCEEDED"
    THROTTLED = "THROTTLED"
    UPSTREAM_UNAVAILABLE = "UPSTREAM_UNAVAILABLE"
    UPSTREAM_AUTH = "UPSTREAM_AUTH"
    UPSTREAM_ERROR = "UPSTREAM_ERROR"
    FORBIDDEN = "FORBIDDEN"
    IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED"
    IDEMPOTENCY_IN_PROGRESS = "IDEMPOTENCY_IN_PROGRESS"
    DEADLINE_EXCEEDED = "DEADLINE_EXCEEDED"


# Failures that may pass if the same call is repeated later (botocore has already retried them).
RETRYABLE_CODES = frozenset({ErrorCode.THROTTLED, ErrorCode.UPSTREAM_UNAVAILABLE})


class UpstreamError(Exception):
    """A Direct Connect call failed, or a resolver refuses a request on Direct Connect's behalf.

    Messages must never contain credentials: they are shown to API clients verbatim.

    Args:
        message: what went wrong, for people; AWS's own message when AWS answered.
        code: our stable code.
        aws_code: the AWS error code (`DirectConnectClientException`, …); None when AWS never
            answered (connection refused, timeout) or the error is ours.
        request_id: the AWS request id, to quote to AWS support.
        operation: the AWS operation name (`DescribeConnections`).
        region: the region the call went to.
        retryable: whether repeating the call later may succeed; by default true for
            `THROTTLED` and `UPSTREAM_UNAVAILABLE`.
    """

    def __init__(
        self,
        message: str,
        *,
        code: ErrorCode = ErrorCode.UPSTREAM_ERROR,
        aws_code: str | None = None,
        request_id: str | None = None,
        operation: str | None = None,
        region: str | None = None,
        retryable: bool | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.aws_code = aws_code
        self.request_id = request_id
        self.operation = operation
        self.region = region
        self.retryable = code in RETRYABLE_CODES if retryable is None else retryable

    def to_extensions(self) -> dict[str, Any]:
        """The GraphQL error `extensions`: every key always present, None when unknown.

        `awsMessage` is set only when AWS itself answered (`awsCode` is set).
        """
        return {
            "code": str(self.code),
            "awsCode": self.aws_code,
            "awsMessage": self.message if self.aws_code else None,
            "requestId": self.request_id,
            "operation": self.operation,
            "region": self.region,
        }

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}({self.message!r}, code={self.code.value}, "
            f"aws_code={self.aws_code!r}, operation={self.operation!r}, region={self.region!r})"
        )


class ResourceNotFound(UpstreamError):
    """The resource does not exist or is not visible to the caller's account (`NOT_FOUND`).

    Raised by the client when Direct Connect says so, and by resolvers and loaders when an id is
    missing from a describe-all answer.

    Args:
        message: e.g. AWS's "Could not find Connection with ID dxcon-…".
        resource_id: the id that was looked up, when known.
        **context: `aws_code`, `request_id`, `operation`, `region` as for `UpstreamError`.
    """

    def __init__(self, message: str, *, resource_id: str | None = None, **context: Any) -> None:
        super().__init__(message, code=ErrorCode.NOT_FOUND, retryable=False, **context)
        self.resource_id = resource_id

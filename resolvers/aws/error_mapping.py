"""From what botocore raises to our coded `UpstreamError`: which AWS codes and messages mean not
found, conflict, invalid state, limit exceeded, throttled, unavailable or refused credentials; and a
response cut off mid-body, which botocore would otherwise parse as an empty answer."""

from __future__ import annotations

import re
from typing import Any

from botocore.exceptions import (
    ClientError,
    CredentialRetrievalError,
    HTTPClientError,
    NoCredentialsError,
    NoRegionError,
    ParamValidationError,
    PartialCredentialsError,
    ReadTimeoutError,
    TokenRetrievalError,
)
from botocore.exceptions import ConnectionError as BotoConnectionError

from resolvers.aws.errors import ErrorCode, ResourceNotFound, UpstreamError

__all__ = ["ResponseCutOff", "refuse_cut_response", "to_upstream_error"]

_NOT_FOUND_MESSAGE = re.compile(
    r"could not find|does not exist|doesn't exist|not found", re.IGNORECASE
)
# Direct Connect reports conflicts, invalid states and quotas all as DirectConnectClientException;
# its message is the only way to tell them apart (as Terraform's provider does).
_CONFLICT_MESSAGE = re.compile(
    r"already (in use|associated|used|a member|has an? \w+ BGP peer)|conflict", re.IGNORECASE
)
_INVALID_STATE_MESSAGE = re.compile(
    r"is in (a transitioning )?state|transitioning|delete them|still has|cannot be deleted|"
    r"wait until|has been accepted|has \d+ (virtual interface|hosted connection)|"
    r"is associated with|has virtual interface",
    re.IGNORECASE,
)
_LIMIT_MESSAGE = re.compile(r"the maximum|at most \d+|quota", re.IGNORECASE)
_THROTTLING_CODES = frozenset(
    {
        "ThrottlingException",
        "Throttling",
        "LimitExceededException",
        "TooManyRequestsException",
        "RequestLimitExceeded",
        "RequestThrottled",
        "RequestThrottledException",
        "SlowDown",
        "PriorRequestNotComplete",
    }
)
_AUTH_CODES = frozenset(
    {
        "UnrecognizedClientException",
        "InvalidSignatureException",
        "MissingAuthenticationTokenException",
        "IncompleteSignatureException",
        "InvalidClientTokenId",
        "SignatureDoesNotMatch",
        "ExpiredToken",
        "ExpiredTokenException",
        "RequestExpired",
        "UnauthorizedOperation",
        "AuthFailure",
    }
)
_INVALID_CODES = frozenset(
    {"DuplicateTagKeysException", "ValidationException", "SerializationException"}
)
_LIMIT_CODES = frozenset({"TooManyTagsException"})
_UNAVAILABLE_CODES = frozenset(
    {
        "DirectConnectServerException",
        "InternalFailure",
        "InternalServerError",
        "ServiceUnavailable",
        "ServiceUnavailableException",
    }
)
_CREDENTIAL_ERRORS = (
    NoCredentialsError,
    PartialCredentialsError,
    CredentialRetrievalError,
    TokenRetrievalError,
)
_URL_USERINFO = re.compile(r"(\w+://)[^/@\s]+@")


class ResponseCutOff(HTTPClientError):  # type: ignore[misc]
    """Direct Connect's response ended before its declared Content-Length.

    botocore reads a JSON body until the connection closes and does not check its length, so a
    response cut mid-way parses as an empty answer (`{}`): "no connections". This makes it an
    error instead (UPSTREAM_UNAVAILABLE), retried like botocore retries a dropped connection.
    """

    fmt = "Direct Connect's response to {operation} was cut off ({received} of {expected} bytes)."


def refuse_cut_response(response_dict: dict[str, Any], operation_model: Any, **_: Any) -> None:
    """botocore `before-parse` hook: raises `ResponseCutOff` for a short body."""
    declared = str(response_dict["headers"].get("content-length", ""))
    body = response_dict.get("body")
    if declared.isdigit() and isinstance(body, bytes) and len(body) < int(declared):
        raise ResponseCutOff(
            operation=operation_model.name, received=len(body), expected=int(declared)
        )


def _scrub(message: str) -> str:
    """Drops `user:password@` from URLs that botocore echoes (e.g. an endpoint URL)."""
    return _URL_USERINFO.sub(r"\1***@", message)


def _code_for_client_error(aws_code: str, message: str, status: int | None) -> ErrorCode:
    if aws_code == "DirectConnectClientException":
        if _NOT_FOUND_MESSAGE.search(message):
            return ErrorCode.NOT_FOUND
        if _CONFLICT_MESSAGE.search(message):
            return ErrorCode.CONFLICT
        if _INVALID_STATE_MESSAGE.search(message):
            return ErrorCode.INVALID_STATE
        if _LIMIT_MESSAGE.search(message):
            return ErrorCode.LIMIT_EXCEEDED
        return ErrorCode.INVALID_REQUEST
    if aws_code in _INVALID_CODES:
        return ErrorCode.INVALID_REQUEST
    if aws_code in _LIMIT_CODES:
        return ErrorCode.LIMIT_EXCEEDED
    if aws_code in _THROTTLING_CODES or status == 429:
        return ErrorCode.THROTTLED
    if aws_code in _AUTH_CODES or aws_code.startswith("AccessDenied") or status in (401, 403):
        return ErrorCode.UPSTREAM_AUTH
    if aws_code in _UNAVAILABLE_CODES or (status is not None and status >= 500):
        return ErrorCode.UPSTREAM_UNAVAILABLE
    return ErrorCode.UPSTREAM_ERROR


def to_upstream_error(err: Exception, operation: str, region: str) -> UpstreamError:
    """Maps a boto3/botocore exception to our error; other exceptions become `UPSTREAM_ERROR`.

    Args:
        err: what boto3 raised.
        operation: the AWS operation name (`DescribeConnections`).
        region: the region the call went to.
    """
    context: dict[str, Any] = {"operation": operation, "region": region}
    if isinstance(err, ClientError):
        error = err.response.get("Error", {})
        metadata = err.response.get("ResponseMetadata", {})
        aws_code = str(error.get("Code") or "Unknown")
        message = _scrub(str(error.get("Message") or aws_code))
        status = metadata.get("HTTPStatusCode")
        context |= {"aws_code": aws_code, "request_id": metadata.get("RequestId")}
        code = _code_for_client_error(aws_code, message, status)
        if code is ErrorCode.NOT_FOUND:
            return ResourceNotFound(message, **context)
        return UpstreamError(message, code=code, **context)
    if isinstance(err, ReadTimeoutError):
        message = f"Direct Connect did not answer {operation} in time (read timeout)."
        return UpstreamError(message, code=ErrorCode.UPSTREAM_UNAVAILABLE, **context)
    if isinstance(err, BotoConnectionError | HTTPClientError):
        message = _scrub(f"Direct Connect is unreachable: {err}")
        return UpstreamError(message, code=ErrorCode.UPSTREAM_UNAVAILABLE, **context)
    if isinstance(err, _CREDENTIAL_ERRORS):
        message = f"No usable AWS credentials: {err}"
        return UpstreamError(message, code=ErrorCode.UPSTREAM_AUTH, **context)
    if isinstance(err, ParamValidationError):
        # botocore's report quotes the rejected values, which may be secrets (a BGP authKey).
        lines = [re.sub(r", value: .*$", "", line) for line in str(err).splitlines()]
        return UpstreamError("\n".join(lines), code=ErrorCode.INVALID_REQUEST, **context)
    if isinstance(err, NoRegionError):
        return UpstreamError(str(err), code=ErrorCode.INVALID_REQUEST, **context)
    message = _scrub(f"{type(err).__name__}: {err}")
    return UpstreamError(message, code=ErrorCode.UPSTREAM_ERROR, **context)

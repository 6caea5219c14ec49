"""The one path every mutation takes (once `CanWrite` let it in): validate, idempotency, call,
invalidate.

`write()` is the only place mutations reach Direct Connect. Nothing leaves the gateway before the
input passed its checks; a retry carrying the same `Idempotency-Key` and the same input gets the
first answer back without a second upstream call; after a write, every cached read of the
account in the region (and of the global DX gateway data) is invalidated — across replicas when
Redis is the cache — so the next read sees it.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
from typing import Any, Protocol

from resolvers.aws.errors import ErrorCode, UpstreamError
from resolvers.context import Info, region_for
from resolvers.data.arns import GLOBAL, arn_region
from resolvers.data.cache import RecordStoreUnavailable
from resolvers.data.loaders import Loaders
from resolvers.validation import Checks, FieldError, InvalidInput

IDEMPOTENCY_TTL_SECONDS = 24 * 3600.0
IDEMPOTENCY_WAIT_SECONDS = 10.0
_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")


class WriteInput(Protocol):
    """What a mutation input offers: its checks and its AWS parameters."""

    def validate(self, checks: Checks) -> None: ...

    def to_aws(self) -> dict[str, Any]: ...


class RegionalInput(WriteInput, Protocol):
    """A regional mutation's input: it names the region to act in (None: the first served)."""

    @property
    def region(self) -> str | None: ...


async def regional(info: Info, data: RegionalInput, operation: str) -> tuple[dict[str, Any], str]:
    """Runs a regional write in the input's region; returns AWS's answer and the region."""
    region = region_for(info, data.region)
    return await write(info, data, operation, region), region


def region_of_arn(info: Info, arn: str) -> str:
    """The Region a tag call on `arn` goes to: the one a regional ARN names (it must be served);
    a DX gateway's ARN (global) names none and goes to the first served Region, where the tag
    reads of gateways go too. A malformed ARN is left to the input's checks."""
    region = arn_region(arn)
    if region is None:
        return region_for(info, None)
    served = info.context.upstream.regions
    if region not in served:
        raise InvalidInput(
            [
                FieldError(
                    "input.resourceArn",
                    "NOT_SERVED",
                    f"names Region {region!r}, which this gateway does not serve "
                    f"({', '.join(served)})",
                )
            ]
        )
    return region


async def tag_write(info: Info, data: WriteInput, operation: str, arn: str) -> list[dict[str, Any]]:
    """TagResource or UntagResource, sent to the Region the ARN names; answers the resource's
    tags read afresh after the change."""
    await write(info, data, operation, region_of_arn(info, arn))
    return await info.context.loaders.tags.load(arn)


async def write(
    info: Info, data: WriteInput, operation: str, region: str = GLOBAL
) -> dict[str, Any]:
    """Runs one write operation for a mutation and returns AWS's answer.

    The caller's right to write is checked before: every mutation carries the `CanWrite`
    permission (`gql.api.permissions`).

    Raises:
        UpstreamError: IDEMPOTENCY_KEY_REUSED,
            IDEMPOTENCY_IN_PROGRESS, or what Direct Connect answered.
        InvalidInput: the input broke a rule; nothing was sent.
    """
    context = info.context
    checks = Checks()
    data.validate(checks)
    checks.raise_if_any()
    params = data.to_aws()
    key = context.idempotency_key
    if key is None:
        result = await context.upstream.write(region, operation, **params)
    else:
        result = await _idempotent(info, key, operation, region, params)
    await context.upstream.invalidate(region)
    if region != GLOBAL:
        await context.upstream.invalidate(GLOBAL)
    context.loaders = Loaders(context.upstream, context.account_id)
    return result


async def _idempotent(
    info: Info, key: str, operation: str, region: str, params: dict[str, Any]
) -> dict[str, Any]:
    if not _KEY.match(key):
        raise InvalidInput(
            [FieldError("Idempotency-Key", "INVALID_FORMAT", "must be 1-255 printable characters")]
        )
    upstream = info.context.upstream
    path = ".".join(str(p) for p in info.path.as_list())
    record_key = f"idempotency:{upstream.client.identity}:{path}:{key}"
    fingerprint = hashlib.sha256(
        json.dumps([operation, region, params], sort_keys=True, default=str).encode()
    ).hexdigest()
    cache = upstream.cache
    try:
        claimed = await cache.claim(
            record_key, {"state": "pending", "fingerprint": fingerprint}, IDEMPOTENCY_TTL_SECONDS
        )
        if not claimed:
            return await _replay(cache, record_key, fingerprint)
        try:
            result = await upstream.write(region, operation, **params)
        except UpstreamError as err:
            if err.retryable:
                await cache.drop_record(record_key)
            else:
                await cache.put_record(
                    record_key,
                    {"state": "failed", "fingerprint": fingerprint, "error": _error_record(err)},
                    IDEMPOTENCY_TTL_SECONDS,
                )
            raise
        await cache.put_record(
            record_key,
            {"state": "done", "fingerprint": fingerprint, "response": result},
            IDEMPOTENCY_TTL_SECONDS,
        )
        return result
    except RecordStoreUnavailable as err:
        raise UpstreamError(
            f"Idempotency keys cannot be kept right now ({err}); retry later.",
            code=ErrorCode.UPSTREAM_UNAVAILABLE,
        ) from None


async def _replay(cache: Any, record_key: str, fingerprint: str) -> dict[str, Any]:
    """The first attempt's answer; waits briefly while it is still running."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + IDEMPOTENCY_WAIT_SECONDS
    while True:
        record = await cache.record(record_key)
        if record is None:
            raise UpstreamError(
                "The first request with this Idempotency-Key failed and may be retried; "
                "send it again.",
                code=ErrorCode.IDEMPOTENCY_IN_PROGRESS,
                retryable=True,
            )
        if record["fingerprint"] != fingerprint:
            raise UpstreamError(
                "This Idempotency-Key was used with a different input; use a new key.",
                code=ErrorCode.IDEMPOTENCY_KEY_REUSED,
            )
        if record["state"] == "done":
            response: dict[str, Any] = record["response"]
            return response
        if record["state"] == "failed":
            error = record["error"]
            raise UpstreamError(
                error["message"],
                code=ErrorCode(error["code"]),
                aws_code=error["awsCode"],
                request_id=error["requestId"],
                operation=error["operation"],
                region=error["region"],
            )
        if loop.time() >= deadline:
            raise UpstreamError(
                "A request with this Idempotency-Key is still running; retry shortly.",
                code=ErrorCode.IDEMPOTENCY_IN_PROGRESS,
                retryable=True,
            )
        await asyncio.sleep(0.1)


def _error_record(err: UpstreamError) -> dict[str, Any]:
    return {
        "message": err.message,
        "code": str(err.code),
        "awsCode": err.aws_code,
        "requestId": err.request_id,
        "operation": err.operation,
        "region": err.region,
    }

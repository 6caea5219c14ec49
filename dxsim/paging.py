"""Paging for every describe and list call that takes `maxResults` and `nextToken`.

`maxResults` 1–100, larger values clamped to 100 as AWS does. Without it the gateway describes
return up to 100 items, while the describes that gained paging later (connections, LAGs,
interconnects, hosted connections, VIFs) return everything, as they always did: Terraform calls
DescribeConnections once without paging (`default_size=None`). The `nextToken` is opaque and
resumes after the last item returned, so pages stay consistent when resources come and go between
calls.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Callable, Sequence
from typing import Any, Protocol, TypeVar

from dxsim.exceptions import DirectConnectClientException

MAX_PAGE_SIZE = 100

T = TypeVar("T")


class Created(Protocol):
    """What the default page order needs: creation time, then id (stable between calls)."""

    @property
    def created_at(self) -> float: ...

    @property
    def id(self) -> str: ...


def by_creation(item: Created) -> tuple[float, str]:
    return item.created_at, item.id


def page_answer(
    key: str,
    items: Sequence[T],
    wire: Callable[[T], dict[str, Any]],
    *,
    scope: str,
    max_results: int | None,
    next_token: str | None,
    default_size: int | None = MAX_PAGE_SIZE,
    sort_key: Callable[[Any], tuple[float, str]] = by_creation,
) -> dict[str, Any]:
    """A describe call's answer: `{key: [wire(item), …]}` for one page of `items` (oldest first
    unless `sort_key` orders otherwise), with `nextToken` only when another page follows."""
    page, token = paginate(
        items,
        sort_key,
        scope=scope,
        max_results=max_results,
        next_token=next_token,
        default_size=default_size,
    )
    answer: dict[str, Any] = {key: [wire(item) for item in page]}
    if token is not None:
        answer["nextToken"] = token
    return answer


def paginate(
    items: Sequence[T],
    sort_key: Callable[[T], tuple[float, str]],
    *,
    scope: str,
    max_results: int | None,
    next_token: str | None,
    default_size: int | None = MAX_PAGE_SIZE,
) -> tuple[list[T], str | None]:
    """One page of `items` in `sort_key` order, and the token for the next page (or None).

    `scope` names the query (operation, caller, filters); a token is valid only for the query
    that produced it, so a token replayed against other filters is refused rather than
    silently skipping items.
    """
    if max_results is not None and max_results < 1:
        raise DirectConnectClientException(
            f"maxResults {max_results} is not valid: it must be between 1 and {MAX_PAGE_SIZE}."
        )
    if max_results is not None:
        size = min(max_results, MAX_PAGE_SIZE)
    else:
        size = len(items) if default_size is None else default_size
    digest = hashlib.sha256(scope.encode()).hexdigest()[:16]
    ordered = sorted(items, key=sort_key)
    if next_token is not None:
        after = _decode_token(next_token, digest)
        ordered = [item for item in ordered if sort_key(item) > after]
    page = ordered[:size]
    if len(ordered) <= size:
        return page, None
    last_time, last_id = sort_key(page[-1])
    raw = json.dumps({"s": digest, "t": last_time, "i": last_id}, separators=(",", ":"))
    return page, base64.urlsafe_b64encode(raw.encode()).decode("ascii")


def _decode_token(token: str, digest: str) -> tuple[float, str]:
    try:
        data = json.loads(base64.urlsafe_b64decode(token.encode("ascii")))
        if data["s"] == digest and isinstance(data["i"], str):
            return float(data["t"]), data["i"]
    except (ValueError, TypeError, KeyError, UnicodeEncodeError, binascii.Error):
        pass
    raise DirectConnectClientException(
        "nextToken is not valid: pass the nextToken of the previous response unchanged, "
        "with the same filters."
    )

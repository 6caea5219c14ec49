"""Inputs and payload of the tag mutations (TagResource, UntagResource).

A tag call acts in the Region its ARN names: connection, interconnect, LAG and VIF ARNs carry
one, Direct Connect gateway ARNs (global) carry none (`arn_region`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any

import strawberry

from gql.api.tag import Tag
from resolvers.data.arns import DIRECT_CONNECT_ARN, arn_region
from resolvers.validation import Checks

__all__ = [
    "ResourceTagsPayload",
    "TagInput",
    "TagResourceInput",
    "UntagResourceInput",
    "arn_region",
]

TAG_KEY_MAX = 128
_TAG_PUNCTUATION = frozenset("_.:/=+-@")
RESOURCE_ARN_DESCRIPTION = (
    "The Amazon Resource Name (ARN) of the resource: "
    "`arn:aws:directconnect:<region>:<account>:dxcon|dxlag|dxvif/<id>`, or "
    "`arn:aws:directconnect::<account>:dx-gateway/<id>` for a Direct Connect gateway (global). "
    "The call goes to the ARN's Region, which the gateway must serve."
)


def check_arn_scope(checks: Checks, name: str, arn: str) -> None:
    """Regional resources' ARNs name a Region; a DX gateway's (global) names none."""
    match = DIRECT_CONNECT_ARN.match(arn)
    if match is None:
        return
    region, kind = match.groups()
    if kind == "dx-gateway" and region:
        checks.fail(name, "INVALID_FORMAT", "a Direct Connect gateway ARN has no Region")
    elif kind != "dx-gateway" and not region:
        checks.fail(name, "INVALID_FORMAT", f"a {kind} ARN must name its Region")


def check_tag_keys(checks: Checks, name: str, keys: Sequence[str]) -> None:
    """At least one key; each 1-128 characters of AWS's tag alphabet."""
    if not keys:
        checks.fail(name, "REQUIRED", "needs at least one tag key")
    for index, key in enumerate(keys):
        where = f"{name}[{index}]"
        if not 1 <= len(key) <= TAG_KEY_MAX:
            checks.fail(where, "TOO_LONG", f"must be 1-{TAG_KEY_MAX} characters")
        elif not all(ch in _TAG_PUNCTUATION or unicodedata.category(ch)[0] in "LNZ" for ch in key):
            checks.fail(
                where,
                "INVALID_FORMAT",
                "may contain letters, digits, spaces and _ . : / = + - @ only",
            )


@strawberry.input(description="Information about a tag: a key and an optional value.")
class TagInput:
    key: str = strawberry.field(description="The key (1-128 characters).")
    value: str | None = strawberry.field(
        default=None, description="The value (0-256 characters), if any."
    )


@strawberry.input(
    description=(
        "TagResource: add tags to a Direct Connect resource (at most 50 per resource); a key "
        "the resource already has gets the new value."
    )
)
class TagResourceInput:
    resource_arn: str = strawberry.field(description=RESOURCE_ARN_DESCRIPTION)
    tags: list[TagInput] = strawberry.field(description="The tags to add (1-50, unique keys).")

    def validate(self, checks: Checks) -> None:
        if checks.required("resourceArn", self.resource_arn):
            checks.arn("resourceArn", self.resource_arn)
            check_arn_scope(checks, "resourceArn", self.resource_arn)
        checks.tags("tags", [(t.key, t.value) for t in self.tags])

    def to_aws(self) -> dict[str, Any]:
        tags: list[dict[str, str]] = []
        for tag in self.tags:
            entry = {"key": tag.key}
            if tag.value is not None:
                entry["value"] = tag.value
            tags.append(entry)
        return {"resourceArn": self.resource_arn, "tags": tags}


@strawberry.input(description="UntagResource: remove tags from a Direct Connect resource by key.")
class UntagResourceInput:
    resource_arn: str = strawberry.field(description=RESOURCE_ARN_DESCRIPTION)
    tag_keys: list[str] = strawberry.field(
        description="The tag keys of the tags to remove (at least one)."
    )

    def validate(self, checks: Checks) -> None:
        if checks.required("resourceArn", self.resource_arn):
            checks.arn("resourceArn", self.resource_arn)
            check_arn_scope(checks, "resourceArn", self.resource_arn)
        check_tag_keys(checks, "tagKeys", self.tag_keys)

    def to_aws(self) -> dict[str, Any]:
        return {"resourceArn": self.resource_arn, "tagKeys": list(self.tag_keys)}


@strawberry.type(description="A resource's tags, read afresh after a tag mutation.")
class ResourceTagsPayload:
    resource_arn: str = strawberry.field(
        description="The Amazon Resource Name (ARN) of the resource."
    )
    tags: list[Tag] = strawberry.field(description="Every tag the resource now carries.")

"""Tag rules shared by TagResource and every create that takes `tags`: 50 per resource, keys
1–128 and values 0–256 characters of Unicode letters, digits, spaces and `_ . : / = + - @`
(AWS's `^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$`), each key once per request.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from dxsim.exceptions import (
    DirectConnectClientException,
    DuplicateTagKeysException,
    TooManyTagsException,
)

MAX_TAGS_PER_RESOURCE = 50
MAX_DESCRIBE_TAGS_ARNS = 20
TAG_KEY_MAX = 128
TAG_VALUE_MAX = 256
_TAG_PUNCTUATION = frozenset("_.:/=+-@")


def _tag_text_ok(text: str) -> bool:
    """True if every character is in AWS's tag class: letters, separators, numbers, `_.:/=+-@`."""
    return all(ch in _TAG_PUNCTUATION or unicodedata.category(ch)[0] in "LZN" for ch in text)


def check_tag(tag: dict[str, Any]) -> None:
    key = str(tag["key"])
    if not 1 <= len(key) <= TAG_KEY_MAX or not _tag_text_ok(key):
        raise DirectConnectClientException(
            f"Tag key {key!r} is not valid: it must be 1-{TAG_KEY_MAX} characters of letters, "
            f"digits, spaces and _ . : / = + - @"
        )
    value = tag.get("value")
    if value is not None and (len(value) > TAG_VALUE_MAX or not _tag_text_ok(value)):
        raise DirectConnectClientException(
            f"Tag value {value!r} for key {key!r} is not valid: it must be 0-{TAG_VALUE_MAX} "
            f"characters of letters, digits, spaces and _ . : / = + - @"
        )


def checked_tags(tags: list[dict[str, Any]], resource: str) -> list[dict[str, Any]]:
    """The tags a create call sets, validated as TagResource validates them.

    Raises:
        DirectConnectClientException: a key or value AWS refuses.
        DuplicateTagKeysException: a key given twice.
        TooManyTagsException: more than 50 tags.
    """
    seen: set[str] = set()
    result = []
    for tag in tags:
        check_tag(tag)
        if tag["key"] in seen:
            raise DuplicateTagKeysException(
                f"Tag key {tag['key']!r} appears more than once in the request; give each key once."
            )
        seen.add(tag["key"])
        entry = {"key": tag["key"]}
        if tag.get("value") is not None:
            entry["value"] = tag["value"]
        result.append(entry)
    if len(result) > MAX_TAGS_PER_RESOURCE:
        raise TooManyTagsException(
            f"{resource} would have {len(result)} tags; each resource can have a maximum of "
            f"{MAX_TAGS_PER_RESOURCE} tags."
        )
    return result

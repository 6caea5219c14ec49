"""Custom scalars: `BigInt` for ASNs, which exceed GraphQL's 32-bit `Int` (up to 4294967294).

Annotate fields with `BigInt` (a NewType of int); the schema maps it to `BIG_INT` through
`StrawberryConfig.scalar_map`.
"""

from __future__ import annotations

from typing import Any, NewType

import strawberry

BigInt = NewType("BigInt", int)

_MIN, _MAX = -(2**63), 2**63 - 1


def _parse_big_int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError(f"BigInt must be an integer, got {value!r}")
    number = int(value)
    if not _MIN <= number <= _MAX:
        raise ValueError(f"BigInt out of 64-bit range: {value!r}")
    return number


BIG_INT = strawberry.scalar(
    name="BigInt",
    description=(
        "A 64-bit signed integer, serialized as a JSON number. Used for BGP ASNs, which can "
        "exceed GraphQL's 32-bit Int (4-byte ASNs go up to 4294967294)."
    ),
    serialize=int,
    parse_value=_parse_big_int,
)

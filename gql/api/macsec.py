"""MACsec keys: the CKN/CAK pairs on connections, LAGs and interconnects (no I/O).

One type for the three resource kinds, since their describe answers embed the same key shape.
The CAK never appears in a response (AWS keeps it in Secrets Manager), so `MacSecKey` has no
field for it.
"""

from __future__ import annotations

from typing import Any

import strawberry

from gql.api.enums import MacSecKeyState, parse_enum

__all__ = ["MacSecKey", "mac_sec_keys"]


@strawberry.type(
    description=(
        "A MACsec secret key (CKN/CAK pair) associated with a connection, LAG or interconnect. "
        "The CAK is never returned."
    )
)
class MacSecKey:
    secret_arn: str | None = strawberry.field(
        name="secretARN",
        description="The ARN of the Secrets Manager secret holding the CKN/CAK pair.",
    )
    ckn: str | None = strawberry.field(
        description="The Connection Key Name (CKN), 64 hexadecimal characters."
    )
    state: MacSecKeyState | None = strawberry.field(description="The state of the key.")
    start_on: str | None = strawberry.field(
        description="When the key became, or becomes, active on the port (as AWS sends it)."
    )

    @classmethod
    def from_aws(cls, data: dict[str, Any]) -> MacSecKey:
        return cls(
            secret_arn=data.get("secretARN"),
            ckn=data.get("ckn"),
            state=parse_enum(MacSecKeyState, data.get("state")),
            start_on=data.get("startOn"),
        )


def mac_sec_keys(data: dict[str, Any]) -> list[MacSecKey]:
    """The keys of a connection, LAG or interconnect describe answer (none when it has none)."""
    return [MacSecKey.from_aws(key) for key in data.get("macSecKeys") or []]

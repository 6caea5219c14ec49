"""Identifiers shaped as AWS shapes them (dx-facts.md §5.1), from one prefix table."""

from __future__ import annotations

import random
import secrets
import string
import uuid

PREFIXES = {
    "connection": "dxcon",
    "interconnect": "dxcon",
    "lag": "dxlag",
    "virtual_interface": "dxvif",
    "bgp_peer": "dxpeer",
    "failover_test": "dxtest",
}

_ALNUM = string.ascii_lowercase + string.digits


class IdFactory:
    """Makes IDs; seeded for reproducible demo data, random otherwise.

    Real IDs are `dxcon-` + 8 lowercase alphanumerics and usually start with `f`; so do ours.
    """

    def __init__(self, seed: int | None = None) -> None:
        self._rng = random.Random(seed) if seed is not None else random.SystemRandom()

    def _chars(self, n: int) -> str:
        return "".join(self._rng.choice(_ALNUM) for _ in range(n))

    def short(self, kind: str) -> str:
        """`dxcon-fg31dyv6`-style ID for a connection, LAG, VIF, BGP peer or interconnect."""
        return f"{PREFIXES[kind]}-f{self._chars(7)}"

    def uuid(self) -> str:
        """Lowercase UUID, as DX gateway, association and proposal IDs are."""
        return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))

    def aws_device(self, location: str) -> str:
        """`EqDC2-1a2b3c4d5e6f`: the location code, a dash and 12 lowercase alphanumerics."""
        return f"{location}-{self._chars(12)}"

    def auth_key(self) -> str:
        """An Amazon-generated BGP MD5 key, `0x` + 22 characters (dx-facts.md §5.1)."""
        alphabet = string.ascii_letters + string.digits
        return "0x" + "".join(self._rng.choice(alphabet) for _ in range(22))

    def alnum(self, n: int) -> str:
        """`n` lowercase alphanumerics (resiliency group IDs are `dxrg-` + 17 of them)."""
        return self._chars(n)

    def hex(self, n: int) -> str:
        return "".join(self._rng.choice("0123456789abcdef") for _ in range(n))


def random_token() -> str:
    return secrets.token_urlsafe(16)

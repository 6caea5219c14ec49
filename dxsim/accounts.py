"""Who is calling: credentials → account, and the caller's (account, region)."""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from pathlib import Path

DEFAULT_ACCOUNT = "123456789012"
DEFAULT_ACCESS_KEY = "test"
DEFAULT_SECRET = "test"
_TWELVE_DIGITS = re.compile(r"^\d{12}$")


@dataclass(frozen=True)
class Caller:
    """The account and region a request acts in (region from the SigV4 credential scope)."""

    account: str
    region: str


@dataclass(frozen=True)
class Credential:
    access_key: str
    secret_key: str
    account: str


class CredentialStore:
    """Maps access keys to secrets and accounts.

    With no file, key `test` is account 123456789012 and any 12-digit key is that account, both
    with secret `test` — zero setup for tests with two accounts. With a file (JSON list of
    `{"accessKeyId", "secretAccessKey", "accountId"}`), only the listed keys are accepted.
    """

    def __init__(self, credentials: list[Credential] | None = None) -> None:
        self._explicit = {c.access_key: c for c in credentials or []}
        self.restricted = credentials is not None
        self._temporary: dict[str, tuple[Credential, str, float]] = {}

    def add_temporary(self, credential: Credential, session_token: str, expires: float) -> None:
        """Temporary credentials handed out by STS AssumeRole (valid with their session token)."""
        self._temporary[credential.access_key] = (credential, session_token, expires)

    def session_token_of(self, access_key: str) -> str | None:
        """The session token temporary credentials must carry (None for long-term keys)."""
        entry = self._temporary.get(access_key)
        return None if entry is None else entry[1]

    @classmethod
    def from_file(cls, path: str | Path) -> CredentialStore:
        entries = json.loads(Path(path).read_text())
        return cls(
            [
                Credential(e["accessKeyId"], e["secretAccessKey"], str(e["accountId"]))
                for e in entries
            ]
        )

    def lookup(self, access_key: str) -> Credential | None:
        temporary = self._temporary.get(access_key)
        if temporary is not None:
            return temporary[0] if temporary[2] > time.time() else None
        if access_key in self._explicit:
            return self._explicit[access_key]
        if self.restricted:
            return None
        if access_key == DEFAULT_ACCESS_KEY:
            return Credential(access_key, DEFAULT_SECRET, DEFAULT_ACCOUNT)
        if _TWELVE_DIGITS.match(access_key):
            return Credential(access_key, DEFAULT_SECRET, access_key)
        return None

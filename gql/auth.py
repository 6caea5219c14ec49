"""Who is calling: API keys and JWT bearer tokens, mapped to scopes (`read`, `write`, `secrets`).

`install_auth` puts an authentication middleware in front of `/graphql` and the LOA downloads;
it stores the caller's `Principal` on `request.state.principal`. With no API key and no JWT key
configured, the gateway runs open (every caller may read and write; secrets stay masked) and
says so at startup.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import FastAPI, Request

from gql.settings import Settings

ALL_SCOPES = frozenset({"read", "write", "secrets"})


@dataclass(frozen=True)
class Principal:
    """An authenticated caller.

    Attributes:
        name: the API key's name or the token's subject (logs and metrics; never a secret).
        scopes: what the caller may do.
        role_arn: an IAM role the caller's upstream calls act as, if any.
    """

    name: str
    scopes: frozenset[str] = field(default_factory=frozenset)
    role_arn: str | None = None


# Open mode (no authentication configured) may read and write, but BGP keys stay masked.
OPEN = Principal(name="anonymous", scopes=frozenset({"read", "write"}))


def principal_of(request: Request) -> Principal:
    """The caller `install_auth`'s middleware identified (`OPEN` when no auth is configured)."""
    principal = getattr(request.state, "principal", None)
    return principal if isinstance(principal, Principal) else OPEN


def install_auth(app: FastAPI, settings: Settings) -> None:
    """Adds authentication in front of the API when API keys or a JWT key are configured."""

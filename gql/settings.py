"""The gateway's settings: one pydantic-settings class read from `DXGRAPH_*` environment variables.

Every field carries a `description`; the README's settings table is written from them. Build the
app with `create_app(Settings(...))` in tests and use `get_settings()` (cached) everywhere else.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

# AWS region names: two letters, one or more words, a number ("us-east-1", "us-gov-west-1",
# "ap-southeast-2", "il-central-1"). Loose on purpose: new regions must not need a release.
REGION_PATTERN = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d{1,2}$")

Upstream = Literal["sim", "endpoint", "aws"]


class Settings(BaseSettings):
    """Everything the gateway can be told, with defaults that run it on the embedded simulator.

    Each field `name` is read from the environment variable `DXGRAPH_<NAME>`; empty variables
    count as unset. Two rules tie fields together:

    * `dx_endpoint` set while `upstream` is not set explicitly selects `upstream="endpoint"`, so
      `DXGRAPH_DX_ENDPOINT=http://…` alone points the gateway at that endpoint.
    * `upstream="endpoint"` requires `dx_endpoint`. In `sim` mode the app fills `dx_endpoint`
      itself once the embedded simulator listens (`settings.model_copy(update=...)`).
    """

    model_config = SettingsConfigDict(
        env_prefix="DXGRAPH_",
        env_ignore_empty=True,
        extra="ignore",
        validate_default=True,
    )

    # -- upstream ------------------------------------------------------------------------------
    upstream: Upstream = Field(
        default="sim",
        description=(
            "Where Direct Connect calls go: `sim` starts the embedded dxsim (demo topology, no AWS "
            "account needed); `endpoint` uses any Direct Connect-compatible endpoint at "
            "`dx_endpoint` with the static keys below; `aws` uses real AWS with the standard "
            "credential chain (environment, profile, SSO, instance role)."
        ),
    )
    dx_endpoint: str | None = Field(
        default=None,
        description=(
            "Endpoint URL of a Direct Connect-compatible API, e.g. `http://127.0.0.1:8799` for a "
            "separate `dxgraph sim`. Setting it without `upstream` selects `endpoint` mode. In "
            "`aws` mode it overrides the AWS endpoint (e.g. a VPC interface endpoint)."
        ),
    )
    regions: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["us-east-1", "us-west-2"],
        description=(
            "Regions the gateway serves, comma-separated (`us-east-1,eu-west-1`) or a JSON list. "
            "Lists fan out over all of them; the first one carries the calls for global "
            "resources (Direct Connect gateways)."
        ),
    )
    aws_access_key_id: str | None = Field(
        default="test",
        description=(
            "Access key for `sim` and `endpoint` modes (dxsim accepts `test`, or any 12-digit "
            "account number). Ignored in `aws` mode, which uses the credential chain."
        ),
    )
    aws_secret_access_key: SecretStr | None = Field(
        default=SecretStr("test"),
        description="Secret key for `sim` and `endpoint` modes; never logged or shown.",
    )
    account_id: str | None = Field(
        default=None,
        pattern=r"^\d{12}$",
        description=(
            "The AWS account the credentials belong to: scopes cached data and completes the ARNs "
            "Direct Connect's shapes lack. When unset: STS in `aws` mode, else the access key if "
            "it is 12 digits, else 123456789012 (the `test` key's account); caches are then "
            "scoped by a hash of the access key id."
        ),
    )
    connect_timeout: float = Field(
        default=2.0, gt=0, description="Seconds to wait for a connection to Direct Connect."
    )
    read_timeout: float = Field(
        default=10.0, gt=0, description="Seconds to wait for a Direct Connect response."
    )
    retry_mode: Literal["standard", "adaptive"] = Field(
        default="standard",
        description=(
            "botocore retry mode: `standard` (exponential backoff with jitter) or `adaptive` "
            "(standard plus client-side rate limiting after throttling)."
        ),
    )
    max_attempts: int = Field(
        default=3,
        ge=1,
        le=10,
        description="Total attempts per Direct Connect call, the first one included (1-10).",
    )
    upstream_workers: int = Field(
        default=16,
        ge=1,
        le=256,
        description=(
            "Threads that run Direct Connect calls off the event loop; also the minimum HTTP "
            "connection pool size per region."
        ),
    )

    # -- cache ---------------------------------------------------------------------------------
    cache_backend: Literal["memory", "redis"] = Field(
        default="memory",
        description=(
            "Where upstream responses are cached: `memory` (per process) or `redis` (shared by "
            "all replicas, including invalidation)."
        ),
    )
    redis_url: str = Field(
        default="redis://127.0.0.1:6379/0",
        description="Redis for `cache_backend=redis`: `redis://[user:password@]host:port/db` "
        "(`rediss://` for TLS).",
    )
    cache_ttl_seconds: float = Field(
        default=30.0, gt=0, description="How long an upstream response is served from the cache."
    )
    cache_namespace: str = Field(
        default="dxgraph",
        pattern=r"^[A-Za-z0-9_.-]+$",
        description="Prefix of every cache key, so several deployments can share one Redis.",
    )

    # -- server --------------------------------------------------------------------------------
    host: str = Field(
        default="127.0.0.1", min_length=1, description="Address `dxgraph serve` binds to."
    )
    port: int = Field(
        default=8000, ge=0, le=65535, description="Port `dxgraph serve` listens on (0: any free)."
    )
    graphiql: bool = Field(default=True, description="Serve GraphiQL at `/graphql`.")
    read_only: bool = Field(
        default=False,
        description="Refuse every mutation (code `FORBIDDEN`): a gateway for reading only.",
    )

    # -- embedded simulator (upstream=sim) -----------------------------------------------------
    sim_state_dir: str = Field(
        default=".dxgraph",
        min_length=1,
        description="Folder for the embedded simulator's state file, kept across restarts.",
    )
    sim_seed: Literal["demo", "empty"] = Field(
        default="demo",
        description="What the embedded simulator starts with when its state is empty.",
    )
    sim_provisioning_delay: float = Field(
        default=5.0,
        ge=0,
        description="Simulated seconds between lifecycle steps in the embedded simulator.",
    )

    @field_validator("regions", mode="before")
    @classmethod
    def _split_regions(cls, value: Any) -> Any:
        if isinstance(value, str):
            if value.lstrip().startswith("["):
                return json.loads(value)
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("regions")
    @classmethod
    def _check_regions(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("at least one region is required")
        bad = [region for region in value if not REGION_PATTERN.match(region)]
        if bad:
            raise ValueError(
                f"not AWS region names: {', '.join(map(repr, bad))} (expected e.g. 'us-east-1')"
            )
        return list(dict.fromkeys(value))

    @field_validator("dx_endpoint")
    @classmethod
    def _check_endpoint(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"must be an http(s) URL such as http://127.0.0.1:8799, not {value!r}")
        return value.rstrip("/")

    @field_validator("redis_url")
    @classmethod
    def _check_redis_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("redis", "rediss") or not parts.hostname:
            raise ValueError("must look like redis://host:port/db (or rediss:// for TLS)")
        return value

    @model_validator(mode="after")
    def _check_upstream(self) -> Settings:
        if self.dx_endpoint and "upstream" not in self.model_fields_set:
            self.upstream = "endpoint"
        if self.upstream == "endpoint" and not self.dx_endpoint:
            raise ValueError("upstream 'endpoint' needs dx_endpoint (DXGRAPH_DX_ENDPOINT)")
        return self

    @property
    def home_region(self) -> str:
        """The region that carries calls for global resources (Direct Connect gateways)."""
        return self.regions[0]


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read from the environment once.

    Tests should build `Settings(...)` directly instead; call `get_settings.cache_clear()` if a
    test must change the environment and re-read it.
    """
    return Settings()

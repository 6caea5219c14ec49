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

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

# AWS region names: two letters, one or more words, a number ("us-east-1", "us-gov-west-1",
# "ap-southeast-2", "il-central-1"). Loose on purpose: new regions must not need a release.
REGION_PATTERN = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d{1,2}$")

Upstream = Literal["sim", "endpoint", "aws"]
Scope = Literal["read", "write", "secrets"]


def _read_only() -> list[Scope]:
    return ["read"]


class ApiKey(BaseModel):
    """One API key: who it is, what it may do, and (optionally) which IAM role it acts as."""

    model_config = ConfigDict(populate_by_name=True, extra="forbid")

    name: str = Field(min_length=1, description="Who holds the key (shown in logs and metrics).")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="Hex SHA-256 of the key.")
    scopes: list[Scope] = Field(default_factory=_read_only, description="Granted scopes.")
    role_arn: str | None = Field(
        default=None, alias="roleArn", description="IAM role to assume for this caller's calls."
    )


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
    request_timeout_seconds: float = Field(
        default=20.0,
        gt=0,
        description=(
            "Deadline of one GraphQL request: past it the request is answered (partial data and a "
            "coded `DEADLINE_EXCEEDED` error for what did not finish) instead of hanging."
        ),
    )
    max_attempts: int = Field(
        default=3,
        ge=1,
        le=10,
        description="Total attempts per Direct Connect call, the first one included (1-10).",
    )
    upstream_workers: int = Field(
        default=32,
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
    runtime_tuning: bool = Field(
        default=True,
        description=(
            "Tune the Python runtime for a gateway, once per process at startup: freeze what "
            "startup built and collect young objects every 5,000 allocations instead of 700 "
            "(untuned, the 1,000-VIF topology query spends about half of its time in the "
            "garbage collector), and let threads take turns every 1 ms instead of 5 ms (the "
            "threads that talk to Direct Connect are not held up while an answer is resolved)."
        ),
    )

    # -- authentication (gql/auth.py) ----------------------------------------------------------
    api_keys: Annotated[list[ApiKey], NoDecode] = Field(
        default_factory=list,
        description=(
            'API keys, as a JSON list of `{"name", "sha256", "scopes", "roleArn"}`: '
            "`sha256` is the hex SHA-256 of the key (the key itself is never stored), `scopes` "
            "any of `read`, `write`, `secrets`, `roleArn` an optional IAM role to act as. Callers "
            "send the key in the `X-API-Key` header."
        ),
    )
    jwt_issuer: str | None = Field(
        default=None, description="JWT bearer tokens: the required `iss` claim."
    )
    jwt_audience: str | None = Field(
        default=None, description="JWT bearer tokens: the required `aud` claim."
    )
    jwt_jwks_url: str | None = Field(
        default=None, description="JWT bearer tokens: the JWKS URL holding the signing keys."
    )
    jwt_public_key: SecretStr | None = Field(
        default=None,
        description=(
            "JWT bearer tokens: a static verification key instead of a JWKS URL (a PEM public "
            "key for RS*/ES*, or the shared secret for HS256)."
        ),
    )
    jwt_algorithms: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["RS256", "ES256"],
        description="JWT bearer tokens: accepted signing algorithms, comma-separated.",
    )
    jwt_scopes_claim: str = Field(
        default="scope",
        description=(
            "JWT bearer tokens: the claim holding the scopes (a space-separated string or a list)."
        ),
    )
    jwt_role_claim: str | None = Field(
        default=None,
        description="JWT bearer tokens: a claim naming an IAM role ARN for the caller to act as.",
    )
    insecure: bool = Field(
        default=False,
        description=(
            "Allow binding to a non-loopback address with no authentication configured "
            "(otherwise `dxgraph serve` refuses to start)."
        ),
    )
    sts_endpoint: str | None = Field(
        default=None,
        description="STS endpoint for assuming per-caller roles (default: AWS's; dxsim in tests).",
    )

    # -- limits (gql/limits.py) -----------------------------------------------------------------
    max_depth: int = Field(default=12, ge=1, le=100, description="Deepest query nesting allowed.")
    max_aliases: int = Field(default=30, ge=1, le=1000, description="Most aliases in one query.")
    max_tokens: int = Field(
        default=5000, ge=10, le=1_000_000, description="Most GraphQL tokens in one document."
    )
    max_body_bytes: int = Field(
        default=1_000_000, ge=1024, description="Largest request body accepted, in bytes."
    )
    max_upstream_calls: int = Field(
        default=500,
        ge=1,
        description=(
            "Upstream-call budget of one query, estimated from the fields it requests before it "
            "runs; a query over it is refused (code `COST_LIMIT_EXCEEDED`)."
        ),
    )
    rate_limit_per_minute: float = Field(
        default=600,
        ge=0,
        description=(
            "Requests per minute per caller (token bucket; Redis-backed when the cache is); "
            "0 disables. Over it: HTTP 429 with `Retry-After`."
        ),
    )
    rate_limit_burst: int = Field(
        default=60, ge=1, description="Requests a caller may send at once before the rate applies."
    )

    # -- observability (gql/observability.py) ---------------------------------------------------
    log_format: Literal["json", "text"] = Field(
        default="json", description="Log lines as JSON objects (with request IDs) or plain text."
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        default="INFO", description="Least severe log level written."
    )
    metrics: bool = Field(default=True, description="Serve Prometheus metrics at `/metrics`.")
    otel_endpoint: str | None = Field(
        default=None,
        description=(
            "OpenTelemetry: an OTLP/HTTP endpoint for traces (operation and upstream-call spans); "
            "unset disables tracing."
        ),
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

    @field_validator("api_keys", mode="before")
    @classmethod
    def _parse_api_keys(cls, value: Any) -> Any:
        if isinstance(value, str):
            return json.loads(value) if value.strip() else []
        return value

    @field_validator("jwt_algorithms", mode="before")
    @classmethod
    def _split_algorithms(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @property
    def auth_configured(self) -> bool:
        """Whether callers must authenticate (API keys or JWT configured)."""
        return bool(self.api_keys) or bool(self.jwt_jwks_url or self.jwt_public_key)

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

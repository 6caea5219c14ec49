"""Settings: defaults, `DXGRAPH_*` environment variables, validation, and the cached accessor."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from pydantic import ValidationError

from gql.settings import Settings, get_settings


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in [n for n in os.environ if n.startswith("DXGRAPH_")]:
        monkeypatch.delenv(name)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_defaults_run_on_the_embedded_simulator() -> None:
    settings = Settings()
    assert settings.upstream == "sim"
    assert settings.dx_endpoint is None
    assert settings.regions == ["us-east-1", "us-west-2"]
    assert settings.home_region == "us-east-1"
    assert settings.aws_access_key_id == "test"
    assert settings.aws_secret_access_key is not None
    assert settings.aws_secret_access_key.get_secret_value() == "test"
    assert (settings.connect_timeout, settings.read_timeout) == (2.0, 10.0)
    assert (settings.retry_mode, settings.max_attempts, settings.upstream_workers) == (
        "standard",
        3,
        32,
    )
    assert (settings.cache_backend, settings.cache_ttl_seconds, settings.cache_namespace) == (
        "memory",
        30.0,
        "dxgraph",
    )
    assert settings.redis_url == "redis://127.0.0.1:6379/0"
    assert (settings.host, settings.port, settings.graphiql) == ("127.0.0.1", 8000, True)
    assert (settings.sim_state_dir, settings.sim_seed, settings.sim_provisioning_delay) == (
        ".dxgraph",
        "demo",
        5.0,
    )


def test_environment_variables_are_read_with_the_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DXGRAPH_REGIONS", "us-east-1, eu-west-1")
    monkeypatch.setenv("DXGRAPH_PORT", "9000")
    monkeypatch.setenv("DXGRAPH_GRAPHIQL", "false")
    monkeypatch.setenv("DXGRAPH_RETRY_MODE", "adaptive")
    monkeypatch.setenv("DXGRAPH_CACHE_BACKEND", "redis")
    monkeypatch.setenv("DXGRAPH_ACCOUNT_ID", "123456789012")
    monkeypatch.setenv("DXGRAPH_SOMETHING_ELSE", "ignored")
    monkeypatch.setenv("PORT", "1234")
    settings = Settings()
    assert settings.regions == ["us-east-1", "eu-west-1"]
    assert (settings.port, settings.graphiql, settings.retry_mode) == (9000, False, "adaptive")
    assert (settings.cache_backend, settings.account_id) == ("redis", "123456789012")


def test_regions_accept_a_json_list_and_drop_duplicates(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DXGRAPH_REGIONS", '["eu-west-1","us-gov-west-1","eu-west-1"]')
    assert Settings().regions == ["eu-west-1", "us-gov-west-1"]


def test_empty_variables_count_as_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DXGRAPH_PORT", "")
    monkeypatch.setenv("DXGRAPH_DX_ENDPOINT", "")
    settings = Settings()
    assert (settings.port, settings.upstream, settings.dx_endpoint) == (8000, "sim", None)


def test_the_secret_key_is_never_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DXGRAPH_AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI-not-for-logs")
    settings = Settings()
    assert settings.aws_secret_access_key is not None
    assert settings.aws_secret_access_key.get_secret_value() == "wJalrXUtnFEMI-not-for-logs"
    assert "wJalrXUtnFEMI" not in f"{settings!r} {settings} {settings.model_dump()}"


def test_a_dx_endpoint_alone_selects_endpoint_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DXGRAPH_DX_ENDPOINT", "http://127.0.0.1:8799/")
    settings = Settings()
    assert (settings.upstream, settings.dx_endpoint) == ("endpoint", "http://127.0.0.1:8799")


def test_an_explicit_upstream_wins_over_the_endpoint_rule() -> None:
    assert Settings(upstream="sim", dx_endpoint="http://127.0.0.1:1").upstream == "sim"
    assert Settings(upstream="aws", dx_endpoint="https://dx.example").upstream == "aws"
    assert Settings(upstream="aws").dx_endpoint is None


def test_endpoint_mode_needs_an_endpoint() -> None:
    with pytest.raises(ValidationError, match="dx_endpoint"):
        Settings(upstream="endpoint")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("regions", "us-east-1,useast1"),
        ("regions", "US-EAST-1"),
        ("regions", " , "),
        ("connect_timeout", "0"),
        ("read_timeout", "-1"),
        ("max_attempts", "0"),
        ("max_attempts", "11"),
        ("retry_mode", "legacy"),
        ("upstream", "moto"),
        ("upstream_workers", "0"),
        ("dx_endpoint", "127.0.0.1:8799"),
        ("account_id", "12345"),
        ("cache_backend", "memcached"),
        ("redis_url", "http://127.0.0.1:6379"),
        ("cache_ttl_seconds", "0"),
        ("cache_namespace", "has space"),
        ("port", "70000"),
        ("sim_seed", "full"),
        ("sim_provisioning_delay", "-1"),
    ],
)
def test_out_of_range_values_are_refused(
    monkeypatch: pytest.MonkeyPatch, field: str, value: str
) -> None:
    monkeypatch.setenv(f"DXGRAPH_{field.upper()}", value)
    with pytest.raises(ValidationError) as excinfo:
        Settings()
    assert excinfo.value.errors()[0]["loc"][0] == field


def test_every_field_is_documented_for_the_readme() -> None:
    undocumented = [
        name for name, field in Settings.model_fields.items() if not (field.description or "")
    ]
    assert undocumented == []


def test_get_settings_reads_the_environment_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DXGRAPH_PORT", "9001")
    first = get_settings()
    monkeypatch.setenv("DXGRAPH_PORT", "9002")
    assert get_settings() is first
    assert first.port == 9001
    get_settings.cache_clear()
    assert get_settings().port == 9002


def test_readme_documents_every_setting() -> None:
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    missing = [
        name for name in Settings.model_fields if f"| `DXGRAPH_{name.upper()}` |" not in readme
    ]
    assert missing == []

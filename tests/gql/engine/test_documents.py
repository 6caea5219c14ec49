"""Remembered documents (gql/documents.py): a repeated operation skips parsing and the validation
that cannot change, but every gateway's limits and every refusal still apply on every request."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from gql.http.server import GatewayServer
from gql.settings import Settings
from tests.gql.conftest import post

LISTS = "{ lags { lagId } connections { connectionId } }"


@contextmanager
def gateway_with(settings: Settings, **changes: Any) -> Iterator[GatewayServer]:
    with GatewayServer(settings.model_copy(update=changes)) as server:
        yield server


def codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors") or []]


def test_a_repeated_operation_is_still_estimated_on_every_request(
    gateway_settings: Settings,
) -> None:
    with gateway_with(gateway_settings) as gateway:
        first, again = post(gateway.url, LISTS), post(gateway.url, LISTS)
    assert "errors" not in first
    assert "errors" not in again
    assert again["extensions"]["cost"]["estimatedUpstreamCalls"] > 0
    assert (
        again["extensions"]["cost"]["estimatedUpstreamCalls"]
        == first["extensions"]["cost"]["estimatedUpstreamCalls"]
    )


def test_a_document_one_gateway_accepted_is_held_to_another_gateways_limits(
    gateway_settings: Settings,
) -> None:
    with (
        gateway_with(gateway_settings) as roomy,
        gateway_with(gateway_settings, max_upstream_calls=1, max_depth=1) as strict,
    ):
        assert "errors" not in post(roomy.url, LISTS)
        assert codes(post(strict.url, LISTS)) == ["COST_LIMIT_EXCEEDED"]
        deep = "{ lags { connections { connectionId } } }"
        assert "errors" not in post(roomy.url, deep)
        assert "QUERY_TOO_DEEP" in codes(post(strict.url, deep))


def test_a_refused_document_is_refused_again_with_a_fresh_error(
    gateway_settings: Settings,
) -> None:
    query = "{ lags { noSuchField } }"
    with gateway_with(gateway_settings) as gateway:
        first, again = post(gateway.url, query), post(gateway.url, query)
    assert first["data"] is None
    assert again["data"] is None
    assert first["errors"] == again["errors"]
    assert len(again["errors"]) == 1
    assert "noSuchField" in again["errors"][0]["message"]

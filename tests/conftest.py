"""Shared fixtures: a real dxsim server on an ephemeral loopback port, reached by real boto3."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import boto3
import httpx
import pytest
from botocore.config import Config

from dxsim import DXServer, Simulator

CUSTOMER = "123456789012"
PARTNER = "210987654321"
OTHER = "333333333333"
REGION = "us-east-1"


@pytest.fixture(scope="session")
def dx_server() -> Iterator[DXServer]:
    server = DXServer(Simulator())
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def dx_url(dx_server: DXServer) -> str:
    return dx_server.url


@pytest.fixture
def control(dx_url: str) -> Iterator[httpx.Client]:
    """HTTP client for the `/_dxsim/` control API."""
    with httpx.Client(base_url=f"{dx_url}/_dxsim", timeout=10) as client:
        yield client


@pytest.fixture(autouse=True)
def _reset_dx(dx_url: str) -> None:
    httpx.post(f"{dx_url}/_dxsim/reset", json={}, timeout=10).raise_for_status()


DxFactory = Callable[..., Any]


@pytest.fixture
def dx_for(dx_url: str) -> DxFactory:
    """`dx_for(account, region)` → a boto3 Direct Connect client signed as that account."""

    def make(account: str = CUSTOMER, region: str = REGION, **config: Any) -> Any:
        access_key = "test" if account == CUSTOMER else account
        return boto3.client(
            "directconnect",
            region_name=region,
            endpoint_url=dx_url,
            aws_access_key_id=access_key,
            aws_secret_access_key="test",
            config=Config(retries={"mode": "standard", "max_attempts": 3}, **config),
        )

    return make


@pytest.fixture
def dx(dx_for: DxFactory) -> Any:
    """The customer account (123456789012) in us-east-1."""
    return dx_for(CUSTOMER)


@pytest.fixture
def dx_partner(dx_for: DxFactory) -> Any:
    """A Direct Connect partner account (210987654321) in us-east-1."""
    return dx_for(PARTNER)


def advance(control: httpx.Client, seconds: float) -> None:
    control.post("/clock/advance", json={"seconds": seconds}).raise_for_status()


def set_delay(control: httpx.Client, seconds: float) -> None:
    control.put("/settings", json={"provisioningDelay": seconds}).raise_for_status()


def error_of(excinfo: pytest.ExceptionInfo[Any]) -> tuple[str, str]:
    """(code, message) of a botocore ClientError."""
    err = excinfo.value.response["Error"]
    return err["Code"], err["Message"]

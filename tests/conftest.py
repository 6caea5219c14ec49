"""Shared fixtures: a real dxsim server on an ephemeral loopback port, reached by real boto3."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import boto3
import botocore.session
import httpx
import pytest
import redis
from botocore.config import Config

from dxsim import DXServer, Simulator

CUSTOMER = "123456789012"
PARTNER = "210987654321"
OTHER = "333333333333"
REGION = "us-east-1"


# -- conformance mode: the aws_verified tests against a real Direct Connect endpoint ------------
# Fixtures that only the simulator has; a test using one cannot run against AWS.
SIMULATOR_ONLY_FIXTURES = frozenset(
    {"control", "dx_url", "dx_server", "dx_partner", "strict_server", "redis_url"}
)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("dxsim conformance", "run the aws_verified tests against real AWS")
    group.addoption(
        "--against-aws",
        action="store_true",
        help="run only the aws_verified tests, with the dx client on a real Direct Connect "
        "endpoint and boto3's default credentials; read-only tests unless --aws-writes",
    )
    group.addoption(
        "--aws-writes",
        action="store_true",
        help="with --against-aws, also run the aws_writes tests (they create and delete real "
        "resources in the account: a connection request, a DX gateway)",
    )
    group.addoption("--aws-region", default="us-east-1", help="with --against-aws: the Region")
    group.addoption(
        "--aws-endpoint",
        default=None,
        help="with --against-aws: an endpoint URL instead of the Region's public one",
    )


def against_aws(config: pytest.Config) -> bool:
    return bool(config.getoption("--against-aws", default=False))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """In conformance mode keeps the aws_verified tests that can run on a real endpoint."""
    if not against_aws(config):
        return
    writes = bool(config.getoption("--aws-writes"))
    keep: list[pytest.Item] = []
    drop: list[pytest.Item] = []
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        runnable = (
            item.get_closest_marker("aws_verified") is not None
            and (writes or item.get_closest_marker("aws_writes") is None)
            and not fixtures & SIMULATOR_ONLY_FIXTURES
        )
        (keep if runnable else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
    items[:] = keep


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
def _reset_dx(request: pytest.FixtureRequest) -> None:
    if against_aws(request.config):
        return
    dx_url = request.getfixturevalue("dx_url")
    httpx.post(f"{dx_url}/_dxsim/reset", json={}, timeout=10).raise_for_status()


DxFactory = Callable[..., Any]
PROTOCOLS = ("json", "cbor")


@cache
def cbor_models(root: str) -> str:
    """A botocore data directory whose Direct Connect model speaks only Smithy RPC v2 CBOR.

    botocore picks the first protocol of its own priority list that the model offers (`json`
    before `smithy-rpc-v2-cbor`, both offered by Direct Connect's model), and reads models from
    the `data_path` setting (AWS_DATA_PATH) before its bundled ones. A copy of the bundled model
    with `protocols: ["smithy-rpc-v2-cbor"]` there makes every client of that session speak CBOR;
    the endpoint rules and paginators still come from botocore's own data.
    """
    loader = botocore.session.get_session().get_component("data_loader")
    model = loader.load_service_model("directconnect", "service-2")
    version = model["metadata"]["apiVersion"]
    model["metadata"]["protocol"] = "smithy-rpc-v2-cbor"
    model["metadata"]["protocols"] = ["smithy-rpc-v2-cbor"]
    folder = Path(root) / "directconnect" / version
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "service-2.json").write_text(json.dumps(model))
    return root


def cbor_session() -> boto3.Session:
    """A boto3 session whose Direct Connect clients speak Smithy RPC v2 CBOR (see cbor_models)."""
    core = botocore.session.Session()
    core.set_config_variable("data_path", cbor_models(tempfile.mkdtemp(prefix="dxsim-cbor-")))
    return boto3.Session(botocore_session=core)


@cache
def _session(protocol: str) -> Any:
    return cbor_session() if protocol == "cbor" else boto3


@pytest.fixture
def dx_protocol() -> str:
    """The protocol the `dx*` clients speak: JSON here; tests/dxsim runs both (its conftest)."""
    return "json"


@pytest.fixture
def dx_for(request: pytest.FixtureRequest, dx_protocol: str) -> DxFactory:
    """`dx_for(account, region)` → a boto3 Direct Connect client signed as that account.

    With `--against-aws` it is a client of the real endpoint with boto3's default credentials,
    for the customer account only (the one those credentials belong to).
    """
    if against_aws(request.config):
        return _aws_client_factory(request.config, dx_protocol)
    dx_url = request.getfixturevalue("dx_url")

    def make(account: str = CUSTOMER, region: str = REGION, **config: Any) -> Any:
        access_key = "test" if account == CUSTOMER else account
        return _session(dx_protocol).client(
            "directconnect",
            region_name=region,
            endpoint_url=dx_url,
            aws_access_key_id=access_key,
            aws_secret_access_key="test",
            config=Config(**{"retries": {"mode": "standard", "max_attempts": 3}, **config}),
        )

    return make


def _aws_client_factory(config: pytest.Config, protocol: str) -> DxFactory:
    def make(account: str = CUSTOMER, region: str | None = None, **options: Any) -> Any:
        if account != CUSTOMER:
            pytest.skip("against AWS only the credentials' own account is available")
        return _session(protocol).client(
            "directconnect",
            region_name=region or config.getoption("--aws-region"),
            endpoint_url=config.getoption("--aws-endpoint"),
            config=Config(**{"retries": {"mode": "standard", "max_attempts": 3}, **options}),
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


def _ping(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """The local Redis (127.0.0.1:6379), else a throwaway `redis-server` on a free port."""
    default = "redis://127.0.0.1:6379/0"
    if _ping(default):
        yield default
        return
    binary = shutil.which("redis-server")
    if binary is None:
        reason = "Redis is not reachable at 127.0.0.1:6379 and redis-server is not installed"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}: the Redis cache backend cannot be tested in CI")
        pytest.skip(f"!!! REDIS BACKEND NOT TESTED: {reason} !!!")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    try:
        deadline = time.monotonic() + 5
        while not _ping(url):
            if time.monotonic() > deadline or process.poll() is not None:
                pytest.fail(f"redis-server on port {port} did not start")
            time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=5)

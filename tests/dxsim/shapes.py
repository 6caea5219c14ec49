"""Wire-level test helpers: SigV4-signed raw calls, and response checks against botocore's model.

boto3 drops response keys its model does not know and converts types as it parses, so a test that
looks only at boto3's result cannot see an extra key or a timestamp sent as a string. These helpers
look at what the server actually sent:

- `boto_client(url, attempts=1)` is a real boto3 client with a chosen retry budget.
- `raw_call(url, "DescribeConnections", {...})` signs a request as botocore would (SigV4, service
  `directconnect`) and sends it with httpx; options let a test break one thing at a time.
- `start_simulator(command, log=...)` runs the simulator as a process and reads its URL.
- `RawCapture(client)` records the raw body of every response a boto3 client receives.
- `output_errors(operation, body, raw=True)` lists every way a response differs from the
  operation's output shape; `assert_output_shape` fails the test with that list.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import re
import select
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import boto3
import botocore.session
import cbor2
import httpx
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.model import ServiceModel, Shape

JSON_11 = "application/x-amz-json-1.1"
TARGET_PREFIX = "OvertureService."
ROOT = Path(__file__).resolve().parents[2]


@cache
def service_model() -> ServiceModel:
    return botocore.session.get_session().get_service_model("directconnect")


# -- requests ----------------------------------------------------------------------------------
def boto_client(
    url: str,
    *,
    access_key: str = "test",
    secret_key: str = "test",
    region: str = "us-east-1",
    attempts: int = 1,
) -> Any:
    """A boto3 Direct Connect client with standard retries and `attempts` attempts in all."""
    return boto3.client(
        "directconnect",
        region_name=region,
        endpoint_url=url,
        aws_access_key_id=access_key,
        aws_secret_access_key=secret_key,
        config=Config(retries={"mode": "standard", "total_max_attempts": attempts}),
    )


def signed_headers(
    url: str,
    body: bytes,
    *,
    target: str | None,
    access_key: str = "test",
    secret_key: str = "test",
    region: str = "us-east-1",
    service: str = "directconnect",
    content_type: str | None = JSON_11,
) -> dict[str, str]:
    """Headers of a `POST {url}/` signed with botocore's own SigV4 signer."""
    headers: dict[str, str] = {}
    if content_type is not None:
        headers["Content-Type"] = content_type
    if target is not None:
        headers["X-Amz-Target"] = target
    request = AWSRequest(method="POST", url=f"{url}/", data=body, headers=headers)
    SigV4Auth(Credentials(access_key, secret_key), service, region).add_auth(request)
    return {name: str(value) for name, value in request.headers.items()}


def raw_call(
    url: str,
    operation: str | None,
    params: dict[str, Any] | None = None,
    *,
    body: bytes | None = None,
    target: str | None = None,
    sent_body: bytes | None = None,
    **signing: Any,
) -> httpx.Response:
    """Sends one signed Direct Connect request and returns the raw HTTP response.

    Args:
        operation: API name (`DescribeConnections`); sets `X-Amz-Target` unless `target` is given.
        params: the JSON body; `body` sends these exact bytes instead.
        sent_body: bytes to send in place of the signed body (tampering after signing).
        signing: `access_key`, `secret_key`, `region`, `service`, `content_type` for
            `signed_headers`.
    """
    payload = body if body is not None else json.dumps(params or {}).encode()
    if target is None and operation is not None:
        target = TARGET_PREFIX + operation
    headers = signed_headers(url, payload, target=target, **signing)
    content = sent_body if sent_body is not None else payload
    return http().post(f"{url}/", content=content, headers=headers)


@cache
def http() -> httpx.Client:
    """One keep-alive HTTP client for all raw calls (a new client per call costs ~20 ms)."""
    return httpx.Client(timeout=10)


class RawCapture:
    """Keeps the raw body (JSON or CBOR, decoded) of the last response boto3 clients received,
    and the protocol it came in, by operation name."""

    def __init__(self, *clients: Any) -> None:
        self.bodies: dict[str, Any] = {}
        self.wires: dict[str, str] = {}
        for client in clients:
            client.meta.events.register("after-call.directconnect", self._record)

    def _record(self, http_response: Any, model: Any, **_kwargs: Any) -> None:
        content = http_response.content
        if http_response.headers.get("content-type") == "application/cbor":
            self.bodies[model.name] = cbor2.loads(content) if content else {}
            self.wires[model.name] = "cbor"
        else:
            self.bodies[model.name] = json.loads(content or b"{}")
            self.wires[model.name] = "json"

    def last(self, operation: str) -> Any:
        return self.bodies[operation]

    def wire(self, operation: str) -> str:
        """`json` or `cbor`: what `output_errors(..., raw=...)` checks the raw body as."""
        return self.wires[operation]


@dataclass
class SimulatorProcess:
    """A simulator running as a process: its URL and what it has printed on stdout so far."""

    proc: subprocess.Popen[bytes]
    url: str
    output: str

    def read_output(self, quiet: float = 1.0) -> str:
        """Adds what the process prints until `quiet` seconds pass in silence; returns it all."""
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        while select.select([fd], [], [], quiet)[0]:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            self.output += chunk.decode()
        return self.output


def start_simulator(command: list[str], *, log: Path) -> SimulatorProcess:
    """Starts a simulator process (`dxgraph sim --port 0 ...`, `python -m dxsim ...`) and waits
    for the URL it prints; stderr goes to `log`. The caller must end the process."""
    with log.open("w") as stderr:
        proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=stderr)
    assert proc.stdout is not None
    fd = proc.stdout.fileno()
    output = ""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if select.select([fd], [], [], 0.5)[0]:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            output += chunk.decode()
            found = re.search(r"listening on (http://\S+)\n", output)
            if found:
                return SimulatorProcess(proc, found.group(1), output)
    proc.kill()
    proc.wait(timeout=10)
    raise AssertionError(f"{command} did not start: {output}{log.read_text()}")


# -- shape checks ------------------------------------------------------------------------------
def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_base64(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return False
    return True


# What a value of each model type must be: in the raw JSON body, and after boto3 parsed it.
TypeCheck = tuple[str, Callable[[Any], bool]]
_RAW_TYPES: dict[str, TypeCheck] = {
    "string": ("a JSON string", lambda v: isinstance(v, str)),
    "boolean": ("a JSON boolean", lambda v: isinstance(v, bool)),
    "integer": ("a JSON integer", _is_int),
    "long": ("a JSON integer", _is_int),
    "float": ("a JSON number", _is_number),
    "double": ("a JSON number", _is_number),
    "timestamp": ("a JSON number (epoch seconds)", _is_number),
    "blob": ("a base64 JSON string", _is_base64),
    "structure": ("a JSON object", lambda v: isinstance(v, dict)),
    "map": ("a JSON object", lambda v: isinstance(v, dict)),
    "list": ("a JSON array", lambda v: isinstance(v, list)),
}
# In a CBOR body (decoded by cbor2): tag-1 timestamps come out as datetimes, blobs as bytes.
_CBOR_TYPES: dict[str, TypeCheck] = {
    **_RAW_TYPES,
    "float": ("a CBOR float", lambda v: isinstance(v, float)),
    "double": ("a CBOR float", lambda v: isinstance(v, float)),
    "timestamp": ("a CBOR tag-1 timestamp", lambda v: isinstance(v, datetime)),
    "blob": ("a CBOR byte string", lambda v: isinstance(v, bytes)),
}
_PARSED_TYPES: dict[str, TypeCheck] = {
    **_RAW_TYPES,
    "timestamp": ("a datetime", lambda v: isinstance(v, datetime)),
    "blob": ("bytes", lambda v: isinstance(v, bytes)),
}


def shape_errors(shape: Shape, value: Any, *, raw: bool | str, path: str = "$") -> list[str]:
    """Every difference between `value` and `shape`: unknown keys, wrong types, values outside
    the model's enum, missing required members. `raw` selects JSON-body (True or "json"),
    CBOR-body ("cbor") or boto3-parsed (False) types."""
    kinds = _CBOR_TYPES if raw == "cbor" else _RAW_TYPES if raw else _PARSED_TYPES
    expected, matches = kinds[shape.type_name]
    if not matches(value):
        return [f"{path}: expected {expected} ({shape.name}), got {value!r}"]
    errors: list[str] = []
    enum = shape.enum if shape.type_name == "string" else []
    if enum and value not in enum:
        errors.append(f"{path}: {value!r} is not in {shape.name}'s enum {list(enum)}")
    if shape.type_name == "structure":
        for name in shape.required_members:
            if name not in value:
                errors.append(f"{path}: required member {name!r} is missing")
        for name, item in value.items():
            member = shape.members.get(name)
            if member is None:
                errors.append(f"{path}: key {name!r} is not in {shape.name}")
            elif item is None:
                errors.append(f"{path}.{name}: null (absent members are omitted, not null)")
            else:
                errors.extend(shape_errors(member, item, raw=raw, path=f"{path}.{name}"))
    elif shape.type_name == "list":
        for index, item in enumerate(value):
            errors.extend(shape_errors(shape.member, item, raw=raw, path=f"{path}[{index}]"))
    elif shape.type_name == "map":
        for key, item in value.items():
            errors.extend(shape_errors(shape.key, key, raw=raw, path=f"{path}{{key {key!r}}}"))
            errors.extend(shape_errors(shape.value, item, raw=raw, path=f"{path}[{key!r}]"))
    return errors


def output_errors(operation: str, response: dict[str, Any], *, raw: bool | str) -> list[str]:
    """`shape_errors` for an operation's response; boto3's ResponseMetadata is not checked."""
    shape = service_model().operation_model(operation).output_shape
    body = {k: v for k, v in response.items() if raw or k != "ResponseMetadata"}
    if shape is None:
        return [f"$: {operation} has no output shape, got {body!r}"] if body else []
    return shape_errors(shape, body, raw=raw)


def assert_output_shape(operation: str, response: dict[str, Any], *, raw: bool = True) -> None:
    errors = output_errors(operation, response, raw=raw)
    assert not errors, f"{operation} response does not match its output shape:\n" + "\n".join(
        errors
    )

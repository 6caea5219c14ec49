"""AWS JSON 1.1 for Direct Connect: target dispatch, input checks, serialization, error shapes.

`handle()` takes a raw HTTP request and returns a raw response; it never raises. Input is checked
against botocore's own model (types, required members), then against the reference's required
parameters (the operation method's signature), before the backend sees it.
"""

from __future__ import annotations

import inspect
import json
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import botocore.session
from botocore import xform_name
from botocore.model import OperationModel, ServiceModel
from botocore.validate import ParamValidator

from dxsim.accounts import Caller
from dxsim.backend import OPERATIONS, DirectConnectBackend
from dxsim.exceptions import (
    DirectConnectServerException,
    DXError,
    SerializationException,
    UnknownOperationException,
    ValidationException,
)

TARGET_PREFIX = "OvertureService."
CONTENT_TYPE = "application/x-amz-json-1.1"


@dataclass
class Response:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


@cache
def service_model() -> ServiceModel:
    return botocore.session.get_session().get_service_model("directconnect")


@dataclass(frozen=True)
class OperationSpec:
    """What dispatch needs to know about one operation."""

    name: str
    method: str
    model: OperationModel
    accepted: frozenset[str]  # snake_case parameters the backend method takes
    required: tuple[tuple[str, str], ...]  # (wire name, snake name) the reference requires


@cache
def operation_specs() -> dict[str, OperationSpec]:
    model = service_model()
    specs = {}
    for name in OPERATIONS:
        method_name = xform_name(name)
        method: Callable[..., Any] | None = getattr(DirectConnectBackend, method_name, None)
        if method is None:
            continue
        params = list(inspect.signature(method).parameters.values())[2:]  # self, caller
        op_model = model.operation_model(name)
        wire_names = (
            {xform_name(m): m for m in op_model.input_shape.members} if op_model.input_shape else {}
        )
        required = tuple(
            (wire_names.get(p.name, p.name), p.name)
            for p in params
            if p.default is inspect.Parameter.empty and p.kind is inspect.Parameter.KEYWORD_ONLY
        )
        specs[name] = OperationSpec(
            name=name,
            method=method_name,
            model=op_model,
            accepted=frozenset(p.name for p in params),
            required=required,
        )
    return specs


def request_id() -> str:
    return str(uuid.uuid4())


def error_response(err: DXError, rid: str | None = None) -> Response:
    rid = rid or request_id()
    body = json.dumps({"__type": err.code, "message": err.message}).encode()
    return Response(
        err.status,
        body,
        {"content-type": CONTENT_TYPE, "x-amzn-errortype": err.code, "x-amzn-requestid": rid},
    )


def parse_target(target: str | None) -> OperationSpec:
    """Resolves `X-Amz-Target` to an implemented operation, or raises a 400."""
    if not target or not target.startswith(TARGET_PREFIX):
        raise UnknownOperationException(
            f"X-Amz-Target must be '{TARGET_PREFIX}<Operation>', got {target!r}."
        )
    name = target[len(TARGET_PREFIX) :]
    spec = operation_specs().get(name)
    if spec is None:
        known = name in service_model().operation_names
        detail = (
            "dxsim implements the 45 operations of the boto3 reference; this one is not among them."
            if known
            else "No such Direct Connect operation."
        )
        raise UnknownOperationException(f"Operation {name} is not supported. {detail}")
    return spec


def parse_body(body: bytes) -> dict[str, Any]:
    if not body.strip():
        return {}
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise SerializationException(f"The request body is not valid JSON: {err}") from None
    if not isinstance(data, dict):
        raise SerializationException("The request body must be a JSON object.")
    return data


def check_input(spec: OperationSpec, params: dict[str, Any]) -> dict[str, Any]:
    """Validates `params` against the model and the reference; returns backend kwargs."""
    shape = spec.model.input_shape
    if shape is not None:
        report = ParamValidator().validate(params, shape)
        if report.has_errors():
            raise ValidationException(report.generate_report())
    elif params:
        raise ValidationException(f"{spec.name} takes no parameters.")
    missing = [wire for wire, _snake in spec.required if params.get(wire) is None]
    if missing:
        count = len(missing)
        details = "; ".join(
            f"Value null at '{wire}' failed to satisfy constraint: Member must not be null"
            for wire in missing
        )
        raise ValidationException(
            f"{count} validation error{'s' if count > 1 else ''} detected: {details}"
        )
    kwargs = {}
    for wire, value in params.items():
        snake = xform_name(wire)
        if snake in spec.accepted:
            kwargs[snake] = value
    return kwargs


def dispatch(
    backend: DirectConnectBackend, caller: Caller, spec: OperationSpec, body: bytes
) -> Response:
    """Runs an authenticated request; every failure becomes an AWS error response."""
    rid = request_id()
    try:
        kwargs = check_input(spec, parse_body(body))
        result = backend.call(caller, spec.method, kwargs)
    except DXError as err:
        return error_response(err, rid)
    except Exception:
        traceback.print_exc()
        return error_response(
            DirectConnectServerException("An internal error occurred in the simulator."), rid
        )
    return Response(
        200,
        json.dumps(result, separators=(",", ":")).encode(),
        {"content-type": CONTENT_TYPE, "x-amzn-requestid": rid},
    )

"""AWS JSON 1.1 for Direct Connect: target dispatch, input checks, serialization, error shapes.

`parse_target()` resolves the X-Amz-Target, `dispatch()` runs an authenticated request and returns
a raw response; it never raises. Input is checked against botocore's own model (types, required
members, minimum bounds) and the reference's required parameters (the operation method's
signature) before the backend sees it; every failure is an AWS-shaped error response.
"""

from __future__ import annotations

import base64
import inspect
import json
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

import botocore.session
import orjson
from botocore import xform_name
from botocore.model import OperationModel, ServiceModel, Shape

from dxsim.accounts import Caller
from dxsim.backend import OPERATIONS, DirectConnectBackend
from dxsim.exceptions import (
    DirectConnectClientException,
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
        if name in OPERATIONS:
            detail = "It is one of the reference's operations but is not implemented yet."
        elif name in service_model().operation_names:
            detail = (
                f"dxsim implements {len(OPERATIONS)} of the model's operations (the boto3 "
                "reference's 45 and some of today's); this one is not among them."
            )
        else:
            detail = "No such Direct Connect operation."
        raise UnknownOperationException(f"Operation {name} is not supported. {detail}")
    return spec


def parse_body(body: bytes) -> dict[str, Any]:
    """The JSON object a request carries (empty body = no parameters)."""
    if not body.strip():
        return {}
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise SerializationException(f"The request body is not valid JSON: {err}") from None
    except RecursionError:
        raise SerializationException("The request body is nested too deeply.") from None
    except ValueError:  # e.g. an integer of more digits than Python converts (4,300)
        raise SerializationException("The request body holds a number out of range.") from None
    if not isinstance(data, dict):
        raise SerializationException(
            f"The request body must be a JSON object, not a JSON {_json_kind(data)}."
        )
    return data


def _json_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, list):
        return "array"
    if isinstance(value, str):
        return "string"
    return "null"


# What each model type must be once parsed from JSON (bool is not an integer here).
_EXPECTED: dict[str, tuple[str, Callable[[Any], bool]]] = {
    "structure": ("a structure (JSON object)", lambda v: isinstance(v, dict)),
    "map": ("a map (JSON object)", lambda v: isinstance(v, dict)),
    "list": ("a list (JSON array)", lambda v: isinstance(v, list)),
    "string": ("a string", lambda v: isinstance(v, str)),
    "blob": ("a base64-encoded string", lambda v: isinstance(v, str)),
    "boolean": ("a boolean", lambda v: isinstance(v, bool)),
    "integer": ("an integer", lambda v: isinstance(v, int) and not isinstance(v, bool)),
    "long": ("an integer", lambda v: isinstance(v, int) and not isinstance(v, bool)),
    "float": ("a number", lambda v: isinstance(v, int | float) and not isinstance(v, bool)),
    "double": ("a number", lambda v: isinstance(v, int | float) and not isinstance(v, bool)),
    "timestamp": (
        "a timestamp (epoch seconds)",
        lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    ),
}


# Members whose values are secrets: a validation message names them but never shows the value.
SECRET_MEMBERS = frozenset({"cak", "authKey"})


def _show(value: Any) -> str:
    text = json.dumps(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _constraint(path: str, value: Any, rule: str) -> str:
    shown = "(secret)" if path.rsplit(".", 1)[-1] in SECRET_MEMBERS else _show(value)
    return f"Value {shown} at '{path}' failed to satisfy constraint: Member must {rule}"


def _validate(shape: Shape, value: Any, path: str, errors: list[str]) -> None:
    """Checks one JSON value against its model shape, AWS-style: JSON null counts as absent.

    Checks types, required members, unknown members and the model's `min` bounds (what botocore
    checks client-side); maxima, patterns and enums are the backend's business.
    """
    kind = shape.type_name
    expected, matches = _EXPECTED.get(kind, (kind, lambda _v: True))
    if not matches(value):
        errors.append(_constraint(path, value, f"be {expected}"))
        return
    minimum = shape.metadata.get("min")
    if kind == "structure":
        for name in shape.required_members:
            if value.get(name) is None:
                errors.append(_null(_join(path, name)))
        for name, item in value.items():
            member = shape.members.get(name)
            if member is None:
                where = f"'{path}'" if path else "the input"
                errors.append(
                    f"Unknown parameter '{_join(path, name)}': {where} accepts "
                    f"{', '.join(shape.members) or 'no parameters'}"
                )
            elif item is not None:
                _validate(member, item, _join(path, name), errors)
    elif kind == "list":
        if minimum is not None and len(value) < minimum:
            errors.append(
                _constraint(path, value, f"have length greater than or equal to {minimum}")
            )
        for index, item in enumerate(value, start=1):
            if item is not None:
                _validate(shape.member, item, f"{path}.{index}.member", errors)
    elif kind == "map":
        for key, item in value.items():
            if item is not None:
                _validate(shape.value, item, f"{path}.{key}", errors)
    elif kind == "string" and minimum is not None and len(value) < minimum:
        errors.append(_constraint(path, value, f"have length greater than or equal to {minimum}"))
    elif kind in ("integer", "long") and minimum is not None and value < minimum:
        errors.append(_constraint(path, value, f"have value greater than or equal to {minimum}"))


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _null(path: str) -> str:
    return f"Value null at '{path}' failed to satisfy constraint: Member must not be null"


def check_input(spec: OperationSpec, params: dict[str, Any]) -> dict[str, Any]:
    """Validates `params` against the model and the reference; returns backend kwargs.

    Required means: required by botocore's model or by the reference (the method signature).
    Every problem is reported in one ValidationException, as AWS does.
    """
    errors: list[str] = []
    shape = spec.model.input_shape
    if shape is not None:
        _validate(shape, params, "", errors)
    elif params:
        errors.append(f"{spec.name} takes no parameters; got {', '.join(sorted(params))}")
    model_required = set(shape.required_members) if shape is not None else set()
    errors.extend(
        _null(wire)
        for wire, _snake in spec.required
        if wire not in model_required and params.get(wire) is None
    )
    if errors:
        count = len(errors)
        raise ValidationException(
            f"{count} validation error{'s' if count > 1 else ''} detected: {'; '.join(errors)}"
        )
    unmodelled = sorted(
        wire
        for wire, value in params.items()
        if value is not None and xform_name(wire) not in spec.accepted
    )
    if unmodelled:
        raise DirectConnectClientException(
            f"dxsim does not simulate {', '.join(unmodelled)} of {spec.name}; it refuses the "
            f"request rather than ignore {'them' if len(unmodelled) > 1 else 'it'}."
        )
    return {xform_name(wire): value for wire, value in params.items() if value is not None}


def _wire_default(value: Any) -> Any:
    """JSON 1.1 encodings for what `json` cannot encode: blobs are base64, timestamps epochs."""
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, datetime):
        return value.timestamp()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


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
        orjson.dumps(result, default=_wire_default, option=orjson.OPT_PASSTHROUGH_DATETIME),
        {"content-type": CONTENT_TYPE, "x-amzn-requestid": rid},
    )

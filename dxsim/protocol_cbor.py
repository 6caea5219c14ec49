"""Smithy RPC v2 CBOR for Direct Connect, beside AWS JSON 1.1 (protocol.py).

Requests are `POST /service/OvertureService/operation/<Operation>` with `smithy-protocol:
rpc-v2-cbor` and a CBOR map body (or none); responses carry the same header and a CBOR body, errors
a map with `__type` (the error's shape ID) and `message`. A request body is decoded, checked to
hold only what the protocol can carry (maps with text keys, arrays, text, bytes, booleans, null,
64-bit integers, floats, tag-1 timestamps; no trailing bytes, bounded nesting) and turned into the
JSON form, so the input checks and the backend are the same for both protocols. Output is
written by walking the operation's output shape: timestamps as tag 1 epoch seconds, blobs as byte
strings, as the spec asks (https://smithy.io/2.0/additional-specs/protocols/smithy-rpc-v2.html).
"""

from __future__ import annotations

import base64
import io
import traceback
from datetime import datetime
from typing import Any

import cbor2
from botocore.model import Shape

from dxsim.accounts import Caller
from dxsim.backend import DirectConnectBackend
from dxsim.exceptions import (
    DirectConnectServerException,
    DXError,
    SerializationException,
    UnknownOperationException,
)
from dxsim.protocol import OperationSpec, Response, check_input, parse_target, request_id

SERVICE = "OvertureService"
PATH_PREFIX = f"/service/{SERVICE}/operation/"
CONTENT_TYPE = "application/cbor"
PROTOCOL_HEADER = "smithy-protocol"
PROTOCOL = "rpc-v2-cbor"
NAMESPACE = "com.amazonaws.directconnect"
MAX_DEPTH = 32  # the deepest Direct Connect input is a handful of levels
INT_RANGE = (-(1 << 63), (1 << 64) - 1)  # what a CBOR major type 0/1 head can carry


def _headers(rid: str) -> dict[str, str]:
    return {"content-type": CONTENT_TYPE, PROTOCOL_HEADER: PROTOCOL, "x-amzn-requestid": rid}


def error_response(err: DXError, rid: str | None = None) -> Response:
    """The spec's error shape: the error's shape ID in `__type`, the text in `message`."""
    rid = rid or request_id()
    body = cbor2.dumps({"__type": f"{NAMESPACE}#{err.code}", "message": err.message})
    return Response(err.status, body, _headers(rid))


def parse_operation(service: str, operation: str, headers: dict[str, str]) -> OperationSpec:
    """Resolves the request path and checks the protocol headers, or raises a 4xx DXError."""
    if service != SERVICE:
        raise UnknownOperationException(
            f"Direct Connect requests are POST {PATH_PREFIX}<Operation>; no service {service!r}."
        )
    spec = parse_target(f"{SERVICE}.{operation}")
    protocol = headers.get(PROTOCOL_HEADER)
    if protocol != PROTOCOL:
        raise SerializationException(
            f"The {PROTOCOL_HEADER} header must be {PROTOCOL!r}, got {protocol!r}."
        )
    content_type = headers.get("content-type", "").split(";")[0].strip()
    if content_type and content_type != CONTENT_TYPE:
        raise SerializationException(f"Content-Type must be {CONTENT_TYPE}, got {content_type!r}.")
    return spec


def parse_body(body: bytes) -> dict[str, Any]:
    """The request's parameters in their JSON form (empty body = no parameters)."""
    if not body:
        return {}
    stream = io.BytesIO(body)
    try:
        data = cbor2.CBORDecoder(stream).decode()
    except Exception as err:  # undecodable (RecursionError included): the client's fault
        raise SerializationException(f"The request body is not valid CBOR: {err}") from None
    if stream.tell() != len(body):
        raise SerializationException(
            f"The request body has {len(body) - stream.tell()} bytes after its CBOR data item."
        )
    if not isinstance(data, dict):
        raise SerializationException("The request body must be a CBOR map.")
    plain: dict[str, Any] = _plain(data, 0)
    return plain


def _plain(value: Any, depth: int) -> Any:
    """`value` as JSON would have carried it; anything the protocol cannot carry is refused."""
    if depth > MAX_DEPTH:
        raise SerializationException(f"The request body is nested deeper than {MAX_DEPTH}.")
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        if not INT_RANGE[0] <= value <= INT_RANGE[1]:
            raise SerializationException("An integer in the request body is out of range.")
        return value
    if isinstance(value, float):
        return value
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, datetime):
        return value.timestamp()
    if isinstance(value, list):
        return [_plain(item, depth + 1) for item in value]
    if isinstance(value, dict):
        if not all(isinstance(key, str) for key in value):
            raise SerializationException("Map keys in the request body must be text strings.")
        return {key: _plain(item, depth + 1) for key, item in value.items()}
    raise SerializationException(
        f"The request body holds a CBOR item the protocol does not use ({type(value).__name__})."
    )


def params_or_none(body: bytes) -> dict[str, Any] | None:
    """A request's parameters as the gate lists them (None if the body does not decode)."""
    try:
        return parse_body(body)
    except SerializationException:
        return None


def _to_wire(shape: Shape | None, value: Any) -> Any:
    """One output value as the spec encodes its shape (unmodelled values pass as they are)."""
    if value is None or shape is None:
        return value
    kind = shape.type_name
    if kind == "structure" and isinstance(value, dict):
        members = shape.members
        return {k: _to_wire(members.get(k), v) for k, v in value.items() if v is not None}
    if kind == "list" and isinstance(value, list):
        return [_to_wire(shape.member, item) for item in value]
    if kind == "map" and isinstance(value, dict):
        return {k: _to_wire(shape.value, v) for k, v in value.items()}
    if kind == "timestamp":
        seconds = value.timestamp() if isinstance(value, datetime) else value
        if isinstance(seconds, float) and seconds.is_integer():
            seconds = int(seconds)
        return cbor2.CBORTag(1, seconds)
    if kind == "blob":
        # the model keeps blobs in their JSON form (base64 text); CBOR carries the bytes
        return base64.b64decode(value) if isinstance(value, str) else bytes(value)
    if kind in ("double", "float") and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


def dispatch(
    backend: DirectConnectBackend, caller: Caller, spec: OperationSpec, body: bytes
) -> Response:
    """Runs an authenticated request; every failure becomes a CBOR error response."""
    rid = request_id()
    try:
        kwargs = check_input(spec, parse_body(body))
        result = backend.call(caller, spec.method, kwargs)
        payload = cbor2.dumps(_to_wire(spec.model.output_shape, result))
    except DXError as err:
        return error_response(err, rid)
    except Exception:
        traceback.print_exc()
        return error_response(
            DirectConnectServerException("An internal error occurred in the simulator."), rid
        )
    return Response(200, payload, _headers(rid))

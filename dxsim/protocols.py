"""The two protocols the Direct Connect endpoint speaks, as the server sees them.

`JSON` is AWS JSON 1.1 (`POST /`, the operation in X-Amz-Target; protocol.py), `CBOR` is Smithy
RPC v2 CBOR (`POST /service/OvertureService/operation/<Operation>`; protocol_cbor.py). The server
runs every call the same way (signature, gate, faults, backend) and asks the `Wire` only for what
differs: which operation is meant, how errors and results are written, how the gate lists inputs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from dxsim import protocol, protocol_cbor
from dxsim.accounts import Caller
from dxsim.backend import DirectConnectBackend
from dxsim.exceptions import DXError, SerializationException

JSON_CONTENT_TYPES = (
    "application/x-amz-json-1.1",
    "application/x-amz-json-1.0",
    "application/json",
)


@dataclass(frozen=True)
class Wire:
    """What differs between the protocols."""

    # (lower-cased headers, path parameters) -> the operation, or a 4xx DXError
    operation: Callable[[dict[str, str], dict[str, Any]], protocol.OperationSpec]
    error: Callable[[DXError], protocol.Response]
    params: Callable[[bytes], Any]  # the parameters the gate lists (None if undecodable)
    dispatch: Callable[
        [DirectConnectBackend, Caller, protocol.OperationSpec, bytes], protocol.Response
    ]


def _json_operation(headers: dict[str, str], _path: dict[str, Any]) -> protocol.OperationSpec:
    spec = protocol.parse_target(headers.get("x-amz-target"))
    content_type = headers.get("content-type", "").split(";")[0].strip()
    if content_type not in JSON_CONTENT_TYPES:
        raise SerializationException(
            f"Content-Type must be application/x-amz-json-1.1, got {content_type!r}."
        )
    return spec


def _json_params(body: bytes) -> Any:
    try:
        return protocol.parse_body(body)
    except SerializationException:
        return None


def _cbor_operation(headers: dict[str, str], path: dict[str, Any]) -> protocol.OperationSpec:
    return protocol_cbor.parse_operation(
        str(path.get("service", "")), str(path.get("operation", "")), headers
    )


JSON = Wire(_json_operation, protocol.error_response, _json_params, protocol.dispatch)
CBOR = Wire(
    _cbor_operation,
    protocol_cbor.error_response,
    protocol_cbor.params_or_none,
    protocol_cbor.dispatch,
)

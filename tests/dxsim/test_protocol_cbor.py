"""Smithy RPC v2 CBOR on the wire: what dxsim answers to raw, signed CBOR requests.

The boto3-level behaviour (every operation family, errors, faults) is covered by running the
whole dxsim suite in both protocols (tests/dxsim/conftest.py); these tests check the bytes, and
that hostile bodies get a 4xx in the protocol's error shape, never a 5xx.
"""

from __future__ import annotations

from typing import Any

import cbor2
import httpx
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from hypothesis import given, settings
from hypothesis import strategies as st

from dxsim.protocol_cbor import MAX_DEPTH
from tests.dxsim.shapes import http
from tests.dxsim.test_protocol import requests

PATH = "/service/OvertureService/operation/"
CBOR = "application/cbor"


def cbor_call(
    url: str,
    operation: str,
    params: Any = None,
    *,
    body: bytes | None = None,
    path: str | None = None,
    headers: dict[str, str] | None = None,
    access_key: str = "test",
) -> httpx.Response:
    """One request signed as botocore signs RPC v2 CBOR (the path and the CBOR payload hash)."""
    payload = body if body is not None else cbor2.dumps(params if params is not None else {})
    sent = {"smithy-protocol": "rpc-v2-cbor", "Content-Type": CBOR, **(headers or {})}
    sent = {name: value for name, value in sent.items() if value}
    request = AWSRequest(
        method="POST", url=f"{url}{path or PATH + operation}", data=payload, headers=sent
    )
    SigV4Auth(Credentials(access_key, "test"), "directconnect", "us-east-1").add_auth(request)
    signed = {name: str(value) for name, value in request.headers.items()}
    return http().post(f"{url}{path or PATH + operation}", content=payload, headers=signed)


def cbor_error(response: httpx.Response) -> tuple[int, str, str]:
    """(status, error name, message) of a response in the spec's error shape."""
    assert response.headers["content-type"] == CBOR
    assert response.headers["smithy-protocol"] == "rpc-v2-cbor"
    body = cbor2.loads(response.content)
    shape_id: str = body["__type"]
    namespace, _, name = shape_id.partition("#")
    assert namespace == "com.amazonaws.directconnect", shape_id
    assert isinstance(body["message"], str)
    return response.status_code, name, body["message"]


def test_a_call_answers_cbor_with_the_protocol_header(dx_url: str) -> None:
    response = cbor_call(dx_url, "DescribeLocations", body=b"")
    assert response.status_code == 200
    assert response.headers["content-type"] == CBOR
    assert response.headers["smithy-protocol"] == "rpc-v2-cbor"
    assert len(cbor2.loads(response.content)["locations"]) > 0


def test_timestamps_are_tag_1_epoch_seconds(dx: Any, dx_url: str) -> None:
    location = dx.describe_locations()["locations"][0]["locationCode"]
    connection = dx.create_connection(location=location, bandwidth="1Gbps", connectionName="c")
    dx.describe_loa(connectionId=connection["connectionId"])  # stamps loaIssueTime
    params = {"connectionId": connection["connectionId"]}
    response = cbor_call(dx_url, "DescribeConnections", params)
    # the 12-character text key, then tag 1 (0xc1) and a number
    assert b"\x6cloaIssueTime\xc1" in response.content
    (item,) = cbor2.loads(response.content)["connections"]
    assert item["loaIssueTime"].timestamp() > 0


def test_not_found_is_a_400_client_exception(dx_url: str) -> None:
    response = cbor_call(dx_url, "DescribeLoa", {"connectionId": "dxcon-nope"})
    status, name, message = cbor_error(response)
    assert (status, name) == (400, "DirectConnectClientException")
    assert "dxcon-nope" in message


def test_wrong_member_type_is_a_validation_exception(dx_url: str) -> None:
    response = cbor_call(dx_url, "DescribeConnections", {"connectionId": 7})
    status, name, message = cbor_error(response)
    assert (status, name) == (400, "ValidationException")
    assert "connectionId" in message


# a tag-2 bignum of 2,077 bytes: an integer of 5,000 decimal digits
HUGE_INT = b"\xc2\x59" + (2077).to_bytes(2, "big") + b"\xff" * 2077

HOSTILE: dict[str, tuple[str, dict[str, Any]]] = {
    "not CBOR": ("DescribeConnections", {"body": b"\xff\xff"}),
    "truncated": ("DescribeConnections", {"body": b"\xa1\x6cconnectionId"}),
    "trailing bytes": ("DescribeConnections", {"body": b"\xa0\x00"}),
    "an array": ("DescribeConnections", {"body": cbor2.dumps([1, 2])}),
    "an integer": ("DescribeConnections", {"body": b"\x07"}),
    "a 5,000-digit integer": ("DescribeConnections", {"body": HUGE_INT}),
    "a 5,000-digit member": (
        "CreateConnection",
        {"body": b"\xa1\x69bandwidth" + HUGE_INT},
    ),
    "a non-text map key": ("DescribeConnections", {"body": cbor2.dumps({1: "a"})}),
    "too deep": ("DescribeConnections", {"body": b"\xa1\x61a" + b"\x81" * 5000 + b"\x00"}),
    "just too deep": (
        "DescribeConnections",
        {"body": b"\xa1\x61a" + b"\x81" * (MAX_DEPTH + 1) + b"\x00"},
    ),
    "a cycle": ("DescribeConnections", {"body": b"\xa1\x61a\xd8\x1c\x81\xd8\x1d\x00"}),
    "a set": ("DescribeConnections", {"body": b"\xa1\x61a\xd9\x01\x02\x81\x01"}),
    "a string datetime": ("DescribeConnections", {"body": b"\xa1\x61a\xc0\x61x"}),
    "a huge epoch": ("DescribeConnections", {"body": b"\xa1\x61a\xc1\x1b" + b"\x7f" + b"\xff" * 7}),
    "undefined": ("DescribeConnections", {"body": b"\xa1\x61a\xf7"}),
    "a huge declared length": ("DescribeConnections", {"body": b"\x5b" + b"\xff" * 8}),
    "an indefinite string never closed": ("DescribeConnections", {"body": b"\xa1\x61a\x7f"}),
    "over a mebibyte": ("DescribeConnections", {"body": cbor2.dumps({"a": "x" * (1 << 20)})}),
    "an unknown operation": ("DoSomethingElse", {}),
    "an unimplemented model operation": ("AssociateMacSecKey", {}),
    "another service": ("", {"path": "/service/Other/operation/DescribeConnections"}),
    "no smithy-protocol header": ("DescribeConnections", {"headers": {"smithy-protocol": ""}}),
    "another smithy protocol": (
        "DescribeConnections",
        {"headers": {"smithy-protocol": "rpc-v2-json"}},
    ),
    "a JSON content type": (
        "DescribeConnections",
        {"headers": {"Content-Type": "application/x-amz-json-1.1"}},
    ),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_requests_get_a_4xx_in_the_cbor_error_shape(dx_url: str, case: str) -> None:
    operation, kwargs = HOSTILE[case]
    status, name, message = cbor_error(cbor_call(dx_url, operation, **kwargs))
    assert 400 <= status < 500, (case, status, name, message)
    assert name.endswith("Exception"), name


def test_get_on_the_cbor_path_is_a_cbor_shaped_405(dx_url: str) -> None:
    response = http().get(f"{dx_url}{PATH}DescribeConnections")
    status, name, _ = cbor_error(response)
    assert (status, name) == (405, "UnknownOperationException")


def test_a_signature_over_another_path_is_refused(dx_url: str) -> None:
    payload = cbor2.dumps({})
    request = AWSRequest(
        method="POST",
        url=f"{dx_url}{PATH}DescribeLags",
        data=payload,
        headers={"smithy-protocol": "rpc-v2-cbor", "Content-Type": CBOR},
    )
    SigV4Auth(Credentials("test", "test"), "directconnect", "us-east-1").add_auth(request)
    headers = {name: str(value) for name, value in request.headers.items()}
    response = http().post(f"{dx_url}{PATH}DescribeConnections", content=payload, headers=headers)
    status, name, _ = cbor_error(response)
    assert (status, name) == (403, "InvalidSignatureException")


@settings(max_examples=60, deadline=None, derandomize=True)
@given(body=st.binary(max_size=64))
def test_random_bytes_never_produce_a_5xx(dx_url: str, body: bytes) -> None:
    response = cbor_call(dx_url, "CreateConnection", body=body)
    assert response.status_code < 500, (body, response.content)


@settings(max_examples=100, deadline=None, derandomize=True)
@given(request=requests())
def test_model_typed_random_input_never_produces_a_5xx(
    dx_url: str, request: tuple[str, dict[str, Any]]
) -> None:
    operation, params = request
    response = cbor_call(dx_url, operation, params)
    assert response.status_code < 500, (operation, params, response.content)

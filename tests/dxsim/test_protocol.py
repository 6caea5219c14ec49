"""The wire as AWS speaks it: AWS JSON 1.1 requests, error shapes, and refusals of bad input."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import cbor2
import httpx
import pytest
from botocore import xform_name
from botocore.awsrequest import AWSPreparedRequest
from botocore.model import Shape
from hypothesis import given, settings
from hypothesis import strategies as st

from dxsim import protocol
from dxsim.backend import (
    CURRENT_OPERATIONS,
    OPERATIONS,
    REFERENCE_OPERATIONS,
    TODAYS_OPERATIONS,
)
from dxsim.exceptions import DirectConnectClientException
from tests.conftest import CUSTOMER
from tests.dxsim.shapes import JSON_11, raw_call, signed_headers


def error_body(response: httpx.Response) -> tuple[int, str, str]:
    """(status, __type, message) of an error response, after checking it is AWS-shaped."""
    assert response.headers["content-type"] == JSON_11
    body = response.json()
    assert set(body) == {"__type", "message"}
    assert response.headers["x-amzn-errortype"] == body["__type"]
    assert "Traceback" not in response.text
    return response.status_code, body["__type"], body["message"]


def test_boto3_sends_what_each_protocol_specifies(dx: Any, dx_protocol: str) -> None:
    """JSON 1.1: POST / with X-Amz-Target; RPC v2 CBOR: POST /service/.../operation/<Op>."""
    sent: list[AWSPreparedRequest] = []
    dx.meta.events.register("before-send.directconnect", lambda request, **_: sent.append(request))
    dx.describe_connections()
    (request,) = sent
    assert request.method == "POST"
    if dx_protocol == "cbor":
        path = "/service/OvertureService/operation/DescribeConnections"
        assert httpx.URL(request.url).path == path
        assert request.headers["smithy-protocol"] == b"rpc-v2-cbor"
        assert request.headers["Content-Type"] == b"application/cbor"
        assert "X-Amz-Target" not in request.headers
        assert cbor2.loads(request.body) == {}
        return
    assert httpx.URL(request.url).path == "/"
    assert request.headers["X-Amz-Target"] == b"OvertureService.DescribeConnections"
    assert request.headers["Content-Type"] == JSON_11.encode()
    assert json.loads(request.body) == {}


def test_client_error_has_json_body_type_header_and_status_400(dx_url: str) -> None:
    response = raw_call(dx_url, "DescribeConnections", {"connectionId": "dxcon-fzzzzzzz"})
    assert error_body(response) == (
        400,
        "DirectConnectClientException",
        "Could not find Connection with ID dxcon-fzzzzzzz",
    )
    assert response.headers["x-amzn-requestid"]


@pytest.mark.aws_verified
def test_boto3_raises_the_modelled_client_exception(dx: Any) -> None:
    with pytest.raises(dx.exceptions.DirectConnectClientException) as exc:
        dx.describe_connections(connectionId="dxcon-fzzzzzzz")
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert exc.value.response["Error"]["Message"] == (
        "Could not find Connection with ID dxcon-fzzzzzzz"
    )


def test_made_up_operation_is_unknown_operation(dx_url: str) -> None:
    status, code, message = error_body(raw_call(dx_url, "FlyToTheMoon"))
    assert (status, code) == (400, "UnknownOperationException")
    assert "FlyToTheMoon" in message
    assert "No such Direct Connect operation" in message


def test_target_without_service_prefix_is_unknown_operation(dx_url: str) -> None:
    status, code, message = error_body(
        raw_call(dx_url, None, target="DirectConnect.DescribeConnections")
    )
    assert (status, code) == (400, "UnknownOperationException")
    assert "OvertureService.<Operation>" in message


def test_malformed_json_is_serialization_exception(dx_url: str) -> None:
    status, code, message = error_body(raw_call(dx_url, "DescribeConnections", body=b"{nope"))
    assert (status, code) == (400, "SerializationException")
    assert "not valid JSON" in message


def test_json_array_body_is_refused(dx_url: str) -> None:
    status, code, message = error_body(raw_call(dx_url, "DescribeConnections", body=b"[]"))
    assert (status, code) == (400, "SerializationException")
    assert "must be a JSON object, not a JSON array" in message


def test_non_utf8_body_is_serialization_exception(dx_url: str) -> None:
    status, code, _ = error_body(raw_call(dx_url, "DescribeConnections", body=b"\xff\xfe{}"))
    assert (status, code) == (400, "SerializationException")


def test_string_vlan_is_validation_exception_naming_the_member(dx_url: str) -> None:
    params = {
        "connectionId": "dxcon-fzzzzzzz",
        "newPrivateVirtualInterface": {"virtualInterfaceName": "v", "vlan": "abc", "asn": 65000},
    }
    status, code, message = error_body(raw_call(dx_url, "CreatePrivateVirtualInterface", params))
    assert (status, code) == (400, "ValidationException")
    assert "'newPrivateVirtualInterface.vlan'" in message
    assert "Member must be an integer" in message


def test_numeric_connection_name_is_validation_exception(dx_url: str) -> None:
    params = {"location": "EqDC2", "bandwidth": "1Gbps", "connectionName": 5}
    status, code, message = error_body(raw_call(dx_url, "CreateConnection", params))
    assert (status, code) == (400, "ValidationException")
    assert message == (
        "1 validation error detected: Value 5 at 'connectionName' failed to satisfy "
        "constraint: Member must be a string"
    )


def test_boolean_is_not_accepted_as_an_integer(dx_url: str) -> None:
    params = {
        "connectionId": "dxcon-fzzzzzzz",
        "newPrivateVirtualInterface": {"virtualInterfaceName": "v", "vlan": True, "asn": 65000},
    }
    status, code, message = error_body(raw_call(dx_url, "CreatePrivateVirtualInterface", params))
    assert (status, code) == (400, "ValidationException")
    assert "Value true at 'newPrivateVirtualInterface.vlan'" in message


def test_missing_required_parameter_is_value_null_validation_exception(dx_url: str) -> None:
    params = {"location": "EqDC2", "bandwidth": "1Gbps"}
    status, code, message = error_body(raw_call(dx_url, "CreateConnection", params))
    assert (status, code) == (400, "ValidationException")
    assert message == (
        "1 validation error detected: Value null at 'connectionName' failed to satisfy "
        "constraint: Member must not be null"
    )


def test_parameter_only_the_reference_requires_is_checked_by_the_server(dx_url: str) -> None:
    # botocore's model requires only connectionId; the reference also requires ownerAccount.
    params = {
        "connectionId": "dxcon-fzzzzzzz",
        "newPrivateVirtualInterfaceAllocation": {"virtualInterfaceName": "v", "vlan": 101},
    }
    status, code, message = error_body(raw_call(dx_url, "AllocatePrivateVirtualInterface", params))
    assert (status, code) == (400, "ValidationException")
    assert "Value null at 'ownerAccount' failed to satisfy constraint" in message


def test_json_null_counts_as_a_missing_parameter(dx_url: str) -> None:
    params = {"location": "EqDC2", "bandwidth": "1Gbps", "connectionName": None}
    _, code, message = error_body(raw_call(dx_url, "CreateConnection", params))
    assert code == "ValidationException"
    assert "Value null at 'connectionName'" in message


def test_every_validation_error_is_reported_at_once(dx_url: str) -> None:
    params = {"location": 1, "bandwidth": 2}
    _, code, message = error_body(raw_call(dx_url, "CreateConnection", params))
    assert code == "ValidationException"
    assert message.startswith("3 validation errors detected: ")
    for member in ("location", "bandwidth", "connectionName"):
        assert f"at '{member}'" in message


def test_unknown_parameter_is_validation_exception(dx_url: str) -> None:
    _, code, message = error_body(raw_call(dx_url, "DescribeConnections", {"colour": "red"}))
    assert code == "ValidationException"
    assert "Unknown parameter 'colour'" in message


def test_parameters_on_an_operation_without_input_are_refused(dx_url: str) -> None:
    _, code, message = error_body(raw_call(dx_url, "DescribeLocations", {"region": "x"}))
    assert code == "ValidationException"
    assert "DescribeLocations takes no parameters" in message


@pytest.mark.parametrize("content_type", ["text/plain", "application/xml", None])
def test_wrong_content_type_is_refused(dx_url: str, content_type: str | None) -> None:
    status, code, message = error_body(
        raw_call(dx_url, "DescribeLocations", content_type=content_type)
    )
    assert (status, code) == (400, "SerializationException")
    assert "application/x-amz-json-1.1" in message


def test_no_authorization_is_refused_before_anything_else(dx_url: str) -> None:
    response = httpx.post(f"{dx_url}/", content=b"garbage", headers={"X-Amz-Target": "x"})
    status, code, _ = error_body(response)
    assert (status, code) == (403, "MissingAuthenticationTokenException")


def test_body_over_one_mebibyte_is_refused_with_413(dx_url: str) -> None:
    body = b'{"connectionId": "' + b"x" * (1 << 20) + b'"}'
    status, code, message = error_body(raw_call(dx_url, "DescribeConnections", body=body))
    assert (status, code) == (413, "RequestEntityTooLargeException")
    assert "1048576" in message


@pytest.mark.parametrize(("method", "path"), [("GET", "/nonexistent"), ("POST", "/x/y")])
def test_unknown_path_is_an_aws_shaped_404(dx_url: str, method: str, path: str) -> None:
    status, code, message = error_body(httpx.request(method, f"{dx_url}{path}"))
    assert (status, code) == (404, "UnknownOperationException")
    assert "POST /" in message


def test_wrong_method_on_the_endpoint_is_an_aws_shaped_405(dx_url: str) -> None:
    status, _, message = error_body(httpx.put(f"{dx_url}/"))
    assert status == 405
    assert "PUT is not allowed" in message


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"null",
        b"7",
        b'"s"',
        b"{" * 5000,
        b"[" * 100_000,
        b'{"connectionId": ' + b"[" * 100_000,
        b'{"connectionId": {"a": [1, 2]}}',
        b"\x00" * 64,
    ],
)
def test_garbage_bodies_never_produce_a_5xx(dx_url: str, body: bytes) -> None:
    response = raw_call(dx_url, "DescribeConnections", body=body)
    assert response.status_code < 500
    assert "Traceback" not in response.text


def test_garbage_headers_never_produce_a_5xx(dx_url: str) -> None:
    headers = signed_headers(dx_url, b"{}", target="OvertureService.DescribeLocations")
    headers["Authorization"] = "AWS4-HMAC-SHA256 Credential=/////, SignedHeaders=, Signature=zz"
    response = httpx.post(f"{dx_url}/", content=b"{}", headers=headers)
    status, code, _ = error_body(response)
    assert (status, code) == (403, "IncompleteSignatureException")


def test_every_operation_of_the_model_is_dispatchable() -> None:
    model = set(protocol.service_model().operation_names)
    assert len(model) == 73
    assert len(REFERENCE_OPERATIONS) == 45
    assert set(REFERENCE_OPERATIONS) | set(CURRENT_OPERATIONS) == model
    assert set(CURRENT_OPERATIONS) == set(TODAYS_OPERATIONS)
    assert set(protocol.operation_specs()) == set(OPERATIONS) == model


def test_every_member_of_every_request_reaches_the_backend() -> None:
    """No request member is dropped: each is a parameter of its operation's method (nested
    members are the methods' business, tested per operation)."""
    dropped = {
        name: sorted(
            m for m in spec.model.input_shape.members if xform_name(m) not in spec.accepted
        )
        for name, spec in protocol.operation_specs().items()
        if spec.model.input_shape is not None
    }
    assert {name: members for name, members in dropped.items() if members} == {}


# -- never a 5xx: model-typed random input to every operation ----------------------------------
WORDS = ["EqDC2", "1Gbps", "50Mbps", "ipv4", "ipv6", CUSTOMER, "dxcon-fzzzzzzz", "", "x" * 300]


def values(shape: Shape) -> st.SearchStrategy[Any]:
    """Random values of the model's types (and enum values, plus one outside each enum)."""
    kind = shape.type_name
    if kind == "structure":
        return st.fixed_dictionaries({}, optional={n: values(m) for n, m in shape.members.items()})
    if kind == "list":
        return st.lists(values(shape.member), max_size=3)
    if kind == "string" and shape.enum:
        return st.sampled_from([*shape.enum, "bogus"])
    if kind == "string":
        return st.one_of(st.sampled_from(WORDS), st.text(max_size=20))
    if kind in ("integer", "long"):
        return st.one_of(st.integers(-5, 70_000), st.integers(-(2**63), 2**63))
    if kind == "boolean":
        return st.booleans()
    return st.just("AAAA")


@st.composite
def requests(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    specs = protocol.operation_specs()
    operation = draw(st.sampled_from(sorted(specs)))
    shape = specs[operation].model.input_shape
    return operation, draw(values(shape)) if shape is not None else {}


@settings(max_examples=300, deadline=None, derandomize=True)
@given(request=requests())
def test_model_typed_random_input_never_produces_a_5xx(
    dx_url: str, request: tuple[str, dict[str, Any]]
) -> None:
    operation, params = request
    response = raw_call(dx_url, operation, params)
    assert response.status_code < 500, (operation, params, response.text)


@pytest.mark.parametrize(
    ("body", "refusal"),
    [
        (b'{"vlan": ' + b"9" * 5000 + b"}", "SerializationException"),
        (b'{"connectionId": "dxcon-1", "vlan": 1e99999}', "ValidationException"),
    ],
    ids=["5000-digit-integer", "huge-float"],
)
def test_a_number_out_of_range_is_refused_with_a_400_not_a_500(
    dx_url: str, body: bytes, refusal: str
) -> None:
    response = raw_call(dx_url, "DescribeConnections", body=body)
    assert response.status_code == 400, response.text
    assert response.json()["__type"].endswith(refusal)


def test_a_model_member_the_backend_does_not_take_is_refused_not_dropped() -> None:
    spec = protocol.operation_specs()["DescribeLags"]
    narrowed = dataclasses.replace(spec, accepted=spec.accepted - {"max_results"})
    with pytest.raises(DirectConnectClientException) as exc:
        protocol.check_input(narrowed, {"maxResults": 5})
    assert "dxsim does not simulate maxResults of DescribeLags" in exc.value.message
    assert protocol.check_input(narrowed, {"lagId": "dxlag-fzzzzzzz"}) == {
        "lag_id": "dxlag-fzzzzzzz"
    }

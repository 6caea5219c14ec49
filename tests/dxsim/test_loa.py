"""Letters of Authorization over boto3: real PDFs, the loaIssueTime side effect, and errors."""

from __future__ import annotations

import base64
import io
import json
import re
from datetime import timedelta
from typing import Any

import cbor2
import httpx
import pytest
from botocore.exceptions import ClientError
from pypdf import PdfReader

from tests.conftest import CUSTOMER, OTHER, PARTNER, advance, error_of

TITLE = "LETTER OF AUTHORIZATION AND CONNECTING FACILITY ASSIGNMENT (LOA-CFA)"
PORT = re.compile(r"Port: (\d+/\d+/\d+)")


def loa_text(loa: dict[str, Any]) -> str:
    assert loa["loaContentType"] == "application/pdf"
    reader = PdfReader(io.BytesIO(loa["loaContent"]), strict=True)
    assert len(reader.pages) == 1
    return str(reader.pages[0].extract_text())


def new_connection(dx: Any, location: str = "EqDC2", name: str = "primary") -> dict[str, Any]:
    return dict(dx.create_connection(location=location, bandwidth="10Gbps", connectionName=name))


def issue_time(dx: Any, connection_id: str) -> Any:
    return dx.describe_connections(connectionId=connection_id)["connections"][0].get("loaIssueTime")


def test_describe_loa_is_a_pdf_naming_connection_location_device_port_and_bandwidth(
    dx: Any,
) -> None:
    conn = new_connection(dx)
    text = loa_text(dx.describe_loa(connectionId=conn["connectionId"]))
    assert TITLE in text
    assert f"Requester: AWS account {CUSTOMER}" in text
    assert f"Connection ID: {conn['connectionId']}" in text
    assert "Connection name: primary" in text
    assert "Location: EqDC2 - Equinix DC2/DC11, Ashburn, VA" in text
    assert f"AWS device: {conn['awsDevice']}" in text
    assert PORT.search(text)
    assert "Bandwidth: 10Gbps" in text
    assert "valid for 90 days" in text


def test_loa_content_travels_as_base64_of_the_pdf_in_json_and_as_bytes_in_cbor(
    dx: Any, dx_protocol: str
) -> None:
    bodies: list[bytes] = []
    dx.meta.events.register(
        "after-call.directconnect.DescribeLoa",
        lambda http_response, **_: bodies.append(http_response.content),
    )
    loa = dx.describe_loa(connectionId=new_connection(dx)["connectionId"])
    if dx_protocol == "cbor":  # a blob is a CBOR byte string (major type 2)
        wire = cbor2.loads(bodies[0])
        assert wire["loaContent"] == loa["loaContent"]
    else:
        wire = json.loads(bodies[0])
        assert base64.b64decode(wire["loaContent"], validate=True) == loa["loaContent"]
    assert set(wire) == {"loaContent", "loaContentType"}
    assert loa["loaContent"].startswith(b"%PDF-1.4")


def test_loa_port_is_stable_across_calls(dx: Any) -> None:
    conn_id = new_connection(dx)["connectionId"]
    first = PORT.search(loa_text(dx.describe_loa(connectionId=conn_id)))
    second = PORT.search(loa_text(dx.describe_loa(connectionId=conn_id)))
    assert first
    assert second
    assert first.group(1) == second.group(1)


def test_provider_name_is_listed_alongside_the_requester(dx: Any) -> None:
    conn_id = new_connection(dx)["connectionId"]
    text = loa_text(dx.describe_loa(connectionId=conn_id, providerName="Acme (NY) Fiber"))
    assert f"Requester: Acme (NY) Fiber on behalf of AWS account {CUSTOMER}" in text
    assert "Provider: Acme (NY) Fiber" in text


def test_describe_loa_sets_loa_issue_time_to_the_most_recent_call(
    dx: Any, control: httpx.Client
) -> None:
    conn_id = new_connection(dx)["connectionId"]
    assert issue_time(dx, conn_id) is None
    dx.describe_loa(connectionId=conn_id)
    first = issue_time(dx, conn_id)
    assert first is not None
    advance(control, 3600)
    dx.describe_loa(connectionId=conn_id)
    assert issue_time(dx, conn_id) - first >= timedelta(seconds=3600)


@pytest.mark.parametrize(
    ("operation", "id_param"),
    [
        ("describe_loa", "connectionId"),
        ("describe_connection_loa", "connectionId"),
        ("describe_interconnect_loa", "interconnectId"),
    ],
)
def test_loa_content_type_other_than_pdf_is_refused(dx: Any, operation: str, id_param: str) -> None:
    conn_id = new_connection(dx)["connectionId"]
    with pytest.raises(ClientError) as exc:
        getattr(dx, operation)(**{id_param: conn_id, "loaContentType": "text/plain"})
    code, message = error_of(exc)
    assert code == "DirectConnectClientException"
    assert "loaContentType 'text/plain'" in message
    assert "application/pdf" in message


@pytest.mark.aws_verified
def test_describe_loa_of_unknown_connection_says_could_not_find_connection(dx: Any) -> None:
    with pytest.raises(ClientError) as exc:
        dx.describe_loa(connectionId="dxcon-fzzzzzzz")
    assert error_of(exc) == (
        "DirectConnectClientException",
        "Could not find Connection with ID dxcon-fzzzzzzz",
    )


@pytest.mark.aws_verified
def test_describe_loa_of_unknown_lag_says_could_not_find_lag(dx: Any) -> None:
    with pytest.raises(ClientError) as exc:
        dx.describe_loa(connectionId="dxlag-fzzzzzzz")
    assert error_of(exc) == (
        "DirectConnectClientException",
        "Could not find Lag with ID dxlag-fzzzzzzz",
    )


def test_describe_interconnect_loa_of_a_connection_says_could_not_find_interconnect(
    dx: Any,
) -> None:
    conn_id = new_connection(dx)["connectionId"]
    with pytest.raises(ClientError) as exc:
        dx.describe_interconnect_loa(interconnectId=conn_id)
    assert error_of(exc) == (
        "DirectConnectClientException",
        f"Could not find Interconnect with ID {conn_id}",
    )


def test_another_account_cannot_get_the_loa_of_my_connection(dx: Any, dx_for: Any) -> None:
    conn_id = new_connection(dx)["connectionId"]
    with pytest.raises(ClientError) as exc:
        dx_for(OTHER).describe_loa(connectionId=conn_id)
    assert error_of(exc)[1] == f"Could not find Connection with ID {conn_id}"
    assert issue_time(dx, conn_id) is None


def test_no_loa_for_a_deleted_connection(dx: Any) -> None:
    conn_id = new_connection(dx)["connectionId"]
    dx.delete_connection(connectionId=conn_id)
    assert (
        dx.describe_connections(connectionId=conn_id)["connections"][0]["connectionState"]
        == "deleted"
    )
    with pytest.raises(ClientError) as exc:
        dx.describe_loa(connectionId=conn_id)
    code, message = error_of(exc)
    assert code == "DirectConnectClientException"
    assert f"{conn_id}: it is in state deleted" in message


def test_describe_connection_loa_wraps_the_loa_and_stamps_issue_time(dx: Any) -> None:
    conn_id = new_connection(dx)["connectionId"]
    response = dx.describe_connection_loa(connectionId=conn_id, providerName="Acme")
    assert set(response) - {"ResponseMetadata"} == {"loa"}
    text = loa_text(response["loa"])
    assert conn_id in text
    assert "Provider: Acme" in text
    assert issue_time(dx, conn_id) is not None


def test_describe_loa_and_describe_interconnect_loa_cover_an_interconnect(
    dx_partner: Any,
) -> None:
    ic = dx_partner.create_interconnect(
        interconnectName="ic-east",
        bandwidth="10Gbps",
        location="EqDC2",
    )
    text = loa_text(dx_partner.describe_loa(connectionId=ic["interconnectId"]))
    assert f"Interconnect ID: {ic['interconnectId']}" in text
    assert f"Requester: AWS account {PARTNER}" in text
    wrapped = dx_partner.describe_interconnect_loa(interconnectId=ic["interconnectId"])
    assert PORT.search(loa_text(wrapped["loa"]))
    described = dx_partner.describe_interconnects(interconnectId=ic["interconnectId"])
    assert described["interconnects"][0].get("loaIssueTime") is not None


def test_lag_loa_lists_the_port_of_every_member(dx: Any) -> None:
    lag = dx.create_lag(
        numberOfConnections=2,
        location="EqDC2",
        connectionsBandwidth="10Gbps",
        lagName="lag-east",
    )
    text = loa_text(dx.describe_loa(connectionId=lag["lagId"]))
    assert f"LAG ID: {lag['lagId']}" in text
    for member in dx.describe_lags(lagId=lag["lagId"])["lags"][0]["connections"]:
        assert re.search(rf"Port: \d+/\d+/\d+ \({member['connectionId']}\)", text)

"""The /_dxsim/ control API: reset, simulated clock, settings, link events, call counts, faults."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest
from botocore.exceptions import ClientError

from tests.conftest import CUSTOMER, OTHER, advance, error_of, set_delay
from tests.dxsim.shapes import boto_client


def no_retries(dx_url: str, account: str = CUSTOMER) -> Any:
    return boto_client(dx_url, access_key="test" if account == CUSTOMER else account)


def new_connection(dx: Any) -> str:
    conn_id: str = dx.create_connection(location="EqDC2", bandwidth="1Gbps", connectionName="c")[
        "connectionId"
    ]
    return conn_id


def state_of(dx: Any, conn_id: str) -> str:
    return str(dx.describe_connections(connectionId=conn_id)["connections"][0]["connectionState"])


def put_faults(control: httpx.Client, **settings: Any) -> None:
    control.put("/faults", json=settings).raise_for_status()


# -- reset -------------------------------------------------------------------------------------
def test_reset_forgets_resources_and_call_counts(dx: Any, control: httpx.Client) -> None:
    new_connection(dx)
    assert control.get("/calls").json()["total"] == 1
    assert control.post("/reset", json={}).json() == {"reset": True, "seed": "empty"}
    assert control.get("/calls").json() == {"total": 0, "operations": {}, "byAccountRegion": {}}
    assert dx.describe_connections()["connections"] == []


def test_reset_restores_start_up_delay_faults_and_clock(control: httpx.Client) -> None:
    set_delay(control, 600)
    advance(control, 3600)
    put_faults(control, latencyMs=5, errorRate=0.5)
    control.post("/reset", json={}).raise_for_status()
    assert control.get("/settings").json() == {"provisioningDelay": 0.0}
    assert control.get("/clock").json()["offset"] == 0
    assert control.get("/faults").json() == {
        "latencyMs": 0.0,
        "throttleRate": 0.0,
        "throttleBurst": 0.0,
        "errorRate": 0.0,
        "dropRate": 0.0,
        "latencySpikeMs": 0.0,
        "latencySpikeRate": 0.0,
        "operations": [],
    }


def test_reset_with_unknown_seed_is_refused(control: httpx.Client) -> None:
    response = control.post("/reset", json={"seed": "galaxy"})
    assert response.status_code == 400
    assert "seed must be one of empty, demo" in response.json()["error"]["message"]


# -- clock and settings ------------------------------------------------------------------------
def test_clock_advance_moves_simulated_time(control: httpx.Client) -> None:
    before = control.get("/clock").json()
    moved = control.post("/clock/advance", json={"seconds": 3600}).json()
    after = control.get("/clock").json()
    assert after["offset"] == before["offset"] + 3600 == moved["offset"]
    assert after["now"] >= before["now"] + 3600


def test_clock_advance_applies_due_transitions(dx: Any, control: httpx.Client) -> None:
    set_delay(control, 60)
    conn_id = new_connection(dx)
    advance(control, 59)
    assert state_of(dx, conn_id) == "requested"
    advance(control, 1)
    assert state_of(dx, conn_id) == "pending"
    advance(control, 60)
    assert state_of(dx, conn_id) == "available"


def test_settings_report_and_change_the_provisioning_delay(control: httpx.Client) -> None:
    assert control.put("/settings", json={"provisioningDelay": 42}).json() == {
        "provisioningDelay": 42.0
    }
    assert control.get("/settings").json() == {"provisioningDelay": 42.0}
    assert control.get("/clock").json()["provisioningDelay"] == 42.0


def test_zero_provisioning_delay_completes_lifecycles_on_the_next_request(dx: Any) -> None:
    conn_id = new_connection(dx)
    assert state_of(dx, conn_id) == "available"


# -- link events -------------------------------------------------------------------------------
def test_link_down_and_up_moves_the_connection_and_its_dependents(
    dx: Any, control: httpx.Client
) -> None:
    conn_id = new_connection(dx)
    vgw = dx.describe_virtual_gateways()["virtualGateways"][0]["virtualGatewayId"]
    vif_id = dx.create_private_virtual_interface(
        connectionId=conn_id,
        newPrivateVirtualInterface={
            "virtualInterfaceName": "v",
            "vlan": 101,
            "asn": 65000,
            "virtualGatewayId": vgw,
        },
    )["virtualInterfaceId"]

    def vif() -> dict[str, Any]:
        found: dict[str, Any] = dx.describe_virtual_interfaces(virtualInterfaceId=vif_id)[
            "virtualInterfaces"
        ][0]
        return found

    assert vif()["virtualInterfaceState"] == "available"
    down = control.post(f"/connections/{conn_id}/link", json={"status": "down"})
    assert down.json() == {"id": conn_id, "linkUp": False, "state": "down"}
    assert state_of(dx, conn_id) == "down"
    assert vif()["virtualInterfaceState"] == "down"
    assert {p["bgpStatus"] for p in vif()["bgpPeers"]} == {"down"}

    up = control.post(f"/connections/{conn_id}/link", json={"status": "up"})
    assert up.json() == {"id": conn_id, "linkUp": True, "state": "available"}
    assert state_of(dx, conn_id) == "available"
    assert vif()["virtualInterfaceState"] == "available"
    assert {p["bgpStatus"] for p in vif()["bgpPeers"]} == {"up"}


def test_link_on_unknown_connection_is_404(control: httpx.Client) -> None:
    response = control.post("/connections/dxcon-fzzzzzzz/link", json={"status": "down"})
    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": "NotFound", "message": "Could not find Connection with ID dxcon-fzzzzzzz"}
    }


# -- call counts -------------------------------------------------------------------------------
def test_calls_are_counted_per_operation_and_per_account_region(
    dx: Any, dx_for: Any, control: httpx.Client
) -> None:
    for _ in range(3):
        dx.describe_connections()
    dx.describe_locations()
    dx_for(OTHER, "eu-west-1").describe_locations()
    assert control.get("/calls").json() == {
        "total": 5,
        "operations": {"DescribeConnections": 3, "DescribeLocations": 2},
        "byAccountRegion": {
            f"{CUSTOMER}/us-east-1": {"DescribeConnections": 3, "DescribeLocations": 1},
            f"{OTHER}/eu-west-1": {"DescribeLocations": 1},
        },
    }


def test_failed_calls_count_but_unauthenticated_ones_do_not(
    dx: Any, dx_url: str, control: httpx.Client
) -> None:
    with pytest.raises(ClientError):
        dx.describe_connections(connectionId="dxcon-fzzzzzzz")
    httpx.post(f"{dx_url}/", content=b"{}", headers={"X-Amz-Target": "x"})
    assert control.get("/calls").json()["operations"] == {"DescribeConnections": 1}


def test_delete_calls_zeroes_the_counts(dx: Any, control: httpx.Client) -> None:
    dx.describe_locations()
    assert control.delete("/calls").json()["total"] == 0
    assert control.get("/calls").json() == {"total": 0, "operations": {}, "byAccountRegion": {}}


# -- faults ------------------------------------------------------------------------------------
def test_latency_delays_every_call(dx: Any, control: httpx.Client) -> None:
    dx.describe_locations()
    put_faults(control, latencyMs=300)
    started = time.monotonic()
    dx.describe_locations()
    assert time.monotonic() - started >= 0.3


def test_throttled_call_raises_throttling_exception_without_retries(
    dx_url: str, control: httpx.Client
) -> None:
    client = no_retries(dx_url)
    put_faults(control, throttleRate=0.001)
    client.describe_locations()
    with pytest.raises(ClientError) as exc:
        client.describe_locations()
    assert error_of(exc) == ("ThrottlingException", "Rate exceeded")
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_botocore_retries_throttled_calls_until_they_succeed(
    dx_url: str, control: httpx.Client
) -> None:
    client = boto_client(dx_url, attempts=10)
    put_faults(control, throttleRate=5, throttleBurst=1)
    responses = [client.describe_connections() for _ in range(3)]
    retries = sum(r["ResponseMetadata"]["RetryAttempts"] for r in responses)
    assert retries > 0
    assert control.get("/calls").json()["operations"] == {"DescribeConnections": 3 + retries}


def test_throttling_is_per_account(dx_url: str, control: httpx.Client) -> None:
    put_faults(control, throttleRate=0.001)
    client = no_retries(dx_url)
    client.describe_locations()
    with pytest.raises(ClientError):
        client.describe_locations()
    assert no_retries(dx_url, OTHER).describe_locations()["locations"]


def test_error_rate_one_fails_every_call_with_a_500(dx_url: str, control: httpx.Client) -> None:
    put_faults(control, errorRate=1.0)
    with pytest.raises(ClientError) as exc:
        no_retries(dx_url).describe_locations()
    assert error_of(exc)[0] == "DirectConnectServerException"
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500


def test_faults_apply_only_to_the_listed_operations(dx_url: str, control: httpx.Client) -> None:
    put_faults(control, errorRate=1.0, operations=["DescribeConnections"])
    client = no_retries(dx_url)
    assert client.describe_locations()["locations"]
    with pytest.raises(ClientError) as exc:
        client.describe_connections()
    assert error_of(exc)[0] == "DirectConnectServerException"


def test_fault_settings_read_back_in_camel_case(control: httpx.Client) -> None:
    put_faults(control, latencyMs=1, throttleRate=2, operations=["DescribeLags"])
    assert control.get("/faults").json() == {
        "latencyMs": 1,
        "throttleRate": 2,
        "throttleBurst": 0.0,
        "errorRate": 0.0,
        "dropRate": 0.0,
        "latencySpikeMs": 0.0,
        "latencySpikeRate": 0.0,
        "operations": ["DescribeLags"],
    }


# -- refusals ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("method", "path", "body", "message"),
    [
        ("POST", "/reset", b"[1]", "must be a JSON object"),
        ("POST", "/clock/advance", b"{bad", "not valid JSON"),
        ("POST", "/clock/advance", b'{"seconds": -1}', "'seconds' must be a finite number"),
        ("POST", "/clock/advance", b'{"seconds": NaN}', "'seconds' must be a finite number"),
        ("POST", "/clock/advance", b'{"seconds": true}', "'seconds' must be a finite number"),
        ("PUT", "/settings", b"{}", "'provisioningDelay' must be a finite number"),
        ("PUT", "/settings", b'{"provisioningDelay": "5"}', "'provisioningDelay' must be"),
        ("PUT", "/faults", b'{"latency": 5}', "Unknown fault setting(s): latency"),
        ("PUT", "/faults", b'{"errorRate": 2}', "errorRate must be between 0 and 1"),
        ("PUT", "/faults", b'{"throttleRate": -1}', "throttleRate must be a finite number"),
        ("PUT", "/faults", b'{"operations": "DescribeLags"}', "operations must be a list"),
        ("PUT", "/faults", b'{"operations": ["Nope"]}', "Nope not among the simulated"),
        ("POST", "/connections/dxcon-fzzzzzzz/link", b'{"status": "sideways"}', "'up' or 'down'"),
    ],
)
def test_invalid_control_bodies_are_400_json_errors(
    control: httpx.Client, method: str, path: str, body: bytes, message: str
) -> None:
    response = control.request(method, path, content=body)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "InvalidRequest"
    assert message in error["message"]


def test_refused_fault_settings_change_nothing(control: httpx.Client) -> None:
    put_faults(control, latencyMs=7)
    control.put("/faults", json={"latencyMs": 1, "errorRate": 9})
    assert control.get("/faults").json()["latencyMs"] == 7


def test_unknown_control_path_is_a_json_404(control: httpx.Client) -> None:
    response = control.get("/teleport")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "NotFound"


def test_control_index_lists_the_endpoints(control: httpx.Client) -> None:
    endpoints = control.get("/").json()["endpoints"]
    assert "POST /_dxsim/clock/advance" in endpoints
    assert "GET|PUT /_dxsim/faults" in endpoints


def test_oversized_control_body_is_413(control: httpx.Client) -> None:
    response = control.put("/faults", content=b" " * ((1 << 20) + 1))
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "RequestEntityTooLarge"

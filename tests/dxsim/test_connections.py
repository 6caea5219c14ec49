"""Dedicated connections over boto3: lifecycle, rules and errors."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from botocore import xform_name
from botocore.exceptions import ClientError

from dxsim import protocol
from tests.conftest import CUSTOMER, advance, error_of, set_delay

ARN = re.compile(r"^arn:aws:directconnect:us-east-1:123456789012:dxcon/dxcon-[a-z0-9]{8}$")


def test_create_connection_returns_requested_with_aws_shaped_identity(dx: Any) -> None:
    conn = dx.create_connection(location="EqDC2", bandwidth="1Gbps", connectionName="primary")
    assert re.fullmatch(r"dxcon-[a-z0-9]{8}", conn["connectionId"])
    assert re.fullmatch(r"EqDC2-[a-z0-9]{12}", conn["awsDevice"])
    assert conn["connectionState"] == "requested"
    assert conn["ownerAccount"] == CUSTOMER
    assert conn["region"] == "us-east-1"
    assert conn["bandwidth"] == "1Gbps"


def test_connection_walks_requested_pending_available_on_the_simulated_clock(
    dx: Any, control: httpx.Client
) -> None:
    set_delay(control, 60)
    conn_id = dx.create_connection(location="EqDC2", bandwidth="10Gbps", connectionName="c")[
        "connectionId"
    ]

    def state() -> str:
        return str(
            dx.describe_connections(connectionId=conn_id)["connections"][0]["connectionState"]
        )

    assert state() == "requested"
    advance(control, 60)
    assert state() == "pending"
    advance(control, 60)
    assert state() == "available"


def test_connection_is_available_on_next_call_with_zero_delay(dx: Any) -> None:
    conn_id = dx.create_connection(location="EqDC2", bandwidth="1Gbps", connectionName="c")[
        "connectionId"
    ]
    conns = dx.describe_connections()["connections"]
    assert [(c["connectionId"], c["connectionState"]) for c in conns] == [(conn_id, "available")]


def test_unknown_location_is_refused(dx: Any) -> None:
    with pytest.raises(ClientError) as exc:
        dx.create_connection(location="Nowhere1", bandwidth="1Gbps", connectionName="c")
    code, message = error_of(exc)
    assert code == "DirectConnectClientException"
    assert "DescribeLocations" in message


def test_bandwidth_outside_dedicated_values_is_refused(dx: Any) -> None:
    with pytest.raises(ClientError) as exc:
        dx.create_connection(location="EqDC2", bandwidth="3Gbps", connectionName="c")
    assert "1Gbps, 10Gbps, 100Gbps, 400Gbps" in error_of(exc)[1]


@pytest.mark.aws_verified
def test_describe_unknown_connection_says_could_not_find(dx: Any) -> None:
    with pytest.raises(ClientError) as exc:
        dx.describe_connections(connectionId="dxcon-fzzzzzzz")
    assert error_of(exc) == (
        "DirectConnectClientException",
        "Could not find Connection with ID dxcon-fzzzzzzz",
    )


def test_accounts_do_not_see_each_others_connections(dx: Any, dx_partner: Any) -> None:
    conn_id = dx.create_connection(location="EqDC2", bandwidth="1Gbps", connectionName="c")[
        "connectionId"
    ]
    assert dx_partner.describe_connections()["connections"] == []
    with pytest.raises(ClientError):
        dx_partner.describe_connections(connectionId=conn_id)


def test_regions_are_separate(dx: Any, dx_for: Any) -> None:
    dx.create_connection(location="EqDC2", bandwidth="1Gbps", connectionName="c")
    assert dx_for(CUSTOMER, "us-west-2").describe_connections()["connections"] == []


@pytest.mark.aws_verified
def test_delete_requested_connection_is_deleted_at_once(dx: Any, control: httpx.Client) -> None:
    set_delay(control, 60)
    conn_id = dx.create_connection(location="EqDC2", bandwidth="1Gbps", connectionName="c")[
        "connectionId"
    ]
    assert dx.delete_connection(connectionId=conn_id)["connectionState"] == "deleted"


def test_delete_available_connection_passes_deleting(dx: Any, control: httpx.Client) -> None:
    conn_id = dx.create_connection(location="EqDC2", bandwidth="1Gbps", connectionName="c")[
        "connectionId"
    ]
    dx.describe_connections()
    set_delay(control, 30)
    assert dx.delete_connection(connectionId=conn_id)["connectionState"] == "deleting"
    advance(control, 30)
    assert (
        dx.describe_connections(connectionId=conn_id)["connections"][0]["connectionState"]
        == "deleted"
    )
    advance(control, 15 * 60)
    assert dx.describe_connections()["connections"] == []


# -- today's members ----------------------------------------------------------------------------
def test_create_connection_stores_tags_and_provider_and_returns_todays_members(dx: Any) -> None:
    conn = dx.create_connection(
        location="EqDC2",
        bandwidth="10Gbps",
        connectionName="tagged",
        tags=[{"key": "team", "value": "net"}, {"key": "bare"}],
        providerName="Megaport",
    )
    assert conn["tags"] == [{"key": "team", "value": "net"}, {"key": "bare"}]
    assert conn["providerName"] == "Megaport"
    assert conn["awsLogicalDeviceId"] == conn["awsDeviceV2"]
    assert conn["billingMode"] == "PayAsYouGo"
    assert conn["rateLimiterStatus"] == {
        "maxAllowed": 51,
        "inUse": 0,
        "remaining": 51,
        "totalBandwidth": "0Mbps",
    }
    assert conn["prefixPoolSizeIpv4"] == conn["prefixPoolUnallocatedCountIpv4"] == 51000
    assert conn["prefixPoolSizeIpv6"] == conn["prefixPoolUnallocatedCountIpv6"] == 51000
    [seen] = dx.describe_connections(connectionId=conn["connectionId"])["connections"]
    assert seen["tags"] == conn["tags"]
    arn = f"arn:aws:directconnect:us-east-1:{CUSTOMER}:dxcon/{conn['connectionId']}"
    assert dx.describe_tags(resourceArns=[arn])["resourceTags"][0]["tags"] == conn["tags"]


def test_invalid_tags_refuse_the_connection_before_it_is_created(dx: Any) -> None:
    with pytest.raises(ClientError) as exc:
        dx.create_connection(
            location="EqDC2",
            bandwidth="1Gbps",
            connectionName="c",
            tags=[{"key": "k"}, {"key": "k"}],
        )
    assert error_of(exc)[0] == "DuplicateTagKeysException"
    with pytest.raises(ClientError) as exc:
        dx.create_connection(
            location="EqDC2",
            bandwidth="1Gbps",
            connectionName="c",
            tags=[{"key": f"k{n}"} for n in range(51)],
        )
    assert error_of(exc)[0] == "TooManyTagsException"
    assert dx.describe_connections()["connections"] == []


def test_provider_must_be_one_of_the_locations_providers(dx: Any) -> None:
    with pytest.raises(ClientError) as exc:
        dx.create_connection(
            location="KIOQ1", bandwidth="1Gbps", connectionName="c", providerName="Megaport"
        )
    assert (
        "providerName 'Megaport' is not a service provider at location KIOQ1" in (error_of(exc)[1])
    )
    assert "KIO Networks" in error_of(exc)[1]


def test_port_speed_must_be_one_the_location_offers(dx: Any) -> None:
    with pytest.raises(ClientError) as exc:
        dx.create_connection(location="KIOQ1", bandwidth="100Gbps", connectionName="c")
    assert "Port speed 100Gbps is not available at location KIOQ1" in error_of(exc)[1]
    assert dx.create_connection(location="EqDC2", bandwidth="400Gbps", connectionName="c")


def test_describe_connections_pages_with_max_results_and_returns_all_without(dx: Any) -> None:
    ids = [
        dx.create_connection(location="EqDC2", bandwidth="1Gbps", connectionName=f"c{n}")[
            "connectionId"
        ]
        for n in range(5)
    ]
    everything = dx.describe_connections()
    assert [c["connectionId"] for c in everything["connections"]] == ids
    assert "nextToken" not in everything
    first = dx.describe_connections(maxResults=2)
    second = dx.describe_connections(maxResults=2, nextToken=first["nextToken"])
    third = dx.describe_connections(maxResults=2, nextToken=second["nextToken"])
    paged = [c["connectionId"] for page in (first, second, third) for c in page["connections"]]
    assert paged == ids
    assert "nextToken" not in third
    with pytest.raises(ClientError) as exc:
        dx.describe_lags(maxResults=2, nextToken=first["nextToken"])
    assert "nextToken is not valid" in error_of(exc)[1]


def test_rate_limiters_and_prefix_pools_count_the_vifs_on_the_connection(dx: Any) -> None:
    conn_id = dx.create_connection(location="EqDC2", bandwidth="10Gbps", connectionName="c")[
        "connectionId"
    ]
    vgw = dx.describe_virtual_gateways()["virtualGateways"][0]["virtualGatewayId"]
    for vlan, rate in ((101, "500Mbps"), (102, "1Gbps")):
        dx.create_private_virtual_interface(
            connectionId=conn_id,
            newPrivateVirtualInterface={
                "virtualInterfaceName": f"v{vlan}",
                "vlan": vlan,
                "asn": 65000,
                "virtualGatewayId": vgw,
                "rateLimit": rate,
                "prefixPoolAllocatedCountIpv4": 100,
            },
        )
    [conn] = dx.describe_connections(connectionId=conn_id)["connections"]
    assert conn["rateLimiterStatus"] == {
        "maxAllowed": 51,
        "inUse": 2,
        "remaining": 49,
        "totalBandwidth": "1500Mbps",
    }
    assert conn["prefixPoolUnallocatedCountIpv4"] == 51000 - 200
    assert conn["prefixPoolUnallocatedCountIpv6"] == 51000


@pytest.mark.parametrize(
    "operation",
    [
        "CreateConnection",
        "CreateLag",
        "CreateInterconnect",
        "AllocateHostedConnection",
        "DescribeConnections",
        "DescribeLags",
        "DescribeInterconnects",
        "DescribeHostedConnections",
        "UpdateConnection",
        "UpdateLag",
        "AssociateMacSecKey",
        "DisassociateMacSecKey",
        "ConfirmCustomerAgreement",
        "UpdateConnectionsBillingMode",
    ],
)
def test_every_member_of_todays_model_is_taken_never_dropped(operation: str) -> None:
    spec = protocol.operation_specs()[operation]
    members = spec.model.input_shape.members if spec.model.input_shape else {}
    assert {xform_name(m) for m in members} <= spec.accepted

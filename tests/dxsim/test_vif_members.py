"""Today's VIF members over boto3: tags in every New*VirtualInterface(Allocation) struct, asnLong
on every create and allocate, SiteLink, prefix pools, rateLimit, renames, awsLogicalDeviceId and
DescribeVirtualInterfaces paging. None is dropped silently: what does not apply is a 400."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.conftest import CUSTOMER, REGION, error_of
from tests.dxsim.test_virtual_interfaces import connection, describe, private_vif, public_vif

CLIENT_ERROR = "DirectConnectClientException"
TAGS = [{"key": "team", "value": "net"}, {"key": "bare"}]


def arn(vif_id: str, account: str = CUSTOMER) -> str:
    return f"arn:aws:directconnect:{REGION}:{account}:dxvif/{vif_id}"


def refused(call: Any, **kwargs: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as exc:
        call(**kwargs)
    return error_of(exc)


def lag_of_two(dx: Any) -> str:
    lag_id = str(
        dx.create_lag(
            numberOfConnections=2, location="EqDC2", connectionsBandwidth="1Gbps", lagName="l"
        )["lagId"]
    )
    dx.describe_lags(lagId=lag_id)
    return lag_id


# -- tags -----------------------------------------------------------------------------------------
def test_private_and_public_vifs_keep_the_tags_they_are_created_with(dx: Any) -> None:
    conn_id = connection(dx)
    private = private_vif(dx, conn_id, tags=TAGS)
    public = public_vif(dx, conn_id, tags=[{"key": "kind", "value": "public"}])
    assert private["tags"] == TAGS
    assert describe(dx, private["virtualInterfaceId"])["tags"] == TAGS
    assert describe(dx, public["virtualInterfaceId"])["tags"] == [
        {"key": "kind", "value": "public"}
    ]
    answer = dx.describe_tags(resourceArns=[arn(private["virtualInterfaceId"])])
    assert answer["resourceTags"][0]["tags"] == TAGS


def test_a_vif_without_tags_has_no_tags_member(dx: Any) -> None:
    assert "tags" not in private_vif(dx, connection(dx))


def test_allocated_vifs_are_tagged_under_the_owners_arn(dx: Any, dx_partner: Any) -> None:
    conn_id = connection(dx_partner)
    private = dx_partner.allocate_private_virtual_interface(
        connectionId=conn_id,
        ownerAccount=CUSTOMER,
        newPrivateVirtualInterfaceAllocation={
            "virtualInterfaceName": "p",
            "vlan": 7,
            "asn": 65001,
            "tags": TAGS,
        },
    )
    public = dx_partner.allocate_public_virtual_interface(
        connectionId=conn_id,
        ownerAccount=CUSTOMER,
        newPublicVirtualInterfaceAllocation={
            "virtualInterfaceName": "q",
            "vlan": 8,
            "asn": 65001,
            "amazonAddress": "198.51.100.1/30",
            "customerAddress": "198.51.100.2/30",
            "tags": TAGS,
        },
    )
    for vif in (private, public):
        assert vif["tags"] == TAGS
        assert describe(dx, vif["virtualInterfaceId"])["tags"] == TAGS
        tags = dx.describe_tags(resourceArns=[arn(vif["virtualInterfaceId"])])["resourceTags"]
        assert tags[0]["tags"] == TAGS


@pytest.mark.parametrize(
    ("tags", "code"),
    [
        ([{"key": "k", "value": "1"}, {"key": "k", "value": "2"}], "DuplicateTagKeysException"),
        ([{"key": f"k{n}"} for n in range(51)], "TooManyTagsException"),
        ([{"key": "bad!key"}], CLIENT_ERROR),
    ],
)
def test_bad_tags_refuse_the_vif_and_nothing_is_created(
    dx: Any, tags: list[dict[str, str]], code: str
) -> None:
    conn_id = connection(dx)
    with pytest.raises(ClientError) as exc:
        private_vif(dx, conn_id, tags=tags)
    assert error_of(exc)[0] == code
    assert dx.describe_virtual_interfaces(connectionId=conn_id)["virtualInterfaces"] == []


# -- asnLong --------------------------------------------------------------------------------------
def test_asn_long_works_on_public_create_and_on_allocations(dx: Any, dx_partner: Any) -> None:
    public = public_vif(dx, connection(dx), asnLong=4200000010)
    assert (public["asn"], public["asnLong"]) == (0, 4200000010)
    allocated = dx_partner.allocate_private_virtual_interface(
        connectionId=connection(dx_partner),
        ownerAccount=CUSTOMER,
        newPrivateVirtualInterfaceAllocation={
            "virtualInterfaceName": "p",
            "vlan": 7,
            "asnLong": 64999,
        },
    )
    assert (allocated["asn"], allocated["asnLong"]) == (64999, 64999)


def test_a_2_byte_asn_is_echoed_as_asn_long(dx: Any) -> None:
    vif = private_vif(dx, connection(dx), asn=65123)
    assert (vif["asn"], vif["asnLong"]) == (65123, 65123)


# -- SiteLink, prefix pools, rate limit -----------------------------------------------------------
def test_site_link_is_set_at_create_and_toggled_by_update(dx: Any) -> None:
    vif = private_vif(dx, connection(dx), enableSiteLink=True)
    assert vif["siteLinkEnabled"] is True
    vif_id = vif["virtualInterfaceId"]
    updated = dx.update_virtual_interface_attributes(
        virtualInterfaceId=vif_id, enableSiteLink=False
    )
    assert updated["siteLinkEnabled"] is False
    assert describe(dx, vif_id)["siteLinkEnabled"] is False


def test_site_link_and_prefix_pools_are_refused_on_a_public_vif(dx: Any) -> None:
    vif_id = public_vif(dx, connection(dx))["virtualInterfaceId"]
    for member in (
        {"enableSiteLink": True},
        {"prefixPoolAllocatedCountIpv4": 10},
        {"prefixPoolAllocatedCountIpv6": 10},
    ):
        code, message = refused(
            dx.update_virtual_interface_attributes, virtualInterfaceId=vif_id, **member
        )
        assert code == CLIENT_ERROR
        assert "only to private and transit" in message


def test_prefix_pools_are_0_to_1000(dx: Any) -> None:
    conn_id = connection(dx)
    vif = private_vif(
        dx, conn_id, prefixPoolAllocatedCountIpv4=1000, prefixPoolAllocatedCountIpv6=0
    )
    assert (vif["prefixPoolAllocatedCountIpv4"], vif["prefixPoolAllocatedCountIpv6"]) == (1000, 0)
    with pytest.raises(ClientError) as exc:
        private_vif(dx, conn_id, vlan=102, prefixPoolAllocatedCountIpv6=1001)
    assert "between 0 and 1000" in error_of(exc)[1]
    vif_id = vif["virtualInterfaceId"]
    updated = dx.update_virtual_interface_attributes(
        virtualInterfaceId=vif_id, prefixPoolAllocatedCountIpv4=5
    )
    assert updated["prefixPoolAllocatedCountIpv4"] == 5
    code, message = refused(
        dx.update_virtual_interface_attributes,
        virtualInterfaceId=vif_id,
        prefixPoolAllocatedCountIpv4=1001,
    )
    assert (code, "between 0 and 1000" in message) == (CLIENT_ERROR, True)


def test_rate_limit_is_a_bandwidth_within_the_connection(dx: Any) -> None:
    conn_id = connection(dx)  # 1Gbps
    vif = private_vif(dx, conn_id, rateLimit="500Mbps")
    assert vif["rateLimit"] == "500Mbps"
    for bad, text in (("fast", "between 50Mbps and 1.6Tbps"), ("10Mbps", "between 50Mbps")):
        with pytest.raises(ClientError) as exc:
            private_vif(dx, conn_id, vlan=102, rateLimit=bad)
        assert text in error_of(exc)[1]
    with pytest.raises(ClientError) as exc:
        private_vif(dx, conn_id, vlan=102, rateLimit="2Gbps")
    assert "exceeds the bandwidth" in error_of(exc)[1]
    vif_id = vif["virtualInterfaceId"]
    updated = dx.update_virtual_interface_attributes(virtualInterfaceId=vif_id, rateLimit="1Gbps")
    assert updated["rateLimit"] == "1Gbps"
    code, message = refused(
        dx.update_virtual_interface_attributes, virtualInterfaceId=vif_id, rateLimit="1.6Tbps"
    )
    assert (code, "exceeds the bandwidth" in message) == (CLIENT_ERROR, True)


def test_rate_limit_on_a_lag_may_use_all_its_members(dx: Any) -> None:
    vif = private_vif(dx, lag_of_two(dx), rateLimit="2Gbps")
    assert vif["rateLimit"] == "2Gbps"


def test_public_vifs_take_a_rate_limit_too(dx: Any) -> None:
    assert public_vif(dx, connection(dx), rateLimit="100Mbps")["rateLimit"] == "100Mbps"


def test_an_invalid_member_changes_nothing(dx: Any) -> None:
    vif_id = private_vif(dx, connection(dx))["virtualInterfaceId"]
    refused(
        dx.update_virtual_interface_attributes,
        virtualInterfaceId=vif_id,
        virtualInterfaceName="renamed",
        rateLimit="9Tbps",
    )
    assert describe(dx, vif_id)["virtualInterfaceName"] == "v"


# -- rename, logical device, paging ---------------------------------------------------------------
def test_update_renames_a_vif(dx: Any) -> None:
    vif_id = private_vif(dx, connection(dx))["virtualInterfaceId"]
    updated = dx.update_virtual_interface_attributes(
        virtualInterfaceId=vif_id, virtualInterfaceName="new-name"
    )
    assert updated["virtualInterfaceName"] == "new-name"
    assert describe(dx, vif_id)["virtualInterfaceName"] == "new-name"
    code, message = refused(
        dx.update_virtual_interface_attributes,
        virtualInterfaceId=vif_id,
        virtualInterfaceName="x" * 101,
    )
    assert (code, "virtualInterfaceName" in message) == (CLIENT_ERROR, True)


def test_vifs_have_a_stable_aws_logical_device_id(dx: Any) -> None:
    vif = private_vif(dx, connection(dx))
    assert vif["awsLogicalDeviceId"].startswith("EqDC2-")
    assert (
        describe(dx, vif["virtualInterfaceId"])["awsLogicalDeviceId"] == (vif["awsLogicalDeviceId"])
    )


def test_describe_virtual_interfaces_pages_only_when_asked(dx: Any) -> None:
    conn_id = connection(dx)
    made = [private_vif(dx, conn_id, vlan=100 + n)["virtualInterfaceId"] for n in range(5)]
    everything = dx.describe_virtual_interfaces()
    assert len(everything["virtualInterfaces"]) == 5
    assert "nextToken" not in everything
    seen: list[str] = []
    page = dx.describe_virtual_interfaces(maxResults=2)
    while True:
        seen += [v["virtualInterfaceId"] for v in page["virtualInterfaces"]]
        if "nextToken" not in page:
            break
        page = dx.describe_virtual_interfaces(maxResults=2, nextToken=page["nextToken"])
    assert seen == made
    code, message = refused(dx.describe_virtual_interfaces, maxResults=2, nextToken="bogus")
    assert (code, "nextToken is not valid" in message) == (CLIENT_ERROR, True)

"""The demo topology that `--seed demo` builds, through the backend's own operations.

Two regions (us-east-1, us-west-2) and two accounts: the customer 123456789012 and the partner
210987654321, whose interconnect carries hosted connections allocated to the customer. LAGs with
member connections, standalone connections, private and public VIFs with IPv4 and IPv6 peers, DX
gateways associated with VGWs in both regions, and tags everywhere. One hosted connection is left
`ordering` and one hosted VIF `confirming`, so the customer has something to confirm.

Beside it, an estate as built today (`_build_today`): a transit DX gateway with transit VIFs and
Transit Gateway associations (allowed prefixes) in both regions, a pending proposal from a spoke
account (444455556666) to associate its Transit Gateway, a MACsec-capable 100 Gbps connection with a
key, a resiliency group holding two connections, and a completed BGP failover test.
"""

from __future__ import annotations

from typing import Any

from dxsim.accounts import DEFAULT_ACCOUNT, Caller
from dxsim.backend import DirectConnectBackend

CUSTOMER = DEFAULT_ACCOUNT
PARTNER = "210987654321"
EAST = Caller(CUSTOMER, "us-east-1")
WEST = Caller(CUSTOMER, "us-west-2")
PARTNER_EAST = Caller(PARTNER, "us-east-1")
SPOKE = "444455556666"
SPOKE_EAST = Caller(SPOKE, "us-east-1")
# A CKN/CAK pair anyone can read: demo data, not a secret.
DEMO_CKN = "0123456789abcdef" * 4
DEMO_CAK = "fedcba9876543210" * 4


def _tag(b: DirectConnectBackend, caller: Caller, arn: str, **tags: str) -> None:
    b.tag_resource(caller, resource_arn=arn, tags=[{"key": k, "value": v} for k, v in tags.items()])


def _arn(region: str, account: str, resource_id: str) -> str:
    prefix = resource_id.split("-", 1)[0]
    return f"arn:aws:directconnect:{region}:{account}:{prefix}/{resource_id}"


def _vgws(b: DirectConnectBackend, caller: Caller) -> list[str]:
    return [v["virtualGatewayId"] for v in b.describe_virtual_gateways(caller)["virtualGateways"]]


def _settle_now(b: DirectConnectBackend) -> None:
    """Lets every planned transition happen, so the next step sees available resources."""
    b.advance(3600)


def _private_vif(
    b: DirectConnectBackend, caller: Caller, carrier: str, name: str, vlan: int, **target: Any
) -> str:
    vif = b.create_private_virtual_interface(
        caller,
        connection_id=carrier,
        new_private_virtual_interface={
            "virtualInterfaceName": name,
            "vlan": vlan,
            "asn": 65010,
            "mtu": 9001,
            "addressFamily": "ipv4",
            **target,
        },
    )
    return str(vif["virtualInterfaceId"])


def seed_demo(backend: DirectConnectBackend) -> None:
    """Builds the demo topology (see the module docstring); idempotent only on empty state."""
    b = backend
    delay = b.provisioning_delay
    b.provisioning_delay = 0
    try:
        _build(b)
        _build_today(b)
    finally:
        b.provisioning_delay = delay


def _build(b: DirectConnectBackend) -> None:
    # -- global: Direct Connect gateways --------------------------------------------------------
    dxgw = b.create_direct_connect_gateway(
        EAST, direct_connect_gateway_name="global-dxgw", amazon_side_asn=64512
    )["directConnectGateway"]["directConnectGatewayId"]
    lab_gw = b.create_direct_connect_gateway(
        EAST, direct_connect_gateway_name="lab-dxgw", amazon_side_asn=4200000001
    )["directConnectGateway"]["directConnectGatewayId"]
    east_vgws, west_vgws = _vgws(b, EAST), _vgws(b, WEST)
    _settle_now(b)
    for caller, vgw in ((EAST, east_vgws[0]), (WEST, west_vgws[0])):
        b.create_direct_connect_gateway_association(
            caller, direct_connect_gateway_id=dxgw, virtual_gateway_id=vgw
        )

    # -- us-east-1: a LAG, a standalone connection, the partner's interconnect ------------------
    lag = b.create_lag(
        EAST,
        number_of_connections=2,
        location="EqDC2",
        connections_bandwidth="10Gbps",
        lag_name="core-iad",
    )["lagId"]
    b.update_lag(EAST, lag_id=lag, minimum_links=1)
    backup = b.create_connection(
        EAST, location="CSVA1", bandwidth="1Gbps", connection_name="backup-iad"
    )["connectionId"]
    interconnect = b.create_interconnect(
        PARTNER_EAST, interconnect_name="partner-ic-iad", bandwidth="10Gbps", location="EqDC2"
    )["interconnectId"]
    _settle_now(b)

    core_vif = _private_vif(b, EAST, lag, "core-iad-to-dxgw", 101, directConnectGatewayId=dxgw)
    b.create_bgp_peer(
        EAST, virtual_interface_id=core_vif, new_bgp_peer={"asn": 65010, "addressFamily": "ipv6"}
    )
    backup_vif = _private_vif(
        b, EAST, backup, "backup-iad-to-vgw", 201, virtualGatewayId=east_vgws[1]
    )
    public_vif = b.create_public_virtual_interface(
        EAST,
        connection_id=backup,
        new_public_virtual_interface={
            "virtualInterfaceName": "public-iad",
            "vlan": 202,
            "asn": 65010,
            "addressFamily": "ipv4",
            "amazonAddress": "203.0.113.1/30",
            "customerAddress": "203.0.113.2/30",
            "routeFilterPrefixes": [{"cidr": "198.51.100.0/24"}],
        },
    )["virtualInterfaceId"]

    hosted = b.allocate_hosted_connection(
        PARTNER_EAST,
        connection_id=interconnect,
        owner_account=CUSTOMER,
        bandwidth="500Mbps",
        connection_name="hosted-iad-500m",
        vlan=301,
    )["connectionId"]
    b.allocate_hosted_connection(
        PARTNER_EAST,
        connection_id=interconnect,
        owner_account=CUSTOMER,
        bandwidth="200Mbps",
        connection_name="hosted-iad-200m awaiting confirmation",
        vlan=302,
    )
    b.confirm_connection(EAST, connection_id=hosted)
    _settle_now(b)
    hosted_vif = _private_vif(b, EAST, hosted, "hosted-iad-vif", 301, directConnectGatewayId=dxgw)

    # -- us-west-2: a standalone connection and a small LAG -------------------------------------
    sea = b.create_connection(
        WEST, location="EqSE2", bandwidth="10Gbps", connection_name="primary-sea"
    )["connectionId"]
    den_lag = b.create_lag(
        WEST,
        number_of_connections=1,
        location="CSDE1",
        connections_bandwidth="1Gbps",
        lag_name="edge-den",
    )["lagId"]
    _settle_now(b)
    sea_vif = _private_vif(b, WEST, sea, "primary-sea-to-dxgw", 110, directConnectGatewayId=dxgw)
    b.create_bgp_peer(
        WEST, virtual_interface_id=sea_vif, new_bgp_peer={"asn": 65010, "addressFamily": "ipv6"}
    )
    den_vif = _private_vif(b, WEST, den_lag, "edge-den-to-vgw", 120, virtualGatewayId=west_vgws[1])
    _settle_now(b)

    # -- tags everywhere -------------------------------------------------------------------------
    for caller, resource, tags in [
        (EAST, lag, {"env": "prod", "team": "network", "site": "iad"}),
        (EAST, backup, {"env": "prod", "team": "network", "role": "backup"}),
        (EAST, core_vif, {"env": "prod", "app": "core"}),
        (EAST, backup_vif, {"env": "prod", "app": "backup"}),
        (EAST, public_vif, {"env": "prod", "app": "s3-public"}),
        (EAST, hosted, {"env": "staging", "provider": "partner"}),
        (EAST, hosted_vif, {"env": "staging"}),
        (WEST, sea, {"env": "prod", "team": "network", "site": "sea"}),
        (WEST, den_lag, {"env": "dev", "site": "den"}),
        (WEST, sea_vif, {"env": "prod", "app": "core"}),
        (WEST, den_vif, {"env": "dev"}),
        (PARTNER_EAST, interconnect, {"owner": "partner-noc"}),
    ]:
        _tag(b, caller, _arn(caller.region, caller.account, resource), **tags)
    for gateway, tags in [(dxgw, {"env": "prod", "scope": "global"}), (lab_gw, {"env": "lab"})]:
        _tag(b, EAST, f"arn:aws:directconnect::{CUSTOMER}:dx-gateway/{gateway}", **tags)
    partner_port = b.create_connection(
        PARTNER_EAST, location="EqNY5", bandwidth="1Gbps", connection_name="partner-ny5"
    )["connectionId"]
    _settle_now(b)
    offered = []
    for vlan, name in ((303, "partner-offered-vif"), (304, "offered-vif awaiting confirmation")):
        offered.append(
            b.allocate_private_virtual_interface(
                PARTNER_EAST,
                connection_id=partner_port,
                owner_account=CUSTOMER,
                new_private_virtual_interface_allocation={
                    "virtualInterfaceName": name,
                    "vlan": vlan,
                    "asn": 65030,
                },
            )["virtualInterfaceId"]
        )
    b.confirm_private_virtual_interface(
        EAST, virtual_interface_id=offered[0], virtual_gateway_id=east_vgws[2]
    )
    _settle_now(b)


def _tags(**tags: str) -> list[dict[str, str]]:
    return [{"key": k, "value": v} for k, v in tags.items()]


def _build_today(b: DirectConnectBackend) -> None:
    """Today's estate beside the reference one (see the module docstring)."""
    transit_gw = b.create_direct_connect_gateway(
        EAST,
        direct_connect_gateway_name="transit-dxgw",
        amazon_side_asn=64700,
        tags=_tags(env="prod", scope="transit"),
    )["directConnectGateway"]["directConnectGatewayId"]
    east_tgw = b.ensure_transit_gateways(CUSTOMER, EAST.region)[0].id
    west_tgw = b.ensure_transit_gateways(CUSTOMER, WEST.region)[0].id
    spoke_tgw = b.ensure_transit_gateways(SPOKE, SPOKE_EAST.region)[0].id
    macsec = b.create_connection(
        EAST,
        location="EqDC2",
        bandwidth="100Gbps",
        connection_name="core-iad-100g-macsec",
        request_mac_sec=True,
        tags=_tags(env="prod", team="network", encryption="macsec"),
    )["connectionId"]
    sea = next(
        c["connectionId"]
        for c in b.describe_connections(WEST)["connections"]
        if c["connectionName"] == "primary-sea"
    )
    _settle_now(b)
    for caller, tgw, prefixes in (
        (EAST, east_tgw, ["10.10.0.0/16", "10.11.0.0/16"]),
        (WEST, west_tgw, ["10.20.0.0/16"]),
    ):
        b.create_direct_connect_gateway_association(
            caller,
            direct_connect_gateway_id=transit_gw,
            gateway_id=tgw,
            add_allowed_prefixes_to_direct_connect_gateway=[{"cidr": c} for c in prefixes],
        )
    b.associate_mac_sec_key(EAST, connection_id=macsec, ckn=DEMO_CKN, cak=DEMO_CAK)
    _settle_now(b)
    b.update_connection(EAST, connection_id=macsec, encryption_mode="should_encrypt")
    east_transit = b.create_transit_virtual_interface(
        EAST,
        connection_id=macsec,
        new_transit_virtual_interface={
            "virtualInterfaceName": "core-iad-transit",
            "vlan": 401,
            "asn": 65010,
            "mtu": 8500,
            "directConnectGatewayId": transit_gw,
            "tags": _tags(env="prod", app="transit"),
        },
    )["virtualInterface"]["virtualInterfaceId"]
    b.create_transit_virtual_interface(
        WEST,
        connection_id=sea,
        new_transit_virtual_interface={
            "virtualInterfaceName": "primary-sea-transit",
            "vlan": 410,
            "asnLong": 4200000010,
            "directConnectGatewayId": transit_gw,
            "enableSiteLink": True,
            "tags": _tags(env="prod", app="transit"),
        },
    )
    b.create_direct_connect_gateway_association_proposal(
        SPOKE_EAST,
        direct_connect_gateway_id=transit_gw,
        direct_connect_gateway_owner_account=CUSTOMER,
        gateway_id=spoke_tgw,
        add_allowed_prefixes_to_direct_connect_gateway=[{"cidr": "10.30.0.0/16"}],
    )
    backup = next(
        c["connectionId"]
        for c in b.describe_connections(EAST)["connections"]
        if c["connectionName"] == "backup-iad"
    )
    group = b.create_resiliency_group(
        EAST,
        resiliency_group_name="iad-high-resiliency",
        intended_resiliency_model="high-resiliency",
        tags=_tags(env="prod"),
    )["resiliencyGroup"]["resiliencyGroupId"]
    _settle_now(b)
    b.associate_connections_to_resiliency_group(
        EAST, resiliency_group_id=group, connection_identifiers=[macsec, backup]
    )
    _settle_now(b)
    b.start_bgp_failover_test(EAST, virtual_interface_id=east_transit, test_duration_in_minutes=30)
    _settle_now(b)

"""Builds Direct Connect topologies of a chosen size through boto3 (read tests, benchmarks)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ACCOUNT = "123456789012"
VIFS_PER_CARRIER = 50  # the per-connection quota for private/public VIFs


@dataclass
class Topology:
    """IDs of what `build` made, per region."""

    lags: dict[str, list[str]] = field(default_factory=dict)
    connections: dict[str, list[str]] = field(default_factory=dict)
    vifs: dict[str, list[str]] = field(default_factory=dict)
    gateways: list[str] = field(default_factory=list)


def arn(region: str, resource_id: str) -> str:
    prefix = resource_id.split("-", 1)[0]
    return f"arn:aws:directconnect:{region}:{ACCOUNT}:{prefix}/{resource_id}"


def build(clients: dict[str, Any], vifs_per_region: int, tag: bool = True) -> Topology:
    """Per region: one LAG and standalone connections (a carrier takes at most 50 VIFs), and
    `vifs_per_region` private VIFs alternating between the LAG (up to 50) and the connections,
    and between a DX gateway (one per region, global) and a VGW; every VIF gets an IPv6 peer
    beside its IPv4 one. With `tag`, everything is tagged.
    """
    top = Topology()
    home = next(iter(clients.values()))
    for index, (region, dx) in enumerate(clients.items()):
        gateway = home.create_direct_connect_gateway(
            directConnectGatewayName=f"gw-{region}", amazonSideAsn=64512 + index
        )["directConnectGateway"]["directConnectGatewayId"]
        top.gateways.append(gateway)
        vgws = [v["virtualGatewayId"] for v in dx.describe_virtual_gateways()["virtualGateways"]]
        location = dx.describe_locations()["locations"][0]["locationCode"]
        lag = dx.create_lag(
            numberOfConnections=2, location=location, connectionsBandwidth="10Gbps", lagName="lag"
        )["lagId"]
        on_lag_total = min(vifs_per_region // 2, VIFS_PER_CARRIER)
        on_connections = vifs_per_region - on_lag_total
        conns = [
            dx.create_connection(location=location, bandwidth="10Gbps", connectionName=f"c{n}")[
                "connectionId"
            ]
            for n in range(max(1, -(-on_connections // VIFS_PER_CARRIER)))
        ]
        dx.describe_connections()  # lets the new resources become available
        home.describe_direct_connect_gateways()
        dx.create_direct_connect_gateway_association(
            directConnectGatewayId=gateway, virtualGatewayId=vgws[0]
        )
        top.lags[region] = [lag]
        top.connections[region] = conns
        top.vifs[region] = []
        on_lag = on_conn = 0
        for n in range(vifs_per_region):
            if n % 2 and on_lag < on_lag_total:
                carrier, vlan = lag, 100 + on_lag
                on_lag += 1
            else:
                carrier = conns[on_conn // VIFS_PER_CARRIER]
                vlan = 100 + on_conn % VIFS_PER_CARRIER
                on_conn += 1
            target = {"directConnectGatewayId": gateway} if n % 2 else {"virtualGatewayId": vgws[1]}
            vif = dx.create_private_virtual_interface(
                connectionId=carrier,
                newPrivateVirtualInterface={
                    "virtualInterfaceName": f"vif-{n}",
                    "vlan": vlan,
                    "asn": 65000,
                    **target,
                },
            )["virtualInterfaceId"]
            dx.describe_virtual_interfaces(virtualInterfaceId=vif)
            dx.create_bgp_peer(
                virtualInterfaceId=vif, newBGPPeer={"asn": 65000, "addressFamily": "ipv6"}
            )
            top.vifs[region].append(vif)
        if tag:
            for resource in [lag, *conns, *top.vifs[region]]:
                dx.tag_resource(
                    resourceArn=arn(region, resource), tags=[{"key": "env", "value": "prod"}]
                )
    for gateway in top.gateways:
        home.tag_resource(
            resourceArn=f"arn:aws:directconnect::{ACCOUNT}:dx-gateway/{gateway}",
            tags=[{"key": "scope", "value": "global"}],
        )
    home.describe_virtual_interfaces()
    return top

"""Resources the dxsim tests build again and again, through the same boto3 clients users have.

With the tests' provisioning delay of 0, a resource reaches its next state on the next request;
`settle=True` makes that request (a describe), so the resource is `available` when returned.
"""

from __future__ import annotations

from typing import Any


def new_connection(
    dx: Any,
    name: str = "c",
    location: str = "EqDC2",
    bandwidth: str = "1Gbps",
    *,
    settle: bool = True,
    **extra: Any,
) -> str:
    """A dedicated connection's id."""
    conn_id: str = dx.create_connection(
        location=location, bandwidth=bandwidth, connectionName=name, **extra
    )["connectionId"]
    if settle:
        dx.describe_connections()
    return conn_id


def new_gateway(dx: Any, name: str = "gw", asn: int | None = None, **extra: Any) -> str:
    """A Direct Connect gateway's id (ASN 64512 unless given)."""
    if asn is not None:
        extra["amazonSideAsn"] = asn
    created = dx.create_direct_connect_gateway(directConnectGatewayName=name, **extra)
    return str(created["directConnectGateway"]["directConnectGatewayId"])


def transit_vif(
    dx: Any, conn_id: str, gateway_id: str, vlan: int = 401, **fields: Any
) -> dict[str, Any]:
    """A transit VIF on `conn_id` attached to `gateway_id`; `fields` override the defaults."""
    spec: dict[str, Any] = {
        "virtualInterfaceName": "transit",
        "vlan": vlan,
        "asn": 65000,
        "directConnectGatewayId": gateway_id,
        **fields,
    }
    vif: dict[str, Any] = dx.create_transit_virtual_interface(
        connectionId=conn_id, newTransitVirtualInterface=spec
    )["virtualInterface"]
    return vif


def offered_private_vif(partner: Any, owner_account: str, vlan: int = 301) -> str:
    """A private VIF the partner allocates on a new connection of its own to `owner_account`
    (left `confirming`); its id."""
    vif_id: str = partner.allocate_private_virtual_interface(
        connectionId=new_connection(partner, "partner"),
        ownerAccount=owner_account,
        newPrivateVirtualInterfaceAllocation={
            "virtualInterfaceName": "h",
            "vlan": vlan,
            "asn": 65001,
        },
    )["virtualInterfaceId"]
    return vif_id


def set_link(control: Any, connection_id: str, up: bool) -> None:
    """Takes a connection's physical link down or up through dxsim's control API."""
    status = "up" if up else "down"
    control.post(f"/connections/{connection_id}/link", json={"status": status}).raise_for_status()

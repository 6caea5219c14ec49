"""DescribeRouterConfiguration: a VIF's customer router configuration for a chosen router type.

The Cisco IOS entry's identifier, vendor, software and XSLT names are the ones Terraform's
acceptance test expects (dx-current-api.md §F); the Juniper entry is modelled on the same naming
and not verified against AWS. The configuration text is the same XML that DescribeVirtualInterfaces
returns as `customerRouterConfig` (VLAN, addresses, ASNs, BGP key), whatever the router type.
"""

from __future__ import annotations

from typing import Any

from dxsim.accounts import Caller
from dxsim.base import BackendBase
from dxsim.validation import check_choice

# routerTypeIdentifier → (vendor, platform, software, xsltTemplateName, xsltTemplateNameForMacSec)
ROUTER_TYPES: dict[str, tuple[str, str, str, str, str]] = {
    "CiscoSystemsInc-2900SeriesRouters-IOS124": (
        "Cisco Systems, Inc.",
        "2900 Series Routers",
        "IOS 12.4+",
        "customer-router-cisco-generic.xslt",
        "",
    ),
    "JuniperNetworksInc-MMXSeriesRouters-JunOS95": (
        "Juniper Networks, Inc.",
        "M/MX Series Routers",
        "JunOS 9.5+",
        "customer-router-juniper-generic.xslt",
        "",
    ),
}


def router_type(identifier: str) -> dict[str, str]:
    """The RouterType shape of one known router type."""
    vendor, platform, software, xslt, xslt_macsec = ROUTER_TYPES[identifier]
    return {
        "vendor": vendor,
        "platform": platform,
        "software": software,
        "xsltTemplateName": xslt,
        "xsltTemplateNameForMacSec": xslt_macsec,
        "routerTypeIdentifier": identifier,
    }


class RouterConfigurationOperations(BackendBase):
    """DescribeRouterConfiguration; composed into the backend."""

    def describe_router_configuration(
        self,
        caller: Caller,
        *,
        virtual_interface_id: str,
        router_type_identifier: str | None = None,
    ) -> dict[str, Any]:
        """DescribeRouterConfiguration: the VIF's router configuration, and the router type's
        details when one is named. An unknown router type is refused, naming the known ones."""
        vif = self.get_virtual_interface(caller, virtual_interface_id)
        result: dict[str, Any] = {}
        if router_type_identifier is not None:
            check_choice(router_type_identifier, ROUTER_TYPES, "routerTypeIdentifier")
            result["router"] = router_type(router_type_identifier)
        peers = vif.peers(self)
        result["customerRouterConfig"] = vif.router_config(peers, vif.first_peer(self, peers))
        result["virtualInterfaceId"] = vif.id
        result["virtualInterfaceName"] = vif.virtual_interface_name
        return result

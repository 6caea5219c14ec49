"""The catalogue of Direct Connect locations per region (dx-facts.md §5.6).

Codes use AWS's mixed-case spelling where it is attested (`EqDC2`, `CSVA1`, `EqSE2`). Each
location also has an `Offer` (port speeds, providers, MACsec speeds, billing modes) that
DescribeLocations returns and the creates check; offers vary by location (simulated, not AWS's
real table) so each rule can be exercised.
"""

from __future__ import annotations

from dataclasses import dataclass

LOCATIONS: dict[str, dict[str, str]] = {
    "us-east-1": {
        "165HS": "165 Halsey Street, Newark, NJ",
        "CS32A": "CoreSite NY1, New York, NY",
        "CSVA1": "CoreSite VA1, Reston, VA",
        "EqDA2": "Equinix DA2, Dallas, TX",
        "EqDC2": "Equinix DC2/DC11, Ashburn, VA",
        "EqMI1": "Equinix MI1, Miami, FL",
        "EqNY5": "Equinix NY5, Secaucus, NJ",
        "KIOQ1": "KIO Networks QRO 1, Queretaro, Mexico",
        "LGT50": "Crown Castle, Philadelphia, PA",
        "MB1SD": "Markley, One Summer Street, Boston, MA",
        "QTDC2": "QTS ATL1, Atlanta, GA",
        "TLLPJ": "Digital Realty IAD38, Ashburn, VA",
        "TLXA1": "Digital Realty ATL13, Atlanta, GA",
    },
    "us-west-2": {
        "ALN91": "AlohaNAP, Kapolei, HI",
        "CSDE1": "CoreSite DE1, Denver, CO",
        "DBLV1": "DataBank LAS1, Las Vegas, NV",
        "ECPO1": "EdgeConneX, Hillsboro, OR",
        "EqSE2": "Equinix SE2/SE3, Westin Building Exchange, Seattle, WA",
        "PEH51": "Pittock Block, Portland, OR",
        "SNAP": "Switch SUPERNAP 8, Las Vegas, NV",
        "T5ALA": "Serverfarm LAX1, El Segundo, CA",
        "TPS19": "TierPoint, Seattle, WA",
    },
    "eu-west-1": {
        "EIRCL": "Eircom Clonshaugh, Dublin, Ireland",
        "EqDX1": "Equinix DX1, Dubai, UAE",
        "EqLD5": "Equinix LD5, Slough, United Kingdom",
        "EqLS1": "Equinix LS1, Lisbon, Portugal",
        "ETIFJ": "Etisalat Smart Hub, Fujairah, UAE",
        "ITXD2": "Digital Realty DUB2, Dublin, Ireland",
        "ITXM1": "Digital Realty MRS1, Marseille, France",
        "SCDB9": "Servecentric Unit 9, Dublin, Ireland",
        "TCSH": "Digital Realty LHR20, London, United Kingdom",
        "TEJB1": "Teraco JB1, Johannesburg, South Africa",
    },
    "us-west-1": {"CSSV4": "CoreSite SV4, Santa Clara, CA"},
    "sa-east-1": {
        "TNDB": "NAP do Brasil, Barueri, Sao Paulo",
        "TIVIT": "Tivit - Site Transamerica (Sao Paulo)",
    },
}


@dataclass(frozen=True)
class BillingOffer:
    """One billing mode a location offers: for which port speeds, and which Regions' data
    transfer it includes (`Location.availableBillingModes[]`)."""

    billing_mode: str
    port_speeds: tuple[str, ...]
    included_regions: tuple[str, ...]


@dataclass(frozen=True)
class Offer:
    """What a location offers dedicated ports: speeds, service providers, the speeds that can
    run MACsec, and billing modes. CreateConnection/CreateLag/CreateInterconnect and
    UpdateConnectionsBillingMode check requests against it (`dxsim.locations`)."""

    port_speeds: tuple[str, ...]
    providers: tuple[str, ...]
    macsec_speeds: tuple[str, ...]
    billing: tuple[BillingOffer, ...]


def _offer(
    region: str,
    speeds: tuple[str, ...],
    providers: tuple[str, ...],
    macsec: tuple[str, ...],
    flat_rate: bool,
) -> Offer:
    billing = [BillingOffer("PayAsYouGo", speeds, (region,))]
    if flat_rate:
        nearby = NEARBY_REGIONS.get(region, (region,))
        billing += [
            BillingOffer("FlatRateTier1", tuple(s for s in speeds if s == "10Gbps"), (region,)),
            BillingOffer(
                "FlatRateTier2", tuple(s for s in speeds if s in ("10Gbps", "100Gbps")), nearby
            ),
        ]
        if "400Gbps" in speeds:
            billing += [
                BillingOffer("FlatRateTier3", ("100Gbps", "400Gbps"), nearby),
                BillingOffer("PortPairFlatRateTier1", ("100Gbps", "400Gbps"), nearby),
            ]
    return Offer(speeds, providers, macsec, tuple(billing))


# Regions whose data transfer the wider flat-rate tiers include (simulated, not AWS's table).
NEARBY_REGIONS: dict[str, tuple[str, ...]] = {
    "us-east-1": ("us-east-1", "us-east-2"),
    "us-west-2": ("us-west-2", "us-west-1"),
    "us-west-1": ("us-west-1", "us-west-2"),
    "eu-west-1": ("eu-west-1", "eu-west-2"),
    "sa-east-1": ("sa-east-1",),
}
_ALL = ("1Gbps", "10Gbps", "100Gbps", "400Gbps")
_STANDARD = ("1Gbps", "10Gbps", "100Gbps")
_SMALL = ("1Gbps", "10Gbps")
_BIG_PROVIDERS = ("Equinix, Inc.", "Megaport", "Zayo Group", "Lumen Technologies")
_PROVIDERS = ("Megaport", "Zayo Group")
# Locations that differ from the standard offer (1/10/100 Gbps, MACsec at 10/100 Gbps,
# pay-as-you-go plus two flat-rate tiers), so every rule has a location where it bites:
# 400 Gbps and MACsec at 400 Gbps where AWS has 400G ports (dx-facts.md §5.6), and small sites
# with 1/10 Gbps only, one local provider, no MACsec and pay-as-you-go only.
_BIG = frozenset({"165HS", "CSVA1", "EqDC2"})
_LOCAL = {
    "KIOQ1": "KIO Networks",
    "ALN91": "AlohaNAP",
    "TEJB1": "Teraco",
    "TIVIT": "Tivit",
    "ETIFJ": "Etisalat",
}


def location_offer(region: str, code: str) -> Offer:
    """The offer of a location `LOCATIONS` lists (the caller checks that it exists)."""
    if code in _BIG:
        return _offer(region, _ALL, _BIG_PROVIDERS, ("10Gbps", "100Gbps", "400Gbps"), True)
    if code in _LOCAL:
        return _offer(region, _SMALL, (_LOCAL[code],), (), False)
    return _offer(region, _STANDARD, _PROVIDERS, ("10Gbps", "100Gbps"), True)

"""The catalogue of Direct Connect locations per region (dx-facts.md §5.6).

Codes use AWS's mixed-case spelling where it is attested (`EqDC2`, `CSVA1`, `EqSE2`).
"""

from __future__ import annotations

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

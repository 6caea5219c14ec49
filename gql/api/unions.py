"""Unions over resource kinds; kept apart so the kinds' modules need not import each other."""

from __future__ import annotations

from typing import Annotated

import strawberry

from gql.api.connection import DxConnection
from gql.api.interconnect import Interconnect
from gql.api.lag import Lag

__all__ = ["ConnectionParent", "VirtualInterfaceHost"]

ConnectionParent = Annotated[
    Interconnect | Lag,
    strawberry.union(
        "ConnectionParent", description="The interconnect or LAG a hosted connection lives on."
    ),
]

VirtualInterfaceHost = Annotated[
    DxConnection | Lag,
    strawberry.union(
        "VirtualInterfaceHost",
        description="What a virtual interface runs on: a connection (dedicated, hosted) or a LAG.",
    ),
]

"""Mutations on virtual interfaces and BGP peers."""

from __future__ import annotations

import strawberry


@strawberry.type
class VirtualInterfaceMutations:
    pass

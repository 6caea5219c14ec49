"""The demo topology that `--seed demo` builds (filled in with the resource operations)."""

from __future__ import annotations

from dxsim.backend import DirectConnectBackend


def seed_demo(backend: DirectConnectBackend) -> None:
    """Builds a realistic two-region, two-account topology through the backend's own operations."""

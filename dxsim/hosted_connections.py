"""Hosted connections: partners allocate them on an interconnect or LAG for a customer account."""

from __future__ import annotations

from dxsim.base import BackendBase


class HostedConnectionOperations(BackendBase):
    """Hosted-connection operations; composed into `DirectConnectBackend`."""

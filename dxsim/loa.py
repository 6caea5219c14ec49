"""Letters of Authorization: real PDFs naming the connection, location, port and provider."""

from __future__ import annotations

from dxsim.base import BackendBase


class LoaOperations(BackendBase):
    """DescribeLoa and the two deprecated LOA calls; composed into `DirectConnectBackend`."""

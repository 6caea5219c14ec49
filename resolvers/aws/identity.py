"""Per-caller AWS identity: callers mapped to an IAM role get a Direct Connect client of their own.

A key or token with a `roleArn` makes that caller's upstream calls as the role (STS AssumeRole with
the gateway's own credentials), so one gateway can serve several teams or accounts without sharing
one role. Each role's client has the role's account as its identity, so caches and their
invalidation are kept per account. Sessions are renewed before they expire.
"""

from __future__ import annotations

import asyncio
import time

from gql.settings import Settings
from resolvers.aws.client import DirectConnectClient

RENEW_BEFORE_SECONDS = 300.0


class RoleClients:
    """One `DirectConnectClient` per assumed role, made on first use and renewed before expiry.

    Args:
        settings: the gateway's settings (endpoints, timeouts, retries).
        base: the gateway's own client, whose credentials assume the roles.
    """

    def __init__(self, settings: Settings, base: DirectConnectClient) -> None:
        self._settings = settings
        self._base = base
        self._clients: dict[str, tuple[DirectConnectClient, float]] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def client_for(self, role_arn: str) -> DirectConnectClient:
        """The client acting as `role_arn`.

        Raises:
            UpstreamError: STS refused the role or was unreachable.
        """
        cached = self._clients.get(role_arn)
        if cached is not None and cached[1] - RENEW_BEFORE_SECONDS > time.time():
            return cached[0]
        lock = self._locks.setdefault(role_arn, asyncio.Lock())
        async with lock:
            cached = self._clients.get(role_arn)
            if cached is not None and cached[1] - RENEW_BEFORE_SECONDS > time.time():
                return cached[0]
            session = await self._base.assume_role(role_arn, "dxgraph")
            client = DirectConnectClient(self._settings, session=session)
            self._clients[role_arn] = (client, session.expires_at)
            if cached is not None:
                cached[0].close()
            return client

    def close(self) -> None:
        for client, _ in self._clients.values():
            client.close()
        self._clients.clear()

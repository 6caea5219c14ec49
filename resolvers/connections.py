"""Top-level reads of connections (dedicated, LAG members and hosted ones the caller owns)."""

from __future__ import annotations

from typing import Any

from gql.enums import ConnectionState
from gql.types.common import regional_arn
from gql.types.connection import DxConnection
from resolvers.filters import Fields
from resolvers.listing import get_resolver, list_resolver


def _arn(item: dict[str, Any], account: str) -> str:
    return regional_arn(item["region"], item.get("ownerAccount") or account, item["connectionId"])


list_connections = list_resolver(
    "connections",
    DxConnection,
    ConnectionState,
    Fields(state="connectionState", name="connectionName"),
    _arn,
)
get_connection = get_resolver("connections", DxConnection, "connectionId", "dxcon-…")

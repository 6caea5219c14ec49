"""Today's members of the port shapes (Connection, Lag, Interconnect; dx-current-api.md §2),
derived where AWS derives them: tags, MACsec keys and encryption status, rate limiters and prefix
pools. `dxsim.records` builds the wire shapes with these; they read the world through
`records.Tables`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dxsim.resource import GONE_STATES

if TYPE_CHECKING:
    from dxsim.records import Tables

# Rate limiters per dedicated connection or LAG: one per VIF, and a connection carries at most
# 51 VIFs (dx-current-api.md §4.4).
RATE_LIMITERS_PER_PORT = 51
# Inbound prefixes a dedicated connection or LAG can hand out to its VIFs, per address family.
# The size is simulated: room for every VIF a port can carry (51) to take the most a VIF may
# (1000, §4.4), so a VIF's allocation never has to be refused for the pool and the unallocated
# count is always exact.
PREFIX_POOL_SIZE = 51 * 1000
_UNITS = {"Mbps": 1, "Gbps": 1000, "Tbps": 1_000_000}


def port_arn(region: str, account: str, resource_id: str) -> str:
    """ARN of a connection, interconnect or LAG (as `dxsim.base.resource_arn`)."""
    return f"arn:aws:directconnect:{region}:{account}:{resource_id.split('-', 1)[0]}/{resource_id}"


def tags_wire(world: Tables, region: str, account: str, resource_id: str) -> list[Any] | None:
    """The `tags` member: the resource's tags, or absent when it has none."""
    tag_set = world.tag_sets.get(port_arn(region, account, resource_id))
    return [dict(t) for t in tag_set.tags] if tag_set is not None and tag_set.tags else None


def mac_sec_keys(world: Tables, owner_id: str) -> list[Any]:
    """MACsec keys of a port or LAG, oldest first (disassociated ones are purged)."""
    return sorted(world.children("mac_sec_key", owner_id), key=lambda k: (k.created_at, k.id))


def encryption_status(up: bool, keys: list[Any]) -> str:
    """`portEncryptionStatus`: up once an associated key and an operational link meet."""
    if up and any(k.state == "associated" for k in keys):
        return "Encryption Up"
    return "Encryption Down"


def mac_sec_wire(capable: bool, mode: str | None, up: bool, keys: list[Any]) -> dict[str, Any]:
    """The MACsec members of a MACsec-capable port; only `macSecCapable: false` otherwise."""
    if not capable:
        return {"macSecCapable": False}
    return {
        "macSecCapable": True,
        "portEncryptionStatus": encryption_status(up, keys),
        "encryptionMode": mode,
        "macSecKeys": [k.to_wire() for k in keys],
    }


def mbps(bandwidth: str) -> float:
    """`50Mbps`, `10Gbps`, `1.6Tbps` → megabits per second (0 if unreadable)."""
    for unit, factor in _UNITS.items():
        if bandwidth.endswith(unit):
            try:
                return float(bandwidth[: -len(unit)]) * factor
            except ValueError:
                return 0.0
    return 0.0


def bandwidth_text(value: float) -> str:
    if value >= 1000 and value % 1000 == 0:
        return f"{int(value // 1000)}Gbps"
    return f"{value:g}Mbps"


def port_pools(world: Tables, carrier_id: str) -> dict[str, Any]:
    """Rate limiter status and prefix pools of a dedicated connection or LAG, from the live
    VIFs on it (their `rateLimit` and `prefixPoolAllocatedCountIpv4/6`)."""
    vifs = [
        v
        for v in world.virtual_interfaces.values()
        if v.connection_id == carrier_id and v.virtual_interface_state not in GONE_STATES
    ]
    limits = [v.rate_limit for v in vifs if v.rate_limit]
    used_v4 = sum(v.prefix_pool_ipv4 or 0 for v in vifs)
    used_v6 = sum(v.prefix_pool_ipv6 or 0 for v in vifs)
    return {
        "rateLimiterStatus": {
            "maxAllowed": RATE_LIMITERS_PER_PORT,
            "inUse": len(limits),
            "remaining": max(0, RATE_LIMITERS_PER_PORT - len(limits)),
            "totalBandwidth": bandwidth_text(sum(mbps(r) for r in limits)),
        },
        "prefixPoolSizeIpv4": PREFIX_POOL_SIZE,
        "prefixPoolSizeIpv6": PREFIX_POOL_SIZE,
        "prefixPoolUnallocatedCountIpv4": max(0, PREFIX_POOL_SIZE - used_v4),
        "prefixPoolUnallocatedCountIpv6": max(0, PREFIX_POOL_SIZE - used_v6),
    }

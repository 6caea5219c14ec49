"""Property-based tests of the simulator: random operation sequences across two accounts keep its
invariants.

A hypothesis `RuleBasedStateMachine` creates and deletes connections, LAGs, interconnects, hosted
connections, VIFs (created, allocated to the other account, confirmed, moved), BGP peers, DX
gateways, associations and tags, takes links down and up and moves the clock, as either account
and in either region, often on the other account's resources. After the steps it reads the
world back through the describe operations of both accounts and checks:

* every operation succeeds or is refused with a client error (DirectConnectClientException and
  its family: HTTP 400) — never a server error or another exception;
* no live VIF without its connection/LAG (a VIF deleting, deleted or rejected may outlive it);
* no state outside the reference's enums;
* a LAG's numberOfConnections equals its listed members and the connections that name it;
* VLANs are unique per connection/LAG among live VIFs;
* a virtual private gateway is in at most one live association; a DX gateway's live
  associations are all VGWs (at most 20) or all TGWs (at most 6), each with at most 200 distinct
  allowed prefixes;
* association proposals are shown only to their two accounts;
* at most 50 tags per resource;
* each account sees only its own resources (and the hosted ones the rules share), only in the
  region it asks, also when it asks for the other account's resources by ID.

Two drivers run the same machine: the backend in-process (fast: many examples) and the real
HTTP server through boto3 (fewer). The provisioning delay is an hour, so lifecycles move only
when a rule advances the clock. Failing examples the machine found are kept as plain regression
tests at the end of the file.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import boto3
import httpx
import pytest
from botocore import xform_name
from botocore.config import Config
from botocore.exceptions import ClientError, ParamValidationError
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from dxsim import DirectConnectBackend, protocol
from dxsim.accounts import Caller
from dxsim.base import gateway_arn, resource_arn
from dxsim.catalogue import LOCATIONS
from dxsim.exceptions import DXError
from dxsim.gateway_records import seeded_tgws, seeded_vgw_ids
from tests.conftest import CUSTOMER, PARTNER, error_of

ACCOUNTS = (CUSTOMER, PARTNER)
REGIONS = ("us-east-1", "us-west-2")
DELAY = 3600.0  # one lifecycle step per simulated hour; real time never gets there in a test
GONE = frozenset({"deleting", "deleted", "rejected"})

# The reference's enums (directconnect-boto3-reference.txt L87, L424, L443-444, L2005, L2085,
# L2181, L2316, L4288; VirtualGateway's state is a plain string whose prose lists four values).
REFERENCE_STATES: dict[str, frozenset[str]] = {
    "connectionState": frozenset(
        {"ordering", "requested", "pending", "available", "down", "deleting", "deleted", "rejected"}
    ),
    "interconnectState": frozenset(
        {"requested", "pending", "available", "down", "deleting", "deleted"}
    ),
    "lagState": frozenset({"requested", "pending", "available", "down", "deleting", "deleted"}),
    "virtualInterfaceState": frozenset(
        {
            "confirming",
            "verifying",
            "pending",
            "available",
            "down",
            "deleting",
            "deleted",
            "rejected",
        }
    ),
    "bgpPeerState": frozenset({"verifying", "pending", "available", "deleting", "deleted"}),
    "bgpStatus": frozenset({"up", "down"}),
    "directConnectGatewayState": frozenset({"pending", "available", "deleting", "deleted"}),
    "associationState": frozenset(
        {"associating", "associated", "disassociating", "disassociated", "updating"}
    ),
    "proposalState": frozenset({"requested", "accepted", "deleted"}),
    "attachmentState": frozenset({"attaching", "attached", "detaching", "detached"}),
    "virtualGatewayState": frozenset({"pending", "available", "deleting", "deleted"}),
}
# Refusals of the DirectConnectClientException family: the caller's fault, HTTP 400.
CLIENT_ERRORS = frozenset(
    {
        "DirectConnectClientException",
        "DuplicateTagKeysException",
        "TooManyTagsException",
        "ValidationException",
    }
)
BOGUS = {
    "connection": "dxcon-fzzzzzzz",
    "lag": "dxlag-fzzzzzzz",
    "interconnect": "dxcon-fyyyyyyy",
    "vif": "dxvif-fzzzzzzz",
    "gateway": "00000000-0000-4000-8000-000000000000",
    "peer": "dxpeer-fzzzzzzz",
}
TAG_KEYS = [f"k{n}" for n in range(60)]
# Examples per run: bounded for `make test` (the file runs in about 20 s). A sample, not a proof:
# the VLAN clash below took thousands of examples to find. For a long hunt, scale them up:
# DXSIM_PROPERTY_SCALE=20 .venv/bin/pytest tests/dxsim/test_properties.py (about 5 minutes).
SCALE = max(1, int(os.environ.get("DXSIM_PROPERTY_SCALE", "1")))
IN_PROCESS_EXAMPLES = 120 * SCALE
HTTP_EXAMPLES = 12 * SCALE


class NotAClientError(AssertionError):
    """An operation failed otherwise than with a client error: a bug of the simulator."""


@dataclass(frozen=True)
class Refused:
    code: str
    message: str


Answer = dict[str, Any] | Refused


class Driver:
    """Runs Direct Connect operations as an account in a region (wire names in and out)."""

    def call(self, account: str, region: str, operation: str, params: dict[str, Any]) -> Answer:
        raise NotImplementedError

    def set_link(self, connection_id: str, up: bool) -> None:
        raise NotImplementedError

    def advance(self, seconds: float) -> None:
        raise NotImplementedError


class InProcess(Driver):
    """The backend itself, behind the same input checks as the HTTP endpoint."""

    def __init__(self) -> None:
        self.backend = DirectConnectBackend(provisioning_delay=DELAY, id_seed=7)

    def call(self, account: str, region: str, operation: str, params: dict[str, Any]) -> Answer:
        spec = protocol.operation_specs()[operation]
        try:
            kwargs = protocol.check_input(spec, params)
            result: dict[str, Any] = self.backend.call(Caller(account, region), spec.method, kwargs)
        except DXError as err:
            if err.status >= 500 or err.code not in CLIENT_ERRORS:
                raise NotAClientError(
                    f"{operation} {params} as {account}/{region}: {err.code} ({err.status}): "
                    f"{err.message}"
                ) from err
            return Refused(err.code, err.message)
        return result

    def set_link(self, connection_id: str, up: bool) -> None:
        try:
            self.backend.set_link(connection_id, up)
        except DXError as err:
            if err.status >= 500:
                raise NotAClientError(f"link {connection_id}: {err.message}") from err

    def advance(self, seconds: float) -> None:
        self.backend.advance(seconds)


class OverHttp(Driver):
    """The simulator's HTTP server, through boto3 (SigV4, JSON 1.1) and the control API."""

    url: ClassVar[str] = ""

    def __init__(self) -> None:
        self.control = httpx.Client(base_url=f"{self.url}/_dxsim", timeout=10)
        self.control.post("/reset", json={}).raise_for_status()
        self.control.put("/settings", json={"provisioningDelay": DELAY}).raise_for_status()
        self.clients = self.clients_for(self.url)

    @staticmethod
    def clients_for(url: str) -> dict[tuple[str, str], Any]:
        """A boto3 client per (account, region), without retries."""
        config = Config(retries={"mode": "standard", "max_attempts": 1})
        return {
            (account, region): boto3.client(
                "directconnect",
                region_name=region,
                endpoint_url=url,
                aws_access_key_id="test" if account == CUSTOMER else account,
                aws_secret_access_key="test",
                config=config,
            )
            for account in ACCOUNTS
            for region in REGIONS
        }

    def call(self, account: str, region: str, operation: str, params: dict[str, Any]) -> Answer:
        client = self.clients[(account, region)]
        try:
            result: dict[str, Any] = getattr(client, xform_name(operation))(**params)
        except ParamValidationError as err:
            return Refused("ParamValidationError", str(err))
        except ClientError as err:
            status = err.response["ResponseMetadata"]["HTTPStatusCode"]
            code = err.response["Error"]["Code"]
            if status >= 500 or code not in CLIENT_ERRORS:
                raise NotAClientError(
                    f"{operation} {params} as {account}/{region}: {code} ({status}): {err}"
                ) from err
            return Refused(code, err.response["Error"]["Message"])
        result.pop("ResponseMetadata", None)
        return result

    def set_link(self, connection_id: str, up: bool) -> None:
        answer = self.control.post(
            f"/connections/{connection_id}/link", json={"status": "up" if up else "down"}
        )
        assert answer.status_code < 500, answer.text

    def advance(self, seconds: float) -> None:
        self.control.post("/clock/advance", json={"seconds": seconds}).raise_for_status()


# -- the world as the describe operations show it ------------------------------------------------


@dataclass
class Snapshot:
    """Everything both accounts can see, per account and region."""

    connections: dict[tuple[str, str], list[dict[str, Any]]]
    lags: dict[tuple[str, str], list[dict[str, Any]]]
    interconnects: dict[tuple[str, str], list[dict[str, Any]]]
    vifs: dict[tuple[str, str], list[dict[str, Any]]]
    vgws: dict[tuple[str, str], list[dict[str, Any]]]
    gateways: dict[str, list[dict[str, Any]]]
    associations: dict[str, list[dict[str, Any]]]
    attachments: dict[str, list[dict[str, Any]]]
    tags: dict[str, list[dict[str, Any]]]
    proposals: dict[str, list[dict[str, Any]]]
    hosted: dict[str, list[dict[str, Any]]]  # interconnect/LAG id → its hosted connections


def ok(answer: Answer, what: str) -> dict[str, Any]:
    assert not isinstance(answer, Refused), f"{what} was refused: {answer}"
    return answer


def read_world(driver: Driver) -> Snapshot:
    def per_region(operation: str, key: str) -> dict[tuple[str, str], list[dict[str, Any]]]:
        return {
            (a, r): ok(driver.call(a, r, operation, {}), f"{operation} {a} {r}")[key]
            for a in ACCOUNTS
            for r in REGIONS
        }

    snapshot = Snapshot(
        connections=per_region("DescribeConnections", "connections"),
        lags=per_region("DescribeLags", "lags"),
        interconnects=per_region("DescribeInterconnects", "interconnects"),
        vifs=per_region("DescribeVirtualInterfaces", "virtualInterfaces"),
        vgws=per_region("DescribeVirtualGateways", "virtualGateways"),
        gateways={},
        associations={},
        attachments={},
        tags={},
        proposals={},
        hosted={},
    )
    for account in ACCOUNTS:
        home = REGIONS[0]
        page = ok(driver.call(account, home, "DescribeDirectConnectGateways", {}), "gateways")
        assert "nextToken" not in page
        gateways = page["directConnectGateways"]
        snapshot.gateways[account] = gateways
        proposals = ok(
            driver.call(account, home, "DescribeDirectConnectGatewayAssociationProposals", {}),
            "proposals",
        )
        assert "nextToken" not in proposals
        snapshot.proposals[account] = proposals["directConnectGatewayAssociationProposals"]
        snapshot.associations[account] = []
        snapshot.attachments[account] = []
        for gateway in gateways:
            wanted = {"directConnectGatewayId": gateway["directConnectGatewayId"]}
            snapshot.associations[account] += ok(
                driver.call(account, home, "DescribeDirectConnectGatewayAssociations", wanted),
                "associations",
            )["directConnectGatewayAssociations"]
            snapshot.attachments[account] += ok(
                driver.call(account, home, "DescribeDirectConnectGatewayAttachments", wanted),
                "attachments",
            )["directConnectGatewayAttachments"]
        arns_by_region: dict[str, list[str]] = {
            home: [gateway_arn(account, g["directConnectGatewayId"]) for g in gateways]
        }
        for region in REGIONS:
            ids = [c["connectionId"] for c in snapshot.connections[(account, region)]]
            ids += [lag["lagId"] for lag in snapshot.lags[(account, region)]]
            ids += [v["virtualInterfaceId"] for v in snapshot.vifs[(account, region)]]
            ids += [i["interconnectId"] for i in snapshot.interconnects[(account, region)]]
            arns_by_region.setdefault(region, [])
            arns_by_region[region] += [resource_arn(region, account, i) for i in sorted(set(ids))]
        for region, arns in arns_by_region.items():
            for start in range(0, len(arns), 20):
                batch = arns[start : start + 20]
                answer = driver.call(account, region, "DescribeTags", {"resourceArns": batch})
                if isinstance(answer, Refused):
                    continue  # an ARN of a VIF seen as a carrier's owner, not its owner's: allowed
                for entry in answer["resourceTags"]:
                    snapshot.tags[entry["resourceArn"]] = entry["tags"]
        for region in REGIONS:
            parents = [i["interconnectId"] for i in snapshot.interconnects[(account, region)]]
            parents += [lag["lagId"] for lag in snapshot.lags[(account, region)]]
            for parent in parents:
                snapshot.hosted[parent] = ok(
                    driver.call(
                        account, region, "DescribeHostedConnections", {"connectionId": parent}
                    ),
                    "hosted connections",
                )["connections"]
    return snapshot


def check_invariants(world: Snapshot) -> None:
    states_in_reference(world)
    isolation(world)
    carriers = all_carriers(world)
    vifs = {v["virtualInterfaceId"]: v for seen in world.vifs.values() for v in seen}
    for vif in vifs.values():
        if vif["virtualInterfaceState"] in GONE:
            continue
        carrier = carriers.get(vif["connectionId"])
        assert carrier is not None, f"live VIF {vif['virtualInterfaceId']} has no carrier: {vif}"
        assert carrier["region"] == vif["region"], (vif, carrier)
        assert carrier["state"] not in GONE, f"live VIF {vif} on {carrier}"
    live_vlans: dict[tuple[str, int], str] = {}
    for vif in vifs.values():
        if vif["virtualInterfaceState"] in GONE:
            continue
        key = (vif["connectionId"], vif["vlan"])
        assert key not in live_vlans, f"VLAN {key} used by {live_vlans.get(key)} and {vif}"
        live_vlans[key] = vif["virtualInterfaceId"]
        peers = [p for p in vif.get("bgpPeers", []) if p["bgpPeerState"] not in GONE]
        assert peers, f"live VIF without a live BGP peer: {vif}"
    for parent, hosted in world.hosted.items():
        for conn in hosted:  # hosted connections share their parent's VLANs with its VIFs
            if conn["connectionState"] in GONE:
                continue
            key = (parent, conn["vlan"])
            assert key not in live_vlans, f"VLAN {key} used by {live_vlans.get(key)} and {conn}"
            live_vlans[key] = conn["connectionId"]
    for (account, region), lags in world.lags.items():
        naming = world.connections[(account, region)] + [
            {
                "connectionId": i["interconnectId"],
                "lagId": i.get("lagId"),
                "connectionState": i["interconnectState"],
            }
            for i in world.interconnects[(account, region)]
        ]
        for lag in lags:
            members = {
                c["connectionId"]
                for c in naming
                if c.get("lagId") == lag["lagId"] and c["connectionState"] not in GONE
            }
            listed = {c["connectionId"] for c in lag.get("connections", [])}
            assert lag["numberOfConnections"] == len(listed) == len(members), (lag, members)
            assert listed == members, (lag, members)
    live_by_vgw: dict[str, list[str]] = {}
    carried: dict[str, list[str]] = {}
    for associations in world.associations.values():
        for association in associations:
            allowed = [p["cidr"] for p in association["allowedPrefixesToDirectConnectGateway"]]
            assert len(allowed) == len(set(allowed)) <= 200, association
            if association["associationState"] == "disassociated":
                continue
            target = association["associatedGateway"]
            carried.setdefault(association["directConnectGatewayId"], []).append(target["type"])
            if target["type"] == "virtualPrivateGateway":
                vgw = target["id"]
                live_by_vgw.setdefault(vgw, []).append(association["directConnectGatewayId"])
    for vgw, gateways in live_by_vgw.items():
        assert len(gateways) <= 1, f"VGW {vgw} in several live associations: {gateways}"
    for gateway_id, kinds in carried.items():
        assert len(set(kinds)) == 1, f"DX gateway {gateway_id} carries {kinds}"
        limit = 6 if kinds[0] == "transitGateway" else 20
        assert len(kinds) <= limit, f"DX gateway {gateway_id} has {len(kinds)} {kinds[0]}s"
    for arn, tags in world.tags.items():
        assert len(tags) <= 50, f"{arn} has {len(tags)} tags"
        assert len({t["key"] for t in tags}) == len(tags), f"{arn} repeats a tag key: {tags}"


def all_carriers(world: Snapshot) -> dict[str, dict[str, Any]]:
    """Connections, interconnects and LAGs of both accounts: id → {owner, region, state}."""
    found: dict[str, dict[str, Any]] = {}
    for conns in world.connections.values():
        for c in conns:
            found[c["connectionId"]] = {
                "owner": c["ownerAccount"],
                "region": c["region"],
                "state": c["connectionState"],
            }
    for (account, _region), ics in world.interconnects.items():
        for i in ics:
            found[i["interconnectId"]] = {
                "owner": account,
                "region": i["region"],
                "state": i["interconnectState"],
            }
    for lags in world.lags.values():
        for lag in lags:
            found[lag["lagId"]] = {
                "owner": lag["ownerAccount"],
                "region": lag["region"],
                "state": lag["lagState"],
            }
    return found


def states_in_reference(world: Snapshot) -> None:
    def check(item: Any) -> None:
        if isinstance(item, dict):
            for key, value in item.items():
                if key in REFERENCE_STATES:
                    assert value in REFERENCE_STATES[key], (
                        f"{key} {value!r} is not in the reference"
                    )
                check(value)
        elif isinstance(item, list):
            for value in item:
                check(value)

    for seen in (
        world.connections,
        world.lags,
        world.interconnects,
        world.vifs,
        world.vgws,
        world.gateways,
        world.associations,
        world.attachments,
        world.proposals,
    ):
        check(list(seen.values()))


def isolation(world: Snapshot) -> None:
    """Each account sees its own resources, in the region it asks for, and the shared ones."""
    carriers = all_carriers(world)
    interconnect_owner = {
        i["interconnectId"]: account
        for (account, _region), ics in world.interconnects.items()
        for i in ics
    }
    for (account, region), conns in world.connections.items():
        for c in conns:
            assert (c["ownerAccount"], c["region"]) == (account, region), (account, region, c)
    for (account, region), lags in world.lags.items():
        for lag in lags:
            assert (lag["ownerAccount"], lag["region"]) == (account, region), (account, lag)
    for (account, region), ics in world.interconnects.items():
        for i in ics:
            assert i["region"] == region, (account, region, i)
            assert interconnect_owner[i["interconnectId"]] == account, (account, i)
    for (account, region), vifs in world.vifs.items():
        for vif in vifs:
            assert vif["region"] == region, (account, region, vif)
            carrier_owner = carriers.get(vif["connectionId"], {}).get("owner")
            assert account in (vif["ownerAccount"], carrier_owner), (account, vif)
    for (account, region), vgws in world.vgws.items():
        assert {v["virtualGatewayId"] for v in vgws} == set(seeded_vgw_ids(account, region))
    for account, gateways in world.gateways.items():
        mine = {g["directConnectGatewayId"] for g in gateways}
        assert all(g["ownerAccount"] == account for g in gateways), (account, gateways)
        for association in world.associations[account]:
            assert association["directConnectGatewayId"] in mine, (account, association)
            assert association["directConnectGatewayOwnerAccount"] == account, (
                account,
                association,
            )
        for attachment in world.attachments[account]:
            assert attachment["directConnectGatewayId"] in mine, (account, attachment)
    for account, proposals in world.proposals.items():
        for proposal in proposals:
            parties = (
                proposal["directConnectGatewayOwnerAccount"],
                proposal["associatedGateway"]["ownerAccount"],
            )
            assert account in parties, (account, proposal)


# -- the machine ---------------------------------------------------------------------------------

Known = tuple[str, str, str]  # (owner account, region, id)
KINDS = {
    "connectionState": ("connection", "connectionId"),
    "lagState": ("lag", "lagId"),
    "interconnectState": ("interconnect", "interconnectId"),
    "virtualInterfaceState": ("vif", "virtualInterfaceId"),
    "directConnectGatewayState": ("gateway", "directConnectGatewayId"),
    "bgpPeerState": ("peer", "bgpPeerId"),
}

accounts = st.sampled_from(ACCOUNTS)


def needs(*kinds: str) -> Callable[[Any], bool]:
    """Precondition: the machine knows a resource of one of these kinds."""
    return lambda machine: any(machine.known[kind] for kind in kinds)


vlans = st.integers(min_value=100, max_value=102)  # few: clashes are where bugs live
names = st.sampled_from(["p", "q r", "s-t"])


class DirectConnectMachine(RuleBasedStateMachine):
    """Random operations as either account; `Driver` says how they reach the simulator."""

    driver_factory: ClassVar[type[Driver]] = InProcess
    check_every: ClassVar[int] = 1

    def __init__(self) -> None:
        super().__init__()
        self.driver = self.driver_factory()
        self.known: dict[str, list[Known]] = {kind: [] for kind, _ in KINDS.values()}
        self.steps = 0
        self.last_tagged: tuple[str, str, str] | None = None
        self.associations: list[tuple[str, str, str, str]] = []
        self.association_ids: list[tuple[str, str, str]] = []  # (account, region, id)
        # (DX gateway owner, DX gateway id, proposer, proposer's region, proposal id)
        self.proposals: list[tuple[str, str, str, str, str]] = []
        self.secrets: list[str] = []

    # -- helpers ----------------------------------------------------------------------------
    def run(self, account: str, region: str, operation: str, **params: Any) -> Answer:
        answer = self.driver.call(account, region, operation, params)
        self.steps += 1
        if not isinstance(answer, Refused):
            self.learn(answer, account, region)
        return answer

    def learn(self, item: Any, account: str, region: str, seen: set[str] | None = None) -> None:
        """Remembers the resources an answer shows (or, with `seen`, collects their IDs)."""
        if isinstance(item, dict):
            for state_key, (kind, id_key) in KINDS.items():
                if state_key in item and id_key in item:
                    if seen is not None:
                        seen.add(item[id_key])
                        continue
                    owner = item.get("ownerAccount", account)
                    entry = (owner, item.get("region", region), item[id_key])
                    if entry not in self.known[kind]:
                        self.known[kind].append(entry)
            for value in item.values():
                self.learn(value, account, region, seen)
        elif isinstance(item, list):
            for value in item:
                self.learn(value, account, region, seen)

    def pick(self, data: st.DataObject, *kinds: str) -> Known:
        """A known resource of these kinds (any account), sometimes one that does not exist."""
        pool = [entry for kind in kinds for entry in self.known[kind]]
        if not pool or data.draw(st.integers(min_value=0, max_value=9)) == 0:
            return (CUSTOMER, REGIONS[0], BOGUS[kinds[0]])
        return data.draw(st.sampled_from(pool))

    def caller_for(self, data: st.DataObject, owner: str, region: str) -> tuple[str, str]:
        """Mostly the owner in the resource's region; sometimes the other account or region."""
        if data.draw(st.integers(min_value=0, max_value=5)) == 0:
            return data.draw(accounts), data.draw(st.sampled_from(REGIONS))
        return owner, region

    # -- connections, LAGs, interconnects, hosted connections --------------------------------
    @rule(data=st.data(), account=accounts, region=st.sampled_from(REGIONS), name=names)
    def create_connection(self, data: st.DataObject, account: str, region: str, name: str) -> None:
        params: dict[str, Any] = {
            "location": data.draw(st.sampled_from(sorted(LOCATIONS[region])[:2])),
            "bandwidth": data.draw(st.sampled_from(["1Gbps", "10Gbps"])),
            "connectionName": name,
        }
        if bool(self.known["lag"]) and data.draw(st.booleans()):
            params["lagId"] = self.pick(data, "lag")[2]
        if data.draw(st.integers(0, 3)) == 0:
            params["requestMACSec"] = data.draw(st.booleans())
        self.run(account, region, "CreateConnection", **params)

    @rule(data=st.data(), account=accounts, region=st.sampled_from(REGIONS))
    def create_lag(self, data: st.DataObject, account: str, region: str) -> None:
        params: dict[str, Any] = {
            "numberOfConnections": data.draw(st.integers(min_value=1, max_value=3)),
            "location": data.draw(st.sampled_from(sorted(LOCATIONS[region])[:2])),
            "connectionsBandwidth": data.draw(st.sampled_from(["1Gbps", "10Gbps"])),
            "lagName": "lag",
        }
        if bool(self.known["connection"]) and data.draw(st.booleans()):
            params["connectionId"] = self.pick(data, "connection", "interconnect")[2]
        if data.draw(st.integers(0, 3)) == 0:
            params["requestMACSec"] = data.draw(st.booleans())
        self.run(account, region, "CreateLag", **params)

    @precondition(needs("lag"))
    @rule(data=st.data(), minimum=st.integers(min_value=0, max_value=3))
    def update_lag(self, data: st.DataObject, minimum: int) -> None:
        owner, region, lag_id = self.pick(data, "lag")
        account, where = self.caller_for(data, owner, region)
        self.run(account, where, "UpdateLag", lagId=lag_id, minimumLinks=minimum)

    @precondition(needs("lag"))
    @rule(data=st.data())
    def delete_lag(self, data: st.DataObject) -> None:
        owner, region, lag_id = self.pick(data, "lag")
        self.run(*self.caller_for(data, owner, region), "DeleteLag", lagId=lag_id)

    @precondition(needs("lag"))
    @rule(data=st.data(), join=st.booleans())
    def lag_membership(self, data: st.DataObject, join: bool) -> None:
        owner, region, conn_id = self.pick(data, "connection", "interconnect")
        lag_id = self.pick(data, "lag")[2]
        operation = "AssociateConnectionWithLag" if join else "DisassociateConnectionFromLag"
        self.run(
            *self.caller_for(data, owner, region), operation, connectionId=conn_id, lagId=lag_id
        )

    @precondition(needs("connection"))
    @rule(data=st.data())
    def delete_connection(self, data: st.DataObject) -> None:
        owner, region, conn_id = self.pick(data, "connection")
        self.run(*self.caller_for(data, owner, region), "DeleteConnection", connectionId=conn_id)

    @rule(data=st.data(), region=st.sampled_from(REGIONS))
    def create_interconnect(self, data: st.DataObject, region: str) -> None:
        params: dict[str, Any] = {
            "interconnectName": "ic",
            "bandwidth": data.draw(st.sampled_from(["1Gbps", "10Gbps"])),
            "location": data.draw(st.sampled_from(sorted(LOCATIONS[region])[:2])),
        }
        if bool(self.known["lag"]) and data.draw(st.booleans()):
            params["lagId"] = self.pick(data, "lag")[2]
        self.run(
            data.draw(st.sampled_from([PARTNER, PARTNER, CUSTOMER])),
            region,
            "CreateInterconnect",
            **params,
        )

    @precondition(needs("interconnect"))
    @rule(data=st.data())
    def delete_interconnect(self, data: st.DataObject) -> None:
        owner, region, ic_id = self.pick(data, "interconnect")
        self.run(*self.caller_for(data, owner, region), "DeleteInterconnect", interconnectId=ic_id)

    @precondition(needs("interconnect", "lag"))
    @rule(data=st.data(), vlan=vlans, customer=accounts)
    def allocate_hosted_connection(self, data: st.DataObject, vlan: int, customer: str) -> None:
        owner, region, parent_id = self.pick(data, "interconnect", "lag")
        self.run(
            *self.caller_for(data, owner, region),
            "AllocateHostedConnection",
            connectionId=parent_id,
            ownerAccount=customer,
            bandwidth="50Mbps",
            connectionName="hosted",
            vlan=vlan,
        )

    @precondition(needs("connection"))
    @rule(data=st.data())
    def confirm_connection(self, data: st.DataObject) -> None:
        owner, region, conn_id = self.pick(data, "connection")
        self.run(*self.caller_for(data, owner, region), "ConfirmConnection", connectionId=conn_id)

    @precondition(needs("connection"))
    @rule(data=st.data())
    def move_hosted_connection(self, data: st.DataObject) -> None:
        conn_id = self.pick(data, "connection")[2]
        owner, parent_region, parent_id = self.pick(data, "interconnect", "lag")
        self.run(
            *self.caller_for(data, owner, parent_region),
            "AssociateHostedConnection",
            connectionId=conn_id,
            parentConnectionId=parent_id,
        )

    # -- virtual interfaces and BGP peers -----------------------------------------------------
    def target(self, data: st.DataObject, account: str, region: str) -> dict[str, str]:
        choice = data.draw(st.sampled_from(["vgw", "gateway", "none"]))
        if choice == "vgw":
            return {
                "virtualGatewayId": data.draw(st.sampled_from(seeded_vgw_ids(account, region)[:2]))
            }
        if choice == "gateway":
            return {"directConnectGatewayId": self.pick(data, "gateway")[2]}
        return {}

    @precondition(needs("connection", "lag"))
    @rule(data=st.data(), vlan=vlans, family=st.sampled_from(["ipv4", "ipv6"]))
    def create_private_vif(self, data: st.DataObject, vlan: int, family: str) -> None:
        owner, region, carrier = self.pick(data, "connection", "lag")
        account, where = self.caller_for(data, owner, region)
        spec = {"virtualInterfaceName": "v", "vlan": vlan, "asn": 65000, "addressFamily": family}
        spec |= self.target(data, account, where)
        self.run(
            account,
            where,
            "CreatePrivateVirtualInterface",
            connectionId=carrier,
            newPrivateVirtualInterface=spec,
        )

    @precondition(needs("connection", "lag"))
    @rule(data=st.data(), vlan=vlans, ipv4=st.booleans())
    def create_public_vif(self, data: st.DataObject, vlan: int, ipv4: bool) -> None:
        owner, region, carrier = self.pick(data, "connection", "lag")
        spec: dict[str, Any] = {"virtualInterfaceName": "pub", "vlan": vlan, "asn": 65000}
        if ipv4:
            spec |= {"amazonAddress": "203.0.113.1/30", "customerAddress": "203.0.113.2/30"}
        else:
            spec["addressFamily"] = "ipv6"
        self.run(
            *self.caller_for(data, owner, region),
            "CreatePublicVirtualInterface",
            connectionId=carrier,
            newPublicVirtualInterface=spec,
        )

    @precondition(needs("connection", "lag"))
    @rule(data=st.data(), vlan=vlans, customer=accounts)
    def allocate_private_vif(self, data: st.DataObject, vlan: int, customer: str) -> None:
        owner, region, carrier = self.pick(data, "connection", "lag")
        self.run(
            *self.caller_for(data, owner, region),
            "AllocatePrivateVirtualInterface",
            connectionId=carrier,
            ownerAccount=customer,
            newPrivateVirtualInterfaceAllocation={
                "virtualInterfaceName": "h",
                "vlan": vlan,
                "asn": 65001,
            },
        )

    @precondition(needs("connection", "lag"))
    @rule(data=st.data(), vlan=vlans, customer=accounts, ipv4=st.booleans())
    def allocate_public_vif(
        self, data: st.DataObject, vlan: int, customer: str, ipv4: bool
    ) -> None:
        owner, region, carrier = self.pick(data, "connection", "lag")
        spec: dict[str, Any] = {"virtualInterfaceName": "hp", "vlan": vlan, "asn": 65001}
        if ipv4:
            spec |= {"amazonAddress": "198.51.100.1/30", "customerAddress": "198.51.100.2/30"}
        else:
            spec["addressFamily"] = "ipv6"
        self.run(
            *self.caller_for(data, owner, region),
            "AllocatePublicVirtualInterface",
            connectionId=carrier,
            ownerAccount=customer,
            newPublicVirtualInterfaceAllocation=spec,
        )

    @precondition(needs("vif"))
    @rule(data=st.data())
    def confirm_public_vif(self, data: st.DataObject) -> None:
        owner, region, vif_id = self.pick(data, "vif")
        self.run(
            *self.caller_for(data, owner, region),
            "ConfirmPublicVirtualInterface",
            virtualInterfaceId=vif_id,
        )

    @precondition(needs("vif"))
    @rule(data=st.data())
    def confirm_private_vif(self, data: st.DataObject) -> None:
        owner, region, vif_id = self.pick(data, "vif")
        account, where = self.caller_for(data, owner, region)
        params = {"virtualInterfaceId": vif_id} | self.target(data, account, where)
        self.run(account, where, "ConfirmPrivateVirtualInterface", **params)

    @precondition(needs("vif"))
    @rule(data=st.data())
    def associate_vif(self, data: st.DataObject) -> None:
        owner, region, vif_id = self.pick(data, "vif")
        carrier = self.pick(data, "connection", "lag")[2]
        self.run(
            *self.caller_for(data, owner, region),
            "AssociateVirtualInterface",
            virtualInterfaceId=vif_id,
            connectionId=carrier,
        )

    @precondition(needs("vif"))
    @rule(data=st.data(), mtu=st.sampled_from([1500, 9001]))
    def update_vif(self, data: st.DataObject, mtu: int) -> None:
        owner, region, vif_id = self.pick(data, "vif")
        account, where = self.caller_for(data, owner, region)
        self.run(
            account, where, "UpdateVirtualInterfaceAttributes", virtualInterfaceId=vif_id, mtu=mtu
        )

    @precondition(needs("vif"))
    @rule(data=st.data())
    def delete_vif(self, data: st.DataObject) -> None:
        owner, region, vif_id = self.pick(data, "vif")
        account, where = self.caller_for(data, owner, region)
        self.run(account, where, "DeleteVirtualInterface", virtualInterfaceId=vif_id)

    @precondition(needs("vif"))
    @rule(data=st.data(), family=st.sampled_from(["ipv4", "ipv6"]))
    def create_bgp_peer(self, data: st.DataObject, family: str) -> None:
        owner, region, vif_id = self.pick(data, "vif")
        self.run(
            *self.caller_for(data, owner, region),
            "CreateBGPPeer",
            virtualInterfaceId=vif_id,
            newBGPPeer={"asn": 65002, "addressFamily": family},
        )

    @precondition(needs("peer"))
    @rule(data=st.data())
    def delete_bgp_peer(self, data: st.DataObject) -> None:
        owner, region, peer_id = self.pick(data, "peer")
        self.run(*self.caller_for(data, owner, region), "DeleteBGPPeer", bgpPeerId=peer_id)

    # -- DX gateways and associations ----------------------------------------------------------
    @rule(account=accounts, asn=st.sampled_from([None, 64512, 65000, 4200000000]))
    def create_gateway(self, account: str, asn: int | None) -> None:
        extra = {} if asn is None else {"amazonSideAsn": asn}
        self.run(
            account, REGIONS[0], "CreateDirectConnectGateway", directConnectGatewayName="g", **extra
        )

    @precondition(needs("gateway"))
    @rule(data=st.data())
    def delete_gateway(self, data: st.DataObject) -> None:
        owner, _region, gateway_id = self.pick(data, "gateway")
        account, where = self.caller_for(data, owner, REGIONS[0])
        self.run(account, where, "DeleteDirectConnectGateway", directConnectGatewayId=gateway_id)

    @precondition(needs("gateway"))
    @rule(data=st.data(), region=st.sampled_from(REGIONS))
    def create_association(self, data: st.DataObject, region: str) -> None:
        owner, _region, gateway_id = self.pick(data, "gateway")
        account, region = self.caller_for(data, owner, region)
        vgw_owner = data.draw(accounts) if data.draw(st.integers(0, 5)) == 0 else account
        vgw = data.draw(st.sampled_from(seeded_vgw_ids(vgw_owner, region)[:2]))
        answer = self.run(
            account,
            region,
            "CreateDirectConnectGatewayAssociation",
            directConnectGatewayId=gateway_id,
            virtualGatewayId=vgw,
        )
        if not isinstance(answer, Refused):
            self.associations.append((account, region, gateway_id, vgw))

    @precondition(lambda self: self.associations)
    @rule(data=st.data())
    def delete_association(self, data: st.DataObject) -> None:
        owner, region, gateway_id, vgw = data.draw(st.sampled_from(self.associations))
        self.run(
            *self.caller_for(data, owner, region),
            "DeleteDirectConnectGatewayAssociation",
            directConnectGatewayId=gateway_id,
            virtualGatewayId=vgw,
        )

    def associated(self, data: st.DataObject, account: str, region: str) -> str:
        """One of the first seeded TGWs or VGWs of an account in a region."""
        tgws = [tgw for tgw, _asn in seeded_tgws(account, region)]
        return str(data.draw(st.sampled_from(tgws + seeded_vgw_ids(account, region)[:1])))

    @staticmethod
    def prefixes(data: st.DataObject, often_empty: bool = False) -> list[dict[str, str]]:
        """A few allowed prefixes from a small pool (overlaps are where bugs live), now and then
        an invalid or a repeated one."""
        pool = ["10.0.0.0/16", "10.1.0.0/16", "2001:db8::/56"]
        if data.draw(st.integers(0, 9)) == 0:
            pool.append("10.0.0.0/33")
        if often_empty and data.draw(st.booleans()):
            return []
        unique = data.draw(st.integers(0, 9)) > 0  # a repeated prefix now and then
        cidrs = data.draw(st.lists(st.sampled_from(pool), max_size=3, unique=unique))
        return [{"cidr": c} for c in cidrs]

    @precondition(needs("gateway"))
    @rule(data=st.data(), region=st.sampled_from(REGIONS))
    def create_association_by_gateway_id(self, data: st.DataObject, region: str) -> None:
        owner, _region, gateway_id = self.pick(data, "gateway")
        account, region = self.caller_for(data, owner, region)
        answer = self.run(
            account,
            region,
            "CreateDirectConnectGatewayAssociation",
            directConnectGatewayId=gateway_id,
            gatewayId=self.associated(data, account, region),
            addAllowedPrefixesToDirectConnectGateway=self.prefixes(data),
        )
        if not isinstance(answer, Refused):
            association_id = answer["directConnectGatewayAssociation"]["associationId"]
            self.association_ids.append((account, region, association_id))

    @precondition(lambda self: self.association_ids)
    @rule(data=st.data())
    def update_association(self, data: st.DataObject) -> None:
        owner, region, association_id = data.draw(st.sampled_from(self.association_ids))
        self.run(
            *self.caller_for(data, owner, region),
            "UpdateDirectConnectGatewayAssociation",
            associationId=association_id,
            addAllowedPrefixesToDirectConnectGateway=self.prefixes(data),
            removeAllowedPrefixesToDirectConnectGateway=self.prefixes(data, often_empty=True),
        )

    @precondition(lambda self: self.association_ids)
    @rule(data=st.data())
    def delete_association_by_id(self, data: st.DataObject) -> None:
        owner, region, association_id = data.draw(st.sampled_from(self.association_ids))
        self.run(
            *self.caller_for(data, owner, region),
            "DeleteDirectConnectGatewayAssociation",
            associationId=association_id,
        )

    @precondition(needs("gateway"))
    @rule(data=st.data(), proposer=accounts, region=st.sampled_from(REGIONS))
    def propose_association(self, data: st.DataObject, proposer: str, region: str) -> None:
        owner, _region, gateway_id = self.pick(data, "gateway")
        named_owner = owner if data.draw(st.integers(0, 5)) else data.draw(accounts)
        answer = self.run(
            proposer,
            region,
            "CreateDirectConnectGatewayAssociationProposal",
            directConnectGatewayId=gateway_id,
            directConnectGatewayOwnerAccount=named_owner,
            gatewayId=self.associated(data, proposer, region),
            addAllowedPrefixesToDirectConnectGateway=self.prefixes(data),
            removeAllowedPrefixesToDirectConnectGateway=self.prefixes(data, often_empty=True)[:1],
        )
        if not isinstance(answer, Refused):
            proposal_id = answer["directConnectGatewayAssociationProposal"]["proposalId"]
            self.proposals.append((owner, gateway_id, proposer, region, proposal_id))

    @precondition(lambda self: self.proposals)
    @rule(data=st.data())
    def accept_proposal(self, data: st.DataObject) -> None:
        owner, gateway_id, proposer, region, proposal_id = data.draw(
            st.sampled_from(self.proposals)
        )
        account, where = self.caller_for(data, owner, region)
        answer = self.run(
            account,
            where,
            "AcceptDirectConnectGatewayAssociationProposal",
            directConnectGatewayId=gateway_id,
            proposalId=proposal_id,
            associatedGatewayOwnerAccount=proposer if data.draw(st.integers(0, 5)) else owner,
            overrideAllowedPrefixesToDirectConnectGateway=self.prefixes(data, often_empty=True),
        )
        if not isinstance(answer, Refused):
            association_id = answer["directConnectGatewayAssociation"]["associationId"]
            self.association_ids.append((account, where, association_id))

    @precondition(lambda self: self.proposals)
    @rule(data=st.data())
    def delete_proposal(self, data: st.DataObject) -> None:
        owner, _gateway_id, proposer, region, proposal_id = data.draw(
            st.sampled_from(self.proposals)
        )
        account = data.draw(st.sampled_from([owner, proposer]))
        self.run(
            account,
            region,
            "DeleteDirectConnectGatewayAssociationProposal",
            proposalId=proposal_id,
        )

    # -- tags ------------------------------------------------------------------------------------
    def arn(self, data: st.DataObject) -> tuple[str, str, str]:
        """A resource's ARN, mostly the one tagged last, so that tags pile up to the cap."""
        if self.last_tagged is not None and data.draw(st.integers(0, 3)) > 0:
            return self.last_tagged
        kinds = [
            k for k in ("connection", "lag", "vif", "gateway", "interconnect") if self.known[k]
        ]
        kind = data.draw(st.sampled_from(kinds or ["connection"]))
        owner, region, resource_id = self.pick(data, kind)
        if kind == "gateway":
            self.last_tagged = (owner, region, gateway_arn(owner, resource_id))
        else:
            self.last_tagged = (owner, region, resource_arn(region, owner, resource_id))
        return self.last_tagged

    @rule(data=st.data(), count=st.integers(min_value=1, max_value=30), offset=st.integers(0, 59))
    def tag(self, data: st.DataObject, count: int, offset: int) -> None:
        owner, region, arn = self.arn(data)
        keys = [TAG_KEYS[(offset + n) % len(TAG_KEYS)] for n in range(count)]
        if data.draw(st.integers(0, 9)) == 0:
            keys.append(keys[0])  # a duplicate key in one request
        tags = [{"key": key, "value": "v"} for key in keys]
        self.run(*self.caller_for(data, owner, region), "TagResource", resourceArn=arn, tags=tags)

    @rule(data=st.data(), count=st.integers(min_value=1, max_value=30), offset=st.integers(0, 59))
    def untag(self, data: st.DataObject, count: int, offset: int) -> None:
        owner, region, arn = self.arn(data)
        keys = [TAG_KEYS[(offset + n) % len(TAG_KEYS)] for n in range(count)]
        self.run(
            *self.caller_for(data, owner, region), "UntagResource", resourceArn=arn, tagKeys=keys
        )

    # -- MACsec and billing ------------------------------------------------------------------
    @precondition(needs("connection", "lag", "interconnect"))
    @rule(data=st.data(), ckn=st.integers(0, 3))
    def mac_sec_key(self, data: st.DataObject, ckn: int) -> None:
        """Associates a key (new pair or a stored secret) or disassociates one."""
        owner, region, port_id = self.pick(data, "connection", "lag", "interconnect")
        account, where = self.caller_for(data, owner, region)
        reuse: bool = data.draw(st.booleans())
        if self.secrets and reuse:
            secret = data.draw(st.sampled_from(self.secrets))
            operation = data.draw(st.sampled_from(["AssociateMacSecKey", "DisassociateMacSecKey"]))
            self.run(account, where, operation, connectionId=port_id, secretARN=secret)
            return
        answer = self.run(
            account,
            where,
            "AssociateMacSecKey",
            connectionId=port_id,
            ckn=f"{ckn:064x}",
            cak="f" * 64,
        )
        if isinstance(answer, dict):
            self.secrets += [k["secretARN"] for k in answer["macSecKeys"]]

    @precondition(needs("connection"))
    @rule(data=st.data(), mode=st.sampled_from(["PayAsYouGo", "FlatRateTier1", "FlatRateTier2"]))
    def billing_mode(self, data: st.DataObject, mode: str) -> None:
        owner, region, conn_id = self.pick(data, "connection")
        self.run(
            *self.caller_for(data, owner, region),
            "UpdateConnectionsBillingMode",
            connectionIds=[conn_id],
            billingMode=mode,
        )

    # -- the outside world ------------------------------------------------------------------
    @precondition(needs("connection", "interconnect"))
    @rule(data=st.data(), up=st.booleans())
    def link(self, data: st.DataObject, up: bool) -> None:
        self.driver.set_link(self.pick(data, "connection", "interconnect")[2], up)
        self.steps += 1

    @rule(seconds=st.sampled_from([60.0, DELAY / 2, DELAY, DELAY + 1]))
    def advance(self, seconds: float) -> None:
        self.driver.advance(seconds)
        self.steps += 1

    @rule()
    def next_lifecycle_step(self) -> None:
        """An hour passes: every pending transition takes one step (and the deleted go)."""
        self.driver.advance(DELAY)
        self.steps += 1

    # -- reading across accounts -------------------------------------------------------------
    PROBES: ClassVar[dict[str, tuple[str, str, str]]] = {
        "connection": ("DescribeConnections", "connectionId", "connections"),
        "lag": ("DescribeLags", "lagId", "lags"),
        "interconnect": ("DescribeInterconnects", "interconnectId", "interconnects"),
        "vif": ("DescribeVirtualInterfaces", "virtualInterfaceId", "virtualInterfaces"),
        "gateway": (
            "DescribeDirectConnectGateways",
            "directConnectGatewayId",
            "directConnectGateways",
        ),
    }

    @precondition(lambda self: any(self.known[kind] for kind in self.PROBES))
    @rule(data=st.data())
    def probe_by_id(self, data: st.DataObject) -> None:
        """Asking for a resource by ID, as any account in any region, returns it only to whom
        the rules show it."""
        kind = data.draw(st.sampled_from([k for k in self.PROBES if self.known[k]]))
        resource_id = self.pick(data, kind)[2]
        account = data.draw(accounts)
        where = data.draw(st.sampled_from(REGIONS))
        operation, id_key, list_key = self.PROBES[kind]
        answer = self.run(account, where, operation, **{id_key: resource_id})
        if isinstance(answer, Refused):
            return
        for item in answer[list_key]:
            assert item[id_key] == resource_id, (kind, item)
            if kind == "gateway":
                assert item["ownerAccount"] == account, (account, item)
                continue
            assert item["region"] == where, (account, where, item)
            if kind == "vif":
                shown_to = {item["ownerAccount"], self.owner_of(item["connectionId"])}
            elif kind == "connection":
                shown_to = {item["ownerAccount"], self.parent_owner(item)}
            elif kind == "lag":
                shown_to = {item["ownerAccount"]}
            else:
                shown_to = {self.owner_of(resource_id)}
            assert account in shown_to, f"{account} was shown {item} (shared with {shown_to})"

    def owner_of(self, resource_id: str) -> str | None:
        for kind in ("connection", "lag", "interconnect"):
            for owner, _region, known_id in self.known[kind]:
                if known_id == resource_id:
                    return owner
        return None

    def parent_owner(self, connection: dict[str, Any]) -> str | None:
        """The partner (owner of the interconnect/LAG) of a hosted connection."""
        partner = connection.get("partnerName", "")
        return partner.rsplit(" ", 1)[-1] if partner else None

    # -- invariants --------------------------------------------------------------------------
    @invariant()
    def world_is_consistent(self) -> None:
        if self.steps % self.check_every == 0 or self.steps < 2:
            self.check()

    def teardown(self) -> None:
        self.check()

    def check(self) -> None:
        world = read_world(self.driver)
        check_invariants(world)
        self.forget_purged(world)

    def forget_purged(self, world: Snapshot) -> None:
        """Drops what no describe shows any more (unknown IDs are still tried: `BOGUS`)."""
        seen: set[str] = set()
        shown: list[dict[Any, list[dict[str, Any]]]] = [
            world.connections,
            world.lags,
            world.interconnects,
            world.vifs,
            world.gateways,
        ]
        self.learn([list(part.values()) for part in shown], CUSTOMER, REGIONS[0], seen=seen)
        for kind, entries in self.known.items():
            self.known[kind] = [entry for entry in entries if entry[2] in seen]


def test_random_operations_in_process_keep_the_simulator_invariants() -> None:
    run_state_machine_as_test(
        DirectConnectMachine,
        settings=settings(
            max_examples=IN_PROCESS_EXAMPLES,
            stateful_step_count=40,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )


def test_random_operations_over_http_keep_the_simulator_invariants(dx_url: str) -> None:
    class Http(OverHttp):
        url = dx_url

    class OverHttpMachine(DirectConnectMachine):
        driver_factory = Http
        check_every = 6

    run_state_machine_as_test(
        OverHttpMachine,
        settings=settings(
            max_examples=HTTP_EXAMPLES,
            stateful_step_count=25,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )


# -- regressions: failing examples the machine found -------------------------------------------


def test_a_connection_whose_vif_would_clash_on_vlan_cannot_join_a_lag(dx: Any) -> None:
    """Found by the machine: a connection joined a LAG with its VIF on VLAN 103 while a VIF on
    the LAG already used VLAN 103, leaving two live VIFs on one VLAN of the LAG."""
    lag = dx.create_lag(
        numberOfConnections=2, location="CS32A", connectionsBandwidth="1Gbps", lagName="lag"
    )
    dx.allocate_private_virtual_interface(
        connectionId=lag["lagId"],
        ownerAccount=PARTNER,
        newPrivateVirtualInterfaceAllocation={
            "virtualInterfaceName": "h",
            "vlan": 103,
            "asn": 65001,
        },
    )
    conn = dx.create_connection(location="CS32A", bandwidth="1Gbps", connectionName="p")
    dx.create_public_virtual_interface(
        connectionId=conn["connectionId"],
        newPublicVirtualInterface={
            "virtualInterfaceName": "pub",
            "vlan": 103,
            "asn": 65000,
            "addressFamily": "ipv6",
        },
    )
    with pytest.raises(ClientError) as excinfo:
        dx.associate_connection_with_lag(connectionId=conn["connectionId"], lagId=lag["lagId"])
    code, message = error_of(excinfo)
    assert code == "DirectConnectClientException"
    assert "VLAN 103" in message
    on_lag = dx.describe_virtual_interfaces(connectionId=lag["lagId"])["virtualInterfaces"]
    assert [v["vlan"] for v in on_lag] == [103]
    assert (
        dx.describe_connections(connectionId=conn["connectionId"])["connections"][0].get("lagId")
        is None
    )

"""EC2's view of the gateways Direct Connect uses: DescribeTransitGateways and DescribeVpnGateways.

No Direct Connect operation creates Transit Gateways or virtual private gateways; each account has
a few seeded per Region (`BackendBase.ensure_transit_gateways` / `ensure_virtual_gateways`).
Automation usually finds their ids through EC2, so the simulator answers those two EC2 calls on
its endpoint: the EC2 query protocol (form-encoded `POST /`, `Version=2016-11-15`, SigV4-signed
for service `ec2`), XML in EC2's shape, for the caller's account and signed Region. Any other EC2
action is `InvalidAction`. Errors come in EC2's wrapper
(`<Response><Errors><Error><Code>…`), not Direct Connect's JSON.

`set_gateway_state` backs the control API (`PUT /_dxsim/ec2-gateways/<id>`): it puts a seeded
gateway in any state EC2 knows, so a user can test how automation copes with a gateway that is
not `available`; Direct Connect calls that need an available VGW refuse it meanwhile.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar
from urllib.parse import parse_qs
from xml.sax.saxutils import escape

from dxsim.accounts import Caller, CredentialStore
from dxsim.backend import DirectConnectBackend
from dxsim.base import BackendBase
from dxsim.exceptions import DXError, NotFound
from dxsim.gateway_records import TransitGateway, VirtualGateway
from dxsim.sigv4 import SignedRequest, verify

XMLNS = "http://ec2.amazonaws.com/doc/2016-11-15/"
VERSION = "2016-11-15"
ACTIONS = ("DescribeTransitGateways", "DescribeVpnGateways")
TGW_STATES = ("pending", "available", "modifying", "deleting", "deleted")
VGW_STATES = ("pending", "available", "deleting", "deleted")
MIN_RESULTS, MAX_RESULTS = 5, 1000

G = TypeVar("G", TransitGateway, VirtualGateway)


@dataclass(frozen=True)
class Ec2Error(Exception):
    """An EC2 refusal (HTTP 400 unless said otherwise), rendered by `error_xml`."""

    code: str
    message: str
    status: int = 400


def signing_service(headers: dict[str, str]) -> str | None:
    """The service a SigV4 `Authorization` header's credential scope names (`ec2`, `sts`, …),
    which tells form-encoded EC2 requests from STS ones on the shared `POST /`."""
    auth = headers.get("authorization", "")
    marker = "Credential="
    if marker not in auth:
        return None
    scope = auth.split(marker, 1)[1].split(",", 1)[0].split("/")
    return scope[3] if len(scope) == 5 else None


def respond(
    backend: DirectConnectBackend,
    credentials: CredentialStore,
    lock: threading.Lock,
    request: SignedRequest,
) -> tuple[int, str]:
    """One EC2 request end to end: (HTTP status, XML). Authentication failures come back in
    EC2's error wrapper as EC2's `AuthFailure` (401)."""
    try:
        caller = verify(request, credentials, expected_service="ec2")
    except DXError as err:
        return 401, error_xml(Ec2Error("AuthFailure", err.message, 401))
    try:
        with lock:
            xml = answer(backend, caller, request.body)
            backend.settle()  # stores gateways seeded on first look
    except Ec2Error as err:
        return err.status, error_xml(err)
    return 200, xml


def answer(backend: BackendBase, caller: Caller, body: bytes) -> str:
    """Runs one EC2 query-protocol request for `caller` and returns the XML answer.

    Raises:
        Ec2Error: unknown action, bad parameters or an unknown gateway id.
    """
    params = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
    action = params.get("Action", "")
    if action not in ACTIONS:
        raise Ec2Error(
            "InvalidAction",
            f"The action {action[:64] or '(none)'} is not valid for this web service: dxsim's EC2 "
            f"answers {' and '.join(ACTIONS)} only.",
        )
    if params.get("Version", VERSION) != VERSION:
        raise Ec2Error("InvalidParameterValue", f"Version must be {VERSION}.")
    if params.get("DryRun", "false").lower() == "true":
        raise Ec2Error(
            "DryRunOperation", "Request would have succeeded, but DryRun flag is set.", 412
        )
    if action == "DescribeTransitGateways":
        return _describe_transit_gateways(backend, caller, params)
    return _describe_vpn_gateways(backend, caller, params)


def error_xml(err: Ec2Error) -> str:
    return (
        f"<Response><Errors><Error><Code>{escape(err.code)}</Code>"
        f"<Message>{escape(err.message)}</Message></Error></Errors>"
        f"<RequestID>{uuid.uuid4()}</RequestID></Response>"
    )


def set_gateway_state(backend: BackendBase, gateway_id: str, state: Any) -> dict[str, Any]:
    """Puts a seeded TGW or VGW in `state` (control API); it must have been seeded already,
    which happens the first time its account looks at its gateways in the Region."""
    gateway: TransitGateway | VirtualGateway | None = backend.transit_gateways.get(gateway_id)
    states: tuple[str, ...] = TGW_STATES
    if gateway is None:
        gateway = backend.virtual_gateways.get(gateway_id)
        states = VGW_STATES
    if gateway is None:
        raise NotFound(
            f"No seeded gateway {gateway_id}. Gateways are seeded the first time their account "
            f"looks at them in a Region (DescribeVirtualGateways, EC2 DescribeTransitGateways or "
            f"DescribeVpnGateways); look first, then set the state."
        )
    if state not in states:
        raise DXError(f"'state' must be one of {', '.join(states)} for {gateway_id}.")
    setattr(gateway, gateway.STATE_FIELD, state)
    return {"id": gateway.id, "state": state, "ownerAccount": gateway.owner_account}


# -- the two actions --------------------------------------------------------------------------
def _describe_transit_gateways(backend: BackendBase, caller: Caller, params: dict[str, str]) -> str:
    gateways = backend.ensure_transit_gateways(caller.account, caller.region)
    picked = _by_ids(
        gateways,
        _list(params, "TransitGatewayIds"),
        "InvalidTransitGatewayID",
        "transitGateway",
        "tgw-",
    )
    filters: dict[str, Callable[[TransitGateway], str]] = {
        "transit-gateway-id": lambda t: t.id,
        "state": lambda t: t.transit_gateway_state,
        "owner-id": lambda t: t.owner_account,
        "options.amazon-side-asn": lambda t: str(t.amazon_side_asn),
    }
    picked = _filtered(picked, params, filters)
    page, token = _page(picked, params)
    items = "".join(_tgw_xml(t) for t in page)
    more = f"<nextToken>{token}</nextToken>" if token else ""
    return _response(
        "DescribeTransitGateways", f"<transitGatewaySet>{items}</transitGatewaySet>{more}"
    )


def _describe_vpn_gateways(backend: BackendBase, caller: Caller, params: dict[str, str]) -> str:
    gateways = backend.ensure_virtual_gateways(caller.account, caller.region)
    picked = _by_ids(
        gateways, _list(params, "VpnGatewayId"), "InvalidVpnGatewayID", "vpnGateway", "vgw-"
    )
    filters: dict[str, Callable[[VirtualGateway], str]] = {
        "vpn-gateway-id": lambda v: v.id,
        "state": lambda v: v.virtual_gateway_state,
        "type": lambda v: "ipsec.1",
        "amazon-side-asn": lambda v: str(v.amazon_side_asn),
        "attachment.vpc-id": vpc_of,
        "attachment.state": _attachment_state,
    }
    picked = _filtered(picked, params, filters)
    items = "".join(_vgw_xml(v) for v in picked)
    return _response("DescribeVpnGateways", f"<vpnGatewaySet>{items}</vpnGatewaySet>")


# -- parameters -------------------------------------------------------------------------------
def _list(params: dict[str, str], name: str) -> list[str]:
    """`Name.1`, `Name.2`, … of a query-protocol list, in index order."""
    found = []
    for key, value in params.items():
        head, _, index = key.rpartition(".")
        if head == name and _index(index):
            found.append((int(index), value))
    return [value for _, value in sorted(found)]


def _by_ids(gateways: list[G], ids: list[str], code: str, noun: str, prefix: str) -> list[G]:
    """The gateways named by `ids` (all of them if none); an id the caller does not have is
    EC2's `<code>.NotFound` (`.Malformed` if it is not even that kind of id)."""
    by_id = {g.id: g for g in gateways}
    for wanted in ids:
        if not wanted.startswith(prefix):
            raise Ec2Error(
                f"{code}.Malformed", f"Invalid id: {wanted[:64]!r} (expecting {prefix}...)"
            )
        if wanted not in by_id:
            raise Ec2Error(f"{code}.NotFound", f"The {noun} ID '{wanted}' does not exist")
    chosen = [by_id[i] for i in dict.fromkeys(ids)] if ids else gateways
    return sorted(chosen, key=lambda g: g.id)


def _filtered(
    gateways: list[G], params: dict[str, str], fields: dict[str, Callable[[G], str]]
) -> list[G]:
    """Applies `Filter.N.Name` / `Filter.N.Value.M`: values of one filter OR, filters AND."""
    indexes = sorted(
        {
            int(k.split(".")[1])
            for k in params
            if k.startswith("Filter.") and k.count(".") >= 2 and _index(k.split(".")[1])
        }
    )
    for n in indexes:
        name = params.get(f"Filter.{n}.Name", "")
        if name not in fields:
            raise Ec2Error(
                "InvalidParameterValue",
                f"The filter '{name[:64]}' is invalid; dxsim supports {', '.join(fields)}.",
            )
        values = set(_list(params, f"Filter.{n}.Value"))
        field = fields[name]
        gateways = [g for g in gateways if field(g) in values]
    return gateways


def _page(gateways: list[TransitGateway], params: dict[str, str]) -> tuple[list[Any], str]:
    """`MaxResults` (5–1000) and `NextToken` over gateways sorted by id."""
    size = MAX_RESULTS
    if "MaxResults" in params:
        raw = params["MaxResults"]
        if not _index(raw) or not MIN_RESULTS <= int(raw) <= MAX_RESULTS:
            raise Ec2Error(
                "InvalidParameterValue",
                f"Value ( {raw[:20]} ) for parameter maxResults is invalid. Expecting a value "
                f"between {MIN_RESULTS} and {MAX_RESULTS}.",
            )
        size = int(raw)
    if params.get("NextToken"):
        try:
            after = base64.urlsafe_b64decode(params["NextToken"].encode("ascii")).decode()
        except (ValueError, UnicodeError, binascii.Error):
            raise Ec2Error("InvalidNextToken", "The token is not valid.") from None
        if not after.startswith("tgw-"):
            raise Ec2Error("InvalidNextToken", "The token is not valid.")
        gateways = [g for g in gateways if g.id > after]
    page = gateways[:size]
    if len(gateways) <= size:
        return page, ""
    return page, base64.urlsafe_b64encode(page[-1].id.encode()).decode("ascii")


def _index(text: str) -> bool:
    """True for a plain decimal number of at most 9 digits (list indexes, MaxResults): longer
    ones are refused before `int()` could choke on them."""
    return text.isascii() and text.isdigit() and len(text) <= 9


# -- XML --------------------------------------------------------------------------------------
def _response(action: str, body: str) -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<{action}Response xmlns="{XMLNS}">'
        f"<requestId>{uuid.uuid4()}</requestId>{body}</{action}Response>"
    )


def _derived(prefix: str, source: str) -> str:
    return prefix + hashlib.sha256(source.encode()).hexdigest()[:17]


def vpc_of(vgw: VirtualGateway) -> str:
    """The VPC a seeded VGW is attached to: stable, derived from the VGW's id."""
    return _derived("vpc-", vgw.id)


def _attachment_state(vgw: VirtualGateway) -> str:
    return "detached" if vgw.virtual_gateway_state in ("deleting", "deleted") else "attached"


def _iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _tgw_xml(tgw: TransitGateway) -> str:
    arn = f"arn:aws:ec2:{tgw.region}:{tgw.owner_account}:transit-gateway/{tgw.id}"
    route_table = _derived("tgw-rtb-", tgw.id)
    options = (
        f"<amazonSideAsn>{tgw.amazon_side_asn}</amazonSideAsn>"
        "<autoAcceptSharedAttachments>disable</autoAcceptSharedAttachments>"
        "<defaultRouteTableAssociation>enable</defaultRouteTableAssociation>"
        f"<associationDefaultRouteTableId>{route_table}</associationDefaultRouteTableId>"
        "<defaultRouteTablePropagation>enable</defaultRouteTablePropagation>"
        f"<propagationDefaultRouteTableId>{route_table}</propagationDefaultRouteTableId>"
        "<vpnEcmpSupport>enable</vpnEcmpSupport>"
        "<dnsSupport>enable</dnsSupport>"
        "<securityGroupReferencingSupport>disable</securityGroupReferencingSupport>"
        "<multicastSupport>disable</multicastSupport>"
    )
    return (
        f"<item><transitGatewayId>{tgw.id}</transitGatewayId>"
        f"<transitGatewayArn>{arn}</transitGatewayArn>"
        f"<state>{tgw.transit_gateway_state}</state>"
        f"<ownerId>{tgw.owner_account}</ownerId>"
        f"<description>{escape(tgw.description)}</description>"
        f"<creationTime>{_iso(tgw.created_at)}</creationTime>"
        f"<options>{options}</options><tagSet/></item>"
    )


def _vgw_xml(vgw: VirtualGateway) -> str:
    return (
        f"<item><vpnGatewayId>{vgw.id}</vpnGatewayId>"
        f"<state>{vgw.virtual_gateway_state}</state><type>ipsec.1</type>"
        f"<attachments><item><vpcId>{vpc_of(vgw)}</vpcId>"
        f"<state>{_attachment_state(vgw)}</state></item></attachments>"
        f"<amazonSideAsn>{vgw.amazon_side_asn}</amazonSideAsn><tagSet/></item>"
    )

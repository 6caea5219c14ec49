"""Random and hostile input to every operation, through both protocols: no 5xx, state consistent.

Each operation of the model that dxsim dispatches gets model-typed random requests whose strings
are often real IDs and ARNs of a demo-seeded simulator (so requests reach the rules, not just the
not-found checks) or hostile text, and whose numbers are often at or past the bounds of their
types. Every answer must be a 2xx or a 4xx in the protocol's error shape, and afterwards the
world every account sees must still satisfy the simulator's invariants (`check_invariants`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from functools import cache
from typing import Any, ClassVar

import cbor2
import httpx
import pytest
from botocore.model import Shape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dxsim import DXServer, Simulator, protocol
from tests.conftest import CUSTOMER, PARTNER
from tests.dxsim.shapes import raw_call
from tests.dxsim.test_properties import OverHttp, check_invariants, read_world
from tests.dxsim.test_protocol_cbor import cbor_call

# Examples per operation and protocol; DXSIM_PROPERTY_SCALE=20 for a long hunt (as test_properties).
EXAMPLES = 12 * max(1, int(os.environ.get("DXSIM_PROPERTY_SCALE", "1")))
HOSTILE_TEXT = [
    "",
    " ",
    "\x00",
    "\u202e\u0000\ufeff",
    "😀" * 40,
    "x" * 5000,
    "../../etc/passwd",
    "%s%n%x",
    "'; DROP TABLE resources; --",
    "-1",
    "1e309",
    "NaN",
    "arn:aws:directconnect:us-east-1:123456789012:dxcon/",
    "arn:aws:directconnect::123456789012:dx-resiliency-group/dxrg-x",
    "dxcon-",
    "dxvif-fzzzzzzz",
    "tgw-00000000000000000",
    "vgw-",
    "0.0.0.0/0",
    "::/0",
    "10.0.0.0/33",
    "fe80::/129",
]
HOSTILE_NUMBERS = [0, -1, 1, 2**31 - 1, 2**31, 2**32, 2**63 - 1, -(2**63), 4294967295, 10**6]
ID_PATTERN = re.compile(r"^(dx[a-z]+-|vgw-|tgw-|arn:|[0-9a-f]{8}-[0-9a-f]{4}-)")


@pytest.fixture(scope="module")
def demo_url() -> Iterator[str]:
    with DXServer(Simulator(seed="demo")) as server:
        yield server.url


def harvest(value: Any, found: set[str]) -> None:
    if isinstance(value, dict):
        for item in value.values():
            harvest(item, found)
    elif isinstance(value, list):
        for item in value:
            harvest(item, found)
    elif isinstance(value, str) and ID_PATTERN.match(value):
        found.add(value)


@cache
def known_ids(url: str) -> tuple[str, ...]:
    """Every ID and ARN the demo's describe and list calls show, for both accounts."""
    found: set[str] = set()
    for name, spec in sorted(protocol.operation_specs().items()):
        shape = spec.model.input_shape
        if not name.startswith(("Describe", "List", "Get")):
            continue
        if shape is not None and shape.required_members:
            continue
        for account in (CUSTOMER, PARTNER):
            key = "test" if account == CUSTOMER else account
            response = raw_call(url, name, {}, access_key=key)
            if response.status_code == 200:
                harvest(response.json(), found)
    return tuple(sorted(found))


def values(shape: Shape, ids: tuple[str, ...]) -> st.SearchStrategy[Any]:
    kind = shape.type_name
    if kind == "structure":
        return st.fixed_dictionaries(
            {}, optional={n: values(m, ids) for n, m in shape.members.items()}
        )
    if kind == "list":
        item = values(shape.member, ids)
        return st.one_of(st.lists(item, max_size=3), st.lists(item, min_size=51, max_size=60))
    if kind == "map":
        return st.dictionaries(st.text(max_size=5), values(shape.value, ids), max_size=3)
    if kind == "string" and shape.enum:
        return st.sampled_from([*shape.enum, "bogus", ""])
    if kind == "string":
        pool = [*ids, *HOSTILE_TEXT] if ids else HOSTILE_TEXT
        return st.one_of(st.sampled_from(pool), st.text(max_size=30))
    if kind in ("integer", "long"):
        return st.one_of(st.sampled_from(HOSTILE_NUMBERS), st.integers(-5, 70_000))
    if kind == "boolean":
        return st.booleans()
    if kind in ("float", "double", "timestamp"):
        return st.one_of(st.floats(allow_nan=False, allow_infinity=False), st.just(1e20))
    return st.just("AAAA")


class Demo(OverHttp):
    """Reads the hostile-input simulator without resetting it (OverHttp's start resets)."""

    url: ClassVar[str] = ""

    def __init__(self) -> None:
        self.control = httpx.Client(base_url=f"{self.url}/_dxsim", timeout=10)
        self.clients = OverHttp.clients_for(self.url)


def send(url: str, wire: str, operation: str, params: dict[str, Any], account: str) -> None:
    key = "test" if account == CUSTOMER else account
    if wire == "json":
        response = raw_call(url, operation, params, access_key=key)
        assert "Traceback" not in response.text
    else:
        response = cbor_call(url, operation, params, access_key=key)
        if response.status_code >= 400:
            body = cbor2.loads(response.content)
            assert body["__type"].startswith("com.amazonaws.directconnect#"), body
    assert response.status_code < 500, (operation, params, response.status_code, response.text)


@pytest.mark.parametrize("wire", ["json", "cbor"])
@pytest.mark.parametrize("operation", sorted(protocol.operation_specs()))
def test_hostile_input_never_produces_a_5xx_and_keeps_the_world_consistent(
    demo_url: str, operation: str, wire: str
) -> None:
    shape = protocol.operation_specs()[operation].model.input_shape
    ids = known_ids(demo_url)
    requests = values(shape, ids) if shape is not None else st.just({})

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(params=requests, account=st.sampled_from([CUSTOMER, PARTNER]))
    def attempt(params: dict[str, Any], account: str) -> None:
        send(demo_url, wire, operation, params, account)

    attempt()
    Demo.url = demo_url
    check_invariants(read_world(Demo()))

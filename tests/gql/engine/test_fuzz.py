"""Fuzzing the running gateway with schemathesis (GraphQL mode), over real HTTP.

Schemathesis loads the schema by introspection from a running gateway and generates, for every
query and mutation field, valid documents (positive mode) and documents that break the schema's
types (negative mode). In positive mode, string arguments that name resources (`connectionId`,
`region`, `resourceArn`, global `id`s, …) are often replaced by real values from the simulator's
demo topology, so requests get past input checks and reach Direct Connect.

Every answer must pass `response_problems`: never a 5xx and never a traceback; a 200 is a GraphQL
response (`data` and/or `errors`) whose every error carries `extensions.code` (and never
`INTERNAL_ERROR`, which means an unexpected exception), and whose `data` conforms to the schema
for the document sent (types, nullability, enums, exactly the selected keys).

`bench/fuzz.py` reuses this module for a long run; here each operation gets a few examples.
"""

from __future__ import annotations

import dataclasses
import random
import re
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import schemathesis
from graphql import (
    ArgumentNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLEnumType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    ObjectFieldNode,
    SelectionSetNode,
    StringValueNode,
    Visitor,
    get_operation_ast,
    is_abstract_type,
    parse,
    print_ast,
    visit,
)
from graphql.error import GraphQLSyntaxError
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from gql.engine.schema import build_schema
from gql.http.server import GatewayServer
from gql.settings import Settings
from tests.gql.conftest import REGIONS

gateway_schema = build_schema()

# -- what a good answer looks like ------------------------------------------------------------

CODE = re.compile(r"^[A-Z][A-Z0-9_]*$")
TRACEBACK = re.compile(r"Traceback \(most recent call last\)|File \"/|\bline \d+, in \w")
UNEXPECTED = "INTERNAL_ERROR"
INT_MIN, INT_MAX = -(2**31), 2**31 - 1


def response_problems(
    client_schema: GraphQLSchema | None, query: str | None, response: httpx.Response
) -> list[str]:
    """Everything wrong with one answer of the gateway (empty when it is a good answer).

    A 4xx is a good answer to a bad request as long as it shows no traceback; a 200 must be a
    GraphQL response with coded errors and, when `client_schema` and `query` are given, `data`
    that conforms to the schema for that document.
    """
    text = response.text
    if response.status_code >= 500:
        return [f"HTTP {response.status_code}: {text[:300]!r}"]
    if TRACEBACK.search(text):
        return [f"traceback in the response body: {text[:300]!r}"]
    if response.status_code != 200:
        return [] if text.strip() else [f"HTTP {response.status_code} with an empty body"]
    try:
        body = response.json()
    except ValueError:
        return [f"HTTP 200 but not JSON: {text[:300]!r}"]
    if not isinstance(body, dict):
        return [f"a GraphQL response is a JSON object, not {type(body).__name__}"]
    problems = [f"unexpected top-level key {key!r}" for key in body if key not in GRAPHQL_KEYS]
    errors = body.get("errors")
    if "data" not in body and not errors:
        problems.append("neither data nor errors")
    if errors is not None:
        problems += error_problems(errors)
    elif not isinstance(body.get("data"), dict):
        problems.append("data is null but there are no errors")
    data = body.get("data")
    if client_schema is not None and query is not None and isinstance(data, dict):
        problems += conformance_problems(client_schema, query, data)
    return problems


GRAPHQL_KEYS = ("data", "errors", "extensions")


def error_problems(errors: Any) -> list[str]:
    if not isinstance(errors, list) or not errors:
        return [f"errors must be a non-empty list, not {errors!r}"]
    problems = []
    for error in errors:
        if not isinstance(error, dict) or not isinstance(error.get("message"), str):
            problems.append(f"error without a message: {error!r}")
            continue
        code = (error.get("extensions") or {}).get("code")
        if not isinstance(code, str) or not CODE.match(code):
            problems.append(f"error without extensions.code: {error!r}")
        elif code == UNEXPECTED:
            problems.append(f"unexpected exception (INTERNAL_ERROR) at {error.get('path')}")
        if TRACEBACK.search(error["message"]):
            problems.append(f"traceback in an error message: {error['message'][:200]!r}")
        path = error.get("path")
        if path is not None and not (
            isinstance(path, list) and all(isinstance(p, str | int) for p in path)
        ):
            problems.append(f"malformed error path {path!r}")
    return problems


def conformance_problems(schema: GraphQLSchema, query: str, data: dict[str, Any]) -> list[str]:
    """Where `data` departs from what the schema promises for `query` (its single operation)."""
    try:
        document = parse(query)
    except GraphQLSyntaxError:
        return []  # nothing to hold the data to (a parse error comes with data: null anyway)
    operation = get_operation_ast(document)
    if operation is None:
        return []
    root = schema.get_root_type(operation.operation)
    if root is None:
        return []
    checker = _Conformance(schema, document)
    checker.check_object(root, [operation.selection_set], data, "data")
    return checker.problems


@dataclass
class _Conformance:
    schema: GraphQLSchema
    document: DocumentNode
    problems: list[str] = field(default_factory=list)

    @property
    def fragments(self) -> dict[str, FragmentDefinitionNode]:
        return {
            d.name.value: d
            for d in self.document.definitions
            if isinstance(d, FragmentDefinitionNode)
        }

    def check(
        self,
        type_: GraphQLOutputType,
        selections: list[SelectionSetNode],
        value: Any,
        path: str,
    ) -> None:
        if isinstance(type_, GraphQLNonNull):
            if value is None:
                self.problems.append(f"{path}: null for non-null {type_}")
                return
            type_ = type_.of_type
        if value is None:
            return
        if isinstance(type_, GraphQLList):
            if not isinstance(value, list):
                self.problems.append(f"{path}: {type_} expects a list, got {value!r}")
                return
            for index, item in enumerate(value):
                self.check(type_.of_type, selections, item, f"{path}[{index}]")
        elif isinstance(type_, GraphQLScalarType):
            if not _scalar_ok(type_.name, value):
                self.problems.append(f"{path}: {value!r} is not a {type_.name}")
        elif isinstance(type_, GraphQLEnumType):
            if value not in type_.values:
                self.problems.append(f"{path}: {value!r} is not a value of enum {type_.name}")
        elif isinstance(type_, GraphQLObjectType):
            self.check_object(type_, selections, value, path)
        elif is_abstract_type(type_):
            self.check_abstract(type_, selections, value, path)

    def check_abstract(
        self, type_: Any, selections: list[SelectionSetNode], value: Any, path: str
    ) -> None:
        if not isinstance(value, dict):
            self.problems.append(f"{path}: {type_.name} expects an object, got {value!r}")
            return
        candidates = list(self.schema.get_possible_types(type_))
        typename = value.get("__typename")
        if isinstance(typename, str):
            candidates = [c for c in candidates if c.name == typename]
        attempts = []
        for candidate in candidates:
            trial = _Conformance(self.schema, self.document)
            trial.check_object(candidate, selections, value, path)
            if not trial.problems:
                return
            attempts.append(trial.problems)
        self.problems += attempts[0] if attempts else [f"{path}: no possible type of {type_}"]

    def check_object(
        self,
        type_: GraphQLObjectType,
        selections: list[SelectionSetNode],
        value: Any,
        path: str,
    ) -> None:
        if not isinstance(value, dict):
            self.problems.append(f"{path}: {type_.name} expects an object, got {value!r}")
            return
        fields: dict[str, list[FieldNode]] = {}
        optional: set[str] = set()
        for node, conditional in self.collect(type_, selections, conditional=False):
            key = node.alias.value if node.alias else node.name.value
            fields.setdefault(key, []).append(node)
            if conditional:
                optional.add(key)
        missing = set(fields) - set(value) - optional
        extra = set(value) - set(fields)
        if missing:
            self.problems.append(f"{path}: missing selected field(s) {sorted(missing)}")
        if extra:
            self.problems.append(f"{path}: field(s) not selected {sorted(extra)}")
        for key, nodes in fields.items():
            if key not in value:
                continue
            name = nodes[0].name.value
            if name == "__typename":
                if value[key] != type_.name:
                    self.problems.append(f"{path}.{key}: {value[key]!r} is not {type_.name!r}")
                continue
            definition = type_.fields.get(name)
            if definition is None:
                if not name.startswith("__"):
                    self.problems.append(f"{path}.{key}: {type_.name} has no field {name!r}")
                continue
            subs = [n.selection_set for n in nodes if n.selection_set is not None]
            self.check(definition.type, subs, value[key], f"{path}.{key}")

    def collect(
        self, type_: GraphQLObjectType, selections: list[SelectionSetNode], *, conditional: bool
    ) -> Iterator[tuple[FieldNode, bool]]:
        """The fields selected on an object of `type_` (spec: CollectFields); fields under
        @skip/@include are optional."""
        for selection_set in selections:
            for selection in selection_set.selections:
                maybe = conditional or bool(selection.directives)
                if isinstance(selection, FieldNode):
                    yield selection, maybe
                    continue
                condition: str | None
                if isinstance(selection, FragmentSpreadNode):
                    fragment = self.fragments.get(selection.name.value)
                    if fragment is None:
                        continue
                    condition = fragment.type_condition.name.value
                    inner = fragment.selection_set
                else:
                    assert isinstance(selection, InlineFragmentNode)
                    typed = selection.type_condition
                    condition = typed.name.value if typed is not None else None
                    inner = selection.selection_set
                if condition is None or self.applies(condition, type_):
                    yield from self.collect(type_, [inner], conditional=maybe)

    def applies(self, condition: str, type_: GraphQLObjectType) -> bool:
        if condition == type_.name:
            return True
        named = self.schema.get_type(condition)
        return is_abstract_type(named) and self.schema.is_sub_type(named, type_)


def _scalar_ok(name: str, value: Any) -> bool:
    if name == "Boolean":
        return isinstance(value, bool)
    if name == "Int":
        return (
            isinstance(value, int) and not isinstance(value, bool) and INT_MIN <= value <= INT_MAX
        )
    if name == "Float":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if name in ("String", "ID", "DateTime"):
        return isinstance(value, str)
    if name == "BigInt":
        return isinstance(value, int) and not isinstance(value, bool)
    return not isinstance(value, dict | list)


# -- realistic values: the resources that exist ----------------------------------------------

HARVEST_QUERY = """{
  regions
  locations { id locationCode }
  lags { id lagId arn }
  connections { id connectionId arn }
  interconnects { id interconnectId arn }
  virtualInterfaces { id virtualInterfaceId arn bgpPeers { id bgpPeerId } }
  virtualGateways { id virtualGatewayId }
  directConnectGateways { edges { node { id directConnectGatewayId arn
    associations { edges { node { id } } } attachments { edges { node { id } } } } } }
}"""

# Argument or input field name → the harvested keys whose values fit it.
ARGUMENT_SOURCES: dict[str, tuple[str, ...]] = {
    "id": ("id",),
    "ids": ("id",),
    "region": ("regions",),
    "connectionId": ("connectionId", "lagId", "interconnectId"),
    "parentConnectionId": ("interconnectId", "lagId"),
    "lagId": ("lagId",),
    "interconnectId": ("interconnectId",),
    "virtualInterfaceId": ("virtualInterfaceId",),
    "bgpPeerId": ("bgpPeerId",),
    "directConnectGatewayId": ("directConnectGatewayId",),
    "virtualGatewayId": ("virtualGatewayId",),
    "resourceArn": ("arn",),
    "location": ("locationCode",),
    "locationCode": ("locationCode",),
    "ownerAccount": ("accounts",),
    "bandwidth": ("bandwidths",),
    "connectionsBandwidth": ("bandwidths",),
    "connectionName": ("names",),
    "lagName": ("names",),
    "interconnectName": ("names",),
    "virtualInterfaceName": ("names",),
    "directConnectGatewayName": ("names",),
    "amazonAddress": ("amazonAddresses",),
    "customerAddress": ("customerAddresses",),
    "cidr": ("cidrs",),
}
FIXED_VALUES: dict[str, list[str]] = {
    "regions": ["eu-west-1"],  # not served: the gateway must refuse it with a code
    "accounts": ["123456789012", "210987654321", "333333333333"],
    "bandwidths": ["1Gbps", "10Gbps", "100Gbps", "50Mbps", "500Mbps"],
    "names": ["fuzz", "fuzz-2", "fuzz lag", "a.b:c/d"],
    "amazonAddresses": ["169.254.77.1/30", "203.0.113.1/30"],
    "customerAddresses": ["169.254.77.2/30", "203.0.113.2/30"],
    "cidrs": ["10.0.0.0/16", "203.0.113.0/24", "2001:db8::/64"],
}
# Integer arguments and input fields → values that pass the gateway's own range checks.
INT_VALUES: dict[str, list[int]] = {
    "vlan": [101, 102, 200, 3000, 4094],
    "asn": [65000, 64513, 7224, 4200000001],
    "amazonSideAsn": [64512, 65000, 4200000000],
    "mtu": [1500, 9001],
    "numberOfConnections": [1, 2, 4],
    "minimumLinks": [0, 1, 2],
    "first": [1, 2, 100],
}


@dataclass
class Pools:
    """Values that name real things, harvested from the gateway's own answers."""

    values: dict[str, set[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for key, fixed in FIXED_VALUES.items():
            self.values.setdefault(key, set()).update(fixed)

    def harvest(self, payload: Any) -> None:
        """Remembers every ID-like value in a GraphQL answer (lists and objects, any depth)."""
        wanted = {key for sources in ARGUMENT_SOURCES.values() for key in sources}
        for key, value in _walk(payload):
            if key in wanted and isinstance(value, str) and value:
                self.values.setdefault(key, set()).add(value)
            elif key == "regions" and isinstance(value, list):
                self.values.setdefault(key, set()).update(v for v in value if isinstance(v, str))

    def choices(self, argument: str) -> list[str]:
        return sorted(
            {
                v
                for source in ARGUMENT_SOURCES.get(argument, ())
                for v in self.values.get(source, ())
            }
        )

    def substitute(self, query: str, rng: random.Random, probability: float = 0.7) -> str:
        """`query` with string arguments that name resources often replaced by real ones."""
        try:
            document = parse(query)
        except GraphQLSyntaxError:
            return query
        pools = self

        class Substitute(Visitor):
            def enter_argument(self, node: ArgumentNode, *_: Any) -> Any:
                return pools._replace(node, rng, probability)

            def enter_object_field(self, node: ObjectFieldNode, *_: Any) -> Any:
                return pools._replace(node, rng, probability)

        return print_ast(visit(document, Substitute()))

    def _replace(
        self, node: ArgumentNode | ObjectFieldNode, rng: random.Random, probability: float
    ) -> Any:
        name = node.name.value
        if isinstance(node.value, IntValueNode) and name in INT_VALUES:
            if rng.random() > probability:
                return None
            value = IntValueNode(value=str(rng.choice(INT_VALUES[name])))
            return dataclasses.replace(node, value=value)
        choices = self.choices(name)
        if not choices or rng.random() > probability:
            return None  # keep the node
        if isinstance(node.value, StringValueNode):
            return dataclasses.replace(node, value=StringValueNode(value=rng.choice(choices)))
        if isinstance(node.value, ListValueNode):
            count = rng.choice([1, 2, 5, len(choices)])
            values = tuple(StringValueNode(value=rng.choice(choices)) for _ in range(count))
            return dataclasses.replace(node, value=ListValueNode(values=values))
        return None


def _walk(value: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield key, item
            yield from _walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item)


# -- running schemathesis against a gateway ----------------------------------------------------


@dataclass
class Failure:
    operation: str
    mode: str
    query: str
    status: int
    problems: list[str]

    def __str__(self) -> str:
        shown = "\n    ".join(self.problems)
        head = f"{self.operation} ({self.mode}, HTTP {self.status})"
        return f"{head}:\n    {shown}\n  query: {self.query}"


@dataclass
class FuzzStats:
    requests: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    codes: Counter[str] = field(default_factory=Counter)
    modes: Counter[str] = field(default_factory=Counter)
    outcomes: Counter[str] = field(default_factory=Counter)
    failures: list[Failure] = field(default_factory=list)

    def record(self, operation: str, mode: str, query: str, response: httpx.Response) -> None:
        self.requests += 1
        self.statuses[response.status_code] += 1
        self.modes[mode] += 1
        try:
            body = response.json()
        except ValueError:
            body = None
        if isinstance(body, dict):
            errors, data = body.get("errors"), body.get("data")
            outcome = "refused" if not data else "partial" if errors else "answered"
            self.outcomes[f"{mode} {outcome}"] += 1
            for error in errors or []:
                if isinstance(error, dict):
                    self.codes[str((error.get("extensions") or {}).get("code"))] += 1

    def report(self) -> str:
        return "\n".join(str(f) for f in self.failures)


def operation_labels() -> list[str]:
    """`Query.lags`, `Mutation.createLag`, …: every root field the gateway serves."""
    graphql_schema = gateway_schema._schema
    roots = [graphql_schema.query_type, graphql_schema.mutation_type]
    return [f"{root.name}.{name}" for root in roots if root is not None for name in root.fields]


def load_schema(url: str) -> Any:
    """The gateway's schema as schemathesis sees it: by introspection over HTTP."""
    return schemathesis.graphql.from_url(f"{url}/graphql", timeout=30)


def harvest(url: str, pools: Pools, client: httpx.Client) -> None:
    answer = client.post(
        f"{url}/graphql", json={"query": HARVEST_QUERY}, headers={"Cache-Control": "no-cache"}
    )
    pools.harvest(answer.json())


def fuzz_operation(
    st_schema: Any,
    label: str,
    url: str,
    client: httpx.Client,
    pools: Pools,
    stats: FuzzStats,
    examples: int,
) -> None:
    """Sends `examples` generated requests for one operation (positive and negative modes) and
    records every answer; failures are collected, not raised, so one run reports them all."""
    root, name = label.split(".", 1)
    operation = st_schema[root][name]
    strategy = st.one_of(
        operation.as_strategy(generation_mode=GenerationMode.POSITIVE).map(
            lambda c: ("positive", c)
        ),
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE).map(
            lambda c: ("negative", c)
        ),
    )
    client_schema = st_schema.client_schema

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(drawn=strategy, rng=st.randoms(use_true_random=True))
    def run(drawn: tuple[str, Any], rng: random.Random) -> None:
        mode, case = drawn
        query = case.body if isinstance(case.body, str) else str(case.body)
        if mode == "positive":
            query = pools.substitute(query, rng)
        response = client.post(f"{url}/graphql", json={"query": query})
        stats.record(label, mode, query, response)
        problems = response_problems(client_schema, query, response)
        if problems:
            stats.failures.append(Failure(label, mode, query, response.status_code, problems))
        elif root == "Mutation" and response.status_code == 200:
            pools.harvest(response.json())

    run()


# -- the test suite's bounded run -------------------------------------------------------------

EXAMPLES_PER_OPERATION = 4


@pytest.fixture(scope="module")
def fuzz_gateway(dx_url: str) -> Iterator[GatewayServer]:
    """One gateway for the module (starting one per operation would double the run time); rate
    limiting off, as the fuzzer sends requests as fast as it can and this is about input."""
    settings_ = Settings(
        upstream="endpoint",
        dx_endpoint=dx_url,
        regions=REGIONS,
        cache_namespace=f"fuzz-{uuid.uuid4().hex[:12]}",
        max_attempts=1,
        rate_limit_per_minute=0,
    )
    with GatewayServer(settings_) as server:
        yield server


@pytest.fixture(scope="module")
def st_schema(fuzz_gateway: GatewayServer) -> Any:
    return load_schema(fuzz_gateway.url)


@pytest.fixture(scope="module")
def pools(fuzz_gateway: GatewayServer, dx_url: str) -> Pools:
    """The demo topology, reset once for the module, and the values that name its resources."""
    httpx.post(f"{dx_url}/_dxsim/reset", json={"seed": "demo"}, timeout=10).raise_for_status()
    found = Pools()
    with httpx.Client(timeout=30) as client:
        harvest(fuzz_gateway.url, found, client)
    return found


@pytest.fixture(autouse=True)
def _reset_dx() -> None:
    """Overrides the suite's reset before each test: the fuzz tests share one demo topology that
    changes as the fuzzer's mutations land (and the pools learn the IDs they create)."""


@pytest.mark.parametrize("label", operation_labels())
def test_fuzzed_requests_get_no_5xx_only_coded_errors_and_conforming_data(
    label: str, fuzz_gateway: GatewayServer, st_schema: Any, pools: Pools
) -> None:
    stats = FuzzStats()
    with httpx.Client(timeout=30) as client:
        fuzz_operation(
            st_schema, label, fuzz_gateway.url, client, pools, stats, EXAMPLES_PER_OPERATION
        )
    assert stats.requests == EXAMPLES_PER_OPERATION
    assert not stats.failures, stats.report()


def test_the_checks_catch_an_uncoded_error_a_5xx_and_nonconforming_data(
    st_schema: Any,
) -> None:
    """The checks themselves: each kind of bad answer is reported."""
    request = httpx.Request("POST", "http://gateway/graphql")
    schema_ = st_schema.client_schema

    def answer(status: int, body: Any) -> httpx.Response:
        return httpx.Response(status, json=body, request=request)

    query = "{ lags { lagId lagState numberOfConnections } regions }"
    good = {"data": {"lags": [{"lagId": "x", "lagState": "AVAILABLE", "numberOfConnections": 2}],
                     "regions": ["us-east-1"]}}  # fmt: skip
    assert response_problems(schema_, query, answer(200, good)) == []
    assert response_problems(schema_, query, answer(502, {"errors": []}))
    uncoded = {"data": None, "errors": [{"message": "boom"}]}
    assert "extensions.code" in response_problems(schema_, query, answer(200, uncoded))[0]
    internal = {"data": None, "errors": [{"message": "x", "extensions": {"code": UNEXPECTED}}]}
    assert "INTERNAL_ERROR" in response_problems(schema_, query, answer(200, internal))[0]
    bad_enum = {"data": {"lags": [{"lagId": "x", "lagState": "up", "numberOfConnections": 2}],
                         "regions": ["us-east-1"]}}  # fmt: skip
    assert "enum" in response_problems(schema_, query, answer(200, bad_enum))[0]
    null_list = {"data": {"lags": None, "regions": ["us-east-1"]}}
    assert "non-null" in response_problems(schema_, query, answer(200, null_list))[0]
    extra = {"data": {**good["data"], "secret": 1}}
    assert "not selected" in response_problems(schema_, query, answer(200, extra))[0]
    node = '{ node(id: "x") { id ... on Lag { lagId } } }'
    assert (
        response_problems(schema_, node, answer(200, {"data": {"node": {"id": "x", "lagId": "l"}}}))
        == []
    )
    assert response_problems(schema_, node, answer(200, {"data": {"node": {"id": 5}}}))

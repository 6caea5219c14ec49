"""The fast paths (plain leaf fields read directly, resolvers called directly) answer exactly
what graphql-core's own execution answers: the same data in the same order, the same errors at
the same paths, null bubbling included."""

from __future__ import annotations

import asyncio
import enum
import gc
import sys
from typing import Any, cast

import httpx
import pytest
import strawberry
from strawberry import relay
from strawberry.relay import GlobalID
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from gql.engine.execution import FastLeafExecutor
from gql.engine.fast_paths import context_leaves, direct_resolvers, leaf_fields
from gql.engine.schema import build_schema
from gql.http.server import GatewayServer
from gql.settings import Settings
from resolvers.context import context_only

dxgraph_schema = build_schema()


@strawberry.enum
class Colour(enum.Enum):
    RED = "red"
    BLUE = "blue"


@strawberry.type
class Item:
    name: str
    nick: str | None
    colour: Colour
    count: int
    weight: float | None

    @strawberry.field
    def shout(self, times: int = 1) -> str:
        return self.name.upper() * times

    @strawberry.field
    def initial(self) -> str:
        return self.name[0]  # fails on a null name: an error at this field

    @strawberry.field
    def label(self, info: strawberry.Info) -> str | None:
        return None if self.nick is None else f"{info.context['prefix']}{self.nick}"

    @strawberry.field(metadata=context_only())
    def tagged(self, info: strawberry.Info) -> str | None:
        return None if self.nick is None else f"{info.context['prefix']}{self.nick}"

    @strawberry.field(metadata=context_only())
    def loud(self, info: strawberry.Info) -> str:
        return f"{info.context['prefix']}{self.name.upper()}"  # fails on a null name

    @strawberry.field(metadata=context_only())
    def tint(self, info: strawberry.Info) -> Colour:
        return self.colour  # a value the enum may not serialise

    @strawberry.field
    def twin(self, root: Item) -> Item | None:
        if root.count == 3:
            wrong: Any = {"name": "not an Item"}
            return cast(Item, wrong)  # an object of the wrong type: an error at this field
        return None if root.count > 1 else item(name=f"{root.name}2", count=2)

    @strawberry.field
    def eventually(self) -> int:  # a plain function that answers with an awaitable
        async def count() -> int:
            await asyncio.sleep(0)
            return self.count

        later: Any = count()
        return cast(int, later)

    @strawberry.field
    async def awaited(self) -> str:
        return self.name


ITEMS: list[Any] = []


@strawberry.type
class Query:
    @strawberry.field
    def items(self) -> list[Item]:
        return ITEMS


def item(**changes: Any) -> Item:
    values: dict[str, Any] = {
        "name": "a",
        "nick": None,
        "colour": Colour.RED,
        "count": 1,
        "weight": 1.5,
    }
    values.update(changes)
    return Item(**values)


FAST = strawberry.Schema(query=Query, execution_context_class=FastLeafExecutor)
STANDARD = strawberry.Schema(
    query=Query, execution_context_class=StrawberryGraphQLCoreExecutionContext
)

QUERIES = [
    "{ items { name nick colour count weight } }",
    "{ items { n: name name again: name __typename shout(times: 2) } }",
    "{ items { ...F colour } } fragment F on Item { count name }",
    "{ items { ... on Item { name } name @skip(if: true) nick @include(if: true) } }",
    "query($skip: Boolean!) { items { name @skip(if: $skip) count } }",
    "{ items { initial label eventually awaited twin { name initial twin { name } } } }",
    "{ items { __typename tagged loud tint twin { __typename loud } } }",
]


async def answer(schema: strawberry.Schema, query: str) -> dict[str, Any]:
    result = await schema.execute(
        query, variable_values={"skip": False}, context_value={"prefix": "~"}
    )
    return {
        "data": result.data,
        "errors": [(e.message, e.path) for e in result.errors or []],
    }


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize(
    "items",
    [
        [item(), item(name="b", nick="bee", colour=Colour.BLUE, count=2, weight=None)],
        [item(name=None)],  # null in a non-null leaf: an error, and the item bubbles to null
        [item(), item(colour="green")],  # a value the enum cannot serialise
        [item(count="many")],  # a value the scalar cannot serialise
        [item(count=3), item()],  # a resolver answering with an object of the wrong type
        [item(weight=float("nan"))],
    ],
    ids=["plain", "null-in-non-null", "bad-enum", "bad-int", "wrong-type", "nan"],
)
async def test_fast_paths_answer_exactly_what_graphql_core_answers(
    query: str, items: list[Item]
) -> None:
    ITEMS[:] = items
    fast, standard = await answer(FAST, query), await answer(STANDARD, query)
    assert fast == standard
    assert list(fast["data"] or {}) == list(standard["data"] or {})
    if fast["data"]:
        for got, expected in zip(fast["data"]["items"], standard["data"]["items"], strict=True):
            assert list(got or {}) == list(expected or {})  # field order kept


async def test_a_null_in_a_non_null_leaf_is_an_error_at_its_path() -> None:
    ITEMS[:] = [item(), item(name=None)]
    body = await answer(FAST, "{ items { name } }")
    assert body["data"] is None  # [Item!]! cannot hold the null item: it bubbles to the root
    assert body["errors"] == [
        ("Cannot return null for non-nullable field Item.name.", ["items", 1, "name"])
    ]


def test_leaves_with_a_resolver_or_arguments_take_the_standard_path() -> None:
    leaves = leaf_fields(FAST._schema)["Item"]
    assert set(leaves) == {"name", "nick", "colour", "count", "weight"}  # not `shout`


def test_resolvers_without_arguments_are_called_directly_async_ones_are_not() -> None:
    direct = direct_resolvers(FAST._schema)["Item"]
    plain = {"initial", "label", "twin", "eventually"}
    assert set(direct) == plain | {"tagged", "loud", "tint"}  # not shout, not awaited
    assert set(context_leaves(FAST._schema)["Item"]) == {"tagged", "loud", "tint"}


def test_the_gateway_reads_plain_attributes_fast_and_resolves_the_rest() -> None:
    assert dxgraph_schema.execution_context_class is FastLeafExecutor
    leaves = leaf_fields(dxgraph_schema._schema)
    assert {"vlan", "virtualInterfaceState", "asn", "amazonSideAsn"} <= set(
        leaves["VirtualInterface"]
    )
    # authKey is masked by its resolver unless the caller has the `secrets` scope
    assert "authKey" not in leaves["BgpPeer"]
    assert "authKey" not in leaves["VirtualInterface"]
    # resolvers that declare they read only the context are called with it, as leaves
    assert {"arn", "authKey", "customerRouterConfig"} <= set(
        context_leaves(dxgraph_schema._schema)["VirtualInterface"]
    )
    # links are resolved, never read as attributes
    assert not {"connection", "bgpPeers", "tags", "location"} & set(leaves["VirtualInterface"])
    # a Relay ID is read from the node's key and encoded as strawberry's own resolver would
    attribute, serialize, nullable = leaves["VirtualInterface"]["id"]
    expected = str(GlobalID(type_name="VirtualInterface", node_id="us-east-1/dxvif-fg5678"))
    assert (attribute, serialize("us-east-1/dxvif-fg5678"), nullable) == ("key", expected, False)


def test_a_serving_gateway_tunes_garbage_collection_and_thread_switching(
    gateway_settings: Settings,
) -> None:
    with GatewayServer(gateway_settings.model_copy(update={"runtime_tuning": True})) as gateway:
        assert (
            httpx.post(f"{gateway.url}/graphql", json={"query": "{ regions }"}).status_code == 200
        )
        assert gc.get_threshold()[0] == 5_000
        assert gc.get_freeze_count() > 0
        assert sys.getswitchinterval() == pytest.approx(0.001)


@strawberry.type
class Thing(relay.Node):
    key: relay.NodeID[str]
    name: str


THINGS: list[Any] = []


@strawberry.type
class NodeQuery:
    @strawberry.field
    def things(self) -> list[Thing]:
        return THINGS


FAST_NODES = strawberry.Schema(query=NodeQuery, execution_context_class=FastLeafExecutor)
STANDARD_NODES = strawberry.Schema(
    query=NodeQuery, execution_context_class=StrawberryGraphQLCoreExecutionContext
)


@pytest.mark.parametrize(
    "keys",
    [["us-east-1/dxlag-1", "région/ü"], [None], [7]],
    ids=["plain", "null-key", "non-string-key"],
)
async def test_relay_ids_read_as_leaves_equal_strawberrys_own(keys: list[Any]) -> None:
    THINGS[:] = [Thing(key=key, name="t") for key in keys]
    query = "{ things { id name ... on Node { again: id } } }"
    fast, standard = await answer(FAST_NODES, query), await answer(STANDARD_NODES, query)
    assert fast == standard
    assert "id" in leaf_fields(FAST_NODES._schema)["Thing"]

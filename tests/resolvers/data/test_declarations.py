"""Every field that may read Direct Connect declares what it reads, and the one planner reads
nothing else: the cost estimate and the prefetch come from those declarations only."""

from __future__ import annotations

import pytest
from graphql import GraphQLObjectType

from gql.engine.schema import build_schema
from resolvers.data.plan import LIST_KINDS, Reads, declared


def resolver_fields() -> list[tuple[str, str, object]]:
    """(type, field, graphql field) of every field with code behind it (a resolver), relay's
    own `id` fields aside (strawberry computes them from the node's key)."""
    schema = build_schema()._schema
    found = []
    for type_name, named in schema.type_map.items():
        if type_name.startswith("__") or not isinstance(named, GraphQLObjectType):
            continue
        for field_name, field in named.fields.items():
            definition = (field.extensions or {}).get("strawberry-definition")
            if definition is None or definition.base_resolver is None:
                continue
            if field_name == "id" and "Node" in {i.name for i in named.interfaces}:
                continue
            found.append((type_name, field_name, field))
    return found


def test_every_field_with_a_resolver_declares_what_it_reads() -> None:
    missing = [f"{t}.{f}" for t, f, field in resolver_fields() if declared(field) is None]
    assert missing == [], (
        "these fields run code but declare no reads; add metadata=reads(...) (reads() if the "
        f"field reads nothing upstream): {missing}"
    )


def test_the_walk_finds_the_fields_that_read_upstream() -> None:
    fields = {f"{t}.{f}": declared(field) for t, f, field in resolver_fields()}
    assert fields["DxConnection.lag"] == Reads(lists=("lags",))
    assert fields["Lag.tags"] == Reads(tags="lags")
    assert fields["Interconnect.hostedConnections"] == Reads(each=(("hosted", "interconnects"),))
    assert fields["Query.virtualInterfaces"] == Reads(lists=("virtual_interfaces",))
    assert fields["Mutation.createConnection"] == Reads(write=True)
    assert fields["DxConnection.arn"] == Reads()


def test_declarations_name_only_kinds_the_loaders_know() -> None:
    for _, _, field in resolver_fields():
        reads = declared(field)
        assert reads is not None
        assert set(reads.lists) <= LIST_KINDS
        assert {kind for _, kind in reads.each} <= LIST_KINDS


def test_an_unknown_kind_is_refused_when_declared() -> None:
    with pytest.raises(ValueError, match="vpcs"):
        Reads(lists=("vpcs",))

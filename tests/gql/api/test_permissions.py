"""Who may do what: the permission classes on the schema's fields."""

from __future__ import annotations

from gql.api.permissions import CanWrite
from gql.engine.schema import build_schema


def test_every_mutation_requires_the_write_permission() -> None:
    mutation = build_schema()._schema.mutation_type
    assert mutation is not None
    unguarded = [
        name
        for name, field in mutation.fields.items()
        if CanWrite not in field.extensions["strawberry-definition"].permission_classes
    ]
    assert unguarded == []

"""Mutation (and deprecated query) wiring per resource family; `gql.schema` composes them."""

"""Mutation inputs and payloads, one module per resource kind.

Inputs keep the AWS parameter names (camelCase in GraphQL), so users move between the AWS docs
and this schema without a dictionary. Each input checks itself (`validate`) and maps itself to
boto3 parameters (`to_aws`) in one place.
"""

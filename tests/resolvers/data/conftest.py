"""The gateway fixtures of tests/gql, for the planner and loader tests that run through it."""

from tests.gql.conftest import calls, gateway, gateway_settings, gql

__all__ = ["calls", "gateway", "gateway_settings", "gql"]

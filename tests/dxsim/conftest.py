"""The simulator's tests run every `dx*` client in both protocols dxsim speaks."""

from __future__ import annotations

import pytest

from tests.conftest import PROTOCOLS


@pytest.fixture(params=PROTOCOLS)
def dx_protocol(request: pytest.FixtureRequest) -> str:
    """AWS JSON 1.1 and Smithy RPC v2 CBOR: the same assertions hold for both."""
    return str(request.param)

"""dxsim: a stateful AWS Direct Connect simulator that the real boto3 client talks to over HTTP."""

from dxsim.backend import DirectConnectBackend
from dxsim.server import DXServer, Simulator, create_app

__all__ = ["DXServer", "DirectConnectBackend", "Simulator", "create_app"]

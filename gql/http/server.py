"""Runs the gateway on a loopback port in a background thread (tests, benchmarks, embedding)."""

from __future__ import annotations

import socket
import threading

import uvicorn

from gql.http.app import create_app
from gql.settings import Settings


class GatewayServer:
    """The gateway app served by uvicorn on `host:port` (port 0 picks a free one).

    Example:
        with GatewayServer(Settings(upstream="endpoint", dx_endpoint=url)) as gw:
            httpx.post(f"{gw.url}/graphql", json={"query": "{ regions }"})
    """

    def __init__(self, settings: Settings, host: str = "127.0.0.1", port: int = 0) -> None:
        self.settings = settings
        self.host = host
        self.port = port
        self.app = create_app(settings)
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> str:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self.port))
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(self.app, log_level="warning", access_log=False, lifespan="on")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, daemon=True, name="dxgraph"
        )
        self._thread.start()
        while not self._server.started:
            if not self._thread.is_alive():
                raise RuntimeError("dxgraph gateway failed to start")
            threading.Event().wait(0.01)
        return self.url

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)

    def __enter__(self) -> GatewayServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

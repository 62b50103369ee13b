"""A stand-in of Mannco's public market websocket on 127.0.0.1 (``websockets.sync.server``).

It accepts any client on ``/ws`` (no auth, read-only, as the vendor facts say), records the
path each connected on, and sends what the test pushes to every open connection.
"""

from __future__ import annotations

import contextlib
import json
import logging
import socket
import threading
from collections.abc import Iterator

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.server import Server, ServerConnection, serve


class ManncoSocketServer:
    """The market websocket; what it saw, and switches for the test."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        self._open: list[ServerConnection] = []
        self._all: list[ServerConnection] = []
        self._cond = threading.Condition()
        quiet = logging.getLogger("tests.mannco.socket")
        quiet.addHandler(logging.NullHandler())
        quiet.propagate = False
        self._server: Server = serve(self._handle, "127.0.0.1", 0, logger=quiet)
        self.url = f"ws://127.0.0.1:{self._server.socket.getsockname()[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def _handle(self, connection: ServerConnection) -> None:
        path = connection.request.path if connection.request is not None else ""
        with self._cond:
            self.paths.append(path)
            if path != "/ws":
                connection.close(1008, "unknown path")
                return
            self._open.append(connection)
            self._all.append(connection)
            self._cond.notify_all()
        try:
            for _ in connection:  # read-only: anything a client sends is ignored
                pass
        except ConnectionClosed:
            pass
        finally:
            with self._cond:
                if connection in self._open:
                    self._open.remove(connection)

    def wait_paths(self, count: int, timeout: float = 5.0) -> list[str]:
        """The paths of the connections made, once there are ``count`` (the server side
        registers a connection a moment after the client saw it open)."""
        with self._cond:
            assert self._cond.wait_for(lambda: len(self.paths) >= count, timeout), self.paths
            return list(self.paths)

    def push(self, frame: object) -> None:
        """Send ``frame`` (a str as is, anything else as JSON) to every open connection.

        Waits for one to be open: the client may say "connected" before this side has
        registered its connection.
        """
        text = frame if isinstance(frame, str) else json.dumps(frame)
        with self._cond:
            assert self._cond.wait_for(lambda: self._open, 5.0), "no open connection"
            connections = list(self._open)
        for connection in connections:
            connection.send(text)

    def drop(self, *, wait: bool = True) -> None:
        """Close every open connection (the server going away), without waiting for it.

        ``close()`` waits for the client to close its TCP side; websocket-client leaves it open
        after answering a server's close frame until the object is collected (see the report
        on ``_realtime/websocket.py``), so the closing runs in a thread of its own.
        """
        with self._cond:
            if wait:
                assert self._cond.wait_for(lambda: self._open, 5.0), "no open connection"
            connections, self._open = list(self._open), []
        for connection in connections:
            threading.Thread(
                target=connection.close, args=(1001, "going away"), daemon=True
            ).start()

    def stop(self) -> None:
        """Close every connection (lingering closes cut short) and stop serving."""
        self.drop(wait=False)
        for connection in self._all:
            with contextlib.suppress(OSError):
                connection.socket.shutdown(socket.SHUT_RDWR)
        self._server.shutdown()
        self._server.socket.close()
        self._thread.join(5)


@pytest.fixture
def mannco_socket() -> Iterator[ManncoSocketServer]:
    """A started stand-in, stopped at teardown."""
    server = ManncoSocketServer()
    try:
        yield server
    finally:
        server.stop()

"""A stand-in of SkinsBack's websocket on 127.0.0.1, written from the vendor facts.

``/ws/?shopid=<Client ID>&signature=<md5(ClientID + ClientSecret)>``; the first frame is
``{"event": "auth_success"}`` or ``{"event": "auth_failed"}``; then the frames a test scripted
for that connection; the text ``ping`` is answered with ``pong`` (one guess at the undocumented
reply) and recorded.
"""

from __future__ import annotations

import hashlib
import json
import logging
import queue
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qs, urlsplit

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import ServerConnection, serve

from tests.support import load_fixture

AUTH_SUCCESS = json.dumps({"event": "auth_success"})
AUTH_FAILED = json.dumps({"event": "auth_failed"})
#: How long the stand-in waits for a client to finish closing (websockets' default is 10 s).
CLOSE_TIMEOUT = 2.0  # float ok: seconds

# The stand-in's own log (it would show the request path, signature included) stays out of
# caplog: only what skinmarkets and websocket-client log is checked there.
_quiet = logging.getLogger("tests.skinsback_ws_server")
_quiet.propagate = False
_quiet.addHandler(logging.NullHandler())


def frame_text(name: str) -> str:
    """The text a fixture ``fixtures/skinsback/<name>.json`` puts on the wire."""
    fixture = load_fixture("skinsback", name)
    return str(fixture["text"]) if "text" in fixture else json.dumps(fixture["frame"])


class Session:
    """What the stand-in does on one connection after ``auth_success``."""

    def __init__(self, frames: Sequence[str] = (), *, drop: bool = False) -> None:
        self.frames = list(frames)
        self.drop = drop


class FakeSkinsback:
    """The stand-in server: records every connection's query and every frame the client sent."""

    def __init__(self, client_id: str, client_secret: str) -> None:
        self.client_id = client_id
        self.signature = hashlib.md5((client_id + client_secret).encode()).hexdigest()  # noqa: S324
        self.refuse = False
        self.paths: list[str] = []
        self.queries: list[dict[str, list[str]]] = []
        self.received: list[str] = []
        #: Per dropped connection: seconds until the client closed its side (the closing
        #: handshake and the TCP connection), at most ``CLOSE_TIMEOUT``.
        self.drop_seconds: list[float] = []  # float ok: seconds
        self.sessions: queue.Queue[Session] = queue.Queue()
        self.changed = threading.Condition()
        self._open: list[ServerConnection] = []
        self._server: Any = None
        self.port = 0

    @property
    def origin(self) -> str:
        """What ``ws_url=`` is set to."""
        return f"ws://127.0.0.1:{self.port}"

    def push(self, *frames: str, drop: bool = False) -> None:
        """Script the next connection: these frames after ``auth_success`` (then close if
        ``drop``)."""
        self.sessions.put(Session(frames, drop=drop))

    def wait_for(self, test: Any, timeout: float = 5.0) -> bool:  # float ok: seconds
        """Wait until ``test()`` holds (checked whenever the server records something)."""
        with self.changed:
            return bool(self.changed.wait_for(test, timeout=timeout))

    def _record(self, attribute: str, value: Any) -> None:
        with self.changed:
            getattr(self, attribute).append(value)
            self.changed.notify_all()

    def _handle(self, connection: ServerConnection) -> None:
        path = connection.request.path if connection.request is not None else ""
        query = parse_qs(urlsplit(path).query)
        self.paths.append(urlsplit(path).path)
        self._record("queries", query)
        self._open.append(connection)
        signed = (
            urlsplit(path).path == "/ws/"
            and query.get("shopid") == [self.client_id]
            and query.get("signature") == [self.signature]
        )
        try:
            if self.refuse or not signed:
                connection.send(AUTH_FAILED)
                connection.close()
                return
            connection.send(AUTH_SUCCESS)
            try:
                session = self.sessions.get_nowait()
            except queue.Empty:
                session = Session()
            for frame in session.frames:
                connection.send(frame)
            if session.drop:
                started = time.monotonic()
                connection.close()
                self._record("drop_seconds", time.monotonic() - started)
                return
            for message in connection:
                text = message if isinstance(message, str) else message.decode()
                if text == "ping":
                    connection.send("pong")
                self._record("received", text)
        except ConnectionClosed:
            return

    @contextmanager
    def running(self) -> Iterator[FakeSkinsback]:
        """Serve on a free port of 127.0.0.1 in a thread; stop and close everything after."""
        server = serve(self._handle, "127.0.0.1", 0, logger=_quiet, close_timeout=CLOSE_TIMEOUT)
        self.port = server.socket.getsockname()[1]
        thread = threading.Thread(target=server.serve_forever, name="fake-skinsback", daemon=True)
        thread.start()
        try:
            yield self
        finally:
            server.shutdown()
            for connection in self._open:
                connection.close()
            thread.join(timeout=5)

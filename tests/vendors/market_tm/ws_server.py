"""Stand-ins of Market TM's two sockets on one 127.0.0.1 port, written from the vendor facts.

``/connection/websocket`` speaks the Centrifugo JSON protocol as vendor-docs/realtime.md tells
it: a ``connect`` command with the token, its reply (``ping``, ``pong``, ``expires``/``ttl``),
a ``subscribe`` and its reply, then the frames a test scripted; ``{"id", "refresh"}`` is
answered with a new ttl; error 109 or a close code can refuse a connect. ``/wsn/`` takes the
key as the first text frame (``auth`` back = refused), answers ``ping`` with ``pong`` and sends
the scripted frames. One origin serves both, as ``ws_url=`` replaces the origin of both.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import ServerConnection, serve

from tests.support import load_fixture

# The stand-in's own log stays out of caplog: only what skinmarkets and websocket-client log
# is checked there.
_quiet = logging.getLogger("tests.market_tm_ws_server")
_quiet.propagate = False
_quiet.addHandler(logging.NullHandler())

#: A scripted frame: text, or a function of the token/key this connection authenticated with.
Frame = str | Callable[[str], str]


def frame_text(name: str) -> str:
    """The text a fixture ``fixtures/market_tm/<name>.json`` puts on the wire."""
    fixture = load_fixture("market_tm", name)
    return str(fixture["text"]) if "text" in fixture else json.dumps(fixture["frame"])


class Session:
    """What a socket does on one connection once it is set up (subscribed, or key accepted):
    send ``frames``, then close with ``drop_code`` if given, else serve until the client goes."""

    def __init__(self, frames: Sequence[Frame] = (), *, drop_code: int | None = None) -> None:
        self.frames = list(frames)
        self.drop_code = drop_code


class FakeMarketTMSockets:
    """Both stand-ins; records tokens, keys, channels and every frame the client sent."""

    def __init__(self, *, close_timeout: float = 0.3) -> None:  # float ok: seconds
        #: How long a connection the stand-in closes waits for the client to close TCP.
        self.close_timeout = close_timeout
        # price feed (Centrifugo)
        self.ping = 25
        self.ttl: int | None = None
        self.refuse_connects = 0  # how many connects to answer with error 109
        self.close_connects_with: int | None = None  # close every connect with this code
        self.drop_every_connection = False  # close right after the subscribe reply
        self.tokens: list[str] = []
        self.refresh_tokens: list[str] = []
        self.channels: list[str] = []
        self.price_received: list[str] = []
        self.price_sessions: queue.Queue[Session] = queue.Queue()
        # wsn
        self.refuse_keys = 0  # how many keys to answer with "auth"
        self.keys: list[str] = []
        self.wsn_received: list[str] = []
        self.wsn_sessions: queue.Queue[Session] = queue.Queue()

        self.paths: list[str] = []
        self.finished: list[float] = []  # float ok: time.monotonic() when each handler ended
        self.changed = threading.Condition()
        self._lock = threading.Lock()
        self._open: list[ServerConnection] = []
        self.port = 0

    @property
    def origin(self) -> str:
        """What ``ws_url=`` is set to."""
        return f"ws://127.0.0.1:{self.port}"

    def script_price(self, *frames: Frame, drop_code: int | None = None) -> None:
        """The next price-feed connection: these frames after the subscribe reply."""
        self.price_sessions.put(Session(frames, drop_code=drop_code))

    def script_wsn(self, *frames: Frame, drop_code: int | None = None) -> None:
        """The next wsn connection: these frames once the key is accepted."""
        self.wsn_sessions.put(Session(frames, drop_code=drop_code))

    def wait_for(self, test: Callable[[], bool], timeout: float = 5.0) -> bool:  # float ok
        """Wait until ``test()`` holds (checked whenever the server records something)."""
        with self.changed:
            return bool(self.changed.wait_for(test, timeout=timeout))

    def _record(self, attribute: str, value: Any) -> None:
        with self.changed:
            getattr(self, attribute).append(value)
            self.changed.notify_all()

    def _take(self, attribute: str) -> bool:
        """Use up one of a counted refusal; True when one was left."""
        with self._lock:
            left: int = getattr(self, attribute)
            if left <= 0:
                return False
            setattr(self, attribute, left - 1)
            return True

    # ------------------------------------------------------------------ serving

    def _handle(self, connection: ServerConnection) -> None:
        path = urlsplit(connection.request.path if connection.request else "").path
        self._record("paths", path)
        self._open.append(connection)
        try:
            if path == "/connection/websocket":
                self._centrifugo(connection)
            elif path == "/wsn/":
                self._wsn(connection)
            else:
                connection.close(code=4404, reason="no such path")
        except (ConnectionClosed, TimeoutError, OSError):
            return
        finally:
            self._record("finished", time.monotonic())

    def _centrifugo(self, connection: ServerConnection) -> None:
        command = json.loads(connection.recv(timeout=5))
        token = command["connect"]["token"]
        self._record("tokens", token)
        if self.close_connects_with is not None:
            connection.close(code=self.close_connects_with, reason="invalid token")
            return
        if self._take("refuse_connects"):
            error = {"code": 109, "message": "token expired"}
            connection.send(json.dumps({"id": command["id"], "error": error}))
            for _ in connection:  # the client closes
                pass
            return
        reply: dict[str, Any] = {"client": "c-1", "version": "5.4.0", "ping": self.ping}
        reply["pong"] = True
        if self.ttl is not None:
            reply |= {"expires": True, "ttl": self.ttl}
        connection.send(json.dumps({"id": command["id"], "connect": reply}))
        subscribe = json.loads(connection.recv(timeout=5))
        self._record("channels", subscribe["subscribe"]["channel"])
        connection.send(json.dumps({"id": subscribe["id"], "subscribe": {}}))
        if self.drop_every_connection:
            connection.close(code=3001, reason="dropped")
            return
        if self._play(connection, self.price_sessions, token):
            return
        for message in connection:
            text = message if isinstance(message, str) else message.decode()
            self._record("price_received", text)
            refresh = _json(text).get("refresh")
            if isinstance(refresh, dict):
                self._record("refresh_tokens", refresh.get("token"))
                answer = {"client": "c-1", "version": "5.4.0", "expires": True, "ttl": self.ttl}
                connection.send(json.dumps({"id": _json(text)["id"], "refresh": answer}))

    def _wsn(self, connection: ServerConnection) -> None:
        key = connection.recv(timeout=5)
        key = key if isinstance(key, str) else key.decode()
        self._record("keys", key)
        if self._take("refuse_keys"):
            connection.send("auth")
            for _ in connection:
                pass
            return
        if self._play(connection, self.wsn_sessions, key):
            return
        for message in connection:
            text = message if isinstance(message, str) else message.decode()
            self._record("wsn_received", text)
            if text == "ping":
                connection.send("pong")

    def _play(
        self, connection: ServerConnection, sessions: queue.Queue[Session], auth: str
    ) -> bool:
        """Send the scripted frames; True when the session then dropped the connection."""
        try:
            session = sessions.get_nowait()
        except queue.Empty:
            return False
        for frame in session.frames:
            connection.send(frame(auth) if callable(frame) else frame)
        if session.drop_code is not None:
            connection.close(code=session.drop_code, reason="dropped")
            return True
        return False

    @contextmanager
    def running(self) -> Iterator[FakeMarketTMSockets]:
        """Serve on a free port of 127.0.0.1 in a thread; stop and close everything after."""
        server = serve(
            self._handle, "127.0.0.1", 0, logger=_quiet, close_timeout=self.close_timeout
        )
        self.port = server.socket.getsockname()[1]
        thread = threading.Thread(target=server.serve_forever, name="fake-market-tm", daemon=True)
        thread.start()
        try:
            yield self
        finally:
            server.shutdown()
            for connection in list(self._open):
                connection.close()
            thread.join(timeout=5)


def _json(text: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}

"""A stand-in of swap.gg's realtime side on 127.0.0.1: the token route and the socket.io server.

One werkzeug server (threaded) serves both: ``GET /v1/user/websocket`` issues a new token per
call (the API key checked), and python-socketio's server (threading mode, websocket transport)
takes ``auth`` events. An issued token is accepted once with ``user:ready`` (the stand-in's
way to say so; swap.gg documents no acknowledgement); anything else, and the next ``refuse``
tokens however good, is answered ``unauthorized`` with a message that echoes the token. While
``reject_connects`` is above 0, socket.io connects are refused outright (``connect_error``);
with ``refuse_after_ready``, an accepted token is refused again right after ``user:ready``.
Message handlers run inline (``async_handlers=False``): every ``_handle_eio_message`` thread
alive is the client's.
"""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import socketio  # type: ignore[import-untyped]
from werkzeug.serving import WSGIRequestHandler, make_server

API_KEY = "k-swapgg-realtime-0123456789"


class _QuietHandler(WSGIRequestHandler):
    def log(self, type: str, message: str, *args: Any) -> None:
        pass  # no request lines in the test's log capture


class SwapggSocketServer:
    """The token route and the socket.io server; what they saw, and switches for the test."""

    def __init__(self) -> None:
        self.sio = socketio.Server(
            async_mode="threading", async_handlers=False, logger=False, engineio_logger=False
        )
        self.issued: list[str] = []
        self.auths: list[str] = []
        self.refuse = 0
        self.reject_connects = 0
        self.refuse_after_ready = False
        self.authed: set[str] = set()
        self.ready = threading.Condition()
        self._serial = itertools.count(1)
        self.sio.on("connect", self._on_connect)
        self.sio.on("auth", self._on_auth)
        self.sio.on("disconnect", self._on_disconnect)
        app = socketio.WSGIApp(self.sio, self._rest)
        self._http = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
        self.url = f"http://127.0.0.1:{self._http.server_port}"
        self._thread = threading.Thread(
            target=self._http.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def _rest(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        if environ.get("PATH_INFO") != "/v1/user/websocket":
            start_response("404 Not Found", [("Content-Type", "application/json")])
            return [b'{"status": "NOT_FOUND"}']
        if environ.get("HTTP_AUTHORIZATION") != API_KEY:
            start_response("401 Unauthorized", [("Content-Type", "application/json")])
            return [b'{"status": "INVALID_API_KEY", "result": "Invalid API key"}']
        token = f"eyJ.sandbox-ws-token-{next(self._serial)}-{id(self):x}"
        self.issued.append(token)
        body = json.dumps({"status": "OK", "result": {"token": token}}).encode()
        start_response("200 OK", [("Content-Type", "application/json")])
        return [body]

    def _on_connect(self, sid: str, environ: dict[str, Any], auth: object = None) -> bool:
        if self.reject_connects > 0:
            self.reject_connects -= 1
            return False
        return True

    def _on_auth(self, sid: str, token: object) -> None:
        self.auths.append(str(token))
        if self.refuse > 0 or token not in self.issued or self.auths.count(str(token)) > 1:
            self.refuse = max(0, self.refuse - 1)
            self.sio.emit("unauthorized", {"message": f"invalid token {token}"}, to=sid)
            return
        with self.ready:
            self.authed.add(sid)
            self.ready.notify_all()
        self.sio.emit("user:ready", {}, to=sid)
        if self.refuse_after_ready:
            self.sio.emit("unauthorized", {"message": "session revoked"}, to=sid)

    def _on_disconnect(self, sid: str, *reason: object) -> None:
        with self.ready:
            self.authed.discard(sid)

    def wait_authed(self, count: int = 1, timeout: float = 5.0) -> None:
        """Wait until ``count`` clients are authenticated."""
        with self.ready:
            assert self.ready.wait_for(lambda: len(self.authed) >= count, timeout), "no auth"

    def push(self, event: str, data: object) -> None:
        """Emit ``event`` to every authenticated client."""
        for sid in list(self.authed):
            self.sio.emit(event, data, to=sid)

    def drop(self) -> None:
        """Disconnect every client (a socket.io disconnect from the server)."""
        for sid in list(self.authed):
            self.sio.disconnect(sid)

    def stop(self) -> None:
        """Disconnect everyone, stop the HTTP server and Socket.IO's background task."""
        self.drop()
        self._http.shutdown()
        self._http.server_close()
        self.sio.shutdown()
        self._thread.join(5)


@pytest.fixture
def swapgg_socket() -> Iterator[SwapggSocketServer]:
    """A started stand-in, stopped at teardown."""
    server = SwapggSocketServer()
    try:
        yield server
    finally:
        server.stop()

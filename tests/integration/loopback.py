"""A real HTTP server on 127.0.0.1 for integration tests (stdlib only).

``LoopbackServer`` runs a ``ThreadingHTTPServer`` on an ephemeral port in a daemon thread,
records every request it receives (arrival time on ``time.monotonic``, method, path, query,
headers) and answers each with whatever the test's handler function returns. The arrival time
is taken when the request line and headers have been read, before the handler runs, so it is
what a vendor counting requests per second would see.

Use the ``loopback`` pytest fixture (import it into the test module) to start servers that are
stopped at teardown::

    from tests.integration.loopback import Reply, loopback  # noqa: F401

    def test_x(loopback):
        server = loopback(lambda request: Reply.json({"success": True}))
        requests.get(server.url + "/ping")
        assert server.requests[0].path == "/ping"
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit

import attrs
import pytest

__all__ = ["Handler", "LoopbackServer", "RecordedRequest", "Reply", "loopback"]


@attrs.frozen
class RecordedRequest:
    """One request as the server saw it."""

    arrived: float  # time.monotonic() when the request line and headers had been read
    method: str
    path: str  # without the query string
    query: Mapping[str, list[str]]
    headers: Mapping[str, str]  # as sent; use header() for a case-insensitive lookup
    body: bytes = b""

    def header(self, name: str) -> str | None:
        """The value of header ``name`` (any case), or None."""
        wanted = name.lower()
        for key, value in self.headers.items():
            if key.lower() == wanted:
                return value
        return None


@attrs.frozen
class Reply:
    """What the server answers: status, headers, body bytes."""

    status: int = 200
    headers: Mapping[str, str] = attrs.field(factory=dict)
    body: bytes = b""

    @classmethod
    def json(
        cls, data: Any, *, status: int = 200, headers: Mapping[str, str] | None = None
    ) -> Reply:
        """A JSON answer (``Content-Type: application/json``)."""
        return cls(
            status=status,
            headers={"Content-Type": "application/json", **(headers or {})},
            body=json.dumps(data).encode("utf-8"),
        )


Handler = Callable[[RecordedRequest], Reply]


class LoopbackServer:
    """An HTTP/1.1 server on 127.0.0.1, port chosen by the OS, answering with ``handler``."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self._lock = threading.Lock()
        self._requests: list[RecordedRequest] = []
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _make_request_handler(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="loopback-http",
            daemon=True,
        )
        self._started = False

    @property
    def port(self) -> int:
        """The port the server listens on."""
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>``, usable as a ``base_url``."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def requests(self) -> list[RecordedRequest]:
        """A snapshot of every request received so far, in arrival order."""
        with self._lock:
            return sorted(self._requests, key=lambda r: r.arrived)

    def arrivals(self, *, path: str | None = None) -> list[float]:
        """Sorted arrival times, optionally only of requests to ``path``."""
        return [r.arrived for r in self.requests if path is None or r.path == path]

    def start(self) -> LoopbackServer:
        """Start serving in a daemon thread (idempotent)."""
        if not self._started:
            self._thread.start()
            self._started = True
        return self

    def stop(self) -> None:
        """Stop serving and close the listening socket."""
        if self._started:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
            self._started = False
        self._httpd.server_close()

    def __enter__(self) -> LoopbackServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self._requests.append(request)


def _make_request_handler(server: LoopbackServer) -> type[BaseHTTPRequestHandler]:
    class _RequestHandler(BaseHTTPRequestHandler):
        # HTTP/1.1 so that a requests.Session keeps its connection alive, like against a vendor.
        protocol_version = "HTTP/1.1"
        # Without TCP_NODELAY, Nagle's algorithm and the client's delayed ACK add ~40 ms to
        # every answer on loopback, which would be measured as the limiter's slowness.
        disable_nagle_algorithm = True

        def _serve(self) -> None:
            arrived = time.monotonic()
            split = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            # Read (and so drain) the body: keep-alive stays in sync, and tests can inspect it.
            body = self.rfile.read(length) if length else b""
            request = RecordedRequest(
                arrived=arrived,
                method=self.command,
                path=split.path,
                query=parse_qs(split.query, keep_blank_values=True),
                headers=dict(self.headers.items()),
                body=body,
            )
            server._record(request)
            try:
                reply = server.handler(request)
            except Exception as exc:  # a broken test handler must show, not hang the client
                reply = Reply(status=599, body=f"handler failed: {exc!r}".encode())
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep test output clean

    return _RequestHandler


@pytest.fixture
def loopback() -> Iterator[Callable[[Handler], LoopbackServer]]:
    """Start loopback servers with ``loopback(handler)``; all are stopped at teardown."""
    started: list[LoopbackServer] = []

    def start(handler: Handler) -> LoopbackServer:
        server = LoopbackServer(handler).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()

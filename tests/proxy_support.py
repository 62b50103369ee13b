"""Proxy stand-ins on 127.0.0.1 that record what they are asked: an HTTP forward proxy
(absolute-form requests and CONNECT tunnels) and a SOCKS5 proxy. Tests only; loopback only."""

from __future__ import annotations

import base64
import http.client
import http.server
import selectors
import socket
import socketserver
import struct
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any
from urllib.parse import urlsplit

import attrs
import pytest

import skinmarkets as sm
from skinmarkets.sandbox import Sandbox

USER = "bot"
PASSWORD = "pr0xy-Pa55word"
LOOPBACK = frozenset({"127.0.0.1", "localhost"})


def basic(user: str, password: str) -> str:
    """The ``Proxy-Authorization`` value of ``user:password``."""
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


@attrs.frozen
class Seen:
    """One request the proxy was asked: ``CONNECT host:port`` or ``GET http://…``."""

    method: str
    target: str
    proxy_authorization: str | None


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, handler: type[socketserver.BaseRequestHandler], owner: Any) -> None:
        super().__init__(("127.0.0.1", 0), handler)
        self.owner = owner


class _StandIn:
    """Start/stop, the sockets it opened (cut on stop) and what it saw."""

    def __init__(self, handler: type[socketserver.BaseRequestHandler]) -> None:
        self.seen: list[Seen] = []
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._server = _Server(handler, self)
        self.port: int = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self) -> Any:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        with self._lock:
            for sock in self._sockets:
                with suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
        self._thread.join(timeout=2)

    def record(self, seen: Seen) -> None:
        with self._lock:
            self.seen.append(seen)

    def keep(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)


def _relay(a: socket.socket, b: socket.socket) -> None:
    """Copy bytes both ways until either side closes."""
    with selectors.DefaultSelector() as selector:
        selector.register(a, selectors.EVENT_READ, b)
        selector.register(b, selectors.EVENT_READ, a)
        while True:
            for key, _ in selector.select(timeout=10):
                source: socket.socket = key.fileobj  # type: ignore[assignment]
                try:
                    data = source.recv(65536)
                except OSError:
                    return
                if not data:
                    return
                try:
                    key.data.sendall(data)
                except OSError:
                    return


class _ForwardHandler(http.server.BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _allowed(self) -> bool:
        """Record the request; answer 407 when the credentials are wrong."""
        owner: ForwardProxy = self.server.owner
        given = self.headers.get("Proxy-Authorization")
        owner.record(Seen(self.command, self.path, given))
        if owner.credentials is None or given == basic(*owner.credentials):
            return True
        self.send_response(407, "Proxy Authentication Required")
        self.send_header("Proxy-Authenticate", 'Basic realm="stand-in"')
        self.send_header("Content-Length", "0")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        return False

    def do_CONNECT(self) -> None:
        if not self._allowed():
            return
        host, _, port = self.path.rpartition(":")
        if host not in LOOPBACK:
            self.send_error(403, "loopback only")
            return
        upstream = socket.create_connection(("127.0.0.1", int(port)), timeout=10)
        self.server.owner.keep(upstream)
        self.server.owner.keep(self.connection)
        self.send_response(200, "Connection established")
        self.end_headers()
        self.close_connection = True
        _relay(self.connection, upstream)
        upstream.close()

    def _forward(self) -> None:
        if not self._allowed():
            return
        target = urlsplit(self.path)
        if target.hostname not in LOOPBACK or target.port is None:
            self.send_error(403, "loopback only")
            return
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {
            k: v
            for k, v in self.headers.items()
            if k.lower() not in {"proxy-authorization", "proxy-connection", "connection"}
        }
        upstream = http.client.HTTPConnection("127.0.0.1", target.port, timeout=10)
        path = target.path + (f"?{target.query}" if target.query else "")
        upstream.request(self.command, path or "/", body=body, headers=headers)
        answer = upstream.getresponse()
        data = answer.read()
        self.send_response(answer.status, answer.reason)
        for key, value in answer.getheaders():
            if key.lower() not in {"transfer-encoding", "connection", "content-length"}:
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(data)
        self.close_connection = True
        upstream.close()

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _forward


class ForwardProxy(_StandIn):
    """An HTTP forward proxy: ``GET http://127.0.0.1:P/…`` forwarded, ``CONNECT`` tunnelled;
    with ``credentials``, anything without the matching ``Proxy-Authorization`` gets 407."""

    def __init__(self, credentials: tuple[str, str] | None = (USER, PASSWORD)) -> None:
        super().__init__(_ForwardHandler)
        self.credentials = credentials

    def url(self, user: str = USER, password: str = PASSWORD, scheme: str = "http") -> str:
        return f"{scheme}://{user}:{password}@127.0.0.1:{self.port}"


class _SocksHandler(socketserver.BaseRequestHandler):
    """RFC 1928 CONNECT, with RFC 1929 user/password when the proxy has credentials."""

    server: _Server

    def _read(self, count: int) -> bytes:
        data = b""
        while len(data) < count:
            chunk = self.request.recv(count - len(data))
            if not chunk:
                raise ConnectionError("closed")
            data += chunk
        return data

    def handle(self) -> None:
        owner: SocksProxy = self.server.owner
        sock: socket.socket = self.request
        try:
            version, count = self._read(2)
            methods = self._read(count)
            wanted = 0x02 if owner.credentials is not None else 0x00
            if version != 5 or wanted not in methods:
                sock.sendall(b"\x05\xff")
                return
            sock.sendall(bytes([5, wanted]))
            given: str | None = None
            if wanted == 0x02:
                _, ulen = self._read(2)
                user = self._read(ulen).decode()
                (plen,) = self._read(1)
                password = self._read(plen).decode()
                given = f"{user}:{password}"
                if (user, password) != owner.credentials:
                    sock.sendall(b"\x01\x01")
                    owner.record(Seen("SOCKS5", "(refused)", given))
                    return
                sock.sendall(b"\x01\x00")
            _, command, _, kind = self._read(4)
            if kind == 1:
                host = socket.inet_ntoa(self._read(4))
            elif kind == 3:
                (length,) = self._read(1)
                host = self._read(length).decode()
            else:
                raise ConnectionError("IPv6 is not served")
            (port,) = struct.unpack("!H", self._read(2))
            owner.record(Seen("SOCKS5", f"{host}:{port}", given))
            if command != 1 or host not in LOOPBACK:
                sock.sendall(b"\x05\x02\x00\x01" + bytes(4) + bytes(2))
                return
            upstream = socket.create_connection(("127.0.0.1", port), timeout=10)
            owner.keep(upstream)
            owner.keep(sock)
            sock.sendall(b"\x05\x00\x00\x01" + socket.inet_aton("127.0.0.1") + bytes(2))
            _relay(sock, upstream)
            upstream.close()
        except (ConnectionError, OSError):
            return


class SocksProxy(_StandIn):
    """A SOCKS5 proxy; ``Seen.target`` is ``host:port`` as the client named it (a host name
    for socks5h, an address for socks5), ``proxy_authorization`` the ``user:password`` sent."""

    def __init__(self, credentials: tuple[str, str] | None = (USER, PASSWORD)) -> None:
        super().__init__(_SocksHandler)
        self.credentials = credentials

    def url(self, user: str = USER, password: str = PASSWORD, scheme: str = "socks5h") -> str:
        return f"{scheme}://{user}:{password}@127.0.0.1:{self.port}"


@contextmanager
def closed_port() -> Iterator[int]:
    """A 127.0.0.1 port nothing listens on (bound, never listening, while the test runs)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    try:
        yield sock.getsockname()[1]
    finally:
        sock.close()


# ------------------------------------------------------------------ fixtures (import them by name)


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    """One sandbox for a test module."""
    with sm.sandbox() as sb:
        yield sb


@pytest.fixture
def forward() -> Iterator[ForwardProxy]:
    """An HTTP forward proxy on 127.0.0.1, stopped after the test."""
    with ForwardProxy() as stand_in:
        yield stand_in


@pytest.fixture
def socks() -> Iterator[SocksProxy]:
    """A SOCKS5 proxy on 127.0.0.1, stopped after the test."""
    with SocksProxy() as stand_in:
        yield stand_in


@pytest.fixture
def no_proxy_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    """No proxy variable of the machine running the tests applies."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)

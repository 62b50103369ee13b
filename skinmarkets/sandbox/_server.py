"""The sandbox's HTTP server: one stdlib ``ThreadingHTTPServer`` on 127.0.0.1, all vendors.

Requests are routed by their first path segment (``/market_tm/api/v2/...``) to that vendor's
emulation; each adapter is connected with ``base_url=<server>/<vendor>`` and appends its
documented paths unchanged.

Injected faults (``fail_next``) follow one rule, the one real vendors follow: a fault that
strikes before the vendor acts (``http_502``, ``html``, ``rate_limit``) changes nothing; a fault
that strikes after (``timeout``: the answer never arrives; ``garbled``: it arrives cut short)
leaves the operation done — a timed-out Market TM buy still bought the item. Each fault, when
it strikes and what the client sees, is one row of ``_faults.FAULTS``.

Faults are named by operation: the endpoint's own name (``get_money``, ``sales_purchase``,
``market_buy``, ``payment_mannco``, ...) or one of the vendor-neutral ``ALIASES`` (``buy``,
``buy_many``, ``listings``, ``prices``, ``balance``, ``trades``, ``withdraw``, ``lookup``,
``inventory``, ``sell``), so one test can inject the same fault on every vendor.

Websockets: a ``GET`` with ``Upgrade: websocket`` on a vendor's socket path (``/market_tm/wsn/``,
``/swapgg/socket.io/``, ...) is handed to the RFC 6455 handshake (``_websocket.py``) and then,
on the same connection and thread, to that vendor's socket emulation (``_sockets.py``) until it
closes. :meth:`Server.stop` closes every open socket at once.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Callable, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit

import attrs

from skinmarkets._seconds import Seconds
from skinmarkets.sandbox._faults import FAULTS
from skinmarkets.sandbox._replies import Reply, html_reply, json_reply
from skinmarkets.sandbox._state import State
from skinmarkets.sandbox._websocket import (
    HandshakeRefused,
    ServerWebSocket,
    handshake,
    is_upgrade,
)

__all__ = [
    "ALIASES",
    "AcceptedSocket",
    "Reply",
    "Request",
    "Server",
    "SocketEmulation",
    "VendorEmulation",
    "html_reply",
    "json_reply",
]

#: The vendor-neutral operation names ``fail_next`` accepts on every vendor that has the
#: operation (each vendor module maps its endpoints onto them in ``aliases``).
ALIASES = frozenset(
    {
        "buy",
        "buy_many",
        "listings",
        "prices",
        "balance",
        "trades",
        "withdraw",
        "lookup",
        "inventory",
        "sell",
    }
)


@attrs.frozen
class Request:
    """One request as a vendor emulation sees it (path without the vendor prefix)."""

    method: str
    path: str
    query: Mapping[str, list[str]]
    headers: Mapping[str, str]
    body: bytes

    def arg(self, name: str) -> str | None:
        """A query or form field (form first); the first value when repeated."""
        values = self.form().get(name) or self.query.get(name)
        return values[0] if values else None

    def form(self) -> dict[str, list[str]]:
        if "form-urlencoded" not in self.headers.get("content-type", ""):
            return {}
        return parse_qs(self.body.decode("utf-8"), keep_blank_values=True)

    def json(self) -> Any:
        try:
            return json.loads(self.body or b"null")
        except ValueError:
            return None


class VendorEmulation(Protocol):
    """What the server needs from one vendor module."""

    @property
    def aliases(self) -> Mapping[str, str]:
        """Endpoint name -> the vendor-neutral name ``fail_next`` also accepts (``ALIASES``)."""
        ...

    @property
    def operations(self) -> frozenset[str]:
        """Every endpoint name ``operation`` can return (``fail_next`` checks against them)."""
        ...

    def operation(self, request: Request) -> str:
        """The endpoint's fault-injection name ("get_money", "sales_purchase", ...)."""
        ...

    def handle(self, request: Request) -> Reply: ...

    def rate_limited(self) -> Reply: ...


class AcceptedSocket(Protocol):
    """One socket of an emulation, about to be accepted (``_sockets.OpenSocket``)."""

    def run(self) -> None:
        """Serve it on the calling thread until it closes."""
        ...

    def end(self) -> None:
        """Close it and let go of what it holds (idempotent)."""
        ...


class SocketEmulation(Protocol):
    """What the server needs from the socket emulations (``_sockets.Sockets``)."""

    def kind(self, vendor: str, path: str) -> str | None:
        """Which socket ``path`` (below ``/<vendor>``) is; None when it is no socket."""
        ...

    def open(
        self, vendor: str, kind: str, ws: ServerWebSocket, query: Mapping[str, str]
    ) -> AcceptedSocket:
        """The socket of ``kind`` on ``ws``, before its 101 goes out."""
        ...


class Server:
    """The server thread; ``url`` is ``http://127.0.0.1:<port>``, ``ws_url`` its ``ws://`` twin."""

    def __init__(
        self,
        state: State,
        vendors: Mapping[str, VendorEmulation],
        *,
        sockets: SocketEmulation | None = None,
        latency: Seconds = 0.0,
        timeout_delay: Seconds = 3.0,
    ) -> None:
        self.state = state
        self.vendors = dict(vendors)
        self.sockets = sockets
        self.latency = latency
        self.timeout_delay = timeout_delay
        self._websockets: set[ServerWebSocket] = set()
        self._websockets_lock = threading.Lock()
        self._stopping = False
        self._httpd = ThreadingHTTPServer(
            ("127.0.0.1", 0), _handler_class(self.dispatch, self.upgrade)
        )
        self._httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self.ws_url = f"ws://127.0.0.1:{self._httpd.server_address[1]}"
        # A short poll interval: stopping a sandbox (once per test) waits for the next poll.
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="skinmarkets-sandbox",
            daemon=True,
        )

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Stop serving; every open websocket is closed (1001, going away) at once."""
        with self._websockets_lock:
            self._stopping = True
            open_sockets = list(self._websockets)
        for ws in open_sockets:
            ws.close(1001, "sandbox stopped")
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def open_websockets(self) -> int:
        """How many websockets are open now."""
        with self._websockets_lock:
            return len(self._websockets)

    def _socket_kind(self, vendor: str, path: str) -> str | None:
        if self.sockets is None or vendor not in self.vendors:
            return None
        return self.sockets.kind(vendor, path)

    def upgrade(self, handler: BaseHTTPRequestHandler, headers: Mapping[str, str]) -> None:
        """Answer a websocket upgrade and serve the socket on this thread until it closes."""
        parts = urlsplit(handler.path)
        vendor, _, rest = parts.path.lstrip("/").partition("/")
        kind = self._socket_kind(vendor, "/" + rest)
        if kind is None or self.sockets is None:
            _send_reply(
                handler, json_reply({"error": f"sandbox: no websocket at {parts.path}"}, 404)
            )
            return
        try:
            accept = handshake(headers)
        except HandshakeRefused as refused:
            extra = {"Sec-WebSocket-Version": "13"} if refused.status == 426 else {}
            _send_reply(handler, json_reply({"error": str(refused)}, refused.status, extra))
            return
        # Registered and subscribed before the 101: a client that sees its socket open is
        # counted, closed by stop(), and misses nothing that happens from then on.
        ws = ServerWebSocket(handler.connection, handler.rfile, handler.wfile)
        with self._websockets_lock:
            if self._stopping:
                _send_reply(handler, json_reply({"error": "sandbox: stopping"}, 503))
                return
            self._websockets.add(ws)
        query = {k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        accepted = self.sockets.open(vendor, kind, ws, query)
        try:
            handler.send_response(101, "Switching Protocols")
            for key, value in accept.items():
                handler.send_header(key, value)
            handler.end_headers()
            accepted.run()
        finally:
            accepted.end()
            with self._websockets_lock:
                self._websockets.discard(ws)

    def dispatch(
        self, method: str, target: str, headers: Mapping[str, str], body: bytes
    ) -> Reply | None:
        """The reply to one request; None means drop the connection without answering."""
        if self.latency > 0:
            time.sleep(self.latency)
        parts = urlsplit(target)
        vendor, _, rest = parts.path.lstrip("/").partition("/")
        emulation = self.vendors.get(vendor)
        if emulation is None:
            return json_reply({"error": f"sandbox: no vendor {vendor!r}"}, 404)
        kind = self._socket_kind(vendor, "/" + rest)
        if kind == "socketio":  # Engine.IO's answer to a transport it does not serve
            message = "Transport unknown: the sandbox serves socket.io over websocket only"
            return json_reply({"code": 0, "message": message}, 400)
        if kind is not None:
            return json_reply(
                {"error": "sandbox: a websocket endpoint: connect with Upgrade: websocket"},
                426,
                {"Upgrade": "websocket"},
            )
        request = Request(
            method, "/" + rest, parse_qs(parts.query, keep_blank_values=True), headers, body
        )
        operation = emulation.operation(request)
        name = self.state.take_fault(
            vendor, (operation, emulation.aliases.get(operation, operation))
        )
        if name is None:
            return emulation.handle(request)
        fault = FAULTS[name]
        done = emulation.handle(request) if fault.strikes == "after" else None
        return fault.reply(emulation, done, self.timeout_delay)


def _send_reply(handler: BaseHTTPRequestHandler, reply: Reply) -> None:
    handler.send_response(reply.status)
    handler.send_header("Content-Type", f"{reply.content_type}; charset=utf-8")
    handler.send_header("Content-Length", str(len(reply.body)))
    for key, value in reply.headers.items():
        handler.send_header(key, value)
    handler.end_headers()
    handler.wfile.write(reply.body)


def _handler_class(
    dispatch: Callable[[str, str, Mapping[str, str], bytes], Reply | None],
    upgrade: Callable[[BaseHTTPRequestHandler, Mapping[str, str]], None],
) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            headers = {k.lower(): v for k, v in self.headers.items()}
            if is_upgrade(self.command, headers):
                self.close_connection = True  # the connection is the websocket's from now on
                try:
                    upgrade(self, headers)
                except Exception as exc:  # an emulation bug: this socket ends, the server serves
                    with contextlib.suppress(OSError):
                        self.connection.shutdown(socket.SHUT_RDWR)
                    self.log_error("websocket failed: %r", exc)
                return
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            try:
                reply = dispatch(self.command, self.path, headers, body)
            except Exception as exc:  # an emulation bug: answer 500, keep serving
                reply = json_reply({"error": f"sandbox internal error: {exc!r}"}, 500)
            if reply is None:
                self.close_connection = True
                with contextlib.suppress(OSError):
                    self.connection.shutdown(socket.SHUT_RDWR)
                return
            _send_reply(self, reply)

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _serve

        def log_message(self, format: str, *args: Any) -> None:
            pass  # quiet: the sandbox runs inside users' tests

    return Handler

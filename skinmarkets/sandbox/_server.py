"""The sandbox's HTTP server: one stdlib ``ThreadingHTTPServer`` on 127.0.0.1, all vendors.

Requests are routed by their first path segment (``/market_tm/api/v2/...``) to that vendor's
emulation; each adapter is connected with ``base_url=<server>/<vendor>`` and appends its
documented paths unchanged.

Injected faults (``fail_next``) follow one rule, the one real vendors follow: a fault that
strikes before the vendor acts (``http_502``, ``html``, ``rate_limit``) changes nothing; a fault
that strikes after (``timeout``: the answer never arrives; ``garbled``: it arrives cut short)
leaves the operation done — a timed-out Market TM buy still bought the item.

Faults are named by operation: the endpoint's own name (``get_money``, ``sales_purchase``,
``market_buy``, ``payment_mannco``, ...) or one of the vendor-neutral ``ALIASES`` (``buy``,
``buy_many``, ``listings``, ``prices``, ``balance``, ``trades``, ``withdraw``, ``lookup``,
``inventory``, ``sell``), so one test can inject the same fault on every vendor.
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import threading
import time
from collections.abc import Callable, Mapping
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit

import attrs

from skinmarkets.sandbox._state import State

__all__ = [
    "ALIASES",
    "Reply",
    "Request",
    "Server",
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

BAD_GATEWAY_HTML = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
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


@attrs.frozen
class Reply:
    status: int
    body: bytes
    content_type: str = "application/json"
    headers: Mapping[str, str] = attrs.field(factory=dict)


_NUMBER = re.compile(r'"@@decimal:(-?[0-9.]+)@@"')


def _decimal_marker(value: object) -> str:
    if isinstance(value, Decimal):
        return f"@@decimal:{value}@@"
    raise TypeError(f"not JSON serializable: {value!r}")


def json_reply(data: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> Reply:
    """``data`` as JSON; a ``Decimal`` becomes a JSON number written exactly (no float)."""
    text = json.dumps(data, ensure_ascii=False, default=_decimal_marker)
    return Reply(status, _NUMBER.sub(r"\1", text).encode("utf-8"), headers=headers or {})


def html_reply(text: str = BAD_GATEWAY_HTML, status: int = 502) -> Reply:
    return Reply(status, text.encode("utf-8"), "text/html")


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


class Server:
    """The server thread; ``url`` is ``http://127.0.0.1:<port>``."""

    def __init__(
        self,
        state: State,
        vendors: Mapping[str, VendorEmulation],
        *,
        latency: float = 0.0,  # float ok: seconds
        timeout_delay: float = 3.0,  # float ok: seconds
    ) -> None:
        self.state = state
        self.vendors = dict(vendors)
        self.latency = latency
        self.timeout_delay = timeout_delay
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_class(self.dispatch))
        self._httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
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
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

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
        request = Request(
            method, "/" + rest, parse_qs(parts.query, keep_blank_values=True), headers, body
        )
        operation = emulation.operation(request)
        fault = self.state.take_fault(
            vendor, (operation, emulation.aliases.get(operation, operation))
        )
        if fault == "rate_limit":
            return emulation.rate_limited()
        if fault == "http_502":
            return html_reply()
        if fault == "html":
            return html_reply(
                "<html><body><h1>Server overloaded, try later</h1></body></html>", 200
            )
        reply = emulation.handle(request)
        if fault == "timeout":
            time.sleep(self.timeout_delay)
            return None
        if fault == "garbled":
            return Reply(200, reply.body[: max(1, len(reply.body) // 2)], reply.content_type)
        return reply


def _handler_class(
    dispatch: Callable[[str, str, Mapping[str, str], bytes], Reply | None],
) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            try:
                reply = dispatch(self.command, self.path, headers, body)
            except Exception as exc:  # an emulation bug: answer 500, keep serving
                reply = json_reply({"error": f"sandbox internal error: {exc!r}"}, 500)
            if reply is None:
                self.close_connection = True
                with contextlib.suppress(OSError):
                    self.connection.shutdown(socket.SHUT_RDWR)
                return
            self.send_response(reply.status)
            self.send_header("Content-Type", f"{reply.content_type}; charset=utf-8")
            self.send_header("Content-Length", str(len(reply.body)))
            for key, value in reply.headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(reply.body)

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _serve

        def log_message(self, format: str, *args: Any) -> None:
            pass  # quiet: the sandbox runs inside users' tests

    return Handler

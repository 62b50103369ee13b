"""WebSocketLink: one raw websocket (market_tm, skinsback, mannco) over websocket-client, and
:class:`WebSocketFeed`, what a feed on one such socket shares.

Proxies (``proxy=``, :mod:`skinmarkets._http.proxy`): websocket-client reaches a vendor through
an ``http://`` proxy (a CONNECT tunnel, ``Proxy-Authorization`` from the URL's user and
password) and through ``socks5://``/``socks5h://`` (with python-socks, in the extra
``skinmarkets[socks]``). It cannot speak TLS to the proxy itself, so an ``https://`` proxy is a
``ConfigurationError`` at ``events()``, never a silent direct connection. swap.gg's socket.io
client opens its websocket with websocket-client too and takes the same options
(:func:`socket_proxy_options`). Without ``proxy=``, websocket-client reads ``http_proxy`` /
``https_proxy`` / ``no_proxy`` from the environment itself, at each connect.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlencode

from skinmarkets import errors
from skinmarkets._http import Proxy, has_module
from skinmarkets._realtime.feed import FeedBase, Link, LinkClosed
from skinmarkets._realtime.frames import Reader, read_frame
from skinmarkets._realtime.kinds import missing_extra, require
from skinmarkets._seconds import Seconds
from skinmarkets.events import Event

__all__ = [
    "WebSocketFeed",
    "WebSocketLink",
    "connect_websocket",
    "socket_proxy_options",
    "socket_url",
]

#: websocket-client's ``http_no_proxy`` when ``proxy=`` is given: a list that names no host.
#: An empty one would make it read ``no_proxy`` from the environment, and the explicit option
#: wins over the environment (see :mod:`skinmarkets._http.proxy`).
_NO_HOST_BYPASSES = ["(proxy= given: no host bypasses it)"]


def socket_url(origin: str, path: str = "", query: Mapping[str, str] | None = None) -> str:
    """The URL of ``path`` (then ``query``) under ``origin``, the vendor's or ``ws_url=``'s; an
    http(s) origin is taken as its ws(s) twin."""
    scheme, _, rest = origin.partition("://")
    scheme = {"http": "ws", "https": "wss"}.get(scheme.lower(), scheme.lower())
    url = f"{scheme}://{rest.rstrip('/')}{path}"
    return f"{url}?{urlencode(query)}" if query else url


def require_socket(vendor: str, proxy: Proxy | None) -> None:
    """Before a websocket feed is made: websocket-client installed (else the missing extra),
    and ``proxy`` one the socket can use, so a bad one fails at ``events()``, not on connect."""
    require(vendor, "websocket")
    socket_proxy_options(vendor, proxy)


def socket_proxy_options(
    vendor: str,
    proxy: Proxy | None,
    *,
    timeout: Seconds = 5.0,
) -> dict[str, Any]:
    """websocket-client's ``create_connection`` options that go through ``proxy`` ({}: none).

    Raises ``ConfigurationError`` for a proxy the socket cannot use (``https://``; SOCKS
    without python-socks): called when ``events()`` is, before anything connects.
    """
    if proxy is None:
        return {}
    if proxy.scheme == "https":
        raise errors.ConfigurationError(
            f"{vendor}: the realtime socket cannot go through the proxy {proxy.shown}: "
            "websocket-client speaks plain HTTP (CONNECT) or SOCKS to a proxy, not TLS; "
            "connect with proxy='http://…' (the same proxy, where it also takes plain HTTP) "
            "or 'socks5h://…' to use events(); REST requests can use the https:// proxy",
            vendor=vendor,
        )
    if proxy.is_socks and not has_module("python_socks"):
        raise errors.ConfigurationError(
            f"{vendor}: the realtime socket reaches the SOCKS proxy {proxy.shown} through "
            "python-socks, which is not installed: pip install 'skinmarkets[socks]'",
            vendor=vendor,
        )
    auth = None
    if proxy.username is not None:
        auth = (proxy.username, proxy.password.reveal() if proxy.password is not None else "")
    return {
        "http_proxy_host": proxy.host,
        "http_proxy_port": proxy.port,
        "http_proxy_auth": auth,
        "proxy_type": proxy.scheme,
        "http_no_proxy": _NO_HOST_BYPASSES,
        "http_proxy_timeout": timeout,  # SOCKS's handshake (python-socks waits 60 s otherwise)
    }


def connect_websocket(
    vendor: str,
    url: str,
    *,
    timeout: Seconds,
    headers: Mapping[str, str] | None = None,
    proxy: Proxy | None = None,
) -> WebSocketLink:
    """Open ``url`` (TLS verified for wss://), through ``proxy`` when given; the extra missing
    is ``ConfigurationError``, the proxy refusing its credentials ``AuthenticationError``."""
    through = socket_proxy_options(vendor, proxy, timeout=timeout)
    try:
        import websocket
    except ImportError:
        raise missing_extra(vendor, "websocket-client") from None
    try:
        ws = websocket.create_connection(
            url,
            timeout=timeout,
            header=[f"{k}: {v}" for k, v in (headers or {}).items()],
            enable_multithread=True,
            **through,
        )
    except websocket.WebSocketProxyException as exc:
        if proxy is not None and "407" in str(exc):  # "failed CONNECT via proxy status: 407"
            raise errors.AuthenticationError(
                f"{vendor}: the proxy {proxy.shown} refused its credentials (HTTP 407 Proxy "
                "Authentication Required); check the user and password in proxy=",
                vendor=vendor,
                operation="events",
                http_status=407,
            ) from None
        raise
    return WebSocketLink(ws)


class WebSocketLink:
    """A websocket-client connection as a :class:`~skinmarkets._realtime.feed.Link`."""

    def __init__(self, ws: Any) -> None:
        self._ws = ws
        self._lock = threading.Lock()
        self._closed = False

    def __repr__(self) -> str:
        return "WebSocketLink()"  # the URL may carry a signature or a token: never shown

    def recv(self, timeout: Seconds) -> str | None:
        import websocket

        if self._closed:
            raise LinkClosed("closed")
        self._ws.settimeout(timeout)
        try:
            opcode, data = self._ws.recv_data(control_frame=False)
        except websocket.WebSocketTimeoutException:
            return None
        except websocket.WebSocketConnectionClosedException:
            raise LinkClosed("closed by the server", self._close_code()) from None
        except OSError as exc:
            raise LinkClosed(type(exc).__name__) from None
        if opcode == websocket.ABNF.OPCODE_CLOSE:
            raise LinkClosed("closed by the server", _close_code_of(data))
        if isinstance(data, bytes):
            return data.decode("utf-8", errors="replace")
        return str(data)

    def _close_code(self) -> int | None:
        status = getattr(self._ws, "close_status", None)
        return status if isinstance(status, int) else None

    def send(self, text: str) -> None:
        with self._lock:
            if self._closed:
                raise LinkClosed("closed")
            try:
                self._ws.send(text)
            except Exception as exc:  # the socket died under the send
                raise LinkClosed(type(exc).__name__) from None

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
        try:
            self._ws.close(timeout=0.5)
        except Exception as exc:  # already gone: the shutdown below still frees the socket
            del exc
        # After the server closed first, websocket-client's close() returns early without
        # closing its socket: always shut it down, or it lingers until garbage collection.
        self._ws.shutdown()


def _close_code_of(data: bytes | str) -> int | None:
    raw = data.encode() if isinstance(data, str) else data
    return int.from_bytes(raw[:2], "big") if len(raw) >= 2 else None


class WebSocketFeed(FeedBase):
    """A feed on one raw websocket at ``url``, through ``proxy`` when given.

    :meth:`open` connects and runs the vendor's :meth:`handshake` on the new link, closing it
    when the handshake fails; :meth:`translate` reads ``{"event": name, "data": …}`` frames
    through the vendor's ``readers`` (:func:`~skinmarkets._realtime.frames.read_frame`). A
    subclass sets ``vendor`` and ``log`` besides :class:`FeedBase`'s facts.
    """

    vendor: str
    log: logging.Logger
    #: Event name -> reader; any other name is an ``UnknownEvent``.
    readers: Mapping[str, Reader] = {}

    def __init__(
        self,
        market: str,
        url: str,
        *,
        timeout: Seconds,
        proxy: Proxy | None = None,
        connect: Callable[..., Link] = connect_websocket,
    ) -> None:
        super().__init__(market)  # the repr shows no URL: it may carry a signature
        self.url = url
        self.timeout = timeout
        self.proxy = proxy
        self._connect = connect

    def open(self) -> Link:
        """Connect, then the vendor's handshake; the link it gives."""
        link = self._connect(self.vendor, self.url, timeout=self.timeout, proxy=self.proxy)
        try:
            return self.handshake(link)
        except BaseException:
            link.close()
            raise

    def handshake(self, link: Link) -> Link:
        """What the socket wants once connected (nothing, here); the link to read."""
        return link

    def translate(self, link: Link, frame: str) -> list[Event]:
        """The events of one frame; never raises for a bad one."""
        return read_frame(
            frame, market=self.market, readers=self.readers, vendor=self.vendor, log=self.log
        )

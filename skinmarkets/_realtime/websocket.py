"""WebSocketLink: one raw websocket (market_tm, skinsback, mannco) over websocket-client."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

from skinmarkets._realtime.feed import LinkClosed
from skinmarkets._realtime.kinds import missing_extra

__all__ = ["WebSocketLink", "connect_websocket"]


def connect_websocket(
    vendor: str,
    url: str,
    *,
    timeout: float,  # float ok: seconds
    headers: Mapping[str, str] | None = None,
) -> WebSocketLink:
    """Open ``url`` (TLS verified for wss://); the extra missing is ``ConfigurationError``."""
    try:
        import websocket
    except ImportError:
        raise missing_extra(vendor, "websocket-client") from None
    ws = websocket.create_connection(
        url,
        timeout=timeout,
        header=[f"{k}: {v}" for k, v in (headers or {}).items()],
        enable_multithread=True,
    )
    return WebSocketLink(ws)


class WebSocketLink:
    """A websocket-client connection as a :class:`~skinmarkets._realtime.feed.Link`."""

    def __init__(self, ws: Any) -> None:
        self._ws = ws
        self._lock = threading.Lock()
        self._closed = False

    def __repr__(self) -> str:
        return "WebSocketLink()"  # the URL may carry a signature or a token: never shown

    def recv(self, timeout: float) -> str | None:  # float ok: seconds
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

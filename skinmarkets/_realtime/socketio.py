"""SocketIOLink: one socket.io connection (python-socketio's client) as a ``Link``.

A vendor subclasses it with its facts: the event that carries the token (``auth_event``) and
the events that mean "refused" (``refusal_events``); its feed keeps one :class:`Refusals`, which
says how soon a refusal counts towards "refused twice in a row". Then:

- Every connect is a new python-socketio ``Client`` whose own reconnection is off (the engine
  reconnects, with a fresh token), websocket transport only: no HTTP long-polling, so nothing
  goes through ``requests``. Its ``connect`` handler emits ``auth_event`` with that connect's
  token. ``proxy=`` reaches Engine.IO's websocket-client as ``websocket_extra_options``
  (``socket_proxy_options``: http and SOCKS proxies; an https one is refused at ``events()``);
  Engine.IO's own proxy support (from a requests session's ``proxies``) is not used, as it
  would take a SOCKS URL for an HTTP proxy.
- :meth:`SocketIOLink.open` waits up to a grace period after the auth event: a refusal event, a
  server-side disconnect, or a refused socket.io connect (``connect_error``) is ``AuthRefused``
  (the engine tries once more with a fresh token, then raises ``AuthenticationError``); any other
  event, or silence, is taken as accepted. A refusal event later on reopens the socket with a
  fresh token (a token that expired on a live socket); when two connections in a row are each
  refused within ``Refusals.quick`` seconds of opening, the stream ends with
  ``AuthenticationError`` too (no endless loop).
- Keepalive is Engine.IO's own: the server pings, python-socketio answers and drops a
  connection whose pings stop, which reaches the engine as a lost connection.
- python-socketio hands every packet to a thread of its own: two events sent within the same
  millisecond may be queued in either order.
- Frames are ``{"event": name, "data": payload}`` JSON texts (read with ``frames.read_frame``
  and ``payload_raw=True``). The token is in no log (python-socketio's and Engine.IO's log is
  scrubbed and kept at DEBUG), repr or error message.
"""

from __future__ import annotations

import collections
import json
import logging
import socket
import threading
import time
from collections.abc import Mapping
from typing import Any, Self

from skinmarkets._realtime.feed import AuthRefused, LinkClosed
from skinmarkets._realtime.kinds import missing_extra
from skinmarkets._seconds import Seconds
from skinmarkets._secret import Secret, scrub

__all__ = ["CLOSE_WAIT", "MAX_TEXT", "Refusals", "SocketIOLink", "socket_origin", "text_of"]

#: How long closing waits for its threads (seconds): ``close()`` stays within 2 s.
CLOSE_WAIT: Seconds = 1.0
#: How much of a payload's text is kept (in a refusal's reason, the library's log).
MAX_TEXT = 4000


def socket_origin(origin: str) -> str:
    """``origin`` as python-socketio takes it (http(s); a ws(s) origin is taken as its twin)."""
    scheme, _, rest = origin.partition("://")
    scheme = {"ws": "http", "wss": "https"}.get(scheme.lower(), scheme.lower())
    return f"{scheme}://{rest.rstrip('/')}"


class _LibraryLog(logging.LoggerAdapter):  # type: ignore[type-arg]
    """python-socketio's and Engine.IO's log: kept at DEBUG, registered secrets scrubbed.

    Engine.IO logs every packet it sends at INFO, the ``auth`` token included; given this
    logger it never reaches a handler unscrubbed, and its chatter stays out of INFO.
    """

    def log(self, level: int, msg: object, *args: object, **kwargs: Any) -> None:
        if not self.logger.isEnabledFor(logging.DEBUG):
            return
        try:
            text = str(msg) % args if args else str(msg)
        except (TypeError, ValueError):
            text = str(msg)
        self.logger.debug("socket.io: %s", scrub(text)[:MAX_TEXT])


class _End:
    """The end of a connection, as the link's queue carries it: ``refused`` by an event, or
    disconnected ``by_server``."""

    __slots__ = ("by_server", "reason", "refused")

    def __init__(self, reason: str, *, refused: bool = False, by_server: bool = False) -> None:
        self.reason = reason
        self.refused = refused
        self.by_server = by_server


class Refusals:
    """Links of one feed refused within ``quick`` seconds of opening, in a row (any other end
    resets it)."""

    def __init__(self, *, quick: Seconds) -> None:
        self.quick = quick
        self._lock = threading.Lock()
        self._in_a_row = 0

    def count(self) -> int:
        with self._lock:
            self._in_a_row += 1
            return self._in_a_row

    def reset(self) -> None:
        with self._lock:
            self._in_a_row = 0


class SocketIOLink:
    """One python-socketio client connection as a ``Link``: its handlers fill a queue.

    Frames are ``{"event": name, "data": payload}`` JSON texts; the end of the connection is
    ``LinkClosed`` (or ``AuthRefused``, see the module docstring) from ``recv``.
    """

    #: The vendor: its name in errors, its loggers ``skinmarkets.<vendor>[.socketio]``.
    vendor: str
    #: The event emitted with the token on connect.
    auth_event: str
    #: Server events taken as a refusal of the token (compared in lower case).
    refusal_events: frozenset[str]

    def __init__(self, token: Secret, refusals: Refusals) -> None:
        self._token: Secret | None = token
        self._refusals = refusals
        self._items: collections.deque[str | _End] = collections.deque()
        self._cond = threading.Condition()
        self._closed = False
        self._connect_error: str | None = None
        self._client: Any = None
        self._opened_at = time.monotonic()
        self._log = logging.getLogger(f"skinmarkets.{self.vendor}")

    def __repr__(self) -> str:
        return "SocketIOLink()"  # never the token

    def open(
        self,
        origin: str,
        *,
        path: str,
        timeout: Seconds,
        grace: Seconds,
        socket_options: Mapping[str, Any] | None = None,
    ) -> Self:
        """Connect to socket.io's ``path`` under ``origin`` (a path in the origin is kept before
        it), emit the token and wait up to ``grace`` for a refusal; closed again on failure."""
        scheme, _, prefix = socket_origin(origin).partition("://")
        host, _, under = prefix.partition("/")
        try:
            self.connect(
                f"{scheme}://{host}",
                path=f"{under.strip('/')}/{path}".lstrip("/"),
                timeout=timeout,
                socket_options=socket_options,
            )
            self.await_auth(grace)
        except BaseException:
            self.close()
            raise
        return self

    # ------------------------------------------------------------------ python-socketio's side

    def connect(
        self,
        origin: str,
        *,
        path: str,
        timeout: Seconds,
        socket_options: Mapping[str, Any] | None = None,
    ) -> None:
        """Connect (websocket transport); the auth event is emitted by the connect handler.

        ``socket_options``: websocket-client options for Engine.IO (the proxy's, or none).
        """
        try:
            import socketio  # type: ignore[import-untyped]
        except ImportError:
            raise missing_extra(self.vendor, "python-socketio") from None
        library_log = _LibraryLog(logging.getLogger(f"skinmarkets.{self.vendor}.socketio"), {})
        client = socketio.Client(
            reconnection=False,  # the engine reconnects, with a fresh token
            handle_sigint=False,
            logger=library_log,
            engineio_logger=library_log,
            request_timeout=timeout,
            # a copy: Engine.IO pops from it
            websocket_extra_options=dict(socket_options or {}),
        )
        client.on("connect", self._on_connect)
        client.on("connect_error", self._on_connect_error)
        client.on("disconnect", self._on_disconnect)
        client.on("*", self._on_event)
        self._client = client
        try:
            client.connect(
                origin,
                transports=["websocket"],
                socketio_path=path,
                wait_timeout=timeout,
            )
        except socketio.exceptions.ConnectionError as exc:
            if client.failed_namespaces:  # the server answered CONNECT_ERROR: it refused us
                raise AuthRefused(
                    f"the server refused the connection ({self._connect_error or 'connect_error'})"
                ) from None
            raise ConnectionError(scrub(str(exc))) from None

    def _on_connect(self) -> None:
        token, self._token = self._token, None  # one connect, one token
        if token is not None:
            self._client.emit(self.auth_event, token.reveal())

    def _on_connect_error(self, *data: object) -> None:
        self._connect_error = text_of(data[0] if len(data) == 1 else list(data))[:200]
        # python-socketio disconnects next, and websocket-client would wait 3 s for the
        # server's close frame: shut the socket first.
        self._shut(self._client)

    def _on_disconnect(self, reason: object = None) -> None:
        by_server = reason == self._client.reason.SERVER_DISCONNECT
        self._put(_End(f"disconnected ({reason or 'no reason given'})", by_server=by_server))

    def _on_event(self, name: object, *args: object) -> None:
        event = str(name)
        if event.lower() in self.refusal_events:
            detail = text_of(args[0]) if args else ""
            self._put(_End(f"the server sent {event!r} {detail[:200]}".strip(), refused=True))
            return
        data: object = None if not args else args[0] if len(args) == 1 else list(args)
        self._put(json.dumps({"event": event, "data": data}, default=_jsonable))

    def _put(self, item: str | _End) -> None:
        with self._cond:
            self._items.append(item)
            self._cond.notify_all()

    # ------------------------------------------------------------------ the engine's side

    def await_auth(self, grace: Seconds) -> None:
        """Wait up to ``grace`` for a refusal; ``AuthRefused`` on one, ``LinkClosed`` if lost."""
        with self._cond:
            self._cond.wait_for(lambda: bool(self._items), timeout=grace)
            first = self._items[0] if self._items else None
            if not isinstance(first, _End):
                return  # an event came (accepted), or nothing did: no ack is documented
            self._items.popleft()
        if first.refused or first.by_server:  # dropped by the server right after auth
            raise AuthRefused(scrub(first.reason))
        raise LinkClosed(scrub(first.reason))

    def recv(self, timeout: Seconds) -> str | None:
        with self._cond:
            if not self._items and not self._closed:
                self._cond.wait(timeout)
            if not self._items:
                if self._closed:
                    raise LinkClosed("closed")
                return None
            item = self._items.popleft()
        if isinstance(item, str):
            return item
        reason = scrub(item.reason)
        lived = time.monotonic() - self._opened_at
        if not item.refused or lived >= self._refusals.quick:
            self._refusals.reset()  # a token that expired on a live socket: reopen, fresh
        elif self._refusals.count() >= 2:
            raise AuthRefused(f"{reason} (twice in a row, each soon after connecting)")
        raise LinkClosed(reason)

    def send(self, text: str) -> None:
        """Emit ``{"event": name, "data": payload}`` (nothing is sent by the feed itself)."""
        try:
            message = json.loads(text)  # floats stay floats: python-socketio encodes no Decimal
        except ValueError:
            message = None
        if not isinstance(message, dict) or not isinstance(message.get("event"), str):
            raise ValueError("send takes a JSON object {'event': name, 'data': payload}")
        if self._closed or self._client is None:
            raise LinkClosed("closed")
        self._client.emit(message["event"], message.get("data"))

    def close(self) -> None:
        """Disconnect without waiting on the server (a close frame, then the socket shut)."""
        with self._cond:
            if self._closed:
                return
            self._closed = True
            self._cond.notify_all()
        client, self._token = self._client, None
        if client is None:
            return
        eio = client.eio
        tasks = [getattr(eio, "read_loop_task", None), getattr(eio, "write_loop_task", None)]
        self._shut(client)
        try:
            eio.disconnect(abort=True)
        except Exception as exc:
            self._log.debug("%s: closing the client failed (%s)", self.vendor, type(exc).__name__)
        # Engine.IO's writing thread ends on a None in its queue; a disconnect racing the
        # server's may have drained that one (its _reset empties the queue): one more.
        queue = getattr(eio, "queue", None)
        if queue is not None:
            queue.put(None)
        stop_by = time.monotonic() + CLOSE_WAIT
        for task in tasks:
            if isinstance(task, threading.Thread) and task is not threading.current_thread():
                task.join(max(0.0, stop_by - time.monotonic()))

    def _shut(self, client: Any) -> None:
        """Close the client's websocket now: a close frame, then the socket shut.

        websocket-client's ``close()`` waits 3 s for the server's close frame, which Engine.IO's
        reading thread swallows: timeout 0 sends ours and shuts at once. When python-socketio is
        already closing it (a server disconnect), shutting the socket wakes its waiting threads
        now rather than in 3 s.
        """
        ws = getattr(getattr(client, "eio", None), "ws", None)
        if ws is None:
            return
        sock = getattr(ws, "sock", None)
        try:
            ws.close(timeout=0)
            if sock is not None:
                sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass  # the socket is closed already
        except Exception as exc:  # already gone: nothing more to close
            self._log.debug("%s: closing the socket failed (%s)", self.vendor, type(exc).__name__)


def text_of(data: object) -> str:
    """A payload as text: a string itself, a dict's message/text/title, else its JSON."""
    if isinstance(data, str):
        return data
    if isinstance(data, Mapping):
        for key in ("message", "text", "title", "msg"):
            value = data.get(key)
            if isinstance(value, str) and value.strip():
                return value
    if data is None:
        return ""
    return json.dumps(data, default=_jsonable, ensure_ascii=False)[:MAX_TEXT]


def _jsonable(value: object) -> object:
    if isinstance(value, bytes | bytearray):
        return f"<{len(value)} bytes>"
    return str(value)

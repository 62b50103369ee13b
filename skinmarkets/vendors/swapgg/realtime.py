"""swap.gg's socket.io server as a realtime feed (kind ``account``).

Vendor facts (``vendor-docs/realtime.md``, "swapgg — socket.io"; ``swapgg-v1.txt``, WebSocket):

- A token from ``GET /v1/user/websocket`` (a JWT, 10 minutes), fetched through the REST client
  for every (re)connect, so reconnects count against the REST rate limit; it is registered as a
  secret: in no log, repr, error message or ``raw``.
- socket.io (Engine.IO v4) at ``https://market-ws.swap.gg/`` (``ws_url=`` replaces the origin,
  socket.io's ``/socket.io/`` path is kept), websocket transport only: no HTTP long-polling, so
  nothing goes through ``requests``. Every connect is a new python-socketio ``Client`` whose
  own reconnection is off (the engine reconnects), and its ``connect`` handler emits ``auth``
  with that connect's token. ``proxy=`` reaches Engine.IO's websocket-client as
  ``websocket_extra_options`` (``socket_proxy_options``: http and SOCKS proxies; an https one
  is refused at ``events()``); Engine.IO's own proxy support (from a requests session's
  ``proxies``) is not used, as it would take a SOCKS URL for an HTTP proxy.
- No acknowledgement is documented. ``open`` waits up to ``units.AUTH_GRACE_SECONDS`` after
  ``auth``: a refusal event (``units.REFUSAL_EVENTS``: ``error``, ``unauthorized`` …), a
  server-side disconnect, or a refused socket.io connect (``connect_error``) is
  :class:`AuthRefused` (the engine tries once more with a fresh token, then raises
  ``AuthenticationError``); any other event, or silence, is taken as accepted. A refusal event
  later on reopens the socket with a fresh token (a token that expired on a live socket); when
  two connections in a row are each refused within ``units.QUICK_REFUSAL_SECONDS`` of opening,
  the stream ends with ``AuthenticationError`` too (no endless loop).
- Keepalive is Engine.IO's own: the server pings, python-socketio answers and drops a
  connection whose pings stop (after ``pingInterval + pingTimeout``), which reaches the engine
  as a lost connection. So no keepalive is sent from here, and no silence limit applies: an
  account may see no event for hours.
- python-socketio hands every packet to a thread of its own: two events sent within the same
  millisecond may be queued in either order.

Events (payloads other than ``screenshot:ready``'s are unpublished: read leniently, ``raw``
keeps the payload):

  =====================  ===================================================================
  ``item:state``         ``PurchaseUpdated`` when it names a sale or item (``saleId``, else
                         ``itemId``/``id``, also under ``sale``/``item``) and a ``state`` or
                         ``status``; status from ``units.ITEM_STATE`` (only what the REST side
                         knows: 0 = held on the site = ``PENDING``, ``SENT`` once a
                         ``tradeOfferId`` comes), anything else ``UNKNOWN``; otherwise
                         ``UnknownEvent``
  ``user:notification``  ``Notification`` (the payload's ``message``/``text``/``title``, a
                         string payload itself, else its JSON)
  ``user:ready``         ``UnknownEvent("user:ready")``: "something has changed on your
                         account", without saying what; re-read what you need (``balance()``,
                         ``active_trades()``)
  ``screenshot:ready``   ``UnknownEvent("screenshot:ready")``, ``raw`` = ``{"inspectLink",
                         "imageLink"}``: no shared event type for screenshots
  anything else          ``UnknownEvent(name)``
  =====================  ===================================================================
"""

from __future__ import annotations

import collections
import json
import logging
import socket
import threading
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from skinmarkets import _wire
from skinmarkets._realtime import AuthRefused, LinkClosed, missing_extra, parse_json_frame
from skinmarkets._seconds import Seconds
from skinmarkets._secret import Secret, register_secret, scrub, scrub_raw
from skinmarkets.events import Event, Notification, PurchaseUpdated, UnknownEvent
from skinmarkets.models import TradeStatus
from skinmarkets.vendors.swapgg import units

__all__ = ["AccountFeed", "SocketIOLink", "socket_origin"]

VENDOR = "swapgg"
log = logging.getLogger("skinmarkets.swapgg")

#: The name of an ``UnknownEvent`` made of a frame that is not ``{"event": "<name>", …}``.
UNREADABLE = "(unreadable)"
#: How much of an unreadable frame ``raw`` keeps, and of a notification's text.
MAX_TEXT = 4000
#: How long closing waits for its threads (seconds): ``close()`` stays within 2 s.
CLOSE_WAIT: Seconds = 1.0


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


_LIBRARY_LOG = _LibraryLog(logging.getLogger("skinmarkets.swapgg.socketio"), {})


class _End:
    """The end of a connection, as the link's queue carries it: ``refused`` by an event, or
    disconnected ``by_server``."""

    __slots__ = ("by_server", "reason", "refused")

    def __init__(self, reason: str, *, refused: bool = False, by_server: bool = False) -> None:
        self.reason = reason
        self.refused = refused
        self.by_server = by_server


class _Refusals:
    """Links of one feed refused soon after they opened, in a row (any other end resets it)."""

    def __init__(self) -> None:
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

    def __init__(self, token: Secret, refusals: _Refusals) -> None:
        self._token: Secret | None = token
        self._refusals = refusals
        self._items: collections.deque[str | _End] = collections.deque()
        self._cond = threading.Condition()
        self._closed = False
        self._connect_error: str | None = None
        self._client: Any = None
        self._opened_at = time.monotonic()

    def __repr__(self) -> str:
        return "SocketIOLink()"  # never the token

    # ------------------------------------------------------------------ python-socketio's side

    def connect(
        self,
        origin: str,
        *,
        path: str,
        timeout: Seconds,
        socket_options: Mapping[str, Any] | None = None,
    ) -> None:
        """Connect (websocket transport); ``auth`` is emitted by the connect handler.

        ``socket_options``: websocket-client options for Engine.IO (the proxy's, or none).
        """
        try:
            import socketio  # type: ignore[import-untyped]
        except ImportError:
            raise missing_extra(VENDOR, "python-socketio") from None
        client = socketio.Client(
            reconnection=False,  # the engine reconnects, with a fresh token
            handle_sigint=False,
            logger=_LIBRARY_LOG,
            engineio_logger=_LIBRARY_LOG,
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
            self._client.emit(units.WEBSOCKET_AUTH_EVENT, token.reveal())

    def _on_connect_error(self, *data: object) -> None:
        self._connect_error = _text_of(data[0] if len(data) == 1 else list(data))[:200]
        # python-socketio disconnects next, and websocket-client would wait 3 s for the
        # server's close frame: shut the socket first.
        _shut(self._client)

    def _on_disconnect(self, reason: object = None) -> None:
        by_server = reason == self._client.reason.SERVER_DISCONNECT
        self._put(_End(f"disconnected ({reason or 'no reason given'})", by_server=by_server))

    def _on_event(self, name: object, *args: object) -> None:
        event = str(name)
        if event.lower() in units.REFUSAL_EVENTS:
            detail = _text_of(args[0]) if args else ""
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
        if not item.refused or lived >= units.QUICK_REFUSAL_SECONDS:
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
        _shut(client)
        try:
            eio.disconnect(abort=True)
        except Exception as exc:
            log.debug("%s: closing the client failed (%s)", VENDOR, type(exc).__name__)
        # Engine.IO's writing thread ends on a None in its queue; a disconnect racing the
        # server's may have drained that one (its _reset empties the queue): one more.
        queue = getattr(eio, "queue", None)
        if queue is not None:
            queue.put(None)
        stop_by = time.monotonic() + CLOSE_WAIT
        for task in tasks:
            if isinstance(task, threading.Thread) and task is not threading.current_thread():
                task.join(max(0.0, stop_by - time.monotonic()))


def _shut(client: Any) -> None:
    """Close the client's websocket now: a close frame, then the socket shut.

    websocket-client's ``close()`` waits 3 s for the server's close frame, which Engine.IO's
    reading thread swallows: timeout 0 sends ours and shuts at once. When python-socketio is
    already closing it (a server disconnect), shutting the socket wakes its waiting threads now
    rather than in 3 s.
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
        log.debug("%s: closing the socket failed (%s)", VENDOR, type(exc).__name__)


class AccountFeed:
    """swap.gg's socket.io: one connection per (re)connect, each with a fresh token."""

    kind = "account"
    name = "socket.io"
    #: Engine.IO keeps the connection alive (see the module docstring).
    keepalive_every: Seconds | None = None
    #: None applies: an account may be quiet for hours, and Engine.IO's pings detect death.
    silence_limit = Seconds("inf")

    def __init__(
        self,
        *,
        market: str,
        fetch_token: Callable[[], str],
        origin: str = units.WS_ORIGIN,
        timeout: Seconds = 5.0,
        auth_grace: Seconds = units.AUTH_GRACE_SECONDS,
        socket_options: Mapping[str, Any] | None = None,
    ) -> None:
        self.market = market
        self._socket_options = dict(socket_options or {})  # proxy=, never shown
        self._fetch_token = fetch_token
        self._origin = origin
        self._timeout = timeout
        self._auth_grace = auth_grace
        self._refusals = _Refusals()

    def __repr__(self) -> str:
        return f"AccountFeed(market={self.market!r})"

    def open(self) -> SocketIOLink:
        """A fresh token (REST), connect, emit ``auth``, and wait out a refusal."""
        token = Secret(self._fetch_token())
        register_secret(token, from_answers=False)  # the client reads it back from the answer
        link = SocketIOLink(token, self._refusals)
        origin, _, prefix = socket_origin(self._origin).partition("://")
        host, _, path = prefix.partition("/")
        try:
            link.connect(
                f"{origin}://{host}",
                path=f"{path.strip('/')}/{units.SOCKETIO_PATH}".lstrip("/"),
                timeout=self._timeout,
                socket_options=self._socket_options,
            )
            link.await_auth(self._auth_grace)
        except BaseException:
            link.close()
            raise
        return link

    def translate(self, link: object, frame: str) -> list[Event]:
        """The events of one frame (see the module docstring); never raises for a bad one."""
        now = datetime.now(tz=UTC)
        message = parse_json_frame(frame)
        name = message.get("event") if message is not None else None
        if message is None or not isinstance(name, str):
            raw = scrub_raw({"text": frame[:MAX_TEXT]})
            return [UnknownEvent(market=self.market, received_at=now, name=UNREADABLE, raw=raw)]
        data = message.get("data")
        raw = scrub_raw(data if isinstance(data, Mapping) else {"data": data})
        reader = _READERS.get(name)
        try:
            event = reader(self.market, now, data, raw) if reader is not None else None
        except Exception as exc:  # a bug must not end the stream: the frame is kept as unknown
            log.warning("%s: could not read a %.40r frame (%s)", VENDOR, name, type(exc).__name__)
            event = None
        return [event or UnknownEvent(market=self.market, received_at=now, name=name, raw=raw)]

    def keepalive(self, link: object) -> None:
        """Never called (``keepalive_every`` is None): Engine.IO pings on its own."""

    def terminal(self, code: int | None) -> bool:
        """Never: swap.gg documents nothing that means "do not reconnect"."""
        return False


# --------------------------------------------------------------------------- frame readers


def _item_state(market: str, now: datetime, data: object, raw: Mapping[str, Any]) -> Event | None:
    if not isinstance(data, Mapping):
        return None
    places = _places(data)
    purchase_id = _first_id(places, ("saleId",)) or _first_id(places, ("itemId", "id"))
    state = _first(places, ("state", "status"))
    if purchase_id is None or state is None or isinstance(state, Mapping | list | bool):
        return None
    status = units.ITEM_STATE.get(str(state).strip().lower(), TradeStatus.UNKNOWN)
    offer = _first_id(places, ("tradeOfferId", "tradeofferid", "offerId"))
    if status is TradeStatus.PENDING and offer is not None:
        status = TradeStatus.SENT  # as active_trades(): SENT once a Steam offer exists
    return PurchaseUpdated(
        market=market,
        received_at=now,
        purchase_id=purchase_id,
        status=status,
        trade_offer_id=offer,
        raw=raw,
    )


def _notification(market: str, now: datetime, data: object, raw: Mapping[str, Any]) -> Event | None:
    text = _text_of(data).strip()
    if not text or data is None:
        return None
    return Notification(market=market, received_at=now, text=scrub(text)[:MAX_TEXT], raw=raw)


_Reader = Callable[[str, datetime, object, Mapping[str, Any]], Event | None]

#: Event name -> reader; a name not here (user:ready, screenshot:ready, …) is an UnknownEvent.
_READERS: Mapping[str, _Reader] = {
    units.EVENT_ITEM_STATE: _item_state,
    units.EVENT_NOTIFICATION: _notification,
}


def _places(data: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """Where an item:state payload may say things: itself, its ``sale``, its ``item`` and the
    item's ``sale`` (the Item Object carries its Sale Object)."""
    places = [data]
    for outer, inner in (("sale", None), ("item", None), ("item", "sale")):
        place = data.get(outer)
        if inner is not None and isinstance(place, Mapping):
            place = place.get(inner)
        if isinstance(place, Mapping):
            places.append(place)
    return places


def _first(places: list[Mapping[str, Any]], keys: tuple[str, ...]) -> object:
    for place in places:
        for key in keys:
            if place.get(key) is not None:
                return place[key]
    return None


def _first_id(places: list[Mapping[str, Any]], keys: tuple[str, ...]) -> str | None:
    value = _first(places, keys)
    try:
        text = _wire.to_str(value).strip() if value is not None else ""
    except TypeError:
        return None
    if isinstance(value, Decimal) or not text or len(text) > 100:
        return None
    return text


def _text_of(data: object) -> str:
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

"""Market TM realtime: the Centrifugo price feed (kind ``listings``) and wsn (kind ``account``).

Facts: vendor-docs/realtime.md, "market_tm — two sockets". The engine
(:class:`~skinmarkets._realtime.FeedStream`) keeps each connection; a feed here only opens it and
reads its frames (``realtime_frames`` turns them into events).

Price feed, ``<origin>/connection/websocket`` (origin ``wss://wsprice.csgo.com``):

- open: a fresh token from ``get-ws-token`` (through the market's transport, so the 5/s limit
  holds), ``{"id": 1, "connect": {"token": T}}``, then ``{"id": 2, "subscribe": {"channel":
  "public:items:<app id>:<account currency>"}}`` (the account's currency, so event prices match
  ``prices()``). A connect refused (an error reply, or a close with a terminal code such as
  3500 "invalid token") is ``AuthRefused``: the engine tries once more with a fresh token.
- ``{}`` from the server is a ping, answered ``{}``; silence past the connect reply's ``ping``
  + 10 s means the connection is dead.
- ``expires``/``ttl`` in the connect reply: ``{"id": n, "refresh": {"token": NEW}}`` is sent
  a minute before ``ttl`` runs out (half of it when shorter), from the keepalive tick. A refresh
  refused (109 "token expired") reconnects with a fresh token.
- Close codes 3500–3999 and 4500–4999 end the feed (centrifuge-python); others reconnect.

wsn, ``<origin>/wsn/`` (origin ``wss://wsn.dota2.net``):

- open: a fresh key from ``get-ws-auth``, sent as a text frame, then ``ping``; the first answer
  tells: ``auth`` means refused (``AuthRefused``), anything else (``pong``) accepted.
- keepalive: ``ping`` every 45 s (the server answers ``pong``, ignored); 60 s silent = dead.
- ``auth`` later on drops the connection, so the next open tries a fresh key.

Names: publications carry ``name_id``; :class:`NameBook` maps them with
``dictionary/names.json``, fetched once per market object (at the first open, or lazily).

The API key, every token and every wsAuth key are registered secrets: never in logs, reprs or
an event's ``raw``.
"""

from __future__ import annotations

import collections
import json
import logging
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

import attrs

from skinmarkets import errors
from skinmarkets._http import Proxy
from skinmarkets._realtime import AuthRefused, Feed, Link, LinkClosed, parse_json_frame
from skinmarkets._realtime.websocket import connect_websocket, require_socket
from skinmarkets._seconds import Seconds
from skinmarkets._secret import Secret, register_secret, scrub_raw
from skinmarkets.events import Event, UnknownEvent
from skinmarkets.vendors.market_tm import realtime_frames
from skinmarkets.vendors.market_tm.client import MarketTMClient

__all__ = [
    "PRICE_ORIGIN",
    "WSN_ORIGIN",
    "FeedContext",
    "NameBook",
    "PriceFeed",
    "WsnFeed",
    "feed_factories",
]

VENDOR = "market_tm"
log = logging.getLogger("skinmarkets")

#: "wss://wsprice.csgo.com/connection/websocket" (rust doc, get-ws-token).
PRICE_ORIGIN, PRICE_PATH = "wss://wsprice.csgo.com", "/connection/websocket"
#: "wss://wsn.dota2.net/wsn/" (rust doc, get-ws-auth).
WSN_ORIGIN, WSN_PATH = "wss://wsn.dota2.net", "/wsn/"

#: Opening the socket, and waiting for each handshake answer (seconds).
CONNECT_TIMEOUT: Seconds = 10.0
#: Centrifugo's default server ping interval, when the connect reply names none (seconds).
DEFAULT_PING = 25
#: "No ping for ≈ ping + 10 s -> the connection is dead."
PING_GRACE = 10
#: How often the price feed looks whether its token needs a refresh (seconds).
REFRESH_TICK: Seconds = 0.5
#: Refresh this long before ``ttl`` runs out (one Go client refreshes a 10 min token at 9 min);
#: half the ttl when that is shorter.
REFRESH_LEAD: Seconds = 60.0
#: After a token fetch for a refresh failed transiently, try again this much later.
REFRESH_RETRY: Seconds = 5.0

#: Centrifugo error codes of a connect reply that mean "this token is refused" (a fresh one is
#: tried once more): 101 unauthorized, 103 permission denied, 109 token expired, 110 expired.
TOKEN_REFUSED = frozenset({101, 103, 109, 110})

#: wsn: "send text ping every 40–50 s"; "60 s of silence = stuck".
WSN_KEEPALIVE: Seconds = 45.0
WSN_SILENCE: Seconds = 60.0
#: wsn: how long open waits for the answer to the key (``auth`` = refused) before it takes
#: the silence as accepted.
WSN_AUTH_WAIT: Seconds = 5.0
#: wsn text frames: the server's answer to ``ping``, and its refusal of the key.
WSN_PONG, WSN_REFUSED = "pong", "auth"

#: A failed names.json fetch is tried again at most this often (seconds).
NAMES_RETRY: Seconds = 60.0


def endpoint(origin: str | None, default: str, path: str) -> str:
    """The socket URL: ``origin`` (``ws_url=``, http(s) read as ws(s)) or ``default``, + path."""
    scheme, _, rest = (origin or default).partition("://")
    scheme = {"http": "ws", "https": "wss"}.get(scheme.lower(), scheme.lower())
    return f"{scheme}://{rest.rstrip('/')}{path}"


class NameBook:
    """``name_id`` -> market hash name, from ``dictionary/names.json`` fetched once.

    Shared by every stream of one market object. A failed fetch leaves it empty (names are
    then None) and is tried again at most once per ``NAMES_RETRY`` seconds.
    """

    def __init__(
        self,
        fetch: Callable[[], Mapping[str, Any]],
        *,
        clock: Callable[[], Seconds] = time.monotonic,
    ) -> None:
        self._fetch = fetch
        self._clock = clock
        self._lock = threading.Lock()
        self._names: dict[str, str] | None = None
        self._tried_at: Seconds | None = None
        self.fetches = 0

    def __repr__(self) -> str:
        known = "not loaded" if self._names is None else f"{len(self._names)} names"
        return f"NameBook({known})"

    def load(self) -> None:
        """Fetch the names unless they are loaded or the last try was under a minute ago."""
        with self._lock:
            if self._names is not None:
                return
            now = self._clock()
            if self._tried_at is not None and now - self._tried_at < NAMES_RETRY:
                return
            self._tried_at = now
            self.fetches += 1
            try:
                answer = self._fetch()
            except errors.SkinMarketsError as exc:
                log.warning(
                    "%s: dictionary/names.json failed (%s); names stay unknown, retried in %g s",
                    VENDOR,
                    type(exc).__name__,
                    NAMES_RETRY,
                )
                return
            self._names = _names_of(answer)
            if self._names is None:
                log.warning(
                    "%s: dictionary/names.json has no items list; names stay unknown", VENDOR
                )

    def name(self, name_id: object) -> str | None:
        """The hash name of ``name_id``; None when unknown (or the names could not be had)."""
        if self._names is None:
            self.load()
        names = self._names
        if names is None or isinstance(name_id, bool) or not isinstance(name_id, int | str):
            return None
        return names.get(str(name_id))


def _names_of(answer: Mapping[str, Any]) -> dict[str, str] | None:
    items = answer.get("items")
    if not isinstance(items, list):
        return None
    names: dict[str, str] = {}
    for item in items:
        if not isinstance(item, Mapping):
            continue
        name_id, name = item.get("id"), item.get("hash_name")
        if isinstance(name_id, bool) or not isinstance(name_id, int | str):
            continue
        if isinstance(name, str):
            names[str(name_id)] = name
    return names


@attrs.frozen
class FeedContext:
    """What the feeds need of the market: its name, REST client, currency, app and names."""

    market: str
    client: MarketTMClient = attrs.field(repr=False)
    currency: Callable[[], str] = attrs.field(repr=False)  # the account's, via get-money
    app_id: int
    names: NameBook = attrs.field(repr=False)
    origin: str | None = None  # ws_url=, replacing the origin of both sockets
    connect: Callable[..., Link] = attrs.field(default=connect_websocket, repr=False)
    proxy: Proxy | None = attrs.field(default=None, repr=False)  # proxy=: both sockets use it


def feed_factories(context: FeedContext) -> dict[str, Callable[[], Feed]]:
    """The kinds Market TM pushes, each with the factory of its feed (for ``open_stream``)."""

    def price_feed() -> Feed:
        require_socket(VENDOR, context.proxy)
        return PriceFeed(context)

    def wsn_feed() -> Feed:
        require_socket(VENDOR, context.proxy)
        return WsnFeed(context)

    return {"listings": price_feed, "account": wsn_feed}


def _credential(answer: Mapping[str, Any], field: str, operation: str) -> str:
    """The token or key of a get-ws-* answer, registered as a secret before anything else."""
    value = answer.get(field)
    if not isinstance(value, str) or not value.strip():
        raise errors.UnexpectedResponse(
            f"{operation} answered without a {field!r}; the socket cannot be opened",
            vendor=VENDOR,
            operation=operation,
            raw=dict(answer),
        )
    # from_answers=False: the client must read it back from the next answer unharmed.
    register_secret(Secret(value), from_answers=False)
    register_secret(Secret(value.strip()), from_answers=False)
    return value.strip()


class _Replay:
    """A link that first hands out what was read during the handshake, then reads on."""

    def __init__(self, link: Link, frames: collections.deque[str]) -> None:
        self._link = link
        self._frames = frames

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._link!r})"

    def recv(self, timeout: Seconds) -> str | None:
        if self._frames:
            return self._frames.popleft()
        return self._link.recv(timeout)

    def send(self, text: str) -> None:
        self._link.send(text)

    def close(self) -> None:
        self._link.close()


class SubscribeRefused(ConnectionError):
    """The price channel's subscribe was answered with an error (retried with backoff)."""


def _error_of(reply: Mapping[str, Any]) -> tuple[int | None, str] | None:
    error = reply.get("error")
    if error is None:
        return None
    if not isinstance(error, Mapping):
        return None, str(error)[:200]
    code = error.get("code")
    return (code if isinstance(code, int) else None), str(error.get("message", ""))[:200]


class PriceFeed:
    """The Centrifugo price feed of one stream (kind ``listings``); one connection at a time."""

    kind = "listings"
    name = "price feed"
    keepalive_every: Seconds | None = REFRESH_TICK  # the refresh tick

    def __init__(
        self,
        context: FeedContext,
        *,
        clock: Callable[[], Seconds] = time.monotonic,
    ) -> None:
        self._context = context
        self._clock = clock
        self.url = endpoint(context.origin, PRICE_ORIGIN, PRICE_PATH)
        self.silence_limit: Seconds = DEFAULT_PING + PING_GRACE
        self._currency = ""
        self._channel = ""
        self._last_id = 0
        self._refresh_at: Seconds | None = None
        self._refresh_id: int | None = None

    def __repr__(self) -> str:
        return f"PriceFeed(market={self._context.market!r}, channel={self._channel!r})"

    # ------------------------------------------------------------------ opening

    def open(self) -> Link:
        """Token, connect, subscribe; the link replays anything read meanwhile."""
        context = self._context
        self._currency = context.currency().upper()
        self._channel = f"public:items:{context.app_id}:{self._currency.lower()}"
        context.names.load()
        token = self._token()
        link = context.connect(VENDOR, self.url, timeout=CONNECT_TIMEOUT, proxy=context.proxy)
        try:
            kept = self._handshake(link, token)
        except LinkClosed as closed:
            link.close()
            if self.terminal(closed.code):
                raise AuthRefused(f"the price socket refused the connection ({closed})") from None
            raise
        except BaseException:
            link.close()
            raise
        return _Replay(link, kept)

    def _token(self) -> str:
        return _credential(self._context.client.get_ws_token(), "token", "get_ws_token")

    def _next_id(self) -> int:
        self._last_id += 1
        return self._last_id

    def _handshake(self, link: Link, token: str) -> collections.deque[str]:
        self._last_id, self._refresh_at, self._refresh_id = 0, None, None
        kept: collections.deque[str] = collections.deque()
        connect_id = self._next_id()
        link.send(json.dumps({"id": connect_id, "connect": {"token": token}}))
        reply = self._reply_to(link, connect_id, kept)
        failure = _error_of(reply)
        if failure is not None:
            code, message = failure
            if code in TOKEN_REFUSED:
                raise AuthRefused(f"connect refused: {code} {message}")
            raise ConnectionError(f"connect refused: {code} {message}")
        connected = reply.get("connect")
        connected = connected if isinstance(connected, Mapping) else {}
        ping = connected.get("ping")
        if isinstance(ping, int) and not isinstance(ping, bool) and ping > 0:
            self.silence_limit = ping + PING_GRACE
        else:
            self.silence_limit = DEFAULT_PING + PING_GRACE
        self._schedule_refresh(connected)
        subscribe_id = self._next_id()
        link.send(json.dumps({"id": subscribe_id, "subscribe": {"channel": self._channel}}))
        failure = _error_of(self._reply_to(link, subscribe_id, kept))
        if failure is not None:
            log.warning("%s: subscribing %s refused: %s %s", VENDOR, self._channel, *failure)
            raise SubscribeRefused(f"subscribe to {self._channel} refused: {failure[0]}")
        return kept

    def _reply_to(self, link: Link, wanted: int, kept: collections.deque[str]) -> Mapping[str, Any]:
        """The reply to command ``wanted``; pings are answered, other lines kept for later."""
        deadline = self._clock() + CONNECT_TIMEOUT
        while True:
            left = deadline - self._clock()
            if left <= 0:
                raise TimeoutError(f"no reply to command {wanted} in {CONNECT_TIMEOUT:g} s")
            frame = link.recv(min(left, 1.0))  # seconds to wait
            if frame is None:
                continue
            for line in frame.split("\n"):
                message = parse_json_frame(line) if line.strip() else None
                if message is not None and not message:
                    link.send("{}")
                elif message is not None and message.get("id") == wanted:
                    return message
                elif line.strip():
                    kept.append(line)

    # ------------------------------------------------------------------ reading

    def translate(self, link: Link, frame: str) -> Iterator[Event]:
        """Publications as events; ``{}`` answered; replies to refreshes read."""
        received_at = datetime.now(tz=UTC)
        market = self._context.market
        for line in frame.split("\n"):
            if not line.strip():
                continue
            message = parse_json_frame(line)
            if message is None:
                yield realtime_frames.unreadable(market, received_at, line)
            elif not message:
                link.send("{}")  # the server's ping
            elif "push" in message:
                yield from self._push(message, received_at)
            elif "id" in message:
                self._reply(message)
            elif isinstance(message.get("disconnect"), Mapping):
                raise _disconnected(message["disconnect"])
            else:
                yield UnknownEvent(
                    market=market, received_at=received_at, name="reply", raw=scrub_raw(message)
                )

    def _push(self, message: Mapping[str, Any], received_at: datetime) -> Iterator[Event]:
        push = message["push"]
        if isinstance(push, Mapping) and isinstance(push.get("disconnect"), Mapping):
            raise _disconnected(push["disconnect"])
        if isinstance(push, Mapping) and "unsubscribe" in push:
            raise LinkClosed(f"the server unsubscribed {self._channel}")
        yield realtime_frames.publication_event(
            message,
            market=self._context.market,
            currency=self._currency,
            name_of=self._context.names.name,
            received_at=received_at,
        )

    def _reply(self, message: Mapping[str, Any]) -> None:
        if message.get("id") != self._refresh_id or self._refresh_id is None:
            return  # a late reply to a command of this connection: nothing waits for it
        self._refresh_id = None
        failure = _error_of(message)
        if failure is not None:
            raise LinkClosed(f"token refresh refused ({failure[0]} {failure[1]})")
        refreshed = message.get("refresh")
        self._schedule_refresh(refreshed if isinstance(refreshed, Mapping) else {})

    def _schedule_refresh(self, reply: Mapping[str, Any]) -> None:
        ttl = reply.get("ttl")
        if reply.get("expires") is True and isinstance(ttl, int) and not isinstance(ttl, bool):
            self._refresh_at = self._clock() + ttl - min(REFRESH_LEAD, ttl / 2)
        else:
            self._refresh_at = None

    # ------------------------------------------------------------------ keepalive tick

    def keepalive(self, link: Link) -> None:
        """Send the token refresh once it is due (the server's pings are answered in
        ``translate``)."""
        if self._refresh_at is None or self._refresh_id is not None:
            return
        if self._clock() < self._refresh_at:
            return
        try:
            token = self._token()
        except errors.TransientError as exc:
            log.info("%s: token refresh postponed (%s)", VENDOR, type(exc).__name__)
            self._refresh_at = self._clock() + REFRESH_RETRY
            return
        self._refresh_id = self._next_id()
        link.send(json.dumps({"id": self._refresh_id, "refresh": {"token": token}}))

    def terminal(self, code: int | None) -> bool:
        """Centrifugo: 3500–3999 and 4500–4999 mean "do not reconnect"."""
        return code is not None and (3500 <= code <= 3999 or 4500 <= code <= 4999)


def _disconnected(disconnect: Mapping[str, Any]) -> LinkClosed:
    code = disconnect.get("code")
    reason = str(disconnect.get("reason", "disconnect"))[:200]
    return LinkClosed(reason, code if isinstance(code, int) else None)


class WsnFeed:
    """The wsn personal socket of one stream (kind ``account``)."""

    kind = "account"
    name = "wsn"
    keepalive_every: Seconds | None = WSN_KEEPALIVE
    silence_limit: Seconds = WSN_SILENCE

    def __init__(
        self,
        context: FeedContext,
        *,
        clock: Callable[[], Seconds] = time.monotonic,
    ) -> None:
        self._context = context
        self._clock = clock
        self.url = endpoint(context.origin, WSN_ORIGIN, WSN_PATH)
        self._currency = ""

    def __repr__(self) -> str:
        return f"WsnFeed(market={self._context.market!r})"

    def open(self) -> Link:
        """A fresh key, sent as the first frame; ``auth`` back means refused."""
        context = self._context
        self._currency = context.currency().upper()
        key = _credential(context.client.get_ws_auth(), "wsAuth", "get_ws_auth")
        link = context.connect(VENDOR, self.url, timeout=CONNECT_TIMEOUT, proxy=context.proxy)
        try:
            link.send(key)
            link.send("ping")
            kept = self._first_answer(link)
        except BaseException:
            link.close()
            raise
        return _Replay(link, kept)

    def _first_answer(self, link: Link) -> collections.deque[str]:
        kept: collections.deque[str] = collections.deque()
        deadline = self._clock() + WSN_AUTH_WAIT
        while (left := deadline - self._clock()) > 0:
            frame = link.recv(min(left, 1.0))  # seconds to wait
            if frame is None:
                continue
            if frame.strip() == WSN_REFUSED:
                raise AuthRefused("the wsn socket refused the key")
            if frame.strip() != WSN_PONG:
                kept.append(frame)
            return kept
        return kept  # nothing said: the key was not refused

    def translate(self, link: Link, frame: str) -> Iterator[Event]:
        """One frame as an event; ``pong`` ignored; ``auth`` (refused) reconnects."""
        text = frame.strip()
        if text == WSN_PONG:
            return
        if text == WSN_REFUSED:
            raise LinkClosed("the wsn socket refused the key")
        received_at = datetime.now(tz=UTC)
        message = parse_json_frame(frame)
        if message is None:
            yield realtime_frames.unreadable(self._context.market, received_at, frame)
            return
        yield realtime_frames.wsn_event(
            message, market=self._context.market, currency=self._currency, received_at=received_at
        )

    def keepalive(self, link: Link) -> None:
        """Text ``ping`` (every 45 s)."""
        link.send("ping")

    def terminal(self, code: int | None) -> bool:
        """wsn documents no close codes: always reconnect."""
        return False

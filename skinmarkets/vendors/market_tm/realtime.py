"""Market TM realtime: the Centrifugo price feed (kind ``listings``) and wsn (kind ``account``).

Facts: vendor-docs/realtime.md, "market_tm — two sockets"; ``realtime_frames`` turns the frames
into events.

Price feed, ``<origin>/connection/websocket`` (origin ``wss://wsprice.csgo.com``), a Centrifugo
client (:mod:`skinmarkets._realtime.centrifugo`): a fresh token from ``get-ws-token`` for each
connect and refresh, and the channel ``public:items:<app id>:<account currency>`` (the account's
currency, so event prices match ``prices()``).

wsn, ``<origin>/wsn/`` (origin ``wss://wsn.dota2.net``):

- open: a fresh key from ``get-ws-auth``, sent as a text frame, then ``ping``; the first answer
  tells: ``auth`` means refused (``AuthRefused``), anything else (``pong``) accepted.
- keepalive: ``ping`` every 45 s (the server answers ``pong``, ignored); 60 s silent = dead.
- ``auth`` later on drops the connection, so the next open tries a fresh key.

Names: publications carry ``name_id``; :class:`NameBook` maps them with
``dictionary/names.json``, fetched once per market object (at the first open, or lazily).

The API key, every token and every wsAuth key are registered secrets.
"""

from __future__ import annotations

import collections
import logging
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

import attrs

from skinmarkets import errors
from skinmarkets._http import Proxy
from skinmarkets._realtime import AuthRefused, Feed, FeedBase, Link, LinkClosed, parse_json_frame
from skinmarkets._realtime.centrifugo import DEFAULT_PING as DEFAULT_PING
from skinmarkets._realtime.centrifugo import PING_GRACE as PING_GRACE
from skinmarkets._realtime.centrifugo import REFRESH_LEAD as REFRESH_LEAD
from skinmarkets._realtime.centrifugo import REFRESH_RETRY as REFRESH_RETRY
from skinmarkets._realtime.centrifugo import REFRESH_TICK as REFRESH_TICK
from skinmarkets._realtime.centrifugo import TOKEN_REFUSED as TOKEN_REFUSED
from skinmarkets._realtime.centrifugo import CentrifugoFeed
from skinmarkets._realtime.centrifugo import SubscribeRefused as SubscribeRefused
from skinmarkets._realtime.handshake import ReplayLink, credential, first_frame
from skinmarkets._realtime.websocket import connect_websocket, require_socket, socket_url
from skinmarkets._seconds import Seconds
from skinmarkets.events import Event
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
    return socket_url(origin or default, path)


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


class PriceFeed(CentrifugoFeed):
    """The Centrifugo price feed of one stream (kind ``listings``); one connection at a time."""

    kind = "listings"
    name = "price feed"
    socket = "price socket"

    def __init__(
        self,
        context: FeedContext,
        *,
        clock: Callable[[], Seconds] = time.monotonic,
    ) -> None:
        super().__init__(
            vendor=VENDOR,
            market=context.market,
            url=endpoint(context.origin, PRICE_ORIGIN, PRICE_PATH),
            timeout=CONNECT_TIMEOUT,
            clock=clock,
        )
        self._context = context
        self._currency = ""

    def _channel(self) -> str:
        """The items of the app in the account's currency; the names loaded first."""
        self._currency = self._context.currency().upper()
        channel = f"public:items:{self._context.app_id}:{self._currency.lower()}"
        self._context.names.load()
        return channel

    def _token(self) -> str:
        return credential(VENDOR, self._context.client.get_ws_token(), "token", "get_ws_token")

    def _connect(self) -> Link:
        context = self._context
        return context.connect(VENDOR, self.url, timeout=CONNECT_TIMEOUT, proxy=context.proxy)

    def _publication(self, message: Mapping[str, Any], received_at: datetime) -> Event:
        return realtime_frames.publication_event(
            message,
            market=self.market,
            currency=self._currency,
            name_of=self._context.names.name,
            received_at=received_at,
        )

    def _unreadable(self, received_at: datetime, line: str) -> Event:
        return realtime_frames.unreadable(self.market, received_at, line)


class WsnFeed(FeedBase):
    """The wsn personal socket of one stream (kind ``account``); wsn documents no close codes:
    it always reconnects."""

    kind = "account"
    name = "wsn"
    keepalive_every: Seconds | None = WSN_KEEPALIVE
    keepalive_text = "ping"
    silence_limit: Seconds = WSN_SILENCE

    def __init__(
        self,
        context: FeedContext,
        *,
        clock: Callable[[], Seconds] = time.monotonic,
    ) -> None:
        super().__init__(context.market)
        self._context = context
        self._clock = clock
        self.url = endpoint(context.origin, WSN_ORIGIN, WSN_PATH)
        self._currency = ""

    def open(self) -> Link:
        """A fresh key, sent as the first frame; ``auth`` back means refused."""
        context = self._context
        self._currency = context.currency().upper()
        key = credential(VENDOR, context.client.get_ws_auth(), "wsAuth", "get_ws_auth")
        link = context.connect(VENDOR, self.url, timeout=CONNECT_TIMEOUT, proxy=context.proxy)
        try:
            link.send(key)
            link.send("ping")
            answer = first_frame(link, WSN_AUTH_WAIT, tick=1.0, clock=self._clock)
            if answer is not None and answer.strip() == WSN_REFUSED:
                raise AuthRefused("the wsn socket refused the key")
        except BaseException:
            link.close()
            raise
        # nothing said: the key was not refused; anything but pong is read as an event
        kept = [] if answer is None or answer.strip() == WSN_PONG else [answer]
        return ReplayLink(link, collections.deque(kept))

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
            yield realtime_frames.unreadable(self.market, received_at, frame)
            return
        yield realtime_frames.wsn_event(
            message, market=self.market, currency=self._currency, received_at=received_at
        )

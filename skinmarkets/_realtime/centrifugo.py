"""CentrifugoFeed: a Centrifugo client (JSON protocol) on one channel, as a realtime feed.

A vendor subclasses it with its facts: the URL, the channel (:meth:`~CentrifugoFeed._channel`),
a fresh token (:meth:`~CentrifugoFeed._token`, through its REST client) and the reading of a
publication (:meth:`~CentrifugoFeed._publication`). The protocol is Centrifugo's:

- open: ``{"id": 1, "connect": {"token": T}}``, then ``{"id": 2, "subscribe": {"channel": C}}``;
  the replies are matched by id (other lines read meanwhile are kept and replayed). A connect
  refused with a token error (:data:`TOKEN_REFUSED`), or a close with a terminal code such as
  3500 "invalid token", is ``AuthRefused``: the engine tries once more with a fresh token. A
  refused subscribe is :class:`SubscribeRefused` (retried with backoff).
- ``{}`` from the server is a ping, answered ``{}``; silence past the connect reply's ``ping``
  + :data:`PING_GRACE` seconds means the connection is dead.
- ``expires``/``ttl`` in the connect reply: ``{"id": n, "refresh": {"token": NEW}}`` is sent
  :data:`REFRESH_LEAD` before ``ttl`` runs out (half of it when shorter), from the keepalive
  tick. A refresh refused (109 "token expired") reconnects with a fresh token.
- ``disconnect`` (alone or in a push) and ``unsubscribe`` end the connection; close codes
  3500–3999 and 4500–4999 end the feed (centrifuge-python), others reconnect.
- A frame may carry several lines, one message each.
"""

from __future__ import annotations

import collections
import json
import logging
import time
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

from skinmarkets import errors
from skinmarkets._realtime.feed import AuthRefused, Link, LinkClosed, parse_json_frame
from skinmarkets._realtime.frames import unreadable
from skinmarkets._realtime.handshake import ReplayLink
from skinmarkets._seconds import Seconds
from skinmarkets._secret import scrub_raw
from skinmarkets.events import Event, UnknownEvent

__all__ = [
    "DEFAULT_PING",
    "PING_GRACE",
    "REFRESH_LEAD",
    "REFRESH_RETRY",
    "REFRESH_TICK",
    "TOKEN_REFUSED",
    "CentrifugoFeed",
    "SubscribeRefused",
]

log = logging.getLogger("skinmarkets")

#: Centrifugo's default server ping interval, when the connect reply names none (seconds).
DEFAULT_PING = 25
#: "No ping for ≈ ping + 10 s -> the connection is dead."
PING_GRACE = 10
#: How often the feed looks whether its token needs a refresh (seconds).
REFRESH_TICK: Seconds = 0.5
#: Refresh this long before ``ttl`` runs out (one Go client refreshes a 10 min token at 9 min);
#: half the ttl when that is shorter.
REFRESH_LEAD: Seconds = 60.0
#: After a token fetch for a refresh failed transiently, try again this much later.
REFRESH_RETRY: Seconds = 5.0

#: Centrifugo error codes of a connect reply that mean "this token is refused" (a fresh one is
#: tried once more): 101 unauthorized, 103 permission denied, 109 token expired, 110 expired.
TOKEN_REFUSED = frozenset({101, 103, 109, 110})


class SubscribeRefused(ConnectionError):
    """The channel's subscribe was answered with an error (retried with backoff)."""


class CentrifugoFeed:
    """A feed on one Centrifugo channel; one connection at a time. Subclasses set ``kind``,
    ``name`` and ``socket`` and write the hooks ``_connect``, ``_channel``, ``_token`` and
    ``_publication``."""

    kind: str
    name: str
    #: The socket as a refusal names it ("the <socket> refused the connection").
    socket: str
    keepalive_every: Seconds | None = REFRESH_TICK  # the refresh tick

    def __init__(
        self,
        *,
        vendor: str,
        market: str,
        url: str,
        timeout: Seconds,
        clock: Callable[[], Seconds] = time.monotonic,
    ) -> None:
        self.vendor = vendor
        self.market = market
        self.url = url
        self.silence_limit: Seconds = DEFAULT_PING + PING_GRACE
        self.channel = ""
        self._timeout = timeout
        self._clock = clock
        self._last_id = 0
        self._refresh_at: Seconds | None = None
        self._refresh_id: int | None = None

    def __repr__(self) -> str:
        return f"{type(self).__name__}(market={self.market!r}, channel={self.channel!r})"

    # ------------------------------------------------------------------ the vendor's hooks

    def _connect(self) -> Link:
        """Open the socket at ``self.url``."""
        raise NotImplementedError

    def _channel(self) -> str:
        """The channel to subscribe, asked before each connect (it may fetch what it needs)."""
        raise NotImplementedError

    def _token(self) -> str:
        """A fresh connection token, registered as a secret (``handshake.credential``)."""
        raise NotImplementedError

    def _publication(self, message: Mapping[str, Any], received_at: datetime) -> Event:
        """One ``push`` of the channel as an event (never raises: ``UnknownEvent``)."""
        raise NotImplementedError

    def _unreadable(self, received_at: datetime, line: str) -> Event:
        """A line that is not a JSON object."""
        return unreadable(self.market, received_at, line)

    # ------------------------------------------------------------------ opening

    def open(self) -> Link:
        """Token, connect, subscribe; the link replays anything read meanwhile."""
        self.channel = self._channel()
        token = self._token()
        link = self._connect()
        try:
            kept = self._handshake(link, token)
        except LinkClosed as closed:
            link.close()
            if self.terminal(closed.code):
                raise AuthRefused(f"the {self.socket} refused the connection ({closed})") from None
            raise
        except BaseException:
            link.close()
            raise
        return ReplayLink(link, kept)

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
        link.send(json.dumps({"id": subscribe_id, "subscribe": {"channel": self.channel}}))
        failure = _error_of(self._reply_to(link, subscribe_id, kept))
        if failure is not None:
            log.warning("%s: subscribing %s refused: %s %s", self.vendor, self.channel, *failure)
            raise SubscribeRefused(f"subscribe to {self.channel} refused: {failure[0]}")
        return kept

    def _reply_to(self, link: Link, wanted: int, kept: collections.deque[str]) -> Mapping[str, Any]:
        """The reply to command ``wanted``; pings are answered, other lines kept for later."""
        deadline = self._clock() + self._timeout
        while True:
            left = deadline - self._clock()
            if left <= 0:
                raise TimeoutError(f"no reply to command {wanted} in {self._timeout:g} s")
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
        for line in frame.split("\n"):
            if not line.strip():
                continue
            message = parse_json_frame(line)
            if message is None:
                yield self._unreadable(received_at, line)
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
                    market=self.market,
                    received_at=received_at,
                    name="reply",
                    raw=scrub_raw(message),
                )

    def _push(self, message: Mapping[str, Any], received_at: datetime) -> Iterator[Event]:
        push = message["push"]
        if isinstance(push, Mapping) and isinstance(push.get("disconnect"), Mapping):
            raise _disconnected(push["disconnect"])
        if isinstance(push, Mapping) and "unsubscribe" in push:
            raise LinkClosed(f"the server unsubscribed {self.channel}")
        yield self._publication(message, received_at)

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
            log.info("%s: token refresh postponed (%s)", self.vendor, type(exc).__name__)
            self._refresh_at = self._clock() + REFRESH_RETRY
            return
        self._refresh_id = self._next_id()
        link.send(json.dumps({"id": self._refresh_id, "refresh": {"token": token}}))

    def terminal(self, code: int | None) -> bool:
        """Centrifugo: 3500–3999 and 4500–4999 mean "do not reconnect"."""
        return code is not None and (3500 <= code <= 3999 or 4500 <= code <= 4999)


def _error_of(reply: Mapping[str, Any]) -> tuple[int | None, str] | None:
    error = reply.get("error")
    if error is None:
        return None
    if not isinstance(error, Mapping):
        return None, str(error)[:200]
    code = error.get("code")
    return (code if isinstance(code, int) else None), str(error.get("message", ""))[:200]


def _disconnected(disconnect: Mapping[str, Any]) -> LinkClosed:
    code = disconnect.get("code")
    reason = str(disconnect.get("reason", "disconnect"))[:200]
    return LinkClosed(reason, code if isinstance(code, int) else None)

"""SkinsBack's websocket as a realtime feed (kind ``account``): purchases, their offers, balance.

Vendor facts (``vendor-docs/realtime.md``, "skinsback — websocket"):

- URL ``wss://skinsback.com/ws/?shopid=<Client ID>&signature=<md5 hex of ClientID +
  ClientSecret>`` (``ws_url=`` replaces the origin, the path is kept). The signature is a static
  credential, not a token: every (re)connect sends the same one, and no REST call is made, so
  reconnects cost nothing of the REST rate limit. It is registered as a secret: it is in no log,
  repr, error message or ``raw``.
- The first frame is ``{"event": "auth_success"}`` or ``{"event": "auth_failed"}``. A refusal
  is :class:`AuthRefused`; the engine tries once more (with the same signature: nothing to
  refresh, and the bound is two attempts) and then raises ``AuthenticationError``.
- Keepalive: the text ``ping`` every 20-30 s (we send it every 25 s); the reply is undocumented,
  so ``pong`` (or ``ping``), as text or as an ``event``, is taken and dropped. Any frame counts
  as life: a connection silent for 90 s (more than three keepalives unanswered and no event) is
  taken as dead and reopened.
- Frames ``{"event": name, "data": {...}}``, read by the webhooks' own reader
  (:func:`~skinmarkets.vendors.skinsback.events.read_event`), then turned into the shared events:

  ===================  =====================================================================
  ``buy_item``         ``PurchaseUpdated`` (``buy_id``, ``custom_id``, status from
                       ``units.OFFER_STATUS``), then ``BalanceChanged(available=None)`` when
                       ``balance_debited_sum`` is more than 0: the balance moved, by a debit,
                       and the frame does not say what is left (``balance()`` does)
  ``status_change``    ``PurchaseUpdated`` with the mapped status and ``tradeofferid``
  ``balance_change``   ``BalanceChanged(Money(balance_value, "USD"))``; negative or unreadable:
                       ``available=None`` (``raw`` keeps the value)
  anything else        ``UnknownEvent`` (a known event whose data cannot be read too)
  ===================  =====================================================================
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from skinmarkets import errors
from skinmarkets._http import Proxy
from skinmarkets._realtime import AuthRefused, Link, LinkClosed, parse_json_frame
from skinmarkets._realtime.websocket import connect_websocket
from skinmarkets._seconds import Seconds
from skinmarkets._secret import Secret, register_secret, scrub_raw
from skinmarkets.events import BalanceChanged, Event, PurchaseUpdated, UnknownEvent
from skinmarkets.vendors.skinsback import events as webhook
from skinmarkets.vendors.skinsback import units

__all__ = ["AccountFeed", "account_events", "socket_signature", "socket_url"]

VENDOR = "skinsback"
log = logging.getLogger("skinmarkets.skinsback")

#: "send the text frame `ping` every 30 s, as in the docs example. knaus94 uses 20 s."
KEEPALIVE = "ping"
#: What the server may answer a keepalive with ("the reply is undocumented"): dropped unread.
KEEPALIVE_REPLIES = frozenset({"pong", "ping"})
#: The name of an ``UnknownEvent`` made of a frame that is not ``{"event": "<name>", …}``.
UNREADABLE = "(unreadable)"
#: How much of a frame that is not JSON ``raw`` keeps.
MAX_RAW_TEXT = 4000
#: How often the wait for the auth frame looks at the socket (seconds).
AUTH_TICK: Seconds = 0.2


def socket_signature(client_id: Secret, client_secret: Secret) -> Secret:
    """``md5(ClientID + ClientSecret)`` in hex, as a registered secret (never shown anywhere)."""
    joined = (client_id.reveal() + client_secret.reveal()).encode("utf-8")
    # md5 because the vendor asks for it; it is a shared credential here, not a MAC we chose.
    signature = Secret(hashlib.md5(joined, usedforsecurity=False).hexdigest())
    register_secret(signature, owner=VENDOR)
    return signature


def socket_url(origin: str, client_id: Secret, signature: Secret) -> str:
    """The websocket URL under ``origin`` (an http(s) origin is taken as its ws(s) twin)."""
    scheme, _, rest = origin.partition("://")
    scheme = {"http": "ws", "https": "wss"}.get(scheme.lower(), scheme.lower())
    query = urlencode({"shopid": client_id.reveal(), "signature": signature.reveal()})
    return f"{scheme}://{rest.rstrip('/')}{units.WS_PATH}?{query}"


def account_events(
    event: webhook.Event, *, market: str, received_at: datetime, raw: Mapping[str, Any]
) -> list[Event]:
    """The shared events of one SkinsBack event (webhook or websocket), ``raw`` as given."""
    if isinstance(event, webhook.PurchaseEvent | webhook.StatusChangeEvent):
        found: list[Event] = [
            PurchaseUpdated(
                market=market,
                received_at=received_at,
                purchase_id=event.buy_id,
                status=event.status,
                custom_id=event.custom_id,
                trade_offer_id=event.trade_offer_id,
                raw=raw,
            )
        ]
        if isinstance(event, webhook.PurchaseEvent) and event.price and event.price.amount > 0:
            found.append(BalanceChanged(market=market, received_at=received_at, raw=raw))
        return found
    if isinstance(event, webhook.BalanceChangeEvent):
        value = event.balance_value
        # balance_value's currency is not stated: the docs say "all market prices … are USD".
        available = units.money(value) if value is not None else None
        return [
            BalanceChanged(market=market, received_at=received_at, available=available, raw=raw)
        ]
    return [UnknownEvent(market=market, received_at=received_at, name=event.event, raw=raw)]


def _is_keepalive(frame: str, message: Mapping[str, Any] | None) -> bool:
    if frame.strip().lower() in KEEPALIVE_REPLIES:
        return True
    name = message.get("event") if message is not None else None
    return isinstance(name, str) and name.lower() in KEEPALIVE_REPLIES


class AccountFeed:
    """SkinsBack's websocket: one connection per stream, signed with ``shopid`` + signature."""

    kind = "account"
    name = "websocket"
    #: Seconds between keepalive ``ping`` frames ("every 20-30 s").
    keepalive_every: Seconds | None = 25.0
    #: Seconds without any frame before the connection is reopened: over three keepalives.
    silence_limit: Seconds = 90.0

    def __init__(
        self,
        *,
        market: str,
        client_id: Secret,
        client_secret: Secret,
        origin: str = units.WS_ORIGIN,
        timeout: Seconds = 5.0,
        proxy: Proxy | None = None,
    ) -> None:
        self.market = market
        self._proxy = proxy  # proxy=: the socket goes through it too
        self._client_id = client_id
        self._signature = socket_signature(client_id, client_secret)
        self._origin = origin
        self._timeout = timeout

    def __repr__(self) -> str:
        return f"AccountFeed(market={self.market!r})"  # no URL: it carries the signature

    def open(self) -> Link:
        """Connect and wait for ``auth_success`` (``AuthRefused`` on ``auth_failed``)."""
        url = socket_url(self._origin, self._client_id, self._signature)
        link = connect_websocket(VENDOR, url, timeout=self._timeout, proxy=self._proxy)
        try:
            self._await_auth(link)
        except BaseException:
            link.close()
            raise
        return link

    def _await_auth(self, link: Link) -> None:
        deadline = time.monotonic() + self._timeout
        while (left := deadline - time.monotonic()) > 0:
            frame = link.recv(min(left, AUTH_TICK))
            if frame is None:
                continue
            message = parse_json_frame(frame)
            if _is_keepalive(frame, message):
                continue
            name = message.get("event") if message is not None else None
            if name == "auth_success":
                return
            if name == "auth_failed":
                raise AuthRefused(
                    "the websocket answered auth_failed; check client_id and client_secret"
                )
            raise LinkClosed(f"expected auth_success first, got {name or 'a frame'!s:.40}")
        raise LinkClosed(f"no auth_success within {self._timeout:g} s")

    def translate(self, link: Link, frame: str) -> list[Event]:
        """The events of one frame; keepalive replies give none. Never raises for a bad frame."""
        now = datetime.now(tz=UTC)
        message = parse_json_frame(frame)
        if _is_keepalive(frame, message):
            return []
        if message is None:
            raw: Mapping[str, Any] = scrub_raw({"text": frame[:MAX_RAW_TEXT]})
            return [UnknownEvent(market=self.market, received_at=now, name=UNREADABLE, raw=raw)]
        raw = scrub_raw(message)
        name = message.get("event")
        if not isinstance(name, str):
            return [UnknownEvent(market=self.market, received_at=now, name=UNREADABLE, raw=raw)]
        if name == "auth_success":
            return []
        if name == "auth_failed":  # refused mid-stream: reconnect, where the auth frame decides
            raise LinkClosed("auth_failed after connecting")
        try:
            event = webhook.read_event(name, message.get("data"), raw)
            return account_events(event, market=self.market, received_at=now, raw=raw)
        except errors.UnexpectedResponse:
            pass
        except Exception as exc:  # a bug must not end the stream: the frame is kept as unknown
            log.warning("%s: could not read a %.40r frame (%s)", VENDOR, name, type(exc).__name__)
        return [UnknownEvent(market=self.market, received_at=now, name=name, raw=raw)]

    def keepalive(self, link: Link) -> None:
        """Send the text ``ping``."""
        link.send(KEEPALIVE)

    def terminal(self, code: int | None) -> bool:
        """Never: SkinsBack documents no close code that means "do not reconnect"."""
        return False

"""SkinsBack's websocket as a realtime feed (kind ``account``): purchases, their offers, balance.

Vendor facts (``vendor-docs/realtime.md``, "skinsback — websocket"):

- URL ``wss://skinsback.com/ws/?shopid=<Client ID>&signature=<md5 hex of ClientID +
  ClientSecret>`` (``ws_url=`` replaces the origin, the path is kept). The signature is a static
  credential, not a token: every (re)connect sends the same one and makes no REST call. It is a
  registered secret.
- The first frame is ``{"event": "auth_success"}`` or ``{"event": "auth_failed"}``. A refusal
  is :class:`AuthRefused` (the engine's second try sends the same signature).
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
from collections.abc import Mapping
from datetime import datetime
from typing import Any, NoReturn

from skinmarkets import errors
from skinmarkets._http import Proxy
from skinmarkets._realtime import AuthRefused, Link, LinkClosed, parse_json_frame
from skinmarkets._realtime.frames import MAX_RAW_TEXT as MAX_RAW_TEXT
from skinmarkets._realtime.frames import UNREADABLE as UNREADABLE
from skinmarkets._realtime.frames import Frame, Reader
from skinmarkets._realtime.handshake import first_frame
from skinmarkets._realtime.websocket import WebSocketFeed
from skinmarkets._realtime.websocket import socket_url as _socket_url
from skinmarkets._seconds import Seconds
from skinmarkets._secret import Secret, register_secret
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
    query = {"shopid": client_id.reveal(), "signature": signature.reveal()}
    return _socket_url(origin, units.WS_PATH, query)


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


def _is_keepalive(frame: str) -> bool:
    if frame.strip().lower() in KEEPALIVE_REPLIES:
        return True
    message = parse_json_frame(frame)
    name = message.get("event") if message is not None else None
    return isinstance(name, str) and name.lower() in KEEPALIVE_REPLIES


def _event(frame: Frame) -> list[Event] | None:
    """A webhook event's frame, read by the webhooks' own reader; None when it cannot be."""
    try:
        event = webhook.read_event(frame.name, frame.data, frame.raw)
    except errors.UnexpectedResponse:
        return None
    return account_events(event, market=frame.market, received_at=frame.received_at, raw=frame.raw)


def _auth_failed(frame: Frame) -> NoReturn:
    raise LinkClosed("auth_failed after connecting")  # reconnect, where the auth frame decides


#: Event name -> reader; any other name is an UnknownEvent.
_READERS: Mapping[str, Reader] = {
    "buy_item": _event,
    "status_change": _event,
    "balance_change": _event,
    "auth_success": lambda frame: [],  # a late one
    "auth_failed": _auth_failed,  # refused mid-stream
}


class AccountFeed(WebSocketFeed):
    """SkinsBack's websocket: one connection per stream, signed with ``shopid`` + signature."""

    kind = "account"
    name = "websocket"
    vendor = VENDOR
    log = log
    readers = _READERS
    #: Seconds between keepalive ``ping`` frames ("every 20-30 s").
    keepalive_every: Seconds | None = 25.0
    keepalive_text = KEEPALIVE
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
        url = socket_url(origin, client_id, socket_signature(client_id, client_secret))
        super().__init__(market, url, timeout=timeout, proxy=proxy)

    def handshake(self, link: Link) -> Link:
        """Wait for ``auth_success`` (``AuthRefused`` on ``auth_failed``)."""
        frame = first_frame(link, self.timeout, tick=AUTH_TICK, skip=_is_keepalive)
        if frame is None:
            raise LinkClosed(f"no auth_success within {self.timeout:g} s")
        message = parse_json_frame(frame)
        name = message.get("event") if message is not None else None
        if name == "auth_success":
            return link
        if name == "auth_failed":
            raise AuthRefused(
                "the websocket answered auth_failed; check client_id and client_secret"
            )
        raise LinkClosed(f"expected auth_success first, got {name or 'a frame'!s:.40}")

    def translate(self, link: Link, frame: str) -> list[Event]:
        """The events of one frame; keepalive replies give none. Never raises for a bad frame."""
        if _is_keepalive(frame):
            return []
        return super().translate(link, frame)

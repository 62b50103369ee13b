"""swap.gg's socket.io server as a realtime feed (kind ``account``).

Vendor facts (``vendor-docs/realtime.md``, "swapgg — socket.io"; ``swapgg-v1.txt``, WebSocket):

- A token from ``GET /v1/user/websocket`` (a JWT, 10 minutes), fetched through the REST client
  for every (re)connect and registered as a secret.
- socket.io (Engine.IO v4) at ``https://market-ws.swap.gg/`` (``ws_url=`` replaces the origin,
  socket.io's ``/socket.io/`` path is kept). Every connect emits ``auth`` with that connect's
  token. No acknowledgement is documented: the refusal events (``units.REFUSAL_EVENTS``) and the
  waits (``units.AUTH_GRACE_SECONDS``, ``units.QUICK_REFUSAL_SECONDS``) are ours, used as
  :mod:`skinmarkets._realtime.socketio` says (keepalive is Engine.IO's own there too).
- No silence limit applies: an account may see no event for hours.

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

import logging
from collections.abc import Callable, Mapping
from typing import Any

from skinmarkets._realtime import FeedBase
from skinmarkets._realtime import socketio as _socketio
from skinmarkets._realtime.frames import UNREADABLE as UNREADABLE
from skinmarkets._realtime.frames import Frame, Reader, read_frame, read_id
from skinmarkets._realtime.handshake import issued_secret
from skinmarkets._realtime.socketio import CLOSE_WAIT as CLOSE_WAIT
from skinmarkets._realtime.socketio import MAX_TEXT as MAX_TEXT
from skinmarkets._realtime.socketio import Refusals, text_of
from skinmarkets._realtime.socketio import socket_origin as socket_origin
from skinmarkets._seconds import Seconds
from skinmarkets._secret import scrub
from skinmarkets._trades import sent_if_offered
from skinmarkets.events import Event, Notification, PurchaseUpdated
from skinmarkets.models import TradeStatus
from skinmarkets.vendors.swapgg import units

__all__ = ["AccountFeed", "SocketIOLink", "socket_origin"]

VENDOR = "swapgg"
log = logging.getLogger("skinmarkets.swapgg")


class SocketIOLink(_socketio.SocketIOLink):
    """One connection to swap.gg's socket.io: ``auth`` with the token, its refusal events."""

    vendor = VENDOR
    auth_event = units.WEBSOCKET_AUTH_EVENT
    refusal_events = units.REFUSAL_EVENTS


# --------------------------------------------------------------------------- frame readers


def _item_state(frame: Frame) -> Event | None:
    if not isinstance(frame.data, Mapping):
        return None
    places = _places(frame.data)
    purchase_id = _first_id(places, ("saleId",)) or _first_id(places, ("itemId", "id"))
    state = _first(places, ("state", "status"))
    if purchase_id is None or state is None or isinstance(state, Mapping | list | bool):
        return None
    status = units.ITEM_STATE.get(str(state).strip().lower(), TradeStatus.UNKNOWN)
    offer = _first_id(places, ("tradeOfferId", "tradeofferid", "offerId"))
    return PurchaseUpdated(
        market=frame.market,
        received_at=frame.received_at,
        purchase_id=purchase_id,
        status=sent_if_offered(status, offer),  # as active_trades()
        trade_offer_id=offer,
        raw=frame.raw,
    )


def _notification(frame: Frame) -> Event | None:
    text = text_of(frame.data).strip()
    if not text or frame.data is None:
        return None
    return Notification(
        market=frame.market,
        received_at=frame.received_at,
        text=scrub(text)[:MAX_TEXT],
        raw=frame.raw,
    )


#: Event name -> reader; a name not here (user:ready, screenshot:ready, …) is an UnknownEvent.
_READERS: Mapping[str, Reader] = {
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
    return read_id(_first(places, keys), max_length=100)


class AccountFeed(FeedBase):
    """swap.gg's socket.io: one connection per (re)connect, each with a fresh token."""

    kind = "account"
    name = "socket.io"
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
        super().__init__(market)
        self._socket_options = dict(socket_options or {})  # proxy=, never shown
        self._fetch_token = fetch_token
        self._origin = origin
        self._timeout = timeout
        self._auth_grace = auth_grace
        self._refusals = Refusals(quick=units.QUICK_REFUSAL_SECONDS)

    def open(self) -> SocketIOLink:
        """A fresh token (REST), connect, emit ``auth``, and wait out a refusal."""
        link = SocketIOLink(issued_secret(self._fetch_token()), self._refusals)
        return link.open(
            self._origin,
            path=units.SOCKETIO_PATH,
            timeout=self._timeout,
            grace=self._auth_grace,
            socket_options=self._socket_options,
        )

    def translate(self, link: object, frame: str) -> list[Event]:
        """The events of one frame (see the module docstring); never raises for a bad one."""
        return read_frame(
            frame, market=self.market, readers=_READERS, vendor=VENDOR, log=log, payload_raw=True
        )

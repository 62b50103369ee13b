"""Mannco.store's public market websocket as a realtime feed (kind ``listings``).

Vendor facts (``vendor-docs/realtime.md``, "mannco — websocket"; third-party only, [3p:gman]
``socket.go``):

- ``wss://ws.mannco.store/ws`` (``ws_url=`` replaces the origin, ``/ws`` is kept): no auth, no
  subscribe, read-only, so a reconnect costs no REST call (gman's client waits 5 s first).
- No keepalive is documented: none is sent; the server's websocket pings are answered by
  websocket-client. A stream silent for ``units.WS_SILENCE_LIMIT_SECONDS`` (120 s) is reopened.
- Frames ``{"event": name, "ts": …, "data": {...}}``, amounts in USD cents (whole numbers; a
  negative or fractional one is no price: ``price=None``, ``raw`` keeps it). No account events:
  trades and balance still need polling.

  =====================  ===================================================================
  ``listing_added``      ``ListingChanged("added")``, ``listing_id`` = ``assetId`` (as
                         ``Listing.id``: "assetId is what you pay for"), ``price`` = ``price``
  ``price_changed``      ``ListingChanged("changed")``, ``price`` = ``newPrice``
  ``listing_removed``    ``ListingChanged("removed")``: only the listing's own ``id`` comes, so
                         its asset id is looked up among the pairs this market saw (from
                         ``listing_added`` / ``price_changed`` and ``list_for_sale`` rows); one
                         never seen is ``"listing:<id>"`` (never equal to an asset id)
  ``buyorder_*``         ``UnknownEvent(name)``, ``raw`` = the frame: no shared type for buy
                         orders (``prices()`` reads the highest one)
  anything else          ``UnknownEvent`` (also a frame whose ids cannot be read)
  =====================  ===================================================================

``market_hash_name`` comes from Mannco's item id (``itemId``) through the names the adapter has
resolved (``resolve_item_id``, ``list_for_sale``); an item it never resolved gives None.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from functools import partial

from skinmarkets import _wire
from skinmarkets._http import Proxy
from skinmarkets._realtime.frames import MAX_RAW_TEXT as MAX_RAW_TEXT
from skinmarkets._realtime.frames import UNREADABLE as UNREADABLE
from skinmarkets._realtime.frames import Frame, read_id
from skinmarkets._realtime.websocket import WebSocketFeed
from skinmarkets._realtime.websocket import socket_url as _socket_url
from skinmarkets._seconds import Seconds
from skinmarkets.events import ListingChanged
from skinmarkets.money import Money
from skinmarkets.vendors.mannco import units

__all__ = ["ListingIds", "ListingsFeed", "socket_url"]

VENDOR = "mannco"
log = logging.getLogger("skinmarkets.mannco")

#: An id: a JSON string or integer of at most 64 characters (``raw`` keeps a longer one).
_id = partial(read_id, max_length=64)


def socket_url(origin: str) -> str:
    """The websocket URL under ``origin`` (an http(s) origin is taken as its ws(s) twin)."""
    return _socket_url(origin, units.WS_PATH)


class ListingIds:
    """Mannco listing id -> (asset id, item id), the latest ``size`` pairs (thread-safe).

    ``listing_removed`` names only the listing's id; this is how its asset id is found.
    """

    def __init__(self, size: int = units.LISTING_IDS_REMEMBERED) -> None:
        self._size = size
        self._pairs: dict[str, tuple[str, str | None]] = {}
        self._lock = threading.Lock()

    def remember(self, listing_id: str, asset_id: str, item_id: str | None) -> None:
        """Note that ``listing_id`` sells ``asset_id`` (of Mannco item ``item_id``)."""
        with self._lock:
            self._pairs.pop(listing_id, None)  # re-inserted as the newest
            self._pairs[listing_id] = (asset_id, item_id)
            while len(self._pairs) > self._size:
                del self._pairs[next(iter(self._pairs))]

    def forget(self, listing_id: str) -> tuple[str, str | None] | None:
        """The pair of a listing that is gone (and forget it), or None if never seen."""
        with self._lock:
            return self._pairs.pop(listing_id, None)

    def __len__(self) -> int:
        return len(self._pairs)


class ListingsFeed(WebSocketFeed):
    """Mannco's market websocket: one connection (no auth, nothing to send), listings added,
    repriced and removed."""

    kind = "listings"
    name = "websocket"
    vendor = VENDOR
    log = log
    silence_limit: Seconds = units.WS_SILENCE_LIMIT_SECONDS  # no keepalive is documented

    def __init__(
        self,
        *,
        market: str,
        origin: str = units.WS_ORIGIN,
        timeout: Seconds = 5.0,
        names: Mapping[str, str] | None = None,
        listing_ids: ListingIds | None = None,
        proxy: Proxy | None = None,
    ) -> None:
        super().__init__(market, socket_url(origin), timeout=timeout, proxy=proxy)
        self._names: Mapping[str, str] = names if names is not None else {}
        self._listing_ids = listing_ids if listing_ids is not None else ListingIds()
        #: Event name -> reader; any other name (the buy-order events too) is an UnknownEvent.
        self.readers = {
            units.EVENT_LISTING_ADDED: partial(self._listed, changed=False),
            units.EVENT_PRICE_CHANGED: partial(self._listed, changed=True),
            units.EVENT_LISTING_REMOVED: self._removed,
        }

    # ------------------------------------------------------------------ the frames

    def _listed(self, frame: Frame, *, changed: bool) -> ListingChanged | None:
        data = frame.fields
        asset = _id(data.get("assetId"))
        if asset is None:
            return None
        item = _id(data.get("itemId"))
        listing = _id(data.get("id"))
        if listing is not None:
            self._listing_ids.remember(listing, asset, item)
        return ListingChanged(
            market=self.market,
            received_at=frame.received_at,
            action="changed" if changed else "added",
            listing_id=asset,
            market_hash_name=self._names.get(item) if item is not None else None,
            price=_price(data.get("newPrice" if changed else "price")),
            raw=frame.raw,
        )

    def _removed(self, frame: Frame) -> ListingChanged | None:
        data = frame.fields
        listing = _id(data.get("id"))
        asset, item = _id(data.get("assetId")), _id(data.get("itemId"))
        if listing is not None:
            known = self._listing_ids.forget(listing)
            if known is not None:
                asset, item = asset or known[0], item or known[1]
        if asset is None and listing is None:
            return None
        return ListingChanged(
            market=self.market,
            received_at=frame.received_at,
            action="removed",
            listing_id=asset or f"{units.UNRESOLVED_LISTING_PREFIX}{listing}",
            market_hash_name=self._names.get(item) if item is not None else None,
            raw=frame.raw,
        )


def _price(cents: object) -> Money | None:
    """USD cents as Money, exact; None for a negative, fractional or unreadable amount."""
    if cents is None:
        return None
    try:
        return units.money(_wire.to_cents(cents))
    except TypeError:
        return None

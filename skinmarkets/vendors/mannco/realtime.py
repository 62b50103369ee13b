"""Mannco.store's public market websocket as a realtime feed (kind ``listings``).

Vendor facts (``vendor-docs/realtime.md``, "mannco — websocket"; third-party only, [3p:gman]
``socket.go``):

- ``wss://ws.mannco.store/ws`` (``ws_url=`` replaces the origin, ``/ws`` is kept): no auth, no
  subscribe, read-only. No token, so a reconnect costs no REST call. Reconnects are the engine's
  (exponential backoff; gman's client waits 5 s).
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
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from skinmarkets import _wire
from skinmarkets._http import Proxy
from skinmarkets._realtime import Link, parse_json_frame
from skinmarkets._realtime.websocket import connect_websocket
from skinmarkets._seconds import Seconds
from skinmarkets._secret import scrub_raw
from skinmarkets.events import Event, ListingChanged, UnknownEvent
from skinmarkets.money import Money
from skinmarkets.vendors.mannco import units

__all__ = ["ListingIds", "ListingsFeed", "socket_url"]

VENDOR = "mannco"
log = logging.getLogger("skinmarkets.mannco")

#: The name of an ``UnknownEvent`` made of a frame that is not ``{"event": "<name>", …}``.
UNREADABLE = "(unreadable)"
#: How much of a frame that is not JSON ``raw`` keeps.
MAX_RAW_TEXT = 4000


def socket_url(origin: str) -> str:
    """The websocket URL under ``origin`` (an http(s) origin is taken as its ws(s) twin)."""
    scheme, _, rest = origin.partition("://")
    scheme = {"http": "ws", "https": "wss"}.get(scheme.lower(), scheme.lower())
    return f"{scheme}://{rest.rstrip('/')}{units.WS_PATH}"


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


class ListingsFeed:
    """Mannco's market websocket: one connection, listings added, repriced and removed."""

    kind = "listings"
    name = "websocket"
    keepalive_every: Seconds | None = None  # (none documented)
    silence_limit: Seconds = units.WS_SILENCE_LIMIT_SECONDS

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
        self.market = market
        self._url = socket_url(origin)
        self._timeout = timeout
        self._proxy = proxy  # proxy=: the socket goes through it too
        self._names: Mapping[str, str] = names if names is not None else {}
        self._listing_ids = listing_ids if listing_ids is not None else ListingIds()

    def __repr__(self) -> str:
        return f"ListingsFeed(market={self.market!r})"

    def open(self) -> Link:
        """Connect (no auth, nothing to send)."""
        return connect_websocket(VENDOR, self._url, timeout=self._timeout, proxy=self._proxy)

    def translate(self, link: Link, frame: str) -> list[Event]:
        """The events of one frame (see the module docstring); never raises for a bad one."""
        now = datetime.now(tz=UTC)
        message = parse_json_frame(frame)
        name = message.get("event") if message is not None else None
        if message is None or not isinstance(name, str):
            raw = scrub_raw({"text": frame[:MAX_RAW_TEXT]} if message is None else message)
            return [UnknownEvent(market=self.market, received_at=now, name=UNREADABLE, raw=raw)]
        raw = scrub_raw(message)
        data = message.get("data")
        reader = _READERS.get(name)
        event: Event | None = None
        if reader is not None and isinstance(data, Mapping):
            try:
                event = reader(self, now, data, raw)
            except Exception as exc:  # a bug must not end the stream: kept as unknown
                log.warning(
                    "%s: could not read a %.40r frame (%s)", VENDOR, name, type(exc).__name__
                )
        return [event or UnknownEvent(market=self.market, received_at=now, name=name, raw=raw)]

    def keepalive(self, link: Link) -> None:
        """Never called (``keepalive_every`` is None)."""

    def terminal(self, code: int | None) -> bool:
        """Never: nothing documents a close code that means "do not reconnect"."""
        return False

    # ------------------------------------------------------------------ the frames

    def _listed(
        self, now: datetime, data: Mapping[str, Any], raw: Mapping[str, Any], *, changed: bool
    ) -> ListingChanged | None:
        asset = _id(data.get("assetId"))
        if asset is None:
            return None
        item = _id(data.get("itemId"))
        listing = _id(data.get("id"))
        if listing is not None:
            self._listing_ids.remember(listing, asset, item)
        return ListingChanged(
            market=self.market,
            received_at=now,
            action="changed" if changed else "added",
            listing_id=asset,
            market_hash_name=self._names.get(item) if item is not None else None,
            price=_price(data.get("newPrice" if changed else "price")),
            raw=raw,
        )

    def _added(
        self, now: datetime, data: Mapping[str, Any], raw: Mapping[str, Any]
    ) -> ListingChanged | None:
        return self._listed(now, data, raw, changed=False)

    def _changed(
        self, now: datetime, data: Mapping[str, Any], raw: Mapping[str, Any]
    ) -> ListingChanged | None:
        return self._listed(now, data, raw, changed=True)

    def _removed(
        self, now: datetime, data: Mapping[str, Any], raw: Mapping[str, Any]
    ) -> ListingChanged | None:
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
            received_at=now,
            action="removed",
            listing_id=asset or f"{units.UNRESOLVED_LISTING_PREFIX}{listing}",
            market_hash_name=self._names.get(item) if item is not None else None,
            raw=raw,
        )


_Reader = Callable[[ListingsFeed, datetime, Mapping[str, Any], Mapping[str, Any]], Event | None]

#: Event name -> reader; any other name (the buy-order events too) is an UnknownEvent.
_READERS: Mapping[str, _Reader] = {
    units.EVENT_LISTING_ADDED: ListingsFeed._added,
    units.EVENT_PRICE_CHANGED: ListingsFeed._changed,
    units.EVENT_LISTING_REMOVED: ListingsFeed._removed,
}


def _id(value: object) -> str | None:
    """An id as a string (a JSON string or integer), or None when absent or unreadable."""
    if value is None or isinstance(value, Decimal):
        return None
    try:
        text = _wire.to_str(value).strip()
    except TypeError:
        return None
    return text if text and len(text) <= 64 else None


def _price(cents: object) -> Money | None:
    """USD cents as Money, exact; None for a negative, fractional or unreadable amount."""
    if cents is None:
        return None
    try:
        return units.money(_wire.to_cents(cents))
    except TypeError:
        return None

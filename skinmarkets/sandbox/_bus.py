"""The sandbox's event bus: what the state's actions did, for the emulated sockets to push.

Every action of :class:`~skinmarkets.sandbox._state.State` that a vendor would announce on its
socket publishes one of these vendor-neutral records (snapshots: later changes to the state do
not alter them): a listing added, repriced or removed (:class:`ListingEvent`), a purchase of the
account made or moved along (:class:`PurchaseEvent`), one of the account's listings bought by a
third party (:class:`SaleEvent`), the balance set or moved (:class:`BalanceEvent`). Each open
socket subscribes to its vendor's records and turns them into that vendor's frames
(``_sockets.py``).

Publishing never blocks: it appends to each subscriber's queue (under the state lock, so the
order of the records is the order of the actions).
"""

from __future__ import annotations

import queue
import threading
from decimal import Decimal
from typing import Literal

import attrs

from skinmarkets._seconds import Seconds

__all__ = [
    "BalanceEvent",
    "Bus",
    "ListingEvent",
    "PurchaseEvent",
    "SaleEvent",
    "SandboxEvent",
    "Subscription",
]


@attrs.frozen
class ListingEvent:
    """An offer appeared on the market, changed price, or left it (bought, sold, delisted)."""

    vendor: str
    action: Literal["added", "changed", "removed"]
    offer_id: str
    asset_id: str
    market_hash_name: str
    app_id: int
    class_id: str
    instance_id: str
    price: Decimal  # major units of the market's currency (the new price when ``changed``)
    old_price: Decimal | None = None  # ``changed``: the price before
    own: bool = False  # one of the sandbox account's own listings


@attrs.frozen
class PurchaseEvent:
    """A purchase of the account was made or moved: ``status`` is where it is now.

    ``bought`` (paid, held by the market), ``sent`` (in a Steam offer, ``trade_id``),
    ``accepted`` (delivered), ``expired`` (the offer timed out: held again).
    """

    vendor: str
    status: Literal["bought", "sent", "accepted", "expired"]
    purchase_id: str
    custom_id: str | None
    offer_id: str
    asset_id: str
    market_hash_name: str
    class_id: str
    instance_id: str
    paid: Decimal
    trade_id: str | None = None
    bot_id: str | None = None
    recipient: str | None = None  # Market TM buy-for: the trade-link partner it went to


@attrs.frozen
class SaleEvent:
    """A third-party buyer bought one of the account's listings; ``credit`` is what it got."""

    vendor: str
    offer_id: str
    asset_id: str
    market_hash_name: str
    price: Decimal
    credit: Decimal
    purchase_id: str  # the account's item (``SandboxPurchase.id``) that was sold


@attrs.frozen
class BalanceEvent:
    """The account's balance is now ``balance`` (major units of ``currency``)."""

    vendor: str
    balance: Decimal
    currency: str


SandboxEvent = ListingEvent | PurchaseEvent | SaleEvent | BalanceEvent


class Subscription:
    """One subscriber's queue of one vendor's records; :meth:`get` waits for the next."""

    def __init__(self, bus: Bus, vendor: str) -> None:
        self.vendor = vendor
        self._bus = bus
        self._queue: queue.SimpleQueue[SandboxEvent | None] = queue.SimpleQueue()

    def __repr__(self) -> str:
        return f"Subscription({self.vendor!r})"

    def put(self, event: SandboxEvent) -> None:
        self._queue.put(event)

    def get(self, timeout: Seconds) -> SandboxEvent | None:
        """The next record, or None when none came within ``timeout`` seconds (or closed)."""
        try:
            return self._queue.get(timeout=timeout)
        except queue.Empty:
            return None

    def close(self) -> None:
        """Stop receiving (idempotent); a reader waiting in :meth:`get` wakes at once."""
        self._bus.unsubscribe(self)
        self._queue.put(None)


class Bus:
    """Subscribers per vendor; :meth:`publish` hands each record to every one of its vendor."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: dict[str, list[Subscription]] = {}

    def subscribe(self, vendor: str) -> Subscription:
        subscription = Subscription(self, vendor)
        with self._lock:
            self._subscribers.setdefault(vendor, []).append(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        with self._lock:
            found = self._subscribers.get(subscription.vendor, [])
            if subscription in found:
                found.remove(subscription)

    def subscribers(self, vendor: str) -> int:
        """How many subscriptions ``vendor`` has (open sockets)."""
        with self._lock:
            return len(self._subscribers.get(vendor, []))

    def publish(self, event: SandboxEvent) -> None:
        with self._lock:
            targets = list(self._subscribers.get(event.vendor, []))
        for subscription in targets:
            subscription.put(event)

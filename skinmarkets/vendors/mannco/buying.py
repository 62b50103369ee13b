"""Mannco.store buying: ``buy`` (on the shared buy flow, the price re-checked) and buy orders.

Mannco takes no custom id, no price cap and has no purchase lookup (mannco-api.md §16 "Missing:
a price guard or expected-price field, an idempotency key, and a purchase id"): ``buy`` says how
it makes up for each. A mixin of :class:`~skinmarkets.vendors.mannco.adapter.Mannco`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from skinmarkets import _checks
from skinmarkets._adapter import Adapter
from skinmarkets._purchases import Order, buy_once, check_order, held_purchase, no_longer_listed
from skinmarkets._seconds import Seconds
from skinmarkets.models import Listing, Purchase
from skinmarkets.money import Money
from skinmarkets.vendors.mannco import units
from skinmarkets.vendors.mannco.checks import check_name, price_in_cents
from skinmarkets.vendors.mannco.client import ManncoClient
from skinmarkets.vendors.mannco.item_ids import ItemIds

VENDOR = "mannco"
#: What to do after an ``OutcomeUnknown`` from a buy-order write (they cannot be looked up).
_SEE = "Check the item's buy orders on the site before trying again"


class Buying(Adapter):
    """``buy`` and the buy-order extras of the Mannco adapter."""

    # Provided by Mannco (set in its __init__).
    client: ManncoClient
    _now: Callable[[], Seconds]  # for tos_timestamp
    _item_ids: ItemIds  # names -> item ids (its ``item_id`` is ``resolve_item_id``)

    def buy(
        self,
        listing: Listing,
        *,
        max_price: Money | None = None,
        custom_id: str | None = None,
    ) -> Purchase:
        """Buy one listing with the on-site balance (POST /payment/mannco, type "items").

        As ``Marketplace.buy``. Mannco takes no price cap: the listing's current price is read
        again (GET /item/listing/{item}) right before paying, and a race between that read and
        the payment remains. It takes no custom id either: ``custom_id`` is kept in the write
        journal only. Never re-sent after a re-login. Besides a timeout, 5xx or garbled body,
        ``success`` missing or mistyped, "Failed to save transaction" and a token refused after
        the payment may have gone through are unclear answers, settled by searching the on-site
        inventory for the asset (bought items land there, state 0).
        """
        order = check_order(
            self, listing, max_price, custom_id, custom_id_length=units.CUSTOM_ID_MAX_LENGTH
        )
        return buy_once(
            self,
            order,
            send=self._send_buy,
            lookup=self._held_purchase,
            advice="Call buy again with custom_id {custom_id!r} to search again (it never pays "
            "twice), or check the on-site inventory later",
            read_price=self._current_price,
        )

    def _send_buy(self, order: Order) -> Purchase:
        """Pay for the listing at the price just read again (the payment carries no price)."""
        assert order.price_now is not None  # read by buy_once right before paying
        content = self.client.payment_mannco_items(
            [order.listing.id], tos_timestamp=int(self._now())
        )
        return held_purchase(self.name, order, order.price_now, content)

    def _current_price(self, listing: Listing) -> Money:
        """The listing's price now (its row on GET /item/listing), or ``ItemUnavailable``."""
        item_id = listing.raw.get("item_id")
        item = (
            str(item_id)
            if isinstance(item_id, int | str) and str(item_id)
            else self._item_ids.item_id(listing.market_hash_name, app_id=listing.app_id)
        )
        for page in range(units.MAX_PAGES):
            rows = self.client.item_listing(item, page=page).values
            for row in rows:
                if row.assetId == listing.id:
                    return units.money(row.price)
            if len(rows) < units.LISTING_PAGE_SIZE:
                break
        raise no_longer_listed(VENDOR, "listing", listing.id)

    def _held_purchase(self, order: Order) -> Purchase | None:
        """The purchase of the order's listing (at its listed price) if an on-site inventory
        group holds its asset."""
        for group in self.client.inventory_on_inventory().items:
            if order.listing.id in group.asset_ids:
                return held_purchase(self.name, order, order.listing.price, group.raw)
        return None

    # ------------------------------------------------------------------ buy orders (§10)

    def create_buy_order(self, market_hash_name: str, price: Money, *, amount: int = 1) -> None:
        """A standing limit order (POST /item/buyorder): fills when a seller lists at ``price``
        or less; reserves ``price × amount`` of the balance [docs]. One order per item."""
        self._buy_order(
            "create_buy_order", self.client.item_buyorder_create, market_hash_name, price, amount
        )

    def update_buy_order(self, market_hash_name: str, price: Money, *, amount: int = 1) -> None:
        """Change the price or amount of the buy order on one item (POST /item/buyorder/update)."""
        self._buy_order(
            "update_buy_order", self.client.item_buyorder_update, market_hash_name, price, amount
        )

    def cancel_buy_order(self, market_hash_name: str) -> None:
        """Remove the buy order on one item (POST /item/buyorder/remove); frees the reserve."""
        item = self._item_ids.item_id(check_name(market_hash_name, "cancel_buy_order"))
        self._send_once(
            "cancel_buy_order", lambda: self.client.item_buyorder_remove(item), advice=_SEE
        )

    def _buy_order(
        self, operation: str, send: Callable[..., Any], name: object, price: object, amount: object
    ) -> None:
        """Create or update a buy order: sent once; an unclear answer is ``OutcomeUnknown``."""
        cents = price_in_cents(price, operation)
        count = _checks.check_count(VENDOR, amount, "amount", operation)
        item = self._item_ids.item_id(check_name(name, operation))
        self._send_once(
            operation, lambda: send(item_id=item, value=cents, amount=count), advice=_SEE
        )

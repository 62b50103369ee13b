"""Mannco.store buying: ``buy`` (on the shared buy flow, the price re-checked) and buy orders.

Mannco takes no custom id, no price cap and has no purchase lookup (mannco-api.md §16 "Missing:
a price guard or expected-price field, an idempotency key, and a purchase id"); how ``buy``
makes up for each is in :mod:`skinmarkets._purchases` (a lost answer is settled by looking for
the asset in the on-site inventory: bought items land there, state 0). A mixin of
:class:`~skinmarkets.vendors.mannco.adapter.Mannco`.
"""

from __future__ import annotations

from collections.abc import Callable

from skinmarkets import _checks
from skinmarkets._adapter import Adapter
from skinmarkets._purchases import Order, buy_once, check_order, held_purchase, no_longer_listed
from skinmarkets._seconds import Seconds
from skinmarkets._writes import write_once
from skinmarkets.models import Listing, Purchase
from skinmarkets.money import Money
from skinmarkets.vendors.mannco import units
from skinmarkets.vendors.mannco.checks import check_name, price_in_cents
from skinmarkets.vendors.mannco.client import ManncoClient
from skinmarkets.vendors.mannco.errors import AMBIGUOUS_AFTER_WRITE
from skinmarkets.vendors.mannco.item_ids import ItemIds

VENDOR = "mannco"


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

        Never pays more than ``max_price`` (default: the listing's price): refused locally when
        the listing already costs more; otherwise the listing's current price is read again
        (GET /item/listing/{item}) and a dearer or vanished listing is refused before anything is
        paid. A race between that re-check and the payment remains (Mannco takes no price cap).
        ``custom_id`` (generated when not given) is kept in the process's write journal: a second
        ``buy`` with it returns the first purchase without paying again (another listing under it
        is ``DuplicateCustomId``). Never retried, never re-sent after a re-login: an answer that
        is neither an understood success nor a well-formed refusal (timeout, 5xx, a garbled body,
        ``success`` missing or mistyped, "Failed to save transaction", a token refused after the
        payment may have gone through) is settled by searching the on-site inventory for the
        asset; found -> the purchase, otherwise ``OutcomeUnknown`` (a later ``buy`` with the
        same ``custom_id`` searches again instead of paying).
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
            price_now=self._current_price,
            ambiguous_codes=AMBIGUOUS_AFTER_WRITE,
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
        cents = price_in_cents(price, "create_buy_order")
        _checks.check_count(VENDOR, amount, "amount", "create_buy_order")
        item = self._item_ids.item_id(check_name(market_hash_name, "create_buy_order"))
        _send_once(
            "create_buy_order",
            lambda: self.client.item_buyorder_create(item_id=item, value=cents, amount=amount),
        )

    def update_buy_order(self, market_hash_name: str, price: Money, *, amount: int = 1) -> None:
        """Change the price or amount of the buy order on one item (POST /item/buyorder/update)."""
        cents = price_in_cents(price, "update_buy_order")
        _checks.check_count(VENDOR, amount, "amount", "update_buy_order")
        item = self._item_ids.item_id(check_name(market_hash_name, "update_buy_order"))
        _send_once(
            "update_buy_order",
            lambda: self.client.item_buyorder_update(item_id=item, value=cents, amount=amount),
        )

    def cancel_buy_order(self, market_hash_name: str) -> None:
        """Remove the buy order on one item (POST /item/buyorder/remove); frees the reserve."""
        item = self._item_ids.item_id(check_name(market_hash_name, "cancel_buy_order"))
        _send_once("cancel_buy_order", lambda: self.client.item_buyorder_remove(item))


def _send_once(operation: str, send: Callable[[], object]) -> None:
    """A buy-order write: sent once; an unclear answer is ``OutcomeUnknown`` (no lookup)."""
    write_once(
        vendor=VENDOR,
        operation=operation,
        send=send,
        lookup=None,
        advice="Check the item's buy orders on the site before trying again",
    )

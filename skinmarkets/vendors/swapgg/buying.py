"""swap.gg buying: ``buy`` on the shared buy flow, with the cap re-checked before paying.

swap.gg takes no custom id, no price cap and has no purchase lookup: ``buy`` says how it makes
up for each. A mixin of :class:`~skinmarkets.vendors.swapgg.adapter.SwapGG`.
"""

from __future__ import annotations

import logging
from typing import Any

from skinmarkets import errors
from skinmarkets._adapter import Adapter
from skinmarkets._purchases import Order, buy_once, check_order, held_purchase, no_longer_listed
from skinmarkets._writes import not_understood
from skinmarkets.models import Listing, Purchase
from skinmarkets.money import Money
from skinmarkets.vendors.swapgg import browse, units
from skinmarkets.vendors.swapgg.client import SwapGGClient

VENDOR = "swapgg"
log = logging.getLogger(f"skinmarkets.{VENDOR}")


class Buying(Adapter):
    """``buy`` of the swap.gg adapter."""

    client: SwapGGClient  # provided by SwapGG

    def buy(
        self,
        listing: Listing,
        *,
        max_price: Money | None = None,
        custom_id: str | None = None,
    ) -> Purchase:
        """Buy one listing (sales/purchase); never sent when it costs more than ``max_price``.

        As ``Marketplace.buy``. swap.gg takes no price cap: the sale's current price is read
        again (sales/browse) right before paying. A reprice between that read and the payment
        can still charge more (swap.gg charges the price at the time of purchase): the purchase
        is then returned with the price really paid and a WARNING names both prices. It takes
        no custom id either: ``custom_id`` is kept in the write journal only. ``{}``,
        INTERNAL_ERROR and DATABASE_ERROR are unclear answers too, settled by searching the
        on-site inventory for the item.
        """
        order = check_order(
            self, listing, max_price, custom_id, custom_id_length=units.CUSTOM_ID_MAX_LENGTH
        )
        return buy_once(
            self,
            order,
            send=self._send_buy,
            lookup=self._held_purchase,
            advice="Call buy again with custom_id {custom_id!r} to search again (it never "
            "re-sends), or check the on-site inventory later",
            read_price=self._current_price,
            dearer="sale {listing_id!r} now costs",
        )

    def _send_buy(self, order: Order) -> Purchase:
        listing, cap = order.listing, order.cap
        answer = self.client.sales_purchase([listing.id])
        if listing.id not in answer.saleIds:
            if answer.purchaseAmount == 0 and not answer.saleIds:
                # A well-formed "nothing bought": OK, no sale id, nothing charged.
                raise errors.ItemUnavailable(
                    f"buy refused: sale {listing.id!r} was not bought (sold or "
                    "delisted meanwhile); nothing was charged",
                    vendor=VENDOR,
                    operation="buy",
                    code="not_purchased",
                    raw=answer.raw,
                )
            raise not_understood(VENDOR, "buy", answer.raw, "the sale id is not in saleIds")
        paid = units.money(answer.purchaseAmount)
        if paid > cap:
            log.warning(
                "swapgg: sale %s was charged %s, more than max_price %s (repriced between "
                "the price check and the payment)",
                listing.id,
                paid,
                cap,
            )
        return held_purchase(self.name, order, paid, answer.raw)

    def _current_price(self, listing: Listing) -> Money:
        """The sale's price now (sales/browse by its name), or ``ItemUnavailable``."""
        filters: dict[str, Any] = {
            "appId": str(listing.app_id),
            "marketName": listing.market_hash_name,
            "sort": units.SORT_CHEAPEST_FIRST,
        }
        for item in browse.pages(self.client.sales_browse, filters, want=None):
            if item.sale is not None and item.sale.saleId == listing.id:
                return units.money(item.sale.price)
        raise no_longer_listed(VENDOR, "sale", listing.id)

    def _held_purchase(self, order: Order) -> Purchase | None:
        """The purchase of the order's listing (at its listed price) if its item is in the
        on-site inventory, matched by swap.gg item id or Steam asset id."""
        listing = order.listing
        item_id = listing.raw.get("itemId")
        filters = {"marketName": listing.market_hash_name, "appId": str(listing.app_id)}
        for item in browse.inventory(self.client, filters):
            if (isinstance(item_id, str) and item.itemId == item_id) or (
                listing.asset_id is not None and item.assetId == listing.asset_id
            ):
                return held_purchase(self.name, order, listing.price, item.raw)
        return None

    def _bought_listing(self, purchase: Purchase) -> Listing | None:
        return self._journal.listing_of(purchase.id)

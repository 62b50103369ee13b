"""swap.gg buying: ``buy`` through the one write flow, with the cap re-checked before paying.

swap.gg takes no custom id, no price cap and has no purchase lookup, so (the flow itself is
:func:`skinmarkets._writes.write_once`): what a ``custom_id`` bought is kept in the process's
write journal (shared by every market object with the same key and origin); the sale's current
price is read again right before paying and a dearer one is ``PriceExceeded``; and a lost answer
is settled by searching the on-site inventory for the item. A mixin of
:class:`~skinmarkets.vendors.swapgg.adapter.SwapGG`.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from skinmarkets import _checks, errors
from skinmarkets._purchases import held_purchase, no_longer_listed
from skinmarkets._writes import WriteJournal, not_understood, target_of, write_once
from skinmarkets.models import Listing, Purchase
from skinmarkets.money import Money
from skinmarkets.protocol import Capabilities
from skinmarkets.vendors.swapgg import browse, units
from skinmarkets.vendors.swapgg.client import SwapGGClient
from skinmarkets.vendors.swapgg.errors import AMBIGUOUS_AFTER_WRITE

VENDOR = "swapgg"
log = logging.getLogger(f"skinmarkets.{VENDOR}")


class Buying:
    """``buy`` of the swap.gg adapter."""

    # Provided by SwapGG (set in its __init__).
    _journal: WriteJournal  # the store's write journal (skinmarkets._store)
    client: SwapGGClient
    capabilities: Capabilities
    name: str

    def buy(
        self,
        listing: Listing,
        *,
        max_price: Money | None = None,
        custom_id: str | None = None,
    ) -> Purchase:
        """Buy one listing (sales/purchase); never sent when it costs more than ``max_price``.

        swap.gg takes no price cap, so the cap is checked against the listing and then against
        the sale's current price, read again (sales/browse) right before paying: a sale that got
        dearer is ``PriceExceeded`` and one that is gone ``ItemUnavailable``, nothing paid. A
        reprice between that read and the payment can still charge more (swap.gg charges the
        price at the time of purchase): the purchase is then returned with the price really paid
        and a WARNING names both prices. swap.gg takes no custom id either, so ``custom_id``
        (generated when not given) is kept in the process's write journal: ``buy`` with a known
        ``custom_id`` returns its purchase without sending (another listing under it is
        ``DuplicateCustomId``). Never retried: an answer that is neither an understood success
        nor a well-formed refusal (timeout, 5xx, a garbled body, ``{}``, INTERNAL_ERROR /
        DATABASE_ERROR) is settled by searching the on-site inventory for the item; found -> the
        purchase, otherwise ``OutcomeUnknown`` (a later ``buy`` with the same ``custom_id``
        searches again instead of buying).
        """
        listing, cap = _checks.check_buy(
            VENDOR, self.name, listing, max_price, currencies=self.capabilities.currencies
        )
        custom_id = _checks.check_custom_id(
            VENDOR, custom_id, max_length=units.CUSTOM_ID_MAX_LENGTH
        )

        def precheck() -> None:
            price = self._current_price(listing)
            if price > cap:
                raise errors.PriceExceeded(
                    f"buy refused locally: sale {listing.id!r} now costs {price}, more "
                    f"than max_price {cap}; nothing was paid",
                    price=price.amount,
                    max_price=cap.amount,
                    vendor=VENDOR,
                    operation="buy",
                )

        def send() -> Purchase:
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
            return self._purchase(custom_id, listing, paid, answer.raw)

        return write_once(
            vendor=VENDOR,
            operation="buy",
            send=send,
            lookup=lambda: self._held_purchase(custom_id, listing),
            custom_id=custom_id,
            journal=self._journal,
            target=target_of(listing),
            ambiguous_codes=AMBIGUOUS_AFTER_WRITE,
            precheck=precheck,
            listing=listing,
            advice=f"Call buy again with custom_id {custom_id!r} to search again (it never "
            "re-sends), or check the on-site inventory later",
        )

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

    def _purchase(
        self, custom_id: str, listing: Listing, price: Money, raw: Mapping[str, Any]
    ) -> Purchase:
        return held_purchase(self.name, custom_id, listing, price, raw)

    def _held_purchase(self, custom_id: str, listing: Listing) -> Purchase | None:
        """The purchase of ``listing`` (at its listed price) if its item is in the on-site
        inventory, matched by swap.gg item id or Steam asset id."""
        item_id = listing.raw.get("itemId")
        filters = {"marketName": listing.market_hash_name, "appId": str(listing.app_id)}
        for item in browse.inventory(self.client, filters):
            if (isinstance(item_id, str) and item.itemId == item_id) or (
                listing.asset_id is not None and item.assetId == listing.asset_id
            ):
                return self._purchase(custom_id, listing, listing.price, item.raw)
        return None

    def _bought_listing(self, purchase: Purchase) -> Listing | None:
        return self._journal.listing_of(purchase.id)

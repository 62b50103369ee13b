"""swap.gg buying: ``buy``, its local idempotency by ``custom_id`` and its reconciliation.

swap.gg takes no custom id and has no purchase lookup, so what a ``custom_id`` bought is
remembered by the market object (``SwapGG._buys``, a ``BuyMemory``) and a lost answer is settled
by searching the on-site inventory (``BuyMemory.settle_by_search``; the search is here). A mixin
of :class:`~skinmarkets.vendors.swapgg.adapter.SwapGG`, which owns the state.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from skinmarkets import _checks, errors
from skinmarkets._idempotency import BuyMemory, SearchWords
from skinmarkets.models import Listing, Purchase, TradeStatus
from skinmarkets.money import Money
from skinmarkets.vendors.swapgg import units, wire
from skinmarkets.vendors.swapgg.client import SwapGGClient
from skinmarkets.vendors.swapgg.errors import AMBIGUOUS_AFTER_WRITE

VENDOR = "swapgg"
log = logging.getLogger(f"skinmarkets.{VENDOR}")
SEARCH_WORDS = SearchWords(
    listing="sale",
    item="item",
    # swap.gg also settles an answer that was not lost but left the sale's fate open.
    no_cause="an answer that did not settle it",
    promise="it never re-sends",
)


class Buying:
    """``buy`` of the swap.gg adapter, with the memory of what each ``custom_id`` bought."""

    # Provided by SwapGG (set in its __init__).
    client: SwapGGClient
    name: str
    # custom_id -> purchase (with its listing, so withdraw(purchases) can find its item).
    _buys: BuyMemory

    if TYPE_CHECKING:

        def _inventory(self, filters: Mapping[str, Any] | None = None) -> list[wire.Item]: ...

    def buy(
        self,
        listing: Listing,
        *,
        max_price: Money | None = None,
        custom_id: str | None = None,
    ) -> Purchase:
        """Buy one listing (sales/purchase); never sent when it costs more than ``max_price``.

        swap.gg takes no price cap and no custom id, so the cap is checked here against the
        listing's price before anything is sent, and ``custom_id`` (generated when not given) is
        only remembered by this object: a second ``buy`` with it returns the first purchase
        without sending anything. Never retried: when the answer is lost (timeout, 5xx, a garbled
        body, INTERNAL_ERROR/DATABASE_ERROR) the on-site inventory is searched for the item; found
        -> the purchase, otherwise ``OutcomeUnknown`` (a later ``buy`` with the same ``custom_id``
        searches again instead of buying). swap.gg charges the sale's price at the time of the
        purchase; should ``purchaseAmount`` exceed ``max_price`` (the seller repriced meanwhile),
        the purchase is returned with the price really paid and a warning is logged.
        """
        operation = "buy"
        listing, cap = _checks.check_buy(VENDOR, self.name, listing, max_price)
        custom_id = _checks.check_custom_id(
            VENDOR, custom_id, max_length=units.CUSTOM_ID_MAX_LENGTH
        )
        known = self._buys.claim_or_settle(custom_id, self._held_purchase, words=SEARCH_WORDS)
        if known is not None:
            return known
        try:
            answer = self.client.sales_purchase([listing.id])
        except (errors.OutcomeUnknown, errors.UnexpectedResponse) as exc:
            return self._prove(custom_id, listing, cause=exc)
        except errors.SkinMarketsError as exc:
            if isinstance(exc.code, str) and exc.code in AMBIGUOUS_AFTER_WRITE:
                return self._prove(custom_id, listing, cause=exc)
            self._buys.settle(custom_id, None)  # a refusal: nothing was bought, the id is free
            raise
        except BaseException:
            self._buys.settle(custom_id, None)
            raise
        if listing.id not in answer.saleIds:
            if answer.purchaseAmount == 0:
                self._buys.settle(custom_id, None)
                raise errors.ItemUnavailable(
                    f"{VENDOR}: buy refused: sale {listing.id!r} was not bought (sold or "
                    "delisted meanwhile); nothing was charged",
                    vendor=VENDOR,
                    operation=operation,
                    code="not_purchased",
                    raw=answer.raw,
                )
            return self._prove(custom_id, listing, cause=None)
        paid = units.money(answer.purchaseAmount)
        if paid > cap:
            log.warning(
                "swapgg: sale %s was charged %s, more than max_price %s (repriced after listing)",
                listing.id,
                paid,
                cap,
            )
        purchase = self._purchase(custom_id, listing, paid, answer.raw)
        self._buys.settle(custom_id, purchase, listing)
        return purchase

    def _purchase(
        self, custom_id: str, listing: Listing, price: Money, raw: Mapping[str, Any]
    ) -> Purchase:
        return Purchase(
            market=self.name,
            id=listing.id,
            custom_id=custom_id,
            market_hash_name=listing.market_hash_name,
            price=price,
            status=TradeStatus.PENDING,  # in the on-site inventory until withdrawn
            created_at=datetime.now(tz=UTC),
            raw=raw,
        )

    def _prove(
        self, custom_id: str, listing: Listing, *, cause: errors.SkinMarketsError | None
    ) -> Purchase:
        """After a lost answer: the purchase if the item is in the on-site inventory, else
        ``OutcomeUnknown`` (a failed search proves nothing either way)."""
        return self._buys.settle_by_search(
            custom_id, listing, self._held_purchase, cause=cause, words=SEARCH_WORDS
        )

    def _held_purchase(self, custom_id: str, listing: Listing) -> Purchase | None:
        """The purchase of ``listing`` (at its listed price) if its item is in the on-site
        inventory, matched by swap.gg item id or Steam asset id."""
        item_id = listing.raw.get("itemId")
        filters = {"marketName": listing.market_hash_name, "appId": str(listing.app_id)}
        for item in self._inventory(filters):
            if (isinstance(item_id, str) and item.itemId == item_id) or (
                listing.asset_id is not None and item.assetId == listing.asset_id
            ):
                return self._purchase(custom_id, listing, listing.price, item.raw)
        return None

    def _bought_listing(self, purchase: Purchase) -> Listing | None:
        return self._buys.listing_of(purchase.id)

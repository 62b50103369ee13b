"""Market TM buying: ``buy`` with its reconciliation, and ``PurchaseLookup`` (get-buy-info).

A mixin of :class:`~skinmarkets.vendors.market_tm.adapter.MarketTM`; it holds no state of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import ROUND_DOWN

from skinmarkets import errors
from skinmarkets._adapter import Adapter
from skinmarkets._purchases import Order, buy_once, check_order
from skinmarkets._trades import sent_if_offered
from skinmarkets._writes import not_understood
from skinmarkets.models import Listing, Purchase, TradeStatus
from skinmarkets.money import Money
from skinmarkets.vendors.market_tm import units, wire
from skinmarkets.vendors.market_tm.client import MarketTMClient

VENDOR = "market_tm"


class Buying(Adapter):
    """``buy``, ``get_purchase`` and ``get_purchases`` of the Market TM adapter."""

    client: MarketTMClient  # provided by MarketTM

    def buy(
        self,
        listing: Listing,
        *,
        max_price: Money | None = None,
        custom_id: str | None = None,
    ) -> Purchase:
        """Buy one listing; never pays more than ``max_price``; one ``custom_id``, one purchase.

        As ``Marketplace.buy``. The cap is sent as TM's ``price`` (minor units of the account
        currency, rounded down, so a cap of 3.5739 USD becomes 3573). ``custom_id`` is always
        sent, so TM itself refuses a second purchase with it ("this custom_id exist"). An answer
        with ``success`` missing or not ``true``, or no item id, is unclear too; a lost purchase
        is looked up with get-buy-info-by-custom-id.
        """
        order = check_order(
            self, listing, max_price, custom_id, custom_id_length=units.CUSTOM_ID_MAX_LENGTH
        )
        return buy_once(
            self,
            order,
            send=self._send_buy,
            lookup=self._find_purchase,
            advice="Check get_purchase({custom_id!r}) later, or call buy again with the same "
            "custom_id: it only looks the purchase up, it never sends it again",
            keep_listing=False,
        )

    def _send_buy(self, order: Order) -> Purchase:
        listing, cap = order.listing, order.cap
        price = cap.to_minor(scale=units.scale(cap.currency), rounding=ROUND_DOWN)
        answer = self.client.buy(id=listing.id, price=price, custom_id=order.custom_id)
        if answer.raw.get("success") is not True:
            raise not_understood(VENDOR, "buy", answer.raw, "success is not true")
        return Purchase(
            market=self.name,
            id=answer.id,
            custom_id=order.custom_id,
            market_hash_name=listing.market_hash_name,
            price=listing.price,
            status=TradeStatus.PENDING,
            created_at=datetime.now(tz=UTC),
            raw=answer.raw,
        )

    def _find_purchase(self, order: Order) -> Purchase | None:
        """The purchase TM knows by the order's ``custom_id``, or None when it knows none (yet)."""
        try:
            return self.get_purchase(order.custom_id)
        except errors.ItemUnavailable:
            return None

    def get_purchase(self, custom_id: str) -> Purchase:
        """The purchase made with ``custom_id`` (get-buy-info-by-custom-id)."""
        if not isinstance(custom_id, str) or not custom_id:
            raise errors.InvalidRequest(
                f"get_purchase needs the custom_id given to buy, got {custom_id!r}",
                vendor=VENDOR,
                operation="get_purchase",
            )
        return self._purchase(custom_id, self.client.get_buy_info_by_custom_id(custom_id))

    def get_purchases(self, custom_ids: Sequence[str]) -> dict[str, Purchase]:
        """Several purchases at once (get-list-buy-info-by-custom-id); unknown ids are absent."""
        found = self.client.get_list_buy_info_by_custom_id(list(custom_ids))
        return {cid: self._purchase(cid, info) for cid, info in found.items()}

    def _purchase(self, custom_id: str, info: wire.BuyInfo) -> Purchase:
        status = units.STAGE_STATUS.get(info.stage, TradeStatus.PENDING)
        return Purchase(
            market=self.name,
            id=info.item_id,
            custom_id=custom_id,
            market_hash_name=info.market_hash_name or "",
            price=Money(info.paid, info.currency),  # get-buy-info "paid": major units
            status=sent_if_offered(status, info.trade_id),
            trade_offer_id=info.trade_id,
            created_at=units.utc(info.time),
            raw=info.raw,
        )

"""SkinsBack buying: ``buy``, ``buy_many`` (market_batch_buy), ``get_purchase`` and the lookups.

SkinsBack takes both a price cap (``max_price``) and an idempotency key (``custom_id``: "a
duplicate is rejected with code 7"), and finds purchases by ``custom_ids`` (market_getinfo), so
``buy`` sends both and settles a lost answer by that lookup. A mixin of
:class:`~skinmarkets.vendors.skinsback.adapter.Skinsback`.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from decimal import Decimal

from skinmarkets import _checks, errors
from skinmarkets._adapter import Adapter
from skinmarkets._batch import BatchItemResult as BatchItemResult  # importable from here
from skinmarkets._batch import BatchOrder as BatchOrder
from skinmarkets._batch import buy_many_once, check_orders
from skinmarkets._purchases import Order, buy_once, check_order
from skinmarkets._wire import unix_utc
from skinmarkets.models import Listing, Purchase
from skinmarkets.money import Money
from skinmarkets.vendors.skinsback import units, wire
from skinmarkets.vendors.skinsback.checks import TradeUrl, check_custom_id
from skinmarkets.vendors.skinsback.client import SkinsbackClient
from skinmarkets.vendors.skinsback.errors import refusal

VENDOR = "skinsback"


def purchase_from(
    market: str, info: wire.BuyInfo, *, custom_id: str | None, listing: Listing | None = None
) -> Purchase:
    """A shared ``Purchase`` from one SkinsBack purchase record.

    ``price`` is ``balance_debited_sum`` ("Store this amount, not item.price"), the item's price
    only when the record has none.
    """
    item = info.item
    amount: Decimal | None = info.balance_debited_sum
    if amount is None and item is not None:
        amount = item.price
    if amount is None and listing is not None:
        amount = listing.price.amount
    name = item.name if item is not None and item.name else None
    if name is None and listing is not None:
        name = listing.market_hash_name
    created = unix_utc(info.date) or datetime.now(tz=UTC)  # out of range: raw keeps it
    return Purchase(
        market=market,
        id=info.buy_id,
        custom_id=info.custom_id or custom_id,
        market_hash_name=name or "",
        price=units.money(amount if amount is not None else Decimal(0)),
        status=units.offer_status(
            info.offer_status, in_hold=bool(info.in_hold), has_offer=bool(info.tradeofferid)
        ),
        trade_offer_id=info.tradeofferid or None,
        created_at=created,
        raw=info.raw,
    )


class Buying(Adapter):
    """``buy``, ``buy_many``, ``get_purchase`` of the SkinsBack adapter."""

    # Provided by Skinsback (set in its __init__).
    client: SkinsbackClient
    _trade_url: TradeUrl | None

    def _recipient(self, operation: str) -> TradeUrl:
        if self._trade_url is None:
            raise errors.ConfigurationError(
                f"{VENDOR}: {operation} needs trade_url (SkinsBack sends the item straight to a "
                "Steam trade URL): connect with trade_url='https://steamcommunity.com/"
                "tradeoffer/new/?partner=…&token=…'",
                vendor=VENDOR,
                operation=operation,
            )
        return self._trade_url

    def _order(
        self, listing: object, max_price: object, custom_id: object, operation: str
    ) -> Order:
        return check_order(
            self,
            listing,
            max_price,
            custom_id,
            custom_id_length=units.CUSTOM_ID_MAX_LENGTH,
            unpadded=True,  # SkinsBack would strip the spaces, then not find the id again
            operation=operation,
        )

    def buy(
        self,
        listing: Listing,
        *,
        max_price: Money | None = None,
        custom_id: str | None = None,
    ) -> Purchase:
        """Buy one listing (market_buy) and have it sent to ``trade_url``; never above the cap.

        As ``Marketplace.buy``. ``max_price`` is checked here and sent, rounded down to the cent.
        ``custom_id`` is sent (with no surrounding spaces): SkinsBack refuses a second purchase
        with it (code 7). An answer without ``status`` is unclear too; a lost purchase is looked
        up by ``custom_id`` (market_getinfo). ``price`` is ``balance_debited_sum``, what
        SkinsBack really took.
        """
        order = self._order(listing, max_price, custom_id, "buy")
        recipient = self._recipient("buy")

        def send(order: Order) -> Purchase:
            info = self.client.market_buy(
                partner=recipient.partner,
                token=recipient.token,
                id=order.listing.id,
                max_price=units.money_text(order.cap),
                custom_id=order.custom_id,
            )
            return self._purchase(info, order)

        return buy_once(
            self,
            order,
            send=send,
            lookup=self._found,
            advice="Call get_purchase({custom_id!r}) later, or buy again with the same "
            "custom_id (it looks the purchase up and never re-sends)",
        )

    def _purchase(self, info: wire.BuyInfo, order: Order) -> Purchase:
        return purchase_from(self.name, info, custom_id=order.custom_id, listing=order.listing)

    def _found(self, order: Order) -> Purchase | None:
        """The purchase SkinsBack knows by the order's ``custom_id``, or None."""
        found = self._lookup([order.custom_id]).get(order.custom_id)
        return None if found is None else self._purchase(found, order)

    def _lookup(self, custom_ids: Sequence[str]) -> dict[str, wire.BuyInfo]:
        """The purchases of these ``custom_ids`` that SkinsBack knows ("offer_not_found": none)."""
        try:
            found = self.client.market_getinfo_many(custom_ids=list(custom_ids))
        except errors.ItemUnavailable:
            return {}
        wanted = set(custom_ids)
        result: dict[str, wire.BuyInfo] = {}
        for info in found.items:
            if info.custom_id in wanted:
                result[info.custom_id] = info
            elif len(custom_ids) == 1 and info.custom_id is None:
                result[custom_ids[0]] = info  # asked for one id: the answer is its purchase
        return result

    def get_purchase(self, custom_id: str) -> Purchase:
        """The purchase made with ``custom_id`` (market_getinfo); ``ItemUnavailable`` if none."""
        custom_id = check_custom_id(custom_id, "get_purchase") if custom_id is not None else ""
        if not custom_id:
            raise _checks.invalid(VENDOR, "get_purchase", "custom_id is required")
        found = self._lookup([custom_id]).get(custom_id)
        if found is None:
            raise errors.ItemUnavailable(
                f"no purchase has custom_id {custom_id!r}",
                vendor=VENDOR,
                operation="get_purchase",
                code="offer_not_found",
            )
        return purchase_from(self.name, found, custom_id=custom_id)

    def buy_many(self, orders: Sequence[Listing | BatchOrder]) -> list[BatchItemResult]:
        """Buy several listings in one request (market_batch_buy), all sent to ``trade_url``.

        Each order is a ``Listing`` (capped at its price) or a :class:`BatchOrder`. Every item is
        checked before anything is sent, gets a ``custom_id`` and its cap. A batch can partly
        succeed: the result holds one :class:`BatchItemResult` per order, in order, with the
        ``Purchase`` or the error of that item. The write rules of ``buy`` hold per item
        (:mod:`skinmarkets._batch`): a ``custom_id`` already done or ambiguous is never sent
        again. Items the answer does not settle (every item when the answer is lost or not
        understood) are looked up by ``custom_id``; those still not found carry
        ``OutcomeUnknown``. A well-formed refusal of the whole request (bad signature, rate
        limit) is raised: nothing was bought.
        """
        operation = "buy_many"
        checked = check_orders(self, orders, functools.partial(self._order, operation=operation))
        if not checked:
            return []
        return buy_many_once(
            self,
            checked,
            send=functools.partial(self._send_batch, self._recipient(operation)),
            read=self._settled,
            lookup=self._lookup,
            purchase=self._purchase,
            advice="call get_purchase({custom_id!r}) later, or buy_many again with the same "
            "custom_id (it looks it up and never re-sends)",
        )

    def _send_batch(self, recipient: TradeUrl, orders: Sequence[Order]) -> wire.BatchResult:
        items = [
            {
                "id": order.listing.id,
                "max_price": units.money_text(order.cap),
                "custom_id": order.custom_id,
            }
            for order in orders
        ]
        return self.client.market_batch_buy(
            partner=recipient.partner, token=recipient.token, items=items
        )

    def _settled(
        self, answer: wire.BatchResult, orders: Sequence[Order]
    ) -> Iterator[tuple[str | None, wire.BuyInfo | errors.SkinMarketsError]]:
        """What the answer settles: each purchase, then each ``unavailable`` item's refusal."""
        by_id = {order.listing.id: order.custom_id for order in orders}
        for info in answer.purchased:
            yield (
                info.custom_id or by_id.get(info.item.id if info.item and info.item.id else ""),
                info,
            )
        for entry in answer.unavailable:
            yield self._unavailable(entry, by_id)

    @staticmethod
    def _unavailable(
        entry: object, by_id: dict[str, str]
    ) -> tuple[str | None, errors.SkinMarketsError]:
        """One ``unavailable`` entry (an id, or an object with id/custom_id and a reason)."""
        if isinstance(entry, dict):
            raw_id, custom_id = entry.get("id"), entry.get("custom_id")
            code = entry.get("error_code")
            reason = entry.get("error_message") or entry.get("reason") or entry.get("error")
        else:
            raw_id, custom_id, code, reason = entry, None, None, None
        key = custom_id if isinstance(custom_id, str) else None
        if key is None and isinstance(raw_id, str | int) and not isinstance(raw_id, bool):
            key = by_id.get(str(raw_id))
        error = refusal(
            "market_batch_buy",
            code=code if isinstance(code, int | str) and not isinstance(code, bool) else None,
            message=reason if isinstance(reason, str) else "skin_unavailable",
            raw=entry if isinstance(entry, dict) else {"unavailable": entry},
        )
        return key, error

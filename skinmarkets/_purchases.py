"""The buy flow of every vendor, and what buying on a market with an on-site inventory makes.

A vendor's ``buy`` is :func:`check_order` (every refusal raised before anything is sent) then
:func:`buy_once`, which sends it through :func:`skinmarkets._writes.write_once` with the
``custom_id`` claimed in the store's journal: sent at most once, never retried; an answer that
is neither an understood success nor a well-formed refusal is looked up, and ``OutcomeUnknown``
when the lookup cannot tell. The vendor supplies only its request and answer reader (``send``)
and its lookup.

Where the vendor takes no price cap (swap.gg, Mannco), the listing's current price is read again
after the claim and right before paying: a dearer listing is ``PriceExceeded`` and a vanished one
``ItemUnavailable`` (:func:`no_longer_listed`), nothing paid. Where it takes no ``custom_id``
either, the journal alone remembers what each id bought. Items bought there wait in the on-site
inventory (:func:`held_purchase`) until :func:`withdraw_held` sends them to Steam.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

import attrs

from skinmarkets import _checks, errors
from skinmarkets._adapter import Adapter
from skinmarkets._writes import target_of, write_once
from skinmarkets.models import Listing, Purchase, Trade, TradeStatus
from skinmarkets.money import Money

__all__ = [
    "Order",
    "buy_once",
    "check_order",
    "held_purchase",
    "no_longer_listed",
    "too_dear",
    "withdraw_held",
]


@attrs.frozen
class Order:
    """One buy, checked: the listing, the most it may cost, its ``custom_id``, and the price
    read again right before paying (where the vendor takes no cap)."""

    listing: Listing
    cap: Money
    custom_id: str
    price_now: Money | None = None


def check_order(
    market: Adapter,
    listing: object,
    max_price: object,
    custom_id: object,
    *,
    custom_id_length: int,
    unpadded: bool = False,
    operation: str = "buy",
) -> Order:
    """The order to buy ``listing`` under ``max_price`` (:func:`_checks.check_buy`) with
    ``custom_id`` (:func:`_checks.check_custom_id`; a new one for None); refused before sending."""
    listing, cap = _checks.check_buy(
        market.vendor,
        market.name,
        listing,
        max_price,
        currencies=market.capabilities.currencies,
        operation=operation,
    )
    custom_id = _checks.check_custom_id(
        market.vendor,
        custom_id,
        max_length=custom_id_length,
        operation=operation,
        unpadded=unpadded,
    )
    return Order(listing, cap, custom_id)


def buy_once(
    market: Adapter,
    order: Order,
    *,
    send: Callable[[Order], Purchase],
    lookup: Callable[[Order], Purchase | None],
    advice: str,
    read_price: Callable[[Listing], Money] | None = None,
    dearer: str = "the listing now costs",
    keep_listing: bool = True,
) -> Purchase:
    """Buy ``order`` at most once (see the module docstring) and return its purchase.

    ``send`` pays once and returns the understood purchase (``UnexpectedResponse`` when the
    answer lacks what it needs); ``lookup`` finds it after an unclear answer (None: not there).
    ``advice`` ends an ``OutcomeUnknown`` message (``{custom_id!r}`` is filled in). Where the
    vendor takes no cap, ``read_price`` reads the listing's price again before paying; one above
    the cap is ``PriceExceeded`` worded with ``dearer`` (``{listing_id!r}`` filled in), else
    ``send`` gets the order with that price as ``price_now``. The market's ``ambiguous_codes`` (the
    vendor codes that say the server failed half-way) are looked up like a lost answer.
    ``keep_listing``: the journal keeps the listing with the outcome.
    """
    checked = order

    def precheck(read: Callable[[Listing], Money]) -> None:
        nonlocal checked
        price = read(order.listing)
        if price > order.cap:
            what = dearer.format(listing_id=order.listing.id)
            raise too_dear(market.vendor, what, price, order.cap)
        checked = attrs.evolve(order, price_now=price)

    return write_once(
        vendor=market.vendor,
        operation="buy",
        send=lambda: send(checked),
        lookup=lambda: lookup(order),
        custom_id=order.custom_id,
        journal=market._journal,
        target=target_of(order.listing),
        ambiguous_codes=market.ambiguous_codes,
        advice=advice.format(custom_id=order.custom_id),
        precheck=None if read_price is None else lambda: precheck(read_price),
        listing=order.listing if keep_listing else None,
    )


def too_dear(vendor: str, what: str, price: Money, cap: Money) -> errors.PriceExceeded:
    """The refusal of a buy whose listing, read again, costs more than the cap: not paid."""
    return errors.PriceExceeded(
        f"buy refused locally: {what} {price}, more than max_price {cap}; nothing was paid",
        price=price.amount,
        max_price=cap.amount,
        vendor=vendor,
        operation="buy",
    )


def held_purchase(market: str, order: Order, price: Money, raw: Any) -> Purchase:
    """``order``'s listing bought for ``price``: pending in the on-site inventory until
    withdrawn."""
    return Purchase(
        market=market,
        id=order.listing.id,
        custom_id=order.custom_id,
        market_hash_name=order.listing.market_hash_name,
        price=price,
        status=TradeStatus.PENDING,  # in the on-site inventory until withdrawn
        created_at=datetime.now(tz=UTC),
        raw=raw if isinstance(raw, Mapping) else {"content": raw},
    )


def no_longer_listed(vendor: str, what: str, listing_id: str) -> errors.ItemUnavailable:
    """The refusal of a buy whose ``what`` (sale, listing) was re-read and is gone: not paid."""
    return errors.ItemUnavailable(
        f"buy refused: {what} {listing_id!r} is no longer for sale (sold or delisted); "
        "nothing was paid",
        vendor=vendor,
        operation="buy",
        code="not_listed",
    )


def withdraw_held(
    market: Adapter,
    send: Callable[[], list[Trade]],
    *,
    still_held: Callable[[], bool],
    trades: Callable[[], list[Trade]],
) -> list[Trade]:
    """Send held items to Steam through the one write flow (``send``: one request).

    An unclear answer is looked up: while any of the items is ``still_held`` it is not done
    (or not yet); once none is, the ``trades`` carrying them (none yet: not settled).
    """

    def lookup() -> list[Trade] | None:
        if still_held():
            return None
        return trades() or None

    return write_once(
        vendor=market.vendor,
        operation="withdraw",
        send=send,
        lookup=lookup,
        ambiguous_codes=market.ambiguous_codes,
        advice="Check active_trades() and the on-site inventory; withdraw() again only "
        "withdraws what is still held",
    )

"""What buying on a market with an on-site inventory makes (swap.gg, Mannco): shared pieces."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from skinmarkets import errors
from skinmarkets.models import Listing, Purchase, TradeStatus
from skinmarkets.money import Money

__all__ = ["held_purchase", "no_longer_listed"]


def held_purchase(
    market: str, custom_id: str, listing: Listing, price: Money, raw: Any
) -> Purchase:
    """``listing`` bought for ``price``: pending in the on-site inventory until withdrawn."""
    return Purchase(
        market=market,
        id=listing.id,
        custom_id=custom_id,
        market_hash_name=listing.market_hash_name,
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

"""prices/class_instance/{CUR}.json straight into `PriceQuote`s: the price list's fast path.

The export is the largest answer Market TM sends (one entry per class/instance pair, 100,000 and
more), so it is not structured into wire classes first (``wire.ClassInstancePrices`` remains for
``.client``): its ``items`` (an object, or PHP's ``[]``) are read by
:func:`skinmarkets._pricelist.quotes_from_entries`, ``price`` and ``buy_order`` in major units.
One name can appear under several class/instance pairs (its lowest ``price`` and highest
``buy_order`` are kept, as that function says).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime

from skinmarkets._pricefields import PriceAnswer
from skinmarkets._pricelist import BadEntry, quotes_from_entries
from skinmarkets._wire import to_currency, to_int
from skinmarkets.models import PriceQuote
from skinmarkets.vendors.market_tm import units

__all__ = ["quotes_from_class_instance"]

VENDOR = "market_tm"
OPERATION = "prices_class_instance"


def quotes_from_class_instance(
    answer: object, *, market: str, wanted: Collection[str] | None = None
) -> list[PriceQuote]:
    """One `PriceQuote` per name in a class_instance export (only ``wanted`` names if given)."""
    read = PriceAnswer(VENDOR, OPERATION, answer)
    currency = read.value("currency", to_currency)
    observed = read.value("time", _observed)
    items = read.member("items", dict, php=True)
    try:
        return quotes_from_entries(
            items, market=market, currency=currency, observed_at=observed, wanted=wanted
        )
    except BadEntry as bad:
        raise read.unexpected(f"{bad.reason} @ $.items{bad.where}") from None


def _observed(time: object) -> datetime:
    """The export's ``time`` (unix seconds) as aware UTC; now when missing or out of range."""
    return units.utc(None if time is None else to_int(time)) or datetime.now(tz=UTC)

"""prices/class_instance/{CUR}.json straight into `PriceQuote`s: the price list's fast path.

The export is the largest answer Market TM sends (one entry per class/instance pair, 100,000 and
more), so it is not structured into wire classes first (``wire.ClassInstancePrices`` remains for
``.client``): one pass reads every entry with the same rules as the wire hooks (names as strings
or numbers, prices as decimal strings or numbers within 1E±30, ``items`` as an object or PHP's
``[]``), and the quotes are built by ``skinmarkets._pricelist``. An entry of another shape is an
``UnexpectedResponse`` that names it and keeps the whole answer.

One name can appear under several class/instance pairs: its lowest ``price`` and its highest
``buy_order`` are kept, and ``raw`` is the first entry seen. A ``price`` or ``buy_order`` that is
missing, null or zero means "none"; a negative one cannot be true and is ``UnexpectedResponse``.

With ``wanted`` (``prices(names=…)``), an entry whose ``market_hash_name`` is not wanted is
skipped as soon as its name is read: nothing else of it is checked or built.
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

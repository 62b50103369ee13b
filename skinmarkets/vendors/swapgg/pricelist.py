"""pricing/lowest and buyorders/summary straight into `PriceQuote`s: the price list's fast path.

Both answers are objects keyed by market name, one entry per name, 100,000 and more, read by the
fields below (the rules of ``wire.LowestPrice`` and ``wire.BuyOrderSummary``, which remain for
``.client``) as :mod:`skinmarkets._pricefields` reads entries (``@ $.result['AK-47 | …'].price``).

The quotes, as the typed path made them: the names of pricing/lowest in its order, then the names
that only have buy orders; the lowest ask and its ``quantity`` from pricing/lowest, the highest bid
from ``maxPrice`` (missing, null or zero: no bid), ``raw`` = ``{"lowest": entry or None,
"buyorders": entry or None}``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime
from functools import partial
from itertools import chain, filterfalse, repeat
from typing import Any

from skinmarkets._gc import gc_paused
from skinmarkets._pricecolumns import NONE, column, read_column
from skinmarkets._pricefields import Field, PriceAnswer, read_entries, rules
from skinmarkets._pricelist import MoneyMemo, ValueMemo, optional, quotes_from_columns
from skinmarkets._wire import to_cents, to_int, to_str
from skinmarkets.models import PriceQuote
from skinmarkets.money import Money
from skinmarkets.vendors.swapgg import units

__all__ = ["quotes_from_lists"]

VENDOR = "swapgg"
LOWEST = "pricing_lowest"
SUMMARY = "buyorders_summary"

#: What the by-column reading takes at once: whole cents as ints or strings of digits (the doc's
#: table says "string", its samples send ints); anything else (a whole Decimal, a number as a
#: link) is read one value at a time.
_CENTS: frozenset[type] = frozenset({int, str})
_CENTS_OR_NULL: frozenset[type] = frozenset({int, str, NONE})
_TEXT_OR_NULL: frozenset[type] = frozenset({str, NONE})

_cents = partial(MoneyMemo, units.CURRENCY, minor_units=units.MINOR_UNITS)
_counts = partial(ValueMemo, to_int)

#: wire.LowestPrice, field by field.
LOWEST_FIELDS = (
    # "price … Lowest price." (required); 0 is 0.00 EUR, as the wire class read it
    Field("price", to_cents, _CENTS, partial(_cents, zero=True), required=True),
    # "quantity … Total item quantity."
    Field("quantity", optional(to_int), _CENTS_OR_NULL, _counts),
    # "link … Direct link to the lowest listing."
    Field("link", optional(to_str), _TEXT_OR_NULL, kept=False),
)
#: wire.BuyOrderSummary, field by field (only checked: the bids are read from the entries lined
#: up with the quotes, a missing, null or zero ``maxPrice`` being no bid).
SUMMARY_FIELDS = (
    # "maxPrice … Highest active buy order."
    Field("maxPrice", optional(to_cents), _CENTS_OR_NULL, _cents, kept=False),
    # "minPrice … Lowest active buy order."
    Field("minPrice", optional(to_cents), _CENTS_OR_NULL, _cents, kept=False),
    # "quantity … Total quantity of active buy orders."
    Field("quantity", optional(to_int), _CENTS_OR_NULL, _counts, kept=False),
)
#: The same, as ``_pricelist.fault`` re-reads an entry to word an error.
LOWEST_RULES = rules(LOWEST_FIELDS)
SUMMARY_RULES = rules(SUMMARY_FIELDS)


def quotes_from_lists(
    lowest: object,
    summary: object,
    *,
    market: str,
    observed_at: datetime,
    wanted: Collection[str] | None = None,
) -> list[PriceQuote]:
    """One `PriceQuote` per name of the two answers (whole envelopes; see the module doc)."""
    lowest_answer = PriceAnswer(VENDOR, LOWEST, lowest)
    summary_answer = PriceAnswer(VENDOR, SUMMARY, summary)
    with gc_paused():
        lowest_result = lowest_answer.member("result", dict, php=False)
        summary_result = summary_answer.member("result", dict, php=False)
        asks = read_entries(lowest_result, LOWEST_FIELDS, lowest_answer, "$.result", wanted)
        bids = read_entries(summary_result, SUMMARY_FIELDS, summary_answer, "$.result", wanted)
        # a name of both lists sits where pricing/lowest has it; names with bids only follow
        extra = list(filterfalse(lowest_result.__contains__, bids.keys))
        names = [*asks.keys, *extra]
        count = len(extra)
        ask_column, quantities = asks.columns
        orders = list(map(summary_result.get, asks.keys, repeat(_NO_ORDERS)))
        orders += map(summary_result.__getitem__, extra)
        raws = [
            {"lowest": entry, "buyorders": None if summary_entry is _NO_ORDERS else summary_entry}
            for entry, summary_entry in zip(
                chain(asks.entries, repeat(None, count)), orders, strict=True
            )
        ]
        return quotes_from_columns(
            market,
            observed_at,
            names,
            chain(ask_column, repeat(None, count)),
            _highest_bids(orders),
            raws,
            chain(quantities, repeat(None, count)),
        )


#: What stands for "no buy orders" among the summary entries lined up with the quotes (an empty
#: entry would read as no bid too, but raw must say None).
_NO_ORDERS: Mapping[str, Any] = {}


def _highest_bids(orders: list[Any]) -> list[Money | None]:
    """The bid of each summary entry (already checked by ``read_entries``)."""
    memo = MoneyMemo(units.CURRENCY, minor_units=units.MINOR_UNITS)
    highest = column(orders, "maxPrice")
    if highest is None:  # a mapping that is not a dict: read one by one
        highest = [entry.get("maxPrice") for entry in orders]
    bids = read_column(highest, _CENTS_OR_NULL, memo.money, memo.table)
    return bids if bids is not None else list(map(memo.money, highest))

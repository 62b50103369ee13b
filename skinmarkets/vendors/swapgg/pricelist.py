"""pricing/lowest and buyorders/summary straight into `PriceQuote`s: the price list's fast path.

Both answers are objects keyed by market name, one entry per name, 100,000 and more, so they are
not structured into wire classes first (``wire.LowestPrice`` and ``wire.BuyOrderSummary`` remain
for ``.client``): each list is read with the same rules as the wire hooks, by column where its
shape allows, else by row (``skinmarkets._pricelist`` says how and why), and the quotes are built
there. An entry of another shape is an ``UnexpectedResponse`` that names it
(``@ $.result['AK-47 | …'].price``) and keeps that whole answer, as the typed path refused it.

The rules, the wire classes' own (``_wire``):

- pricing/lowest: ``price`` is required, whole EUR cents from 0 to 1E15 as an int or a string of
  digits (the doc's table says "string", its sample sends ints: both are read); 0 is a price of
  0.00 EUR, as the wire class read it. ``quantity`` an integer or null, ``link`` a string (or a
  number) or null.
- buyorders/summary: ``maxPrice``, ``minPrice`` cents or null, ``quantity`` an integer or null; a
  missing, null or zero ``maxPrice`` is no bid.

The quotes, as the typed path made them: the names of pricing/lowest in its order, then the names
that only have buy orders; the lowest ask and its ``quantity`` from pricing/lowest, the highest bid
from ``maxPrice``, ``raw`` = ``{"lowest": entry or None, "buyorders": entry or None}``.

With ``wanted`` (``prices(names=…)``), entries of other names are skipped unread.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from datetime import datetime
from itertools import chain, filterfalse, repeat
from typing import Any, NamedTuple, cast

from skinmarkets._gc import gc_paused
from skinmarkets._pricecolumns import NONE, column, only, read_column, read_distinct
from skinmarkets._pricelist import (
    MISSING,
    FieldRule,
    MoneyMemo,
    ValueMemo,
    fault,
    optional,
    quotes_from_columns,
    unexpected,
)
from skinmarkets._wire import MAX_INT, to_cents, to_int, to_str
from skinmarkets.models import PriceQuote
from skinmarkets.money import Money
from skinmarkets.vendors.swapgg import units

__all__ = ["quotes_from_lists"]

VENDOR = "swapgg"
LOWEST = "pricing_lowest"
SUMMARY = "buyorders_summary"

#: wire.LowestPrice, field by field (to word an error about one entry).
LOWEST_RULES: tuple[FieldRule, ...] = (
    ("price", to_cents, True),  # "price … Lowest price." (required)
    ("quantity", optional(to_int), False),  # "quantity … Total item quantity."
    ("link", optional(to_str), False),  # "link … Direct link to the lowest listing."
)
#: wire.BuyOrderSummary, field by field.
SUMMARY_RULES: tuple[FieldRule, ...] = (
    ("maxPrice", optional(to_cents), False),  # "Highest active buy order."
    ("minPrice", optional(to_cents), False),  # "Lowest active buy order."
    ("quantity", optional(to_int), False),  # "Total quantity of active buy orders."
)

#: What the by-column reading takes: exact types whose equal values read alike (see
#: ``_pricelist.read_column``); anything else (a whole Decimal, a number as a link) is read by row.
_CENTS: frozenset[type] = frozenset({int, str})
_CENTS_OR_NULL: frozenset[type] = frozenset({int, str, NONE})
_TEXT_OR_NULL: frozenset[type] = frozenset({str, NONE})
_COUNT_OR_NULL = _CENTS_OR_NULL  # an int, or a string of digits

_Entries = Mapping[str, Any]


class _Lowest(NamedTuple):
    """pricing/lowest read: names, entries, asks and quantities, position by position."""

    names: list[str]
    entries: list[Any]
    asks: list[Money]
    quantities: list[int | None]


def quotes_from_lists(
    lowest: object,
    summary: object,
    *,
    market: str,
    observed_at: datetime,
    wanted: Collection[str] | None = None,
) -> list[PriceQuote]:
    """One `PriceQuote` per name of the two answers (whole envelopes; see the module doc)."""
    with gc_paused():
        lowest_result, summary_result = _result(lowest, LOWEST), _result(summary, SUMMARY)
        asks = _read_lowest(lowest_result, lowest, wanted)
        bid_names = _read_summary(summary_result, summary, wanted)
        # a name of both lists sits where pricing/lowest has it; names with bids only follow
        extra = list(filterfalse(lowest_result.__contains__, bid_names))
        count = len(extra)
        orders = list(map(summary_result.get, asks.names, repeat(_NO_ORDERS)))
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
            asks.names + extra,
            chain(asks.asks, repeat(None, count)),
            _highest_bids(orders),
            raws,
            chain(asks.quantities, repeat(None, count)),
        )


#: What stands for "no buy orders" among the summary entries lined up with the quotes (an empty
#: entry would read as no bid too, but raw must say None).
_NO_ORDERS: Mapping[str, Any] = {}


def _highest_bids(orders: list[Any]) -> list[Money | None]:
    """The bid of each summary entry (already checked by ``_read_summary``)."""
    memo = MoneyMemo(units.CURRENCY, minor_units=units.MINOR_UNITS)
    highest = column(orders, "maxPrice")
    if highest is None:  # a mapping that is not a dict: read one by one
        highest = [entry.get("maxPrice") for entry in orders]
    bids = read_column(highest, _CENTS_OR_NULL, memo.money, memo.table)
    return bids if bids is not None else list(map(memo.money, highest))


def _result(answer: object, operation: str) -> _Entries:
    """The envelope's ``result`` object; anything else is ``UnexpectedResponse``."""
    result = answer.get("result") if isinstance(answer, Mapping) else None
    if not isinstance(result, Mapping):
        raise unexpected(
            VENDOR, operation, f"expected a JSON object, got {result!r:.40} @ $.result", answer
        )
    return result


def _named(result: _Entries, wanted: Collection[str]) -> list[tuple[str, Any]]:
    """The entries of ``wanted`` names, in the answer's order."""
    return [(name, result[name]) for name in filter(wanted.__contains__, result)]


# --------------------------------------------------------------------------- pricing/lowest


def _read_lowest(result: _Entries, answer: object, wanted: Collection[str] | None) -> _Lowest:
    """The whole list by column where it can, else (and for ``wanted``) by row."""
    if wanted is not None:
        return _lowest_by_row(_named(result, wanted), answer)
    return _lowest_by_column(result) or _lowest_by_row(result.items(), answer)


def _lowest_by_column(result: _Entries) -> _Lowest | None:
    """The list read by column, or None for a shape only the row reading takes (or refuses)."""
    entries = list(result.values())
    prices = column(entries, "price")
    counts = column(entries, "quantity")
    links = column(entries, "link")
    if prices is None or counts is None or links is None or not only(links, _TEXT_OR_NULL):
        return None
    memo = MoneyMemo(units.CURRENCY, minor_units=units.MINOR_UNITS, zero=True)
    asks = read_column(prices, _CENTS, memo.money, memo.table)  # null or missing: not _CENTS
    quantities = read_column(counts, _COUNT_OR_NULL, optional(to_int))
    if asks is None or quantities is None:
        return None
    return _Lowest(
        list(result), entries, cast("list[Money]", asks), cast("list[int | None]", quantities)
    )


def _lowest_by_row(pairs: Iterable[tuple[str, Any]], answer: object) -> _Lowest:
    """Every shape the wire class reads; the first entry of another shape raises, worded."""
    prices = MoneyMemo(units.CURRENCY, minor_units=units.MINOR_UNITS, zero=True)
    seen, to_money = prices.seen.get, prices.money
    counts = ValueMemo(to_int)
    seen_count, to_count = counts.seen.get, counts.read
    read = _Lowest([], [], [], [])
    name: str | None = None
    entry: Any = None
    try:
        for name, entry in pairs:
            price = entry["price"]
            ask = seen(price, MISSING)
            if ask is MISSING:
                ask = to_money(price)
            if ask is None:
                raise TypeError("price is null")  # required: worded by fault()
            quantity = entry.get("quantity")
            if type(quantity) is not int or not -MAX_INT < quantity < MAX_INT:
                count = seen_count(quantity, MISSING)
                quantity = to_count(quantity) if count is MISSING else count
            link = entry.get("link")
            if link is not None and type(link) is not str:
                to_str(link)
            read.names.append(name)
            read.entries.append(entry)
            read.asks.append(ask)
            read.quantities.append(quantity)
    except (TypeError, ValueError, KeyError, AttributeError):
        bad = fault(name, entry, LOWEST_RULES)
        raise unexpected(VENDOR, LOWEST, f"{bad.reason} @ $.result{bad.where}", answer) from None
    return read


# --------------------------------------------------------------------------- buyorders/summary


def _read_summary(result: _Entries, answer: object, wanted: Collection[str] | None) -> list[str]:
    """The names of the list, every entry checked: by column where it can, else by row."""
    if wanted is not None:
        return _summary_by_row(_named(result, wanted), answer)
    return _summary_by_column(result) or _summary_by_row(result.items(), answer)


def _summary_by_column(result: _Entries) -> list[str] | None:
    """The names, the list checked by column; None for a shape only the row reading takes (or
    refuses). An empty list is ``[]`` read by row too, at no cost."""
    entries = list(result.values())
    memo = MoneyMemo(units.CURRENCY, minor_units=units.MINOR_UNITS)
    for key, types, read, table in (
        ("maxPrice", _CENTS_OR_NULL, memo.money, memo.table),
        ("minPrice", _CENTS_OR_NULL, memo.money, memo.table),
        ("quantity", _COUNT_OR_NULL, optional(to_int), None),
    ):
        values = column(entries, key)
        if values is None or read_distinct(values, types, read, table) is None:
            return None
    return list(result)


def _summary_by_row(pairs: Iterable[tuple[str, Any]], answer: object) -> list[str]:
    """Every shape the wire class reads; the first entry of another shape raises, worded."""
    prices = MoneyMemo(units.CURRENCY, minor_units=units.MINOR_UNITS)
    seen, to_money = prices.seen.get, prices.money
    counts = ValueMemo(to_int)
    seen_count, to_count = counts.seen.get, counts.read
    names: list[str] = []
    name: str | None = None
    entry: Any = None
    try:
        for name, entry in pairs:
            for key in ("maxPrice", "minPrice"):
                price = entry.get(key)
                if seen(price, MISSING) is MISSING:
                    to_money(price)
            quantity = entry.get("quantity")
            if (type(quantity) is not int or not -MAX_INT < quantity < MAX_INT) and seen_count(
                quantity, MISSING
            ) is MISSING:
                to_count(quantity)
            names.append(name)
    except (TypeError, ValueError, KeyError, AttributeError):
        bad = fault(name, entry, SUMMARY_RULES)
        raise unexpected(VENDOR, SUMMARY, f"{bad.reason} @ $.result{bad.where}", answer) from None
    return names

"""market_pricelist straight into `PriceQuote`s: the price list's fast path.

The grouped list is "very large" (the doc advises a streaming parser), so it is not structured
into wire classes first (``wire.PriceList`` remains for ``.client``): every entry of ``items`` is
read, by column where the list's shape allows, else by row (``skinmarkets._pricelist`` says how
and why), with the same rules as ``wire.Item``'s hooks (``name`` a string or a number,
``price`` a decimal string or number in USD within 1E±30 and not negative, ``id`` and
``classid`` a string or an integer, ``count`` an integer or a string of digits; each may be
null, ``name`` may be missing), and the quotes are built by ``skinmarkets._pricelist``. An entry
of another shape is an ``UnexpectedResponse`` that names it (``@ $.items[12].price``) and keeps
the whole answer.

The quotes, as the typed path made them: entries without a price or a name are left out; a name
met again keeps the entry with the strictly lowest price (its ``count`` is the quantity, the
entry is ``raw``), in the order names first appear; a price of 0 is kept as 0.00 USD. SkinsBack
only sells: no bid. ``observed_at`` is ``last_update`` (unix seconds) when given and not 0, else
now.

With ``wanted`` (``prices(names=…)``), an entry whose name is not wanted is skipped as soon as
its name is read: nothing else of it is checked or built.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from datetime import UTC, datetime
from itertools import compress, repeat
from typing import Any, NamedTuple, cast

from skinmarkets import errors
from skinmarkets._pricecolumns import NONE, column, only, read_column
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
from skinmarkets._wire import MAX_INT, to_amount, to_id, to_int, to_str
from skinmarkets.models import PriceQuote
from skinmarkets.money import Money
from skinmarkets.vendors.skinsback import units

try:  # msgspec, the ``fast`` extra: the documented list decoded straight into typed rows
    from skinmarkets.vendors.skinsback import fastlist

    FAST = True
except ImportError:
    FAST = False

__all__ = ["FAST", "quotes_from_pricelist"]

VENDOR = "skinsback"
OPERATION = "market_pricelist"

#: wire.Item, field by field (to word an error about one entry).
ITEM_RULES: tuple[FieldRule, ...] = (
    ("name", to_str, False),  # "item.name string" (missing: "")
    ("id", optional(to_id), False),  # "item.id int Skin ID" (full=1 only)
    ("price", optional(to_amount), False),  # "item.price float Skin price in USD"
    ("classid", optional(to_id), False),  # "item.classid string"
    ("count", optional(to_int), False),  # the grouped list's available "count"
)

#: What the by-column reading takes (see ``_pricelist.read_column``): names and prices as
#: strings, ids as strings or ints (``to_id`` takes both as they are), counts as either.
_TEXT: frozenset[type] = frozenset({str})
_ID_OR_NULL: frozenset[type] = frozenset({str, int, NONE})
_COUNT_OR_NULL: frozenset[type] = frozenset({str, int, NONE})


def quotes_from_pricelist(
    answer: object, *, market: str, wanted: Collection[str] | None = None
) -> list[PriceQuote]:
    """One `PriceQuote` per name of a market_pricelist answer (see the module doc)."""
    if not isinstance(answer, Mapping):
        raise _unexpected(f"expected a JSON object, got {type(answer).__name__}", answer)
    observed = _observed(answer)
    items = answer.get("items", [])
    if isinstance(items, Mapping) and not items:  # PHP's empty array, written as an object
        items = []
    if FAST and isinstance(items, fastlist.Rows):  # decoded by fastlist.decoder
        found = fastlist.lowest(items) if wanted is None else None
        if found is not None:
            names, asks, counts, raws = found
            return quotes_from_columns(
                market, observed, names, asks, repeat(None, len(names)), raws, counts
            )
        items = fastlist.plain(items)  # another shape: read (and worded) as decoded dicts
        answer = {**answer, "items": items}
    if not isinstance(items, list):
        raise _unexpected(f"expected a JSON array, got {items!r:.40} @ $.items", answer)
    lowest = _lowest(items, answer, wanted)
    return quotes_from_columns(
        market,
        observed,
        lowest.names,
        lowest.asks,
        repeat(None, len(lowest.names)),
        lowest.entries,
        lowest.counts,
    )


def _unexpected(detail: str, answer: object) -> errors.UnexpectedResponse:
    return unexpected(VENDOR, OPERATION, detail, answer)


def _observed(answer: Mapping[str, Any]) -> datetime:
    """``last_update`` as aware UTC (now when missing, null or 0); else ``UnexpectedResponse``."""
    value = answer.get("last_update")
    try:
        last_update = None if value is None else to_int(value)
        if last_update:
            return datetime.fromtimestamp(last_update, tz=UTC)
    except (TypeError, ValueError, OverflowError, OSError) as exc:
        raise _unexpected(f"{exc} @ $.last_update", answer) from None
    return datetime.now(tz=UTC)


class _Lowest(NamedTuple):
    """Each name's lowest ask with the count and entry that carried it, position by position."""

    names: Collection[str]
    asks: Collection[Money]
    counts: Iterable[int | None]
    entries: Iterable[Any]


def _lowest(items: list[Any], answer: object, wanted: Collection[str] | None) -> _Lowest:
    """The list by column where its shape allows, else (and for ``wanted``) by row."""
    if wanted is None:
        return _lowest_by_column(items) or _lowest_by_row(enumerate(items), answer, None)
    names = column(items, "name", "")
    if names is None or not only(names, _TEXT):
        return _lowest_by_row(enumerate(items), answer, wanted)
    return _lowest_by_row(compress(enumerate(items), map(wanted.__contains__, names)), answer, None)


def _lowest_by_column(items: list[Any]) -> _Lowest | None:
    """The list read by column when every entry has a distinct non-empty name and a price as a
    string (the documented grouped list); None for any other shape, which the rows read."""
    names = column(items, "name", "")
    prices = column(items, "price")
    counts = column(items, "count")
    if names is None or prices is None or counts is None:
        return None
    try:
        distinct = set(names)  # no other type's value equals a string: these tell the types
    except TypeError:  # an unhashable name (a list, an object): refused by row
        return None
    if len(distinct) != len(names) or "" in distinct or not only(distinct, _TEXT):
        return None  # merged, skipped or non-string names: by row
    if not only(map(dict.get, items, repeat("classid")), _ID_OR_NULL):
        return None
    # "id" only comes with full=1: look for the key before reading the values
    if any(map(dict.__contains__, items, repeat("id"))) and not only(
        map(dict.get, items, repeat("id")), _ID_OR_NULL
    ):
        return None
    memo = MoneyMemo(units.CURRENCY, zero=True)
    asks = read_column(prices, _TEXT, memo.money, memo.table)
    quantities = read_column(counts, _COUNT_OR_NULL, optional(to_int))
    if asks is None or quantities is None:
        return None
    return _Lowest(names, cast("list[Money]", asks), cast("list[int | None]", quantities), items)


def _lowest_by_row(
    pairs: Iterable[tuple[int, Any]], answer: object, wanted: Collection[str] | None
) -> _Lowest:
    """Every shape the wire class reads; the first entry of another shape raises, worded."""
    prices = MoneyMemo(units.CURRENCY, zero=True)
    seen, to_money = prices.seen.get, prices.money
    count_memo = ValueMemo(to_int)
    seen_count, to_count = count_memo.seen.get, count_memo.read
    asks: dict[str, Money] = {}
    counts: dict[str, int | None] = {}
    raws: dict[str, Any] = {}
    index = -1
    entry: Any = None
    try:
        for index, entry in pairs:  # noqa: B007 (the except clause reports index)
            name = entry.get("name", "")
            if type(name) is not str:
                name = to_str(name)
            if wanted is not None and name not in wanted:
                continue
            price = entry.get("price")
            ask = seen(price, MISSING)
            if ask is MISSING:
                ask = to_money(price)
            value = entry.get("classid")
            if value is not None and type(value) is not str:
                to_id(value)
            value = entry.get("id")
            if value is not None and type(value) is not str:
                to_id(value)
            count = entry.get("count")
            if type(count) is not int or not -MAX_INT < count < MAX_INT:
                known = seen_count(count, MISSING)
                count = to_count(count) if known is MISSING else known
            if ask is None or not name:
                continue
            kept = asks.get(name)
            if kept is None or ask.amount < kept.amount:
                asks[name] = ask
                counts[name] = count
                raws[name] = entry
    except (TypeError, ValueError, KeyError, AttributeError):
        bad = fault(index, entry, ITEM_RULES)
        raise _unexpected(f"{bad.reason} @ $.items{bad.where}", answer) from None
    return _Lowest(asks.keys(), asks.values(), counts.values(), raws.values())

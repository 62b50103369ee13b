"""market_pricelist straight into `PriceQuote`s: the price list's fast path.

The grouped list is "very large" (the doc advises a streaming parser): every entry of ``items``
is read by the fields below, ``wire.Item``'s rules (``wire.PriceList`` remains for ``.client``),
as :mod:`skinmarkets._pricefields` reads entries (with msgspec, the ``fast`` extra, the
documented list comes as ``fastlist.Rows``).

The quotes, as the typed path made them: entries without a price or a name are left out; a name
met again keeps the entry with the strictly lowest price (its ``count`` is the quantity, the
entry is ``raw``), in the order names first appear; a price of 0 is kept as 0.00 USD. SkinsBack
only sells: no bid. ``observed_at`` is ``last_update`` (unix seconds) when given and not 0, else
now.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import datetime
from functools import partial
from itertools import repeat
from typing import Any

from skinmarkets._pricecolumns import NONE, only
from skinmarkets._pricefields import Field, PriceAnswer, read_entries, rules
from skinmarkets._pricelist import MoneyMemo, ValueMemo, optional, quotes_from_columns
from skinmarkets._wire import to_amount, to_id, to_int, to_str
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

#: What the by-column reading takes at once (``_pricecolumns.read_column``): names and prices as
#: strings, ids as strings or ints (``to_id`` takes both as they are), counts as either.
_TEXT: frozenset[type] = frozenset({str})
_ID_OR_NULL: frozenset[type] = frozenset({str, int, NONE})
_COUNT_OR_NULL: frozenset[type] = frozenset({str, int, NONE})
_MONEY: frozenset[type] = frozenset({Money})

#: wire.Item, field by field.
ITEM_FIELDS = (
    Field("name", to_str, _TEXT, default=""),  # "item.name string" (missing: "")
    Field("id", optional(to_id), _ID_OR_NULL, kept=False),  # "item.id int Skin ID" (full=1 only)
    # "item.price float Skin price in USD"; 0 is kept as 0.00 USD
    Field("price", optional(to_amount), _TEXT, partial(MoneyMemo, units.CURRENCY, zero=True)),
    Field("classid", optional(to_id), _ID_OR_NULL, kept=False),  # "item.classid string"
    # the grouped list's available "count"
    Field("count", optional(to_int), _COUNT_OR_NULL, partial(ValueMemo, to_int)),
)
#: The same, as ``_pricelist.fault`` re-reads an entry to word an error.
ITEM_RULES = rules(ITEM_FIELDS)


def quotes_from_pricelist(
    answer: object, *, market: str, wanted: Collection[str] | None = None
) -> list[PriceQuote]:
    """One `PriceQuote` per name of a market_pricelist answer (see the module doc)."""
    read = PriceAnswer(VENDOR, OPERATION, answer)
    observed = read.value("last_update", units.observed_at)
    items = read.member("items", list, php=True)
    if FAST and isinstance(items, fastlist.Rows):  # decoded by fastlist.decoder
        found = fastlist.lowest(items) if wanted is None else None
        if found is not None:
            names, asks, counts, raws = found
            return quotes_from_columns(
                market, observed, names, asks, repeat(None, len(names)), raws, counts
            )
        items = fastlist.plain(items)  # another shape: read (and worded) as decoded dicts
        read = PriceAnswer(VENDOR, OPERATION, {**read.as_object(), "items": items})
    found_items = read_entries(items, ITEM_FIELDS, read, "$.items", wanted)
    names, asks, counts = found_items.columns
    return _quotes(market, observed, names, asks, counts, found_items.entries)


def _quotes(
    market: str,
    observed: datetime,
    names: Sequence[str],
    asks: Sequence[Money | None],
    counts: Sequence[int | None],
    entries: Sequence[Any],
) -> list[PriceQuote]:
    """Each name's strictly lowest ask with the count and entry that carried it, entries
    without a price or a name left out; the columns as they are when every name is distinct,
    non-empty and priced (the documented grouped list)."""
    distinct = set(names)
    if len(distinct) != len(names) or "" in distinct or not only(asks, _MONEY):
        names, asks, counts, entries = _lowest(names, asks, counts, entries)
    return quotes_from_columns(
        market, observed, names, asks, repeat(None, len(names)), entries, counts
    )


def _lowest(
    names: Iterable[str],
    asks: Iterable[Money | None],
    counts: Iterable[int | None],
    entries: Iterable[Any],
) -> tuple[list[str], list[Money], list[int | None], list[Any]]:
    """Each name's strictly lowest ask, in the order names first appear."""
    lowest: dict[str, Money] = {}
    kept_counts: dict[str, int | None] = {}
    kept_entries: dict[str, Any] = {}
    for name, ask, count, entry in zip(names, asks, counts, entries, strict=True):
        if ask is None or not name:
            continue
        kept = lowest.get(name)
        if kept is None or ask.amount < kept.amount:
            lowest[name] = ask
            kept_counts[name] = count
            kept_entries[name] = entry
    return (
        list(lowest),
        list(lowest.values()),
        list(kept_counts.values()),
        list(kept_entries.values()),
    )

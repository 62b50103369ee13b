"""Whole price lists into `PriceQuote`s, fast: the path under Market TM's ``prices()`` export.

A price export holds 100,000 entries and more. Through the public constructors every entry pays
for the converters and validators of one `PriceQuote` and two `Money`, about four times the cost
of decoding its JSON, although each value has just been checked here. So :func:`quotes_from_entries`
checks each value once with the wire hooks' rules and sets the slots of the results directly
(:func:`money` and the private setters). They must only ever be given what the public constructor
would have accepted and kept unchanged: a finite bounded `Decimal` and an upper-case three-letter
code for `Money`; Money or None, an int or None, an aware UTC datetime and a mapping for
`PriceQuote`. If either class gains a field, importing this module fails rather than leaving a
slot unset, and ``tests/test_pricelist.py`` pins that the results equal the public constructors'.

Two more savings, both measured by ``tests/benchmarks/bench_prices.py``:

- one `Money` per distinct price spelling (:class:`MoneyMemo`): 100,000 prices have a few
  thousand distinct values, and `Money` is immutable, so equal prices share one object;
- the cyclic garbage collector is paused while the quotes are built (``_gc.gc_paused``): the
  build makes only acyclic objects, which reference counting frees, and hundreds of thousands of
  new objects would otherwise start a collection every 700 of them; paused, one scan follows.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from itertools import repeat
from typing import Any, Final

import attrs

from skinmarkets._gc import gc_paused
from skinmarkets._wire import to_amount, to_str
from skinmarkets.models import PriceQuote
from skinmarkets.money import Money

__all__ = ["BadEntry", "MoneyMemo", "money", "quotes_from_entries"]

_MONEY_FIELDS: Final = ("amount", "currency")
_QUOTE_FIELDS: Final = (
    "market",
    "market_hash_name",
    "lowest_ask",
    "highest_bid",
    "quantity",
    "observed_at",
    "raw",
)


def _slot_setters(cls: type, names: tuple[str, ...]) -> tuple[Callable[[object, Any], None], ...]:
    """The slot descriptors' ``__set__`` of ``cls``, checked to be exactly its attrs fields."""
    fields = tuple(field.name for field in attrs.fields(cls))
    if fields != names:
        raise RuntimeError(
            f"skinmarkets._pricelist is out of date: {cls.__name__} has fields {fields}, "
            f"the fast path sets {names}"
        )
    return tuple(vars(cls)[name].__set__ for name in names)


_new = object.__new__
_set_amount, _set_currency = _slot_setters(Money, _MONEY_FIELDS)
(
    _set_market,
    _set_name,
    _set_ask,
    _set_bid,
    _set_quantity,
    _set_observed,
    _set_raw,
) = _slot_setters(PriceQuote, _QUOTE_FIELDS)


def money(amount: Decimal, currency: str) -> Money:
    """``Money(amount, currency)`` for an amount and a code already checked (see module doc)."""
    result: Money = _new(Money)
    _set_amount(result, amount)
    _set_currency(result, currency)
    return result


#: What ``MoneyMemo.seen.get`` returns for a value not seen yet.
_MISSING: Final[Any] = object()


class MoneyMemo:
    """Vendor price values (decimal strings, ints or Decimals) as shared `Money` of one currency.

    :meth:`money` returns None for a missing (None) or zero price, which exports use for
    "no offer"; a negative price (which cannot be true) and anything that is not a number raise
    ``TypeError`` (``_wire.to_amount``'s rules: finite, within 1E±30, never a bool, not below 0).

    ``seen`` maps every string met so far (and None) to its result, for a hot loop to try first.
    Only strings are remembered: ``1`` and ``Decimal("1.00")`` are equal as keys but not as
    spellings, and a number never equals a string key, so a number always takes the full path.
    """

    __slots__ = ("currency", "seen")

    def __init__(self, currency: str) -> None:
        self.currency = currency
        self.seen: dict[object, Money | None] = {None: None}

    def money(self, value: object) -> Money | None:
        """The `Money` for one price value, or None for "no price"."""
        if value is None:
            return None
        amount = to_amount(value)
        result = money(amount, self.currency) if amount else None
        if type(value) is str:
            self.seen[value] = result
        return result


class BadEntry(Exception):
    """One entry of a price list could not be read; ``key`` is where it sits, ``entry`` what."""

    def __init__(self, key: object, entry: object, field: str, reason: str) -> None:
        self.where = f"[{key!r:.40}].{field}" if field else f"[{key!r:.40}]"
        super().__init__(f"{reason} @ {self.where}")
        self.key = key
        self.entry = entry
        self.field = field
        self.reason = reason


def _fault(key: object, entry: object, fields: tuple[str, str, str], memo: MoneyMemo) -> BadEntry:
    """Why one entry could not be read (the slow path, run only to word the error)."""
    if not isinstance(entry, Mapping):
        return BadEntry(key, entry, "", f"expected a JSON object, got {entry!r:.40}")
    name_key, ask_key, bid_key = fields
    if name_key not in entry:
        return BadEntry(key, entry, name_key, "required field missing")
    checks: tuple[tuple[str, Callable[[object], object]], ...] = (
        (name_key, to_str),
        (ask_key, memo.money),
        (bid_key, memo.money),
    )
    for field, read in checks:
        try:
            read(entry.get(field))
        except (TypeError, ValueError) as exc:
            return BadEntry(key, entry, field, str(exc))
    return BadEntry(key, entry, "", "unreadable entry")


def quotes_from_entries(
    entries: Mapping[object, Any] | Sequence[Any],
    *,
    market: str,
    currency: str,
    observed_at: datetime,
    name_key: str = "market_hash_name",
    ask_key: str = "price",
    bid_key: str = "buy_order",
) -> list[PriceQuote]:
    """One `PriceQuote` per name from the entries of a price export in major units.

    ``entries`` is the export's object (its keys name the entries in errors) or its list. Each
    entry is a JSON object with the name (a string, or a number spelled as one) and the ask and
    bid as decimal strings or numbers; a missing, null or zero price means "none" (a negative one
    cannot be true: :class:`BadEntry`). A
    name met again keeps its lowest ask and highest bid, and the first entry as ``raw``.
    ``currency`` must already be checked (upper-case, three letters). An entry of another shape
    raises :class:`BadEntry`, for the vendor's decoder to turn into ``UnexpectedResponse``.
    """
    pairs = entries.items() if isinstance(entries, Mapping) else enumerate(entries)
    memo = MoneyMemo(currency)
    with gc_paused():
        columns = _by_row(pairs, (name_key, ask_key, bid_key), memo)
        return _quotes_from_columns(market, observed_at, *columns)


#: Names, lowest asks, highest bids and first entries, one per name in first-seen order.
_Columns = tuple[
    Collection[str], Iterable[Money | None], Iterable[Money | None], Iterable[Mapping[str, Any]]
]


def _by_row(
    pairs: Iterable[tuple[object, Any]], fields: tuple[str, str, str], memo: MoneyMemo
) -> _Columns:
    """The columns, read entry by entry; any entry of another shape raises :class:`BadEntry`.

    One pass, entry by entry, is the fastest Python reading measured: reading each field across
    all entries with ``map`` runs in C, but the extra passes over 100,000 entries (and the
    dicts to find repeated names) cost more than they save.
    """
    name_key, ask_key, bid_key = fields
    seen, to_money = memo.seen.get, memo.money
    asks: dict[str, Money | None] = {}
    bids: dict[str, Money | None] = {}
    raws: dict[str, Mapping[str, Any]] = {}
    key: object = None
    entry: Any = None
    try:
        for key, entry in pairs:  # noqa: B007 (the except clause reports key)
            name = entry[name_key]
            if type(name) is not str:
                name = to_str(name)
            price = entry.get(ask_key)
            ask = seen(price, _MISSING)
            if ask is _MISSING:
                ask = to_money(price)
            price = entry.get(bid_key)
            bid = seen(price, _MISSING)
            if bid is _MISSING:
                bid = to_money(price)
            if name not in raws:
                raws[name] = entry
                asks[name] = ask
                bids[name] = bid
                continue
            kept = asks[name]
            if ask is not None and (kept is None or ask.amount < kept.amount):
                asks[name] = ask
            kept = bids[name]
            if bid is not None and (kept is None or bid.amount > kept.amount):
                bids[name] = bid
    except (TypeError, ValueError, KeyError, AttributeError):
        raise _fault(key, entry, fields, memo) from None
    return raws.keys(), asks.values(), bids.values(), raws.values()


def _quotes_from_columns(
    market: str,
    observed_at: datetime,
    names: Collection[str],
    asks: Iterable[Money | None],
    bids: Iterable[Money | None],
    raws: Iterable[Mapping[str, Any]],
) -> list[PriceQuote]:
    """The quotes, one slot at a time across all of them (the columns line up by position).

    ``map`` over a slot setter runs the whole column in C, without a Python frame per item:
    half the time of setting seven slots per quote in a loop.
    """
    count = len(names)
    quotes: list[PriceQuote] = list(map(_new, repeat(PriceQuote, count)))
    for setter, column in (
        (_set_market, repeat(market, count)),
        (_set_name, names),
        (_set_ask, asks),
        (_set_bid, bids),
        (_set_quantity, repeat(None, count)),
        (_set_observed, repeat(observed_at, count)),
        (_set_raw, raws),
    ):
        _consume(map(setter, quotes, column))
    return quotes


_consume: Callable[[Iterable[object]], None] = deque[object](maxlen=0).extend

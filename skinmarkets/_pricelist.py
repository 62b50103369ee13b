"""Whole price lists into `PriceQuote`s, fast: the path under every vendor's ``prices()``.

A price export holds 100,000 entries and more. Through the wire classes and the public
constructors every entry pays for cattrs, the converters and validators of one `PriceQuote` and
two `Money`, several times the cost of decoding its JSON, although each value has just been
checked. So each vendor's ``pricelist.py`` reads its entries straight from the decoded JSON,
checking each value with the wire hooks' rules (``_wire``), and the quotes are built here with the
slots set directly
(:func:`money`, :func:`quotes_from_columns`). They must only ever be given what the public
constructor would have accepted and kept unchanged: a finite bounded `Decimal` and an upper-case
three-letter code for `Money`; Money or None, an int or None, an aware UTC datetime and a mapping
for `PriceQuote`. If either class gains a field, importing this module fails rather than leaving
a slot unset, and ``tests/test_pricelist.py`` and ``tests/test_pricelist_vendors.py`` pin that the
results equal the typed path's.

The pieces a vendor's reader is made of (``skinmarkets._pricefields`` puts them together, from
the fields a vendor names):

- by column (``skinmarkets._pricecolumns``, with :meth:`MoneyMemo.table`): each field of every
  entry taken with ``map`` in C, its types checked as a set, each distinct value read once
  (100,000 prices have a few thousand distinct values, and `Money` is immutable, so equal prices
  share one object). On 100,000 entries this reads swap.gg's and SkinsBack's lists in under half
  the time of a Python loop over the entries. It only reads at once the values whose types it
  can prove the typed path reads alike; any other value is read on its own;
- by row: one Python loop over the entries, with :class:`MoneyMemo` and :class:`ValueMemo`
  (the same one-result-per-spelling dicts, probed before calling anything). It reads every
  shape the wire classes accept, and it is what words the errors: it catches what its plain
  indexing and the hooks raise and only then re-reads the one failing entry, field by field
  (:class:`BadEntry`, :func:`fault`). A bad row so costs the good path nothing;
- :func:`quotes_from_columns`: the quotes built column by column;
- the cyclic garbage collector paused while the quotes are built (``_gc.gc_paused``): the build
  makes only acyclic objects, which reference counting frees, and hundreds of thousands of new
  objects would otherwise start a collection every 700 of them; paused, one scan follows.

:func:`quotes_from_entries` is the whole reader for exports whose entries carry the name, an ask
and a bid in major units (Market TM's). All of it is measured by
``tests/benchmarks/bench_prices.py`` and ``bench_pricelists.py``.
"""

from __future__ import annotations

import decimal
import re
from collections import deque
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from itertools import repeat
from typing import Any, Final, Generic, TypeVar, cast

import attrs

from skinmarkets import errors
from skinmarkets._gc import gc_paused
from skinmarkets._pricecolumns import only
from skinmarkets._wire import MAX_CENTS, MAX_RAW_REPR, to_amount, to_cents, to_str
from skinmarkets.models import PriceQuote
from skinmarkets.money import Money

__all__ = [
    "MISSING",
    "BadEntry",
    "FieldRule",
    "MoneyMemo",
    "ValueMemo",
    "fault",
    "money",
    "optional",
    "quotes_from_columns",
    "quotes_from_entries",
    "unexpected",
]

T = TypeVar("T")

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

#: Minor units are shifted with this context, as ``Money.from_minor`` does: exact for any amount
#: ``to_cents`` lets through (at most 16 digits), whatever the caller's decimal context.
_SHIFT: Final = decimal.Context(prec=40, traps=[decimal.Inexact, decimal.InvalidOperation])


def money(amount: Decimal, currency: str) -> Money:
    """``Money(amount, currency)`` for an amount and a code already checked (see module doc)."""
    result: Money = _new(Money)
    _set_amount(result, amount)
    _set_currency(result, currency)
    return result


#: Plain spellings of amounts, one per line (see ``MoneyMemo.table``).
_PLAIN_AMOUNTS: Final = re.compile(
    r"[0-9]{1,15}(?:\.[0-9]{1,15})?(?:\n[0-9]{1,15}(?:\.[0-9]{1,15})?)*"
)
_PLAIN_WHOLES: Final = re.compile(r"[0-9]{1,15}(?:\n[0-9]{1,15})*")
_STR: Final = frozenset({str})
_INT: Final = frozenset({int})

#: What a memo's ``seen.get`` returns for a value not seen yet.
MISSING: Final[Any] = object()


class MoneyMemo:
    """Vendor price values (decimal strings, ints or Decimals) as shared `Money` of one currency.

    :meth:`money` returns None for a missing (None) price; a zero price is None too ("no
    offer", as exports use it) unless ``zero=True`` (a zero price kept as ``Money`` 0, where the
    typed path kept it). Amounts are in major units (``_wire.to_amount``'s rules: finite, within
    1E±30, never a bool, not below 0), or with ``minor_units`` (e.g. 100 for cents) whole minor
    units (``_wire.to_cents``: 0 to 1E15), shifted as ``Money.from_minor`` shifts them. Anything
    else raises ``TypeError``.

    ``seen`` maps values met so far (and None) to their result, for a hot loop to probe first
    with any decoded JSON value. It holds strings, and in minor units ints other than 0 and 1:
    ``1`` and ``Decimal("1.00")`` are equal as keys but not as major-unit spellings (while in
    minor units both are 1), and ``True == 1``, ``False == 0``, so a bool never finds a key and
    always takes the full path, which refuses it.
    """

    __slots__ = ("_exponent", "_zero", "currency", "seen")

    def __init__(
        self, currency: str, *, minor_units: int | None = None, zero: bool = False
    ) -> None:
        self.currency = currency
        self._zero = zero
        self._exponent: int | None = None
        if minor_units is not None:
            digits = len(str(minor_units)) - 1
            if minor_units != 10**digits:
                raise ValueError(f"minor_units must be a power of 10, got {minor_units}")
            self._exponent = -digits
        self.seen: dict[object, Money | None] = {None: None}

    def money(self, value: object) -> Money | None:
        """The `Money` for one price value, or None for "no price"."""
        if value is None:
            return None
        if self._exponent is None:
            amount: Decimal = to_amount(value)
        else:
            amount = _SHIFT.scaleb(Decimal(to_cents(value)), self._exponent)
        result = money(amount, self.currency) if amount or self._zero else None
        kind = type(value)
        if kind is str or (kind is int and self._exponent is not None and value not in (0, 1)):
            self.seen[value] = result
        return result

    #: The name every memo reads one value by (``skinmarkets._pricefields.Memo``).
    read = money

    def table(self, values: Collection[object]) -> dict[object, Money | None]:
        """``{value: self.money(value)}`` for distinct values (``seen`` is left as it is).

        Plain spellings, the ones vendors send, are read in bulk, in C: in major units all
        strings of digits with at most one decimal point (up to 15 digits each side: finite,
        within 1E±30, not negative, so ``to_amount`` would keep them as ``Decimal`` makes
        them); in minor units all ints from 0 to 1E15, or all strings of up to 15 digits. Any
        other mix is read value by value, and a value ``money`` refuses raises.
        """
        present = [value for value in values if value is not None]
        amounts = self._plain_amounts(present)
        if amounts is None:
            return {value: self.money(value) for value in values}
        made: list[Money] = list(map(_new, repeat(Money, len(present))))
        _consume(map(_set_amount, made, amounts))
        _consume(map(_set_currency, made, repeat(self.currency, len(present))))
        table: dict[object, Money | None] = dict(zip(present, made, strict=True))
        if not self._zero:
            zeros = (value for value, amount in zip(present, amounts, strict=True) if not amount)
            table.update(dict.fromkeys(zeros))
        if len(present) != len(values):
            table[None] = None
        return table

    def _plain_amounts(self, values: list[object]) -> list[Decimal] | None:
        """The amounts of ``values`` if every one is spelled plainly (see :meth:`table`)."""
        if not values:
            return None
        texts = only(values, _STR)
        joined = "\n".join(cast("list[str]", values)) if texts else ""
        if texts and joined.count("\n") != len(values) - 1:  # a value holding a newline
            return None
        if self._exponent is None:
            if not texts or not _PLAIN_AMOUNTS.fullmatch(joined):
                return None
            return list(map(Decimal, cast("list[str]", values)))
        if texts and _PLAIN_WHOLES.fullmatch(joined):
            whole: list[int] = list(map(int, cast("list[str]", values)))
        elif only(values, _INT):
            whole = cast("list[int]", values)
            if min(whole) < 0 or max(whole) > MAX_CENTS:
                return None
        else:
            return None
        return list(map(_SHIFT.scaleb, map(Decimal, whole), repeat(self._exponent)))


class ValueMemo(Generic[T]):
    """One checked value per vendor string (``read``'s result), e.g. counts sent as ``"12"``.

    ``seen`` maps the strings met so far (and None, to None) to ``read``'s result, for a hot
    loop to probe first; only strings are kept, so probing with a bool never finds a key.
    """

    __slots__ = ("_read", "seen")

    def __init__(self, read: Callable[[object], T]) -> None:
        self._read = read
        self.seen: dict[object, T | None] = {None: None}

    def read(self, value: object) -> T | None:
        """``read(value)``, None for None; ``TypeError`` from ``read`` for a bad value."""
        if value is None:
            return None
        result = self._read(value)
        if type(value) is str:
            self.seen[value] = result
        return result

    def table(self, values: Collection[object]) -> dict[object, T | None]:
        """``{value: self.read(value)}`` for distinct values."""
        return {value: self.read(value) for value in values}


def optional(read: Callable[[object], object]) -> Callable[[object], object]:
    """``read`` that lets None through (a field declared ``X | None``)."""

    def read_optional(value: object) -> object:
        return None if value is None else read(value)

    return read_optional


#: How to re-read one field of an entry to word an error: (JSON key, the hook that reads it,
#: whether it must be present). The hook raises ``TypeError``/``ValueError`` for a bad value.
FieldRule = tuple[str, Callable[[object], object], bool]


class BadEntry(Exception):
    """One entry of a price list could not be read; ``key`` is where it sits, ``entry`` what."""

    def __init__(self, key: object, entry: object, field: str, reason: str) -> None:
        self.where = f"[{key!r:.40}].{field}" if field else f"[{key!r:.40}]"
        super().__init__(f"{reason} @ {self.where}")
        self.key = key
        self.entry = entry
        self.field = field
        self.reason = reason


def unexpected(
    vendor: str, operation: str, detail: str, answer: object
) -> errors.UnexpectedResponse:
    """``UnexpectedResponse`` for a price list: ``detail`` names the JSON path, the whole
    answer is kept in ``raw`` (as the typed path's ``_wire.structure`` keeps it)."""
    raw = answer if isinstance(answer, Mapping | list | str) else repr(answer)[:MAX_RAW_REPR]
    return errors.UnexpectedResponse(
        f"{vendor}: {operation}: the answer does not have the documented shape ({detail}); "
        "kept in .raw",
        vendor=vendor,
        operation=operation,
        raw=raw,
    )


def fault(key: object, entry: object, rules: Sequence[FieldRule]) -> BadEntry:
    """Why one entry could not be read (the slow path, run only to word the error)."""
    if not isinstance(entry, Mapping):
        return BadEntry(key, entry, "", f"expected a JSON object, got {entry!r:.40}")
    for field, read, required in rules:
        if field not in entry:
            if required:
                return BadEntry(key, entry, field, "required field missing")
            continue
        try:
            read(entry[field])
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
    wanted: Collection[str] | None = None,
) -> list[PriceQuote]:
    """One `PriceQuote` per name from the entries of a price export in major units.

    ``entries`` is the export's object (its keys name the entries in errors) or its list. Each
    entry is a JSON object with the name (a string, or a number spelled as one) and the ask and
    bid as decimal strings or numbers; a missing, null or zero price means "none" (a negative one
    cannot be true: :class:`BadEntry`). A
    name met again keeps its lowest ask and highest bid, and the first entry as ``raw``.
    ``currency`` must already be checked (upper-case, three letters). An entry of another shape
    raises :class:`BadEntry`, for the vendor's decoder to turn into ``UnexpectedResponse``.
    With ``wanted``, entries of other names are skipped once their name is read, unchecked.
    """
    pairs = entries.items() if isinstance(entries, Mapping) else enumerate(entries)
    memo = MoneyMemo(currency)
    with gc_paused():
        names, asks, bids, raws = _by_row(pairs, (name_key, ask_key, bid_key), memo, wanted)
        return quotes_from_columns(market, observed_at, names, asks, bids, raws)


def _by_row(
    pairs: Iterable[tuple[object, Any]],
    fields: tuple[str, str, str],
    memo: MoneyMemo,
    wanted: Collection[str] | None,
) -> tuple[
    Collection[str], Iterable[Money | None], Iterable[Money | None], Iterable[Mapping[str, Any]]
]:
    """Names, lowest asks, highest bids and first entries, one per name in first-seen order.

    One pass, entry by entry, is the fastest Python reading measured: reading each field across
    all entries with ``map`` runs in C, but the extra passes over 100,000 entries (and the
    dicts to find repeated names) cost more than they save. Any entry of another shape raises
    :class:`BadEntry`.
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
            if wanted is not None and name not in wanted:
                continue
            price = entry.get(ask_key)
            ask = seen(price, MISSING)
            if ask is MISSING:
                ask = to_money(price)
            price = entry.get(bid_key)
            bid = seen(price, MISSING)
            if bid is MISSING:
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
        rules = (
            (name_key, to_str, True),
            (ask_key, memo.money, False),
            (bid_key, memo.money, False),
        )
        raise fault(key, entry, rules) from None
    return raws.keys(), asks.values(), bids.values(), raws.values()


def quotes_from_columns(
    market: str,
    observed_at: datetime,
    names: Collection[str],
    asks: Iterable[Money | None],
    bids: Iterable[Money | None],
    raws: Iterable[Mapping[str, Any]],
    quantities: Iterable[int | None] | None = None,
) -> list[PriceQuote]:
    """The quotes, one slot at a time across all of them (the columns line up by position).

    ``quantities`` None is no quantity for any. ``map`` over a slot setter runs the whole column
    in C, without a Python frame per item: half the time of setting seven slots per quote in a
    loop. Every value must already be what the public constructor keeps (see the module doc).
    """
    count = len(names)
    quotes: list[PriceQuote] = list(map(_new, repeat(PriceQuote, count)))
    for setter, column in (
        (_set_market, repeat(market, count)),
        (_set_name, names),
        (_set_ask, asks),
        (_set_bid, bids),
        (_set_quantity, repeat(None, count) if quantities is None else quantities),
        (_set_observed, repeat(observed_at, count)),
        (_set_raw, raws),
    ):
        _consume(map(setter, quotes, column))
    return quotes


_consume: Callable[[Iterable[object]], None] = deque[object](maxlen=0).extend

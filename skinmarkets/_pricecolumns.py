"""Reading a price list by column: each field of every entry at once, in C.

A Python loop over 100,000 entries costs about a microsecond per entry before any check; taking
one field of every entry with ``map(dict.get, …)`` costs a few hundredths of that, and so does
checking the types of a whole column as a set. So a vendor's reader first tries its list by
column: :func:`column` takes a field, :func:`only` checks its types, :func:`read_column` reads
each distinct value once. This only ever takes shapes it can prove the typed path reads alike
(exact types, every entry a ``dict``); for anything else these return None or False and the
vendor reads the list by row, which takes every shape and words every error (see
``skinmarkets._pricelist``). Measured by ``tests/benchmarks/bench_pricelists.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from itertools import repeat
from typing import Any, Final, TypeVar

__all__ = ["NONE", "column", "only", "read_column", "read_distinct"]

T = TypeVar("T")

_TEXT_ONLY: Final = {str}

#: The type of JSON null, for the sets of types a column may hold.
NONE: Final[type] = type(None)


def column(entries: Sequence[Any], key: str, default: object = None) -> list[Any] | None:
    """``entry.get(key, default)`` of every entry, in C (no Python frame per entry); None when
    an entry is not a ``dict`` (the caller then reads row by row, which words the error)."""
    count = len(entries)
    try:
        return list(map(dict.get, entries, repeat(key, count), repeat(default, count)))
    except TypeError:
        return None


def only(values: Iterable[object], types: Collection[type]) -> bool:
    """Whether every value's type is exactly one of ``types`` (``bool`` is not ``int``)."""
    return set(map(type, values)) <= set(types)


def read_column(
    values: Sequence[object],
    types: Collection[type],
    read: Callable[[object], T],
    table: Callable[[Collection[object]], Mapping[object, T]] | None = None,
) -> list[T] | None:
    """``read(value)`` for every value, computed once per distinct value, in order.

    ``table`` (e.g. ``MoneyMemo.table``) reads the distinct values all at once instead. None
    when a value's type is not exactly one of ``types`` or a value is refused: the caller then
    reads row by row, which finds the entry and words the error. ``types`` must be types whose
    equal values read alike: strings, and ints where only the number counts (minor units,
    counts); never Decimal beside int in major units (``1`` and ``Decimal("1.00")`` are equal
    but spelled apart) and never bool (``True == 1``).
    """
    made = read_distinct(values, types, read, table)
    return None if made is None else list(map(made.__getitem__, values))


def read_distinct(
    values: Iterable[object],
    types: Collection[type],
    read: Callable[[object], T],
    table: Callable[[Collection[object]], Mapping[object, T]] | None = None,
) -> Mapping[object, T] | None:
    """:func:`read_column`'s table, value -> result, without the column: where only the check
    or a lookup by value is needed. None as for :func:`read_column`."""
    if set(types) == _TEXT_ONLY:
        # no other type's value equals a string: the distinct values tell the types
        try:
            distinct = set(values)
        except TypeError:  # an unhashable value (a list, an object) is not a string
            return None
        if not only(distinct, types):
            return None
    else:
        values = values if isinstance(values, list) else list(values)
        if not only(values, types):  # all of them: True == 1 would hide in a set of ints
            return None
        distinct = set(values)
    try:
        return table(distinct) if table is not None else {v: read(v) for v in distinct}
    except (TypeError, ValueError):
        return None

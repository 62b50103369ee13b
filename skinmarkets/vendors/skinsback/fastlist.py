"""market_pricelist decoded by msgspec into typed rows: the price list's fastest path.

Used when msgspec is installed (the ``fast`` extra; :data:`decoder` is None without it). An
answer in the documented grouped shape (``{"status": "success", "last_update": …, "items":
[{"name", "price", "classid", "count"}, …]}``, every item a string but ``count``, which may be
an integer, ``id`` with ``full=1``) is decoded in C straight into small typed rows, about half
the time of decoding it into dicts and checking each column's types after. Anything else (a
field no source documents, a number where a string is expected, a ``last_update`` no clock
can show, an error envelope) is left to the general reader (``decoder`` returns None), so every
other shape is read, and every error worded, exactly as before.

Each quote's ``raw`` is still a plain dict: the rows are turned back into dicts (in C) with the
fields the vendor sent, in the documented order.
"""

from __future__ import annotations

from operator import attrgetter
from typing import Any, cast

import msgspec

from skinmarkets._pricecolumns import read_column
from skinmarkets._pricelist import MoneyMemo
from skinmarkets._wire import to_int
from skinmarkets.money import Money
from skinmarkets.vendors.skinsback import units

__all__ = ["Rows", "decoder", "lowest", "plain"]


class _Item(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    """One entry of the grouped list (``id`` with ``full=1``); a missing field stays UNSET."""

    name: str
    price: str | msgspec.UnsetType | None = msgspec.UNSET
    classid: str | msgspec.UnsetType | None = msgspec.UNSET
    count: str | int | msgspec.UnsetType | None = msgspec.UNSET
    id: str | msgspec.UnsetType | None = msgspec.UNSET


class _Answer(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    status: str
    items: list[_Item]
    last_update: str | int | msgspec.UnsetType | None = msgspec.UNSET


class Rows(list[_Item]):
    """The typed entries of ``items``, so the reader can tell them from decoded dicts."""


_decode = msgspec.json.Decoder(_Answer).decode


def decoder(body: bytes) -> dict[str, Any] | None:
    """A success answer of the documented shape as ``{"status", "last_update", "items": Rows}``;
    None for any other body (the general reader takes it)."""
    try:
        answer = _decode(body)
    except (msgspec.DecodeError, ValueError):  # ValidationError is a DecodeError
        return None
    if answer.status != units.STATUS_SUCCESS:
        return None
    data: dict[str, Any] = {"status": answer.status}
    if answer.last_update is not msgspec.UNSET:
        try:
            units.observed_at(answer.last_update)
        except units.OBSERVED_REFUSED:
            return None  # the general reader words it, with the answer as sent as its raw
        data["last_update"] = answer.last_update
    data["items"] = Rows(answer.items)
    return data


def plain(rows: Rows) -> list[Any]:
    """The entries as the dicts the vendor sent (without the fields it left out)."""
    return list(msgspec.to_builtins(rows))


_NAME = attrgetter("name")
_PRICE = attrgetter("price")
_COUNT = attrgetter("count")
_TEXT: frozenset[type] = frozenset({str})


def lowest(rows: Rows) -> tuple[list[str], list[Money], list[int | None], list[Any]] | None:
    """(names, asks, counts, raws) when every entry has a distinct non-empty name, a price and a
    count the by-column reading takes (the documented list); None for the general reader."""
    names = list(map(_NAME, rows))
    distinct = set(names)
    if len(distinct) != len(names) or "" in distinct:
        return None  # names met twice or empty: the rows reader merges or skips them
    memo = MoneyMemo(units.CURRENCY, zero=True)
    asks = read_column(list(map(_PRICE, rows)), _TEXT, memo.money, memo.table)
    if asks is None:
        return None
    counts = list(map(_COUNT, rows))
    # msgspec made each count a str, an int (never a bool: True == 1) or None, or left it UNSET:
    # no type check is left but UNSET's (read_column checks the type of every value)
    distinct = set(counts)
    if msgspec.UNSET in distinct:
        return None
    try:
        table = {value: None if value is None else to_int(value) for value in distinct}
    except (TypeError, ValueError):
        return None
    quantities: list[int | None] = list(map(table.__getitem__, counts))
    return names, cast("list[Money]", asks), quantities, plain(rows)

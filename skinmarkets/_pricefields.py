"""A price list's entries read field by field: one reading for every vendor's ``pricelist.py``.

A vendor describes each field of its entries once, as a :class:`Field` (the JSON key, the wire
hook that reads one value, the exact types a column of it may hold, the memo that reads many
values), in the order of its wire class, and :func:`read_entries` reads every entry by them:

- by column (:func:`by_column`, with ``skinmarkets._pricecolumns``): each field of every entry
  at once, in C, no Python frame per entry; the values of the field's types are read once per
  distinct value (the types whose equal values the typed path reads alike), any other value one
  by one, as the row reading reads it (a stray whole ``Decimal`` costs one call);
- by row (:func:`by_row`): one Python loop over the entries, for the entries of a few names
  (``wanted``) and for a list by column refused (an entry that is not an object, a value the
  wire class refuses): it words the first entry of another shape (``_pricelist.fault``) as
  ``UnexpectedResponse`` naming its path (``@ $.items[12].price``), the whole answer kept.

Both give the same :class:`Entries`: the keys (names, or positions in an array), the entries and
one column per kept field, position by position. What the vendor then makes of the columns
(merging repeated names, joining two lists) is its own. :class:`PriceAnswer` reads the rest of
an answer (the member holding the entries, header fields such as the time) with the same wording.
Measured by ``tests/benchmarks/bench_pricelists.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from itertools import compress
from operator import not_
from typing import Any, Final, NamedTuple, Protocol, TypeVar

from skinmarkets import errors
from skinmarkets._pricecolumns import column, only, read_column, read_distinct
from skinmarkets._pricelist import MISSING, FieldRule, fault, unexpected

__all__ = [
    "Entries",
    "Field",
    "Memo",
    "PriceAnswer",
    "by_column",
    "by_row",
    "read_entries",
    "rules",
]

T = TypeVar("T")

_STR: Final = frozenset({str})


class Memo(Protocol):
    """What reads a field's values, each distinct one once: a `MoneyMemo` or a `ValueMemo`."""

    seen: dict[object, Any]

    def read(self, value: object) -> Any: ...

    def table(self, values: Collection[object]) -> Mapping[object, Any]: ...


class Field(NamedTuple):
    """One field of a price list's entries, as its wire class reads it."""

    #: The JSON key.
    key: str
    #: The wire hook for one value (``to_cents``, ``optional(to_int)``…): raises ``TypeError`` or
    #: ``ValueError`` for a value the typed path refused; its message words the error.
    rule: Callable[[object], object]
    #: The exact types read once per distinct value by column (``_pricecolumns.read_column``
    #: says which may be); a value of another type is read on its own.
    types: frozenset[type]
    #: Makes the memo that reads the values, a new one per list. None: a value of ``types`` is
    #: kept as it is, any other goes through ``rule``.
    memo: Callable[[], Memo] | None = None
    #: False for a field that is only checked: no column of it is returned.
    kept: bool = True
    #: A missing key is refused ("required field missing"), and so is null.
    required: bool = False
    #: What a missing key reads as.
    default: object = None


class Entries(NamedTuple):
    """A list read: each entry's key (its name, or its position in an array), the entries, and
    one column per kept field, all position by position."""

    keys: Sequence[Any]
    entries: Sequence[Any]
    columns: list[list[Any]]


class PriceAnswer:
    """One price-list answer being read: its errors name the vendor, the operation and the
    JSON path, and keep the whole answer (as the typed path's ``_wire.structure`` does)."""

    __slots__ = ("body", "operation", "vendor")

    def __init__(self, vendor: str, operation: str, body: object) -> None:
        self.vendor = vendor
        self.operation = operation
        self.body = body

    def unexpected(self, detail: str) -> errors.UnexpectedResponse:
        """``UnexpectedResponse`` for this answer; ``detail`` ends with the JSON path."""
        return unexpected(self.vendor, self.operation, detail, self.body)

    def as_object(self) -> Mapping[str, Any]:
        """The answer, which must be a JSON object."""
        if not isinstance(self.body, Mapping):
            raise self.unexpected(f"expected a JSON object, got {type(self.body).__name__}")
        return self.body

    def value(self, key: str, read: Callable[[object], T]) -> T:
        """``read`` of the answer's ``key`` (None when missing); a value it refuses is
        ``UnexpectedResponse`` naming ``$.key``."""
        try:
            return read(self.as_object().get(key))
        except (TypeError, ValueError, OverflowError, OSError) as exc:
            raise self.unexpected(f"{exc} @ $.{key}") from None

    def member(self, key: str, kind: type[dict[str, Any]] | type[list[Any]], *, php: bool) -> Any:
        """The answer's ``key``: a JSON object (``kind`` dict) or array (``list``).

        With ``php``, a missing key is an empty one, and so is an empty value of the other kind
        (PHP's json_encode writes an empty associative array as ``[]``, and some servers an
        empty list as ``{}``). Anything else is ``UnexpectedResponse`` naming ``$.key``.
        """
        body = self.body if isinstance(self.body, Mapping) else {}
        value = body.get(key, kind() if php else None)
        if php and not value and isinstance(value, Mapping | list):
            value = kind()
        if not isinstance(value, Mapping if kind is dict else list):
            expected = "object" if kind is dict else "array"
            raise self.unexpected(f"expected a JSON {expected}, got {value!r:.40} @ $.{key}")
        return value


def read_entries(
    container: Mapping[str, Any] | Sequence[Any],
    fields: Sequence[Field],
    answer: PriceAnswer,
    path: str,
    wanted: Collection[str] | None = None,
) -> Entries:
    """Every entry of ``container`` (an object's values by name, or an array's items, found at
    ``path`` in the answer): by column, and by row when that refuses the list (to word why).

    With ``wanted``, only the entries of those names, by row; the others are skipped unread. An
    object's keys name its entries; an array's entries are named by their first field (read
    first, and a name refused is still an error).
    """
    if isinstance(container, Mapping):
        if wanted is not None:
            named = [(name, container[name]) for name in filter(wanted.__contains__, container)]
            return by_row(named, fields, answer, path)
        keys: Sequence[Any] = list(container)
        entries: Sequence[Any] = list(container.values())
    else:
        keys, entries = range(len(container)), container
        if wanted is not None:
            names = column(entries, fields[0].key, fields[0].default)
            if names is None or not only(names, _STR):
                return by_row(enumerate(entries), fields, answer, path, wanted)
            wanted_items = compress(enumerate(entries), map(wanted.__contains__, names))
            return by_row(wanted_items, fields, answer, path)
    columns = by_column(entries, fields)
    if columns is None:
        return by_row(zip(keys, entries, strict=True), fields, answer, path)
    return Entries(keys, entries, columns)


def rules(fields: Sequence[Field]) -> tuple[FieldRule, ...]:
    """Each field as ``_pricelist.fault`` re-reads it to word an error about one entry."""
    return tuple((field.key, field.rule, field.required) for field in fields)


def by_column(entries: Sequence[Any], fields: Sequence[Field]) -> list[list[Any]] | None:
    """The kept fields' columns, every field of every entry checked; None when an entry is not
    a JSON object or a value is refused (the row reading words which)."""
    columns = []
    for field in fields:
        values = column(entries, field.key, field.default)
        made = None if values is None else _read_field(field, values)
        if made is None:
            return None
        if field.kept:
            columns.append(made)
    return columns


def _read_field(field: Field, values: list[Any]) -> list[Any] | None:
    """One field's values read: by column (``_pricecolumns``) when every value is of
    ``field.types``, else by :func:`_read_mixed`; None when a value is refused."""
    memo = field.memo() if field.memo is not None else None
    if memo is None:
        if only(values, field.types):
            return values
    elif field.kept:
        made = read_column(values, field.types, memo.read, memo.table)
        if made is not None:
            return made
    elif read_distinct(values, field.types, memo.read, memo.table) is not None:
        return values  # only checked: the table of distinct values is enough
    return _read_mixed(field, memo, values)


def _read_mixed(field: Field, memo: Memo | None, values: list[Any]) -> list[Any] | None:
    """The values of ``field.types`` read once per distinct value, any other one by one as the
    row reading reads it; None when a value is refused."""
    typed = list(map(field.types.__contains__, map(type, values)))
    others = list(compress(range(len(values)), map(not_, typed)))
    if field.required and any(values[index] is None for index in others):
        return None
    read = field.rule if memo is None else memo.read
    try:
        if memo is None:
            made = list(values)
        else:
            table = read_distinct(compress(values, typed), field.types, memo.read, memo.table)
            if table is None:
                return None
            made = list(map(table.get, values))  # the others' places are filled below
        for index in others:
            made[index] = read(values[index])
    except (TypeError, ValueError):  # an unhashable value, or one ``read`` refuses
        return None
    return made


def by_row(
    pairs: Iterable[tuple[Any, Any]],
    fields: Sequence[Field],
    answer: PriceAnswer,
    path: str,
    wanted: Collection[str] | None = None,
) -> Entries:
    """Every shape the wire classes read, entry by entry (``pairs`` of key and entry); the first
    entry of another shape raises, worded. With ``wanted``, an entry whose first field is not
    wanted is skipped once that field is read."""
    first, *others = map(_row_reader, fields)
    keys: list[Any] = []
    entries: list[Any] = []
    rows: list[list[Any]] = []
    key: Any = None
    entry: Any = None
    try:
        for key, entry in pairs:
            name = first(entry)
            if wanted is not None and name not in wanted:
                continue
            rows.append([name, *[read(entry) for read in others]])
            keys.append(key)
            entries.append(entry)
    except (TypeError, ValueError, KeyError, AttributeError):
        bad = fault(key, entry, rules(fields))
        raise answer.unexpected(f"{bad.reason} @ {path}{bad.where}") from None
    read = list(map(list, zip(*rows, strict=True))) if rows else [[] for _ in fields]
    return Entries(keys, entries, list(compress(read, (field.kept for field in fields))))


def _row_reader(field: Field) -> Callable[[Any], Any]:
    """What reads ``field`` of one entry by row; it raises for a value of another shape."""
    key, types, rule, required = field.key, field.types, field.rule, field.required
    default = None if required else field.default
    if field.memo is None:

        def read_plain(entry: Any) -> Any:
            value = entry.get(key, default)
            if value is None and required:
                raise TypeError(key)  # missing or null: fault() words which
            return value if type(value) in types else rule(value)

        return read_plain
    memo = field.memo()
    seen, read = memo.seen.get, memo.read

    def read_memo(entry: Any) -> Any:
        value = entry.get(key, default)
        if value is None and required:
            raise TypeError(key)
        made = seen(value, MISSING)
        return read(value) if made is MISSING else made

    return read_memo

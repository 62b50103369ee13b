"""Vendor JSON into wire classes: the bounded conversion hooks every vendor's converter shares.

Vendors are loose with types: one field is an int in one answer and a string in another, ids come
as numbers or strings, amounts as integers, decimal strings or JSON numbers. Each hook here accepts
the spellings vendors really use and turns them into one Python type; anything else raises
``TypeError``, which :func:`structure` turns into ``UnexpectedResponse`` carrying the raw answer.

Why every number is bounded: JSON is decoded with ``parse_float=Decimal``, so a body may hold
``1E999999999``. Turned into an ``int`` that is a billion-digit number, and making it hangs the
parser (and any arithmetic on it later). Nothing a vendor really sends (prices in minor units,
stages, unix times in milliseconds) comes near 10**18 or an exponent of 30, so anything beyond is
refused before it is built, and random JSON can only ever produce ``UnexpectedResponse``. Values
quoted in error messages are cut short (``!r:.40``) for the same reason.

Values that cannot be true are refused the same way (``UnexpectedResponse``, raw kept), never
accepted and never a ``KeyError``/``TypeError`` further on:

- money: a price, balance or amount is never negative. Fields declared :data:`Cents` (whole
  minor units) or :data:`Amount` (a decimal in major units, or minor units with a fraction)
  accept 0 and more; 0 stays meaningful (an empty balance, a free item, "no price").
- ids: a field declared :data:`Id` takes a JSON string or a JSON integer (turned into its
  digits). A JSON number written with a fraction or an exponent -- ``1.5``, ``123.0``,
  ``1E+400`` -- is refused even when its value is whole: JSON is decoded with
  ``parse_float=Decimal``, so such a number arrives as a ``Decimal``, no vendor writes an id
  that way, and its ``str()`` (``"1E+400"``, ``"123.0"``) would be an id that names nothing.

Why ``bool`` has a hook: cattrs' default is ``bool(value)``, and ``bool("false")`` is ``True``.

Each vendor's ``wire.py`` mirrors the vendor's JSON as attrs classes, field names spelt as the
vendor spells them so each class reads like the doc; the classes the adapter turns into models
subclass :class:`KeepsRaw`. It builds its converter with :func:`make_converter`, registers any
hook its spellings need in one line (e.g. SkinsBack's PHP booleans, :func:`to_php_bool`), and
binds :func:`structure` to it with :func:`structure_for`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, NewType, Protocol, TypeVar, get_origin

import attrs
import cattrs

from skinmarkets import errors

T = TypeVar("T")

#: The vendor's dict as it came; set by the converter, never read from a JSON key "raw".
Raw = Mapping[str, Any]

#: An ISO currency code as the vendor sent it, checked to be three letters (upper-cased).
Currency = NewType("Currency", str)

#: An amount in minor units (cents; Market TM's thousandths of USD/EUR too) as the vendor sent
#: it: a whole number from 0 to MAX_CENTS, never negative.
Cents = NewType("Cents", int)

#: A price, balance or amount as a decimal (major units, or minor units with a fraction): 0 or
#: more, within to_decimal's bounds.
Amount = NewType("Amount", Decimal)

#: An identifier as the vendor sent it: a string, or a JSON integer as its digits (see the module
#: docstring for why a number with a fraction or an exponent is refused).
Id = NewType("Id", str)


@attrs.frozen
class KeepsRaw:
    """A wire class the adapter turns into a model: ``raw`` is the vendor's dict exactly as it
    came (every key, the JSON key ``class`` and the vendor's own value types), so the model's
    ``raw`` loses nothing the vendor said. Set by the converter, never read from a JSON key;
    out of ``repr`` and ``==``; keyword-only, so a subclass's own fields keep their positions."""

    raw: Raw = attrs.field(factory=dict, eq=False, repr=False, kw_only=True)


#: Integers must lie strictly between -MAX_INT and MAX_INT.
MAX_INT = 10**18
#: Decimals must have an adjusted exponent within ±MAX_EXPONENT (or be zero).
MAX_EXPONENT = 30
#: The largest amount in cents (ten trillion in major units).
MAX_CENTS = 10**15
#: How much of an unparseable answer's repr an error keeps, and how much of cattrs' detail.
MAX_RAW_REPR = 2000
MAX_DETAIL = 500

_INT_TEXT = re.compile(r"-?[0-9]{1,18}")
_CURRENCY = re.compile(r"[A-Za-z]{3}")


def to_str(value: object, _type: object = None) -> str:
    """A string, or a number (not a bool) spelled as a string: ids come both ways."""
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise TypeError(f"expected a string or number, got {value!r:.40}")
    try:
        return value if isinstance(value, str) else str(value)
    except ValueError:  # an int past str()'s 4300-digit limit (a mapping, not decoded JSON)
        raise TypeError("expected a string or number, got an int of over 4300 digits") from None


def to_int(value: object, _type: object = None) -> int:
    """A whole number below 1E18 from an int, a whole Decimal or a string of up to 18 digits."""
    if isinstance(value, bool):
        raise TypeError(f"expected an integer, got {value!r}")
    if isinstance(value, str) and _INT_TEXT.fullmatch(value.strip()):
        return int(value)
    if (
        isinstance(value, Decimal)
        and value.is_finite()
        and value.adjusted() < 18
        and value == value.to_integral_value()
    ):
        value = int(value)
    if isinstance(value, int) and -MAX_INT < value < MAX_INT:
        return value
    raise TypeError(f"expected an integer below 1E18, got {value!r:.40}")


def to_decimal(value: object, _type: object = None) -> Decimal:
    """A finite Decimal within 1E±30 from a Decimal, an int or a decimal string; never a float."""
    if isinstance(value, bool):
        raise TypeError(f"expected a number, got {value!r}")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except InvalidOperation:
            raise TypeError(f"expected a decimal number, got {value!r:.40}") from None
    else:
        raise TypeError(f"expected a number, got {value!r:.40}")
    if not result.is_finite() or (result and abs(result.adjusted()) > MAX_EXPONENT):
        raise TypeError(f"expected a finite number within 1E±{MAX_EXPONENT}, got {value!r:.40}")
    return result


def to_cents(value: object, _type: object = None) -> Cents:
    """An amount in cents: a whole number from 0 to 1E15 (see :func:`to_int` for spellings)."""
    cents = to_int(value)
    if not 0 <= cents <= MAX_CENTS:
        raise TypeError(f"expected an amount in cents from 0 to 1E15, got {cents}")
    return Cents(cents)


def to_amount(value: object, _type: object = None) -> Amount:
    """A price, balance or amount: :func:`to_decimal`'s spellings and bounds, and not below 0."""
    amount = to_decimal(value)
    if amount < 0:
        raise TypeError(f"expected an amount of 0 or more, got {value!r:.40}")
    return Amount(amount.copy_abs())  # a "-0" is 0 (copy_abs never rounds, abs() would)


def to_id(value: object, _type: object = None) -> Id:
    """An identifier: a string, or a JSON integer (not a bool) as its digits.

    A ``Decimal`` (a JSON number with a fraction or an exponent) is refused, whole or not.
    """
    if isinstance(value, str):
        return Id(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return Id(str(value))
    raise TypeError(
        f"expected an id (a string or a whole number without fraction or exponent), "
        f"got {value!r:.40}"
    )


def to_currency(value: object, _type: object = None) -> Currency:
    """A three-letter currency code, upper-cased."""
    if not isinstance(value, str) or not _CURRENCY.fullmatch(value):
        raise TypeError(f"expected a 3-letter currency code, got {value!r:.40}")
    return Currency(value.upper())


def to_bool(value: object, _type: object = None) -> bool:
    """A JSON ``true`` or ``false`` only: ``"false"``, ``0`` or ``1`` are refused."""
    if isinstance(value, bool):
        return value
    raise TypeError(f"expected true or false, got {value!r:.40}")


def to_php_bool(value: object, _type: object = None) -> bool:
    """``true``/``false``, ``1``/``0`` or ``"1"``/``"0"``/``"true"``/``"false"``/``""`` (how PHP
    writes a flag); a vendor that sends them registers this hook for ``bool``."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in ("0", "1", "true", "false", ""):
        return value.strip().lower() in ("1", "true")
    raise TypeError(f"expected true or false, got {value!r:.40}")


def unix_utc(timestamp: int | None) -> datetime | None:
    """Unix seconds (or milliseconds, past 10**11) as aware UTC; None when absent, 0 or less
    or out of range (the raw answer keeps it)."""
    if timestamp is None or timestamp <= 0:
        return None
    try:
        seconds = timestamp / 1000 if timestamp > 100_000_000_000 else timestamp
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def make_converter(module_name: str, *, empty_list_as_dict: bool = False) -> cattrs.Converter:
    """A converter with the bounded hooks, structuring the attrs classes of ``module_name``.

    Those classes are read from JSON objects only; a field ``class_`` reads the JSON key
    ``class`` (a Python keyword), and a field ``raw`` receives the vendor's dict exactly as it
    came instead of being read from a key. With ``empty_list_as_dict``, every ``dict[...]``
    also accepts ``[]``: PHP's json_encode writes an empty associative array that way.
    """
    converter = cattrs.Converter(forbid_extra_keys=False)
    converter.register_structure_hook(str, to_str)
    converter.register_structure_hook(int, to_int)
    converter.register_structure_hook(bool, to_bool)
    converter.register_structure_hook(Decimal, to_decimal)
    converter.register_structure_hook(Currency, to_currency)
    converter.register_structure_hook(Cents, to_cents)
    converter.register_structure_hook(Amount, to_amount)
    converter.register_structure_hook(Id, to_id)

    def is_wire_class(cls: Any) -> bool:
        return isinstance(cls, type) and attrs.has(cls) and cls.__module__ == module_name

    converter.register_structure_hook_factory(
        is_wire_class, lambda cls: _wire_class_hook(converter, cls)
    )
    if empty_list_as_dict:
        converter.register_structure_hook_factory(
            _is_dict_type, lambda cls: _php_dict_hook(converter, cls)
        )
    return converter


def _wire_class_hook(converter: cattrs.Converter, cls: type[Any]) -> Callable[[Any, Any], Any]:
    """Structure ``cls`` from a JSON object, reading ``class`` into ``class_``, keeping ``raw``."""
    names = {a.name for a in attrs.fields(cls)}
    overrides: dict[str, Any] = {}
    if "class_" in names:  # a Python keyword as a JSON key
        overrides["class_"] = cattrs.gen.override(rename="class")
    if "raw" in names:
        overrides["raw"] = cattrs.gen.override(omit=True)
    fields_only = cattrs.gen.make_dict_structure_fn(cls, converter, **overrides)

    def structure_wire(data: Any, _type: Any) -> Any:
        if not isinstance(data, Mapping):
            raise TypeError(f"expected a JSON object for {cls.__name__}, got {data!r:.40}")
        made = fields_only(data, _type)
        return attrs.evolve(made, raw=data) if "raw" in names else made

    return structure_wire


def _is_dict_type(cls: Any) -> bool:
    return get_origin(cls) is dict


def _php_dict_hook(converter: cattrs.Converter, cls: Any) -> Callable[[Any, Any], Any]:
    """A JSON object, or ``[]`` (PHP's empty associative array) as an empty dict."""
    # make_mapping_structure_fn registers nothing (gen_structure_mapping would, and a later
    # cache reset would then drop the [] handling for the classes built on it).
    mapping = cattrs.gen.make_mapping_structure_fn(cls, converter)

    def structure_mapping(data: Any, _type: Any) -> Any:
        return {} if isinstance(data, list) and not data else mapping(data, _type)

    return structure_mapping


def structure(
    converter: cattrs.Converter,
    data: object,
    cls: type[T] | Any,
    *,
    vendor: str,
    operation: str,
) -> T:
    """``data`` as ``cls``; an answer of another shape is ``UnexpectedResponse`` (raw kept).

    The message names the vendor, the operation and cattrs' field paths (``@ $.trades[0].time``).
    """
    try:
        result: T = converter.structure(data, cls)
    except (cattrs.BaseValidationError, TypeError, ValueError, KeyError, AttributeError) as exc:
        detail = (
            "; ".join(cattrs.transform_error(exc))
            if isinstance(exc, cattrs.BaseValidationError)
            else str(exc)
        )
        raw = data if isinstance(data, Mapping | list | str) else repr(data)[:MAX_RAW_REPR]
        raise errors.UnexpectedResponse(
            f"{vendor}: {operation}: the answer does not have the documented shape "
            f"({detail[:MAX_DETAIL]}); kept in .raw",
            vendor=vendor,
            operation=operation,
            raw=raw,
        ) from None
    return result


class VendorStructure(Protocol):
    """:func:`structure` bound to one vendor's converter and name (its ``wire.structure``)."""

    def __call__(self, data: object, cls: type[T] | Any, *, operation: str) -> T: ...


def structure_for(converter: cattrs.Converter, vendor: str) -> VendorStructure:
    """``structure(data, cls, operation=…)`` for ``vendor``: :func:`structure` with its
    converter, raising the same ``UnexpectedResponse``."""

    def structure_vendor(data: object, cls: type[T] | Any, *, operation: str) -> T:
        result: T = structure(converter, data, cls, vendor=vendor, operation=operation)
        return result

    return structure_vendor

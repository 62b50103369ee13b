"""Exact money amounts (`Money`) and exchange rates (`Rates`).

Every amount is a `decimal.Decimal`. IEEE-754 binary numbers are refused at every entry
point with a TypeError: they cannot hold most cent values (a price of 4.10 is really
4.0999999999999996447...), and the error compounds silently through sums and conversions.
Pass a str or a Decimal instead, e.g. ``Money("4.10", "USD")``.

Marketplaces send prices as integers of a minor unit whose size differs per vendor:
Market TM sends USD x 1000 (``5100`` is 5.100 USD) while swap.gg sends EUR cents
(``5100`` is 51.00 EUR). `Money.from_minor` and `Money.to_minor` therefore take the
``scale`` explicitly, so the conversion is exact and visible at the call site.
"""

from __future__ import annotations

import decimal
import json
import os
import re
from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Final, TypeAlias

import attrs

from skinmarkets import errors

__all__ = ["AmountLike", "Money", "Rates"]

AmountLike: TypeAlias = Decimal | int | str

_ROUNDINGS: Final = frozenset(
    {
        decimal.ROUND_CEILING,
        decimal.ROUND_DOWN,
        decimal.ROUND_FLOOR,
        decimal.ROUND_HALF_DOWN,
        decimal.ROUND_HALF_EVEN,
        decimal.ROUND_HALF_UP,
        decimal.ROUND_UP,
        decimal.ROUND_05UP,
    }
)

# The default context keeps only 28 significant digits and would round large sums and
# products silently. Results of +, -, *, scaleb and quantize are bounded by their operands,
# so this context never rounds them (it would exhaust memory only on non-terminating
# division, which `_divide` keeps away from it).
_EXACT: Final = decimal.Context(
    prec=decimal.MAX_PREC,
    Emax=decimal.MAX_EMAX,
    Emin=decimal.MIN_EMIN,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)

# Not str.isdigit or int(): both accept non-ASCII digits, and int() also takes "5_100" and
# surrounding whitespace, none of which a vendor should be sending.
_MINOR_RE: Final = re.compile(r"[+-]?[0-9]+")
_MAX_MAGNITUDE: Final = 100


def _binary_refusal(what: str, value: object, example: str) -> str:
    """Explain why an IEEE-754 binary number was refused and what to pass instead."""
    return (
        f"{what} must not be a float (got {value!r}): binary floats cannot hold most "  # float ok
        f"cent values exactly and the error grows silently; pass a str or Decimal "
        f"instead, e.g. {example}"
    )


def _to_decimal(value: object, what: str, example: str) -> Decimal:
    """Convert an amount-like value to a finite Decimal, refusing binary numbers and bools."""
    if isinstance(value, bool):
        raise TypeError(f"{what} must be a Decimal, int or str, not bool ({value!r})")
    if isinstance(value, float):  # float ok
        raise TypeError(_binary_refusal(what, value, example))
    if isinstance(value, Decimal | int):
        result = Decimal(value)
    elif isinstance(value, str):
        try:
            result = Decimal(value)
        except decimal.InvalidOperation:
            raise ValueError(f"{what} {value!r} is not a decimal number") from None
    else:
        raise TypeError(f"{what} must be a Decimal, int or str, not {type(value).__name__}")
    if not result.is_finite():
        raise ValueError(f"{what} must be a finite number, got {value!r}")
    # No price is anywhere near 10**100; a vendor sending "1E999999999" would otherwise make
    # str() or to_minor() build a billion-digit number.
    if result and not -_MAX_MAGNITUDE <= result.adjusted() <= _MAX_MAGNITUDE:
        raise ValueError(f"{what} {value!r} is out of range for money (beyond 1E±{_MAX_MAGNITUDE})")
    return result


def _to_amount(value: AmountLike) -> Decimal:
    """Convert a Money amount to Decimal without changing its value or exponent."""
    return _to_decimal(value, "Money amount", 'Money("4.00", "USD")')


def _to_currency(code: str) -> str:
    """Validate a 3-letter currency code and return it upper-cased."""
    if not isinstance(code, str):
        raise TypeError(f"currency must be a str like 'USD', not {type(code).__name__}")
    # Checked before upper() because non-ASCII letters can upper-case into ASCII ("ß" -> "SS").
    if len(code) != 3 or not code.isascii() or not code.isalpha():
        raise ValueError(f"currency must be a 3-letter code like 'USD', got {code!r}")
    return code.upper()


def _scale_exponent(scale: int) -> int:
    """Return k such that scale == 10**k, or raise if scale is not such a power."""
    if isinstance(scale, bool) or not isinstance(scale, int):
        raise TypeError(f"scale must be an int like 100, not {type(scale).__name__}")
    digits = str(scale)
    if digits != "1" + "0" * (len(digits) - 1):
        raise ValueError(
            f"scale must be a positive power of 10 (1, 10, 100, 1000, ...), got {scale}"
        )
    return len(digits) - 1


def _check_rounding(rounding: str) -> str:
    """Return rounding if it is one of the decimal module's rounding modes."""
    if rounding not in _ROUNDINGS:
        raise ValueError(
            f"rounding must be a decimal rounding mode such as decimal.ROUND_DOWN, got {rounding!r}"
        )
    return rounding


def _divide(dividend: Decimal, divisor: Decimal) -> Decimal:
    """Return dividend / divisor: exact if the quotient terminates, else per the decimal context.

    A terminating quotient exists only when the divisor's coefficient reduces to 2**x * 5**y,
    and then it has fewer than digits(dividend) + 3 * digits(divisor) + 2 digits; trying that
    precision with Inexact trapped finds it or proves it does not exist. Only then (e.g. 10 / 3)
    is the caller's `decimal` context used to round, so it stays under the caller's control.
    """
    prec = len(dividend.as_tuple().digits) + 3 * len(divisor.as_tuple().digits) + 2
    trial = decimal.Context(
        prec=prec,
        Emax=decimal.MAX_EMAX,
        Emin=decimal.MIN_EMIN,
        traps=[decimal.Inexact, decimal.InvalidOperation, decimal.DivisionByZero],
    )
    try:
        return trial.divide(dividend, divisor)
    except decimal.Inexact:
        return dividend / divisor


def _factor(other: object) -> Decimal | None:
    """Return a finite Decimal multiplier/divisor, or None for types Money does not scale by."""
    if isinstance(other, float):  # float ok
        raise TypeError(_binary_refusal("a Money multiplier or divisor", other, 'Decimal("1.5")'))
    if isinstance(other, bool) or not isinstance(other, int | Decimal):
        return None
    factor = Decimal(other)
    if not factor.is_finite():
        raise ValueError(f"a Money multiplier or divisor must be finite, got {other!r}")
    return factor


@attrs.frozen(repr=False)
class Money:
    """An exact amount of one currency; arithmetic never rounds unless asked to."""

    amount: Decimal = attrs.field(converter=_to_amount)
    currency: str = attrs.field(converter=_to_currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        """Return zero of the given currency."""
        return cls(0, currency)

    @classmethod
    def from_minor(cls, minor: int | str, currency: str, *, scale: int = 100) -> Money:
        """Build Money from an integer count of 1/scale units, e.g. cents for scale=100."""
        if isinstance(minor, float):  # float ok
            raise TypeError(_binary_refusal("minor", minor, 'Money.from_minor(5100, "USD")'))
        if isinstance(minor, str):
            if not _MINOR_RE.fullmatch(minor):
                raise ValueError(
                    f"minor must be a whole number of minor units like '5100', got {minor!r}; "
                    f'for a decimal amount use Money("51.00", "USD") instead'
                )
            units = int(minor)
        elif isinstance(minor, int) and not isinstance(minor, bool):
            units = minor
        else:
            raise TypeError(f"minor must be an int like 5100, not {type(minor).__name__}")
        return cls(Decimal(units).scaleb(-_scale_exponent(scale), _EXACT), currency)

    def to_minor(self, *, scale: int = 100, rounding: str | None = None) -> int:
        """Return the amount as an integer count of 1/scale units.

        Refuses to round silently: an amount like 3.573 USD at scale=100 raises unless a
        rounding mode is given, because dropping a fraction of a cent is a business decision.
        """
        units = self.amount.scaleb(_scale_exponent(scale), _EXACT)
        if rounding is not None:
            return int(units.to_integral_value(rounding=_check_rounding(rounding)))
        if units != units.to_integral_value():
            raise ValueError(
                f"{self} is not a whole number of 1/{scale} {self.currency} units "
                f"({format(units, 'f')} at scale={scale}); pass rounding=decimal.ROUND_DOWN "
                f"(or another decimal rounding mode) to round it"
            )
        return int(units)

    def quantize(self, places: int | Decimal, rounding: str = decimal.ROUND_HALF_EVEN) -> Money:
        """Round to `places` decimal places (int) or to the exponent of a Decimal like 0.01."""
        if isinstance(places, bool) or not isinstance(places, int | Decimal):
            raise TypeError(
                f"places must be an int or a Decimal like Decimal('0.01'), "
                f"not {type(places).__name__}"
            )
        if isinstance(places, int):
            exponent = Decimal((0, (1,), -places))
        elif places.is_finite():
            exponent = places
        else:
            raise ValueError(f"places must be finite, got {places!r}")
        amount = self.amount.quantize(exponent, rounding=_check_rounding(rounding), context=_EXACT)
        return Money(amount, self.currency)

    def convert(self, to: str, rates: Rates) -> Money:
        """Return this amount in currency `to`, exact wherever the rate itself is exact."""
        target = _to_currency(to)
        if target == self.currency:
            return self
        return Money(_EXACT.multiply(self.amount, rates.rate(self.currency, target)), target)

    def _require_same_currency(self, other: Money, verb: str) -> None:
        """Raise ValueError unless other is in this currency."""
        if self.currency != other.currency:
            raise ValueError(
                f"cannot {verb} {self} and {other}: currencies differ "
                f"({self.currency} vs {other.currency}); convert one first with .convert()"
            )

    def __add__(self, other: Money) -> Money:
        """Add two amounts of the same currency."""
        if not isinstance(other, Money):
            return NotImplemented
        self._require_same_currency(other, "add")
        return Money(_EXACT.add(self.amount, other.amount), self.currency)

    def __sub__(self, other: Money) -> Money:
        """Subtract an amount of the same currency."""
        if not isinstance(other, Money):
            return NotImplemented
        self._require_same_currency(other, "subtract")
        return Money(_EXACT.subtract(self.amount, other.amount), self.currency)

    def __neg__(self) -> Money:
        """Return the negated amount."""
        return Money(_EXACT.minus(self.amount), self.currency)

    def __abs__(self) -> Money:
        """Return the absolute amount."""
        return Money(_EXACT.abs(self.amount), self.currency)

    def __mul__(self, other: int | Decimal) -> Money:
        """Scale by an int or Decimal, exactly."""
        factor = _factor(other)
        if factor is None:
            return NotImplemented
        return Money(_EXACT.multiply(self.amount, factor), self.currency)

    def __rmul__(self, other: int | Decimal) -> Money:
        """Scale by an int or Decimal, exactly."""
        return self.__mul__(other)

    def __truediv__(self, other: int | Decimal) -> Money:
        """Divide by an int or Decimal; exact unless the quotient never terminates."""
        divisor = _factor(other)
        if divisor is None:
            return NotImplemented
        if divisor == 0:
            raise ZeroDivisionError(f"cannot divide {self} by zero")
        return Money(_divide(self.amount, divisor), self.currency)

    def __lt__(self, other: Money) -> bool:
        """Compare amounts of the same currency."""
        if not isinstance(other, Money):
            return NotImplemented
        self._require_same_currency(other, "compare")
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        """Compare amounts of the same currency."""
        if not isinstance(other, Money):
            return NotImplemented
        self._require_same_currency(other, "compare")
        return self.amount <= other.amount

    def __gt__(self, other: Money) -> bool:
        """Compare amounts of the same currency."""
        if not isinstance(other, Money):
            return NotImplemented
        self._require_same_currency(other, "compare")
        return self.amount > other.amount

    def __ge__(self, other: Money) -> bool:
        """Compare amounts of the same currency."""
        if not isinstance(other, Money):
            return NotImplemented
        self._require_same_currency(other, "compare")
        return self.amount >= other.amount

    def __str__(self) -> str:
        """Return e.g. '3.573 USD', never in exponent notation."""
        return f"{format(self.amount, 'f')} {self.currency}"

    def __repr__(self) -> str:
        """Return e.g. "Money('3.573', 'USD')", which evaluates back to an equal Money."""
        return f"Money({format(self.amount, 'f')!r}, {self.currency!r})"


@attrs.frozen(init=False, repr=False)
class Rates:
    """Exchange rates against one base: how many units of each currency one base unit buys."""

    base: str
    _pairs: tuple[tuple[str, Decimal], ...]
    _table: Mapping[str, Decimal] = attrs.field(eq=False)

    def __init__(self, rates: Mapping[str, AmountLike], base: str = "USD") -> None:
        """Validate and store the rates; the base currency is always present at rate 1."""
        base_code = _to_currency(base)
        given: dict[str, Decimal] = {}
        for raw_code, raw_value in rates.items():
            code = _to_currency(raw_code)
            if code in given:
                raise ValueError(f"currency {code} appears twice in rates (codes ignore case)")
            value = _to_decimal(raw_value, f"rate for {code}", 'Rates({"EUR": "0.92"})')
            if value <= 0:
                raise ValueError(f"rate for {code} must be > 0, got {raw_value!r}")
            if code == base_code and value != 1:
                raise ValueError(
                    f"rate for the base currency {code} must be 1 (one {code} buys one {code}), "
                    f"got {raw_value!r}"
                )
            given[code] = value
        given.setdefault(base_code, Decimal(1))
        table = dict(sorted(given.items()))
        self.__attrs_init__(base_code, tuple(table.items()), MappingProxyType(table))

    @classmethod
    def from_json(cls, path_or_text: str | os.PathLike[str]) -> Rates:
        """Rates from a JSON file or JSON text: ``{"base": "USD", "rates": {"EUR": "0.92"}}``.

        The flat form ``{"base": "USD", "EUR": "0.92"}`` is read too; ``base`` defaults to USD.
        A str starting with ``{`` is JSON text, anything else a path. Numbers are read as
        Decimal, so ``0.92`` unquoted is exact. A malformed document raises ValueError.
        """
        if isinstance(path_or_text, str) and path_or_text.lstrip().startswith("{"):
            text, origin = path_or_text, "JSON text"
        else:
            origin = os.fspath(path_or_text)
            with open(origin, encoding="utf-8") as handle:
                text = handle.read()
        try:
            document = json.loads(text, parse_float=Decimal)
        except json.JSONDecodeError as exc:
            raise ValueError(f"rates {origin}: not valid JSON ({exc})") from None
        if not isinstance(document, dict):
            raise ValueError(f'rates {origin}: expected an object like {{"base": "USD", ...}}')
        base = document.get("base", "USD")
        table = document.get("rates", {k: v for k, v in document.items() if k != "base"})
        if not isinstance(base, str) or not isinstance(table, dict):
            raise ValueError(
                f'rates {origin}: expected {{"base": "USD", "rates": {{"EUR": "0.92", ...}}}}'
            )
        return cls(table, base=base)

    @classmethod
    def from_skinsback(cls, market: object) -> Rates:
        """Rates published by a SkinsBack market (its ``currencies`` method), against USD.

        The market reads its own answer (``Skinsback.rates()``, where the shape of that
        undocumented answer and the direction of its rates are told); this asks it, for any
        market object that publishes rates the same way (a ``rates()`` method returning
        ``Rates``). Raises ``NotSupported`` for a market without one, and what ``rates()``
        raises (``UnexpectedResponse`` for an answer of another shape).
        """
        name = str(getattr(market, "name", type(market).__name__))
        published = getattr(market, "rates", None)
        if not callable(published):
            raise errors.NotSupported(
                f"{name}: does not publish exchange rates; Rates.from_skinsback needs a "
                f"market from sm.connect('skinsback', ...)",
                vendor=str(getattr(market, "vendor", name)),
                operation="currencies",
            )
        rates = published()
        if not isinstance(rates, Rates):
            raise TypeError(f"{name}: rates() returned {type(rates).__name__}, not Rates")
        return rates

    @property
    def rates(self) -> Mapping[str, Decimal]:
        """Return the read-only code -> rate mapping, base included."""
        return self._table

    @property
    def currencies(self) -> frozenset[str]:
        """Return every currency code these rates can convert between."""
        return frozenset(self._table)

    def rate(self, frm: str, to: str) -> Decimal:
        """Return how many `to` units one `frm` unit buys (1 when the codes are equal)."""
        source, target = _to_currency(frm), _to_currency(to)
        if source == target:
            return Decimal(1)
        missing = [code for code in (source, target) if code not in self._table]
        if missing:
            base_arg = "" if self.base == "USD" else f', base="{self.base}"'
            raise ValueError(
                f"no exchange rate for {', '.join(missing)} in "
                f"Rates(base={self.base}; has {', '.join(self._table)}): add how many "
                f"{missing[0]} one {self.base} buys, "
                f'e.g. Rates({{"{missing[0]}": "92.5", ...}}{base_arg})'
            )
        return _divide(self._table[target], self._table[source])

    def __contains__(self, code: object) -> bool:
        """Return whether `code` (any case) has a rate; invalid codes are simply absent."""
        if not isinstance(code, str):
            return False
        try:
            return _to_currency(code) in self._table
        except ValueError:
            return False

    def __repr__(self) -> str:
        """Return e.g. "Rates({'EUR': '0.92', 'USD': '1'}, base='USD')"."""
        shown = {code: format(value, "f") for code, value in self._table.items()}
        return f"Rates({shown!r}, base={self.base!r})"

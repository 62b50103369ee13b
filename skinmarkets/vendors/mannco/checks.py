"""Mannco.store's own checks of the caller's arguments, made before anything is sent.

The checks every vendor makes (names, counts, Money, custom ids) are in ``skinmarkets._checks``;
here is what only Mannco needs: ids as numbers or strings, and prices as whole USD cents.
"""

from __future__ import annotations

from skinmarkets import _checks
from skinmarkets.money import Money
from skinmarkets.vendors.mannco import units

VENDOR = "mannco"


def check_name(name: object, operation: str) -> str:
    """A market_hash_name, stripped; the message's example is a Mannco staple."""
    return _checks.check_name(VENDOR, name, operation, example="Mann Co. Supply Crate Key")


def check_id(value: object, what: str, operation: str) -> str:
    """An id (trade id, asset id, item id): a non-empty string or a whole number, as a str."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return str(value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    raise _checks.invalid(VENDOR, operation, f"{what} must be a non-empty id, got {value!r}")


def check_usd(value: object, what: str, operation: str) -> Money:
    """A USD ``Money`` (Mannco trades in USD only)."""
    money = _checks.check_money(VENDOR, value, what, operation, currency=units.CURRENCY)
    return _checks.check_currency(
        VENDOR, money, what, operation, currency=units.CURRENCY, venue="Mannco.store"
    )


def price_in_cents(price: object, operation: str, *, what: str = "price") -> int:
    """A positive USD ``Money`` as whole cents; anything else refused before sending."""
    money = _checks.check_positive(VENDOR, check_usd(price, what, operation), what, operation)
    return _checks.in_minor_units(VENDOR, money, operation, scale=units.MINOR_UNITS)

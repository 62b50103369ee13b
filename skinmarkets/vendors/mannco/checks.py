"""Checks of the caller's arguments, made before anything is sent to Mannco.store.

Shared by the adapter's parts (adapter.py, buying.py, selling.py); each raises ``InvalidRequest``
(or ``TypeError`` for a value of the wrong type, e.g. a float where Money is required) naming
what to pass instead.
"""

from __future__ import annotations

import uuid

from skinmarkets import errors
from skinmarkets.money import Money
from skinmarkets.vendors.mannco import units

VENDOR = "mannco"


def invalid(operation: str, message: str, code: str | None = None) -> errors.InvalidRequest:
    """``InvalidRequest`` for ``operation``, its message prefixed with the vendor and operation."""
    return errors.InvalidRequest(
        f"{VENDOR}: {operation}: {message}", vendor=VENDOR, operation=operation, code=code
    )


def check_name(name: object, operation: str) -> str:
    """A market_hash_name, stripped; anything else is ``InvalidRequest``."""
    if not isinstance(name, str) or not name.strip():
        raise invalid(
            operation,
            "the item name must be a non-empty market_hash_name like "
            f"'Mann Co. Supply Crate Key', got {name!r}",
        )
    return name.strip()


def check_count(value: object, what: str, operation: str) -> int:
    """``value`` if it is a whole number >= 1 (a limit, an amount, an app id)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise invalid(operation, f"{what} must be a whole number >= 1, got {value!r}")
    return value


def check_id(value: object, what: str, operation: str) -> str:
    """An id (trade id, asset id, item id): a non-empty string or a whole number, as a str."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return str(value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    raise invalid(operation, f"{what} must be a non-empty id, got {value!r}")


def check_money(value: object, what: str, operation: str) -> Money:
    """``value`` if it is a ``Money``; a float or anything else is ``TypeError``."""
    if not isinstance(value, Money):
        hint = " (binary floats lose cents)" if isinstance(value, float) else ""  # float ok
        raise TypeError(
            f"{VENDOR}: {operation}: {what} must be skinmarkets.Money, e.g. Money('4.00', 'USD'); "
            f"got {type(value).__name__} {value!r}{hint}"
        )
    return value


def check_usd(value: object, what: str, operation: str) -> Money:
    """A USD ``Money`` (Mannco trades in USD only)."""
    money = check_money(value, what, operation)
    if money.currency != units.CURRENCY:
        raise invalid(
            operation,
            f"{what} is in {money.currency} but Mannco.store trades in {units.CURRENCY}; "
            "convert it first (Money.convert)",
            "currency_mismatch",
        )
    return money


def price_in_cents(price: object, operation: str, *, what: str = "price") -> int:
    """A positive USD ``Money`` as whole cents; anything else refused before sending."""
    money = check_usd(price, what, operation)
    if money.amount <= 0:
        raise invalid(operation, f"{what} must be more than 0, got {money}")
    try:
        return money.to_minor(scale=units.MINOR_UNITS)
    except ValueError:
        raise invalid(operation, f"{money} is finer than a cent; round it first") from None


def check_custom_id(custom_id: object) -> str:
    """The caller's ``custom_id`` if it fits, or a new one (uuid4 hex) for ``None``."""
    if custom_id is None:
        return uuid.uuid4().hex
    if (
        not isinstance(custom_id, str)
        or not custom_id.strip()
        or len(custom_id) > units.CUSTOM_ID_MAX_LENGTH
    ):
        raise invalid(
            "buy",
            f"custom_id must be a non-empty string of at most {units.CUSTOM_ID_MAX_LENGTH} "
            f"characters, got {custom_id!r}",
        )
    return custom_id

"""Checks of the caller's arguments, made before anything is sent to Market TM.

Shared by the adapter's parts (adapter.py, buying.py, selling.py); each raises ``InvalidRequest``
(or ``TypeError`` for a value of the wrong type) naming what to pass instead.
"""

from __future__ import annotations

import uuid

from skinmarkets import errors
from skinmarkets.money import Money
from skinmarkets.vendors.market_tm import units

VENDOR = "market_tm"


def check_name(name: object, operation: str) -> str:
    """A market_hash_name, stripped; anything else is ``InvalidRequest``."""
    if not isinstance(name, str) or not name.strip():
        raise errors.InvalidRequest(
            f"{VENDOR}: {operation}: the item name must be a non-empty market_hash_name like "
            f"'AK-47 | Redline (Field-Tested)', got {name!r}",
            vendor=VENDOR,
            operation=operation,
        )
    return name.strip()


def check_money(value: object, what: str, operation: str) -> Money:
    """``value`` if it is a ``Money``; a float or anything else is ``TypeError``."""
    if not isinstance(value, Money):
        hint = " (binary floats lose cents)" if isinstance(value, float) else ""  # float ok
        raise TypeError(
            f"{VENDOR}: {operation}: {what} must be skinmarkets.Money, e.g. Money('4.00', 'USD'); "
            f"got {type(value).__name__} {value!r}{hint}"
        )
    return value


def check_limit(limit: object) -> None:
    """Refuse a ``limit`` that is not a whole number >= 1."""
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise errors.InvalidRequest(
            f"{VENDOR}: limit must be a whole number >= 1, got {limit!r}",
            vendor=VENDOR,
            operation="list_for_sale",
        )


def check_custom_id(custom_id: object) -> str:
    """The caller's ``custom_id`` if TM accepts it, or a new one (uuid4 hex) for ``None``."""
    if custom_id is None:
        return uuid.uuid4().hex
    if (
        not isinstance(custom_id, str)
        or not custom_id.strip()
        or len(custom_id) > units.CUSTOM_ID_MAX_LENGTH
    ):
        raise errors.InvalidRequest(
            f"{VENDOR}: custom_id must be a non-empty string of at most "
            f"{units.CUSTOM_ID_MAX_LENGTH} characters, got {custom_id!r}",
            vendor=VENDOR,
            operation="buy",
        )
    return custom_id

"""Checks of connect options only Market TM has (the shared ones are in ``skinmarkets._checks``)."""

from __future__ import annotations

from skinmarkets import errors
from skinmarkets.vendors.market_tm import units

VENDOR = "market_tm"


def check_currency(currency: object) -> str | None:
    """``connect(currency=…)``: None, or an account currency TM has (``units.MINOR_UNITS``),
    upper-cased; anything else is ``ConfigurationError`` naming it and the choices."""
    if currency is None:
        return None
    if not isinstance(currency, str) or currency.strip().upper() not in units.MINOR_UNITS:
        raise errors.ConfigurationError(
            f"unknown currency {currency!r:.40}: the account currency is one of "
            f"{', '.join(units.MINOR_UNITS)}",
            vendor=VENDOR,
        )
    return currency.strip().upper()

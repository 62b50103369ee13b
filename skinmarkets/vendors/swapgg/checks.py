"""swap.gg's own checks of the caller's arguments, made before anything is sent.

The checks every vendor makes (names, counts, Money, custom ids) are in ``skinmarkets._checks``;
here is what only swap.gg needs: prices as whole EUR cents.
"""

from __future__ import annotations

from skinmarkets import _checks
from skinmarkets.vendors.swapgg import units

VENDOR = "swapgg"


def price_in_cents(price: object, operation: str) -> int:
    """A positive EUR ``Money`` as cents; anything else refused before sending."""
    money = _checks.check_price(
        VENDOR, price, "price", operation, currency=units.CURRENCY, venue="swap.gg"
    )
    return _checks.in_minor_units(VENDOR, money, operation, scale=units.MINOR_UNITS)

"""Selling fees and trade holds per vendor: data, with the source of every number.

Each row says where its numbers come from (``vendor-docs/`` files) or says "assumed" where the
vendor does not document them. Users with better numbers (a lower personal commission, a new
hold rule) pass their own mapping to :func:`skinmarkets.arbitrage` as ``fees=``.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType

import attrs

__all__ = ["DEFAULT_FEES", "Fees"]


def _fraction(value: Decimal | int | str) -> Decimal:
    """A sale fee as a Decimal fraction in [0, 1); floats refused like everywhere else."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise TypeError(
            f"sale_fee must be a Decimal, int or str like Decimal('0.05'), "
            f"not {type(value).__name__}"
        )
    fee = Decimal(value)
    if not fee.is_finite() or not 0 <= fee < 1:
        raise ValueError(f"sale_fee is a fraction in [0, 1) like Decimal('0.05'), got {value!r}")
    return fee


def _days(_instance: object, _attribute: object, value: int) -> None:
    """Trade-hold days are a whole, non-negative number."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"trade_hold_days must be an int >= 0, got {value!r}")


@attrs.frozen
class Fees:
    """What selling on one market costs (``sale_fee``, a fraction) and how long items are held."""

    sale_fee: Decimal = attrs.field(converter=_fraction)
    trade_hold_days: int = attrs.field(validator=_days)


DEFAULT_FEES: Mapping[str, Fees] = MappingProxyType(
    {
        # sale_fee: assumed 5 % (the seller commission is not in market-tm-v2-*.txt).
        # trade_hold_days: assumed 7, Steam Trade Protection on every item that changes hands.
        "market_tm": Fees(Decimal("0.05"), 7),
        # sale_fee: swapgg-v1.txt "Get Account Summary": "commission": 5 — "Sales fee that will
        # be used on your next item listings" (per account; 5 is the documented example).
        # trade_hold_days: assumed 7 (Steam Trade Protection; not in the doc).
        "swapgg": Fees(Decimal("0.05"), 7),
        # sale_fee: assumed 5 % (skinsback-api.md lists "a fee schedule" as not documented).
        # trade_hold_days: 8, skinsback.txt "Deposit approval with 8-day hold".
        "skinsback": Fees(Decimal("0.05"), 8),
        # sale_fee: mannco-api.md "Sellers are credited minus a 5% fee" (third-party sources;
        # no fee field in the API). trade_hold_days: assumed 7 (Steam Trade Protection).
        "mannco": Fees(Decimal("0.05"), 7),
    }
)

"""Selling fees and trade holds per vendor: data, with the source of every number.

Each row says where its numbers come from (``vendor-docs/`` files, vendor pages, public clients)
or says "assumed", with the reason, where nothing trustworthy states them. Users with better
numbers (a lower personal commission, a new hold rule) pass their own mapping to
:func:`skinmarkets.arbitrage` as ``fees=``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal, InvalidOperation
from types import MappingProxyType

import attrs

__all__ = ["DEFAULT_FEES", "Fees", "decimal_of", "fraction_of"]


def decimal_of(value: object, what: str) -> Decimal:
    """An argument that is a Decimal, an int or a decimal string (never a float or a bool), as
    a finite Decimal: ``TypeError`` or ``ValueError`` naming ``what`` otherwise."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise TypeError(
            f"{what} must be a Decimal, int or str like Decimal('0.05'), not {type(value).__name__}"
        )
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise ValueError(f"{what} must be a decimal number, got {value!r:.40}") from None
    if not number.is_finite():
        raise ValueError(f"{what} must be a finite number, got {value!r:.40}")
    return number


def fraction_of(value: object, what: str, of: str = "") -> Decimal:
    """:func:`decimal_of` in [0, 1) (a fee, an undercut), ``of`` what it is a fraction."""
    number = decimal_of(value, what)
    if not 0 <= number < 1:
        raise ValueError(
            f"{what} is a fraction in [0, 1){of} like Decimal('0.05'), got {value!r:.40}"
        )
    return number


def _fraction(value: Decimal | int | str) -> Decimal:
    """A sale fee as a Decimal fraction in [0, 1); floats refused like everywhere else."""
    return fraction_of(value, "sale_fee")


def _days(_instance: object, _attribute: object, value: int) -> None:
    """Trade-hold days are a whole, non-negative number."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"trade_hold_days must be an int >= 0, got {value!r}")


@attrs.frozen
class Fees:
    """What selling on one market costs (``sale_fee``, a fraction) and how long items are held."""

    sale_fee: Decimal = attrs.field(converter=_fraction)
    trade_hold_days: int = attrs.field(validator=_days)


class _BuiltInFees(Mapping[str, Fees]):
    """The fees each built-in vendor states on its adapter class (``fees``, from its
    ``units.FEES``, which says where each number comes from): read-only, read on first use so
    that importing ``compare`` loads no vendor."""

    def __init__(self) -> None:
        self._table: Mapping[str, Fees] | None = None

    def _loaded(self) -> Mapping[str, Fees]:
        if self._table is None:
            from skinmarkets import _plugins

            self._table = MappingProxyType(
                {
                    vendor: _plugins.load(vendor, target).fees  # type: ignore[attr-defined]
                    for vendor, target in _plugins.BUILT_IN.items()
                }
            )
        return self._table

    def __getitem__(self, vendor: str) -> Fees:
        return self._loaded()[vendor]

    def __iter__(self) -> Iterator[str]:
        return iter(self._loaded())

    def __len__(self) -> int:
        return len(self._loaded())

    def __repr__(self) -> str:
        return repr(dict(self._loaded()))


#: Steam "Trade Protection" (Valve FAQ, live for Counter-Strike 2 since its 15/16 July 2025
#: update, as quoted by tweaktown.com/news/106493 and pcgamer.com): "For the next 7 days, the
#: items are considered Trade Protected, and cannot be consumed, modified, or transferred. Once
#: the 7 day period expires, ... the trade can no longer be reversed." A received CS2 item is
#: stuck for 7 days and the sender can reverse the trade until then, so markets hold sellers'
#: money for that week. Valve's FAQ (July 2025): "Currently, the only game supporting Trade
#: Protected items is Counter-Strike 2"; Rust announced it (Facepunch, July 2025, unverified);
#: Dota 2 and TF2 items were not protected in any source found. A market-name row such as
#: ``"market_tm:dota2": Fees(..., 0)`` overrides the vendor row (names are looked up first).
#: Each vendor's row, with its sources, is its ``units.FEES``.
DEFAULT_FEES: Mapping[str, Fees] = _BuiltInFees()

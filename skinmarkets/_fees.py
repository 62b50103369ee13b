"""Selling fees and trade holds per vendor: data, with the source of every number.

Each row says where its numbers come from (``vendor-docs/`` files, vendor pages, public clients)
or says "assumed", with the reason, where nothing trustworthy states them. Users with better
numbers (a lower personal commission, a new hold rule) pass their own mapping to
:func:`skinmarkets.arbitrage` as ``fees=``.
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


#: Steam "Trade Protection" (Valve FAQ, live for Counter-Strike 2 since its 15/16 July 2025
#: update, as quoted by tweaktown.com/news/106493 and pcgamer.com): "For the next 7 days, the
#: items are considered Trade Protected, and cannot be consumed, modified, or transferred. Once
#: the 7 day period expires, ... the trade can no longer be reversed." A received CS2 item is
#: stuck for 7 days and the sender can reverse the trade until then, so markets hold sellers'
#: money for that week. Valve's FAQ (July 2025): "Currently, the only game supporting Trade
#: Protected items is Counter-Strike 2"; Rust announced it (Facepunch, July 2025, unverified);
#: Dota 2 and TF2 items were not protected in any source found. A market-name row such as
#: ``"market_tm:dota2": Fees(..., 0)`` overrides the vendor row (names are looked up first).
DEFAULT_FEES: Mapping[str, Fees] = MappingProxyType(
    {
        # sale_fee: assumed 5 %. market.csgo.com publishes no seller commission in
        # market-tm-v2-*.txt or on its rules page (market.csgo.com/en/content-pages/information);
        # third-party bots default to 5 % (two) or 7 % (one); the operation-history example in
        # market-tm-v2-rust.txt ("price": "500", "received": "468", 2020) implies 6.4 %.
        # trade_hold_days: 7 for cs2, r/MarketCSGO post by u/market_csgo, 16 Jul 2025: the money
        # "is reserved on the Market.CSGO side and is automatically unlocked for withdrawal once
        # the full week has expired" (API field `settlement`). rust.tm / dota2 / tf2: no source;
        # 7 kept as the conservative value (see the Trade Protection note above).
        "market_tm": Fees(Decimal("0.05"), 7),
        # sale_fee: swapgg-v1.txt "Get Account Summary": "commission": 5 — "Sales fee that will
        # be used on your next item listings" (per account; 5 is the documented example; "bonus"
        # for "swap.gg" in the username "will lower your sales fee"). help.swap.gg states no figure.
        # trade_hold_days: 7, Steam Trade Protection on CS2 items received in trade (note above);
        # swap.gg's own payout delay is not documented.
        "swapgg": Fees(Decimal("0.05"), 7),
        # sale_fee: assumed 5 %. SkinsBack publishes no fee schedule (skinsback-api.md "Not
        # documented: a fee schedule"); it is a deposit/payment service whose market side only
        # sells (no bids, no user listings), so this fee only prices a sell leg you cannot place.
        # trade_hold_days: 8, skinsback.com/docs/api/v1/offers_with_hold: "Deposit will remain in
        # pending state for 8-day Steam Trade Protection completion" (skinsback.txt "Deposit
        # approval with 8-day hold").
        "skinsback": Fees(Decimal("0.05"), 8),
        # sale_fee: 5 %, mannco-api.md "Sellers are credited minus a 5% fee" [3p]; the Go client
        # github.com/Lemon4ksan/g-man-tf2 pkg/services/mannco/inventory.go: "credited to seller
        # minus 5% fee". Mannco documents no fee field. trade_hold_days: 7, Steam Trade
        # Protection for CS2 items; Mannco is mostly TF2, not Trade Protected in the sources
        # found, so 7 is conservative there.
        "mannco": Fees(Decimal("0.05"), 7),
    }
)

"""DEFAULT_FEES: sourced numbers stay put, the table is read-only, per-site rows win."""

from __future__ import annotations

from decimal import Decimal

import pytest

from skinmarkets import arbitrage
from skinmarkets.compare import DEFAULT_FEES, Fees
from skinmarkets.money import Money
from tests.compare_support import FakeMarket

AK = "AK-47 | Redline (Field-Tested)"


def test_default_fees_cannot_be_changed_in_place() -> None:
    with pytest.raises(TypeError):
        DEFAULT_FEES["swapgg"] = Fees(Decimal(0), 0)  # type: ignore[index]


def test_sourced_numbers() -> None:
    # skinsback.com/docs/api/v1/offers_with_hold: "8-day Steam Trade Protection completion".
    assert DEFAULT_FEES["skinsback"].trade_hold_days == 8
    # g-man-tf2 pkg/services/mannco/inventory.go: "credited to seller minus 5% fee".
    assert DEFAULT_FEES["mannco"].sale_fee == Decimal("0.05")
    # swapgg-v1.txt: "commission": 5, the documented example of the per-account sales fee.
    assert DEFAULT_FEES["swapgg"].sale_fee == Decimal("0.05")
    # r/MarketCSGO, 16 Jul 2025: sale money unlocked "once the full week has expired".
    assert DEFAULT_FEES["market_tm"].trade_hold_days == 7


def test_no_default_hold_is_shorter_than_steam_trade_protection() -> None:
    # Valve: received CS2 items "cannot be ... transferred" for 7 days and the trade can be
    # reversed until then; every vendor here trades CS2 items.
    assert min(f.trade_hold_days for f in DEFAULT_FEES.values()) >= 7


def test_fees_read_strings_and_ints_exactly_and_refuse_bad_holds() -> None:
    assert Fees("0.025", 7).sale_fee == Decimal("0.025")
    assert Fees(0, 0).sale_fee == Decimal(0)
    with pytest.raises(TypeError):
        Fees(True, 7)
    for days in (-1, True, 7.0):
        with pytest.raises(ValueError, match="trade_hold_days"):
            Fees(Decimal("0.05"), days)  # type: ignore[arg-type]


def test_a_per_site_row_overrides_the_vendor_row() -> None:
    # How DEFAULT_FEES could give rust.tm its own numbers: a "market_tm:rust" row.
    markets = [
        FakeMarket("market_tm:cs2", {AK: ("10", None)}, vendor="market_tm"),
        FakeMarket("market_tm:rust", {AK: (None, "12")}, vendor="market_tm"),
    ]
    fees = {**DEFAULT_FEES, "market_tm:rust": Fees(Decimal("0.10"), 0)}

    found = arbitrage(markets, fees=fees)

    assert [o.profit for o in found] == [Money("0.8", "USD")]  # 12 * 0.90 - 10
    assert (found[0].buy_hold_days, found[0].sell_hold_days) == (7, 0)

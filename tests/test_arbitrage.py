"""arbitrage: buy on one market, sell on another, net of the seller's fee, most profit first."""

from __future__ import annotations

from decimal import Decimal

import pytest

from skinmarkets import arbitrage, compare
from skinmarkets.compare import DEFAULT_FEES, Fees
from skinmarkets.errors import ConfigurationError
from skinmarkets.money import Money, Rates
from tests.compare_support import NOW, FakeMarket, NoPriceListMarket

AK = "AK-47 | Redline (Field-Tested)"
NO_FEES = {"cheap": Fees(Decimal(0), 0), "dear": Fees(Decimal("0.10"), 8)}


def _markets() -> list[FakeMarket]:
    return [
        FakeMarket("cheap", {AK: ("10.00", None)}),
        FakeMarket("dear", {AK: ("13.00", "12.00")}),
    ]


def test_selling_at_the_bid_is_net_of_the_sellers_fee() -> None:
    found = arbitrage(_markets(), fees=NO_FEES)

    bid = next(o for o in found if o.sell_kind == "bid")
    assert (bid.buy_market, bid.sell_market) == ("cheap", "dear")
    assert bid.buy_price == Money("10.00", "USD")
    assert bid.sell_price == Money("12.00", "USD")
    assert bid.profit == Money("0.8", "USD")  # 12.00 * 0.90 - 10.00
    assert bid.profit_ratio == Decimal("0.08")


def test_an_undercut_ask_lists_just_under_the_sellers_lowest_ask() -> None:
    found = arbitrage(_markets(), fees=NO_FEES, undercut=Decimal("0.01"))

    ask = next(o for o in found if o.sell_kind == "undercut_ask")
    assert ask.sell_price == Money("12.87", "USD")  # 13.00 * 0.99
    assert ask.profit == Money("1.583", "USD")  # 12.87 * 0.90 - 10.00


def test_a_market_that_takes_no_listings_is_a_sell_leg_only_at_its_bid() -> None:
    markets = [
        FakeMarket("cheap", {AK: ("10.00", None)}),
        FakeMarket("dear", {AK: ("13.00", "12.00")}, seller=False),
    ]

    found = arbitrage(markets, fees=NO_FEES)

    assert [(o.sell_market, o.sell_kind) for o in found] == [("dear", "bid")]


def test_opportunities_are_sorted_by_profit_descending() -> None:
    found = arbitrage(_markets(), fees=NO_FEES)

    assert [o.sell_kind for o in found] == ["undercut_ask", "bid"]
    assert found[0].profit > found[1].profit


def test_min_profit_is_a_ratio_of_the_buy_price() -> None:
    found = arbitrage(_markets(), fees=NO_FEES, min_profit=Decimal("0.10"))

    assert [o.sell_kind for o in found] == ["undercut_ask"]  # 15.83 % kept, 8 % dropped


def test_each_leg_carries_its_markets_trade_hold_days() -> None:
    found = arbitrage(_markets(), fees=NO_FEES)

    assert (found[0].buy_hold_days, found[0].sell_hold_days) == (0, 8)


def test_losing_trades_are_not_reported() -> None:
    found = arbitrage(_markets(), fees=NO_FEES)

    assert all(o.buy_market == "cheap" for o in found)


def test_prices_in_other_currencies_go_through_the_rates() -> None:
    markets = [
        FakeMarket("cheap", {AK: ("8.00", None)}, currency="EUR"),
        FakeMarket("dear", {AK: (None, "12.00")}),
    ]

    found = arbitrage(markets, rates=Rates({"EUR": "0.8"}), fees=NO_FEES)

    assert found[0].buy_price == Money("10", "USD")
    assert found[0].profit == Money("0.8", "USD")


def test_fees_default_to_the_vendor_table() -> None:
    markets = [
        FakeMarket("swapgg", {AK: ("10", None)}),
        FakeMarket("mannco", {AK: (None, "12")}),
    ]

    found = arbitrage(markets)

    assert found[0].profit == Money("12", "USD") * (1 - DEFAULT_FEES["mannco"].sale_fee) - Money(
        "10", "USD"
    )


def test_fees_are_found_by_vendor_id_when_not_by_market_name() -> None:
    markets = [
        FakeMarket("market_tm:cs2", {AK: ("10", None)}, vendor="market_tm"),
        FakeMarket("market_tm:rust", {AK: (None, "12")}, vendor="market_tm"),
    ]

    found = arbitrage(markets, fees={"market_tm": Fees(Decimal("0.5"), 7)})

    assert list(found) == []  # 12 * 0.5 - 10 < 0


def test_a_market_without_known_fees_is_a_clear_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="no fees known for market 'dear'"):
        arbitrage(_markets(), fees={"cheap": Fees(Decimal(0), 0)})


def test_a_comparison_can_be_reused_without_fetching_again() -> None:
    markets = _markets()
    table = compare(markets, now=lambda: NOW)

    found = arbitrage(markets, fees=NO_FEES, comparison=table)

    assert len(found) == 2
    assert [m.calls for m in markets] == [1, 1]


def test_a_comparison_in_another_currency_is_refused() -> None:
    table = compare(_markets(), currency="EUR", rates=Rates({"EUR": "0.8"}), now=lambda: NOW)

    with pytest.raises(ValueError, match="currency='EUR'"):
        arbitrage(_markets(), fees=NO_FEES, comparison=table)


def test_failing_and_skipped_markets_do_not_stop_the_search() -> None:
    markets = [*_markets(), FakeMarket("down", {}, fail=True), NoPriceListMarket("no_list")]

    assert len(arbitrage(markets, fees=NO_FEES)) == 2


def test_names_limit_the_search() -> None:
    assert list(arbitrage(_markets(), fees=NO_FEES, names=["Other | Item"])) == []


def test_a_float_min_profit_is_refused() -> None:
    with pytest.raises(TypeError, match="Decimal"):
        arbitrage(_markets(), fees=NO_FEES, min_profit=0.05)  # type: ignore[arg-type]  # float ok


def test_fees_refuse_floats_and_fractions_outside_zero_to_one() -> None:
    with pytest.raises(TypeError):
        Fees(0.05, 7)  # type: ignore[arg-type]  # float ok
    with pytest.raises(ValueError, match=r"\[0, 1\)"):
        Fees(Decimal("1.5"), 7)


def test_every_vendor_has_default_fees() -> None:
    assert set(DEFAULT_FEES) == {"market_tm", "swapgg", "skinsback", "mannco"}

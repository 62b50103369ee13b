"""compare: one table of every market's quotes in one currency; failures reported, not raised."""

from __future__ import annotations

import threading
from datetime import timedelta
from decimal import Decimal

import pytest

from skinmarkets import compare
from skinmarkets.money import Money, Rates
from skinmarkets.protocol import PriceSource
from tests.compare_support import NOW, OBSERVED, FakeMarket, NoPriceListMarket

AK = "AK-47 | Redline (Field-Tested)"
AWP = "AWP | Asiimov (Field-Tested)"
RATES = Rates({"EUR": "0.8"}, base="USD")


def _markets() -> list[FakeMarket]:
    return [
        FakeMarket("usd_market", {AK: ("10.00", "9.00"), AWP: ("50", None)}),
        FakeMarket("eur_market", {AK: ("8.00", None)}, currency="EUR"),
        FakeMarket("down", {AK: ("1", None)}, fail=True),
        NoPriceListMarket("no_list"),
    ]


def test_quotes_are_converted_to_the_requested_currency() -> None:
    result = compare(_markets(), [AK], rates=RATES, now=lambda: NOW)

    assert result.currency == "USD"
    assert result.rows[AK]["eur_market"].lowest_ask == Money("10", "USD")
    assert result.rows[AK]["usd_market"].highest_bid == Money("9.00", "USD")


def test_each_quote_carries_its_age_from_the_injected_clock() -> None:
    quote = compare(_markets(), [AK], rates=RATES, now=lambda: NOW).rows[AK]["usd_market"]

    assert quote.observed_at == OBSERVED
    assert quote.age == timedelta(minutes=5)
    assert quote.quantity == 3


def test_a_failing_market_is_reported_not_raised() -> None:
    result = compare(_markets(), [AK], rates=RATES, now=lambda: NOW)

    assert result.failures == {"down": "down: prices: the site is down for maintenance"}
    assert set(result.rows[AK]) == {"usd_market", "eur_market"}


def test_a_market_without_a_price_list_is_skipped_with_a_note() -> None:
    result = compare(_markets(), [AK], rates=RATES, now=lambda: NOW)

    assert "no price list" in result.skipped["no_list"]
    assert "no_list" not in result.failures


def test_a_missing_rate_puts_that_market_in_failures_with_the_fix() -> None:
    result = compare(_markets(), [AK], rates=None, now=lambda: NOW)

    assert "EUR" in result.failures["eur_market"]
    assert "rates=" in result.failures["eur_market"]
    assert set(result.rows[AK]) == {"usd_market"}


def test_a_rate_table_without_the_currency_is_a_failure_naming_it() -> None:
    result = compare(_markets(), [AK], rates=Rates({"RUB": "90"}), now=lambda: NOW)

    assert "no exchange rate for EUR" in result.failures["eur_market"]


def test_names_no_market_lists_are_reported_as_not_listed() -> None:
    result = compare(_markets(), [AK, "Nothing | Such"], rates=RATES, now=lambda: NOW)

    assert result.not_listed == ("Nothing | Such",)
    assert list(result.rows) == [AK]


def test_when_no_market_answers_no_name_is_called_not_listed() -> None:
    markets = [FakeMarket("down", {AK: ("10", None)}, fail=True)]

    result = compare(markets, [AK], rates=RATES, now=lambda: NOW)

    assert result.not_listed == ()
    assert set(result.failures) == {"down"}


def test_without_names_every_listed_item_is_compared() -> None:
    result = compare(_markets(), rates=RATES, now=lambda: NOW)

    assert sorted(result.rows) == sorted([AK, AWP])
    assert result.not_listed == ()


def test_a_mapping_names_the_markets_in_the_result() -> None:
    market = FakeMarket("usd_market", {AK: ("10", None)})

    result = compare({"mine": market}, [AK], now=lambda: NOW)

    assert set(result.rows[AK]) == {"mine"}
    assert result.rows[AK]["mine"].market == "mine"


def test_amounts_stay_decimal_and_exact() -> None:
    result = compare(_markets(), [AK], currency="eur", rates=RATES, now=lambda: NOW)

    ask = result.rows[AK]["usd_market"].lowest_ask
    assert result.currency == "EUR"
    assert ask == Money("8.0000", "EUR")
    assert ask is not None and isinstance(ask.amount, Decimal)


def test_two_markets_with_one_name_in_a_list_are_refused() -> None:
    with pytest.raises(ValueError, match="pass a dict"):
        compare([FakeMarket("a", {}), FakeMarket("a", {})])


class _BarrierMarket(FakeMarket):
    """Answers only once every market is inside ``prices`` at the same time."""

    def __init__(self, name: str, barrier: threading.Barrier) -> None:
        super().__init__(name, {AK: ("1", None)})
        self.barrier = barrier

    def prices(self, *, app_id: int | None = None) -> list:  # type: ignore[type-arg]
        self.barrier.wait(timeout=5)
        return super().prices(app_id=app_id)


def test_price_lists_are_fetched_concurrently_one_thread_per_market() -> None:
    barrier = threading.Barrier(3)
    markets = [_BarrierMarket(f"m{i}", barrier) for i in range(3)]

    result = compare(markets, [AK], now=lambda: NOW)

    assert result.failures == {}
    assert set(result.rows[AK]) == {"m0", "m1", "m2"}


def test_fake_markets_are_price_sources() -> None:
    assert isinstance(_markets()[0], PriceSource)

"""arbitrage at scale: plain-number pairs equal the Money reference, and the result says which
markets answered, so a bot tells "markets down" from "no opportunity"."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import timedelta
from decimal import Decimal
from types import MappingProxyType
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skinmarkets import arbitrage, compare
from skinmarkets._fastattrs import maker
from skinmarkets.compare import (
    DEFAULT_FEES,
    ArbitrageResult,
    Comparison,
    Fees,
    MarketQuote,
    Opportunity,
)
from skinmarkets.models import PriceQuote
from skinmarkets.money import Money, Rates
from tests.compare_support import NOW, OBSERVED, FakeMarket, NoPriceListMarket, _capabilities

AK = "AK-47 | Redline (Field-Tested)"
AWP = "AWP | Asiimov (Field-Tested)"
FEES = {
    "a": Fees(Decimal("0.05"), 7),
    "b": Fees(Decimal("0.10"), 8),
    "c": Fees(Decimal("0.02"), 0),
}


class NamedOnlyMarket(FakeMarket):
    """A market with no whole list that prices named items (as Mannco does)."""

    def __init__(self, name: str, table: dict[str, tuple[str | None, str | None]]) -> None:
        super().__init__(name, table)
        self.capabilities = attrs.evolve(_capabilities(False, "USD"), named_prices=True)
        self.asked: list[Collection[str] | None] = []

    def prices(  # type: ignore[override]
        self, *, app_id: int | None = None, names: Collection[str] | None = None
    ) -> list[PriceQuote]:
        self.asked.append(names)
        return [q for q in super().prices() if names is None or q.market_hash_name in names]


# ------------------------------------------------------------------ the result


def test_every_market_failing_is_no_answer_not_no_opportunity() -> None:
    markets = [FakeMarket("a", {AK: ("1", None)}, fail=True), FakeMarket("b", {}, fail=True)]

    result = arbitrage(markets, fees=FEES)

    assert isinstance(result, ArbitrageResult)
    assert not result and result.answered == ()
    assert set(result.failures) == {"a", "b"} and not result.complete
    assert "down for maintenance" in result.failures["a"]


def test_markets_that_answered_with_nothing_to_gain_are_a_complete_empty_result() -> None:
    markets = [FakeMarket("a", {AK: ("10", None)}), FakeMarket("b", {AK: ("10", "5")})]

    result = arbitrage(markets, fees=FEES)

    assert len(result) == 0 and result.complete and result.answered == ("a", "b")


def test_one_market_down_keeps_what_the_others_give_and_says_so() -> None:
    markets = [
        FakeMarket("a", {AK: ("10", None)}),
        FakeMarket("b", {AK: ("13", "12")}),
        FakeMarket("c", {AK: ("1", None)}, fail=True),
        NoPriceListMarket("none"),
    ]

    result = arbitrage(markets, fees=FEES)

    assert [(o.buy_market, o.sell_market) for o in result] == [("a", "b"), ("a", "b")]
    assert list(result.failures) == ["c"] and "none" in result.skipped
    assert result.answered == ("a", "b")
    assert result[0] is result.opportunities[0] and result[:1] == result.opportunities[:1]


def test_answered_counts_markets_that_list_none_of_the_names() -> None:
    markets = [FakeMarket("a", {AK: ("10", None)}), FakeMarket("b", {AK: ("13", "12")})]

    result = arbitrage(markets, fees=FEES, names=["Nobody | Lists This"])

    assert not result and result.answered == ("a", "b")
    assert result.not_listed == ("Nobody | Lists This",)


# ------------------------------------------------------------------ named-only markets


def test_a_named_only_market_joins_a_named_comparison_and_is_asked_only_for_those() -> None:
    mannco = NamedOnlyMarket("m", {AK: ("9", "8"), AWP: ("1", None)})
    markets = {"a": FakeMarket("a", {AK: ("10", None)}), "m": mannco}

    result = compare(markets, [AK], now=lambda: NOW)

    assert set(result.rows[AK]) == {"a", "m"}
    assert mannco.asked == [(AK,)]
    assert result.skipped == {}


def test_a_named_only_market_is_skipped_from_a_whole_catalogue_with_the_fix() -> None:
    markets = {"a": FakeMarket("a", {AK: ("10", None)}), "m": NamedOnlyMarket("m", {})}

    result = compare(markets, now=lambda: NOW)

    assert "named items only" in result.skipped["m"] and "names=" in result.skipped["m"]


def test_a_named_only_market_is_an_arbitrage_leg() -> None:
    markets = {
        "a": FakeMarket("a", {AK: ("10", None)}),
        "m": NamedOnlyMarket("m", {AK: ("13", "12")}),
    }

    result = arbitrage(markets, fees={"a": FEES["a"], "m": FEES["b"]}, names=[AK])

    assert {(o.buy_market, o.sell_market) for o in result} == {("a", "m")}


@pytest.mark.parametrize("names", [AK, b"x", 5, [AK, ""], [AK, None]])
def test_names_that_are_not_a_list_of_strings_are_refused_before_fetching(
    names: object,
) -> None:
    market = FakeMarket("a", {AK: ("10", None)})
    with pytest.raises(TypeError, match="names must be"):
        compare([market], names)  # type: ignore[arg-type]
    assert market.calls == 0


def test_a_quote_stamped_after_the_clock_is_never_negative_in_age() -> None:
    early = OBSERVED - timedelta(seconds=1)

    quote = compare([FakeMarket("a", {AK: ("1", None)})], [AK], now=lambda: early).rows[AK]["a"]

    assert quote.age == timedelta(0)


def test_each_distinct_price_is_converted_once() -> None:
    class CountingRates(Rates):
        asked = 0

        def rate(self, source: str, target: str) -> Decimal:
            CountingRates.asked += 1
            return super().rate(source, target)

    table = {f"item {i}": ("8.00", "7.00") for i in range(50)}
    market = FakeMarket("e", table, currency="EUR")

    result = compare([market], currency="USD", rates=CountingRates({"EUR": "0.8"}))

    assert len(result.rows) == 50
    assert CountingRates.asked == 1  # one rate per currency
    asks = {id(row["e"].lowest_ask) for row in result.rows.values()}
    assert len(asks) == 1  # 8.00 EUR converted once, shared by all 50 quotes
    assert result.rows["item 3"]["e"].lowest_ask == Money("10", "USD")
    assert result.rows["item 3"]["e"].highest_bid == Money("8.75", "USD")


def test_a_converted_amount_beyond_the_money_range_is_that_markets_failure() -> None:
    market = FakeMarket("e", {AK: ("1E90", None)}, currency="EUR")

    result = compare([market], rates=Rates({"EUR": "1E-20"}))

    assert "out of range" in result.failures["e"] and not result.rows


# ------------------------------------------------------------------ same as the Money reference


def _reference(
    table: Comparison, fees: Mapping[str, Fees], min_profit: Decimal, undercut: Decimal
) -> list[Opportunity]:
    """The earlier implementation, on Money objects, kept as the reference."""
    found = []
    for item, quotes in table.rows.items():
        for buy_market, buy in quotes.items():
            if buy.lowest_ask is None or buy.lowest_ask.amount <= 0:
                continue
            for sell_market, sell in quotes.items():
                if sell_market == buy_market:
                    continue
                seller = fees[sell_market]
                options = []
                if sell.highest_bid is not None:
                    options.append(("bid", sell.highest_bid))
                if sell.lowest_ask is not None:
                    options.append(("undercut_ask", sell.lowest_ask * (1 - undercut)))
                for kind, price in options:
                    profit = price * (1 - seller.sale_fee) - buy.lowest_ask
                    ratio = profit.amount / buy.lowest_ask.amount
                    if ratio < min_profit:
                        continue
                    found.append(
                        Opportunity(
                            item,
                            buy_market,
                            buy.lowest_ask,
                            sell_market,
                            price,
                            kind,  # type: ignore[arg-type]
                            profit,
                            ratio,
                            fees[buy_market].trade_hold_days,
                            seller.trade_hold_days,
                        )
                    )
    found.sort(key=lambda o: (-o.profit.amount, o.market_hash_name, o.buy_market, o.sell_market))
    return found


_amounts = st.one_of(
    st.none(),
    st.decimals(min_value=0, max_value=10_000, places=3, allow_nan=False, allow_infinity=False),
)


def _quote(market: str, ask: Decimal | None, bid: Decimal | None) -> MarketQuote:
    return MarketQuote(
        market=market,
        lowest_ask=None if ask is None else Money(ask, "USD"),
        highest_bid=None if bid is None else Money(bid, "USD"),
        quantity=None,
        observed_at=OBSERVED,
        age=timedelta(0),
    )


@settings(max_examples=150, deadline=None)
@given(
    rows=st.dictionaries(
        st.sampled_from([AK, AWP, "Case", "Knife", "Gloves"]),
        st.dictionaries(st.sampled_from(["a", "b", "c"]), st.tuples(_amounts, _amounts)),
        max_size=5,
    ),
    min_profit=st.sampled_from([Decimal(-1), Decimal(0), Decimal("0.05")]),
    undercut=st.sampled_from([Decimal(0), Decimal("0.01"), Decimal("0.333")]),
)
def test_plain_number_pairs_equal_the_money_reference(
    rows: dict[str, dict[str, tuple[Decimal | None, Decimal | None]]],
    min_profit: Decimal,
    undercut: Decimal,
) -> None:
    table = Comparison(
        currency="USD",
        rows=MappingProxyType(
            {
                item: MappingProxyType({m: _quote(m, *prices) for m, prices in quotes.items()})
                for item, quotes in sorted(rows.items())
            }
        ),
        failures=MappingProxyType({}),
        skipped=MappingProxyType({}),
        not_listed=(),
    )
    markets = {m: FakeMarket(m, {}) for m in FEES}

    found = arbitrage(
        markets,
        fees=FEES,
        min_profit=min_profit,
        undercut=undercut,
        comparison=table,
    )

    expected = _reference(table, FEES, min_profit, undercut)
    assert list(found) == expected
    for mine, theirs in zip(found, expected, strict=True):  # attrs eq skips nothing here
        assert (mine.profit.amount, mine.profit_ratio) == (
            theirs.profit.amount,
            theirs.profit_ratio,
        )
        assert str(mine.sell_price.amount) == str(theirs.sell_price.amount)


def test_default_fees_cover_every_vendor() -> None:
    assert {"market_tm", "swapgg", "skinsback", "mannco"} <= set(DEFAULT_FEES)


# ------------------------------------------------------------------ the fast constructor


def test_the_fast_constructor_equals_the_public_one() -> None:
    make = maker(
        MarketQuote, ("market", "lowest_ask", "highest_bid", "quantity", "observed_at", "age")
    )
    args = ("m", Money("1.5", "USD"), None, 3, OBSERVED, timedelta(seconds=5))

    fast, public = make(*args), MarketQuote(*args)

    assert fast == public and repr(fast) == repr(public) and hash(fast) == hash(public)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        fast.market = "x"  # type: ignore[misc]


def test_the_fast_constructor_refuses_a_class_whose_fields_changed() -> None:
    with pytest.raises(RuntimeError, match="has fields"):
        maker(MarketQuote, ("market", "lowest_ask"))


# ------------------------------------------------------------------ compare's tables


class ListMarket(FakeMarket):
    """A market that returns the given quotes as they are (repeated names included)."""

    def __init__(self, name: str, quotes: list[PriceQuote]) -> None:
        super().__init__(name, {})
        self.quotes = quotes

    def prices(self, *, app_id: int | None = None) -> list[PriceQuote]:
        return self.quotes


def _reference_rows(
    quotes: list[PriceQuote], market: str, rates: Rates, wanted: frozenset[str] | None
) -> dict[str, MarketQuote]:
    """The earlier _table, on public constructors, kept as the reference."""

    def usd(m: Money | None) -> Money | None:
        return None if m is None else m.convert("USD", rates)

    table: dict[str, MarketQuote] = {}
    for q in quotes:
        if wanted is not None and q.market_hash_name not in wanted:
            continue
        row = MarketQuote(
            market,
            usd(q.lowest_ask),
            usd(q.highest_bid),
            q.quantity,
            q.observed_at,
            max(NOW - q.observed_at, timedelta(0)),
        )
        known = table.get(q.market_hash_name)
        if known is None:
            table[q.market_hash_name] = row
            continue
        asks = [m for m in (known.lowest_ask, row.lowest_ask) if m is not None]
        bids = [m for m in (known.highest_bid, row.highest_bid) if m is not None]
        oldest = min((known, row), key=lambda r: r.observed_at)
        table[q.market_hash_name] = MarketQuote(
            market,
            min(asks, key=lambda m: m.amount) if asks else None,
            max(bids, key=lambda m: m.amount) if bids else None,
            None
            if known.quantity is None or row.quantity is None
            else known.quantity + row.quantity,
            oldest.observed_at,
            oldest.age,
        )
    return table


_price = st.one_of(st.none(), st.sampled_from(["1", "2.50", "2.5", "10", "0.01", "99.99"]))


@settings(max_examples=150, deadline=None)
@given(
    entries=st.lists(
        st.tuples(
            st.sampled_from([AK, AWP, "Case", "Knife"]),
            _price,
            _price,
            st.one_of(st.none(), st.integers(0, 5)),
            st.sampled_from([OBSERVED, OBSERVED - timedelta(hours=1), NOW + timedelta(seconds=3)]),
        ),
        max_size=12,
    ),
    currency=st.sampled_from(["USD", "EUR"]),
    named=st.booleans(),
)
def test_compare_tables_equal_the_reference(
    entries: list[tuple[str, str | None, str | None, int | None, Any]],
    currency: str,
    named: bool,
) -> None:
    rates = Rates({"EUR": "0.8"})
    quotes = [
        PriceQuote(
            market="m",
            market_hash_name=name,
            lowest_ask=None if ask is None else Money(ask, currency),
            highest_bid=None if bid is None else Money(bid, currency),
            quantity=quantity,
            observed_at=observed,
        )
        for name, ask, bid, quantity, observed in entries
    ]
    wanted = frozenset({AK, "Case"}) if named else None

    result = compare(
        {"m": ListMarket("m", quotes)},
        None if wanted is None else sorted(wanted),
        rates=rates,
        now=lambda: NOW,
    )

    expected = _reference_rows(quotes, "m", rates, wanted)
    assert {item: dict(row)["m"] for item, row in result.rows.items()} == expected
    for item, row in result.rows.items():
        assert repr(row["m"]) == repr(expected[item])  # same digits, not just equal values

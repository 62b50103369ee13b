"""Comparison.rows as compare makes it: a read-only mapping whose rows are built when read."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from datetime import timedelta
from types import MappingProxyType

import pytest

from skinmarkets import compare
from skinmarkets.compare import MarketQuote
from skinmarkets.models import PriceQuote
from skinmarkets.money import Money, Rates
from tests.compare_support import NOW, OBSERVED, FakeMarket

AK = "AK-47 | Redline (Field-Tested)"
AWP = "AWP | Asiimov (Field-Tested)"
M4 = "M4A4 | Howl (Field-Tested)"
RATES = Rates({"EUR": "0.8"}, base="USD")


def _comparison() -> compare.Comparison:
    return compare(
        [
            FakeMarket("usd", {AWP: ("50", None), AK: ("10.00", "9.00")}),
            FakeMarket("eur", {AK: ("8.00", None), M4: ("4000", "3900")}, currency="EUR"),
        ],
        rates=RATES,
        now=lambda: NOW,
    )


def _eager(rows: Mapping[str, Mapping[str, MarketQuote]]) -> dict[str, dict[str, MarketQuote]]:
    return {item: dict(quotes) for item, quotes in rows.items()}


def test_rows_are_a_sorted_read_only_mapping_of_every_item() -> None:
    rows = _comparison().rows

    assert isinstance(rows, Mapping)
    assert list(rows) == sorted([AK, AWP, M4])
    assert len(rows) == 3
    assert AK in rows and "nope" not in rows and 7 not in rows
    assert set(rows[AK]) == {"usd", "eur"}
    assert rows[M4]["eur"].lowest_ask == Money("5000", "USD")
    assert rows.get("nope") is None
    with pytest.raises(KeyError):
        rows["nope"]
    with pytest.raises(TypeError):
        rows[AK] = {}  # type: ignore[index]
    with pytest.raises(TypeError):
        rows[AK]["usd"] = rows[AK]["eur"]  # type: ignore[index]


def test_a_row_read_twice_is_the_same_object_and_equal_to_a_fresh_comparison() -> None:
    first, second = _comparison(), _comparison()

    assert first.rows[AK] is first.rows[AK]
    assert first == second
    assert first.rows == _eager(second.rows)
    assert _eager(first.rows) == first.rows
    assert first.rows == MappingProxyType(_eager(second.rows))


def test_a_row_holds_exactly_what_an_up_front_table_held() -> None:
    quote = _comparison().rows[AK]["eur"]

    assert quote == MarketQuote(
        market="eur",
        lowest_ask=Money("10", "USD"),
        highest_bid=None,
        quantity=3,
        observed_at=OBSERVED,
        age=timedelta(minutes=5),
    )


def test_a_name_met_twice_on_one_market_is_merged() -> None:
    class Twice(FakeMarket):
        def prices(self, *, app_id: int | None = None) -> list[PriceQuote]:
            older = OBSERVED - timedelta(minutes=1)
            return [
                PriceQuote("twice", AK, Money("5", "USD"), Money("1", "USD"), 2, OBSERVED),
                PriceQuote("twice", AK, Money("4", "USD"), None, 3, older),
                PriceQuote("twice", AWP, None, Money("7", "USD"), None, OBSERVED),
            ]

    rows = compare([Twice("twice", {})], now=lambda: NOW).rows

    merged = rows[AK]["twice"]
    assert (merged.lowest_ask, merged.highest_bid, merged.quantity) == (
        Money("4", "USD"),
        Money("1", "USD"),
        5,
    )
    assert merged.age == timedelta(minutes=6)
    assert rows[AWP]["twice"].highest_bid == Money("7", "USD")
    assert list(rows) == [AK, AWP]


def test_a_missing_rate_is_known_when_compare_returns_not_when_a_row_is_read() -> None:
    result = compare(
        [
            FakeMarket("usd", {AK: ("1", None)}),
            FakeMarket("eur", {AK: ("1", None)}, currency="EUR"),
        ],
        now=lambda: NOW,
    )

    assert "eur" in result.failures
    assert set(result.rows[AK]) == {"usd"}


def test_rows_read_from_many_threads_agree() -> None:
    rows = _comparison().rows
    seen: list[dict[str, dict[str, MarketQuote]]] = []

    def read() -> None:
        seen.append(_eager(rows))

    threads = [threading.Thread(target=read) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert len(seen) == 8 and all(one == seen[0] for one in seen)


def test_repr_shows_a_small_table_and_summarises_a_large_one() -> None:
    small = _comparison().rows
    assert AK in repr(small) and "MarketQuote(" in repr(small)

    many = {f"Item {i:03d}": ("1", None) for i in range(50)}
    large = compare([FakeMarket("usd", many)], now=lambda: NOW).rows
    assert repr(large) == "<50 rows: 'Item 000' ... 'Item 049'>"

"""prices/class_instance exports read by the fast path exactly as the wire classes read them."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skinmarkets import errors
from skinmarkets.models import PriceQuote
from skinmarkets.money import Money
from skinmarkets.vendors.market_tm import wire
from skinmarkets.vendors.market_tm.pricelist import quotes_from_class_instance
from tests.support import load_fixture

MARKET = "market_tm:cs2"


def reference_quotes(answer: dict[str, Any]) -> list[PriceQuote]:
    """The slow path, as prices() was before the fast one: wire classes, public constructors."""
    export = wire.structure(answer, wire.ClassInstancePrices, operation="prices_class_instance")
    assert export.time is not None
    observed = datetime.fromtimestamp(export.time, tz=UTC)
    asks: dict[str, Money] = {}
    bids: dict[str, Money] = {}
    raws: dict[str, Any] = {}
    for entry in export.items.values():
        name = entry.market_hash_name
        raws.setdefault(name, entry.raw)
        if entry.price is not None and entry.price > 0:
            ask = Money(entry.price, export.currency)
            asks[name] = min(asks.get(name, ask), ask)
        if entry.buy_order is not None and entry.buy_order > 0:
            bid = Money(entry.buy_order, export.currency)
            bids[name] = max(bids.get(name, bid), bid)
    return [
        PriceQuote(
            market=MARKET,
            market_hash_name=name,
            lowest_ask=asks.get(name),
            highest_bid=bids.get(name),
            quantity=None,
            observed_at=observed,
            raw=raw,
        )
        for name, raw in raws.items()
    ]


# what vendors send: string names, prices as decimal strings or null (the by-column path)
plain_prices = st.one_of(
    st.none(),
    st.decimals(min_value=-5, max_value=10_000, places=3, allow_nan=False).map(str),
    st.sampled_from(["0", "0.00", "1E+2", " 4.10 ", "4.1", "4.10"]),
)
plain_entries = st.fixed_dictionaries(
    {"market_hash_name": st.sampled_from(["AK", "AWP", "M4", "Glock"])},
    optional={"price": plain_prices, "buy_order": plain_prices},
)
# numbers as prices or names too (the by-row path)
mixed_prices = st.one_of(
    plain_prices,
    st.integers(min_value=-3, max_value=10**6),
    st.decimals(min_value=0, max_value=100, places=2, allow_nan=False),
)
mixed_entries = st.fixed_dictionaries(
    {"market_hash_name": st.sampled_from(["AK", "AWP", "M4", 1234])},
    optional={"price": mixed_prices, "buy_order": mixed_prices, "popularity_7d": st.integers(0, 9)},
)
exports = st.builds(
    lambda items, currency: {
        "success": True,
        "time": 1_700_000_000,
        "currency": currency,
        "items": {f"{1000 + i}_0": entry for i, entry in enumerate(items)},
    },
    st.one_of(st.lists(plain_entries, max_size=12), st.lists(mixed_entries, max_size=12)),
    st.sampled_from(["USD", "rub", "EUR"]),
)


@settings(max_examples=300, deadline=None)
@given(exports)
def test_the_fast_path_equals_the_wire_classes_and_public_constructors(
    answer: dict[str, Any],
) -> None:
    try:
        reference = reference_quotes(answer)
    except errors.UnexpectedResponse:  # a negative price: both paths refuse the whole export
        with pytest.raises(errors.UnexpectedResponse):
            quotes_from_class_instance(answer, market=MARKET)
        return
    fast = quotes_from_class_instance(answer, market=MARKET)
    assert fast == reference
    assert [q.raw for q in fast] == [q.raw for q in reference]
    assert [(str(q.lowest_ask), str(q.highest_bid)) for q in fast] == [
        (str(q.lowest_ask), str(q.highest_bid)) for q in reference
    ]


def test_the_documented_export_is_read() -> None:
    answer = load_fixture("market_tm", "prices_class_instance.usd")["response"]["json"]
    assert quotes_from_class_instance(answer, market=MARKET) == reference_quotes(answer)


def test_phps_empty_items_array_is_an_empty_price_list() -> None:
    answer = {"success": True, "currency": "USD", "time": 1, "items": []}
    assert quotes_from_class_instance(answer, market=MARKET) == []


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"currency": "dollars"}, "@ $.currency"),
        ({"currency": None}, "@ $.currency"),
        ({"time": "yesterday"}, "@ $.time"),
        ({"items": "none"}, "@ $.items"),
        ({"items": {"1_0": {"market_hash_name": "AK", "price": "free"}}}, "@ $.items['1_0'].price"),
        ({"items": {"1_0": {"market_hash_name": "AK", "price": "-12.031"}}}, "['1_0'].price"),
        ({"items": {"1_0": {"market_hash_name": "AK", "buy_order": -1}}}, "['1_0'].buy_order"),
        ({"items": {"1_0": {"price": "1.00"}}}, "@ $.items['1_0'].market_hash_name"),
        ({"items": {"1_0": "AK"}}, "@ $.items['1_0']"),
    ],
)
def test_an_answer_of_another_shape_names_the_path_and_keeps_the_answer(
    change: dict[str, Any], path: str
) -> None:
    answer = {"success": True, "currency": "USD", "time": 1, "items": {}} | change
    with pytest.raises(errors.UnexpectedResponse) as raised:
        quotes_from_class_instance(answer, market=MARKET)
    assert path in str(raised.value)
    assert str(raised.value).startswith("market_tm: prices_class_instance: ")
    assert raised.value.raw == answer
    assert raised.value.vendor == "market_tm"


@pytest.mark.parametrize("answer", [None, [], "prices", Decimal(1)])
def test_an_answer_that_is_not_an_object_is_unexpected(answer: object) -> None:
    with pytest.raises(errors.UnexpectedResponse, match="expected a JSON object"):
        quotes_from_class_instance(answer, market=MARKET)

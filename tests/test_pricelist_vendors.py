"""swap.gg's and SkinsBack's price-list fast paths give exactly what their typed paths gave.

Each reference below is the vendor's ``prices()`` as it was before the fast path: the answer
structured through the wire classes (cattrs with the ``_wire`` hooks), the quotes made with the
public ``PriceQuote``/``Money`` constructors. Entries come in every documented shape (ints and
numeric strings, numbers as names, repeated names, missing, null and zero prices) and in shapes
the typed path refused; a refused answer must be refused by the fast path too, as
``UnexpectedResponse`` naming the JSON path and keeping the answer. ``names=`` (``wanted``) must
give the full list's quotes of those names, in the same order.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skinmarkets import _pricefields, errors
from skinmarkets._pricefields import Entries, Field, PriceAnswer
from skinmarkets._wire import to_int
from skinmarkets.models import PriceQuote
from skinmarkets.money import Money
from skinmarkets.vendors.market_tm.pricelist import quotes_from_class_instance
from skinmarkets.vendors.skinsback import pricelist as skinsback_pricelist
from skinmarkets.vendors.skinsback import wire as skinsback_wire
from skinmarkets.vendors.skinsback.pricelist import quotes_from_pricelist
from skinmarkets.vendors.swapgg import pricelist as swapgg_pricelist
from skinmarkets.vendors.swapgg import wire as swapgg_wire
from skinmarkets.vendors.swapgg.pricelist import quotes_from_lists
from tests.support import load_fixture

AT = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
SWAPGG = "swapgg"
SKINSBACK = "skinsback:cs2"
PROPERTY = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    report_multiple_bugs=False,
)


# --------------------------------------------------------------------------- the typed paths


def swapgg_reference(lowest: Any, summary: Any, observed: datetime = AT) -> list[PriceQuote]:
    """swap.gg's prices() before the fast path (client.pricing_lowest, buyorders_summary)."""
    asks = swapgg_wire.structure(
        lowest.get("result"), dict[str, swapgg_wire.LowestPrice], operation="pricing_lowest"
    )
    bids = swapgg_wire.structure(
        summary.get("result"),
        dict[str, swapgg_wire.BuyOrderSummary],
        operation="buyorders_summary",
    )
    quotes = []
    for name in dict.fromkeys([*asks, *bids]):
        ask, bid = asks.get(name), bids.get(name)
        quotes.append(
            PriceQuote(
                market=SWAPGG,
                market_hash_name=name,
                lowest_ask=Money.from_minor(ask.price, "EUR", scale=100) if ask else None,
                highest_bid=(
                    Money.from_minor(bid.maxPrice, "EUR", scale=100)
                    if bid is not None and bid.maxPrice
                    else None
                ),
                quantity=ask.quantity if ask is not None else None,
                observed_at=observed,
                raw={
                    "lowest": ask.raw if ask is not None else None,
                    "buyorders": bid.raw if bid is not None else None,
                },
            )
        )
    return quotes


def skinsback_reference(answer: Any) -> list[PriceQuote]:
    """SkinsBack's prices() before the fast path (client.market_pricelist)."""
    typed = skinsback_wire.structure(answer, skinsback_wire.PriceList, operation="market_pricelist")
    observed = datetime.fromtimestamp(typed.last_update, tz=UTC) if typed.last_update else AT
    lowest: dict[str, skinsback_wire.Item] = {}
    for item in typed.items:
        if item.price is None or not item.name:
            continue
        known = lowest.get(item.name)
        if known is None or (known.price is not None and item.price < known.price):
            lowest[item.name] = item
    return [
        PriceQuote(
            market=SKINSBACK,
            market_hash_name=name,
            lowest_ask=Money(item.price, "USD") if item.price is not None else None,
            highest_bid=None,
            quantity=item.count,
            observed_at=observed,
            raw=item.raw,
        )
        for name, item in lowest.items()
    ]


def swapgg_fast(
    lowest: Any, summary: Any, wanted: Collection[str] | None = None
) -> list[PriceQuote]:
    return quotes_from_lists(lowest, summary, market=SWAPGG, observed_at=AT, wanted=wanted)


def skinsback_fast(answer: Any, wanted: Collection[str] | None = None) -> list[PriceQuote]:
    quotes = quotes_from_pricelist(answer, market=SKINSBACK, wanted=wanted)
    update = answer.get("last_update")
    if update is not None and to_int(update):
        return quotes
    return [attrs.evolve(q, observed_at=AT) for q in quotes]  # "now" on both sides


def assert_same(fast: Sequence[PriceQuote], reference: Sequence[PriceQuote]) -> None:
    """Equal quotes, slot by slot: raw (outside eq), Money spellings and int types included."""
    assert fast == reference
    for got, want in zip(fast, reference, strict=True):
        assert got.raw == want.raw
        assert (str(got.lowest_ask), str(got.highest_bid)) == (
            str(want.lowest_ask),
            str(want.highest_bid),
        )
        assert type(got.quantity) is type(want.quantity)
        for money in (got.lowest_ask, got.highest_bid):
            assert money is None or type(money.amount) is Decimal


def assert_same_outcome(
    fast: Callable[[], list[PriceQuote]], reference: Callable[[], list[PriceQuote]]
) -> list[PriceQuote] | None:
    """Both refuse (``UnexpectedResponse``) or both give the same quotes; those quotes."""
    try:
        want = reference()
    except errors.UnexpectedResponse:
        with pytest.raises(errors.UnexpectedResponse):
            fast()
        return None
    got = fast()
    assert_same(got, want)
    return want


# --------------------------------------------------------------------------- swap.gg answers

NAMES = ["AK-47 | Redline (Field-Tested)", "AWP | Neo - Noir(Field - Tested)", "★ Karambit", "1234"]
# whole cents: the sample's ints, the table's strings, whole Decimals (a JSON 1E+2), 0 and 1
cents = st.one_of(
    st.integers(min_value=0, max_value=10**6),
    st.integers(min_value=0, max_value=10**6).map(str),
    st.sampled_from([0, 1, "0", "1", " 42 ", "007", "-0", Decimal("100"), Decimal("1E+2"), 10**15]),
)
bad_cents = st.sampled_from(
    [-1, "-5", "1.5", "abc", "", True, False, Decimal("2.5"), 10**15 + 1, [1], {"a": 1}]
)
counts = st.one_of(
    st.integers(min_value=-5, max_value=10**6),
    st.integers(min_value=0, max_value=999).map(str),
    st.sampled_from([0, 1, "1", Decimal("3"), 10**18 - 1]),
)
bad_counts = st.sampled_from(["x", True, False, 10**18, Decimal("1.5"), [2]])
links = st.one_of(st.text(max_size=8), st.integers(), st.sampled_from([Decimal("1.5")]))
bad_links = st.sampled_from([True, [1], {"a": "b"}])
not_objects = st.sampled_from(["AK", 7, None, [1, 2], True])


def lowest_entries(good: bool) -> st.SearchStrategy[Any]:
    price = cents if good else st.one_of(cents, bad_cents, st.none())
    count = st.one_of(st.none(), counts) if good else st.one_of(counts, bad_counts)
    link = st.one_of(st.none(), links) if good else st.one_of(links, bad_links)
    entry = st.fixed_dictionaries(
        {"price": price} if good else {},
        optional={"quantity": count, "link": link, **({} if good else {"price": price})},
    )
    return entry if good else st.one_of(entry, entry, entry, not_objects)


def summary_entries(good: bool) -> st.SearchStrategy[Any]:
    price = st.one_of(st.none(), cents) if good else st.one_of(cents, bad_cents)
    count = st.one_of(st.none(), counts) if good else st.one_of(counts, bad_counts)
    entry = st.fixed_dictionaries(
        {}, optional={"maxPrice": price, "minPrice": price, "quantity": count}
    )
    return entry if good else st.one_of(entry, entry, entry, not_objects)


def envelopes(entries: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.builds(
        lambda result: {"status": "OK", "result": result},
        st.dictionaries(st.sampled_from(NAMES), entries, max_size=4),
    )


@PROPERTY
@given(envelopes(lowest_entries(True)), envelopes(summary_entries(True)))
def test_swapgg_fast_path_equals_the_typed_path(lowest: Any, summary: Any) -> None:
    assert_same(swapgg_fast(lowest, summary), swapgg_reference(lowest, summary))


@PROPERTY
@given(envelopes(lowest_entries(False)), envelopes(summary_entries(False)))
def test_swapgg_fast_path_refuses_what_the_typed_path_refused(lowest: Any, summary: Any) -> None:
    assert_same_outcome(
        lambda: swapgg_fast(lowest, summary), lambda: swapgg_reference(lowest, summary)
    )


@PROPERTY
@given(
    envelopes(lowest_entries(True)),
    envelopes(summary_entries(True)),
    st.lists(st.sampled_from([*NAMES, "not listed"]), max_size=5),
)
def test_swapgg_named_prices_are_the_full_lists_quotes_of_those_names(
    lowest: Any, summary: Any, names: list[str]
) -> None:
    full = swapgg_reference(lowest, summary)
    assert_same(
        swapgg_fast(lowest, summary, frozenset(names)),
        [q for q in full if q.market_hash_name in names],
    )


SWAPGG_BAD = {
    "pricing_lowest": {"price": bad_cents, "quantity": bad_counts, "link": bad_links},
    "buyorders_summary": {"maxPrice": bad_cents, "minPrice": bad_cents, "quantity": bad_counts},
}


@PROPERTY
@given(
    envelopes(lowest_entries(True)),
    envelopes(summary_entries(True)),
    st.sampled_from(sorted(SWAPGG_BAD)),
    st.data(),
)
def test_swapgg_one_bad_value_in_a_good_list_is_refused_naming_it(
    lowest: Any, summary: Any, operation: str, data: st.DataObject
) -> None:
    answers = {"pricing_lowest": lowest, "buyorders_summary": summary}
    result = answers[operation]["result"]
    name = data.draw(st.sampled_from(NAMES))
    field = data.draw(st.sampled_from(sorted(SWAPGG_BAD[operation])))
    result[name] = {
        **result.get(name, {"price": 1}),
        field: data.draw(SWAPGG_BAD[operation][field]),
    }
    for path in (lambda: swapgg_reference(lowest, summary), lambda: swapgg_fast(lowest, summary)):
        with pytest.raises(errors.UnexpectedResponse) as raised:
            path()
        assert raised.value.operation == operation
    assert f"@ $.result[{name!r}].{field}" in str(raised.value)
    assert raised.value.raw == answers[operation]


def column_and_row_readings(
    keys: Sequence[Any], entries: Sequence[Any], fields: Sequence[Field], answer: Any
) -> tuple[Entries | None, Entries]:
    """The list read by column (None where its shape is read by row only) and by row."""
    by_column = _pricefields.by_column(entries, fields)
    by_row = _pricefields.by_row(
        zip(keys, entries, strict=True), fields, PriceAnswer("v", "op", answer), "$"
    )
    return (None if by_column is None else Entries(list(keys), list(entries), by_column)), by_row


@PROPERTY
@given(envelopes(lowest_entries(True)), envelopes(summary_entries(True)))
def test_swapgg_column_and_row_readings_agree(lowest: Any, summary: Any) -> None:
    for answer, fields in (
        (lowest, swapgg_pricelist.LOWEST_FIELDS),
        (summary, swapgg_pricelist.SUMMARY_FIELDS),
    ):
        result = answer["result"]
        by_column, by_row = column_and_row_readings(
            list(result), list(result.values()), fields, answer
        )
        if by_column is not None:
            assert by_column == by_row


def test_swapgg_documented_samples_are_read_by_column() -> None:
    lowest = load_fixture("swapgg", "pricing_lowest.ok")["response"]["json"]["result"]
    summary = load_fixture("swapgg", "buyorders_summary.ok")["response"]["json"]["result"]
    as_strings = {n: {k: str(v) for k, v in e.items()} for n, e in lowest.items()}  # the table
    for result, fields in (
        (lowest, swapgg_pricelist.LOWEST_FIELDS),
        (as_strings, swapgg_pricelist.LOWEST_FIELDS),
        (summary, swapgg_pricelist.SUMMARY_FIELDS),
    ):
        assert _pricefields.by_column(list(result.values()), fields) is not None


def test_swapgg_documented_samples_are_read() -> None:
    lowest = load_fixture("swapgg", "pricing_lowest.ok")["response"]["json"]
    summary = load_fixture("swapgg", "buyorders_summary.ok")["response"]["json"]
    quotes = swapgg_fast(lowest, summary)
    assert_same(quotes, swapgg_reference(lowest, summary))
    assert [q.market_hash_name for q in quotes][-1] == "Spectrum 2 Case"  # bids-only name last


def test_swapgg_zero_ask_is_zero_euros_and_zero_bid_is_none_as_before() -> None:
    (quote,) = swapgg_fast(
        {"status": "OK", "result": {"AK": {"price": 0}}},
        {"status": "OK", "result": {"AK": {"maxPrice": 0}}},
    )
    assert (quote.lowest_ask, quote.highest_bid) == (Money("0.00", "EUR"), None)
    assert str(quote.lowest_ask) == str(Money.from_minor(0, "EUR"))


@pytest.mark.parametrize(
    ("lowest", "summary", "operation", "path"),
    [
        ({"AK": {"price": "cheap"}}, {}, "pricing_lowest", "@ $.result['AK'].price"),
        ({"AK": {"price": -1}}, {}, "pricing_lowest", "@ $.result['AK'].price"),
        ({"AK": {"price": None}}, {}, "pricing_lowest", "@ $.result['AK'].price"),
        ({"AK": {"quantity": 1}}, {}, "pricing_lowest", "@ $.result['AK'].price"),
        ({"AK": {"price": 1, "quantity": "x"}}, {}, "pricing_lowest", "['AK'].quantity"),
        ({"AK": {"price": 1, "link": True}}, {}, "pricing_lowest", "['AK'].link"),
        ({"AK": "2200"}, {}, "pricing_lowest", "@ $.result['AK']"),
        ({}, {"AK": {"maxPrice": True}}, "buyorders_summary", "['AK'].maxPrice"),
        ({}, {"AK": {"minPrice": Decimal("1.5")}}, "buyorders_summary", "['AK'].minPrice"),
        ({}, {"AK": {"quantity": [1]}}, "buyorders_summary", "['AK'].quantity"),
        (None, {}, "pricing_lowest", "@ $.result"),
        ({}, [], "buyorders_summary", "@ $.result"),
    ],
)
def test_swapgg_an_entry_of_another_shape_names_its_path_and_keeps_the_answer(
    lowest: Any, summary: Any, operation: str, path: str
) -> None:
    answers = {"pricing_lowest": lowest, "buyorders_summary": summary}
    envelopes = {op: {"status": "OK", "result": result} for op, result in answers.items()}
    with pytest.raises(errors.UnexpectedResponse) as raised:
        swapgg_fast(envelopes["pricing_lowest"], envelopes["buyorders_summary"])
    assert path in str(raised.value)
    assert str(raised.value).startswith(f"swapgg: {operation}: ")
    assert raised.value.raw == envelopes[operation]
    assert (raised.value.vendor, raised.value.operation) == ("swapgg", operation)


def test_swapgg_a_bad_entry_of_a_name_not_wanted_is_skipped_unread() -> None:
    lowest = {"status": "OK", "result": {"AK": {"price": "junk"}, "AWP": {"price": 150}}}
    summary = {"status": "OK", "result": {"AK": {"maxPrice": -3}}}
    (quote,) = swapgg_fast(lowest, summary, frozenset({"AWP"}))
    assert quote.lowest_ask == Money("1.50", "EUR")


def test_swapgg_bad_row_among_many_names_its_name() -> None:
    result = {f"Item {i}": {"price": i + 2, "quantity": 1} for i in range(10_000)}
    result["Item 7777"] = {"price": "seven", "quantity": 1}
    lowest = {"status": "OK", "result": result}
    with pytest.raises(errors.UnexpectedResponse, match=r"\['Item 7777'\]\.price") as raised:
        swapgg_fast(lowest, {"status": "OK", "result": {}})
    assert raised.value.raw is lowest


# --------------------------------------------------------------------------- SkinsBack answers

names = st.one_of(
    st.sampled_from(["AK-47 | Safari Mesh (Minimal Wear)", "AWP", "★ Karambit", ""]),
    st.integers(min_value=0, max_value=99),  # numbers as names
    st.sampled_from([Decimal("12.5")]),
)
bad_names = st.sampled_from([None, True, [1], {"n": 1}])
usd = st.one_of(
    st.decimals(min_value=0, max_value=10_000, places=2, allow_nan=False).map(str),
    st.decimals(min_value=0, max_value=100, places=3, allow_nan=False),
    st.integers(min_value=0, max_value=10**6),
    st.sampled_from(["0", "0.00", " 4.10 ", "4.1", "4.10", "-0", "1E+2", 0]),
)
bad_usd = st.sampled_from(["-1", -1, "abc", True, "1E999", "NaN", Decimal("-0.01"), [1]])
ids = st.one_of(st.text(max_size=6), st.integers(min_value=0, max_value=10**9))
bad_ids = st.sampled_from([Decimal("1.5"), Decimal("12"), True, [1]])
updates = st.sampled_from([None, 0, "0", 1_700_000_000, "1700000000", Decimal("1700000000")])


def skinsback_items(good: bool) -> st.SearchStrategy[Any]:
    def either(valid: st.SearchStrategy[Any], bad: st.SearchStrategy[Any]) -> Any:
        return st.one_of(st.none(), valid) if good else st.one_of(valid, bad)

    entry = st.fixed_dictionaries(
        {},
        optional={
            "name": names if good else st.one_of(names, bad_names),
            "price": either(usd, bad_usd),
            "classid": either(ids, bad_ids),
            "id": either(ids, bad_ids),
            "count": either(counts, bad_counts),
        },
    )
    return entry if good else st.one_of(entry, entry, entry, not_objects)


def pricelists(good: bool) -> st.SearchStrategy[dict[str, Any]]:
    return st.builds(
        lambda items, update: (
            {"status": "success", "items": items}
            | ({} if update is None else {"last_update": update})
        ),
        st.lists(skinsback_items(good), max_size=6),
        updates
        if good
        else st.one_of(updates, st.sampled_from(["yesterday", True, Decimal("-0.5")])),
    )


@PROPERTY
@given(pricelists(True))
def test_skinsback_fast_path_equals_the_typed_path(answer: Any) -> None:
    assert_same(skinsback_fast(answer), skinsback_reference(answer))


@PROPERTY
@given(pricelists(False))
def test_skinsback_fast_path_refuses_what_the_typed_path_refused(answer: Any) -> None:
    assert_same_outcome(lambda: skinsback_fast(answer), lambda: skinsback_reference(answer))


@PROPERTY
@given(pricelists(True), st.lists(st.sampled_from(["AWP", "★ Karambit", "7", "nope"]), max_size=4))
def test_skinsback_named_prices_are_the_full_lists_quotes_of_those_names(
    answer: Any, wanted: list[str]
) -> None:
    full = skinsback_reference(answer)
    assert_same(
        skinsback_fast(answer, frozenset(wanted)),
        [q for q in full if q.market_hash_name in wanted],
    )


SKINSBACK_BAD = {
    "name": bad_names,
    "price": bad_usd,
    "classid": bad_ids,
    "id": bad_ids,
    "count": bad_counts,
}


@PROPERTY
@given(pricelists(True), st.sampled_from(sorted(SKINSBACK_BAD)), st.data())
def test_skinsback_one_bad_value_in_a_good_list_is_refused_naming_it(
    answer: Any, field: str, data: st.DataObject
) -> None:
    items = answer["items"]
    index = data.draw(st.integers(min_value=0, max_value=len(items)))
    items.insert(index, {"name": "AK", "price": "1", field: data.draw(SKINSBACK_BAD[field])})
    with pytest.raises(errors.UnexpectedResponse):
        skinsback_reference(answer)
    with pytest.raises(errors.UnexpectedResponse) as raised:
        skinsback_fast(answer)
    assert f"@ $.items[{index}].{field}" in str(raised.value)
    assert raised.value.raw == answer


grouped_lists = st.builds(
    lambda items, update: {"status": "success", "last_update": update, "items": items},
    st.lists(
        st.fixed_dictionaries(
            {
                "name": st.text(min_size=1, max_size=5),
                "price": st.decimals(min_value=0, max_value=999, places=2).map(str),
            },
            optional={
                "classid": st.one_of(st.none(), ids),
                "id": st.one_of(st.none(), ids),
                "count": st.one_of(st.none(), st.integers(0, 99), st.integers(0, 99).map(str)),
            },
        ),
        max_size=8,
        unique_by=lambda item: item["name"],
    ),
    updates,
)


@PROPERTY
@given(grouped_lists)
def test_skinsback_grouped_lists_are_read_by_column_as_the_typed_path_reads_them(
    answer: Any,
) -> None:
    assert _pricefields.by_column(answer["items"], skinsback_pricelist.ITEM_FIELDS) is not None
    assert_same(skinsback_fast(answer), skinsback_reference(answer))


@PROPERTY
@given(pricelists(True))
def test_skinsback_column_and_row_readings_agree(answer: Any) -> None:
    items = answer["items"]
    by_column, by_row = column_and_row_readings(
        range(len(items)), items, skinsback_pricelist.ITEM_FIELDS, answer
    )
    if by_column is not None:
        assert by_column == by_row


def test_skinsback_documented_sample_is_read() -> None:
    answer = load_fixture("skinsback", "market_pricelist.ok")["response"]["json"]
    (quote,) = quotes_from_pricelist(answer, market=SKINSBACK)
    assert_same([quote], skinsback_reference(answer))
    assert (quote.lowest_ask, quote.quantity) == (Money("0.40", "USD"), 12)
    assert quote.observed_at == datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)


def test_skinsback_a_repeated_name_keeps_the_strictly_lowest_entry_with_its_count() -> None:
    first = {"name": "AK", "price": "2.00", "count": "3"}
    cheaper = {"name": "AK", "price": "1.50", "count": "1"}
    same = {"name": "AK", "price": "1.5", "count": "9"}
    (quote,) = quotes_from_pricelist(
        {"status": "success", "items": [first, cheaper, same]}, market=SKINSBACK
    )
    assert (str(quote.lowest_ask), quote.quantity, quote.raw) == ("1.50 USD", 1, cheaper)


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"items": [{"name": "AK", "price": "free"}]}, "@ $.items[0].price"),
        ({"items": [{"name": "AK"}, {"name": "AK", "price": "-0.5"}]}, "@ $.items[1].price"),
        ({"items": [{"name": None, "price": "1"}]}, "@ $.items[0].name"),
        ({"items": [{"name": "AK", "classid": Decimal("1.5")}]}, "@ $.items[0].classid"),
        ({"items": [{"name": "AK", "count": "many"}]}, "@ $.items[0].count"),
        ({"items": ["AK"]}, "@ $.items[0]"),
        ({"items": "none"}, "@ $.items"),
        ({"items": None}, "@ $.items"),
        ({"last_update": "yesterday"}, "@ $.last_update"),
        ({"last_update": 10**17}, "@ $.last_update"),  # a year past 9999: the typed path crashed
    ],
)
def test_skinsback_an_answer_of_another_shape_names_the_path_and_keeps_the_answer(
    change: dict[str, Any], path: str
) -> None:
    answer = {"status": "success", "items": []} | change
    with pytest.raises(errors.UnexpectedResponse) as raised:
        quotes_from_pricelist(answer, market=SKINSBACK)
    assert path in str(raised.value)
    assert str(raised.value).startswith("skinsback: market_pricelist: ")
    assert raised.value.raw == answer


def test_skinsback_an_empty_list_as_phps_empty_object_is_no_quotes() -> None:
    assert quotes_from_pricelist({"status": "success", "items": {}}, market=SKINSBACK) == []


def test_skinsback_a_bad_entry_of_a_name_not_wanted_is_skipped_unread() -> None:
    answer = {
        "status": "success",
        "items": [{"name": "AK", "price": "junk"}, {"name": "AWP", "price": "3.10", "count": 2}],
    }
    (quote,) = quotes_from_pricelist(answer, market=SKINSBACK, wanted=frozenset({"AWP"}))
    assert (quote.market_hash_name, quote.quantity) == ("AWP", 2)


# --------------------------------------------------------------------------- Market TM names


market_tm_entries = st.fixed_dictionaries(
    {"market_hash_name": st.sampled_from(["AK", "AWP", "M4", 1234])},
    optional={
        "price": st.one_of(st.none(), usd),
        "buy_order": st.one_of(st.none(), usd),
    },
)


@PROPERTY
@given(
    st.lists(market_tm_entries, max_size=8),
    st.lists(st.sampled_from(["AK", "M4", "1234", "Glock"]), max_size=4),
)
def test_market_tm_named_prices_are_the_full_lists_quotes_of_those_names(
    entries: list[dict[str, Any]], wanted: list[str]
) -> None:
    answer = {
        "success": True,
        "time": 1_700_000_000,
        "currency": "USD",
        "items": {f"{1000 + i}_0": entry for i, entry in enumerate(entries)},
    }
    full = quotes_from_class_instance(answer, market="market_tm:cs2")
    named = quotes_from_class_instance(answer, market="market_tm:cs2", wanted=frozenset(wanted))
    assert_same(named, [q for q in full if q.market_hash_name in wanted])


def test_market_tm_a_bad_entry_of_a_name_not_wanted_is_skipped_unread() -> None:
    answer = {
        "currency": "USD",
        "time": 1,
        "items": {
            "1_0": {"market_hash_name": "AK", "price": "-4"},
            "2_0": {"market_hash_name": "AWP", "price": "9.10"},
        },
    }
    (quote,) = quotes_from_class_instance(answer, market="m", wanted=frozenset({"AWP"}))
    assert quote.lowest_ask == Money("9.10", "USD")
    with pytest.raises(errors.UnexpectedResponse, match=r"\['1_0'\]\.price"):
        quotes_from_class_instance(answer, market="m")

"""The price-list fast path builds what the public constructors build, and checks as much."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skinmarkets import _pricecolumns, _pricelist, errors
from skinmarkets._gc import LARGE_BUILD, gc_paused
from skinmarkets._pricefields import Entries, Field, PriceAnswer, by_column, read_entries
from skinmarkets._pricelist import BadEntry, MoneyMemo, quotes_from_entries
from skinmarkets._wire import to_cents, to_str
from skinmarkets.models import PriceQuote
from skinmarkets.money import Money

AT = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


def quotes(*entries: dict[str, Any], currency: str = "USD") -> list[PriceQuote]:
    return quotes_from_entries(list(entries), market="m", currency=currency, observed_at=AT)


def test_money_equals_the_public_constructor_field_by_field() -> None:
    fast, public = _pricelist.money(Decimal("4.10"), "USD"), Money(Decimal("4.10"), "USD")
    assert fast == public
    assert attrs.astuple(fast, recurse=False) == attrs.astuple(public, recurse=False)
    assert str(fast) == str(public) and hash(fast) == hash(public)


def test_quotes_equal_the_public_constructor_field_by_field() -> None:
    entry = {"market_hash_name": "AK", "price": "4.10", "buy_order": "3.9"}
    (fast,) = quotes(entry)
    public = PriceQuote(
        market="m",
        market_hash_name="AK",
        lowest_ask=Money("4.10", "USD"),
        highest_bid=Money("3.9", "USD"),
        quantity=None,
        observed_at=AT,
        raw=entry,
    )
    assert fast == public
    for field in attrs.fields(PriceQuote):  # raw is eq=False, so compare every slot directly
        assert getattr(fast, field.name) == getattr(public, field.name), field.name
    assert fast.raw is entry


def test_a_name_met_again_keeps_its_lowest_ask_highest_bid_and_first_raw() -> None:
    first = {"market_hash_name": "AK", "price": "5.00", "buy_order": "1.00"}
    result = quotes(
        first,
        {"market_hash_name": "AK", "price": "4.50", "buy_order": None},
        {"market_hash_name": "AK", "price": "6.00", "buy_order": "2.00"},
        {"market_hash_name": "AWP", "price": "9.00"},
    )
    assert [(q.market_hash_name, q.lowest_ask, q.highest_bid) for q in result] == [
        ("AK", Money("4.50", "USD"), Money("2.00", "USD")),
        ("AWP", Money("9.00", "USD"), None),
    ]
    assert result[0].raw is first


@pytest.mark.parametrize("price", [None, "0", "0.00", 0, "-0", Decimal("-0.00")])
def test_a_missing_or_zero_price_means_no_offer(price: object) -> None:
    (quote,) = quotes({"market_hash_name": "AK", "price": price, "buy_order": price})
    assert (quote.lowest_ask, quote.highest_bid) == (None, None)


@pytest.mark.parametrize("field", ["price", "buy_order"])
@pytest.mark.parametrize("price", ["-1.5", Decimal("-2"), -1, "-0.001"])
def test_a_negative_price_cannot_be_true_and_is_a_bad_entry(field: str, price: object) -> None:
    entry = {"market_hash_name": "AK", "price": "1.00", field: price}
    with pytest.raises(BadEntry) as raised:
        quotes(entry)
    assert raised.value.field == field
    assert "0 or more" in raised.value.reason
    assert raised.value.entry is entry


def test_prices_as_numbers_keep_their_own_spelling() -> None:
    result = quotes(
        {"market_hash_name": "A", "price": 1},
        {"market_hash_name": "B", "price": Decimal("1.00")},
        {"market_hash_name": "C", "price": "1.0"},
    )
    assert [str(q.lowest_ask.amount) for q in result if q.lowest_ask] == ["1", "1.00", "1.0"]


def test_a_numeric_name_is_read_as_its_string() -> None:
    (quote,) = quotes({"market_hash_name": 12345, "price": "1"})
    assert quote.market_hash_name == "12345"


def test_equal_price_strings_share_one_money() -> None:
    a, b = quotes(
        {"market_hash_name": "A", "price": "2.50"}, {"market_hash_name": "B", "price": "2.50"}
    )
    assert a.lowest_ask is b.lowest_ask


@pytest.mark.parametrize(
    ("entry", "field", "reason"),
    [
        ({"price": "1"}, "market_hash_name", "required field missing"),
        ({"market_hash_name": ["A"]}, "market_hash_name", "expected a string or number"),
        ({"market_hash_name": "A", "price": "cheap"}, "price", "expected a decimal number"),
        ({"market_hash_name": "A", "price": True}, "price", "expected a number"),
        ({"market_hash_name": "A", "buy_order": "1E999999999"}, "buy_order", "within 1E±30"),
        ({"market_hash_name": "A", "buy_order": {"x": 1}}, "buy_order", "expected a number"),
    ],
)
def test_an_unreadable_entry_names_its_key_field_and_reason(
    entry: dict[str, Any], field: str, reason: str
) -> None:
    with pytest.raises(BadEntry) as raised:
        quotes({"market_hash_name": "fine", "price": "1"}, entry)
    assert (raised.value.key, raised.value.field, raised.value.entry) == (1, field, entry)
    assert reason in raised.value.reason
    assert raised.value.where == f"[1].{field}"


@pytest.mark.parametrize("entry", ["AK", 7, None, ["AK", "1.00"]])
def test_an_entry_that_is_not_an_object_is_refused(entry: object) -> None:
    with pytest.raises(BadEntry, match="expected a JSON object") as raised:
        quotes_from_entries({"k": entry}, market="m", currency="USD", observed_at=AT)
    assert raised.value.key == "k"


def test_memo_refuses_a_bool_and_remembers_only_strings() -> None:
    memo = MoneyMemo("EUR")
    assert memo.money("3") == Money("3", "EUR")
    assert memo.money(Decimal("3.0")) == Money("3.0", "EUR")
    assert set(memo.seen) == {None, "3"}
    with pytest.raises(TypeError):
        memo.money(False)


@pytest.mark.parametrize("value", [2200, "2200", " 2200 ", Decimal("2200"), Decimal("2.2E+3")])
def test_memo_in_minor_units_makes_what_from_minor_makes(value: object) -> None:
    made = MoneyMemo("EUR", minor_units=100).money(value)
    assert made == Money.from_minor(2200, "EUR", scale=100)
    assert str(made) == str(Money.from_minor(2200, "EUR", scale=100)) == "22.00 EUR"


def test_memo_in_minor_units_keeps_zero_only_when_asked() -> None:
    assert MoneyMemo("EUR", minor_units=100).money(0) is None
    assert str(MoneyMemo("EUR", minor_units=100, zero=True).money(0)) == "0.00 EUR"


@pytest.mark.parametrize("flag", [True, False])
def test_memo_in_minor_units_never_lets_a_bool_find_a_number(flag: bool) -> None:
    memo = MoneyMemo("EUR", minor_units=100, zero=True)
    for value in (0, 1, 2, "1"):
        memo.money(value)
    assert memo.seen.get(flag, _pricelist.MISSING) is _pricelist.MISSING
    with pytest.raises(TypeError):
        memo.money(flag)


@pytest.mark.parametrize("value", [-1, "1.5", Decimal("0.5"), 10**15 + 1, "cheap"])
def test_memo_in_minor_units_refuses_what_is_not_whole_cents(value: object) -> None:
    with pytest.raises(TypeError):
        MoneyMemo("EUR", minor_units=100).money(value)


money_values = st.one_of(
    st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False).map(str),
    st.integers(min_value=-2, max_value=10**16),
    st.integers(min_value=0, max_value=10**16).map(str),
    st.sampled_from(["0", "0.00", "00042", "1.5", " 7", "7\n8", "-1", "1e3", "", "١٢"]),
)


@settings(max_examples=300, deadline=None)
@given(
    st.sets(money_values, max_size=6),
    st.sampled_from([None, 100, 1000]),
    st.booleans(),
)
def test_memo_table_reads_each_value_as_money_does(
    values: set[object], minor_units: int | None, zero: bool
) -> None:
    memo = MoneyMemo("USD", minor_units=minor_units, zero=zero)
    try:
        want = {value: memo.money(value) for value in values}
    except (TypeError, ValueError):
        with pytest.raises((TypeError, ValueError)):
            MoneyMemo("USD", minor_units=minor_units, zero=zero).table(values)
        return
    got = MoneyMemo("USD", minor_units=minor_units, zero=zero).table(values)
    assert got == want
    assert {k: str(v) for k, v in got.items()} == {k: str(v) for k, v in want.items()}


def test_read_column_never_lets_a_bool_pass_for_an_int() -> None:
    assert _pricecolumns.read_column([1, True, 2], {int}, int) is None
    assert _pricecolumns.read_column([1, 2, 1], {int}, str) == ["1", "2", "1"]


def test_read_distinct_refuses_unhashable_values_among_strings() -> None:
    assert _pricecolumns.read_distinct(["1.00", [1]], {str}, str) is None
    assert _pricecolumns.read_distinct(["1.00", 1], {str}, str) is None


def test_value_memo_remembers_strings_and_refuses_what_read_refuses() -> None:
    memo = _pricelist.ValueMemo(int)
    assert (memo.read("12"), memo.read(None), memo.read(3)) == (12, None, 3)
    assert memo.seen == {None: None, "12": 12}
    with pytest.raises(ValueError):
        memo.read("twelve")


def test_fault_names_the_first_field_its_rule_refuses() -> None:
    rules = (("a", _pricelist.optional(int), False), ("b", str, True))
    assert _pricelist.fault(3, {"a": "x"}, rules).where == "[3].a"
    assert _pricelist.fault(3, {"a": None}, rules).reason == "required field missing"
    assert _pricelist.fault(3, [1], rules).where == "[3]"


def test_named_entries_skip_other_names_before_reading_their_prices() -> None:
    result = quotes_from_entries(
        [{"market_hash_name": "AK", "price": "junk"}, {"market_hash_name": "M4", "price": "2"}],
        market="m",
        currency="USD",
        observed_at=AT,
        wanted=frozenset({"M4", "AWP"}),
    )
    assert [(q.market_hash_name, q.lowest_ask) for q in result] == [("M4", Money("2", "USD"))]


# ------------------------------------------------------------------ the collector pause


@pytest.fixture
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_the_collector_is_off_inside_and_back_on_after(collector_on: None) -> None:
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_the_collector_comes_back_after_an_error(collector_on: None) -> None:
    with pytest.raises(RuntimeError), gc_paused():
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_a_program_that_disabled_the_collector_keeps_it_off() -> None:
    was = gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        if was:
            gc.enable()


def test_overlapping_pauses_turn_it_back_on_only_when_the_last_ends(collector_on: None) -> None:
    first_inside, second_done = threading.Event(), threading.Event()
    seen: list[bool] = []

    def other() -> None:
        with gc_paused():
            first_inside.set()
            second_done.wait(5)
        seen.append(gc.isenabled())

    thread = threading.Thread(target=other)
    thread.start()
    assert first_inside.wait(5)
    with gc_paused():
        pass
    seen.append(gc.isenabled())  # the other thread still builds: still off
    second_done.set()
    thread.join(5)
    assert seen == [False, True]
    assert gc.isenabled()


class _Node:
    """A container object the collector tracks (a plain class instance)."""


def _in_oldest_generation(node: object) -> bool:
    return any(found is node for found in gc.get_objects(generation=2))


def _tracked_in_a_generation(node: object) -> bool:
    """In generation 0, 1 or 2 (a frozen object is in none of them)."""
    return any(found is node for found in gc.get_objects())


def test_a_large_build_goes_to_the_oldest_generation_unscanned(collector_on: None) -> None:
    gc.collect()
    with gc_paused():
        built = [_Node() for _ in range(LARGE_BUILD + 1_000)]
        assert gc.get_count()[0] >= LARGE_BUILD
    # nothing of it is left for the young collections to scan
    assert gc.get_count()[0] < 100
    assert _in_oldest_generation(built[0]) and _in_oldest_generation(built[-1])
    assert gc.get_freeze_count() == 0


def test_a_small_build_is_left_young(collector_on: None) -> None:
    gc.collect()
    with gc_paused():
        built = [_Node() for _ in range(1_000)]
    assert not _in_oldest_generation(built[-1])  # scanned by the young collections, as always


def test_the_programs_own_frozen_objects_stay_frozen(collector_on: None) -> None:
    gc.collect()
    kept = [_Node() for _ in range(100)]
    gc.freeze()
    try:
        assert not _tracked_in_a_generation(kept[0])  # frozen: in no generation
        with gc_paused():
            built = [_Node() for _ in range(LARGE_BUILD + 1_000)]
        # never unfrozen by us (the count itself may drop: a frozen object can be freed)
        assert gc.get_freeze_count() >= len(kept)
        assert not _tracked_in_a_generation(kept[0]) and not _tracked_in_a_generation(kept[-1])
        assert not _in_oldest_generation(built[-1])  # and the build is left young, as before
    finally:
        gc.unfreeze()


def test_a_bad_entry_leaves_the_collector_on(collector_on: None) -> None:
    with pytest.raises(BadEntry):
        quotes({"price": "1"})
    assert gc.isenabled()


# --------------------------------------------------------------------------- _pricefields

CENTS = Field(
    "price",
    to_cents,
    frozenset({int, str}),
    lambda: MoneyMemo("EUR", minor_units=100, zero=True),
    required=True,
)
LINK = Field("link", _pricelist.optional(to_str), frozenset({str, type(None)}), kept=False)


def read(container: Any, wanted: frozenset[str] | None = None) -> Entries:
    answer = PriceAnswer("acme", "prices", {"result": container})
    return read_entries(container, (CENTS, LINK), answer, "$.result", wanted)


def test_a_value_of_another_type_is_read_on_its_own_by_column() -> None:
    entries = [{"price": 100}, {"price": Decimal("1E+2"), "link": 7}, {"price": "100"}]
    assert by_column(entries, (CENTS, LINK)) == [[Money("1.00", "EUR")] * 3]
    assert read(dict(zip("abc", entries, strict=True))) == Entries(
        ["a", "b", "c"], entries, [[Money("1.00", "EUR")] * 3]
    )


@pytest.mark.parametrize(
    ("entry", "where"),
    [
        ({"price": True}, "['b'].price"),  # a bool is not a number of cents
        ({"price": None}, "['b'].price"),  # required: null is refused
        ({}, "['b'].price"),
        ({"price": 1, "link": [1]}, "['b'].link"),
        ("1", "['b']"),
    ],
)
def test_a_list_refused_by_column_is_worded_by_row(entry: Any, where: str) -> None:
    container = {"a": {"price": 1}, "b": entry}
    assert by_column(list(container.values()), (CENTS, LINK)) is None
    with pytest.raises(errors.UnexpectedResponse, match=r"^acme: prices: ") as raised:
        read(container)
    assert f"@ $.result{where})" in str(raised.value)
    assert raised.value.raw == {"result": container}


def test_wanted_entries_are_read_by_row_and_the_others_skipped_unread() -> None:
    container = {"a": {"price": "junk"}, "b": {"price": 2}}
    assert read(container, frozenset({"b"})).columns == [[Money("0.02", "EUR")]]


@pytest.mark.parametrize(
    ("body", "kind", "expected"),
    [({}, dict, {}), ({"items": []}, dict, {}), ({"items": {}}, list, []), ({}, list, [])],
)
def test_a_missing_or_php_empty_member_is_empty(body: Any, kind: Any, expected: Any) -> None:
    assert PriceAnswer("acme", "prices", body).member("items", kind, php=True) == expected


@pytest.mark.parametrize(("body", "php"), [({"items": None}, True), ({"items": []}, False)])
def test_a_member_of_another_shape_names_its_path(body: Any, php: bool) -> None:
    with pytest.raises(errors.UnexpectedResponse, match=r"expected a JSON object.* @ \$\.items"):
        PriceAnswer("acme", "prices", body).member("items", dict, php=php)


def test_a_header_value_refused_names_its_path_and_keeps_the_answer() -> None:
    body = {"time": "yesterday"}
    with pytest.raises(errors.UnexpectedResponse, match=r"@ \$\.time") as raised:
        PriceAnswer("acme", "prices", body).value("time", to_cents)
    assert raised.value.raw == body

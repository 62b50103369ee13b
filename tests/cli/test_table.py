"""Plain-text tables line up without trailing spaces, and fit the width they are given."""

from __future__ import annotations

from decimal import Decimal

import pytest

from skinmarkets import Money
from skinmarkets.cli._output import amount_text, in_minor_units
from skinmarkets.cli._table import render_table

HEADERS = ["ITEM", "MARKET", "ASK USD"]
ROWS = [["AK-47 | Redline (Field-Tested)", "market_tm", "12.03"], ["b", "swapgg", "1.5"]]


def test_columns_line_up_and_numbers_sit_on_the_right() -> None:
    text = render_table(
        ["ITEM", "ASK"], [["a long name", "1.5"], ["b", "12.030"]], right=frozenset({1})
    )
    assert text.splitlines() == [
        "ITEM            ASK",
        "-----------  ------",
        "a long name     1.5",
        "b            12.030",
    ]


def test_a_table_that_fits_is_left_as_it_is() -> None:
    assert render_table(HEADERS, ROWS, width=200, shrink=0) == render_table(HEADERS, ROWS)


def test_the_name_column_gives_way_first_with_an_ellipsis() -> None:
    lines = render_table(HEADERS, ROWS, right=frozenset({2}), width=40, shrink=0).splitlines()
    assert max(map(len, lines)) <= 40
    assert lines[2] == "AK-47 | Redline (Fi…  market_tm    12.03"


def test_then_the_gaps_narrow_then_the_name_is_cut_to_eight() -> None:
    lines = render_table(HEADERS, ROWS, width=26, shrink=0).splitlines()
    assert lines[2] == "AK-47 |… market_tm 12.03"


def test_a_table_too_wide_even_so_keeps_every_price_and_id() -> None:
    lines = render_table(HEADERS, ROWS, width=10, shrink=0).splitlines()
    assert lines[2].endswith("market_tm 12.03")


def test_amounts_show_the_digits_they_have() -> None:
    assert amount_text(Money("12.030", "USD")) == "12.030"
    assert amount_text(None) == "-"


@pytest.mark.parametrize(
    ("amount", "currency", "shown"),
    [
        ("14.02173913043478260869565217840", "USD", "14.02"),
        ("12.335", "EUR", "12.34"),  # half-even
        ("12.345", "EUR", "12.34"),
        ("1234.5", "JPY", "1234"),
        ("1.23456", "KWD", "1.235"),
    ],
)
def test_computed_amounts_round_to_the_currency_minor_unit(
    amount: str, currency: str, shown: str
) -> None:
    assert in_minor_units(Money(amount, currency)).amount == Decimal(shown)

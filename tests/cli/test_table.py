"""Plain-text tables line up without trailing spaces."""

from __future__ import annotations

from skinmarkets.cli._table import render_table


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


def test_converted_amounts_show_to_the_cent_and_exact_ones_as_given() -> None:
    from skinmarkets import Money
    from skinmarkets.cli._output import amount_text

    assert amount_text(Money("14.02173913043478260869565217840", "USD")) == "14.02"
    assert amount_text(Money("12.030", "USD")) == "12.030"
    assert amount_text(None) == "-"

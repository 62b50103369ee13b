"""Rates from a JSON file or text, and from a market that publishes them (SkinsBack)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from skinmarkets.errors import NotSupported, UnexpectedResponse
from skinmarkets.money import Rates
from skinmarkets.vendors.skinsback import Skinsback
from tests.support import load_fixture


def test_rates_from_json_text_read_numbers_exactly() -> None:
    rates = Rates.from_json('{"base": "USD", "rates": {"EUR": 0.92, "RUB": "90.5"}}')

    assert rates.rate("USD", "EUR") == Decimal("0.92")
    assert rates.rate("USD", "RUB") == Decimal("90.5")


def test_rates_from_a_json_file(tmp_path: Path) -> None:
    path = tmp_path / "rates.json"
    path.write_text('{"base": "EUR", "USD": "1.25"}', encoding="utf-8")

    rates = Rates.from_json(path)

    assert rates.base == "EUR"
    assert rates.rate("EUR", "USD") == Decimal("1.25")


def test_malformed_json_is_a_value_error_naming_the_source() -> None:
    with pytest.raises(ValueError, match="not valid JSON"):
        Rates.from_json("{not json")


class _Client:
    def __init__(self, answer: Any) -> None:
        self.answer = answer

    def currencies(self) -> Any:
        return self.answer


class _SkinsbackLike:
    """A SkinsBack market's rates() (the adapter's own), on a client that answers ``answer``."""

    name = "skinsback"
    vendor = "skinsback"

    def __init__(self, answer: Any) -> None:
        self.client = _Client(answer)

    rates = Skinsback.rates


@pytest.mark.parametrize(
    "answer",
    [
        {"status": "success", "currencies": {"eur": Decimal("0.9"), "rub": "95"}},
        {"status": "success", "eur": Decimal("0.9"), "rub": "95"},
        {
            "status": "success",
            "data": [{"currency": "eur", "rate": "0.9"}, {"code": "RUB", "value": 95}],
        },
    ],
)
def test_rates_from_skinsback_read_the_published_table_against_usd(answer: Any) -> None:
    rates = Rates.from_skinsback(_SkinsbackLike(answer))

    assert rates.base == "USD"
    assert rates.rate("USD", "EUR") == Decimal("0.9")
    assert rates.rate("USD", "RUB") == Decimal("95")


def test_an_answer_without_rates_is_an_unexpected_response_keeping_raw() -> None:
    with pytest.raises(UnexpectedResponse) as caught:
        Rates.from_skinsback(_SkinsbackLike({"status": "success"}))

    assert caught.value.raw == {"status": "success"}


def test_a_market_without_published_rates_is_not_supported() -> None:
    class Other:
        name = "swapgg"
        vendor = "swapgg"

    with pytest.raises(NotSupported, match="swapgg: does not publish exchange rates"):
        Rates.from_skinsback(Other())


def test_rates_from_skinsback_read_the_currencies_fixture_as_units_per_usd() -> None:
    # fixtures/skinsback/currencies.ok.json is CONSTRUCTED: no real sample of the answer was
    # found (skinsback.com docs page, skinsback-sdk and its request logs, other public clients).
    fixture = load_fixture("skinsback", "currencies.ok")
    expected = fixture["expected"]["rates_per_usd"]

    rates = Rates.from_skinsback(_SkinsbackLike(fixture["response"]["json"]))

    for code, per_usd in expected.items():
        assert rates.rate("USD", code) == Decimal(per_usd)
    assert rates.rate("RUB", "USD") == Decimal(1) / Decimal("91.2")


def test_a_currencies_table_not_against_usd_is_refused_not_misread() -> None:
    # Shops on SkinsBack may keep their balance in RUB (a real 2020 `balance` answer logged by
    # skinsback-sdk: "balance": "1000.00" with "rub": "1000.00", "usd": "12.95"); rates against
    # RUB read as if against USD would be off by ~77x, so a USD rate other than 1 is an error.
    answer = {"status": "success", "currencies": {"rub": "1", "usd": "0.01295"}}

    with pytest.raises(UnexpectedResponse, match="base currency USD must be 1") as caught:
        Rates.from_skinsback(_SkinsbackLike(answer))

    assert caught.value.raw == answer

"""Edges of money, fees, arbitrage and the price-list readers found in review."""

from __future__ import annotations

import decimal
import json
from decimal import Decimal
from typing import Any

import pytest

from skinmarkets import arbitrage, errors
from skinmarkets._http.answers import decode_json
from skinmarkets.compare import Fees
from skinmarkets.vendors.mannco import units as mannco_units
from skinmarkets.vendors.skinsback import pricelist as skinsback_pricelist
from tests.compare_support import FakeMarket

AK = "AK-47 | Redline (Field-Tested)"
NO_FEES = {"cheap": Fees(Decimal(0), 0), "dear": Fees(Decimal("0.10"), 8)}


def _markets() -> list[FakeMarket]:
    return [
        FakeMarket("cheap", {AK: ("10.00", None)}),
        FakeMarket("dear", {AK: ("13.00", "12.00")}),
    ]


# ------------------------------------------------------------------ arbitrage's own input


@pytest.mark.parametrize(
    ("options", "error"),
    [
        ({"min_profit": Decimal("NaN")}, ValueError),
        ({"min_profit": Decimal("Infinity")}, ValueError),
        ({"min_profit": "abc"}, ValueError),
        ({"min_profit": True}, TypeError),
        ({"min_profit": [Decimal(0)]}, TypeError),
        ({"undercut": Decimal("NaN")}, ValueError),
        ({"undercut": Decimal("-0.5")}, ValueError),  # would list above the ask
        ({"undercut": Decimal(1)}, ValueError),  # would list for nothing
        ({"undercut": True}, TypeError),
    ],
)
def test_a_bad_min_profit_or_undercut_is_refused_before_any_price_list_is_fetched(
    options: dict[str, Any], error: type[Exception]
) -> None:
    markets = _markets()

    with pytest.raises(error, match=r"min_profit|undercut"):
        arbitrage(markets, fees=NO_FEES, **options)

    assert [m.calls for m in markets] == [0, 0]


def test_a_min_profit_and_an_undercut_spelled_as_strings_still_work() -> None:
    found = arbitrage(_markets(), fees=NO_FEES, min_profit="0.10", undercut="0.01")  # type: ignore[arg-type]

    assert [(o.sell_kind, str(o.sell_price)) for o in found] == [("undercut_ask", "12.8700 USD")]


# ------------------------------------------------------------------ fees


def test_a_sale_fee_that_is_not_a_number_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="sale_fee"):
        Fees("abc", 7)


# ------------------------------------------------------------------ units


def test_mannco_fractional_cents_are_shifted_exactly_whatever_the_callers_context() -> None:
    with decimal.localcontext() as context:
        context.prec = 4
        price = mannco_units.money(Decimal("15000.5"))

    assert price.amount == Decimal("150.005")
    assert str(mannco_units.money(Decimal("15000"))) == "150 USD"  # spelling as before


# ------------------------------------------------------------------ price lists


def test_skinsback_typed_rows_keep_the_answer_as_sent_when_last_update_is_refused() -> None:
    fastlist = pytest.importorskip("skinmarkets.vendors.skinsback.fastlist")
    body = json.dumps(
        {
            "status": "success",
            "last_update": "soon",
            "items": [{"name": AK, "price": "1.50", "classid": "1", "count": 2}],
        }
    ).encode()
    # A last_update no clock can show is not the documented shape: the typed-row decoder
    # leaves it to the general reader, which words it against the answer as sent.
    assert fastlist.decoder(body) is None
    adapter_path = fastlist.decoder(body) or decode_json(body)

    raised = []
    for answer in (adapter_path, decode_json(body)):
        with pytest.raises(errors.UnexpectedResponse) as caught:
            skinsback_pricelist.quotes_from_pricelist(answer, market="skinsback:cs2")
        raised.append(caught.value)

    fast, general = raised
    assert str(fast) == str(general)
    assert "@ $.last_update" in str(fast)
    assert fast.raw == general.raw == decode_json(body)
    assert type(fast.raw["items"]) is list

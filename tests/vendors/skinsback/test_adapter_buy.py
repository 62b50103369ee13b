"""The SkinsBack adapter's buy and buy_many: one behaviour per test (``fixtures/skinsback``)."""

from __future__ import annotations

import copy
from collections.abc import Callable

import pytest
import requests
import responses

import skinmarkets as sm
from skinmarkets import errors
from skinmarkets.vendors.skinsback import BatchOrder, Skinsback
from tests.support import load_fixture
from tests.vendors.skinsback.conftest import (
    URL,
    Register,
    method_is,
    sent_forms,
)

SSG = "SSG 08 | Fever Dream (Field-Tested)"
AK = "AK-47 | Safari Mesh (Minimal Wear)"


def _answer(mock: responses.RequestsMock, method: str, body: object, status: int = 200) -> None:
    mock.add("POST", URL, json=body, status=status, match=[method_is(method)])


def _listing(
    market: Skinsback, id: str = "2516", price: str = "0.45", name: str = AK
) -> sm.Listing:
    return sm.Listing(
        market=market.name,
        id=id,
        market_hash_name=name,
        price=sm.Money(price, "USD"),
        app_id=730,
    )


# ---------------------------------------------------------------------- buy


def test_buy_sends_id_cap_custom_id_and_the_trade_url_parts(
    market: Skinsback, register: Register
) -> None:
    register("market_buy.ok")  # its form: id 2516, max_price 0.45, custom_id wd-42, partner, token
    market.buy(_listing(market), custom_id="wd-42")


def test_buy_price_is_the_debited_sum(market: Skinsback, register: Register) -> None:
    register("market_buy.ok")
    purchase = market.buy(_listing(market), custom_id="wd-42")
    assert purchase.price == sm.Money("0.4", "USD")
    assert (purchase.id, purchase.custom_id) == ("65", "wd-42")
    assert purchase.status is sm.TradeStatus.PENDING


def test_buy_cap_is_sent_as_two_decimals_rounded_down(
    market: Skinsback, mock: responses.RequestsMock
) -> None:
    _answer(mock, "market_buy", load_fixture("skinsback", "market_buy.ok")["response"]["json"])
    market.buy(_listing(market, price="0.4"), max_price=sm.Money("0.459", "USD"))
    assert sent_forms(mock, "market_buy")[0]["max_price"] == "0.45"


def test_buy_without_trade_url_is_a_configuration_error_before_sending(
    connect: Callable[..., Skinsback], mock: responses.RequestsMock
) -> None:
    market = connect(trade_url=None)
    with pytest.raises(errors.ConfigurationError, match="trade_url"):
        market.buy(_listing(market))
    assert len(mock.calls) == 0


def test_buy_with_a_float_cap_is_a_type_error_before_sending(
    market: Skinsback, mock: responses.RequestsMock
) -> None:
    with pytest.raises(TypeError):
        market.buy(_listing(market), max_price=0.45)  # type: ignore[arg-type]  # float ok
    assert len(mock.calls) == 0


def test_duplicate_custom_id_returns_the_existing_purchase(
    market: Skinsback, register: Register, mock: responses.RequestsMock
) -> None:
    register("market_buy.custom_id_exists")
    found = copy.deepcopy(load_fixture("skinsback", "market_getinfo.ok_custom_ids"))
    found["request"]["form"]["custom_ids"] = ["wd-42"]
    register(fixture=found)
    purchase = market.buy(_listing(market), custom_id="wd-42")
    assert (purchase.id, purchase.custom_id) == ("65", "wd-42")
    assert purchase.trade_offer_id == "4176876858"
    assert len(sent_forms(mock, "market_buy")) == 1


def test_timed_out_buy_is_found_by_custom_id(
    market: Skinsback, mock: responses.RequestsMock
) -> None:
    mock.add(
        "POST", URL, body=requests.ReadTimeout("read timed out"), match=[method_is("market_buy")]
    )
    found = load_fixture("skinsback", "market_getinfo.ok_custom_ids")["response"]["json"]
    _answer(mock, "market_getinfo", found)
    purchase = market.buy(_listing(market), custom_id="wd-42")
    assert purchase.id == "65"
    assert sent_forms(mock, "market_getinfo")[0]["custom_ids"] == ["wd-42"]


def test_garbled_buy_answer_not_found_raises_outcome_unknown_with_the_custom_id(
    market: Skinsback, mock: responses.RequestsMock
) -> None:
    mock.add("POST", URL, body='{"status": "succ', match=[method_is("market_buy")])
    _answer(
        mock,
        "market_getinfo",
        load_fixture("skinsback", "market_getinfo.offer_not_found")["response"]["json"],
    )
    with pytest.raises(errors.OutcomeUnknown) as caught:
        market.buy(_listing(market), custom_id="wd-42")
    assert caught.value.custom_id == "wd-42"
    assert len(sent_forms(mock, "market_buy")) == 1


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("market_buy.insufficient_funds", errors.InsufficientFunds),
        ("market_buy.skin_unavailable", errors.ItemUnavailable),
        ("market_buy.skins_not_found_at_specified_price", errors.PriceExceeded),
    ],
)
def test_buy_refusal_raises_its_error_without_a_lookup(
    market: Skinsback, register: Register, mock: responses.RequestsMock, name: str, error: type
) -> None:
    register(name)
    with pytest.raises(error):
        market.buy(_listing(market), custom_id="wd-42")
    assert sent_forms(mock, "market_getinfo") == []


# ---------------------------------------------------------------------- buy_many


def test_buy_many_reports_each_item_of_a_partly_successful_batch(
    market: Skinsback, register: Register
) -> None:
    register("market_batch_buy.partial")
    orders = [
        BatchOrder(_listing(market, "2516", "0.45"), custom_id="wd-43"),
        BatchOrder(_listing(market, "2715", "80.00", SSG), custom_id="wd-44"),
        BatchOrder(_listing(market, "1280", "0.10", "Taunt: RazorFlip!"), custom_id="wd-45"),
    ]
    results = market.buy_many(orders)
    assert [r.custom_id for r in results] == ["wd-43", "wd-44", "wd-45"]
    assert results[0].purchase is not None and results[0].purchase.id == "67"
    assert isinstance(results[1].error, errors.ItemUnavailable)
    assert isinstance(results[2].error, errors.PriceExceeded)


def test_buy_many_with_a_lost_answer_looks_every_item_up(
    market: Skinsback, mock: responses.RequestsMock
) -> None:
    mock.add(
        "POST",
        URL,
        status=502,
        body="<html>bad gateway</html>",
        match=[method_is("market_batch_buy")],
    )
    _answer(
        mock,
        "market_getinfo",
        load_fixture("skinsback", "market_getinfo.ok_custom_ids")["response"]["json"],
    )
    results = market.buy_many(
        [
            sm_order(market, "2516", "wd-42"),
            sm_order(market, "9999", "wd-99"),
        ]
    )
    assert results[0].purchase is not None and results[0].purchase.id == "65"
    assert isinstance(results[1].error, errors.OutcomeUnknown)
    assert results[1].error.custom_id == "wd-99"


def sm_order(market: Skinsback, id: str, custom_id: str) -> BatchOrder:
    return BatchOrder(_listing(market, id), custom_id=custom_id)


def test_buy_many_with_a_float_cap_sends_nothing(
    market: Skinsback, mock: responses.RequestsMock
) -> None:
    with pytest.raises(TypeError):
        market.buy_many([BatchOrder(_listing(market), max_price=0.5)])  # type: ignore[arg-type]  # float ok
    assert len(mock.calls) == 0


@pytest.mark.parametrize("orders", [None, "listing", 5, {"id": "1"}])
def test_buy_many_of_something_not_a_list_is_a_type_error_before_sending(
    market: Skinsback, orders: object, mock: responses.RequestsMock
) -> None:
    with pytest.raises(TypeError, match="takes a list of Listing or BatchOrder"):
        market.buy_many(orders)  # type: ignore[arg-type]
    assert len(mock.calls) == 0

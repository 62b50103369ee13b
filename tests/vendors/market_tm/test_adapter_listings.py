"""MarketTM.list_for_sale and prices: what is on sale, in which order, at what price."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
import responses

import skinmarkets as sm
from skinmarkets import Money
from skinmarkets.vendors.market_tm import MarketTM
from tests.support import load_fixture
from tests.vendors.market_tm.conftest import API_KEY, BASE_URL, Register, calls_to

AWP = "AWP | Worm God (Factory New)"


def _search_answer(prices: list[int]) -> dict[str, Any]:
    """search_item_by_hash_name_specific.ok with its offers' prices replaced, in this order."""
    fixture = copy.deepcopy(load_fixture("market_tm", "search_item_by_hash_name_specific.ok"))
    for offer, price in zip(fixture["response"]["json"]["data"], prices, strict=True):
        offer["price"] = price
    return fixture


# ------------------------------------------------------------------ list_for_sale


def test_list_for_sale_returns_the_cheapest_first(market: MarketTM, register: Register) -> None:
    register(fixture=_search_answer([4386, 3573, 4000, 3604]))
    prices = [listing.price.amount for listing in market.list_for_sale(AWP)]
    assert prices == [Decimal("3.573"), Decimal("3.604"), Decimal("4"), Decimal("4.386")]


def test_list_for_sale_returns_at_most_limit_listings(market: MarketTM, register: Register) -> None:
    register("search_item_by_hash_name_specific.ok")
    listings = market.list_for_sale(AWP, limit=2)
    assert [listing.id for listing in listings] == ["521320033", "523494595"]


def test_list_for_sale_prices_are_money_from_minor_units(
    market: MarketTM, register: Register
) -> None:
    register("search_item_by_hash_name_specific.ok")  # "price": 3573, "currency": "USD"
    assert market.list_for_sale(AWP)[0].price == Money(Decimal("3.573"), "USD")


def test_list_for_sale_reads_float_and_phase_from_extra(
    market: MarketTM, register: Register
) -> None:
    register("search_item_by_hash_name_specific.ok")
    cheapest = market.list_for_sale(AWP)[0]
    assert cheapest.float_value == Decimal("0.061443410813808")
    assert isinstance(cheapest.float_value, Decimal)
    assert cheapest.phase == "aq_awp_twine"


def test_list_for_sale_listing_names_its_market_app_and_str_id(
    market: MarketTM, register: Register
) -> None:
    register("search_item_by_hash_name_specific.ok")  # "id": 521320033 (a number)
    cheapest = market.list_for_sale(AWP)[0]
    assert (cheapest.id, cheapest.market, cheapest.app_id) == ("521320033", "market_tm:cs2", 730)
    assert cheapest.market_hash_name == AWP


def test_list_for_sale_reads_the_rust_doc_shape(market: MarketTM, register: Register) -> None:
    register("search_item_by_hash_name_specific.ok_rust_doc")  # adds seller_steam_level
    listings = market.list_for_sale(AWP)
    assert [(x.id, x.price) for x in listings] == [
        ("521320033", Money("3.573", "USD")),
        ("523494595", Money("3.604", "USD")),
        ("522446815", Money("4.386", "USD")),
        ("521834932", Money("4.386", "USD")),
    ]


def test_list_for_sale_is_empty_when_the_vendor_says_item_search_error(
    market: MarketTM, mock: responses.RequestsMock
) -> None:
    refusal = load_fixture("market_tm", "buy.item_search_error")["response"]["json"]
    mock.add(
        responses.GET, "https://tm.test/api/v2/search-item-by-hash-name-specific", json=refusal
    )
    assert market.list_for_sale(AWP) == []


@pytest.mark.parametrize("name", ["", "   "], ids=["empty", "whitespace"])
def test_list_for_sale_with_a_blank_name_is_invalid_before_sending(
    name: str, market: MarketTM, mock: responses.RequestsMock
) -> None:
    with pytest.raises(sm.errors.InvalidRequest):
        market.list_for_sale(name)
    assert len(mock.calls) == 0


def test_list_for_sale_with_limit_zero_is_invalid_before_sending(
    market: MarketTM, mock: responses.RequestsMock
) -> None:
    with pytest.raises(sm.errors.InvalidRequest, match="limit"):
        market.list_for_sale(AWP, limit=0)
    assert len(mock.calls) == 0


def test_list_for_sale_many_reads_offers_per_name(market: MarketTM, register: Register) -> None:
    register("search_list_items_by_hash_name_all.ok_dota2_doc")  # "price": "5100" RUB
    found = market.list_for_sale_many(["USP-S | Lead Conduit (Well-Worn)"])
    (offer,) = found["USP-S | Lead Conduit (Well-Worn)"]
    assert (offer.id, offer.price) == ("535992148", Money("51.00", "RUB"))


def test_list_for_sale_many_reads_php_empty_data_as_no_offers(
    market: MarketTM, register: Register
) -> None:
    fixture = copy.deepcopy(
        load_fixture("market_tm", "search_list_items_by_hash_name_all.ok_dota2_doc")
    )
    fixture["response"]["json"]["data"] = []  # PHP writes an empty object as []
    register(fixture=fixture)
    assert market.list_for_sale_many(["USP-S | Lead Conduit (Well-Worn)"]) == {
        "USP-S | Lead Conduit (Well-Worn)": []
    }


# ------------------------------------------------------------------ prices


def test_prices_asks_the_account_currency_then_its_price_list(
    market: MarketTM, register: Register, mock: responses.RequestsMock
) -> None:
    register("get_money.rub")
    register("prices_class_instance.rub")
    market.prices()
    assert [c.request.path_url for c in mock.calls] == [
        "/api/v2/get-money",
        "/api/v2/prices/class_instance/RUB.json",
    ]


def test_prices_quotes_are_all_in_the_account_currency(
    market: MarketTM, register: Register
) -> None:
    register("get_money.usd")
    register("prices_class_instance.usd")
    quotes = market.prices()
    assert {q.lowest_ask.currency for q in quotes if q.lowest_ask} == {"USD"}
    assert {q.highest_bid.currency for q in quotes if q.highest_bid} == {"USD"}


def test_prices_reads_lowest_ask_and_highest_bid_as_major_units(
    market: MarketTM, register: Register
) -> None:
    register("get_money.usd")
    register("prices_class_instance.usd")
    by_name = {q.market_hash_name: q for q in market.prices()}
    arcane = by_name["Arcane Defiance Loading Screen"]
    assert (arcane.lowest_ask, arcane.highest_bid) == (Money("0.50", "USD"), Money("0.10", "USD"))
    assert arcane.market == "market_tm:cs2"
    assert arcane.observed_at == datetime(2019, 8, 6, 14, 57, 15, tzinfo=UTC)


def test_prices_keeps_the_lowest_ask_and_highest_bid_across_class_instances(
    market: MarketTM, register: Register
) -> None:
    fixture = copy.deepcopy(load_fixture("market_tm", "prices_class_instance.usd"))
    items = fixture["response"]["json"]["items"]
    other = items["1479313949_0"]
    other.update(market_hash_name="Arcane Defiance Loading Screen", price="0.45", buy_order="0.05")
    items["1434515088_1"] = dict(other, price="0.70", buy_order="0.20")
    register("get_money.usd")
    register(fixture=fixture)
    (quote,) = market.prices()
    assert (quote.lowest_ask, quote.highest_bid) == (Money("0.45", "USD"), Money("0.20", "USD"))


def test_prices_for_another_game_app_id_is_invalid_before_sending(
    market: MarketTM, mock: responses.RequestsMock
) -> None:
    with pytest.raises(sm.errors.InvalidRequest, match="730"):
        market.prices(app_id=570)
    assert len(mock.calls) == 0


def test_prices_for_its_own_app_id_is_answered(
    market: MarketTM, register: Register, mock: responses.RequestsMock
) -> None:
    register("get_money.usd")
    register("prices_class_instance.usd")
    assert len(market.prices(app_id=730)) == 2
    assert calls_to(mock, "/api/v2/prices/class_instance/USD.json") == 1


def test_prices_with_the_currency_stated_at_connect_asks_no_get_money(
    register: Register, mock: responses.RequestsMock
) -> None:
    market = sm.connect("market_tm", api_key=API_KEY, base_url=BASE_URL, currency=" usd ")
    register("prices_class_instance.usd")
    assert len(market.prices()) == 2
    assert [c.request.path_url for c in mock.calls] == ["/api/v2/prices/class_instance/USD.json"]


@pytest.mark.parametrize("currency", ["GBP", "", 840, "US Dollar"])
def test_an_unknown_currency_is_refused_at_connect_naming_the_choices(currency: object) -> None:
    with pytest.raises(sm.errors.ConfigurationError, match="RUB, USD, EUR") as raised:
        sm.connect("market_tm", api_key=API_KEY, base_url=BASE_URL, currency=currency)
    assert repr(currency) in str(raised.value)


def test_prices_of_named_items_are_those_the_list_has_once_each(
    market: MarketTM, register: Register
) -> None:
    register("get_money.usd")
    register("prices_class_instance.usd")
    arcane = "Arcane Defiance Loading Screen"
    quotes = market.prices(names=[arcane, "AWP | Dragon Lore (Factory New)", arcane])
    assert [q.market_hash_name for q in quotes] == [arcane]
    assert quotes == [q for q in market.prices() if q.market_hash_name == arcane]


@pytest.mark.parametrize("names", ["Arcane Defiance Loading Screen", [""], ["  "], [7], 7, b"AK"])
def test_prices_with_names_that_are_not_a_collection_of_names_is_invalid_before_sending(
    market: MarketTM, mock: responses.RequestsMock, names: Any
) -> None:
    with pytest.raises(sm.errors.InvalidRequest, match="names"):
        market.prices(names=names)
    assert len(mock.calls) == 0


def test_prices_of_no_names_is_empty_without_a_request(
    market: MarketTM, mock: responses.RequestsMock
) -> None:
    assert market.prices(names=set()) == []
    assert len(mock.calls) == 0


def test_list_for_sale_keeps_the_vendors_offer_as_raw(market: MarketTM, register: Register) -> None:
    register("search_item_by_hash_name_specific.ok")
    offer = load_fixture("market_tm", "search_item_by_hash_name_specific.ok")["response"]["json"][
        "data"
    ][0]
    assert market.list_for_sale(AWP)[0].raw == offer  # "class" and the numeric "id" as sent

"""MarketTM.buy and get_purchase: the cap, the custom_id, and never buying twice."""

from __future__ import annotations

import copy
import re
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses

import skinmarkets as sm
from skinmarkets import Listing, Money, TradeStatus
from skinmarkets.vendors.market_tm import MarketTM
from tests.support import load_fixture, response_body
from tests.vendors.market_tm.conftest import BASE_URL, Register, calls_to

BUY = "/api/v2/buy"
LOOKUP = "/api/v2/get-buy-info-by-custom-id"
CUSTOM_ID = load_fixture("market_tm", "buy.ok")["request"]["query"]["custom_id"]


@pytest.fixture
def listing(market: MarketTM) -> Listing:
    """The cheapest offer of the search fixture (id 521320033 at 3573 = 3.573 USD)."""
    offer = load_fixture("market_tm", "search_item_by_hash_name_specific.ok")["response"]["json"][
        "data"
    ][0]
    return Listing(
        market=market.name,
        id=str(offer["id"]),
        market_hash_name=offer["market_hash_name"],
        price=Money.from_minor(offer["price"], "USD", scale=1000),
        app_id=730,
    )


def _sent_query(mock: responses.RequestsMock, path: str) -> dict[str, list[str]]:
    call = next(c for c in mock.calls if c.request.path_url.split("?")[0] == path)
    return parse_qs(urlsplit(str(call.request.url)).query)


def _lookup_answer(**data: Any) -> dict[str, Any]:
    """get_buy_info_by_custom_id.ok with some of its ``data`` fields replaced."""
    fixture = copy.deepcopy(load_fixture("market_tm", "get_buy_info_by_custom_id.ok"))
    fixture["response"]["json"]["data"].update(data)
    return fixture


# ------------------------------------------------------------------ what buy sends


def test_buy_sends_the_cap_in_minor_units_rounded_down(
    market: MarketTM, listing: Listing, register: Register
) -> None:
    register("buy.ok")  # matches id=521320033, price=3573, custom_id=sandbox-order-0001
    purchase = market.buy(listing, max_price=Money("3.5739", "USD"), custom_id=CUSTOM_ID)
    assert purchase.id == "136256960"


def test_buy_without_max_price_caps_at_the_listing_price(
    market: MarketTM, listing: Listing, register: Register
) -> None:
    register("buy.ok")  # price=3573 is the listing's own price
    assert market.buy(listing, custom_id=CUSTOM_ID).id == "136256960"


def test_buy_returns_a_pending_purchase_for_the_listing(
    market: MarketTM, listing: Listing, register: Register
) -> None:
    register("buy.ok")
    purchase = market.buy(listing, custom_id=CUSTOM_ID)
    assert purchase.market == "market_tm:cs2"
    assert purchase.custom_id == CUSTOM_ID
    assert purchase.market_hash_name == "AWP | Worm God (Factory New)"
    assert purchase.price == Money("3.573", "USD")
    assert purchase.status is TradeStatus.PENDING


def test_buy_generates_a_uuid_hex_custom_id_sends_it_and_returns_it(
    market: MarketTM, listing: Listing, register: Register, mock: responses.RequestsMock
) -> None:
    register("buy.ok", match_query=False)
    purchase = market.buy(listing)
    assert purchase.custom_id is not None
    assert re.fullmatch(r"[0-9a-f]{32}", purchase.custom_id)
    assert _sent_query(mock, BUY)["custom_id"] == [purchase.custom_id]


# ------------------------------------------------------------------ refused before sending


def test_buy_refuses_locally_when_the_listing_costs_more_than_max_price(
    market: MarketTM, listing: Listing, mock: responses.RequestsMock
) -> None:
    with pytest.raises(sm.errors.PriceExceeded) as refused:
        market.buy(listing, max_price=Money("3.572", "USD"))
    assert refused.value.price == Decimal("3.573")
    assert refused.value.max_price == Decimal("3.572")
    assert len(mock.calls) == 0


def test_buy_with_a_float_max_price_is_a_type_error_before_sending(
    market: MarketTM, listing: Listing, mock: responses.RequestsMock
) -> None:
    with pytest.raises(TypeError, match="Money"):
        market.buy(listing, max_price=4.0)  # type: ignore[arg-type]
    assert len(mock.calls) == 0


def test_buy_with_max_price_in_another_currency_is_invalid_before_sending(
    market: MarketTM, listing: Listing, mock: responses.RequestsMock
) -> None:
    with pytest.raises(sm.errors.InvalidRequest, match="EUR"):
        market.buy(listing, max_price=Money("4.00", "EUR"))
    assert len(mock.calls) == 0


def test_buy_with_a_custom_id_over_50_characters_is_invalid_before_sending(
    market: MarketTM, listing: Listing, mock: responses.RequestsMock
) -> None:
    with pytest.raises(sm.errors.InvalidRequest, match="50"):
        market.buy(listing, custom_id="x" * 51)
    assert len(mock.calls) == 0


def test_buy_accepts_a_custom_id_of_exactly_50_characters(
    market: MarketTM, listing: Listing, register: Register, mock: responses.RequestsMock
) -> None:
    register("buy.ok", match_query=False)
    assert market.buy(listing, custom_id="x" * 50).custom_id == "x" * 50
    assert _sent_query(mock, BUY)["custom_id"] == ["x" * 50]


# ------------------------------------------------------------------ never buying twice


def test_buy_with_an_existing_custom_id_returns_the_existing_purchase(
    market: MarketTM, listing: Listing, register: Register, mock: responses.RequestsMock
) -> None:
    register("buy.duplicate_custom_id")
    register("get_buy_info_by_custom_id.ok")
    purchase = market.buy(listing, custom_id=CUSTOM_ID)
    assert purchase.id == "534415936"
    assert purchase.custom_id == CUSTOM_ID
    assert calls_to(mock, BUY) == 1


@pytest.mark.parametrize(
    "lookup",
    [
        {"json": {"success": False, "error": "not found"}},
        {"body": requests.exceptions.ReadTimeout("timed out")},
    ],
    ids=["not_found", "read_timeout"],
)
def test_buy_with_an_existing_custom_id_whose_lookup_fails_stays_a_duplicate(
    lookup: dict[str, Any],
    market: MarketTM,
    listing: Listing,
    register: Register,
    mock: responses.RequestsMock,
) -> None:
    # TM just said a purchase with this custom_id exists: never "not found", never "transient".
    register("buy.duplicate_custom_id")
    mock.add(responses.GET, BASE_URL + LOOKUP, **lookup)
    with pytest.raises(sm.errors.DuplicateCustomId, match=CUSTOM_ID) as refused:
        market.buy(listing, custom_id=CUSTOM_ID)
    assert (
        refused.value.raw
        == load_fixture("market_tm", "buy.duplicate_custom_id")["response"]["json"]
    )
    assert calls_to(mock, BUY) == 1


LOST_ANSWERS: dict[str, dict[str, Any]] = {
    "read_timeout": {"body": requests.exceptions.ReadTimeout("read timed out")},
    "connection_reset_after_sending": {"body": requests.exceptions.ConnectionError("reset")},
    "http_502_html": response_body(load_fixture("market_tm", "get_money.overload_html")),
    "http_200_not_json": {"status": 200, "body": "Internal error", "content_type": "text/plain"},
    "http_200_json_without_id": {"status": 200, "json": {"success": True}},
}


@pytest.mark.parametrize("lost", list(LOST_ANSWERS.values()), ids=list(LOST_ANSWERS))
def test_buy_whose_answer_is_lost_returns_the_purchase_found_by_custom_id(
    lost: dict[str, Any],
    market: MarketTM,
    listing: Listing,
    register: Register,
    mock: responses.RequestsMock,
) -> None:
    mock.add(responses.GET, BASE_URL + BUY, **lost)
    register("get_buy_info_by_custom_id.ok")
    purchase = market.buy(listing, custom_id=CUSTOM_ID)
    assert purchase.id == "534415936"
    assert purchase.custom_id == CUSTOM_ID
    assert calls_to(mock, BUY) == 1


def test_buy_whose_answer_is_lost_and_not_found_raises_outcome_unknown_with_custom_id(
    market: MarketTM, listing: Listing, mock: responses.RequestsMock
) -> None:
    mock.add(responses.GET, BASE_URL + BUY, body=requests.exceptions.ReadTimeout("timed out"))
    # The docs show no "not found" answer for the lookup; any refusal means "not known yet".
    mock.add(responses.GET, BASE_URL + LOOKUP, json={"success": False, "error": "not found"})
    with pytest.raises(sm.errors.OutcomeUnknown) as unknown:
        market.buy(listing, custom_id=CUSTOM_ID)
    assert unknown.value.custom_id == CUSTOM_ID
    assert calls_to(mock, BUY) == 1


def test_buy_refused_for_insufficient_funds_raises_it_without_a_lookup(
    market: MarketTM, listing: Listing, register: Register, mock: responses.RequestsMock
) -> None:
    register("buy.insufficient_funds")
    with pytest.raises(sm.errors.InsufficientFunds, match="market_tm"):
        market.buy(listing, custom_id=CUSTOM_ID)
    assert calls_to(mock, LOOKUP) == 0
    assert calls_to(mock, BUY) == 1


def test_buy_is_not_retried_when_the_vendor_says_server_error(
    market: MarketTM, listing: Listing, register: Register, mock: responses.RequestsMock
) -> None:
    register("buy.server_error_7")  # "Ошибка сервера 7": an answer, mapped, not retried
    with pytest.raises(sm.errors.ServiceUnavailable):
        market.buy(listing, custom_id=CUSTOM_ID)
    assert calls_to(mock, BUY) == 1


# ------------------------------------------------------------------ get_purchase


@pytest.mark.parametrize(
    ("stage", "trade_id", "status"),
    [
        ("1", None, TradeStatus.PENDING),
        ("1", "5150219090", TradeStatus.SENT),
        ("2", None, TradeStatus.COMPLETED),
        ("5", None, TradeStatus.TIMED_OUT),
        ("3", None, TradeStatus.PENDING),
        ("4", None, TradeStatus.PENDING),
        ("42", None, TradeStatus.PENDING),
    ],
)
def test_get_purchase_maps_the_stage_to_a_status(
    stage: str, trade_id: str | None, status: TradeStatus, market: MarketTM, register: Register
) -> None:
    register(fixture=_lookup_answer(stage=stage, trade_id=trade_id))
    purchase = market.get_purchase(CUSTOM_ID)
    assert purchase.status is status
    assert purchase.trade_offer_id == trade_id


def test_get_purchase_reads_paid_as_major_units(market: MarketTM, register: Register) -> None:
    register("get_buy_info_by_custom_id.ok")  # "paid": 0.5, "currency": "RUB"
    assert market.get_purchase(CUSTOM_ID).price == Money(Decimal("0.5"), "RUB")


def test_get_purchase_created_at_is_aware_utc(market: MarketTM, register: Register) -> None:
    register("get_buy_info_by_custom_id.ok")  # "time": "1548081954"
    created = market.get_purchase(CUSTOM_ID).created_at
    assert created == datetime(2019, 1, 21, 14, 45, 54, tzinfo=UTC)
    assert created is not None and created.utcoffset() is not None


def test_get_purchase_returns_ids_as_str_and_the_custom_id_asked(
    market: MarketTM, register: Register
) -> None:
    register("get_buy_info_by_custom_id.ok_rust_doc")
    purchase = market.get_purchase(CUSTOM_ID)
    assert (purchase.id, purchase.custom_id) == ("534415936", CUSTOM_ID)
    assert purchase.market_hash_name == "Spectrum 2 Case"
    assert purchase.price == Money("0.5", "USD")


@pytest.mark.parametrize("data", [None, [], {}], ids=["null", "empty_list", "empty_object"])
def test_get_purchase_of_an_unknown_custom_id_is_item_unavailable(
    data: Any, market: MarketTM, mock: responses.RequestsMock
) -> None:
    mock.add(responses.GET, BASE_URL + LOOKUP, json={"success": True, "data": data})
    with pytest.raises(sm.errors.ItemUnavailable, match=CUSTOM_ID):
        market.get_purchase(CUSTOM_ID)


def test_get_purchase_keeps_the_vendors_dict_as_raw(market: MarketTM, register: Register) -> None:
    register("get_buy_info_by_custom_id.ok")
    data = load_fixture("market_tm", "get_buy_info_by_custom_id.ok")["response"]["json"]["data"]
    assert market.get_purchase(CUSTOM_ID).raw == data  # "for", "causer" and "stage": "2" too


def test_buy_keeps_the_vendors_answer_as_raw(
    market: MarketTM, listing: Listing, register: Register
) -> None:
    register("buy.ok")
    answer = load_fixture("market_tm", "buy.ok")["response"]["json"]
    assert market.buy(listing, custom_id=CUSTOM_ID).raw == answer

"""SwapGG.buy: the local cap, the remembered custom_id, and never buying twice."""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests
import responses

from skinmarkets import Listing, Money, TradeStatus, errors
from skinmarkets.vendors.swapgg import SwapGG
from tests.support import FakeClock, load_fixture
from tests.vendors.swapgg.conftest import BASE_URL, calls_to
from tests.vendors.swapgg.pages import NAME, envelope, held, sale_items, serve_pages

PURCHASE = "/v1/sales/purchase"
INVENTORY = "/v1/inventory/browse"
CUSTOM_ID = "order-0001"


@pytest.fixture
def listing(market: SwapGG, mock: responses.RequestsMock) -> Listing:
    """The cheapest Redline sale (rdLnPg1aA, 8.50 EUR), fetched through the market."""
    serve_pages(mock, BASE_URL + "/v1/sales/browse", sale_items())
    found = market.list_for_sale(NAME, limit=1)[0]
    mock.calls.reset()
    return found


def _purchase_ok(mock: responses.RequestsMock, amount: int = 850) -> None:
    body = envelope({"saleIds": ["rdLnPg1aA"], "purchaseAmount": amount})
    mock.add("POST", BASE_URL + PURCHASE, body=body, content_type="application/json")


def _purchase_times_out(mock: responses.RequestsMock) -> None:
    mock.add("POST", BASE_URL + PURCHASE, body=requests.ReadTimeout("read timed out"))


def _inventory(mock: responses.RequestsMock, items: list[dict[str, Any]]) -> None:
    serve_pages(mock, BASE_URL + INVENTORY, items)


def test_buy_sends_only_the_sale_id(
    market: SwapGG, listing: Listing, mock: responses.RequestsMock
) -> None:
    _purchase_ok(mock)
    market.buy(listing)
    bodies = [
        json.loads(call.request.body)
        for call in mock.calls
        if call.request.path_url.split("?")[0] == PURCHASE
    ]
    assert bodies == [{"saleIds": ["rdLnPg1aA"]}]


def test_purchase_price_is_the_purchase_amount_in_eur(
    market: SwapGG, listing: Listing, mock: responses.RequestsMock
) -> None:
    _purchase_ok(mock, amount=850)
    purchase = market.buy(listing, custom_id=CUSTOM_ID)
    assert purchase.price == Money("8.50", "EUR")
    assert (purchase.id, purchase.custom_id) == ("rdLnPg1aA", CUSTOM_ID)
    assert purchase.status is TradeStatus.PENDING


def test_generated_custom_id_is_returned(
    market: SwapGG, listing: Listing, mock: responses.RequestsMock
) -> None:
    _purchase_ok(mock)
    assert market.buy(listing).custom_id


def test_a_cap_below_the_price_is_refused_before_sending(
    market: SwapGG, listing: Listing, mock: responses.RequestsMock
) -> None:
    with pytest.raises(errors.PriceExceeded):
        market.buy(listing, max_price=Money("8.49", "EUR"))
    assert len(mock.calls) == 0


def test_a_cap_in_another_currency_is_refused_before_sending(
    market: SwapGG, listing: Listing, mock: responses.RequestsMock
) -> None:
    with pytest.raises(errors.InvalidRequest):
        market.buy(listing, max_price=Money("100", "USD"))
    assert len(mock.calls) == 0


def test_a_float_cap_is_a_type_error_before_sending(
    market: SwapGG, listing: Listing, mock: responses.RequestsMock
) -> None:
    with pytest.raises(TypeError):
        market.buy(listing, max_price=9.0)  # type: ignore[arg-type]  # float ok: refused input
    assert len(mock.calls) == 0


def test_buying_again_with_the_same_custom_id_sends_nothing_and_returns_the_purchase(
    market: SwapGG, listing: Listing, mock: responses.RequestsMock
) -> None:
    _purchase_ok(mock)
    first = market.buy(listing, custom_id=CUSTOM_ID)
    second = market.buy(listing, custom_id=CUSTOM_ID)
    assert second == first
    assert calls_to(mock, PURCHASE) == 1


def test_lost_answer_with_the_item_in_the_inventory_returns_the_purchase(
    market: SwapGG, listing: Listing, mock: responses.RequestsMock, clock: FakeClock
) -> None:
    _purchase_times_out(mock)
    _inventory(mock, [held(sale_items()[0])])
    purchase = market.buy(listing, custom_id=CUSTOM_ID)
    assert (purchase.id, purchase.custom_id, purchase.price) == (
        "rdLnPg1aA",
        CUSTOM_ID,
        Money("8.50", "EUR"),
    )
    assert calls_to(mock, PURCHASE) == 1
    assert clock.sleeps == []  # never retried


def test_lost_answer_without_the_item_raises_outcome_unknown_with_the_custom_id(
    market: SwapGG, listing: Listing, mock: responses.RequestsMock
) -> None:
    _purchase_times_out(mock)
    _inventory(mock, [held(sale_items()[1])])
    with pytest.raises(errors.OutcomeUnknown) as caught:
        market.buy(listing, custom_id=CUSTOM_ID)
    assert caught.value.custom_id == CUSTOM_ID


def test_lost_answer_whose_search_fails_is_outcome_unknown_not_the_search_error(
    market: SwapGG, listing: Listing, mock: responses.RequestsMock
) -> None:
    _purchase_times_out(mock)
    mock.add("POST", BASE_URL + INVENTORY, status=500, body="oops")
    with pytest.raises(errors.OutcomeUnknown):
        market.buy(listing, custom_id=CUSTOM_ID)


def test_internal_error_answering_a_purchase_is_treated_as_a_lost_answer(
    market: SwapGG, listing: Listing, mock: responses.RequestsMock
) -> None:
    body = load_fixture("swapgg", "errors.INTERNAL_ERROR")["response"]["json"]
    mock.add("POST", BASE_URL + PURCHASE, json=body)
    _inventory(mock, [])
    with pytest.raises(errors.OutcomeUnknown):
        market.buy(listing, custom_id=CUSTOM_ID)
    assert calls_to(mock, INVENTORY) == 1


def test_repeating_an_unsettled_buy_searches_again_but_never_resends(
    market: SwapGG, listing: Listing, mock: responses.RequestsMock
) -> None:
    _purchase_times_out(mock)
    _inventory(mock, [])
    with pytest.raises(errors.OutcomeUnknown):
        market.buy(listing, custom_id=CUSTOM_ID)
    with pytest.raises(errors.OutcomeUnknown):
        market.buy(listing, custom_id=CUSTOM_ID)
    assert calls_to(mock, PURCHASE) == 1
    assert calls_to(mock, INVENTORY) == 2


def test_a_refusal_raises_its_error_without_a_search_and_frees_the_custom_id(
    market: SwapGG, listing: Listing, mock: responses.RequestsMock
) -> None:
    body = load_fixture("swapgg", "sales_purchase.insufficient_balance")["response"]["json"]
    mock.add("POST", BASE_URL + PURCHASE, json=body)
    with pytest.raises(errors.InsufficientFunds):
        market.buy(listing, custom_id=CUSTOM_ID)
    assert calls_to(mock, INVENTORY) == 0
    _purchase_ok(mock)
    assert market.buy(listing, custom_id=CUSTOM_ID).custom_id == CUSTOM_ID


def test_a_sale_missing_from_the_answer_with_nothing_charged_is_item_unavailable(
    market: SwapGG, listing: Listing, mock: responses.RequestsMock
) -> None:
    body = envelope({"saleIds": [], "purchaseAmount": 0})
    mock.add("POST", BASE_URL + PURCHASE, body=body, content_type="application/json")
    with pytest.raises(errors.ItemUnavailable):
        market.buy(listing)


def test_429_on_a_purchase_is_rate_limited_with_retry_after_and_not_retried(
    market: SwapGG, listing: Listing, mock: responses.RequestsMock, clock: FakeClock
) -> None:
    mock.add(
        "POST",
        BASE_URL + PURCHASE,
        status=429,
        json={"status": "RATE_LIMIT"},
        headers={"Retry-After": "3"},
    )
    with pytest.raises(errors.RateLimited) as caught:
        market.buy(listing)
    assert caught.value.retry_after == 3
    assert calls_to(mock, PURCHASE) == 1
    assert clock.sleeps == []


def test_a_listing_of_another_market_is_refused(market: SwapGG, listing: Listing) -> None:
    other = Listing(
        market="market_tm:cs2", id="1", market_hash_name=NAME, price=listing.price, app_id=730
    )
    with pytest.raises(errors.InvalidRequest):
        market.buy(other)

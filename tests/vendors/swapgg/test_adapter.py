"""SwapGG account, trades, withdraw, prices and the selling side: one behaviour per test."""

from __future__ import annotations

import copy
import json
import threading
from collections.abc import Callable
from typing import Any

import pytest
import responses

import skinmarkets as sm
from skinmarkets import Direction, Money, TradeStatus, errors
from skinmarkets.vendors.swapgg import SwapGG
from tests.support import FakeClock, load_fixture
from tests.vendors.swapgg.conftest import BASE_URL, Register, calls_to
from tests.vendors.swapgg.pages import envelope, held, sale_items, serve_pages

INVENTORY = BASE_URL + "/v1/inventory/browse"
WITHDRAW = "/v1/inventory/withdraw"


def _sent(mock: responses.RequestsMock, path: str) -> Any:
    call = next(c for c in mock.calls if c.request.path_url.split("?")[0] == path)
    return json.loads(call.request.body)


def test_connect_sends_the_raw_key_in_authorization(
    market: SwapGG, register: Register, mock: responses.RequestsMock
) -> None:
    register("user_balance.ok")
    market.balance()
    assert mock.calls[0].request.headers["Authorization"] == "test-swapgg-key-123456"


def test_a_blank_key_is_refused_at_connect() -> None:
    with pytest.raises(errors.ConfigurationError, match="api_key"):
        sm.connect("swapgg", api_key="  ")


def test_name_vendor_and_currency(market: SwapGG) -> None:
    assert (market.name, market.vendor) == ("swapgg", "swapgg")
    assert market.capabilities.currencies == frozenset({"EUR"})
    assert not market.capabilities.idempotent_buy


def test_balance_has_available_and_withdrawable_in_eur(market: SwapGG, register: Register) -> None:
    register("user_balance.ok")
    balance = market.balance()
    assert (balance.available, balance.withdrawable) == (Money("23.38", "EUR"),) * 2


def test_active_trades_are_sent_offers_coming_to_the_user(
    market: SwapGG, register: Register
) -> None:
    register("user_tradeoffers.ok")
    (trade,) = market.active_trades()
    assert (trade.id, trade.offer_id) == ("d6ac916d-19ca-48a5-b94e-2bffb1607c24", "3810109329")
    assert (trade.status, trade.direction) == (TradeStatus.SENT, Direction.INCOMING)


def test_withdraw_sends_every_held_group_with_its_quantity(
    market: SwapGG, register: Register, mock: responses.RequestsMock
) -> None:
    items = [held(i) for i in sale_items()[:3]]  # one group, three items
    items.append(sale_items()[3])  # still on sale: not withdrawn
    serve_pages(mock, INVENTORY, items)
    mock.add(
        "POST",
        BASE_URL + WITHDRAW,
        body=envelope({"tradeIds": ["t-1"], "itemIds": [i["itemId"] for i in items[:3]]}),
        content_type="application/json",
    )
    (trade,) = market.withdraw()
    assert _sent(mock, WITHDRAW) == {"items": [{"groupId": items[0]["groupId"], "quantity": 3}]}
    assert (trade.id, trade.status, trade.direction) == (
        "t-1",
        TradeStatus.PENDING,
        Direction.INCOMING,
    )
    assert trade.items == ("17400000001", "17400000002", "17400000003")


def test_withdraw_with_nothing_held_returns_empty_and_sends_no_withdraw(
    market: SwapGG, mock: responses.RequestsMock
) -> None:
    serve_pages(mock, INVENTORY, [sale_items()[0]])  # only an item on sale
    assert market.withdraw() == []
    assert calls_to(mock, WITHDRAW) == 0


def test_withdraw_of_purchases_sends_only_their_items(
    market: SwapGG, mock: responses.RequestsMock
) -> None:
    sales = sale_items()
    serve_pages(mock, BASE_URL + "/v1/sales/browse", sales)
    listing = market.list_for_sale(sales[0]["marketName"], limit=1)[0]
    mock.add(
        "POST",
        BASE_URL + "/v1/sales/purchase",
        body=envelope({"saleIds": [listing.id], "purchaseAmount": 850}),
        content_type="application/json",
    )
    purchase = market.buy(listing)
    other = held(sales[1])
    other["groupId"] = "another-group"
    serve_pages(mock, INVENTORY, [held(sales[0]), other])
    mock.add(
        "POST",
        BASE_URL + WITHDRAW,
        body=envelope({"tradeIds": ["t-1"], "itemIds": [sales[0]["itemId"]]}),
        content_type="application/json",
    )
    market.withdraw([purchase])
    assert _sent(mock, WITHDRAW) == {"items": [{"groupId": sales[0]["groupId"], "quantity": 1}]}


def test_prices_have_lowest_asks_and_highest_bids_in_eur(
    market: SwapGG, register: Register
) -> None:
    register("pricing_lowest.ok")
    register("buyorders_summary.ok")
    quotes = {q.market_hash_name: q for q in market.prices(app_id=730)}
    assert quotes["Nova | Polar Mesh (Battle-Scarred)"].lowest_ask == Money("0.02", "EUR")
    assert quotes["Spectrum 2 Case"].highest_bid == Money("0.05", "EUR")
    assert quotes["Spectrum 2 Case"].lowest_ask is None


def test_prices_asks_for_both_lists_at_the_same_time(
    market: SwapGG, mock: responses.RequestsMock
) -> None:
    meeting = threading.Barrier(2, timeout=5)  # broken, and an error, unless both are in flight

    def answer(fixture: str) -> Callable[[Any], tuple[int, dict[str, str], str]]:
        body = json.dumps(load_fixture("swapgg", fixture)["response"]["json"])

        def respond(request: Any) -> tuple[int, dict[str, str], str]:
            meeting.wait()
            return 200, {"Content-Type": "application/json"}, body

        return respond

    for path, fixture in (
        ("/v1/pricing/lowest", "pricing_lowest.ok"),
        ("/v1/buyorders/summary", "buyorders_summary.ok"),
    ):
        mock.add_callback("GET", BASE_URL + path, callback=answer(fixture))
    assert len(market.prices()) == 4
    assert not meeting.broken


def test_prices_of_named_items_keep_the_lists_order_and_skip_unlisted_names(
    market: SwapGG, register: Register
) -> None:
    register("pricing_lowest.ok")
    register("buyorders_summary.ok")
    quotes = market.prices(
        names=(
            "Spectrum 2 Case",
            "Nova | Polar Mesh (Battle-Scarred)",
            "Not listed",
            "Spectrum 2 Case",
        )
    )
    assert [(q.market_hash_name, q.lowest_ask, q.highest_bid) for q in quotes] == [
        ("Nova | Polar Mesh (Battle-Scarred)", Money("0.02", "EUR"), None),
        ("Spectrum 2 Case", None, Money("0.05", "EUR")),
    ]
    assert quotes[1].raw == {
        "lowest": None,
        "buyorders": {"maxPrice": 5, "minPrice": 3, "quantity": 23},
    }


@pytest.mark.parametrize("names", ["Spectrum 2 Case", ["Spectrum 2 Case", None], [" "], 3])
def test_prices_with_names_that_are_not_a_collection_of_names_is_invalid_before_sending(
    market: SwapGG, mock: responses.RequestsMock, names: Any
) -> None:
    with pytest.raises(errors.InvalidRequest, match="names"):
        market.prices(names=names)
    assert len(mock.calls) == 0


def test_prices_with_a_malformed_entry_names_its_path_and_keeps_the_answer(
    market: SwapGG, register: Register
) -> None:
    fixture = copy.deepcopy(load_fixture("swapgg", "pricing_lowest.ok"))
    fixture["response"]["json"]["result"]["Nova | Polar Mesh (Battle-Scarred)"]["price"] = "2,00"
    register(fixture=fixture)
    register("buyorders_summary.ok")
    with pytest.raises(errors.UnexpectedResponse) as raised:
        market.prices()
    assert "@ $.result['Nova | Polar Mesh (Battle-Scarred)'].price" in str(raised.value)
    assert raised.value.raw == fixture["response"]["json"]


def test_prices_raise_the_refusal_of_either_list(market: SwapGG, register: Register) -> None:
    register("pricing_lowest.ok")
    refusal = copy.deepcopy(load_fixture("swapgg", "errors.INVALID_API_KEY"))
    refusal["request"] = {
        "method": "GET",
        "path": "/v1/buyorders/summary",
        "query": {"appId": "730"},
    }
    register(fixture=refusal)
    with pytest.raises(errors.AuthenticationError):
        market.prices()


def test_a_rate_limited_read_waits_retry_after_and_retries(
    market: SwapGG, register: Register, mock: responses.RequestsMock, clock: FakeClock
) -> None:
    register("http.rate_limited_429")
    register("user_balance.ok")
    assert market.balance().available == Money("23.38", "EUR")
    assert len(mock.calls) == 2
    assert clock.sleeps and max(clock.sleeps) >= 3


def test_a_non_ok_status_on_http_200_is_an_error(market: SwapGG, register: Register) -> None:
    register("errors.INVALID_API_KEY")
    with pytest.raises(errors.AuthenticationError):
        market.balance()


# ---------------------------------------------------------------------- selling


def test_my_inventory_lists_held_items_at_the_suggested_price(
    market: SwapGG, mock: responses.RequestsMock
) -> None:
    sample = load_fixture("swapgg", "inventory_browse.ok")["response"]["json"]["result"][0]
    serve_pages(mock, INVENTORY, [sample, sale_items()[0]])  # the second is on sale
    (item,) = market.my_inventory()
    assert (item.id, item.asset_id, item.app_id) == (sample["itemId"], "17814627663", 570)
    assert item.price == Money("0.25", "EUR")


def test_sell_lists_one_item_of_its_group_in_cents(
    market: SwapGG, mock: responses.RequestsMock
) -> None:
    item = held(sale_items()[0])
    serve_pages(mock, INVENTORY, [item])
    answer = {"items": [{"groupId": item["groupId"], "quantity": 1, "price": 999}]}
    mock.add(
        "POST", BASE_URL + "/v1/sales/list", body=envelope(answer), content_type="application/json"
    )
    listing = market.sell(item["assetId"], Money("9.99", "EUR"))
    assert _sent(mock, "/v1/sales/list") == {
        "items": [{"groupId": item["groupId"], "quantity": 1, "price": 999}]
    }
    assert (listing.id, listing.price) == (item["groupId"], Money("9.99", "EUR"))


@pytest.mark.parametrize("price", [Money("9.99", "USD"), Money("0", "EUR"), Money("9.999", "EUR")])
def test_a_bad_sale_price_is_refused_before_any_request(
    market: SwapGG, mock: responses.RequestsMock, price: Money
) -> None:
    with pytest.raises(errors.InvalidRequest):
        market.sell("17400000001", price)
    assert len(mock.calls) == 0


def test_reprice_finds_the_group_of_a_sale_id(
    market: SwapGG, register: Register, mock: responses.RequestsMock
) -> None:
    register("user_me.ok")
    serve_pages(mock, BASE_URL + "/v1/sales/browse", sale_items())
    mock.add(
        "PUT",
        BASE_URL + "/v1/sales/list",
        body=envelope({"items": []}),
        content_type="application/json",
    )
    market.reprice("rdLnPg1bB", Money("8.00", "EUR"))
    group = sale_items()[1]["groupId"]
    assert _sent(mock, "/v1/sales/list") == {
        "items": [{"groupId": group, "quantity": 1, "price": 800}]
    }


def test_delist_of_an_unknown_listing_is_item_unavailable(
    market: SwapGG, register: Register, mock: responses.RequestsMock
) -> None:
    register("user_me.ok")
    serve_pages(mock, BASE_URL + "/v1/sales/browse", [])
    with pytest.raises(errors.ItemUnavailable):
        market.delist("nope")


@pytest.mark.parametrize("status", ["INTERNAL_ERROR", "DATABASE_ERROR"])
def test_a_server_failure_answering_a_sale_is_looked_up_not_taken_for_a_refusal(
    market: SwapGG, register: Register, mock: responses.RequestsMock, status: str
) -> None:
    # "Error on our side" may come after the listing was made: a refusal would invite the
    # user to list again. It is looked up in the user's own listings, never sent again.
    item = held(sale_items()[0])
    serve_pages(mock, INVENTORY, [item])
    failed = load_fixture("swapgg", f"errors.{status}")["response"]["json"]
    mock.add("POST", BASE_URL + "/v1/sales/list", json=failed)
    register("user_me.ok")
    serve_pages(mock, BASE_URL + "/v1/sales/browse", [])  # not (yet) among my listings
    with pytest.raises(errors.OutcomeUnknown):
        market.sell(item["assetId"], Money("9.99", "EUR"))
    assert calls_to(mock, "/v1/sales/list") == 1
    assert calls_to(mock, "/v1/sales/browse") >= 1


def test_a_server_failure_answering_a_withdrawal_is_looked_up_not_taken_for_a_refusal(
    market: SwapGG, mock: responses.RequestsMock
) -> None:
    serve_pages(mock, INVENTORY, [held(sale_items()[0])])  # still held when looked up
    failed = load_fixture("swapgg", "errors.DATABASE_ERROR")["response"]["json"]
    mock.add("POST", BASE_URL + WITHDRAW, json=failed)
    with pytest.raises(errors.OutcomeUnknown):
        market.withdraw()
    assert calls_to(mock, WITHDRAW) == 1


def test_my_listings_browse_sales_of_the_users_own_id(
    market: SwapGG, register: Register, mock: responses.RequestsMock
) -> None:
    register("user_me.ok")
    bodies: list[dict[str, Any]] = []
    serve_pages(mock, BASE_URL + "/v1/sales/browse", sale_items(), bodies=bodies)
    assert len(market.my_listings()) == 4
    assert bodies[0]["filters"] == {"userId": "94353915-f7a2-4a9a-9e5f-ff1f7d9b1f98"}

"""SwapGG.list_for_sale: the exact-name browse, cheapest first, paged until the limit."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
import responses

from skinmarkets import Money, errors
from skinmarkets.vendors.swapgg import SwapGG, units
from tests.vendors.swapgg.conftest import BASE_URL, Register
from tests.vendors.swapgg.pages import NAME, envelope, sale_items, serve_pages

BROWSE = BASE_URL + "/v1/sales/browse"


def test_listings_follow_pagination_until_the_limit_is_collected(
    market: SwapGG, register: Register, mock: responses.RequestsMock
) -> None:
    register("sales_browse.page1")  # 2 results for limit 3, more: true
    register("sales_browse.page2")  # skip 2
    listings = market.list_for_sale(NAME, limit=3)
    assert [listing.id for listing in listings] == ["rdLnPg1aA", "rdLnPg1bB", "rdLnPg2cC"]
    assert len(mock.calls) == 2


def test_browse_asks_the_server_for_the_exact_name_cheapest_first(
    market: SwapGG, mock: responses.RequestsMock
) -> None:
    bodies: list[dict[str, Any]] = []
    serve_pages(mock, BROWSE, sale_items(), bodies=bodies)
    market.list_for_sale(NAME, limit=10)
    assert bodies[0]["filters"] == {"appId": "730", "marketName": NAME, "sort": "CHEAPEST_FIRST"}


def test_short_pages_advance_skip_by_what_came(
    market: SwapGG, mock: responses.RequestsMock
) -> None:
    bodies: list[dict[str, Any]] = []
    serve_pages(mock, BROWSE, sale_items(), per_page=1, bodies=bodies)
    listings = market.list_for_sale(NAME, limit=4)
    assert len(listings) == 4
    assert [b["pagination"]["skip"] for b in bodies] == [0, 1, 2, 3]


def test_browsing_stops_when_more_is_false(market: SwapGG, mock: responses.RequestsMock) -> None:
    serve_pages(mock, BROWSE, sale_items())
    assert len(market.list_for_sale(NAME, limit=50)) == 4
    assert len(mock.calls) == 1


def test_browsing_stops_on_an_empty_page_even_when_more_is_true(
    market: SwapGG, mock: responses.RequestsMock
) -> None:
    serve_pages(mock, BROWSE, sale_items(), per_page=2, always_more=True)
    assert len(market.list_for_sale(NAME, limit=50)) == 4
    assert len(mock.calls) == 3  # 2 + 2 + an empty page


def test_a_server_that_always_says_more_cannot_make_browsing_loop_forever(
    market: SwapGG, mock: responses.RequestsMock
) -> None:
    page = envelope([sale_items()[0]], more=True)
    mock.add_callback("POST", BROWSE, callback=lambda request: (200, {}, page))
    listings = market.list_for_sale(NAME, limit=1000)
    assert [listing.id for listing in listings] == ["rdLnPg1aA"]
    assert len(mock.calls) <= units.MAX_PAGES


def test_listing_carries_sale_id_eur_price_float_asset_and_app(
    market: SwapGG, mock: responses.RequestsMock
) -> None:
    serve_pages(mock, BROWSE, sale_items())
    first = market.list_for_sale(NAME, limit=1)[0]
    assert (first.id, first.price) == ("rdLnPg1aA", Money("8.50", "EUR"))
    assert first.float_value == Decimal("0.2113454")
    assert (first.asset_id, first.app_id) == ("17400000001", 730)
    assert first.raw["itemId"].endswith("1f01")


def test_listings_of_another_name_are_dropped(market: SwapGG, mock: responses.RequestsMock) -> None:
    items = sale_items()
    items[0]["marketName"] = "AK-47 | Redline (Minimal Wear)"
    serve_pages(mock, BROWSE, items)
    assert "rdLnPg1aA" not in [listing.id for listing in market.list_for_sale(NAME)]


def test_listings_come_cheapest_first_whatever_the_server_order(
    market: SwapGG, mock: responses.RequestsMock
) -> None:
    serve_pages(mock, BROWSE, list(reversed(sale_items())))
    prices = [listing.price.amount for listing in market.list_for_sale(NAME)]
    assert prices == sorted(prices)


@pytest.mark.parametrize("name", ["", "   ", None])
def test_an_empty_name_is_refused_before_any_request(
    market: SwapGG, mock: responses.RequestsMock, name: Any
) -> None:
    with pytest.raises(errors.InvalidRequest):
        market.list_for_sale(name)
    assert len(mock.calls) == 0


@pytest.mark.parametrize("limit", [0, -1, True, "5"])
def test_a_bad_limit_is_refused_before_any_request(
    market: SwapGG, mock: responses.RequestsMock, limit: Any
) -> None:
    with pytest.raises(errors.InvalidRequest):
        market.list_for_sale(NAME, limit=limit)
    assert len(mock.calls) == 0

"""MarketTM as a Seller: own inventory and listings, selling, repricing, delisting."""

from __future__ import annotations

import copy

import pytest
import responses

import skinmarkets as sm
from skinmarkets import Money
from skinmarkets.vendors.market_tm import MarketTM
from tests.support import load_fixture
from tests.vendors.market_tm.conftest import BASE_URL, Register, calls_to

ASSET = load_fixture("market_tm", "add_to_sale.ok")["request"]["query"]["id"]
LISTING = load_fixture("market_tm", "set_price.ok")["request"]["query"]["item_id"]
ADD_TO_SALE = "/api/v2/add-to-sale"
SET_PRICE = "/api/v2/set-price"


@pytest.fixture
def usd_market(market: MarketTM, register: Register) -> MarketTM:
    """The market of a USD account (get-money answers USD)."""
    register("get_money.usd")
    return market


def test_my_inventory_lists_items_priced_at_the_recommended_price(
    usd_market: MarketTM, register: Register
) -> None:
    register("my_inventory.ok")  # "market_price": 10.34
    (item,) = usd_market.my_inventory()
    assert (item.id, item.asset_id) == ("14933635912", "14933635912")
    assert item.market_hash_name == "SCAR-20 | Carbon Fiber (Factory New)"
    assert item.price == Money("10.34", "USD")
    assert item.app_id == 730


def test_my_listings_are_only_items_on_sale(usd_market: MarketTM, register: Register) -> None:
    fixture = copy.deepcopy(load_fixture("market_tm", "items.ok"))
    on_sale = fixture["response"]["json"]["items"][0]
    fixture["response"]["json"]["items"] += [
        dict(on_sale, item_id=str(n), status=str(status)) for n, status in enumerate((2, 3, 4))
    ]
    register(fixture=fixture)
    (listing,) = usd_market.my_listings()
    assert (listing.id, listing.asset_id) == ("286316844", "15092687536")
    assert listing.price == Money("4", "USD")


def test_sell_puts_the_item_up_in_minor_units_with_the_currency(
    usd_market: MarketTM, register: Register
) -> None:
    register("add_to_sale.ok")  # id=14933635912&price=10340&cur=USD
    listing = usd_market.sell(ASSET, Money("10.34", "USD"))
    assert listing.id == "136285662"
    assert (listing.asset_id, listing.price) == (ASSET, Money("10.34", "USD"))


def test_sell_refused_by_the_vendor_raises_the_mapped_error(
    usd_market: MarketTM, register: Register
) -> None:
    register("add_to_sale.item_not_in_inventory")
    with pytest.raises(sm.errors.ItemUnavailable, match="item_not_in_inventory"):
        usd_market.sell(ASSET, Money("10.34", "USD"))


def test_reprice_sends_the_new_price_in_minor_units(
    usd_market: MarketTM, register: Register, mock: responses.RequestsMock
) -> None:
    register("set_price.ok")  # item_id=136285662&price=9990&cur=USD
    usd_market.reprice(LISTING, Money("9.99", "USD"))
    assert calls_to(mock, SET_PRICE) == 1


def test_reprice_of_an_unknown_listing_is_item_unavailable(
    usd_market: MarketTM, register: Register
) -> None:
    register("set_price.bad_item")
    bad_item = load_fixture("market_tm", "set_price.bad_item")["request"]["query"]["item_id"]
    with pytest.raises(sm.errors.ItemUnavailable):
        usd_market.reprice(bad_item, Money("9.99", "USD"))


def test_delist_sets_the_price_to_zero(
    usd_market: MarketTM, register: Register, mock: responses.RequestsMock
) -> None:
    register("set_price.remove_from_sale")  # item_id=136285662&price=0&cur=USD
    usd_market.delist(LISTING)
    assert calls_to(mock, SET_PRICE) == 1


def test_delist_whose_currency_cannot_be_read_sends_nothing_and_is_no_outcome_unknown(
    market: MarketTM, mock: responses.RequestsMock
) -> None:
    mock.get(f"{BASE_URL}/api/v2/get-money", json=[1, 2])  # not understood: UnexpectedResponse
    with pytest.raises(sm.errors.SkinMarketsError) as caught:
        market.delist(LISTING)
    assert not isinstance(caught.value, sm.errors.OutcomeUnknown)  # the read failed, not it
    assert calls_to(mock, SET_PRICE) == 0


@pytest.mark.parametrize(
    ("fixture", "price"),
    [("get_money.usd", Money("10.3405", "USD")), ("get_money.rub", Money("10.345", "RUB"))],
    ids=["usd_finer_than_1/1000", "rub_finer_than_1/100"],
)
def test_sell_of_an_amount_finer_than_the_unit_is_invalid_before_sending(
    fixture: str, price: Money, market: MarketTM, register: Register, mock: responses.RequestsMock
) -> None:
    register(fixture)
    with pytest.raises(sm.errors.InvalidRequest, match="finer"):
        market.sell(ASSET, price)
    assert calls_to(mock, ADD_TO_SALE) == 0


def test_reprice_of_an_amount_finer_than_the_unit_is_invalid_before_sending(
    usd_market: MarketTM, mock: responses.RequestsMock
) -> None:
    with pytest.raises(sm.errors.InvalidRequest, match="finer"):
        usd_market.reprice(LISTING, Money("9.9999", "USD"))
    assert calls_to(mock, SET_PRICE) == 0


def test_sell_in_another_currency_than_the_account_is_invalid_before_sending(
    usd_market: MarketTM, mock: responses.RequestsMock
) -> None:
    with pytest.raises(sm.errors.InvalidRequest, match="EUR"):
        usd_market.sell(ASSET, Money("10.34", "EUR"))
    assert calls_to(mock, ADD_TO_SALE) == 0


def test_reprice_in_another_currency_than_the_account_is_invalid_before_sending(
    usd_market: MarketTM, mock: responses.RequestsMock
) -> None:
    with pytest.raises(sm.errors.InvalidRequest, match="RUB"):
        usd_market.reprice(LISTING, Money("9.99", "RUB"))
    assert calls_to(mock, SET_PRICE) == 0


def test_sell_at_zero_is_invalid_before_sending(
    usd_market: MarketTM, mock: responses.RequestsMock
) -> None:
    with pytest.raises(sm.errors.InvalidRequest, match="more than 0"):
        usd_market.sell(ASSET, Money("0", "USD"))
    assert calls_to(mock, ADD_TO_SALE) == 0


def test_sell_with_a_float_price_is_a_type_error(usd_market: MarketTM) -> None:
    with pytest.raises(TypeError, match="Money"):
        usd_market.sell(ASSET, 10.34)  # type: ignore[arg-type]

"""Mannco ``buy``: price re-check, payment, refusals, local idempotency and reconciliation."""

from __future__ import annotations

import copy

import pytest
import requests
import responses

import skinmarkets as sm
from skinmarkets import errors
from skinmarkets.vendors.mannco import Mannco
from tests.support import load_fixture
from tests.vendors.mannco.conftest import BASE_URL, Register, calls_to

NAME = "Souvenir M4A1-S | Imminent Danger (Field-Tested)"
PAY = "/payment/mannco"


@pytest.fixture
def listing(
    market: Mannco, logged_in: None, register: Register, mock: responses.RequestsMock
) -> sm.Listing:
    """The cheapest listing, asset 30000000001 at 650.00 USD; the re-check sees the same page
    (whatever its page size)."""
    register("item_details.ok")
    mock.get(
        f"{BASE_URL}/item/listing/101869",
        json=load_fixture("mannco", "item_listing.ok")["response"]["json"],
    )
    return market.list_for_sale(NAME, limit=10)[0]


def _timeout(request: requests.PreparedRequest) -> Exception:
    return requests.ReadTimeout("read timed out")


def test_buy_pays_for_the_asset_with_type_items_and_returns_the_purchase(
    market: Mannco, listing: sm.Listing, register: Register
) -> None:
    register("payment_mannco.ok")  # body {"type": "items", "items": "30000000001", …} matched

    purchase = market.buy(listing, custom_id="order-1")

    assert (purchase.id, purchase.custom_id) == ("30000000001", "order-1")
    assert purchase.price == sm.Money("650.00", "USD")
    assert purchase.status is sm.TradeStatus.PENDING


def test_a_listing_repriced_above_max_price_is_refused_before_paying(
    market: Mannco, listing: sm.Listing, mock: responses.RequestsMock
) -> None:
    dearer = copy.deepcopy(load_fixture("mannco", "item_listing.ok")["response"]["json"])
    dearer["content"]["values"][0]["price"] = 70000
    mock.replace(responses.GET, f"{BASE_URL}/item/listing/101869", json=dearer)

    with pytest.raises(errors.PriceExceeded):
        market.buy(listing)
    assert calls_to(mock, PAY) == 0


def test_a_listing_gone_before_paying_is_item_unavailable_without_paying(
    market: Mannco, listing: sm.Listing, register: Register, mock: responses.RequestsMock
) -> None:
    mock.replace(
        responses.GET,
        f"{BASE_URL}/item/listing/101869",
        json=load_fixture("mannco", "item_listing.empty")["response"]["json"],
    )

    with pytest.raises(errors.ItemUnavailable):
        market.buy(listing)
    assert calls_to(mock, PAY) == 0


def test_a_float_max_price_is_a_type_error_before_any_request(
    market: Mannco, listing: sm.Listing, mock: responses.RequestsMock
) -> None:
    sent = len(mock.calls)
    with pytest.raises(TypeError):
        market.buy(listing, max_price=650.0)  # type: ignore[arg-type]  # float ok: refused input
    assert len(mock.calls) == sent


@pytest.mark.parametrize(
    ("fixture", "error"),
    [
        ("payment_mannco.not_enough_balance", errors.InsufficientFunds),
        ("payment_mannco.no_items_found", errors.ItemUnavailable),
        ("payment_mannco.no_items_found_http_200", errors.ItemUnavailable),
        ("payment_mannco.invalid_user", errors.PermissionDenied),
    ],
)
def test_a_payment_refusal_raises_its_error_without_a_lookup(
    market: Mannco,
    listing: sm.Listing,
    register: Register,
    mock: responses.RequestsMock,
    fixture: str,
    error: type[Exception],
) -> None:
    register(fixture)

    with pytest.raises(error):
        market.buy(listing)
    assert calls_to(mock, "/inventory/onInventory") == 0


def test_a_refused_buy_frees_its_custom_id(
    market: Mannco, listing: sm.Listing, register: Register, mock: responses.RequestsMock
) -> None:
    register("payment_mannco.not_enough_balance")
    with pytest.raises(errors.InsufficientFunds):
        market.buy(listing, custom_id="order-2")
    mock.replace(
        responses.POST, f"{BASE_URL}{PAY}", json={"err": False, "success": True, "content": {}}
    )

    assert market.buy(listing, custom_id="order-2").custom_id == "order-2"


def test_buy_with_same_custom_id_never_buys_twice(
    market: Mannco, listing: sm.Listing, register: Register, mock: responses.RequestsMock
) -> None:
    register("payment_mannco.ok")

    first = market.buy(listing, custom_id="order-3")
    second = market.buy(listing, custom_id="order-3")

    assert first is second
    assert calls_to(mock, PAY) == 1


def test_a_lost_answer_found_in_the_on_site_inventory_is_the_purchase(
    market: Mannco, listing: sm.Listing, register: Register, mock: responses.RequestsMock
) -> None:
    mock.add_callback(responses.POST, f"{BASE_URL}{PAY}", callback=_timeout)
    register("inventory_oninventory.ok")  # holds asset 30000000001

    purchase = market.buy(listing, custom_id="order-4")

    assert purchase.id == "30000000001"
    assert calls_to(mock, PAY) == 1


def test_a_lost_answer_not_found_is_outcome_unknown_and_a_second_buy_only_searches(
    market: Mannco, listing: sm.Listing, mock: responses.RequestsMock
) -> None:
    mock.add_callback(responses.POST, f"{BASE_URL}{PAY}", callback=_timeout)
    mock.get(
        f"{BASE_URL}/inventory/onInventory",
        json={"err": False, "success": True, "content": {"items": [], "count": 0}},
    )

    with pytest.raises(errors.OutcomeUnknown) as caught:
        market.buy(listing, custom_id="order-5")
    with pytest.raises(errors.OutcomeUnknown):
        market.buy(listing, custom_id="order-5")

    assert caught.value.custom_id == "order-5"
    assert calls_to(mock, PAY) == 1
    assert calls_to(mock, "/inventory/onInventory") == 2


def test_failed_to_save_transaction_is_reconciled_like_a_lost_answer(
    market: Mannco, listing: sm.Listing, register: Register, mock: responses.RequestsMock
) -> None:
    mock.post(
        f"{BASE_URL}{PAY}",
        status=300,
        json={"err": True, "success": False, "content": "Failed to save transaction"},
    )
    register("inventory_oninventory.ok")

    assert market.buy(listing, custom_id="order-6").id == "30000000001"


def test_a_payment_whose_token_is_refused_is_never_sent_again_but_looked_up(
    market: Mannco, listing: sm.Listing, register: Register, mock: responses.RequestsMock
) -> None:
    # A 403 may come after the payment went through: log in again, then look it up.
    mock.post(
        f"{BASE_URL}{PAY}",
        status=403,
        json={"err": True, "success": False, "content": "Invalid or expired token"},
    )
    register("inventory_oninventory.ok")  # holds asset 30000000001: the payment went through

    assert market.buy(listing).id == "30000000001"
    assert calls_to(mock, PAY) == 1
    assert calls_to(mock, "/user/login") == 2


def test_a_payment_whose_token_is_refused_and_not_found_is_outcome_unknown(
    market: Mannco, listing: sm.Listing, mock: responses.RequestsMock
) -> None:
    mock.post(
        f"{BASE_URL}{PAY}",
        status=401,
        json={"err": True, "success": False, "content": "Invalid or expired token"},
    )
    mock.get(f"{BASE_URL}/inventory/onInventory", json={"success": True, "content": []})

    with pytest.raises(sm.errors.OutcomeUnknown) as caught:
        market.buy(listing, custom_id="order-401")
    assert caught.value.custom_id == "order-401"
    assert calls_to(mock, PAY) == 1

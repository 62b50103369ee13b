"""The Mannco adapter: login, listings, balance, trades, resend, withdraw, prices, selling."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

import pytest
import responses

import skinmarkets as sm
from skinmarkets import errors
from skinmarkets.vendors.mannco import Mannco
from skinmarkets.vendors.mannco.adapter import created_at
from tests.support import load_fixture
from tests.vendors.mannco.conftest import BASE_URL, JWT, Register, calls_to

NAME = "Souvenir M4A1-S | Imminent Danger (Field-Tested)"


def _trades_body(*rows: dict[str, object]) -> dict[str, object]:
    return {"err": False, "success": True, "content": {"trades": list(rows)}}


def _row(**changes: object) -> dict[str, object]:
    row = copy.deepcopy(load_fixture("mannco", "trades_active.ok")["response"]["json"])
    trade: dict[str, object] = row["content"]["trades"][0]
    trade.update(changes)
    return trade


# ---------------------------------------------------------------------- connecting and login


@pytest.mark.parametrize("key", [None, "", "   "])
def test_blank_or_missing_key_is_refused_before_any_request(
    key: str | None, mock: responses.RequestsMock
) -> None:
    with pytest.raises(errors.ConfigurationError):
        sm.connect("mannco", api_key=key, base_url=BASE_URL)
    assert len(mock.calls) == 0


def test_first_call_logs_in_then_sends_the_jwt_as_bearer(
    market: Mannco, logged_in: None, register: Register, mock: responses.RequestsMock
) -> None:
    register("user_balance.ok")

    market.balance()

    assert [c.request.path_url for c in mock.calls] == ["/user/login", "/user/balance"]
    assert mock.calls[1].request.headers["Authorization"] == f"Bearer {JWT}"


def test_login_happens_once_for_many_calls(
    market: Mannco, logged_in: None, register: Register, mock: responses.RequestsMock
) -> None:
    register("user_balance.ok")

    market.balance()
    market.balance()

    assert calls_to(mock, "/user/login") == 1


def test_a_refused_token_is_renewed_once_and_the_request_sent_again(
    market: Mannco, logged_in: None, register: Register, mock: responses.RequestsMock
) -> None:
    register("user_balance.forbidden_403")
    register("user_balance.ok")  # responses answers in registration order

    assert market.balance().available == sm.Money("123.45", "USD")
    assert calls_to(mock, "/user/login") == 2
    assert calls_to(mock, "/user/balance") == 2


def test_a_second_refusal_after_renewal_is_raised_not_looped(
    market: Mannco, logged_in: None, register: Register, mock: responses.RequestsMock
) -> None:
    register("user_balance.forbidden_403")

    with pytest.raises(errors.AuthenticationError):
        market.balance()
    assert calls_to(mock, "/user/login") == 2
    assert calls_to(mock, "/user/balance") == 2


def test_an_invalid_key_at_login_is_an_authentication_error_without_retrying(
    market: Mannco, register: Register, mock: responses.RequestsMock
) -> None:
    register("user_login.invalid_api_key")

    with pytest.raises(errors.AuthenticationError):
        market.balance()
    assert calls_to(mock, "/user/login") == 1
    assert calls_to(mock, "/user/balance") == 0


def test_a_rate_limited_login_carries_the_wait_from_its_message(
    market: Mannco, register: Register
) -> None:
    register("user_login.rate_limited")

    with pytest.raises(errors.RateLimited) as caught:
        market.balance()
    assert caught.value.retry_after == 152


def test_the_jwt_never_shows_in_an_error(
    market: Mannco, logged_in: None, register: Register, mock: responses.RequestsMock
) -> None:
    mock.get(
        f"{BASE_URL}/user/balance",
        status=300,
        json={"err": True, "success": False, "content": f"bad token {JWT}"},
    )

    with pytest.raises(errors.APIError) as caught:
        market.balance()
    assert JWT not in str(caught.value)


# ---------------------------------------------------------------------- listings


def test_list_for_sale_resolves_the_name_by_slug_and_lists_cheapest_first(
    market: Mannco, logged_in: None, register: Register
) -> None:
    register("item_details.ok")
    register("item_listing.ok")

    listings = market.list_for_sale(NAME, limit=10)

    assert [listing.id for listing in listings] == ["30000000001", "30000000002", "30000000003"]
    assert listings[0].price == sm.Money("650.00", "USD")
    assert listings[0].app_id == 730


def test_the_resolved_item_id_is_cached(
    market: Mannco, logged_in: None, register: Register, mock: responses.RequestsMock
) -> None:
    register("item_details.ok")
    register("item_listing.ok")

    market.list_for_sale(NAME, limit=10)
    market.list_for_sale(NAME, limit=10)

    assert calls_to(mock, "/item/details/730-souvenir-m4a1-s-imminent-danger-field-tested") == 1


def test_a_name_mannco_does_not_know_has_no_listings(
    market: Mannco, logged_in: None, mock: responses.RequestsMock
) -> None:
    body = {"err": True, "success": False, "content": "Item not found"}
    mock.add(responses.GET, f"{BASE_URL}/item/details/730-no-such-item", json=body, status=404)
    mock.add(responses.GET, f"{BASE_URL}/item/details/440-no-such-item", json=body, status=404)
    mock.add(responses.GET, f"{BASE_URL}/item/details/570-no-such-item", json=body, status=404)
    mock.add(responses.GET, f"{BASE_URL}/item/details/252490-no-such-item", json=body, status=404)

    assert market.list_for_sale("No Such Item") == []


@pytest.mark.parametrize("name", ["", "   ", None])
def test_an_empty_name_is_refused_before_any_request(
    market: Mannco, name: str | None, mock: responses.RequestsMock
) -> None:
    with pytest.raises(errors.InvalidRequest):
        market.list_for_sale(name)  # type: ignore[arg-type]
    assert len(mock.calls) == 0


def test_the_bare_array_listing_shape_is_read_too(
    market: Mannco, logged_in: None, register: Register
) -> None:
    register("item_details.ok")
    register("item_listing.bare_array")

    assert len(market.list_for_sale(NAME, limit=10)) == 3


# ---------------------------------------------------------------------- account and trades


def test_balance_is_usd_cents(market: Mannco, logged_in: None, register: Register) -> None:
    register("user_balance.ok")

    assert market.balance().available == sm.Money("123.45", "USD")


def test_an_unexpected_balance_shape_is_unexpected_response_with_raw(
    market: Mannco, logged_in: None, register: Register
) -> None:
    register("user_balance.unexpected_content")

    with pytest.raises(errors.UnexpectedResponse) as caught:
        market.balance()
    assert caught.value.raw == [12345]


def test_active_trade_with_an_offer_id_is_sent_and_outgoing_for_a_deposit(
    market: Mannco, logged_in: None, register: Register
) -> None:
    register("trades_active.ok")

    (trade,) = market.active_trades()

    assert trade.status is sm.TradeStatus.SENT
    assert trade.direction is sm.Direction.OUTGOING
    assert trade.items == ("123456789", "987654321")
    assert trade.secret == "ABCDEFGH"
    assert trade.offer_id == "5678901234"
    assert trade.created_at == datetime(2024, 2, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("timestamp", "expected"),
    [
        ("1706745600000", datetime(2024, 2, 1, tzinfo=UTC)),  # milliseconds, as documented
        ("1706745600", datetime(2024, 2, 1, tzinfo=UTC)),  # seconds, should they come
        ("999999999999999", None),  # 15 digits: past the year 9999, not a ValueError
        ("²", None),  # a digit to str.isdigit, not to int()
        ("0", None),
    ],
)
def test_a_trade_timestamp_out_of_range_is_no_date_not_an_error(
    timestamp: str, expected: datetime | None
) -> None:
    assert created_at(timestamp) == expected


def test_active_trade_without_an_offer_id_is_pending_and_items_sent_come_to_the_user(
    market: Mannco, logged_in: None, register: Register
) -> None:
    register("trades_active.pending_no_offer")

    (trade,) = market.active_trades()

    assert trade.status is sm.TradeStatus.PENDING
    assert trade.direction is sm.Direction.INCOMING
    assert trade.offer_id is None


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (3, sm.TradeStatus.COMPLETED),
        (-1, sm.TradeStatus.FAILED),
        (-12, sm.TradeStatus.REVERSED),
        (7, sm.TradeStatus.UNKNOWN),
        ("2", sm.TradeStatus.UNKNOWN),
    ],
)
def test_trade_status_codes_map_and_unknown_ones_keep_raw(
    market: Mannco, logged_in: None, mock: responses.RequestsMock, status: object, expected: object
) -> None:
    mock.get(f"{BASE_URL}/trades/all", json=_trades_body(_row(status=status)))

    (trade,) = market.all_trades()

    assert trade.status is expected
    assert trade.raw["status"] == status


def test_history_is_all_trades(market: Mannco, logged_in: None, register: Register) -> None:
    register("trades_all.mixed")

    assert [t.id for t in market.history()] == [t.id for t in market.all_trades()]


def test_lasterror_and_user_stay_in_raw(
    market: Mannco, logged_in: None, mock: responses.RequestsMock
) -> None:
    mock.get(f"{BASE_URL}/trades/all", json=_trades_body(_row(status=-1, lasterror="Escrow")))

    (trade,) = market.all_trades()

    assert trade.raw["lasterror"] == "Escrow"


def test_resend_trade_returns_a_pending_incoming_trade_with_the_new_code(
    market: Mannco, logged_in: None, register: Register
) -> None:
    register("trade_resend.ok")

    trade = market.resend_trade(123456)

    assert (trade.id, trade.secret, trade.status) == ("123456", "ABCDEFGH", sm.TradeStatus.PENDING)
    assert trade.direction is sm.Direction.INCOMING


def test_resend_of_a_trade_that_cannot_be_resent_is_invalid_request(
    market: Mannco, logged_in: None, register: Register
) -> None:
    register("trade_resend.not_resendable")

    with pytest.raises(errors.InvalidRequest) as caught:
        market.resend_trade("123456")
    assert caught.value.http_status == 300


def test_resend_without_a_trade_id_is_refused_before_any_request(
    market: Mannco, mock: responses.RequestsMock
) -> None:
    with pytest.raises(errors.InvalidRequest):
        market.resend_trade("  ")
    assert len(mock.calls) == 0


# ---------------------------------------------------------------------- withdraw


def test_withdraw_with_nothing_held_returns_an_empty_list_without_withdrawing(
    market: Mannco, logged_in: None, mock: responses.RequestsMock
) -> None:
    mock.get(
        f"{BASE_URL}/inventory/onInventory",
        json={"err": False, "success": True, "content": {"items": [], "count": 0}},
    )

    assert market.withdraw() == []
    assert calls_to(mock, "/inventory/withdraw") == 0


def test_withdraw_sends_every_held_asset_and_returns_the_bot_trade(
    market: Mannco, logged_in: None, register: Register, mock: responses.RequestsMock
) -> None:
    register("inventory_oninventory.ok")  # asset 30000000001
    mock.post(
        f"{BASE_URL}/inventory/withdraw",
        json={"err": False, "success": True, "content": {"updated": 1, "locked": 0}},
        match=[responses.matchers.json_params_matcher({"ids": "30000000001"})],
    )
    mock.get(
        f"{BASE_URL}/trades/active",
        json=_trades_body(_row(items_send="30000000001", items_received="", offerid="")),
    )

    (trade,) = market.withdraw()

    assert trade.items == ("30000000001",)
    assert trade.direction is sm.Direction.INCOMING


# ---------------------------------------------------------------------- prices and selling


def test_prices_quote_resolved_names_from_the_bulk_endpoint(
    market: Mannco, logged_in: None, register: Register, mock: responses.RequestsMock
) -> None:
    register("item_details.ok")
    mock.get(
        f"{BASE_URL}/item/pricing/bulk",
        json=load_fixture("mannco", "item_pricing_bulk.ok")["response"]["json"],
        match=[responses.matchers.query_param_matcher({"items": "101869"})],
    )

    quotes = {q.market_hash_name: q for q in market.prices(names=[NAME])}

    assert quotes[NAME].lowest_ask == sm.Money("650.00", "USD")
    assert quotes[NAME].highest_bid == sm.Money("600.00", "USD")


def test_my_listings_are_one_per_asset_of_each_group(
    market: Mannco, logged_in: None, register: Register
) -> None:
    register("inventory_onsale.ok")

    listings = market.my_listings()

    assert [listing.id for listing in listings] == ["987654321", "987654322"]
    assert listings[0].price == sm.Money("150.00", "USD")


def test_reprice_sends_cents_to_inventory_price(
    market: Mannco, logged_in: None, mock: responses.RequestsMock
) -> None:
    mock.post(
        f"{BASE_URL}/inventory/price",
        json={"err": False, "success": True, "content": {"message": "ok"}},
        match=[responses.matchers.json_params_matcher({"ids": "987654321", "price": 150})],
    )

    market.reprice("987654321", sm.Money("1.50", "USD"))

    assert calls_to(mock, "/inventory/price") == 1


def test_a_float_price_is_a_type_error_before_any_request(
    market: Mannco, mock: responses.RequestsMock
) -> None:
    with pytest.raises(TypeError):
        market.reprice("987654321", 1.5)  # type: ignore[arg-type]  # float ok: refused input
    assert len(mock.calls) == 0


def test_delist_is_not_supported(market: Mannco) -> None:
    with pytest.raises(errors.NotSupported):
        market.delist("987654321")


def test_a_buy_order_is_created_for_the_resolved_item_in_cents(
    market: Mannco, logged_in: None, register: Register, mock: responses.RequestsMock
) -> None:
    register("item_details.ok")
    mock.post(
        f"{BASE_URL}/item/buyorder",
        json={"err": False, "success": True, "content": {"details": "Inserted"}},
        match=[
            responses.matchers.json_params_matcher({"itemid": 101869, "value": 14500, "amount": 2})
        ],
    )

    market.create_buy_order(NAME, sm.Money("145.00", "USD"), amount=2)

    assert calls_to(mock, "/item/buyorder") == 1


def test_a_buy_order_without_balance_is_insufficient_funds(
    market: Mannco, logged_in: None, register: Register, mock: responses.RequestsMock
) -> None:
    register("item_details.ok")
    mock.post(
        f"{BASE_URL}/item/buyorder",
        status=300,
        json={"err": True, "success": False, "content": "Not enough balance"},
    )

    with pytest.raises(errors.InsufficientFunds):
        market.create_buy_order(NAME, sm.Money("145.00", "USD"))

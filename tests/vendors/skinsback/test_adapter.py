"""The SkinsBack adapter: one behaviour per test, answers from ``fixtures/skinsback``."""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable
from decimal import Decimal

import pytest
import responses

import skinmarkets as sm
from skinmarkets import errors
from skinmarkets.vendors.skinsback import Skinsback
from tests.support import load_fixture
from tests.vendors.skinsback.conftest import (
    CLIENT_ID,
    CLIENT_SECRET,
    NOW,
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


# ---------------------------------------------------------------------- connect


def test_connect_names_the_market_by_vendor_and_game(connect: Callable[..., Skinsback]) -> None:
    assert connect(game="rust").name == "skinsback:rust"


def test_csgo_is_an_alias_of_cs2(connect: Callable[..., Skinsback]) -> None:
    assert connect(game="csgo").game == "cs2"


def test_unknown_game_is_refused_at_connect(connect: Callable[..., Skinsback]) -> None:
    with pytest.raises(errors.ConfigurationError, match="game"):
        connect(game="minecraft")


@pytest.mark.parametrize(
    "trade_url",
    [
        "https://steamcommunity.com/tradeoffer/new/?partner=12345678",
        "https://evil.example/tradeoffer/new/?partner=12345678&token=AbCdEfGh",
        "https://steamcommunity.com/tradeoffer/new/?partner=abc&token=AbCdEfGh",
        "not a url",
        "",
    ],
)
def test_malformed_trade_url_is_refused_at_connect(
    connect: Callable[..., Skinsback], mock: responses.RequestsMock, trade_url: str
) -> None:
    with pytest.raises(errors.ConfigurationError, match="trade_url"):
        connect(trade_url=trade_url)
    assert len(mock.calls) == 0


def test_unknown_auth_mode_is_refused(connect: Callable[..., Skinsback]) -> None:
    with pytest.raises(errors.ConfigurationError, match="auth"):
        connect(auth="query")


def test_credentials_never_show_in_repr(market: Skinsback) -> None:
    shown = repr(market) + repr(market.client) + repr(market.client.transport.auth)
    assert CLIENT_ID not in shown and CLIENT_SECRET not in shown


# ---------------------------------------------------------------------- signing


def test_every_request_carries_shopid_and_a_valid_sign(
    market: Skinsback, register: Register, mock: responses.RequestsMock
) -> None:
    register("balance.ok")  # form_is verifies shopid and sign before answering
    market.balance()
    assert len(mock.calls) == 1


def test_header_auth_sends_the_two_headers_and_no_signature(
    connect: Callable[..., Skinsback], mock: responses.RequestsMock
) -> None:
    market = connect(auth="headers")
    _answer(mock, "balance", load_fixture("skinsback", "balance.ok")["response"]["json"])
    market.balance()
    request = mock.calls[0].request
    assert request.headers["X-CLIENT-ID"] == CLIENT_ID
    assert request.headers["X-CLIENT-SECRET"] == CLIENT_SECRET
    assert set(sent_forms(mock)[0]) == {"method"}


# ---------------------------------------------------------------------- listings


def test_list_for_sale_returns_usd_listings_cheapest_first(
    market: Skinsback, register: Register
) -> None:
    fixture = copy.deepcopy(load_fixture("skinsback", "market_search.ok"))
    fixture["response"]["json"]["items"].reverse()
    register(fixture=fixture)
    listings = market.list_for_sale(SSG)
    expected = fixture["expected"]["listings_sorted"]
    assert [(x.id, str(x.price.amount)) for x in listings] == [
        (e["id"], e["price_usd"]) for e in expected
    ]
    assert {x.price.currency for x in listings} == {"USD"}


def test_list_for_sale_with_nothing_for_sale_is_empty(
    market: Skinsback, register: Register
) -> None:
    register("market_search.empty")
    assert market.list_for_sale("AWP | Dragon Lore (Factory New)") == []


# ---------------------------------------------------------------------- account and trades


def test_balance_is_the_usd_amount(market: Skinsback, register: Register) -> None:
    register("balance.ok")
    assert market.balance().available == sm.Money("123.456", "USD")


def test_active_trades_are_the_purchases_still_waiting_read_from_history_alone(
    market: Skinsback, mock: responses.RequestsMock
) -> None:
    history = load_fixture("skinsback", "market_history.ok")["response"]["json"]
    _answer(mock, "market_history", {**history, "has_more": False})
    trades = market.active_trades()
    assert [(t.id, t.status, t.offer_id) for t in trades] == [
        ("66", sm.TradeStatus.SENT, "4176876999")
    ]
    assert trades[0].raw == history["items"][1]
    assert [f["method"] for f in sent_forms(mock)] == ["market_history"]  # no getinfo refresh


def test_active_trades_count_a_purchase_listed_on_two_pages_once(
    market: Skinsback, mock: responses.RequestsMock
) -> None:
    history = load_fixture("skinsback", "market_history.ok")["response"]["json"]
    _answer(mock, "market_history", history)
    _answer(mock, "market_history", {**history, "has_more": False})
    assert [t.id for t in market.active_trades()] == ["66"]


def test_active_trades_look_back_one_day(market: Skinsback, mock: responses.RequestsMock) -> None:
    _answer(
        mock,
        "market_history",
        load_fixture("skinsback", "market_history.last_page")["response"]["json"],
    )
    assert market.active_trades() == []
    form = sent_forms(mock, "market_history")[0]
    assert (form["starting"], form["ending"]) == (str(NOW - 86400), str(NOW))


def test_active_trades_follow_the_history_cursor(
    market: Skinsback, mock: responses.RequestsMock
) -> None:
    _answer(
        mock, "market_history", load_fixture("skinsback", "market_history.ok")["response"]["json"]
    )
    _answer(
        mock,
        "market_history",
        load_fixture("skinsback", "market_history.last_page")["response"]["json"],
    )
    market.active_trades()
    assert [f.get("start_from") for f in sent_forms(mock, "market_history")] == [None, "1000"]


def test_withdraw_sends_nothing_and_returns_deliveries_under_way(
    market: Skinsback, mock: responses.RequestsMock
) -> None:
    info = load_fixture("skinsback", "market_getinfo.ok_custom_ids")["response"]["json"]
    _answer(mock, "market_getinfo", info)
    purchase = sm.Purchase(
        market=market.name,
        id="65",
        custom_id="wd-42",
        market_hash_name=AK,
        price=sm.Money("0.4", "USD"),
        status=sm.TradeStatus.PENDING,
    )
    trades = market.withdraw([purchase])
    assert [t.id for t in trades] == ["65"]
    assert {f["method"] for f in sent_forms(mock)} == {"market_getinfo"}


def test_get_purchase_finds_it_by_custom_id(
    market: Skinsback, mock: responses.RequestsMock
) -> None:
    _answer(
        mock,
        "market_getinfo",
        load_fixture("skinsback", "market_getinfo.ok_custom_ids")["response"]["json"],
    )
    purchase = market.get_purchase("wd-43")
    assert (purchase.id, purchase.status) == ("67", sm.TradeStatus.FAILED)


def test_get_purchase_of_an_unknown_custom_id_is_item_unavailable(
    market: Skinsback, mock: responses.RequestsMock
) -> None:
    _answer(
        mock,
        "market_getinfo",
        load_fixture("skinsback", "market_getinfo.offer_not_found")["response"]["json"],
    )
    with pytest.raises(errors.ItemUnavailable):
        market.get_purchase("nope-1")


def test_accepted_purchase_in_hold_is_on_hold(
    market: Skinsback, mock: responses.RequestsMock
) -> None:
    record = dict(load_fixture("skinsback", "market_getinfo.accepted")["response"]["json"])
    record["custom_id"] = "wd-42"
    _answer(mock, "market_getinfo", {"status": "success", "items": [record]})
    assert market.get_purchase("wd-42").status is sm.TradeStatus.ON_HOLD


# ---------------------------------------------------------------------- prices


def test_prices_are_usd_lowest_asks_with_counts(market: Skinsback, register: Register) -> None:
    register("market_pricelist.ok")
    quotes = {q.market_hash_name: q for q in market.prices()}
    fixture = load_fixture("skinsback", "market_pricelist.ok")
    for name, want in fixture["expected"]["prices"].items():
        assert quotes[name].lowest_ask == sm.Money(want["price_usd"], "USD")
        assert quotes[name].quantity == want["count"]
        assert quotes[name].highest_bid is None


def test_prices_for_an_unknown_app_id_is_refused(market: Skinsback) -> None:
    with pytest.raises(errors.InvalidRequest):
        market.prices(app_id=440)


def test_prices_of_named_items_are_those_the_list_has(
    market: Skinsback, mock: responses.RequestsMock
) -> None:
    items = [
        {"name": AK, "price": "0.40", "classid": "1", "count": "12"},
        {"name": SSG, "price": "junk"},  # not asked for: skipped unread
        {"name": AK, "price": "0.35", "classid": "2", "count": "3"},
    ]
    _answer(mock, "market_pricelist", {"status": "success", "last_update": "1", "items": items})
    (quote,) = market.prices(names=[AK, "AWP | Dragon Lore (Factory New)", AK])
    assert (quote.market_hash_name, quote.lowest_ask, quote.quantity) == (
        AK,
        sm.Money("0.35", "USD"),
        3,
    )
    assert quote.raw == items[2]
    assert sent_forms(mock, "market_pricelist")[0]["game"] == "cs2"


def test_prices_with_a_malformed_entry_names_its_path_and_keeps_the_answer(
    market: Skinsback, mock: responses.RequestsMock
) -> None:
    body = {
        "status": "success",
        "items": [{"name": AK, "price": "0.40"}, {"name": SSG, "price": "-1"}],
    }
    _answer(mock, "market_pricelist", body)
    with pytest.raises(errors.UnexpectedResponse) as raised:
        market.prices()
    assert "@ $.items[1].price" in str(raised.value)
    assert raised.value.raw == body


@pytest.mark.parametrize("names", [AK, [AK, ""], [b"AK"], 42])
def test_prices_with_names_that_are_not_a_collection_of_names_is_invalid_before_sending(
    market: Skinsback, mock: responses.RequestsMock, names: object
) -> None:
    with pytest.raises(errors.InvalidRequest, match="names"):
        market.prices(names=names)  # type: ignore[arg-type]
    assert len(mock.calls) == 0


def test_prices_of_no_names_is_empty_without_a_request(
    market: Skinsback, mock: responses.RequestsMock
) -> None:
    assert market.prices(names=[]) == []
    assert len(mock.calls) == 0


# ---------------------------------------------------------------------- errors and limits


@pytest.mark.parametrize(
    "name",
    [
        "errors.invalid_signature",
        "errors.request_limit_reached",
        "errors.under_maintenance",
        "errors.market_disabled",
        "errors.invalid_ip_address",
    ],
)
def test_standard_error_is_raised_as_its_mapped_class(
    connect: Callable[..., Skinsback], register: Register, name: str
) -> None:
    market = connect(max_retries=0)
    fixture = load_fixture("skinsback", name)
    register(fixture=fixture)
    with pytest.raises(getattr(errors, fixture["expected"]["error"])):
        market.balance()


def test_rate_limit_is_500_requests_per_minute(market: Skinsback) -> None:
    assert Skinsback.capabilities.requests_per_second == pytest.approx(500 / 60)


def test_no_credential_in_debug_logs(
    market: Skinsback, register: Register, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    register("balance.ok")
    market.balance()
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert CLIENT_ID not in text and CLIENT_SECRET not in text


def test_balance_without_usd_is_an_unexpected_response(
    market: Skinsback, mock: responses.RequestsMock
) -> None:
    _answer(mock, "balance", {"status": "success", "balance": "1.00", "balance_in_currencies": []})
    with pytest.raises(errors.UnexpectedResponse):
        market.balance()


def test_money_in_answers_is_never_a_float(market: Skinsback, register: Register) -> None:
    register("market_buy.ok")
    purchase = market.buy(_listing(market), custom_id="wd-42")
    assert isinstance(purchase.price.amount, Decimal)

"""MarketTM as a Marketplace: connecting, balance, trades, withdraw, history, retries.

Buying is in test_adapter_buy.py, listings and prices in test_adapter_listings.py, the
selling side in test_adapter_seller.py.
"""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
import responses

import skinmarkets as sm
from skinmarkets import Direction, Listing, Money, Purchase, Trade, TradeStatus
from skinmarkets._http import decode_json
from skinmarkets.vendors.market_tm import MarketTM
from tests.support import FakeClock, load_fixture
from tests.vendors.market_tm.conftest import API_KEY, Register, calls_to

TAKE = "/api/v2/trade-request-take"
BOT = load_fixture("market_tm", "trade_request_take.ok")["response"]["json"]["botid"]


def _purchase(item_id: str) -> Purchase:
    return Purchase(
        market="market_tm:cs2",
        id=item_id,
        custom_id="sandbox-order-0001",
        market_hash_name="Horns of Monstrous Reprisal",
        price=Money("4", "USD"),
        status=TradeStatus.PENDING,
    )


def _items_answer(*items: dict[str, Any]) -> dict[str, Any]:
    """items.ok whose one item is replaced by copies of it with these fields changed."""
    fixture = copy.deepcopy(load_fixture("market_tm", "items.ok"))
    sample = fixture["response"]["json"]["items"][0]
    fixture["response"]["json"]["items"] = [dict(sample, **item) for item in items]
    return fixture


def _take_from_bot(bot: str) -> dict[str, Any]:
    fixture = copy.deepcopy(load_fixture("market_tm", "trade_request_take.ok"))
    fixture["request"]["query"] = {"bot": bot}
    return fixture


# ------------------------------------------------------------------ connect


def test_connect_without_api_key_is_a_configuration_error_before_any_request(
    mock: responses.RequestsMock,
) -> None:
    with pytest.raises(sm.errors.ConfigurationError, match="api_key"):
        sm.connect("market_tm", game="cs2")
    assert len(mock.calls) == 0


def test_connect_with_a_blank_api_key_is_a_configuration_error(
    mock: responses.RequestsMock,
) -> None:
    with pytest.raises(sm.errors.ConfigurationError, match="blank"):
        sm.connect("market_tm", api_key="   ", game="cs2")
    assert len(mock.calls) == 0


def test_connect_to_an_unknown_game_is_a_configuration_error(
    mock: responses.RequestsMock,
) -> None:
    with pytest.raises(sm.errors.ConfigurationError, match="csgo2"):
        sm.connect("market_tm", api_key=API_KEY, game="csgo2")
    assert len(mock.calls) == 0


def test_connect_with_the_csgo_alias_is_the_cs2_market_on_market_csgo_com(
    mock: responses.RequestsMock,
) -> None:
    market = sm.connect("market_tm", api_key=API_KEY, game="csgo")
    mock.add(
        responses.GET,
        "https://market.csgo.com/api/v2/get-money",
        json={"money": 1, "currency": "USD"},
    )
    assert market.name == "market_tm:cs2"
    assert market.balance().available == Money("1", "USD")
    assert mock.calls[0].request.url == "https://market.csgo.com/api/v2/get-money"


def test_connect_to_rust_uses_rust_tm_and_app_252490() -> None:
    market = sm.connect("market_tm", api_key=API_KEY, game="rust")
    assert isinstance(market, MarketTM)
    assert market.name == "market_tm:rust"
    assert market.app_id == 252490
    assert market.client.transport.options.base_url == "https://rust.tm"


def test_market_tm_satisfies_the_marketplace_protocols(market: MarketTM) -> None:
    assert isinstance(market, sm.Marketplace)
    assert isinstance(market, sm.PriceSource)
    assert isinstance(market, sm.PurchaseLookup)
    assert isinstance(market, sm.Seller)


# ------------------------------------------------------------------ balance


@pytest.mark.parametrize("name", ["get_money.rub", "get_money.usd", "get_money.eur"])
def test_balance_is_money_in_major_units(name: str, market: MarketTM, register: Register) -> None:
    register(name)
    expected = load_fixture("market_tm", name)["expected"]
    balance = market.balance()
    assert balance.available == Money(Decimal(expected["available"]), expected["currency"])
    assert balance.market == "market_tm:cs2"


def test_balance_keeps_the_exact_decimal_never_a_float(
    market: MarketTM, register: Register
) -> None:
    register("get_money.usd")  # "money": 123.456
    amount = market.balance().available.amount
    assert type(amount) is Decimal
    assert str(amount) == "123.456"


def test_balance_keeps_the_vendors_answer_as_raw(market: MarketTM, register: Register) -> None:
    register("get_money.usd")
    answer = load_fixture("market_tm", "get_money.usd")["response"]["json"]
    assert market.balance().raw == decode_json(json.dumps(answer))  # numbers as Decimal


# ------------------------------------------------------------------ active_trades


@pytest.fixture
def trades(market: MarketTM, register: Register) -> list[Trade]:
    register("trades.extended")  # only answers /trades/?extended=1
    return market.active_trades()


def test_active_trades_asks_for_extended_trades(
    trades: list[Trade], mock: responses.RequestsMock
) -> None:
    assert mock.calls[0].request.path_url == "/api/v2/trades/?extended=1"


def test_active_trades_out_is_incoming_and_in_is_outgoing(trades: list[Trade]) -> None:
    assert [(t.offer_id, t.direction) for t in trades] == [
        ("3759667687", Direction.INCOMING),
        ("3759668212", Direction.OUTGOING),
    ]


def test_active_trades_are_sent_offers(trades: list[Trade]) -> None:
    assert {t.status for t in trades} == {TradeStatus.SENT}


def test_active_trades_items_are_steam_asset_ids(trades: list[Trade]) -> None:
    assert [t.items for t in trades] == [("17737368051", "17737368059"), ("8028182393",)]


def test_active_trades_carry_secret_and_bot_id(trades: list[Trade]) -> None:
    assert [(t.secret, t.bot_id) for t in trades] == [
        ("3R5U", "1022850783"),
        ("EC58", "1022850783"),
    ]


def test_active_trades_created_at_is_aware_utc_from_timestamp(trades: list[Trade]) -> None:
    assert trades[0].created_at == datetime(2019, 10, 25, 16, 43, 17, tzinfo=UTC)


def test_active_trades_keep_the_vendors_trade_as_raw(trades: list[Trade]) -> None:
    answer = load_fixture("market_tm", "trades.extended")["response"]["json"]
    assert [t.raw for t in trades] == answer["trades"]


def test_active_trades_read_php_empty_item_list_as_no_items(
    market: MarketTM, register: Register
) -> None:
    fixture = copy.deepcopy(load_fixture("market_tm", "trades.extended"))
    fixture["response"]["json"]["trades"][0]["list_item_id"] = []  # PHP's empty object
    register(fixture=fixture)
    assert market.active_trades()[0].items == ()


# ------------------------------------------------------------------ withdraw


def test_withdraw_returns_the_offer_the_bot_sent(market: MarketTM, register: Register) -> None:
    register("trade_request_take.ok")  # no bot= when withdrawing everything
    (trade,) = market.withdraw()
    assert (trade.direction, trade.status) == (Direction.INCOMING, TradeStatus.SENT)
    assert (trade.offer_id, trade.bot_id, trade.secret) == ("1704976549", BOT, "1J10")


@pytest.mark.parametrize(
    "name",
    ["trade_request_take.nothing_to_transfer", "trade_request_take.nothing_to_transfer_string"],
    ids=["3001", "'3001'"],
)
def test_withdraw_with_nothing_to_transfer_returns_no_trades(
    name: str, market: MarketTM, register: Register
) -> None:
    register(name)
    assert market.withdraw() == []


def test_withdraw_of_purchases_asks_the_bot_holding_them(
    market: MarketTM, register: Register, mock: responses.RequestsMock
) -> None:
    register(fixture=_items_answer({"status": "4", "botid": BOT}))
    register(fixture=_take_from_bot(BOT))
    (trade,) = market.withdraw([_purchase("286316844")])
    assert trade.offer_id == "1704976549"
    assert calls_to(mock, TAKE) == 1


def test_withdraw_of_purchases_ignores_items_held_for_other_purchases(
    market: MarketTM, register: Register, mock: responses.RequestsMock
) -> None:
    register(fixture=_items_answer({"item_id": "1", "status": "4", "botid": BOT}))
    assert market.withdraw([_purchase("286316844")]) == []
    assert calls_to(mock, TAKE) == 0


def test_withdraw_of_purchases_not_ready_asks_no_bot(
    market: MarketTM, register: Register, mock: responses.RequestsMock
) -> None:
    register(fixture=_items_answer({"status": "3"}))
    assert market.withdraw([_purchase("286316844")]) == []
    assert calls_to(mock, TAKE) == 0


# ------------------------------------------------------------------ history


def test_history_returns_buy_events_as_purchases_paid_in_minor_units(
    market: MarketTM, register: Register
) -> None:
    register("history.ok")  # date=12312314&date_end=12312714, "paid": "72" RUB
    (purchase,) = market.history(
        datetime.fromtimestamp(12312314, UTC), datetime.fromtimestamp(12312714, UTC)
    )
    assert purchase.id == "286316842"
    assert purchase.price == Money("0.72", "RUB")
    assert purchase.status is TradeStatus.COMPLETED
    assert purchase.created_at == datetime(2018, 12, 31, 4, 12, 40, tzinfo=UTC)


# ------------------------------------------------------------------ retries


def test_a_read_answered_502_twice_is_retried_with_backoff_and_succeeds(
    market: MarketTM, register: Register, clock: FakeClock, mock: responses.RequestsMock
) -> None:
    register("get_money.overload_html")
    register("get_money.overload_html")
    register("get_money.usd")
    assert market.balance().available == Money("123.456", "USD")
    assert len(mock.calls) == 3
    assert len(clock.sleeps) == 2
    assert 0 < clock.sleeps[0] < clock.sleeps[1]


def test_a_read_still_failing_after_max_retries_raises_service_unavailable(
    market: MarketTM, register: Register, mock: responses.RequestsMock
) -> None:
    for _ in range(3):
        register("get_money.overload_html")
    with pytest.raises(sm.errors.ServiceUnavailable):
        market.balance()
    assert len(mock.calls) == 3


def test_a_write_is_never_retried(
    market: MarketTM, register: Register, clock: FakeClock, mock: responses.RequestsMock
) -> None:
    overload = load_fixture("market_tm", "get_money.overload_html")
    overload["request"] = load_fixture("market_tm", "buy.ok")["request"]
    register(fixture=overload)
    register("get_buy_info_by_custom_id.ok")
    offer = Listing(
        market=market.name,
        id="521320033",
        market_hash_name="AWP | Worm God (Factory New)",
        price=Money("3.573", "USD"),
        app_id=730,
    )
    market.buy(offer, custom_id="sandbox-order-0001")
    assert calls_to(mock, "/api/v2/buy") == 1
    assert clock.sleeps == []

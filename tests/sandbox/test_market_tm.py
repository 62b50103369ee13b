"""The real Market TM adapter against the sandbox."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

import skinmarkets as sm
from skinmarkets import errors
from skinmarkets.sandbox import Sandbox

NAME = "AK-47 | Redline (Field-Tested)"


def test_list_buy_withdraw_accept(sb: Sandbox) -> None:
    market = sb.connect("market_tm")
    before = market.balance().available
    listings = market.list_for_sale(NAME)
    assert [x.price for x in listings] == sorted(x.price for x in listings)

    purchase = market.buy(listings[0])

    assert market.balance().available == before - listings[0].price
    assert sb.balance_of("market_tm") == before - listings[0].price
    assert listings[0].id not in [x.id for x in market.list_for_sale(NAME)]  # sold: gone
    (trade,) = market.withdraw()
    assert [t.id for t in market.active_trades()] == [trade.id]
    assert market.get_purchase(purchase.custom_id).trade_offer_id == trade.id  # type: ignore[attr-defined]
    sb.accept(trade)
    assert market.active_trades() == []
    assert market.withdraw() == []  # 3001: nothing to transfer
    assert market.get_purchase(purchase.custom_id).status is sm.TradeStatus.COMPLETED  # type: ignore[attr-defined]


def test_withdraw_named_purchases_through_items(sb: Sandbox) -> None:
    market = sb.connect("market_tm")
    purchase = market.buy(market.list_for_sale(NAME)[0])
    (trade,) = market.withdraw([purchase])
    assert trade.bot_id


def test_duplicate_custom_id_never_double_debits(sb: Sandbox) -> None:
    market = sb.connect("market_tm")
    listings = market.list_for_sale(NAME)
    first = market.buy(listings[0], custom_id="order-1")
    after_first = sb.balance_of("market_tm")

    again = market.buy(listings[0], custom_id="order-1")
    with pytest.raises(errors.DuplicateCustomId):  # one custom_id names one purchase
        market.buy(listings[1], custom_id="order-1")

    assert again.id == first.id
    assert sb.balance_of("market_tm") == after_first


def test_bad_key_is_refused(sb: Sandbox) -> None:
    market = sm.connect("market_tm", api_key="wrong", base_url=sb.base_url("market_tm"))
    with pytest.raises(errors.AuthenticationError):
        market.balance()


def test_server_side_price_cap_and_funds(sb: Sandbox) -> None:
    market = sb.connect("market_tm")
    listing = market.list_for_sale(NAME)[0]
    client = market.client  # type: ignore[attr-defined]
    with pytest.raises(errors.PriceExceeded):
        client.buy(id=listing.id, price=1, custom_id="cheap")
    sb.set_balance("market_tm", "1.00")
    with pytest.raises(errors.InsufficientFunds):
        market.buy(listing)
    assert sb.balance_of("market_tm") == sm.Money("1.00", "USD")


def test_prices_from_the_class_instance_export(sb: Sandbox) -> None:
    quotes = {q.market_hash_name: q for q in sb.connect("market_tm").prices()}  # type: ignore[attr-defined]
    quote = quotes[NAME]
    assert quote.lowest_ask is not None and quote.highest_bid is not None
    assert quote.highest_bid < quote.lowest_ask


def test_rate_limited_read(sb: Sandbox) -> None:
    market = sb.connect("market_tm", max_retries=0)
    sb.fail_next("market_tm", "get_money", "rate_limit")
    with pytest.raises(errors.RateLimited):
        market.balance()
    assert market.balance().available.currency == "USD"


def test_history_lists_the_accounts_purchases_in_the_window(sb: Sandbox) -> None:
    market = sb.connect("market_tm")
    listing = market.list_for_sale(NAME)[0]
    bought = market.buy(listing, custom_id="hist-1")
    sb.give_item("market_tm", "Spectrum 2 Case")  # owned, not bought: not history
    since = datetime.now(tz=UTC) - timedelta(minutes=5)

    (entry,) = market.history(since)  # type: ignore[attr-defined]

    assert entry.id == bought.id and entry.custom_id == "hist-1"
    assert entry.price == listing.price and entry.market_hash_name == NAME
    assert entry.status is sm.TradeStatus.PENDING
    assert market.history(since - timedelta(days=1), since) == []  # type: ignore[attr-defined]


def test_buy_for_sends_the_item_to_another_trade_link(sb: Sandbox) -> None:
    market = sb.connect("market_tm")
    listing = market.list_for_sale(NAME)[0]
    before = sb.balance_of("market_tm")
    client = market.client  # type: ignore[attr-defined]

    answer = client.buy_for(
        id=listing.id, price=4_000_000, partner="87654321", token="Friend1", custom_id="gift-1"
    )

    assert sb.balance_of("market_tm") == before - listing.price
    gift = market.get_purchase("gift-1")  # type: ignore[attr-defined]
    assert gift.id == answer.id and gift.status is sm.TradeStatus.COMPLETED
    assert market.withdraw() == []  # it never reached the account
    assert market.history(datetime.now(tz=UTC) - timedelta(minutes=5))[0].raw["for"] == "87654321"  # type: ignore[attr-defined]


def test_buy_for_refuses_a_bad_trade_link_and_a_used_custom_id(sb: Sandbox) -> None:
    market = sb.connect("market_tm")
    listing = market.list_for_sale(NAME)[0]
    client = market.client  # type: ignore[attr-defined]
    with pytest.raises(errors.TradeError):
        client.buy_for(id=listing.id, price=4_000_000, partner="nobody", token="x")
    market.buy(listing, custom_id="taken")
    with pytest.raises(errors.DuplicateCustomId):
        client.buy_for(hash_name=NAME, price=4_000_000, partner="1", token="x", custom_id="taken")
    assert sb.balance_of("market_tm") == sm.Money("500.00", "USD") - listing.price

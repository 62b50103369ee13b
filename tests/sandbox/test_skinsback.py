"""The real SkinsBack adapter against the sandbox (signed requests, delivery at purchase)."""

from __future__ import annotations

import pytest
import requests

import skinmarkets as sm
from skinmarkets import errors
from skinmarkets.sandbox import Sandbox

NAME = "AK-47 | Redline (Field-Tested)"


def test_list_buy_delivered_at_once_accept(sb: Sandbox) -> None:
    market = sb.connect("skinsback")
    before = market.balance().available
    listing = market.list_for_sale(NAME)[0]

    purchase = market.buy(listing)

    assert market.balance().available == before - listing.price
    assert listing.id not in [x.id for x in market.list_for_sale(NAME)]
    assert purchase.status is sm.TradeStatus.SENT
    (trade,) = market.withdraw()  # nothing to withdraw: the offer under way
    assert [t.id for t in market.active_trades()] == [trade.id]
    sb.accept(trade)
    assert market.active_trades() == []
    assert market.get_purchase(purchase.custom_id).status is sm.TradeStatus.COMPLETED  # type: ignore[attr-defined]


def test_expired_offer_is_timed_out(sb: Sandbox) -> None:
    market = sb.connect("skinsback")
    purchase = market.buy(market.list_for_sale(NAME)[0])
    sb.advance(11 * 60)
    assert market.active_trades() == []
    assert market.get_purchase(purchase.custom_id).status is sm.TradeStatus.TIMED_OUT  # type: ignore[attr-defined]


def test_duplicate_custom_id_never_double_debits(sb: Sandbox) -> None:
    market = sb.connect("skinsback")
    listings = market.list_for_sale(NAME)
    first = market.buy(listings[0], custom_id="order-1")
    after = sb.balance_of("skinsback")
    again = market.buy(listings[0], custom_id="order-1")
    with pytest.raises(errors.DuplicateCustomId):  # one custom_id names one purchase
        market.buy(listings[1], custom_id="order-1")
    assert again.id == first.id
    assert sb.balance_of("skinsback") == after


def test_bad_secret_is_refused_by_signature(sb: Sandbox) -> None:
    options = sb.credentials("skinsback") | {"client_secret": "wrong"}
    market = sm.connect("skinsback", base_url=sb.base_url("skinsback"), **options)
    with pytest.raises(errors.AuthenticationError):
        market.balance()


def test_unsigned_request_is_refused(sb: Sandbox) -> None:
    answer = requests.post(
        f"{sb.base_url('skinsback')}/api.php", data={"method": "balance"}, timeout=5
    )
    assert answer.json()["error_code"] in (-2, -3)


def test_server_side_max_price_and_funds(sb: Sandbox) -> None:
    market = sb.connect("skinsback")
    listing = market.list_for_sale(NAME)[0]
    client = market.client  # type: ignore[attr-defined]
    with pytest.raises(errors.PriceExceeded):
        client.market_buy(partner="1", token="t", id=listing.id, max_price="0.01", custom_id="c")
    sb.set_balance("skinsback", "0.50")
    with pytest.raises(errors.InsufficientFunds):
        market.buy(listing)


def test_prices(sb: Sandbox) -> None:
    quotes = {q.market_hash_name: q for q in sb.connect("skinsback").prices()}  # type: ignore[attr-defined]
    assert quotes[NAME].lowest_ask == sm.Money("12.40", "USD")


def test_rate_limit_is_the_vendors_error_minus_7(sb: Sandbox) -> None:
    market = sb.connect("skinsback", max_retries=0)
    sb.fail_next("skinsback", "balance", "rate_limit")
    with pytest.raises(errors.RateLimited):
        market.balance()

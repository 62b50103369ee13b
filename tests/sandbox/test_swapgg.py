"""The real swap.gg adapter against the sandbox."""

from __future__ import annotations

import pytest

import skinmarkets as sm
from skinmarkets import errors
from skinmarkets.sandbox import Sandbox

NAME = "AWP | Asiimov (Field-Tested)"


def test_list_buy_withdraw_accept(sb: Sandbox) -> None:
    market = sb.connect("swapgg")
    before = market.balance().available
    listing = market.list_for_sale(NAME)[0]

    market.buy(listing)

    assert market.balance().available == before - listing.price
    assert listing.id not in [x.id for x in market.list_for_sale(NAME)]
    (trade,) = market.withdraw()
    (offer,) = market.active_trades()
    assert offer.id == trade.id and offer.status is sm.TradeStatus.SENT
    sb.accept(offer)
    assert market.active_trades() == []
    assert market.withdraw() == []


def test_browse_pages(sb: Sandbox) -> None:
    client = sb.connect("swapgg").client  # type: ignore[attr-defined]
    first = client.sales_browse({"appId": "730"}, skip=0, limit=5)
    second = client.sales_browse({"appId": "730"}, skip=5, limit=5)
    assert len(first.items) == 5 and first.pagination.more
    assert not {i.itemId for i in first.items} & {i.itemId for i in second.items}
    assert len(sb.connect("swapgg").list_for_sale(NAME, limit=2)) == 2


def test_duplicate_custom_id_never_double_debits(sb: Sandbox) -> None:
    market = sb.connect("swapgg")
    listings = market.list_for_sale(NAME)
    first = market.buy(listings[0], custom_id="order-1")
    after = sb.balance_of("swapgg")
    assert market.buy(listings[0], custom_id="order-1") == first
    with pytest.raises(errors.DuplicateCustomId):  # one custom_id names one purchase
        market.buy(listings[1], custom_id="order-1")
    assert sb.balance_of("swapgg") == after


def test_bad_key_is_refused(sb: Sandbox) -> None:
    market = sm.connect("swapgg", api_key="wrong", base_url=sb.base_url("swapgg"))
    with pytest.raises(errors.AuthenticationError):
        market.balance()


def test_insufficient_balance(sb: Sandbox) -> None:
    market = sb.connect("swapgg")
    sb.set_balance("swapgg", "1")
    with pytest.raises(errors.InsufficientFunds):
        market.buy(market.list_for_sale(NAME)[0])


def test_prices(sb: Sandbox) -> None:
    quotes = {q.market_hash_name: q for q in sb.connect("swapgg").prices()}  # type: ignore[attr-defined]
    assert quotes[NAME].lowest_ask is not None
    assert quotes[NAME].lowest_ask.currency == "EUR"


def test_rate_limit(sb: Sandbox) -> None:
    market = sb.connect("swapgg", max_retries=0)
    sb.fail_next("swapgg", "user_balance", "rate_limit")
    with pytest.raises(errors.RateLimited):
        market.balance()

"""The real Mannco adapter against the sandbox (JWT login, on-site inventory, bot trades)."""

from __future__ import annotations

import pytest

import skinmarkets as sm
from skinmarkets import errors
from skinmarkets.sandbox import Sandbox
from skinmarkets.sandbox._catalog import CATALOGUE
from skinmarkets.sandbox._server import Request

NAME = "Mann Co. Supply Crate Key"


def test_list_buy_withdraw_accept(sb: Sandbox) -> None:
    market = sb.connect("mannco")
    before = market.balance().available
    listing = market.list_for_sale(NAME)[0]

    market.buy(listing)

    assert market.balance().available == before - listing.price
    assert listing.id not in [x.id for x in market.list_for_sale(NAME)]
    (trade,) = market.withdraw()
    assert [t.id for t in market.active_trades()] == [trade.id]
    assert trade.status is sm.TradeStatus.SENT and trade.items == (listing.asset_id,)
    sb.accept(trade)
    assert market.active_trades() == []
    assert market.withdraw() == []
    assert market.all_trades()[0].status is sm.TradeStatus.COMPLETED  # type: ignore[attr-defined]


def test_unknown_name_has_no_listings(sb: Sandbox) -> None:
    assert sb.connect("mannco").list_for_sale("No Such Hat") == []


def test_duplicate_custom_id_never_double_debits(sb: Sandbox) -> None:
    market = sb.connect("mannco")
    listings = market.list_for_sale(NAME)
    first = market.buy(listings[0], custom_id="order-1")
    after = sb.balance_of("mannco")
    assert market.buy(listings[0], custom_id="order-1") == first
    with pytest.raises(errors.DuplicateCustomId):  # one custom_id names one purchase
        market.buy(listings[1], custom_id="order-1")
    assert sb.balance_of("mannco") == after


def test_bad_key_is_refused_at_login(sb: Sandbox) -> None:
    market = sm.connect("mannco", api_key="wrong", base_url=sb.base_url("mannco"))
    with pytest.raises(errors.AuthenticationError):
        market.balance()


def test_not_enough_balance(sb: Sandbox) -> None:
    market = sb.connect("mannco")
    sb.set_balance("mannco", "0.10")
    with pytest.raises(errors.InsufficientFunds):
        market.buy(market.list_for_sale(NAME)[0])


def test_prices_of_resolved_names(sb: Sandbox) -> None:
    market = sb.connect("mannco")
    (quote,) = market.prices(names=[NAME])  # type: ignore[attr-defined]
    assert quote.lowest_ask is not None and quote.highest_bid is not None


def test_prices_of_named_items_cover_the_catalogue_and_leave_out_unknown_names(
    sb: Sandbox,
) -> None:
    names = [item.market_hash_name for item in CATALOGUE]
    market = sb.connect("mannco")

    quotes = market.prices(names=[*names, "No Such Hat"])  # type: ignore[attr-defined]

    assert sorted(q.market_hash_name for q in quotes) == sorted(names)
    assert all(q.lowest_ask is not None and q.lowest_ask.currency == "USD" for q in quotes)


def test_a_compare_of_named_items_includes_mannco(sb: Sandbox) -> None:
    names = [item.market_hash_name for item in CATALOGUE]

    table = sm.compare({"mannco": sb.connect("mannco")}, [*names, "No Such Hat"])

    assert sorted(table.rows) == sorted(names)
    assert all("mannco" in row for row in table.rows.values())
    assert table.not_listed == ("No Such Hat",) and not table.skipped and not table.failures


def test_another_sandbox_market_on_its_store_resolves_no_name_again(sb: Sandbox) -> None:
    asked: list[str] = []
    emulation = sb.server.vendors["mannco"]
    operation = emulation.operation

    def counting(request: Request) -> str:
        asked.append(operation(request))
        return asked[-1]

    emulation.operation = counting  # type: ignore[method-assign]
    names = [item.market_hash_name for item in CATALOGUE]
    sb.connect("mannco").prices(names=names)  # type: ignore[attr-defined]
    resolved = asked.count("item_details")

    again = sb.connect("mannco").prices(names=names)  # type: ignore[attr-defined]

    assert resolved >= len(names)
    assert asked.count("item_details") == resolved
    assert len(again) == len(names)


def test_rate_limit(sb: Sandbox) -> None:
    market = sb.connect("mannco", max_retries=0)
    market.balance()  # logged in
    sb.fail_next("mannco", "user_balance", "rate_limit")
    with pytest.raises(errors.RateLimited):
        market.balance()

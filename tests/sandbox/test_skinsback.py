"""The real SkinsBack adapter against the sandbox (signed requests, delivery at purchase)."""

from __future__ import annotations

import pytest
import requests

import skinmarkets as sm
from skinmarkets import errors
from skinmarkets.sandbox import Sandbox
from skinmarkets.vendors.skinsback import BatchOrder

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


# ---------------------------------------------------------------------------- market_batch_buy


def test_batch_buys_two_listings_in_one_request(sb: Sandbox) -> None:
    market = sb.connect("skinsback")
    before = sb.balance_of("skinsback")
    first, second = market.list_for_sale(NAME)[:2]

    results = market.buy_many(  # type: ignore[attr-defined]
        [BatchOrder(first, custom_id="batch-1"), BatchOrder(second, custom_id="batch-2")]
    )

    assert [(r.custom_id, r.ok, r.error) for r in results] == [
        ("batch-1", True, None),
        ("batch-2", True, None),
    ]
    assert sb.balance_of("skinsback") == before - first.price - second.price
    left = {x.id for x in market.list_for_sale(NAME)}
    assert first.id not in left and second.id not in left
    for result in results:
        assert result.purchase.status is sm.TradeStatus.SENT  # delivered at purchase time
        bought = market.get_purchase(result.custom_id)  # type: ignore[attr-defined]
        assert bought.id == result.purchase.id


def test_batch_refuses_a_too_dear_item_and_buys_the_rest(sb: Sandbox) -> None:
    market = sb.connect("skinsback")
    cheap, dear = market.list_for_sale(NAME)[:2]
    sb.state.offers["skinsback"][dear.id].price += 1  # repriced after it was read
    before = sb.balance_of("skinsback")

    answer = market.client.market_batch_buy(  # type: ignore[attr-defined]
        partner="12345678",
        token="SandBox1",
        items=[
            {"id": cheap.id, "max_price": str(cheap.price.amount), "custom_id": "ok-1"},
            {"id": dear.id, "max_price": str(dear.price.amount), "custom_id": "dear-1"},
        ],
    )

    assert [p.custom_id for p in answer.purchased] == ["ok-1"]
    assert answer.purchased[0].balance_debited_sum == cheap.price.amount
    assert answer.unavailable == [
        {
            "id": dear.id,
            "custom_id": "dear-1",
            "error_code": 6,
            "error_message": "skins_not_found_at_specified_price",
        }
    ]
    assert sb.balance_of("skinsback") == before - cheap.price
    assert dear.id in {x.id for x in market.list_for_sale(NAME)}  # still for sale


def test_batch_adapter_reports_the_refused_item_as_its_error(sb: Sandbox) -> None:
    market = sb.connect("skinsback")
    cheap, dear = market.list_for_sale(NAME)[:2]
    sb.state.offers["skinsback"][dear.id].price += 1

    ok, refused = market.buy_many([cheap, dear])  # type: ignore[attr-defined]

    assert ok.ok and ok.purchase.price == cheap.price
    assert refused.purchase is None and isinstance(refused.error, errors.PriceExceeded)


def test_a_repeated_batch_with_the_same_custom_ids_buys_nothing_new(sb: Sandbox) -> None:
    market = sb.connect("skinsback")
    first, second = market.list_for_sale(NAME)[:2]
    items = [
        {"id": first.id, "max_price": str(first.price.amount), "custom_id": "again-1"},
        {"id": second.id, "max_price": str(second.price.amount), "custom_id": "again-2"},
    ]
    client = market.client  # type: ignore[attr-defined]
    bought = client.market_batch_buy(partner="12345678", token="SandBox1", items=items)
    after = sb.balance_of("skinsback")

    again = client.market_batch_buy(partner="12345678", token="SandBox1", items=items)

    assert len(bought.purchased) == 2
    assert again.purchased == []
    assert [(u["custom_id"], u["error_code"]) for u in again.unavailable] == [
        ("again-1", 7),
        ("again-2", 7),
    ]
    assert sb.balance_of("skinsback") == after
    assert len([p for p in sb.state.purchases["skinsback"] if p.bought]) == 2


def test_a_garbled_batch_answer_is_looked_up_per_item(sb: Sandbox) -> None:
    market = sb.connect("skinsback", max_retries=0)
    first, second = market.list_for_sale(NAME)[:2]
    sb.fail_next("skinsback", "buy_many", "garbled")  # done, then the answer cut in half

    results = market.buy_many([first, second])  # type: ignore[attr-defined]

    assert all(r.ok for r in results)
    assert {r.purchase.custom_id for r in results} == {r.custom_id for r in results}

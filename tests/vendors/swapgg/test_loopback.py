"""swap.gg over real HTTP on 127.0.0.1: pagination of sales/browse, and 429 handling.

No real waiting: the transport's back-off and the limiter sleep on a fake clock.
"""

from __future__ import annotations

import json
import threading

import pytest

import skinmarkets as sm
from skinmarkets import Money, errors
from skinmarkets._ratelimit import RateLimit, SlidingWindowLimiter
from skinmarkets.vendors.swapgg import SwapGG
from tests.integration.loopback import LoopbackServer, RecordedRequest, Reply, loopback
from tests.support import FakeClock, load_fixture
from tests.vendors.swapgg.pages import NAME, sale_items

pytestmark = pytest.mark.integration

__all__ = ["loopback"]  # the fixture, imported so pytest finds it

KEY = "k-swapgg-loopback-1"


def _market(server: LoopbackServer, clock: FakeClock) -> SwapGG:
    market = sm.connect("swapgg", api_key=KEY, base_url=server.url)
    assert isinstance(market, SwapGG)
    transport = market.client.transport
    transport._sleep = clock.sleep
    transport._jitter = lambda: 0.0
    transport.limiter = SlidingWindowLimiter(RateLimit(10, 5.0), clock=clock, sleep=clock.sleep)
    return market


def test_list_for_sale_pages_through_short_pages_with_skip(loopback: object) -> None:
    items = sale_items()

    def browse(request: RecordedRequest) -> Reply:
        page = json.loads(request.body)["pagination"]
        chunk = items[page["skip"] : page["skip"] + min(page["limit"], 2)]  # short pages
        more = page["skip"] + len(chunk) < len(items)
        return Reply.json(
            {"status": "OK", "result": chunk, "pagination": {"more": more, "total": len(items)}}
        )

    server = loopback(browse)  # type: ignore[operator]
    with _market(server, FakeClock()) as market:
        listings = market.list_for_sale(NAME, limit=3)

    assert [listing.id for listing in listings] == ["rdLnPg1aA", "rdLnPg1bB", "rdLnPg2cC"]
    sent = [json.loads(r.body) for r in server.requests]
    assert [(s["pagination"]["skip"], s["pagination"]["limit"]) for s in sent] == [(0, 3), (2, 3)]
    assert all(r.header("Authorization") == KEY for r in server.requests)


def test_a_429_on_a_read_waits_retry_after_then_succeeds(loopback: object) -> None:
    limited = threading.Event()
    balance = load_fixture("swapgg", "user_balance.ok")["response"]["json"]

    def answer(request: RecordedRequest) -> Reply:
        if not limited.is_set():
            limited.set()
            return Reply.json({"status": "RATE_LIMIT"}, status=429, headers={"Retry-After": "2"})
        return Reply.json(balance)

    server = loopback(answer)  # type: ignore[operator]
    clock = FakeClock()
    with _market(server, clock) as market:
        assert market.balance().available == Money("23.38", "EUR")

    assert len(server.requests) == 2
    assert sum(clock.sleeps) >= 2


def test_a_429_on_a_purchase_raises_rate_limited_and_is_sent_once(loopback: object) -> None:
    def answer(request: RecordedRequest) -> Reply:
        if request.path == "/v1/sales/browse":  # the price re-check before paying
            return Reply.json({"status": "OK", "result": sale_items()[:1]})
        return Reply.json({"status": "RATE_LIMIT"}, status=429, headers={"Retry-After": "5"})

    server = loopback(answer)  # type: ignore[operator]
    listing = sm.Listing(
        market="swapgg",
        id="rdLnPg1aA",
        market_hash_name=NAME,
        price=Money("8.50", "EUR"),
        app_id=730,
    )
    clock = FakeClock()
    with _market(server, clock) as market, pytest.raises(errors.RateLimited) as caught:
        market.buy(listing)

    assert caught.value.retry_after == 5
    # the sale's price is read again first, then the purchase is sent once
    assert [r.path for r in server.requests] == ["/v1/sales/browse", "/v1/sales/purchase"]
    assert clock.sleeps == []

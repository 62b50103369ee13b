"""Mannco over real HTTP on 127.0.0.1: login -> 403 -> login again -> success, and no loop;
prices(names=…) resolving names side by side, once per store, within the limit."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

import skinmarkets as sm
from skinmarkets import errors
from skinmarkets._ratelimit import RateLimit, SlidingWindowLimiter
from skinmarkets.vendors.mannco import Mannco
from tests.integration.loopback import LoopbackServer, RecordedRequest, Reply, loopback

pytestmark = pytest.mark.integration

__all__ = ["loopback"]  # the fixture, imported so pytest finds it

KEY = "k-mannco-loopback-1"
REFUSED = {"err": True, "success": False, "content": "Invalid or expired token"}


class Server:
    """Hands out jwt-1, jwt-2, … at each login; refuses the first ``refusals`` balance reads."""

    def __init__(self, refusals: int) -> None:
        self.refusals = refusals
        self.logins = 0
        self._lock = threading.Lock()

    def __call__(self, request: RecordedRequest) -> Reply:
        with self._lock:
            if request.method == "POST" and request.path == "/user/login":
                assert json.loads(request.body) == {"apiKey": KEY}
                self.logins += 1
                jwt = f"jwt-loopback-{self.logins}"
                return Reply.json({"err": False, "success": True, "content": {"jwt": jwt}})
            if request.method == "GET" and request.path == "/user/balance":
                if self.refusals > 0:
                    self.refusals -= 1
                    return Reply.json(REFUSED, status=403)
                return Reply.json({"err": False, "success": True, "content": {"balance": 12345}})
        return Reply.json({"err": True, "success": False, "content": "Not found"}, status=404)


def _market(server: LoopbackServer) -> Mannco:
    market = sm.connect("mannco", api_key=KEY, base_url=server.url, max_retries=0)
    assert isinstance(market, Mannco)
    return market


def test_a_refused_token_is_renewed_by_a_second_login_and_the_read_succeeds(
    loopback: object,
) -> None:
    handler = Server(refusals=1)
    server = loopback(handler)  # type: ignore[operator]
    with _market(server) as market:
        balance = market.balance()

    assert balance.available == sm.Money("123.45", "USD")
    seen = [(r.method, r.path, r.header("Authorization")) for r in server.requests]
    assert seen == [
        ("POST", "/user/login", None),
        ("GET", "/user/balance", "Bearer jwt-loopback-1"),
        ("POST", "/user/login", None),
        ("GET", "/user/balance", "Bearer jwt-loopback-2"),
    ]


def test_a_second_refusal_is_raised_after_one_renewal_never_looping(loopback: object) -> None:
    handler = Server(refusals=100)
    server = loopback(handler)  # type: ignore[operator]
    with _market(server) as market, pytest.raises(errors.AuthenticationError) as caught:
        market.balance()

    assert caught.value.http_status == 403
    assert handler.logins == 2
    assert [r.path for r in server.requests].count("/user/balance") == 2


# ---------------------------------------------------------------------- prices(names=) over HTTP


class Catalogue:
    """Login, item details by slug and pricing/bulk for ``count`` CS2 items; counts how many
    requests are being answered at once, and can hold item details at a barrier."""

    def __init__(self, count: int, barrier: threading.Barrier | None = None) -> None:
        self.items = {
            f"730-test-rifle-{n:04d}-field-tested": (str(300_000 + n), f"Test Rifle {n:04d}")
            for n in range(count)
        }
        self.barrier = barrier
        self.now = 0
        self.most = 0
        self._lock = threading.Lock()

    def __call__(self, request: RecordedRequest) -> Reply:
        with self._lock:
            self.now += 1
            self.most = max(self.most, self.now)
        try:
            return self._answer(request)
        finally:
            with self._lock:
                self.now -= 1

    def _answer(self, request: RecordedRequest) -> Reply:
        if request.path == "/user/login":
            return Reply.json({"err": False, "success": True, "content": {"jwt": "jwt-names"}})
        if request.path.startswith("/item/details/"):
            if self.barrier is not None:
                self.barrier.wait()
            found = self.items.get(request.path.rsplit("/", 1)[1])
            if found is None:
                return Reply.json(
                    {"err": True, "success": False, "content": "Item not found"}, status=404
                )
            info = {"id": int(found[0]), "name": f"{found[1]} (Field-Tested)", "game": 730}
            return Reply.json({"err": False, "success": True, "content": {"informations": info}})
        if request.path == "/item/pricing/bulk":
            rows = [
                {"item_id": int(i), "pricing": {"lowest_sale_price": 250}}
                for i in request.query["items"][0].split(",")
            ]
            return Reply.json({"err": False, "success": True, "content": {"items": rows}})
        return Reply.json({"err": True, "success": False, "content": "Not found"}, status=404)


NAMES = [f"Test Rifle {n:04d} (Field-Tested)" for n in range(8)]


def test_names_resolve_four_at_a_time_over_http_and_once_per_store(
    loopback: object, tmp_path: Path
) -> None:
    handler = Catalogue(8, threading.Barrier(4, timeout=10))
    server = loopback(handler)  # type: ignore[operator]
    store = str(tmp_path / "store.sqlite3")  # its limiter is the SQLite one, taken by 4 threads
    with sm.connect("mannco", api_key=KEY, base_url=server.url, store=store) as market:
        quotes = market.prices(names=NAMES)  # type: ignore[attr-defined]
    with sm.connect("mannco", api_key=KEY, base_url=server.url, store=store) as market:
        again = market.prices(names=NAMES)  # type: ignore[attr-defined]

    assert sorted(q.market_hash_name for q in quotes) == sorted(q.market_hash_name for q in again)
    assert len(quotes) == 8 and quotes[0].lowest_ask == sm.Money("2.50", "USD")
    assert handler.most == 4
    paths = [r.path for r in server.requests]
    assert sum(p.startswith("/item/details/") for p in paths) == 8  # the second market: none
    assert all(
        r.header("Authorization") == "Bearer jwt-names"
        for r in server.requests
        if r.path != "/user/login"
    )


def test_names_resolved_side_by_side_never_arrive_faster_than_the_limit(
    loopback: object,
) -> None:
    handler = Catalogue(12)
    server = loopback(handler)  # type: ignore[operator]
    limit = RateLimit(3, 0.25)
    with _market(server) as market:
        limiter = SlidingWindowLimiter(limit)
        for transport in (market.client.transport, market.client.login_transport):
            transport.limiter = limiter
        quotes = market.prices(names=[*NAMES, "Test Rifle 0011 (Field-Tested)", "Nothing"])

    assert len(quotes) == 9
    arrivals = server.arrivals()
    assert len(arrivals) == 1 + 9 + 4 + 1  # login, 9 found, "Nothing" in 4 games, one bulk
    for first in arrivals:  # no 0.25 s window at the server holds more than 3 arrivals
        assert sum(1 for t in arrivals if first <= t < first + limit.per_seconds) <= 3

"""Mannco over real HTTP on 127.0.0.1: login -> 403 -> login again -> success, and no loop."""

from __future__ import annotations

import json
import threading

import pytest

import skinmarkets as sm
from skinmarkets import errors
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

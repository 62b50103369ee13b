"""Over real HTTP: a loopback server that checks every request's signature the way SkinsBack does.

The server reads the form as PHP would, recomputes the HMAC-SHA1 with its own code
(``phpform.expected_sign``) and answers ``-3 invalid_signature`` when it does not match.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import skinmarkets as sm
from skinmarkets import errors
from tests.integration.loopback import LoopbackServer, RecordedRequest, Reply
from tests.support import load_fixture
from tests.vendors.skinsback.conftest import CLIENT_ID, CLIENT_SECRET, TRADE_URL
from tests.vendors.skinsback.phpform import php_form, signed_by

ANSWERS = {
    "balance": "balance.ok",
    "market_search": "market_search.ok",
    "market_buy": "market_buy.ok",
    "market_getinfo": "market_getinfo.ok_custom_ids",
}
Start = Callable[[Callable[[RecordedRequest], Reply]], LoopbackServer]


def _vendor(request: RecordedRequest) -> Reply:
    form = php_form(request.body)
    if request.method != "POST" or request.path != "/api.php":
        return Reply.json(
            load_fixture("skinsback", "errors.please_use_post_method")["response"]["json"]
        )
    if not signed_by(form, CLIENT_ID, CLIENT_SECRET):
        return Reply.json(load_fixture("skinsback", "errors.invalid_signature")["response"]["json"])
    name = ANSWERS.get(str(form.get("method")))
    if name is None:
        return Reply.json(load_fixture("skinsback", "errors.invalid_method")["response"]["json"])
    return Reply.json(load_fixture("skinsback", name)["response"]["json"])


def _market(server: LoopbackServer, **options: Any) -> sm.Marketplace:
    settings: dict[str, Any] = {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "trade_url": TRADE_URL,
        "base_url": server.url,
        "max_retries": 0,
    }
    settings.update(options)
    return sm.connect("skinsback", **settings)


def test_signed_requests_are_accepted_by_a_server_checking_the_hmac(loopback: Start) -> None:
    server = loopback(_vendor)
    market = _market(server)
    assert market.balance().available == sm.Money("123.456", "USD")
    listing = market.list_for_sale("SSG 08 | Fever Dream (Field-Tested)")[0]
    market.buy(listing, custom_id="wd-42")
    assert [php_form(r.body)["method"] for r in server.requests] == [
        "balance",
        "market_search",
        "market_buy",
    ]
    assert all(signed_by(php_form(r.body), CLIENT_ID, CLIENT_SECRET) for r in server.requests)


def test_every_value_arrives_as_the_string_that_was_signed(loopback: Start) -> None:
    server = loopback(_vendor)
    market = _market(server)
    listing = market.list_for_sale("SSG 08 | Fever Dream (Field-Tested)")[0]
    market.buy(listing, custom_id="wd-42")
    form = php_form(server.requests[-1].body)
    assert form["max_price"] == "77.02"
    assert (form["partner"], form["token"], form["id"]) == ("12345678", "AbCdEfGh", "2715")
    assert server.requests[-1].header("Content-Type") == "application/x-www-form-urlencoded"


def test_a_wrong_secret_is_refused_by_the_server_as_authentication(loopback: Start) -> None:
    server = loopback(_vendor)
    market = _market(server, client_secret="not-the-secret")
    with pytest.raises(errors.AuthenticationError):
        market.balance()


def test_array_parameters_reach_the_server_unsigned_but_intact(loopback: Start) -> None:
    server = loopback(_vendor)
    market = _market(server)
    market.get_purchase("wd-42")  # type: ignore[attr-defined]
    assert php_form(server.requests[-1].body)["custom_ids"] == ["wd-42"]

"""Credentials the Market TM client handles never reach logs, URLs or error messages."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pytest
import requests
import responses

import skinmarkets as sm
from skinmarkets import _secret
from skinmarkets.vendors.market_tm import MarketTM
from skinmarkets.vendors.market_tm.client import MarketTMClient
from tests.support import load_fixture
from tests.vendors.market_tm.conftest import API_KEY, BASE_URL, Register

MONEY_SEND = load_fixture("market_tm", "money_send.ok")
RECIPIENT = MONEY_SEND["request"]["path"].rsplit("/", 1)[1]
PAY_PASS = MONEY_SEND["request"]["query"]["pay_pass"]


def _send(market: MarketTM) -> None:
    market.client.money_send(amount=1000, user_api_key=RECIPIENT, pay_pass=PAY_PASS)


def test_money_send_never_logs_the_recipients_key_or_the_pay_password(
    market: MarketTM, register: Register, caplog: pytest.LogCaptureFixture
) -> None:
    register(fixture=MONEY_SEND)
    with caplog.at_level(logging.DEBUG, logger="skinmarkets"):
        _send(market)
    assert "money-send" in caplog.text
    assert RECIPIENT not in caplog.text
    assert PAY_PASS not in caplog.text


def test_money_send_whose_answer_is_lost_names_no_recipient_key(
    market: MarketTM, mock: responses.RequestsMock
) -> None:
    mock.add(
        responses.GET,
        BASE_URL + MONEY_SEND["request"]["path"],
        body=requests.exceptions.ReadTimeout("timed out"),
    )
    with pytest.raises(sm.errors.OutcomeUnknown) as lost:
        _send(market)
    assert "money_send" in str(lost.value)
    assert RECIPIENT not in str(lost.value)


def test_the_api_key_is_sent_only_in_the_header_and_never_logged(
    market: MarketTM,
    register: Register,
    mock: responses.RequestsMock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    register("get_money.usd")
    with caplog.at_level(logging.DEBUG, logger="skinmarkets"):
        market.balance()
    sent = mock.calls[0].request
    assert sent.headers["X-API-KEY"] == API_KEY
    assert API_KEY not in str(sent.url)
    assert "get-money" in caplog.text
    assert API_KEY not in caplog.text


def _q(name: str) -> dict[str, Any]:
    query: dict[str, Any] = load_fixture("market_tm", name)["request"]["query"]
    return query


# fixture, the credentials it puts in the URL, the client call that sends it
IN_URL: dict[str, tuple[list[str], Callable[[MarketTMClient], object]]] = {
    "transfer_discounts.ok": (
        [_q("transfer_discounts.ok")["to"]],
        lambda c: c.transfer_discounts(**_q("transfer_discounts.ok")),
    ),
    "set_pay_password.ok": (
        list(_q("set_pay_password.ok").values()),
        lambda c: c.set_pay_password(**_q("set_pay_password.ok")),
    ),
    "set_steam_api_key.ok": (
        [_q("set_steam_api_key.ok")["steam-api-key"]],
        lambda c: c.set_steam_api_key(_q("set_steam_api_key.ok")["steam-api-key"]),
    ),
    "set_trade_token.ok": (
        [_q("set_trade_token.ok")["token"]],
        lambda c: c.set_trade_token(_q("set_trade_token.ok")["token"]),
    ),
    "buy_for.ok": (
        [_q("buy_for.ok")["token"]],
        lambda c: c.buy_for(
            price=int(_q("buy_for.ok")["price"]),
            partner=_q("buy_for.ok")["partner"],
            token=_q("buy_for.ok")["token"],
            custom_id=_q("buy_for.ok")["custom_id"],
            id=_q("buy_for.ok")["id"],
        ),
    ),
    "money_send.ok": ([RECIPIENT, PAY_PASS], lambda c: _send_with(c)),
}


def _send_with(client: MarketTMClient) -> None:
    client.money_send(amount=1000, user_api_key=RECIPIENT, pay_pass=PAY_PASS)


@pytest.mark.parametrize("name", list(IN_URL))
def test_credentials_a_method_puts_in_the_url_are_scrubbed_from_any_log_line(
    name: str, market: MarketTM, register: Register, monkeypatch: pytest.MonkeyPatch
) -> None:
    # urllib3 logs "GET /api/v2/...?to=<key>" itself; only registered values are scrubbed there.
    monkeypatch.setattr(_secret, "_SECRETS", _secret._SecretRegistry())  # forget earlier tests
    credentials, send = IN_URL[name]
    lines = [f"GET /api/v2/x?value={credential} HTTP/1.1" for credential in credentials]
    assert [_secret.scrub(line) for line in lines] == lines
    register(name)
    send(market.client)
    for credential, line in zip(credentials, lines, strict=True):
        assert credential not in _secret.scrub(line)

"""Transport edges: odd headers, odd charsets, credentials spelt as a URL spells them or that no
header can carry, and secrets astride the cut of a kept body."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterator

import pytest
import responses

from skinmarkets import _secret, errors
from skinmarkets._errortable import MESSAGE_MAX
from skinmarkets._http import (
    EnvelopeReader,
    HeaderKeyAuth,
    HttpAnswer,
    parse_retry_after,
    register_secret,
)
from skinmarkets._secret import Secret
from skinmarkets.vendors.mannco.errors import read_envelope as mannco_envelope
from skinmarkets.vendors.market_tm.client import MarketTMClient
from skinmarkets.vendors.market_tm.errors import read_envelope as market_tm_envelope
from skinmarkets.vendors.skinsback.errors import read_envelope as skinsback_envelope
from skinmarkets.vendors.swapgg.errors import read_envelope as swapgg_envelope
from tests.contract.loopback import serving
from tests.transport_support import BASE_URL, SECRET_VALUE, make_transport, raised_by

#: A garbled HTTP date whose fields overflow a C int / long when parsed.
OVERFLOWING_DATES = [
    "Mon, 01 Jan 2020 00:00:00 +99999999999999999999",
    "Mon, 01 Jan 2020 99999999999999999999:00:00 GMT",
    "Mon, 01 Jan 2020 00:00:99999999999999 GMT",
]


@pytest.fixture
def mock() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as m:
        yield m


def _texts(error: BaseException) -> str:
    chained = [error.__cause__, error.__context__]
    return " ".join(
        ["".join(traceback.format_exception(error)), str(error), repr(error)]
        + [repr(e) for e in chained if e is not None]
    )


# --------------------------------------------------------------------------- Retry-After


@pytest.mark.parametrize("value", OVERFLOWING_DATES)
def test_a_retry_after_date_with_overflowing_fields_is_no_wait(value: str) -> None:
    assert parse_retry_after({"Retry-After": value}, now=lambda: 0.0) is None


@pytest.mark.parametrize("value", OVERFLOWING_DATES)
def test_a_429_on_a_write_with_an_overflowing_retry_after_is_rate_limited(
    mock: responses.RequestsMock, value: str
) -> None:
    mock.post(f"{BASE_URL}/buy", status=429, headers={"Retry-After": value}, body="")
    with pytest.raises(errors.RateLimited) as caught:
        make_transport().request("POST", "/buy", operation="buy", write=True)
    assert caught.value.retry_after is None
    assert len(mock.calls) == 1


# --------------------------------------------------------------------------- charsets


@pytest.mark.parametrize("label", ["undefined", "idna", "punycode"])
def test_a_charset_whose_codec_raises_falls_back_to_utf8(
    mock: responses.RequestsMock, label: str
) -> None:
    body = '{"name": "★ Karambit"}'.encode()
    mock.get(f"{BASE_URL}/item", body=body, content_type=f"application/json; charset={label}")
    assert make_transport().request("GET", "/item", operation="item").data == {"name": "★ Karambit"}


# --------------------------------------------------------------------------- kept text


def test_a_secret_astride_the_cut_of_a_kept_text_body_leaves_no_part_of_itself() -> None:
    register_secret(Secret(SECRET_VALUE))
    text = "x" * 1995 + SECRET_VALUE + " the rest of the page"
    answer = HttpAnswer(status=500, headers={}, data=None, text=text, is_json=False)
    assert SECRET_VALUE[:5] not in answer.raw
    assert len(answer.raw) <= 2000


# --------------------------------------------------------------------------- URL spellings


PASSWORD = "p@ss w0rd/+1!"  # percent-encoded in a query string: p%40ss+w0rd%2F%2B1%21


def test_a_registered_secret_is_scrubbed_as_a_query_string_and_a_path_spell_it() -> None:
    register_secret(Secret(PASSWORD))
    assert _secret.scrub("?new_password=p%40ss+w0rd%2F%2B1%21&x=1") == "?new_password=***&x=1"
    assert _secret.scrub("/send/p%40ss%20w0rd%2F%2B1%21/1") == "/send/***/1"


def test_a_password_in_the_query_is_in_no_urllib3_debug_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="urllib3")
    register_secret(Secret(PASSWORD))
    with serving(lambda method, target: (200, {"ok": True})) as server:
        transport = make_transport(base_url=server.base_url)
        transport.request(
            "GET", "/set", operation="set", params={"new_password": PASSWORD}, write=True
        )
    encoded = "p%40ss+w0rd%2F%2B1%21"
    assert encoded in server.seen[0].target  # what urllib3 logs
    assert any(r.name.startswith("urllib3") for r in caplog.records)
    shown = [r.getMessage() for r in caplog.records]
    assert [line for line in shown if encoded in line or PASSWORD in line] == []


def test_market_tm_set_order_hides_the_trade_token_it_puts_in_the_url(
    mock: responses.RequestsMock,
) -> None:
    token = "TrAdEtOk"
    mock.get(
        f"{BASE_URL}/api/v2/set-order",
        json={"success": True, "order": {"partner": "1", "token": token}},
    )
    transport = make_transport()
    transport._read_envelope = market_tm_envelope
    MarketTMClient(transport).set_order(
        market_hash_name="AWP | Asiimov (Field-Tested)",
        count=1,
        price=100,
        partner="1",
        token=token,
    )
    assert token in str(mock.calls[0].request.url)
    line = f"GET /api/v2/set-order?partner=1&token={token} HTTP/1.1"
    assert token not in _secret.scrub(line)


@pytest.mark.parametrize("route", ["ping_new", "get_api_key_via_access_token"])
def test_market_tm_hides_the_steam_access_token_it_sends(
    route: str, mock: responses.RequestsMock
) -> None:
    token = "SteamSessionAccessToken0123456789"
    path = route.replace("_", "-")
    mock.post(f"{BASE_URL}/api/v2/{path}", json={"success": True})
    transport = make_transport()
    transport._read_envelope = market_tm_envelope
    client = MarketTMClient(transport)
    if route == "ping_new":
        client.ping_new(access_token=token)
    else:
        client.get_api_key_via_access_token(access_token=token, proxy="1.2.3.4:8080")
    assert token not in _secret.scrub(f"the vendor said: bad token {token}")


# --------------------------------------------------------------------------- header values


@pytest.mark.parametrize(
    "key",
    ["abcdef\nsecret-value-9", "abcdef\r\nX-Other: secret-value-9", "abc\u200bsecret-value-9"],
)
@pytest.mark.parametrize("write", [False, True])
def test_a_key_no_header_can_carry_is_a_configuration_error_that_does_not_show_it(
    key: str, write: bool
) -> None:
    auth = HeaderKeyAuth("X-API-KEY", Secret(key))
    with serving(lambda method, target: (200, {"ok": True})) as server:
        transport = make_transport(base_url=server.base_url, auth=auth)
        with pytest.raises(errors.ConfigurationError) as caught:
            transport.request("POST", "/buy", operation="buy", write=write)
    assert server.seen == []  # nothing was sent
    shown = _texts(caught.value)
    assert "secret-value-9" not in shown
    assert "X-API-KEY" in str(caught.value)


# --------------------------------------------------------------------------- cut messages


def _astride(cut: int) -> str:
    """A vendor message that echoes the key across the cut at ``cut`` characters."""
    return "x" * (cut - 8) + " " + SECRET_VALUE + " and more"


@pytest.mark.parametrize(
    ("read", "body"),
    [
        (swapgg_envelope, {"status": "INVALID_INPUT", "error": _astride(MESSAGE_MAX)}),
        (swapgg_envelope, {"status": "INVALID_INPUT", "error": {"message": _astride(MESSAGE_MAX)}}),
        (skinsback_envelope, {"status": "error", "error_message": _astride(MESSAGE_MAX)}),
        (mannco_envelope, {"success": False, "err": True, "content": _astride(MESSAGE_MAX)}),
    ],
    ids=["swapgg-text", "swapgg-object", "skinsback", "mannco"],
)
def test_a_key_astride_the_cut_of_a_vendor_message_leaves_no_part_of_itself(
    read: EnvelopeReader, body: dict[str, object]
) -> None:
    register_secret(Secret(SECRET_VALUE))
    answer = HttpAnswer(status=200, headers={}, data=body, text="", is_json=True)
    error = raised_by(read, answer, "buy")
    assert error is not None
    assert SECRET_VALUE[:5] not in " ".join([str(error), repr(error.code)])

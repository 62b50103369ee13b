"""A Mannco login answer of an odd shape never keeps the token it may carry."""

from __future__ import annotations

import json
import pickle
import traceback
from typing import Any

import pytest
import responses

from skinmarkets import errors
from skinmarkets.vendors.mannco import Mannco
from tests.vendors.mannco.conftest import BASE_URL

TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJvZGQiOjF9.odd-login-signature"

ODD_ANSWERS: dict[str, Any] = {
    "token under another name": {"success": True, "content": {"token": TOKEN}},
    "token as the content": {"success": True, "content": TOKEN},
    "token in a data wrapper": {"success": True, "content": {"data": {"jwt": TOKEN}}},
    "token as the whole body": TOKEN,
    "token in a list": [TOKEN],
    "token as a key": {"success": True, "content": {TOKEN: True}},
}


def _odd_login(market: Mannco, mock: responses.RequestsMock, body: Any) -> errors.SkinMarketsError:
    mock.post(f"{BASE_URL}/user/login", body=json.dumps(body), content_type="application/json")
    with pytest.raises(errors.UnexpectedResponse) as caught:
        market.client.user_login()
    return caught.value


@pytest.mark.parametrize("body", ODD_ANSWERS.values(), ids=ODD_ANSWERS.keys())
def test_an_odd_login_answer_keeps_no_token_anywhere_in_its_error(
    market: Mannco, mock: responses.RequestsMock, body: Any
) -> None:
    error = _odd_login(market, mock, body)

    shown = [
        str(error),
        repr(error),
        repr(error.raw),
        "".join(traceback.format_exception(error)),
        pickle.dumps(error).decode("latin-1"),
    ]
    assert not [(p, t) for p in TOKEN.split(".") for t in shown if p in t]  # no piece of it
    assert error.__cause__ is None
    assert error.__context__ is None


def test_an_odd_login_answer_keeps_its_shape_with_every_string_masked(
    market: Mannco, mock: responses.RequestsMock
) -> None:
    error = _odd_login(
        market, mock, {"success": True, "content": {"token": TOKEN, "n": 3, "ok": True}}
    )

    assert error.raw == {"token": "***", "n": 3, "ok": True}  # the content it could not read
    assert error.operation == "user_login"
    assert "content.jwt" in str(error)


def test_the_documented_login_answer_still_gives_the_token(
    market: Mannco, mock: responses.RequestsMock
) -> None:
    body = {"err": False, "success": True, "content": {"jwt": TOKEN}}
    mock.post(f"{BASE_URL}/user/login", body=json.dumps(body), content_type="application/json")

    assert market.client.user_login().reveal() == TOKEN
    assert market.client.user_login().reveal() == TOKEN  # the same token again, still readable

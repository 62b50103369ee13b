"""market_tm's error tables and read_envelope: how a Market TM answer becomes a typed error."""

from __future__ import annotations

import json
from typing import Any

import pytest

import skinmarkets as sm
from skinmarkets._errortable import ErrorClass
from skinmarkets._http import HttpAnswer
from skinmarkets.vendors.market_tm.errors import BY_CODE, BY_MESSAGE, BY_STATUS, read_envelope
from tests.transport_support import raised_by


def _answer(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> HttpAnswer:
    return HttpAnswer(
        status=status, headers=headers or {}, data=body, text=json.dumps(body), is_json=True
    )


def _refusal(error: object, status: int = 200, **more: Any) -> HttpAnswer:
    return _answer({"success": False, "error": error, **more}, status)


def _read(answer: HttpAnswer, operation: str = "buy") -> sm.errors.SkinMarketsError:
    error = raised_by(read_envelope, answer, operation)
    assert error is not None, "a refusal was read as a success"
    return error


@pytest.mark.parametrize(("code", "error_class"), list(BY_CODE.items()), ids=str)
def test_every_exact_code_is_read_as_its_class(code: str | int, error_class: ErrorClass) -> None:
    assert type(_read(_refusal(code))) is error_class


@pytest.mark.parametrize(("needle", "error_class"), BY_MESSAGE, ids=[n for n, _ in BY_MESSAGE])
def test_every_message_substring_is_read_as_its_class(needle: str, error_class: ErrorClass) -> None:
    message = f"Sorry, {needle.upper()}. Please try again"
    assert type(_read(_refusal(message))) is error_class


@pytest.mark.parametrize(("status", "error_class"), list(BY_STATUS.items()), ids=str)
def test_every_http_status_without_a_known_code_is_read_as_its_class(
    status: int, error_class: ErrorClass
) -> None:
    assert type(_read(_refusal("Something unheard of", status))) is error_class


def test_an_unknown_error_string_is_a_plain_api_error_that_keeps_code_and_body() -> None:
    body = {"success": False, "error": "Something unheard of"}
    error = _read(_answer(body))
    assert type(error) is sm.errors.APIError
    assert error.code == "Something unheard of"
    assert "Something unheard of" in str(error)
    assert error.raw == body


def test_a_numeric_error_string_is_read_as_a_number() -> None:
    error = _read(_refusal("3001"), "trade_request_take")
    assert isinstance(error, sm.errors.APIError)
    assert error.code == 3001


def test_a_numeric_code_field_decides_the_class() -> None:
    error = _read(_refusal("Что-то пошло не так", code=21), "buy_for")
    assert type(error) is sm.errors.TradeError
    assert error.code == 21


def test_message_instead_of_error_is_read_as_the_refusal() -> None:
    error = _read(_answer({"success": False, "message": "invalid_access_token"}), "ping_new")
    assert type(error) is sm.errors.InvalidRequest
    assert "invalid_access_token" in str(error)


def test_an_error_without_success_field_is_a_refusal() -> None:
    assert type(_read(_answer({"error": "Bad KEY"}))) is sm.errors.AuthenticationError


def test_success_true_is_not_an_error() -> None:
    body = {"success": True, "id": "136256960"}
    assert raised_by(read_envelope, _answer(body), "buy") is None
    assert read_envelope(_answer(body), "buy") == body


def test_an_answer_without_success_or_error_is_not_an_error() -> None:
    body = {"money": 123, "currency": "RUB"}
    assert raised_by(read_envelope, _answer(body), "get_money") is None
    assert read_envelope(_answer(body), "get_money") == body


def test_success_false_without_any_message_is_an_api_error() -> None:
    assert isinstance(_read(_answer({"success": False})), sm.errors.APIError)


def test_http_403_with_a_json_body_is_an_authentication_error() -> None:
    error = _read(_answer({"success": False}, status=403), "get_money")
    assert type(error) is sm.errors.AuthenticationError
    assert error.http_status == 403


def test_too_many_requests_in_the_body_is_rate_limited_with_retry_after() -> None:
    answer = _answer({"success": False, "error": "Too many requests"}, 200, {"Retry-After": "3"})
    error = _read(answer, "get_money")
    assert isinstance(error, sm.errors.RateLimited)
    assert error.retry_after == 3.0


def test_an_error_names_the_vendor_the_operation_and_the_vendors_words() -> None:
    error = _read(_refusal("Недостаточно средств на счету"), "buy")
    assert isinstance(error, sm.errors.InsufficientFunds)
    assert "market_tm" in str(error)
    assert "buy" in str(error)
    assert "Недостаточно средств на счету" in str(error)
    assert (error.vendor, error.operation) == ("market_tm", "buy")


def test_an_error_advises_what_to_do() -> None:
    assert "top up" in str(_read(_refusal("not enough money")))

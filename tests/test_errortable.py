"""ErrorTable: vendor refusals become typed errors by exact code, then substring, then status."""

from __future__ import annotations

import json

import pytest

from skinmarkets import errors
from skinmarkets._errortable import ErrorTable
from skinmarkets._http import HttpAnswer
from skinmarkets._secret import Secret, register_secret

TABLE = ErrorTable(
    vendor="testvendor",
    exact={
        "bad key": errors.AuthenticationError,
        3001: errors.InsufficientFunds,
        "4004": errors.ItemUnavailable,
        "Too Many Requests": errors.RateLimited,
        "maintenance": errors.ServiceUnavailable,
    },
    substrings=[
        ("bad", errors.InvalidRequest),
        ("not enough", errors.InsufficientFunds),
        ("sold", errors.ItemUnavailable),
    ],
    by_status={403: errors.PermissionDenied, 401: errors.AuthenticationError},
)


def test_an_exact_code_beats_a_substring() -> None:
    assert TABLE.classify("bad key", None, None) is errors.AuthenticationError


def test_an_exact_message_is_found_when_there_is_no_code() -> None:
    assert TABLE.classify(None, "bad key", None) is errors.AuthenticationError


def test_an_exact_code_beats_the_http_status() -> None:
    assert TABLE.classify(3001, None, 403) is errors.InsufficientFunds


def test_a_substring_beats_the_http_status() -> None:
    assert TABLE.classify(None, "Item already sold", 403) is errors.ItemUnavailable


def test_the_first_matching_substring_wins() -> None:
    assert TABLE.classify(None, "bad: not enough money", None) is errors.InvalidRequest


def test_the_http_status_is_used_when_nothing_else_matches() -> None:
    assert TABLE.classify("E999", "something odd", 403) is errors.PermissionDenied


@pytest.mark.parametrize("code", ["BAD KEY", "Bad Key", " bad key "])
def test_exact_codes_ignore_case_and_surrounding_space(code: str) -> None:
    assert TABLE.classify(code, None, None) is errors.AuthenticationError


def test_substrings_ignore_case() -> None:
    assert TABLE.classify(None, "You do NOT ENOUGH money", None) is errors.InsufficientFunds


@pytest.mark.parametrize("code", [3001, "3001", 4004, "4004"])
def test_int_and_str_codes_are_the_same_code(code: int | str) -> None:
    assert TABLE.classify(code, None, None) in (errors.InsufficientFunds, errors.ItemUnavailable)
    assert TABLE.classify(code, None, None) is TABLE.classify(str(code), None, None)
    assert TABLE.classify(code, None, None) is TABLE.classify(int(code), None, None)


def test_an_unknown_refusal_is_a_plain_api_error_keeping_code_status_and_raw() -> None:
    error = TABLE.error(
        operation="buy", code="E999", message="odd", http_status=418, raw={"e": "E999"}
    )

    assert type(error) is errors.APIError
    assert (error.code, error.http_status, error.raw) == ("E999", 418, {"e": "E999"})


def test_a_mapped_refusal_keeps_code_status_vendor_and_operation() -> None:
    error = TABLE.error(operation="buy", code=3001, message="no money", http_status=200, raw={})

    assert isinstance(error, errors.InsufficientFunds)
    assert (error.code, error.http_status, error.vendor, error.operation) == (
        3001,
        200,
        "testvendor",
        "buy",
    )


def test_the_vendor_message_stands_in_for_a_missing_code() -> None:
    error = TABLE.error(operation="buy", code=None, message="Item already sold")

    assert isinstance(error, errors.ItemUnavailable)
    assert error.code == "Item already sold"


def test_rate_limited_gets_the_retry_after() -> None:
    error = TABLE.error(operation="balance", code="too many requests", retry_after=2.0)

    assert isinstance(error, errors.RateLimited)
    assert (error.retry_after, error.code) == (2.0, "too many requests")


def test_service_unavailable_keeps_code_and_status() -> None:
    error = TABLE.error(operation="balance", code="maintenance", http_status=503)

    assert isinstance(error, errors.ServiceUnavailable)
    assert (error.code, error.http_status) == ("maintenance", 503)


def test_the_message_names_vendor_operation_and_the_vendor_words() -> None:
    error = TABLE.error(operation="buy", code=3001, message="Not enough money", http_status=402)

    assert str(error) == (
        "testvendor: buy refused: insufficient funds; top up the balance "
        "(vendor said 'Not enough money', HTTP 402)"
    )


def test_the_message_does_not_say_none_when_the_vendor_said_nothing() -> None:
    error = TABLE.error(operation="balance", code=None, http_status=401)

    assert str(error) == (
        "testvendor: balance refused: check the API key / secret (it may have been revoked) "
        "(HTTP 401)"
    )


def test_a_credential_the_vendor_echoes_back_is_scrubbed_from_the_message() -> None:
    register_secret(Secret("echoed-key-77"))

    error = TABLE.error(operation="balance", code=None, message="bad key echoed-key-77")

    assert "echoed-key-77" not in str(error)
    assert "bad key ***" in str(error)


def test_a_table_that_maps_to_outcome_unknown_builds_it() -> None:
    table = ErrorTable(vendor="testvendor", exact={"pending": errors.OutcomeUnknown})

    error = table.error(operation="buy", code="pending")

    assert isinstance(error, errors.OutcomeUnknown)
    assert error.custom_id is None


def _answer(body: object, status: int = 200, headers: dict[str, str] | None = None) -> HttpAnswer:
    return HttpAnswer(
        status=status, headers=headers or {}, data=body, text=json.dumps(body), is_json=True
    )


def test_a_refusal_keeps_the_answers_status_and_raw_body() -> None:
    answer = _answer({"error": "Not enough money"}, status=402)

    error = TABLE.refusal(answer, "buy", code=None, message="Not enough money")

    assert isinstance(error, errors.InsufficientFunds)
    assert (error.http_status, error.raw) == (402, {"error": "Not enough money"})


def test_a_refusals_wait_comes_from_retry_after_before_the_wait_the_body_says() -> None:
    limited = _answer({"error": "Too Many Requests"}, status=429, headers={"Retry-After": "7"})

    error = TABLE.refusal(limited, "prices", code="Too Many Requests", message=None, said_wait=30)

    assert isinstance(error, errors.RateLimited)
    assert error.retry_after == 7


def test_a_refusal_without_retry_after_waits_what_the_body_says() -> None:
    limited = _answer({"error": "Too Many Requests"}, status=200)

    error = TABLE.refusal(limited, "prices", code="Too Many Requests", message=None, said_wait=30)

    assert isinstance(error, errors.RateLimited)
    assert error.retry_after == 30


def test_an_answer_that_is_not_the_envelope_is_unexpected_response_with_raw_kept() -> None:
    odd = _answer(["not", "an", "object"])

    error = TABLE.not_an_envelope(odd, "balance", '{"ok": …}')

    assert isinstance(error, errors.UnexpectedResponse)
    assert str(error) == (
        'testvendor: balance: expected the {"ok": …} envelope, got list; kept in .raw'
    )
    assert error.raw == ["not", "an", "object"]

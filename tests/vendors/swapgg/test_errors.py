"""swapgg's error tables and read_envelope: how a swap.gg answer becomes a typed error."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

import skinmarkets as sm
from skinmarkets._errortable import ErrorClass
from skinmarkets._http import HttpAnswer
from skinmarkets.vendors.swapgg.errors import BY_HTTP_STATUS, BY_STATUS_STRING, read_envelope
from tests.transport_support import raised_by

DOC = Path("/work/shared/vendor-docs/swapgg-v1.txt")


def _answer(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> HttpAnswer:
    return HttpAnswer(
        status=status, headers=headers or {}, data=body, text=json.dumps(body), is_json=True
    )


def _read(answer: HttpAnswer) -> sm.errors.SkinMarketsError:
    error = raised_by(read_envelope, answer, "user_balance")
    assert error is not None, "a refusal was read as a success"
    return error


@pytest.mark.skipif(not DOC.exists(), reason="vendor doc not present")
def test_the_table_has_every_status_code_of_the_doc() -> None:
    text = DOC.read_text(encoding="utf-8")
    section = text[text.index("Status Codes") : text.index("Contact")]
    documented = set(re.findall(r"^([A-Z][A-Z_]+) \|$", section, re.M)) - {"OK"}
    assert documented == set(BY_STATUS_STRING)


@pytest.mark.parametrize(("status", "error_class"), list(BY_STATUS_STRING.items()), ids=str)
def test_every_status_string_is_read_as_its_class(status: str, error_class: ErrorClass) -> None:
    error = _read(_answer({"time": 1, "status": status}))
    assert type(error) is error_class
    assert error.code == status


@pytest.mark.parametrize(("status", "error_class"), list(BY_HTTP_STATUS.items()), ids=str)
def test_every_http_status_without_a_status_string_is_read_as_its_class(
    status: int, error_class: ErrorClass
) -> None:
    assert type(_read(_answer({}, status))) is error_class


def test_ok_is_a_success() -> None:
    body = {"status": "OK", "result": {}}
    assert raised_by(read_envelope, _answer(body), "user_balance") is None
    assert read_envelope(_answer(body), "user_balance") == body


def test_ok_with_a_4xx_is_still_an_error() -> None:
    assert isinstance(_read(_answer({"status": "OK"}, 400)), sm.errors.InvalidRequest)


def test_a_body_without_status_on_200_is_an_unexpected_response() -> None:
    assert isinstance(_read(_answer({"result": 1})), sm.errors.APIError)


def test_a_json_array_is_an_unexpected_response() -> None:
    assert isinstance(_read(_answer([])), sm.errors.UnexpectedResponse)


def test_an_unknown_status_is_a_plain_api_error_that_keeps_code_and_body() -> None:
    body = {"status": "SOMETHING_NEW"}
    error = _read(_answer(body))
    assert type(error) is sm.errors.APIError
    assert (error.code, error.raw) == ("SOMETHING_NEW", body)


def test_the_error_objects_reason_is_in_the_message() -> None:
    error = _read(_answer({"status": "INVALID_INPUT", "error": {"reason": "limit too big"}}))
    assert "limit too big" in str(error)


def test_rate_limit_status_carries_retry_after() -> None:
    error = _read(_answer({"status": "RATE_LIMIT"}, headers={"Retry-After": "4"}))
    assert isinstance(error, sm.errors.RateLimited)
    assert error.retry_after == 4

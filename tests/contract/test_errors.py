"""Every failure is a typed ``SkinMarketsError`` that says who refused what, and why."""

from __future__ import annotations

import json

import pytest

from skinmarkets import errors
from tests.contract.failures import FAILURE_IDS, FAILURES, UNKNOWN_CODE, Failure, raised
from tests.contract.harness import VendorHarness

AUTH_STATUSES = [401, 403]


@pytest.mark.parametrize("failure", FAILURES, ids=FAILURE_IDS)
def test_failure_raises_its_documented_error(h: VendorHarness, failure: Failure) -> None:
    error = failure.provoke(h)
    assert isinstance(error, failure.expected), repr(error)


@pytest.mark.parametrize("failure", FAILURES, ids=FAILURE_IDS)
def test_nothing_but_skinmarkets_errors_escape(h: VendorHarness, failure: Failure) -> None:
    error = failure.provoke(h)
    if failure.type_error:
        assert type(error) is TypeError
    else:
        assert isinstance(error, errors.SkinMarketsError), repr(error)


@pytest.mark.parametrize(
    "failure", [pytest.param(f, id=f.name) for f in FAILURES if not f.type_error]
)
def test_every_error_names_the_vendor(h: VendorHarness, failure: Failure) -> None:
    error = failure.provoke(h)
    assert isinstance(error, errors.SkinMarketsError)
    assert error.vendor == h.vendor


# ---------------------------------------------------------------------- unknown vendor codes


def test_unknown_vendor_code_is_an_api_error_with_the_vendors_words(h: VendorHarness) -> None:
    market = h.connect()
    with h.mock() as mock:
        refusal = h.add_refusal(mock, UNKNOWN_CODE)
        error = raised(lambda: refusal.act(market))
    assert isinstance(error, errors.APIError)
    assert UNKNOWN_CODE in (str(error.code), str(error))


def test_unknown_vendor_code_error_keeps_the_raw_body(h: VendorHarness) -> None:
    market = h.connect()
    with h.mock() as mock:
        refusal = h.add_refusal(mock, UNKNOWN_CODE)
        error = raised(lambda: refusal.act(market))
    assert isinstance(error, errors.APIError)
    assert error.raw == refusal.body


def test_unknown_vendor_code_error_names_vendor_operation_and_status(h: VendorHarness) -> None:
    market = h.connect()
    with h.mock() as mock:
        refusal = h.add_refusal(mock, UNKNOWN_CODE)
        error = raised(lambda: refusal.act(market))
    assert isinstance(error, errors.APIError)
    assert error.vendor == h.vendor
    assert error.operation in refusal.operations
    assert error.http_status == refusal.http_status


# ---------------------------------------------------------------------- answers that are no answer


@pytest.mark.parametrize(
    "text",
    ["<html><body>Maintenance</body></html>", "OK", '{"success": tr', ""],
    ids=["html", "plain", "truncated", "empty"],
)
def test_non_json_200_on_a_read_is_a_skinmarkets_error(h: VendorHarness, text: str) -> None:
    market = h.connect()
    with h.mock() as mock:
        h.add_answer(mock, h.balance_endpoint, text=text, content_type="text/html")
        error = raised(market.balance)
    assert isinstance(error, errors.SkinMarketsError), repr(error)
    assert not isinstance(error, json.JSONDecodeError)


def test_rate_limited_read_carries_retry_after(h: VendorHarness) -> None:
    market = h.connect(max_retries=0)
    with h.mock() as mock:
        h.add_answer(
            mock, h.balance_endpoint, status=429, json_body={}, headers={"Retry-After": "7"}
        )
        error = raised(market.balance)
        assert len(h.calls_to(mock, h.balance_endpoint)) == 1
    assert isinstance(error, errors.RateLimited)
    assert error.retry_after == 7


# ---------------------------------------------------------------------- refused credentials


@pytest.mark.parametrize("status", AUTH_STATUSES)
def test_refused_credential_is_an_authentication_error(h: VendorHarness, status: int) -> None:
    market = h.connect()
    with h.mock() as mock:
        h.add_auth_refusal(mock, status)
        error = raised(market.balance)
    assert isinstance(error, errors.AuthenticationError), repr(error)
    assert error.http_status == status


@pytest.mark.parametrize("status", AUTH_STATUSES)
def test_bare_401_or_403_is_an_authentication_error(h: VendorHarness, status: int) -> None:
    market = h.connect()
    with h.mock() as mock:
        h.add_answer(
            mock, h.balance_endpoint, status=status, text="Forbidden", content_type="text/plain"
        )
        error = raised(market.balance)
    assert isinstance(error, errors.AuthenticationError), repr(error)

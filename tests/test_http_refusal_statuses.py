"""``Transport(refusal_statuses=…)``: a vendor's JSON refusals sent with a 3xx status, and
``BearerTokenAuth`` (login on first use, renewal on refusal or near ``exp``)."""

from __future__ import annotations

import base64
import json

import pytest
import responses

from skinmarkets import errors
from skinmarkets._http import BearerTokenAuth
from skinmarkets._secret import Secret, scrub
from tests.transport_support import BASE_URL, make_transport

REFUSAL = {"ok": False, "error": "no money"}  # transport_support.read_envelope refuses this


@pytest.fixture
def mock() -> responses.RequestsMock:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as requests_mock:
        yield requests_mock


def test_a_json_refusal_at_an_opted_in_3xx_on_a_write_is_the_vendors_error(
    mock: responses.RequestsMock,
) -> None:
    mock.post(f"{BASE_URL}/pay", json=REFUSAL, status=300)
    transport = make_transport()
    transport.refusal_statuses = frozenset({300})

    with pytest.raises(errors.APIError) as caught:
        transport.request("POST", "/pay", operation="pay", write=True)

    assert not isinstance(caught.value, errors.OutcomeUnknown)
    assert caught.value.code == "no money"
    assert caught.value.http_status == 300


def test_a_json_refusal_at_a_3xx_not_opted_in_stays_outcome_unknown_on_a_write(
    mock: responses.RequestsMock,
) -> None:
    mock.post(f"{BASE_URL}/pay", json=REFUSAL, status=300)

    with pytest.raises(errors.OutcomeUnknown):
        make_transport().request("POST", "/pay", operation="pay", write=True)


def test_an_opted_in_3xx_whose_body_is_no_refusal_stays_outcome_unknown_on_a_write(
    mock: responses.RequestsMock,
) -> None:
    mock.post(f"{BASE_URL}/pay", json={"ok": True}, status=300)
    transport = make_transport()
    transport.refusal_statuses = frozenset({300})

    with pytest.raises(errors.OutcomeUnknown):
        transport.request("POST", "/pay", operation="pay", write=True)


def test_an_opted_in_3xx_with_a_non_json_body_stays_outcome_unknown_on_a_write(
    mock: responses.RequestsMock,
) -> None:
    mock.post(f"{BASE_URL}/pay", body="<html>moved</html>", status=300)
    transport = make_transport()
    transport.refusal_statuses = frozenset({300})

    with pytest.raises(errors.OutcomeUnknown):
        transport.request("POST", "/pay", operation="pay", write=True)


def _jwt(exp: int) -> str:
    payload = base64.urlsafe_b64encode(json.dumps({"exp": exp}).encode()).decode().rstrip("=")
    return f"eyJhbGciOiJIUzI1NiJ9.{payload}.sig"


def test_bearer_auth_logs_in_once_on_first_use_and_registers_the_token() -> None:
    logins: list[int] = []

    def login() -> Secret:
        logins.append(1)
        return Secret("jwt-token-first-use-1")

    auth = BearerTokenAuth(login)

    assert auth.token().reveal() == "jwt-token-first-use-1"
    assert auth.token().reveal() == "jwt-token-first-use-1"
    assert len(logins) == 1
    assert scrub("token jwt-token-first-use-1") == "token ***"
    assert "jwt-token" not in repr(auth)


def test_bearer_auth_refresh_of_the_refused_token_logs_in_again() -> None:
    tokens = iter([Secret("jwt-refresh-a"), Secret("jwt-refresh-b")])
    auth = BearerTokenAuth(lambda: next(tokens))
    refused = auth.token()

    assert auth.refresh(refused).reveal() == "jwt-refresh-b"


def test_bearer_auth_refresh_of_an_already_replaced_token_does_not_log_in_again() -> None:
    tokens = iter([Secret("jwt-stale-a"), Secret("jwt-stale-b"), Secret("jwt-stale-c")])
    auth = BearerTokenAuth(lambda: next(tokens))
    stale = auth.token()
    auth.refresh(stale)  # another thread renewed it

    assert auth.refresh(stale).reveal() == "jwt-stale-b"
    assert auth.logins == 2


def test_bearer_auth_renews_a_token_about_to_expire() -> None:
    tokens = iter([Secret(_jwt(1000)), Secret(_jwt(5000))])
    now = [900.0]
    auth = BearerTokenAuth(lambda: next(tokens), renew_margin=60.0, now=lambda: now[0])
    first = auth.token()

    now[0] = 950.0  # within 60 s of exp 1000
    assert auth.token() != first
    assert auth.logins == 2

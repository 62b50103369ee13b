"""Transport: the credential never reaches a log record, an error message or a traceback."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses
import urllib3.exceptions

from skinmarkets import errors
from skinmarkets._http import (
    HeaderKeyAuth,
    QueryKeyAuth,
    redact_params,
    register_secret,
    scrub,
)
from skinmarkets._secret import Secret
from tests.transport_support import BASE_URL, SECRET_VALUE, VENDOR, make_transport

LOGGER = f"skinmarkets.{VENDOR}"
SECRET_URL = f"{BASE_URL}/v1/items?key={SECRET_VALUE}"


@pytest.fixture(autouse=True)
def _registered() -> None:
    register_secret(Secret(SECRET_VALUE))


@pytest.fixture
def mock() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as m:
        yield m


def _messages(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == LOGGER]


def _chain(error: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def _query_auth() -> QueryKeyAuth:
    return QueryKeyAuth("key", Secret(SECRET_VALUE))


# --------------------------------------------------------------------------- log records


def test_a_request_logs_method_path_status_time_and_redacted_params(
    mock: responses.RequestsMock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger=LOGGER)
    mock.get(f"{BASE_URL}/v1/items", body="{}")

    make_transport().request("GET", "/v1/items", operation="x", params={"name": "AK", "key": "k"})

    assert _messages(caplog) == ["GET /v1/items params={'name': 'AK', 'key': '***'} -> 200 in 0 ms"]


def test_the_secret_is_in_no_log_record_of_a_request_with_the_key_in_the_query(
    mock: responses.RequestsMock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger=LOGGER)
    mock.get(f"{BASE_URL}/v1/items", status=503, body="")
    params = {"key": SECRET_VALUE, "note": f"for {SECRET_VALUE}"}

    with pytest.raises(errors.ServiceUnavailable):
        make_transport(auth=_query_auth()).request("GET", "/v1/items", operation="x", params=params)

    assert len(_messages(caplog)) == 5  # three attempts, two retry lines
    assert not [m for m in _messages(caplog) if SECRET_VALUE in m]


def test_a_secret_in_the_url_path_is_scrubbed_from_every_log_line(
    mock: responses.RequestsMock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger=LOGGER)
    mock.get(f"{BASE_URL}/api/{SECRET_VALUE}/items", status=502, body="")
    mock.get(f"{BASE_URL}/api/{SECRET_VALUE}/items", status=200, body="{}")

    make_transport().request("GET", f"/api/{SECRET_VALUE}/items", operation="x")

    messages = _messages(caplog)
    assert len(messages) == 3  # the failure, the retry, the success
    assert all("/api/***/items" in m and SECRET_VALUE not in m for m in messages)


def test_a_transport_failure_log_line_has_no_secret(
    mock: responses.RequestsMock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger=LOGGER)
    mock.get(f"{BASE_URL}/v1/items", body=requests.ConnectionError(f"failed: {SECRET_URL}"))

    with pytest.raises(errors.NetworkError):
        make_transport(auth=_query_auth(), max_retries=0).request(
            "GET", "/v1/items", operation="x", params={"key": SECRET_VALUE}
        )

    assert _messages(caplog)
    assert not [m for m in _messages(caplog) if SECRET_VALUE in m]


def test_urllib3_log_records_are_scrubbed_of_a_registered_secret(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="urllib3.connectionpool")

    logging.getLogger("urllib3.connectionpool").debug(
        '%s://%s:%s "%s %s %s" %s %s',
        "https",
        "api.test",
        443,
        "GET",
        f"/v1/items?key={SECRET_VALUE}",
        "HTTP/1.1",
        200,
        12,
    )

    message = caplog.records[-1].getMessage()
    assert message == 'https://api.test:443 "GET /v1/items?key=*** HTTP/1.1" 200 12'


@pytest.mark.parametrize(
    "logger", ["urllib3", "urllib3.connection", "urllib3.poolmanager", "urllib3.util.retry"]
)
def test_every_urllib3_logger_that_can_print_a_url_is_scrubbed(
    caplog: pytest.LogCaptureFixture, logger: str
) -> None:
    caplog.set_level(logging.DEBUG, logger=logger)

    logging.getLogger(logger).debug("Redirecting %s", SECRET_URL)

    assert SECRET_VALUE not in caplog.records[-1].getMessage()


# --------------------------------------------------------------------------- errors

TRANSPORT_FAILURES = {
    "connect timeout": requests.ConnectTimeout(f"connect to {SECRET_URL} timed out"),
    "read timeout": requests.ReadTimeout(f"read from {SECRET_URL} timed out"),
    "refused": requests.ConnectionError(
        urllib3.exceptions.MaxRetryError(
            None,
            f"/v1/items?key={SECRET_VALUE}",
            urllib3.exceptions.NewConnectionError(None, f"refused: {SECRET_URL}"),
        )
    ),
    "reset": requests.ConnectionError(
        urllib3.exceptions.ProtocolError(f"aborted: {SECRET_URL}", ConnectionResetError(104))
    ),
}


@pytest.mark.parametrize(
    ("method", "write"), [("GET", False), ("POST", True)], ids=["read", "write"]
)
@pytest.mark.parametrize("failure", TRANSPORT_FAILURES.values(), ids=TRANSPORT_FAILURES.keys())
def test_a_transport_failure_shows_the_secret_nowhere_and_chains_nothing(
    mock: responses.RequestsMock, method: str, write: bool, failure: Exception
) -> None:
    mock.add(method, f"{BASE_URL}/v1/items", body=failure)

    with pytest.raises(errors.SkinMarketsError) as caught:
        make_transport(auth=_query_auth(), max_retries=0).request(
            method,
            "/v1/items",
            operation="x",
            write=write,
            params={"key": SECRET_VALUE},
        )

    error = caught.value
    shown = [str(error), repr(error), "".join(traceback.format_exception(error))]
    assert not [text for text in shown if SECRET_VALUE in text]
    assert [type(e) for e in _chain(error)] == [type(error)]


def test_a_secret_in_the_path_is_scrubbed_from_an_error_message(
    mock: responses.RequestsMock,
) -> None:
    mock.post(f"{BASE_URL}/buy/{SECRET_VALUE}", body=requests.ReadTimeout("timed out"))

    with pytest.raises(errors.OutcomeUnknown) as caught:
        make_transport().request("POST", f"/buy/{SECRET_VALUE}", operation="buy", write=True)

    assert "/buy/***" in str(caught.value)
    assert SECRET_VALUE not in str(caught.value)


# --------------------------------------------------------------------------- redact_params


@pytest.mark.parametrize(
    "name",
    ["key", "api_key", "X-API-KEY", "Authorization", "token", "sign", "pay_pass", "to", "key[]"],
)
def test_redact_params_masks_a_sensitive_name(name: str) -> None:
    assert redact_params({name: "value-123"}) == {name: "***"}


@pytest.mark.parametrize("name", ["custom_id[]", "custom_id", "price", "market_hash_name"])
def test_redact_params_keeps_an_ordinary_name(name: str) -> None:
    assert redact_params({name: "value-123"}) == {name: "value-123"}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (f"hello {SECRET_VALUE}", "hello ***"),
        ([SECRET_VALUE, "b"], ["***", "b"]),
        ({"inner": f"x{SECRET_VALUE}", "token": "t"}, {"inner": "x***", "token": "***"}),
        (12, 12),
    ],
    ids=["str", "list", "nested mapping", "number"],
)
def test_redact_params_scrubs_a_registered_secret_inside_values(value: Any, expected: Any) -> None:
    assert redact_params({"note": value}) == {"note": expected}


@pytest.mark.parametrize("params", [None, {}])
def test_redact_params_of_nothing_is_empty(params: Any) -> None:
    assert redact_params(params) == {}


def test_redact_params_leaves_the_caller_params_alone() -> None:
    params = {"key": SECRET_VALUE}

    redact_params(params)

    assert params == {"key": SECRET_VALUE}


def test_scrub_replaces_every_occurrence_of_a_registered_secret() -> None:
    assert scrub(f"{SECRET_VALUE}/{SECRET_VALUE}") == "***/***"


def test_a_secret_shorter_than_4_characters_is_not_scrubbed_from_inside_words() -> None:
    register_secret(Secret("Qz7"))

    assert scrub("Qz7x xQz7 Qz7_1") == "Qz7x xQz7 Qz7_1"


def test_a_secret_shorter_than_4_characters_is_scrubbed_where_it_stands_as_a_token() -> None:
    register_secret(Secret("Qz7"))

    assert scrub("GET /v1/items?key=Qz7&n=1 (Qz7)") == "GET /v1/items?key=***&n=1 (***)"


# --------------------------------------------------------------------------- auth


@pytest.mark.parametrize(
    "auth",
    [HeaderKeyAuth("X-API-KEY", Secret(SECRET_VALUE)), QueryKeyAuth("key", Secret(SECRET_VALUE))],
    ids=["header", "query"],
)
def test_an_auth_repr_shows_no_secret(auth: object) -> None:
    assert SECRET_VALUE not in repr(auth)
    assert "***" in repr(auth)


def test_header_key_auth_sends_the_key_in_its_header(mock: responses.RequestsMock) -> None:
    mock.get(f"{BASE_URL}/x", body="{}")

    make_transport().request("GET", "/x", operation="x")

    assert mock.calls[0].request.headers["X-API-KEY"] == SECRET_VALUE


def test_query_key_auth_adds_the_key_to_the_url(mock: responses.RequestsMock) -> None:
    mock.get(f"{BASE_URL}/x", body="{}")

    make_transport(auth=_query_auth()).request("GET", "/x", operation="x", params={"a": "1"})

    query = parse_qs(urlsplit(mock.calls[0].request.url).query)
    assert query == {"a": ["1"], "key": [SECRET_VALUE]}

"""Transport: what each answer or failure becomes (decoding, status mapping, write safety)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import requests
import responses
import urllib3.exceptions

from skinmarkets import errors
from skinmarkets._http import TransportOptions, decode_json
from tests.support import FakeClock
from tests.transport_support import BASE_URL, make_transport

HTML_PAGE = "<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>"


@pytest.fixture
def mock() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as m:
        yield m


def _json(data: Any) -> str:
    return json.dumps(data)


def _refused() -> urllib3.exceptions.NewConnectionError:
    return urllib3.exceptions.NewConnectionError(None, "Failed to establish a new connection")


# --------------------------------------------------------------------------- decoding


def test_json_fraction_is_decoded_as_the_exact_decimal(mock: responses.RequestsMock) -> None:
    mock.get(f"{BASE_URL}/price", body='{"price": 1.10}', content_type="application/json")

    answer = make_transport().request("GET", "/price", operation="price")

    assert type(answer.data["price"]) is Decimal
    assert str(answer.data["price"]) == "1.10"


def test_decoded_json_holds_no_float_anywhere() -> None:
    data = decode_json('{"a": [0.1, {"b": 2.5e-3}], "c": 3, "d": -0.0}')

    def floats(value: Any) -> list[float]:
        if isinstance(value, dict):
            return [f for v in value.values() for f in floats(v)]
        if isinstance(value, list):
            return [f for v in value for f in floats(v)]
        return [value] if isinstance(value, float) else []

    assert floats(data) == []
    assert data["a"][1]["b"] == Decimal("0.0025")


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_json_constants_are_rejected(constant: str) -> None:
    with pytest.raises(ValueError, match="non-finite"):
        decode_json(f'{{"price": {constant}}}')


def test_a_body_with_nan_is_not_json(mock: responses.RequestsMock) -> None:
    mock.get(f"{BASE_URL}/price", body='{"price": NaN}', content_type="application/json")

    with pytest.raises(errors.UnexpectedResponse) as caught:
        make_transport(max_retries=0).request("GET", "/price", operation="price")

    assert caught.value.raw == '{"price": NaN}'


def test_a_successful_json_answer_is_returned(mock: responses.RequestsMock) -> None:
    mock.get(f"{BASE_URL}/balance", body=_json({"ok": True, "money": 12}), status=200)

    answer = make_transport().request("GET", "/balance", operation="balance")

    assert (answer.status, answer.is_json, answer.data) == (200, True, {"ok": True, "money": 12})


def test_json_that_mentions_html_is_still_a_successful_answer(
    mock: responses.RequestsMock,
) -> None:
    mock.get(f"{BASE_URL}/item", body=_json({"description": "<html>shiny</html>"}))

    answer = make_transport().request("GET", "/item", operation="item")

    assert answer.data == {"description": "<html>shiny</html>"}


# --------------------------------------------------------------------------- refusals


def test_a_200_refusal_is_the_error_the_vendor_reader_gives(
    mock: responses.RequestsMock,
) -> None:
    mock.post(f"{BASE_URL}/buy", body=_json({"ok": False, "error": "no money"}), status=200)

    with pytest.raises(errors.APIError) as caught:
        make_transport().request("POST", "/buy", operation="buy", write=True)

    assert (caught.value.code, caught.value.http_status) == ("no money", 200)


@pytest.mark.parametrize("write", [False, True], ids=["read", "write"])
@pytest.mark.parametrize(
    ("body", "content_type"),
    [("Forbidden", "text/plain"), (HTML_PAGE, "text/html")],
    ids=["text", "html"],
)
def test_a_4xx_without_json_is_an_api_error_sent_once(
    mock: responses.RequestsMock, write: bool, body: str, content_type: str
) -> None:
    method = "POST" if write else "GET"
    mock.add(method, f"{BASE_URL}/x", body=body, status=403, content_type=content_type)
    clock = FakeClock()

    with pytest.raises(errors.APIError) as caught:
        make_transport(clock=clock).request(method, "/x", operation="x", write=write)

    assert caught.value.http_status == 403
    assert (len(mock.calls), clock.sleeps) == (1, [])


def test_a_4xx_with_the_vendor_envelope_is_the_vendor_reader_error(
    mock: responses.RequestsMock,
) -> None:
    mock.get(f"{BASE_URL}/x", body=_json({"ok": False, "error": "bad item"}), status=400)

    with pytest.raises(errors.APIError) as caught:
        make_transport().request("GET", "/x", operation="x")

    assert (caught.value.code, caught.value.http_status) == ("bad item", 400)


def test_an_unexpected_redirect_on_a_read_is_an_api_error(mock: responses.RequestsMock) -> None:
    mock.get(f"{BASE_URL}/x", status=302, headers={"Location": f"{BASE_URL}/login"}, body="")

    with pytest.raises(errors.APIError) as caught:
        make_transport().request("GET", "/x", operation="x")

    assert caught.value.http_status == 302
    assert not isinstance(caught.value, errors.TransientError)


def test_redirects_are_not_followed(mock: responses.RequestsMock) -> None:
    mock.get(f"{BASE_URL}/x", status=302, headers={"Location": f"{BASE_URL}/elsewhere"}, body="")
    elsewhere = mock.get(f"{BASE_URL}/elsewhere", body=_json({"ok": True}))

    with pytest.raises(errors.APIError):
        make_transport().request("GET", "/x", operation="x")

    assert elsewhere.call_count == 0


# --------------------------------------------------------------------------- unusable answers


def test_a_5xx_on_a_read_is_retried_then_service_unavailable(
    mock: responses.RequestsMock,
) -> None:
    mock.get(f"{BASE_URL}/x", body=HTML_PAGE, status=503, content_type="text/html")

    with pytest.raises(errors.ServiceUnavailable) as caught:
        make_transport(max_retries=2).request("GET", "/x", operation="x")

    assert len(mock.calls) == 3
    assert (caught.value.http_status, caught.value.raw) == (503, HTML_PAGE)


def test_an_html_page_with_200_on_a_read_is_service_unavailable(
    mock: responses.RequestsMock,
) -> None:
    mock.get(f"{BASE_URL}/x", body=HTML_PAGE, status=200, content_type="text/html")

    with pytest.raises(errors.ServiceUnavailable) as caught:
        make_transport(max_retries=0).request("GET", "/x", operation="x")

    assert caught.value.http_status == 200


def test_a_garbled_200_on_a_read_is_unexpected_response_and_not_retried(
    mock: responses.RequestsMock,
) -> None:
    mock.get(f"{BASE_URL}/x", body='{"ok": tru', status=200, content_type="application/json")

    with pytest.raises(errors.UnexpectedResponse) as caught:
        make_transport(max_retries=2).request("GET", "/x", operation="x")

    assert caught.value.raw == '{"ok": tru'
    assert len(mock.calls) == 1


WRITE_WITHOUT_A_USABLE_ANSWER: dict[str, dict[str, Any]] = {
    "read timeout": {"body": requests.ReadTimeout("read timed out")},
    "connection reset": {
        "body": requests.ConnectionError(
            urllib3.exceptions.ProtocolError("Connection aborted.", ConnectionResetError(104))
        )
    },
    "500 json": {"body": _json({"ok": False, "error": "internal"}), "status": 500},
    "503 html": {"body": HTML_PAGE, "status": 503, "content_type": "text/html"},
    "200 html": {"body": HTML_PAGE, "status": 200, "content_type": "text/html"},
    "200 garbled": {"body": '{"ok": tr', "status": 200},
    "200 empty": {"body": "", "status": 200},
    "303 see other": {"body": "", "status": 303, "headers": {"Location": "/purchases/1"}},
    "302 json": {"body": _json({"ok": True}), "status": 302, "headers": {"Location": "/"}},
}


@pytest.mark.parametrize(
    "answer", WRITE_WITHOUT_A_USABLE_ANSWER.values(), ids=WRITE_WITHOUT_A_USABLE_ANSWER.keys()
)
def test_a_write_without_a_usable_answer_is_outcome_unknown_sent_once(
    mock: responses.RequestsMock, answer: dict[str, Any]
) -> None:
    mock.post(f"{BASE_URL}/buy", **answer)
    clock = FakeClock()

    with pytest.raises(errors.OutcomeUnknown) as caught:
        make_transport(clock=clock, max_retries=5).request(
            "POST", "/buy", operation="buy", write=True
        )

    assert caught.value.custom_id is None
    assert (len(mock.calls), clock.sleeps) == (1, [])


def test_a_204_no_content_on_a_write_is_a_usable_answer_not_outcome_unknown(
    mock: responses.RequestsMock,
) -> None:
    mock.delete(f"{BASE_URL}/orders", body="", status=204)

    answer = make_transport().request("DELETE", "/orders", operation="cancel", write=True)

    assert (answer.status, answer.data, answer.is_json, len(mock.calls)) == (204, None, False, 1)


# --------------------------------------------------------------------------- transport failures


@pytest.mark.parametrize(
    ("method", "write"), [("GET", False), ("POST", True)], ids=["read", "write"]
)
def test_a_connect_timeout_is_timeout_saying_nothing_was_sent(
    mock: responses.RequestsMock, method: str, write: bool
) -> None:
    mock.add(method, f"{BASE_URL}/x", body=requests.ConnectTimeout("connect timed out"))

    with pytest.raises(errors.Timeout, match="nothing was sent"):
        make_transport(max_retries=0).request(method, "/x", operation="x", write=write)


@pytest.mark.parametrize(
    "failure",
    [
        requests.ConnectionError(_refused()),
        requests.ConnectionError(urllib3.exceptions.MaxRetryError(None, "/buy", _refused())),
        requests.ConnectionError(
            urllib3.exceptions.NameResolutionError("api.test", None, OSError("no such host"))
        ),
    ],
    ids=["bare", "in MaxRetryError", "name resolution"],
)
def test_a_refused_connection_on_a_write_is_network_error_not_outcome_unknown(
    mock: responses.RequestsMock, failure: Exception
) -> None:
    mock.post(f"{BASE_URL}/buy", body=failure)

    with pytest.raises(errors.NetworkError) as caught:
        make_transport().request("POST", "/buy", operation="buy", write=True)

    assert not isinstance(caught.value, errors.OutcomeUnknown)
    assert len(mock.calls) == 1


def test_a_read_timeout_on_a_read_is_timeout_after_the_retries(
    mock: responses.RequestsMock,
) -> None:
    mock.get(f"{BASE_URL}/x", body=requests.ReadTimeout("read timed out"))

    with pytest.raises(errors.Timeout):
        make_transport(max_retries=2).request("GET", "/x", operation="x")

    assert len(mock.calls) == 3


def test_a_connection_reset_on_a_read_is_network_error(mock: responses.RequestsMock) -> None:
    mock.get(f"{BASE_URL}/x", body=requests.ConnectionError(urllib3.exceptions.ProtocolError()))

    with pytest.raises(errors.NetworkError):
        make_transport(max_retries=0).request("GET", "/x", operation="x")


def test_a_transport_error_names_vendor_operation_and_path(mock: responses.RequestsMock) -> None:
    mock.get(f"{BASE_URL}/v1/items", body=requests.ReadTimeout("read timed out"))

    with pytest.raises(errors.Timeout) as caught:
        make_transport(max_retries=0).request("GET", "/v1/items", operation="list_for_sale")

    assert "testvendor: list_for_sale (GET /v1/items)" in str(caught.value)
    assert (caught.value.vendor, caught.value.operation) == ("testvendor", "list_for_sale")


# --------------------------------------------------------------------------- options


def _options(**options: Any) -> TransportOptions:
    return TransportOptions.from_connect("testvendor", default_base_url=BASE_URL, **options)


def test_default_options_are_5_s_to_connect_20_s_to_read_and_2_retries() -> None:
    options = _options()

    assert (options.timeout, options.max_retries) == ((5, 20), 2)


def test_base_url_replaces_the_origin_without_a_trailing_slash() -> None:
    assert _options(base_url="http://127.0.0.1:8080/").base_url == "http://127.0.0.1:8080"


@pytest.mark.parametrize(
    "base_url",
    ["ftp://api.test", "api.test", "https://", "https://api .test", "https://api.test/?k=1", 8080],
)
def test_a_base_url_that_is_not_an_http_origin_is_refused(base_url: object) -> None:
    with pytest.raises(errors.ConfigurationError, match="testvendor: base_url must be"):
        _options(base_url=base_url)


def test_a_number_timeout_is_used_for_connecting_and_reading() -> None:
    assert _options(timeout=3).timeout == (3.0, 3.0)


@pytest.mark.parametrize("pair", [(2, 9.5), [2, 9.5]], ids=["tuple", "list"])
def test_a_timeout_pair_is_connect_then_read(pair: object) -> None:
    assert _options(timeout=pair).timeout == (2.0, 9.5)


@pytest.mark.parametrize(
    "timeout",
    [0, -1, (5, -1), True, "5", float("nan"), float("inf"), (1, 2, 3), (1,)],
    ids=["zero", "negative", "negative read", "bool", "str", "nan", "inf", "triple", "single"],
)
def test_a_bad_timeout_is_a_configuration_error_naming_it(timeout: object) -> None:
    with pytest.raises(errors.ConfigurationError, match=r"testvendor: timeout .*got"):
        _options(timeout=timeout)


@pytest.mark.parametrize("max_retries", [-1, True, "2", 1.0])
def test_a_bad_max_retries_is_a_configuration_error_naming_it(max_retries: object) -> None:
    with pytest.raises(errors.ConfigurationError, match="testvendor: max_retries must be"):
        _options(max_retries=max_retries)


def test_a_session_that_is_not_a_requests_session_is_refused() -> None:
    with pytest.raises(errors.ConfigurationError, match=r"session must be a requests\.Session"):
        _options(session=object())


def test_a_session_with_tls_verification_off_is_refused() -> None:
    session = requests.Session()
    session.verify = False

    with pytest.raises(errors.ConfigurationError, match="does not verify TLS certificates"):
        _options(session=session)


def test_a_session_with_its_own_ca_bundle_is_accepted() -> None:
    session = requests.Session()
    session.verify = "/etc/ssl/certs/ca-certificates.crt"

    assert _options(session=session).session is session

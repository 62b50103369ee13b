"""Secrets never stay in ``raw`` (of errors or of the data models keep), whatever their length;
a password in ``base_url`` is a secret."""

from __future__ import annotations

import json
import pickle
from collections.abc import Iterator
from typing import Any

import pytest
import responses

from skinmarkets import errors
from skinmarkets._http import HeaderKeyAuth, TransportOptions, register_secret
from skinmarkets._secret import Secret, may_hold_secret, scrub, scrub_data, scrub_raw
from tests.transport_support import BASE_URL, SECRET_VALUE, VENDOR, make_transport

SHORT_KEY = "k9Z"  # a 3-character key: scrubbed all the same
TOKEN = "issued-token-4f1e2d"  # a token the vendor hands out: the client reads it back


@pytest.fixture(autouse=True)
def _registered() -> None:
    register_secret(Secret(SECRET_VALUE))


@pytest.fixture
def mock() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as m:
        yield m


def _refusal(mock: responses.RequestsMock, body: Any, **transport: Any) -> errors.SkinMarketsError:
    mock.get(f"{BASE_URL}/v1/items", body=json.dumps(body))
    with pytest.raises(errors.APIError) as caught:
        make_transport(**transport).request("GET", "/v1/items", operation="x")
    return caught.value


def _shown(error: errors.SkinMarketsError) -> str:
    return " ".join([str(error), repr(error), repr(error.raw), repr(error.code)])


# --------------------------------------------------------------------------- errors


def test_a_key_the_vendor_echoes_in_an_error_body_is_scrubbed_from_raw_and_message(
    mock: responses.RequestsMock,
) -> None:
    error = _refusal(
        mock,
        {"ok": False, "error": f"bad key {SECRET_VALUE}", "echo": [SECRET_VALUE], "n": 7},
    )

    assert error.raw == {"ok": False, "error": "bad key ***", "echo": ["***"], "n": 7}
    assert str(error) == f"{VENDOR}: x refused: bad key ***"
    assert error.code == "bad key ***"
    assert SECRET_VALUE not in _shown(error)


def test_values_under_sensitive_names_are_masked_in_an_error_raw(
    mock: responses.RequestsMock,
) -> None:
    body = {
        "ok": False,
        "error": "expired",
        "content": {"jwt": "eyJ.unregistered.x", "Token": "t-1", "api_key": None},
        "rows": [{"access_token": "at-9", "id": 5}],
    }

    error = _refusal(mock, body)

    assert error.raw == {
        "ok": False,
        "error": "expired",
        "content": {"jwt": "***", "Token": "***", "api_key": None},
        "rows": [{"access_token": "***", "id": 5}],
    }


def test_a_3_character_key_is_scrubbed_from_an_error_raw_and_message(
    mock: responses.RequestsMock,
) -> None:
    auth = HeaderKeyAuth("X-API-KEY", Secret(SHORT_KEY))

    error = _refusal(
        mock,
        {"ok": False, "error": f"key {SHORT_KEY} refused", "key_given": SHORT_KEY},
        auth=auth,
    )

    assert error.raw == {"ok": False, "error": "key *** refused", "key_given": "***"}
    assert str(error) == f"{VENDOR}: x refused: key *** refused"


def test_a_3_character_key_is_left_inside_longer_words() -> None:
    register_secret(Secret(SHORT_KEY))

    error = errors.APIError(f"{SHORT_KEY}x and x{SHORT_KEY}", raw={"a": f"{SHORT_KEY}x"})

    assert str(error) == f"{SHORT_KEY}x and x{SHORT_KEY}"
    assert error.raw == {"a": f"{SHORT_KEY}x"}


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_a_pickled_error_holds_no_secret(mock: responses.RequestsMock, protocol: int) -> None:
    error = _refusal(mock, {"ok": False, "error": f"bad key {SECRET_VALUE}", "k": SECRET_VALUE})

    dumped = pickle.dumps(error, protocol=protocol)
    loaded = pickle.loads(dumped)  # noqa: S301 - our own bytes

    assert SECRET_VALUE.encode() not in dumped
    assert (type(loaded), str(loaded), loaded.raw) == (type(error), str(error), error.raw)


def test_a_pickled_outcome_unknown_keeps_its_custom_id_and_no_secret() -> None:
    error = errors.OutcomeUnknown(
        f"lost {SECRET_VALUE}", custom_id="c-1", raw={"token": "t", "x": SECRET_VALUE}
    )

    loaded = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own bytes

    assert (str(loaded), loaded.custom_id, loaded.raw) == ("lost ***", "c-1", error.raw)
    assert error.raw == {"token": "***", "x": "***"}


def test_an_error_made_anywhere_scrubs_its_raw() -> None:
    register_secret(Secret(TOKEN), from_answers=False)

    error = errors.UnexpectedResponse("odd", raw=[{"content": TOKEN}, f"x {TOKEN} y"])

    assert error.raw == [{"content": "***"}, "x *** y"]


def test_a_text_body_kept_in_raw_is_scrubbed_and_its_named_strings_masked(
    mock: responses.RequestsMock,
) -> None:
    text = f'{{"jwt": "eyJ.odd.value", "note": "{SECRET_VALUE}", "ok": tru'
    mock.get(f"{BASE_URL}/v1/items", body=text)

    with pytest.raises(errors.UnexpectedResponse) as caught:
        make_transport().request("GET", "/v1/items", operation="x")

    assert caught.value.raw == '{"jwt": "***", "note": "***", "ok": tru'


# --------------------------------------------------------------------------- answers


def test_a_key_the_vendor_echoes_in_a_success_is_scrubbed_from_the_data(
    mock: responses.RequestsMock,
) -> None:
    body = {"ok": True, "echo": SECRET_VALUE, "url": f"https://x.test/?key={SECRET_VALUE}&a=1"}
    mock.get(f"{BASE_URL}/v1/items", body=json.dumps(body))

    answer = make_transport().request("GET", "/v1/items", operation="x")

    assert answer.data == {"ok": True, "echo": "***", "url": "https://x.test/?key=***&a=1"}


def test_a_token_a_client_reads_back_stays_in_the_data_but_not_in_an_error_raw(
    mock: responses.RequestsMock,
) -> None:
    register_secret(Secret(TOKEN), from_answers=False)
    mock.get(f"{BASE_URL}/login", body=json.dumps({"ok": True, "content": {"jwt": TOKEN}}))

    answer = make_transport().request("GET", "/login", operation="x")

    assert answer.data == {"ok": True, "content": {"jwt": TOKEN}}
    assert answer.raw == {"ok": True, "content": {"jwt": "***"}}


def test_data_keeps_a_short_credential_and_ids_that_contain_a_credential() -> None:
    register_secret(Secret("4711"))  # a numeric shop id: it can equal a price
    data = {"shop": "4711", "id": "47112", "other": f"{SECRET_VALUE}7", "n": [f"x{SECRET_VALUE}"]}

    assert scrub_data(data) is data
    assert scrub_raw(data) == {"shop": "***", "id": "***2", "other": "***7", "n": ["x***"]}


def test_data_without_a_secret_is_the_same_object() -> None:
    data = {"items": [{"name": "AK-47", "price": "1.00"}], "n": 1}

    assert scrub_data(data) is data


@pytest.mark.parametrize(
    ("text", "may"),
    [
        ('{"a": "plain"}', False),
        (json.dumps({"a": SECRET_VALUE}), True),
        ('{"a": "sekret-value-1"}'.replace("v", "\\u0076"), True),  # an ASCII letter escaped
    ],
    ids=["absent", "literal", "escaped"],
)
def test_the_quick_test_never_misses_a_secret_in_json_text(text: str, may: bool) -> None:
    assert may_hold_secret(text) is may
    if may:
        assert scrub_data(json.loads(text)) == {"a": "***"}


def test_a_secret_with_a_slash_is_found_where_json_escapes_it() -> None:
    register_secret(Secret("slash/key-0042"))
    text = '{"a": "slash\\/key-0042"}'

    assert may_hold_secret(text)
    assert scrub_data(json.loads(text)) == {"a": "***"}


# --------------------------------------------------------------------------- base_url


def test_a_password_in_base_url_is_masked_in_the_transport_repr() -> None:
    transport = make_transport(base_url="https://proxyuser:pr0xy-pass@proxy.test/market")

    assert (
        repr(transport) == f"Transport(vendor={VENDOR!r}, base_url='https://***@proxy.test/market')"
    )
    assert "pr0xy-pass" not in repr(transport.options)
    assert "proxyuser" not in repr(transport.options)


def test_a_password_in_base_url_is_scrubbed_from_any_error_message() -> None:
    TransportOptions.from_connect(VENDOR, default_base_url=BASE_URL, base_url="https://u:pw@p.test")

    error = errors.NetworkError("proxy refused u:pw@p.test (pw)", raw={"auth": "pw"})

    assert str(error) == "proxy refused u:***@p.test (***)"
    assert error.raw == {"auth": "***"}


def test_a_bad_base_url_with_a_password_is_refused_without_showing_it() -> None:
    with pytest.raises(errors.ConfigurationError) as caught:
        TransportOptions.from_connect(
            VENDOR, default_base_url=BASE_URL, base_url="https://me:hunter22@proxy.test/?k=1"
        )

    assert "hunter22" not in str(caught.value)
    assert "'https://***@proxy.test/?k=1'" in str(caught.value)


def test_a_token_as_the_base_url_user_is_a_secret() -> None:
    TransportOptions.from_connect(
        VENDOR, default_base_url=BASE_URL, base_url="https://tok3n-as-user@proxy.test"
    )

    assert scrub("GET https://tok3n-as-user@proxy.test") == "GET https://***@proxy.test"

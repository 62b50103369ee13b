"""Secret: holds a credential and never prints it."""

from __future__ import annotations

import hashlib
import pickle

import pytest

from skinmarkets import errors
from skinmarkets._secret import Secret

VALUE = "sekret-value-1"


@pytest.mark.parametrize(
    "show", [repr, str, "{}".format, "{!r}".format], ids=["repr", "str", "format", "format-r"]
)
def test_a_secret_shows_only_a_mask(show: object) -> None:
    assert show(Secret(VALUE)) == "Secret('***')"


def test_a_secret_in_a_container_repr_stays_masked() -> None:
    assert VALUE not in repr({"api_key": Secret(VALUE)})


def test_reveal_returns_the_credential() -> None:
    assert Secret(VALUE).reveal() == VALUE


def test_a_secret_has_no_instance_dict_to_dump() -> None:
    with pytest.raises(TypeError):
        vars(Secret(VALUE))


@pytest.mark.parametrize("value", [None, 12345678, b"bytes-key"])
def test_a_secret_of_something_other_than_a_str_is_a_type_error(value: object) -> None:
    with pytest.raises(TypeError, match="a Secret holds a str"):
        Secret(value)


# --------------------------------------------------------------------------- required


def test_required_wraps_a_credential_and_strips_whitespace() -> None:
    assert Secret.required(f"  {VALUE}\n", option="api_key", vendor="market_tm").reveal() == VALUE


def test_required_accepts_a_secret() -> None:
    secret = Secret.required(Secret(VALUE), option="api_key", vendor="market_tm")

    assert secret.reveal() == VALUE


@pytest.mark.parametrize(
    ("value", "problem"),
    [(None, "missing"), ("", "blank"), ("   \t", "blank"), (1234567, "must be a str")],
    ids=["none", "empty", "whitespace", "int"],
)
def test_required_refuses_a_missing_or_bad_credential_naming_option_and_vendor(
    value: object, problem: str
) -> None:
    with pytest.raises(errors.ConfigurationError) as caught:
        Secret.required(value, option="client_secret", vendor="skinsback")

    message = str(caught.value)
    assert message.startswith("skinsback: ")
    assert "'client_secret'" in message
    assert problem in message
    assert caught.value.vendor == "skinsback"


def test_required_does_not_echo_a_wrongly_typed_value() -> None:
    with pytest.raises(errors.ConfigurationError) as caught:
        Secret.required(987654321, option="api_key", vendor="market_tm")

    assert "987654321" not in str(caught.value)


# --------------------------------------------------------------------------- fingerprint


def test_fingerprint_is_the_sha256_of_the_credential() -> None:
    assert Secret(VALUE).fingerprint() == hashlib.sha256(VALUE.encode()).hexdigest()


def test_fingerprint_is_stable_across_instances() -> None:
    assert Secret(VALUE).fingerprint() == Secret(VALUE).fingerprint()


def test_fingerprint_differs_between_credentials() -> None:
    assert Secret(VALUE).fingerprint() != Secret(VALUE + "x").fingerprint()


def test_fingerprint_does_not_contain_the_credential() -> None:
    assert VALUE not in Secret(VALUE).fingerprint()


# --------------------------------------------------------------------------- copying, equality


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_a_secret_cannot_be_pickled(protocol: int) -> None:
    with pytest.raises(TypeError, match="cannot be pickled"):
        pickle.dumps(Secret(VALUE), protocol=protocol)


def test_secrets_with_the_same_credential_are_equal_and_hash_alike() -> None:
    assert Secret(VALUE) == Secret(VALUE)
    assert hash(Secret(VALUE)) == hash(Secret(VALUE))


def test_secrets_with_different_credentials_differ() -> None:
    assert Secret(VALUE) != Secret("other-value-2")


def test_a_secret_never_equals_its_plain_credential() -> None:
    assert Secret(VALUE) != VALUE


def test_only_the_newest_issued_tokens_stay_registered_but_credentials_always_do() -> None:
    from skinmarkets import _secret
    from skinmarkets._secret import Secret, register_secret, scrub

    register_secret(Secret("credential-never-forgotten-1"))
    tokens = [f"issued-token-{n:04d}-abcdef" for n in range(_secret._ISSUED_KEPT + 10)]
    for token in tokens:  # one per reconnect of a stream that runs all day
        register_secret(Secret(token), from_answers=False)
    assert scrub(tokens[-1]) == "***"
    assert scrub(tokens[0]) == tokens[0]  # long expired: no longer costs every scrub
    assert scrub("credential-never-forgotten-1") == "***"


# ------------------------------------------------------------------ answers searched per vendor


def test_an_answer_is_searched_for_the_secrets_sent_to_its_vendor() -> None:
    from skinmarkets._secret import may_hold_secret, register_secret

    tm_key, other_key = "tm-key-0123456789abcdef", "sb-secret-0123456789abcdef"
    register_secret(Secret(tm_key), owner="market_tm")
    register_secret(Secret(other_key), owner="skinsback")
    body = '{"echo": "%s"}'

    assert may_hold_secret(body % tm_key, "market_tm")
    assert not may_hold_secret(body % tm_key, "skinsback")  # never sent there: not searched
    assert may_hold_secret(body % other_key, "skinsback")
    assert may_hold_secret(body % tm_key)  # no vendor named: every secret


def test_a_secret_nobody_claimed_is_searched_in_every_answer() -> None:
    from skinmarkets._secret import may_hold_secret, register_secret

    register_secret(Secret("unclaimed-0123456789abcdef"))
    register_secret(Secret("claimed-0123456789abcdef"), owner="market_tm")

    assert may_hold_secret('{"a": "unclaimed-0123456789abcdef"}', "swapgg")
    assert not may_hold_secret('{"a": "nothing here"}', "swapgg")


def test_a_value_sent_to_two_vendors_is_searched_in_both() -> None:
    from skinmarkets._secret import may_hold_secret, register_secret

    shared = "same-key-0123456789abcdef"
    register_secret(Secret(shared), owner="market_tm")
    register_secret(Secret(shared), owner="swapgg")

    assert may_hold_secret(f'"{shared}"', "market_tm") and may_hold_secret(f'"{shared}"', "swapgg")


def test_an_escaped_ascii_character_still_counts_as_a_possible_secret() -> None:
    from skinmarkets._secret import may_hold_secret, register_secret

    register_secret(Secret("tm-key-0123456789abcdef"), owner="market_tm")

    assert may_hold_secret('"tm-key-\\u0030123456789abcdef"', "market_tm")
    assert not may_hold_secret('"\\u0410\\u0411 only cyrillic escapes"', "market_tm")


def test_a_transport_claims_the_secrets_of_its_auth_and_scrubs_its_answers() -> None:
    import responses

    from skinmarkets._http.auth import HeaderKeyAuth
    from tests.transport_support import BASE_URL, make_transport

    key = "transport-key-0123456789abcdef"
    transport = make_transport(auth=HeaderKeyAuth("X-API-KEY", Secret(key)))
    with responses.RequestsMock() as mock:
        mock.get(f"{BASE_URL}/echo", json={"you_sent": key})
        answer = transport.request("GET", "/echo", operation="echo")
    assert key not in repr(answer.data) and key not in repr(answer.payload)

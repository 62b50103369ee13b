"""The request signature and the webhook helpers, against the doc's worked examples."""

from __future__ import annotations

import json
from typing import Any

import pytest

import skinmarkets.vendors.skinsback as skinsback
from skinmarkets import errors
from skinmarkets._http import skinsback_sign
from skinmarkets.models import TradeStatus
from skinmarkets.money import Money
from skinmarkets.vendors.skinsback import (
    BalanceChangeEvent,
    PurchaseEvent,
    StatusChangeEvent,
    UnknownEvent,
    parse_event,
    verify_event_signature,
)
from tests.support import load_fixture
from tests.vendors.skinsback.phpform import expected_sign

VECTORS = load_fixture("skinsback", "signature.vectors")
EVENTS = ["events.balance_change", "events.buy_item", "events.status_change"]


def _event(name: str) -> dict[str, Any]:
    return load_fixture("skinsback", name)


# ---------------------------------------------------------------------- request signature


@pytest.mark.parametrize("vector", VECTORS["vectors"], ids=lambda v: v["name"][:40])
def test_worked_example_signs_to_the_documented_sign(vector: dict[str, Any]) -> None:
    assert skinsback_sign(vector["params"], vector["secret"]) == vector["sign"]


@pytest.mark.parametrize("vector", VECTORS["vectors"], ids=lambda v: v["name"][:40])
def test_independent_server_check_agrees_with_the_worked_example(vector: dict[str, Any]) -> None:
    assert expected_sign(vector["params"], vector["secret"]) == vector["sign"]


def test_php_array_keys_are_left_out_of_the_signature() -> None:
    pairs = [("method", "market_getinfo"), ("shopid", "123"), ("custom_ids[]", "order-1")]
    assert skinsback_sign(pairs, "secret") == "4304b81c865e89b5320442baa65ed1436a11c4d5"


@pytest.mark.parametrize("value", [True, 1.5])
def test_a_bool_or_float_cannot_be_signed(value: object) -> None:
    with pytest.raises(TypeError):
        skinsback_sign({"method": "balance", "full": value}, "secret")


# ---------------------------------------------------------------------- webhook signature


def test_doc_webhook_example_verifies() -> None:
    hook = VECTORS["webhook"]
    assert verify_event_signature(hook["body_text"].encode(), hook["signature"], hook["secret"])


@pytest.mark.parametrize("name", EVENTS)
def test_event_sample_verifies_with_its_signature(name: str) -> None:
    event = _event(name)
    assert verify_event_signature(event["body_text"].encode(), event["signature"], event["secret"])


@pytest.mark.parametrize("name", EVENTS)
def test_tampered_event_does_not_verify(name: str) -> None:
    event = _event(name)
    body = event["body_text"].replace('"', "'", 1).encode()
    assert not verify_event_signature(body, event["signature"], event["secret"])


@pytest.mark.parametrize("name", EVENTS)
def test_truncated_event_does_not_verify(name: str) -> None:
    event = _event(name)
    assert not verify_event_signature(
        event["body_text"].encode()[:-1], event["signature"], event["secret"]
    )


def test_wrong_secret_does_not_verify() -> None:
    hook = VECTORS["webhook"]
    assert not verify_event_signature(hook["body_text"].encode(), hook["signature"], "other")


@pytest.mark.parametrize(
    ("body", "signature", "secret"),
    [
        (b"{}", None, "secret"),
        (b"{}", "zz" * 32, "secret"),
        (b"{}", "abc", "secret"),
        (b"{}", "", "secret"),
        (None, "ab" * 32, "secret"),
        ("{}", "ab" * 32, "secret"),
        (b"{}", "ab" * 32, None),
        (b"{}", "ab" * 32, ""),
        (b"{}", "\u0661" * 64, "secret"),
        (b"{}", 12345, "secret"),
    ],
)
def test_malformed_input_is_false_never_an_exception(
    body: Any, signature: Any, secret: Any
) -> None:
    assert verify_event_signature(body, signature, secret) is False


def test_uppercase_hex_signature_verifies() -> None:
    hook = VECTORS["webhook"]
    body = hook["body_text"].encode()
    assert verify_event_signature(body, hook["signature"].upper(), hook["secret"])


# ---------------------------------------------------------------------- parsing events


def test_buy_item_is_a_purchase_event_priced_by_the_debited_sum() -> None:
    event = parse_event(_event("events.buy_item")["body_text"].encode())
    assert isinstance(event, PurchaseEvent)
    assert (event.buy_id, event.custom_id, event.item_id) == ("65", "123456", "2516")
    assert event.price == Money("29.93", "USD")
    assert event.status is TradeStatus.PENDING


def test_status_change_is_a_status_change_event_with_the_offer_id() -> None:
    event = parse_event(_event("events.status_change")["body_text"])
    assert isinstance(event, StatusChangeEvent)
    assert event.offer_status == "waiting_accept"
    assert event.status is TradeStatus.SENT
    assert event.trade_offer_id == _event("events.status_change")["body"]["data"]["tradeofferid"]


def test_balance_change_is_a_balance_change_event() -> None:
    event = parse_event(_event("events.balance_change")["body"])
    assert isinstance(event, BalanceChangeEvent)
    assert str(event.balance_value) == "100.50"


def test_a_negative_balance_in_an_event_cannot_be_true_and_is_none_with_raw_kept() -> None:
    body = _event("events.balance_change")["body"]
    body = {**body, "data": {**body["data"], "balance_value": "-501.00"}}
    event = parse_event(json.dumps(body))
    assert isinstance(event, BalanceChangeEvent)
    assert event.balance_value is None
    assert event.raw["data"]["balance_value"] == "-501.00"


def test_unknown_event_kind_is_kept_not_refused() -> None:
    event = parse_event(json.dumps({"event": "auth_success"}).encode())
    assert isinstance(event, UnknownEvent) and event.event == "auth_success"


@pytest.mark.parametrize(
    "body", [b"", b"{", b"[]", b'{"data": {}}', b'{"event": "buy_item", "data": 3}', b"\xff"]
)
def test_malformed_event_is_an_unexpected_response(body: bytes) -> None:
    with pytest.raises(errors.UnexpectedResponse):
        parse_event(body)


def test_the_vendor_package_exports_the_adapter_and_the_webhook_helpers() -> None:
    assert {"Skinsback", "verify_event_signature", "parse_event"} <= set(skinsback.__all__)

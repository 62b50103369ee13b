"""The vendor-neutral models: frozen, slotted, string ids, aware UTC times, Money amounts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import attrs
import pytest

from skinmarkets.models import (
    Balance,
    Direction,
    Listing,
    PriceQuote,
    Purchase,
    Trade,
    TradeStatus,
)
from skinmarkets.money import Money

PRICE = Money("4.00", "USD")
WHEN = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def listing(**changes: Any) -> Listing:
    fields: dict[str, Any] = {
        "market": "market_tm:cs2",
        "id": "1",
        "market_hash_name": "AK-47 | Redline (Field-Tested)",
        "price": PRICE,
        "app_id": 730,
        "raw": {"id": 1},
    }
    return Listing(**(fields | changes))


def purchase(**changes: Any) -> Purchase:
    fields: dict[str, Any] = {
        "market": "market_tm:cs2",
        "id": "9",
        "custom_id": "abc",
        "market_hash_name": "AK-47 | Redline (Field-Tested)",
        "price": PRICE,
        "status": TradeStatus.PENDING,
    }
    return Purchase(**(fields | changes))


def trade(**changes: Any) -> Trade:
    fields: dict[str, Any] = {
        "market": "market_tm:cs2",
        "id": "t1",
        "status": TradeStatus.SENT,
        "direction": Direction.INCOMING,
    }
    return Trade(**(fields | changes))


def quote(**changes: Any) -> PriceQuote:
    fields: dict[str, Any] = {
        "market": "market_tm:cs2",
        "market_hash_name": "AK-47 | Redline (Field-Tested)",
        "lowest_ask": PRICE,
        "highest_bid": None,
        "quantity": 3,
        "observed_at": WHEN,
    }
    return PriceQuote(**(fields | changes))


def balance(**changes: Any) -> Balance:
    return Balance(**({"market": "market_tm:cs2", "available": PRICE} | changes))


EVERY_MODEL = [listing, purchase, trade, quote, balance]


# --------------------------------------------------------------------------- shape


@pytest.mark.parametrize("make", EVERY_MODEL, ids=lambda f: f.__name__)
def test_a_model_is_frozen(make: Any) -> None:
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        make().market = "other"


@pytest.mark.parametrize("make", EVERY_MODEL, ids=lambda f: f.__name__)
def test_a_model_is_slotted(make: Any) -> None:
    assert not hasattr(make(), "__dict__")


@pytest.mark.parametrize("make", EVERY_MODEL, ids=lambda f: f.__name__)
def test_raw_is_left_out_of_equality(make: Any) -> None:
    assert make(raw={"a": 1}) == make(raw={"b": 2})


@pytest.mark.parametrize("make", EVERY_MODEL, ids=lambda f: f.__name__)
def test_raw_is_left_out_of_repr(make: Any) -> None:
    assert "very-private-vendor-field" not in repr(make(raw={"very-private-vendor-field": 1}))


def test_raw_is_kept() -> None:
    assert listing(raw={"id": 1, "extra": "x"}).raw == {"id": 1, "extra": "x"}


def test_raw_defaults_to_an_empty_mapping() -> None:
    assert dict(balance().raw) == {}


# --------------------------------------------------------------------------- identifiers


def test_an_int_id_becomes_a_str() -> None:
    assert listing(id=123, asset_id=456).id == "123"


def test_every_identifier_of_a_trade_becomes_a_str() -> None:
    t = trade(id=1, offer_id=2, bot_id=3, items=[4, "5"])

    assert (t.id, t.offer_id, t.bot_id, t.items) == ("1", "2", "3", ("4", "5"))


def test_purchase_identifiers_become_str() -> None:
    p = purchase(id=7, custom_id=8, trade_offer_id=9)

    assert (p.id, p.custom_id, p.trade_offer_id) == ("7", "8", "9")


@pytest.mark.parametrize("bad", [True, False, None, 1.5, Decimal(1)], ids=repr)
def test_an_id_that_is_not_a_str_or_int_is_a_type_error(bad: object) -> None:
    with pytest.raises(TypeError, match="identifier"):
        listing(id=bad)


def test_a_bool_inside_items_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="identifier"):
        trade(items=["1", True])


def test_items_given_as_one_string_is_a_type_error_not_one_id_per_character() -> None:
    with pytest.raises(TypeError, match="items must be a sequence"):
        trade(items="12345")


def test_an_empty_optional_id_is_none() -> None:
    assert trade(offer_id="").offer_id is None


# --------------------------------------------------------------------------- times


@pytest.mark.parametrize(
    "make",
    [
        lambda when: purchase(created_at=when),
        lambda when: trade(created_at=when),
        lambda when: quote(observed_at=when),
    ],
    ids=["purchase", "trade", "quote"],
)
def test_a_naive_datetime_is_a_value_error(make: Any) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        make(datetime(2026, 1, 2, 3, 4, 5))


def test_an_aware_datetime_is_kept_as_the_same_instant_in_utc() -> None:
    moscow = datetime(2026, 1, 2, 6, 4, 5, tzinfo=timezone(timedelta(hours=3)))

    created_at = trade(created_at=moscow).created_at

    assert created_at == WHEN
    assert created_at is not None and created_at.utcoffset() == timedelta(0)


def test_created_at_may_be_unknown() -> None:
    assert purchase().created_at is None


# --------------------------------------------------------------------------- money


@pytest.mark.parametrize(
    "make",
    [
        lambda amount: listing(price=amount),
        lambda amount: purchase(price=amount),
        lambda amount: balance(available=amount),
        lambda amount: balance(withdrawable=amount),
        lambda amount: quote(lowest_ask=amount),
        lambda amount: quote(highest_bid=amount),
    ],
    ids=["listing", "purchase", "balance", "withdrawable", "lowest_ask", "highest_bid"],
)
@pytest.mark.parametrize("amount", [Decimal("4.00"), "4.00", 4], ids=repr)
def test_an_amount_must_be_money(make: Any, amount: object) -> None:
    with pytest.raises(TypeError):
        make(amount)


# --------------------------------------------------------------------------- enums

FINAL = {
    TradeStatus.PENDING: False,
    TradeStatus.SENT: False,
    TradeStatus.ON_HOLD: False,
    TradeStatus.COMPLETED: True,
    TradeStatus.CANCELLED: True,
    TradeStatus.TIMED_OUT: True,
    TradeStatus.FAILED: True,
    TradeStatus.REVERSED: True,
    TradeStatus.UNKNOWN: False,
}


def test_every_trade_status_has_a_decided_finality() -> None:
    assert set(TradeStatus) == set(FINAL)


@pytest.mark.parametrize(("status", "final"), FINAL.items(), ids=lambda v: getattr(v, "name", v))
def test_is_final_only_for_statuses_that_cannot_change(status: TradeStatus, final: bool) -> None:
    assert status.is_final is final


def test_direction_values() -> None:
    assert {d.name: d.value for d in Direction} == {
        "INCOMING": "incoming",
        "OUTGOING": "outgoing",
    }

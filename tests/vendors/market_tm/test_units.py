"""market_tm's unit and code tables: the numbers the docs give, and classes that exist."""

from __future__ import annotations

import pytest

import skinmarkets as sm
from skinmarkets import TradeStatus
from skinmarkets._errortable import ErrorClass
from skinmarkets.vendors.market_tm import errors as tm_errors
from skinmarkets.vendors.market_tm import units
from skinmarkets.vendors.market_tm.adapter import CAPABILITIES

TABLE_CLASSES: list[ErrorClass] = sorted(
    {
        *tm_errors.BY_CODE.values(),
        *(c for _, c in tm_errors.BY_MESSAGE),
        *tm_errors.BY_STATUS.values(),
        *tm_errors.TABLE.exact.values(),
        *(c for _, c in tm_errors.TABLE.substrings),
        *tm_errors.TABLE.by_status.values(),
    },
    key=lambda c: c.__name__,
)


def test_minor_units_are_100_per_rub_and_1000_per_usd_and_eur() -> None:
    assert dict(units.MINOR_UNITS) == {"RUB": 100, "USD": 1000, "EUR": 1000}


@pytest.mark.parametrize("error_class", TABLE_CLASSES, ids=lambda c: c.__name__)
def test_every_error_table_entry_is_a_class_of_the_public_tree(error_class: ErrorClass) -> None:
    assert issubclass(error_class, sm.errors.SkinMarketsError)
    assert error_class.__name__ in sm.errors.__all__
    assert getattr(sm.errors, error_class.__name__) is error_class


def test_the_error_table_keeps_every_row_after_normalising() -> None:
    assert len(tm_errors.TABLE.exact) == len(tm_errors.BY_CODE)
    assert len(tm_errors.TABLE.substrings) == len(tm_errors.BY_MESSAGE)


def test_stage_status_maps_the_documented_stages_to_trade_statuses() -> None:
    assert dict(units.STAGE_STATUS) == {
        1: TradeStatus.PENDING,
        2: TradeStatus.COMPLETED,
        5: TradeStatus.TIMED_OUT,
    }


def test_every_stage_status_entry_is_a_trade_status() -> None:
    assert all(isinstance(status, TradeStatus) for status in units.STAGE_STATUS.values())


def test_item_statuses_are_the_documented_numbers() -> None:
    assert (
        units.ITEM_ON_SALE,
        units.ITEM_SOLD_MUST_GIVE,
        units.ITEM_WAITING_FOR_SELLER,
        units.ITEM_READY_TO_TAKE,
    ) == (1, 2, 3, 4)


def test_nothing_to_take_is_error_3001() -> None:
    assert units.NOTHING_TO_TAKE == 3001


def test_trade_direction_out_is_incoming_and_in_is_outgoing() -> None:
    assert (units.DIRECTION_INCOMING, units.DIRECTION_OUTGOING) == ("out", "in")


def test_every_game_has_a_host_and_an_app_id() -> None:
    assert set(units.HOSTS) == set(units.APP_IDS) == {"cs2", "dota2", "rust", "tf2"}
    assert dict(units.APP_IDS) == {"cs2": 730, "dota2": 570, "rust": 252490, "tf2": 440}


def test_every_game_alias_names_a_known_game() -> None:
    assert set(units.GAME_ALIASES.values()) <= set(units.HOSTS)


def test_capabilities_advertise_the_currencies_with_a_minor_unit_and_the_rate_limit() -> None:
    assert frozenset(units.MINOR_UNITS) == CAPABILITIES.currencies
    assert CAPABILITIES.requests_per_second == units.REQUESTS_PER_SECOND == 5


def test_custom_id_is_at_most_50_characters() -> None:
    assert units.CUSTOM_ID_MAX_LENGTH == 50

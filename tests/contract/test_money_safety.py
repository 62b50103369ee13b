"""Money is never a binary float: not in amounts, not in any field, not in the kept vendor JSON."""

from __future__ import annotations

from decimal import Decimal

import pytest

import skinmarkets as sm
from tests.contract.failures import CUSTOM_ID, UNKNOWN_CODE, raised
from tests.contract.harness import VendorHarness
from tests.contract.inspection import floats_in, walk


def _money_amount_types(value: object) -> list[tuple[str, type]]:
    return [(path, type(node.amount)) for path, node in walk(value) if isinstance(node, sm.Money)]


def _assert_decimal_money_and_no_float(value: object) -> None:
    amounts = _money_amount_types(value)
    assert amounts, "no Money found in the returned value"
    assert all(kind is Decimal for _, kind in amounts), amounts
    assert floats_in(value) == []


def test_listings_hold_decimal_money_and_no_float(h: VendorHarness) -> None:
    market = h.connect()
    with h.mock() as mock:
        h.add_listings(mock)
        listings = market.list_for_sale(h.item_name)
    _assert_decimal_money_and_no_float(listings)
    for listing in listings:
        assert listing.float_value is None or isinstance(listing.float_value, Decimal)


def test_bought_purchase_holds_decimal_money_and_no_float(h: VendorHarness) -> None:
    market = h.connect()
    listing = h.listing(market)
    with h.mock() as mock:
        h.add_buy_ok(mock)
        purchase = market.buy(listing, custom_id=CUSTOM_ID)
    _assert_decimal_money_and_no_float(purchase)


def test_bought_purchase_costs_no_more_than_max_price(h: VendorHarness) -> None:
    market = h.connect()
    listing = h.listing(market)
    with h.mock() as mock:
        h.add_buy_ok(mock)
        purchase = market.buy(listing, max_price=listing.price, custom_id=CUSTOM_ID)
    assert purchase.price <= listing.price


def test_looked_up_purchase_holds_decimal_money_and_no_float(h: VendorHarness) -> None:
    market = h.connect()
    if not market.capabilities.purchase_lookup:
        pytest.skip(f"{h.vendor} cannot look purchases up")
    listing = h.listing(market)
    with h.mock() as mock:
        h.add_buy_ambiguous(mock, "read_timeout")
        h.add_lookup_found(mock, CUSTOM_ID)
        purchase = market.buy(listing, custom_id=CUSTOM_ID)
    _assert_decimal_money_and_no_float(purchase)


def test_balance_holds_decimal_money_and_no_float(h: VendorHarness) -> None:
    market = h.connect()
    with h.mock() as mock:
        h.add_balance(mock)
        balance = market.balance()
    _assert_decimal_money_and_no_float(balance)
    assert balance.available.amount == h.balance_amount


def test_active_trades_hold_no_float(h: VendorHarness) -> None:
    market = h.connect()
    with h.mock() as mock:
        h.add_active_trades(mock)
        trades = market.active_trades()
    assert trades
    assert floats_in(trades) == []


def test_price_quotes_hold_decimal_money_and_no_float(h: VendorHarness) -> None:
    market = h.connect()
    if not market.capabilities.price_list:
        pytest.skip(f"{h.vendor} does not advertise price_list")
    with h.mock() as mock:
        h.add_price_list(mock)
        quotes = market.prices()  # type: ignore[attr-defined]
    _assert_decimal_money_and_no_float(quotes)


def test_error_raw_keeps_vendor_numbers_as_decimal(h: VendorHarness) -> None:
    market = h.connect()
    with h.mock() as mock:
        h.add_answer(
            mock,
            h.balance_endpoint,
            status=400,
            text=f'{{"success": false, "error": "{UNKNOWN_CODE}", "balance": 1.25}}',
        )
        error = raised(market.balance)
    assert isinstance(error, sm.errors.APIError)
    assert floats_in(error.raw) == []
    assert any(node == Decimal("1.25") for _, node in walk(error.raw))

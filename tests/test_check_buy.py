"""``_checks.check_buy``: the refusals every adapter's ``buy`` raises before sending."""

from __future__ import annotations

import pytest

from skinmarkets import Listing, Money, errors
from skinmarkets._checks import check_buy

LISTING = Listing(
    market="v:cs2",
    id="1",
    market_hash_name="AK-47 | Redline (Field-Tested)",
    price=Money("4.00", "USD"),
    app_id=730,
)


def test_the_cap_defaults_to_the_listing_price() -> None:
    assert check_buy("v", "v:cs2", LISTING, None) == (LISTING, Money("4.00", "USD"))


def test_a_cap_at_or_above_the_price_is_returned() -> None:
    assert check_buy("v", "v:cs2", LISTING, Money("4.5", "USD"))[1] == Money("4.5", "USD")


def test_something_other_than_a_listing_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="takes a Listing"):
        check_buy("v", "v:cs2", {"id": "1"}, None)


def test_a_listing_of_another_market_is_invalid_request() -> None:
    with pytest.raises(errors.InvalidRequest, match="belongs to 'v:cs2', not 'w'"):
        check_buy("v", "w", LISTING, None)


def test_a_float_cap_is_a_type_error_showing_the_listing_currency() -> None:
    with pytest.raises(TypeError, match=r"Money\('4.00', 'USD'\).*binary floats"):
        check_buy("v", "v:cs2", LISTING, 4.0)


def test_a_cap_in_another_currency_is_a_currency_mismatch() -> None:
    with pytest.raises(errors.InvalidRequest) as raised:
        check_buy("v", "v:cs2", LISTING, Money("5", "EUR"))
    assert raised.value.code == "currency_mismatch"


def test_a_cap_below_the_price_is_price_exceeded_with_both_amounts() -> None:
    with pytest.raises(errors.PriceExceeded, match="nothing was sent") as raised:
        check_buy("v", "v:cs2", LISTING, Money("3.99", "USD"))
    assert (raised.value.price, raised.value.max_price) == (
        Money("4.00", "USD").amount,
        Money("3.99", "USD").amount,
    )

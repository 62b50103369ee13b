"""``_checks.check_buy`` and ``check_purchases``: refusals every adapter raises before sending."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import attrs
import pytest

from skinmarkets import Listing, Money, Purchase, TradeStatus, _checks, errors

LISTING = Listing(
    market="v:cs2",
    id="1",
    market_hash_name="AK-47 | Redline (Field-Tested)",
    price=Money("4.00", "USD"),
    app_id=730,
)
CURRENCIES = frozenset({"USD"})


def check_buy(
    vendor: str, market: str, currencies: Collection[str], listing: object, max_price: object
) -> tuple[Listing, Money]:
    return _checks.check_buy(vendor, market, listing, max_price, currencies=currencies)


def tampered(listing: Listing, **fields: Any) -> Listing:
    """``listing`` with fields set past its converters (as a careless caller could)."""
    copy = attrs.evolve(listing)
    for name, value in fields.items():
        object.__setattr__(copy, name, value)
    return copy


def test_the_cap_defaults_to_the_listing_price() -> None:
    assert check_buy("v", "v:cs2", CURRENCIES, LISTING, None) == (LISTING, Money("4.00", "USD"))


def test_a_cap_at_or_above_the_price_is_returned() -> None:
    cap = check_buy("v", "v:cs2", CURRENCIES, LISTING, Money("4.5", "USD"))[1]
    assert cap == Money("4.5", "USD")


def test_something_other_than_a_listing_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="pass a Listing from list_for_sale, got dict"):
        check_buy("v", "v:cs2", CURRENCIES, {"id": "1"}, None)


def test_a_listing_of_another_market_is_invalid_request() -> None:
    with pytest.raises(errors.InvalidRequest, match="belongs to 'v:cs2', not 'w'"):
        check_buy("v", "w", CURRENCIES, LISTING, None)


def test_a_float_cap_is_a_type_error_showing_the_listing_currency() -> None:
    with pytest.raises(TypeError, match=r"Money\('4.00', 'USD'\).*binary floats"):
        check_buy("v", "v:cs2", CURRENCIES, LISTING, 4.0)


def test_a_cap_in_another_currency_is_a_currency_mismatch() -> None:
    with pytest.raises(errors.InvalidRequest) as raised:
        check_buy("v", "v:cs2", CURRENCIES, LISTING, Money("5", "EUR"))
    assert raised.value.code == "currency_mismatch"


def test_a_cap_below_the_price_is_price_exceeded_with_both_amounts() -> None:
    with pytest.raises(errors.PriceExceeded, match="nothing was sent") as raised:
        check_buy("v", "v:cs2", CURRENCIES, LISTING, Money("3.99", "USD"))
    assert (raised.value.price, raised.value.max_price) == (
        Money("4.00", "USD").amount,
        Money("3.99", "USD").amount,
    )


@pytest.mark.parametrize("listing", [None, "abc", 5, {"id": "1"}])
def test_something_other_than_a_listing_says_to_pass_one_from_list_for_sale(
    listing: object,
) -> None:
    with pytest.raises(TypeError, match=r"^v: buy: pass a Listing from list_for_sale, got "):
        check_buy("v", "v:cs2", CURRENCIES, listing, None)


@pytest.mark.parametrize("amount", ["0", "0.00", "-1", "-0.001"])
def test_a_listing_whose_price_is_not_positive_is_invalid_request(amount: str) -> None:
    listing = attrs.evolve(LISTING, price=Money(amount, "USD"))
    with pytest.raises(errors.InvalidRequest, match=r"listing\.price must be more than 0"):
        check_buy("v", "v:cs2", CURRENCIES, listing, None)


@pytest.mark.parametrize("listing_id", ["", "   ", None, 5])
def test_a_listing_with_an_empty_or_non_str_id_is_invalid_request(listing_id: object) -> None:
    with pytest.raises(errors.InvalidRequest, match=r"listing\.id must be the non-empty id"):
        check_buy("v", "v:cs2", CURRENCIES, tampered(LISTING, id=listing_id), None)


def test_a_listing_whose_price_is_not_money_is_invalid_request() -> None:
    with pytest.raises(errors.InvalidRequest, match=r"listing\.price must be skinmarkets\.Money"):
        check_buy("v", "v:cs2", CURRENCIES, tampered(LISTING, price="4.00"), None)


def test_a_listing_in_a_currency_the_market_does_not_trade_is_a_currency_mismatch() -> None:
    listing = attrs.evolve(LISTING, price=Money("4.00", "GBP"))
    with pytest.raises(errors.InvalidRequest, match="GBP but v:cs2 trades in EUR, USD") as raised:
        check_buy("v", "v:cs2", {"USD", "EUR"}, listing, Money("4.00", "GBP"))
    assert raised.value.code == "currency_mismatch"


def test_a_listing_of_another_market_is_refused_before_its_other_fields() -> None:
    listing = attrs.evolve(LISTING, market="w", price=Money("-1", "GBP"))
    with pytest.raises(errors.InvalidRequest, match="belongs to 'w'"):
        check_buy("v", "v:cs2", CURRENCIES, listing, None)


# --------------------------------------------------------------------------- check_purchases

PURCHASE = Purchase(
    market="v:cs2",
    id="9",
    custom_id="c",
    market_hash_name="AK-47 | Redline (Field-Tested)",
    price=Money("4.00", "USD"),
    status=TradeStatus.PENDING,
)


def test_none_means_every_purchase() -> None:
    assert _checks.check_purchases("v", "v:cs2", None) is None


@pytest.mark.parametrize("purchases", [[], (), [PURCHASE], (PURCHASE, PURCHASE)])
def test_a_list_or_tuple_of_this_markets_purchases_is_returned_as_a_tuple(
    purchases: Any,
) -> None:
    assert _checks.check_purchases("v", "v:cs2", purchases) == tuple(purchases)


def test_a_lone_purchase_is_a_type_error_saying_to_wrap_it_in_a_list() -> None:
    with pytest.raises(TypeError, match=r"got one Purchase; pass it in a list: \[purchase\]"):
        _checks.check_purchases("v", "v:cs2", PURCHASE)


@pytest.mark.parametrize("purchases", ["notalist", b"ids", 5, {PURCHASE}, {"id": "9"}])
def test_a_string_or_another_object_is_a_type_error(purchases: object) -> None:
    with pytest.raises(TypeError, match=r"^v: withdraw takes None \(everything held\) or a list"):
        _checks.check_purchases("v", "v:cs2", purchases)


@pytest.mark.parametrize("item", [None, "9", LISTING])
def test_an_item_that_is_not_a_purchase_is_a_type_error_naming_its_index(item: object) -> None:
    with pytest.raises(TypeError, match="at index 1"):
        _checks.check_purchases("v", "v:cs2", [PURCHASE, item])


def test_a_purchase_of_another_market_is_invalid_request() -> None:
    other = attrs.evolve(PURCHASE, market="w")
    with pytest.raises(errors.InvalidRequest, match=r"purchases\[0\] was made on 'w'"):
        _checks.check_purchases("v", "v:cs2", [other])

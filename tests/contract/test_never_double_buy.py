"""``buy`` never buys twice: one request per call, lookups not retries, local checks first."""

from __future__ import annotations

import attrs
import pytest

import skinmarkets as sm
from skinmarkets import errors
from tests.contract.failures import CUSTOM_ID, other_currency
from tests.contract.harness import AMBIGUOUS_FAILURES, BUY_REFUSALS, VendorHarness


def _needs_lookup(market: sm.Marketplace, h: VendorHarness) -> None:
    if not market.capabilities.purchase_lookup:
        pytest.skip(f"{h.vendor} cannot look purchases up")


def _needs_idempotent_buy(market: sm.Marketplace, h: VendorHarness) -> None:
    if not market.capabilities.idempotent_buy:
        pytest.skip(f"{h.vendor} has no server-side custom_id")


# ---------------------------------------------------------------------- no answer came


@pytest.mark.parametrize("kind", AMBIGUOUS_FAILURES)
def test_unanswered_buy_is_sent_once_and_returns_the_purchase_found_by_custom_id(
    h: VendorHarness, kind: str
) -> None:
    market, sleeps = h.connect_retrying()  # a transport that retried writes would show
    _needs_lookup(market, h)
    listing = h.listing(market)
    with h.mock() as mock:
        h.add_buy_ambiguous(mock, kind)
        h.add_lookup_found(mock, CUSTOM_ID)
        purchase = market.buy(listing, custom_id=CUSTOM_ID)
        assert h.buy_calls(mock) == 1
        assert h.lookup_calls(mock) >= 1
    assert sleeps == []
    assert isinstance(purchase, sm.Purchase)
    assert purchase.custom_id == CUSTOM_ID


@pytest.mark.parametrize("kind", AMBIGUOUS_FAILURES)
def test_unanswered_buy_not_found_by_lookup_raises_outcome_unknown_with_the_custom_id(
    h: VendorHarness, kind: str
) -> None:
    market, _ = h.connect_retrying()
    listing = h.listing(market)
    with h.mock() as mock:
        h.add_buy_ambiguous(mock, kind)
        h.add_lookup_not_found(mock, CUSTOM_ID)
        with pytest.raises(errors.OutcomeUnknown) as caught:
            market.buy(listing, custom_id=CUSTOM_ID)
        assert h.buy_calls(mock) == 1
    assert caught.value.custom_id == CUSTOM_ID


# ---------------------------------------------------------------------- one custom_id, one purchase


def test_duplicate_custom_id_refusal_returns_the_existing_purchase_without_buying_again(
    h: VendorHarness,
) -> None:
    market = h.connect()
    _needs_idempotent_buy(market, h)
    listing = h.listing(market)
    with h.mock() as mock:
        h.add_buy_duplicate(mock)
        h.add_lookup_found(mock, CUSTOM_ID)
        purchase = market.buy(listing, custom_id=CUSTOM_ID)
        assert h.buy_calls(mock) == 1
    assert purchase.custom_id == CUSTOM_ID


@pytest.mark.parametrize("lookup", ["not_found", "read_timeout"])
def test_duplicate_custom_id_refusal_whose_lookup_fails_never_claims_nothing_was_bought(
    h: VendorHarness, lookup: str
) -> None:
    market = h.connect()
    _needs_idempotent_buy(market, h)
    listing = h.listing(market)
    with h.mock() as mock:
        h.add_buy_duplicate(mock)
        if lookup == "not_found":
            h.add_lookup_not_found(mock, CUSTOM_ID)
        else:
            h.add_transport_failure(mock, h.lookup_endpoint, lookup)
        with pytest.raises(errors.SkinMarketsError) as caught:
            market.buy(listing, custom_id=CUSTOM_ID)
        assert h.buy_calls(mock) == 1
    error = caught.value
    # The vendor said the id exists: one answer on every vendor, naming the id.
    assert type(error) is errors.DuplicateCustomId, repr(error)
    assert error.custom_id == CUSTOM_ID


def test_buying_twice_with_one_custom_id_returns_the_same_purchase_both_times(
    h: VendorHarness,
) -> None:
    market = h.connect()
    _needs_idempotent_buy(market, h)
    listing = h.listing(market)
    with h.mock() as mock:
        h.add_buy_ok(mock)
        h.add_buy_duplicate(mock)  # answers the second buy request
        h.add_lookup_found(mock, CUSTOM_ID)
        first = market.buy(listing, custom_id=CUSTOM_ID)
        second = market.buy(listing, custom_id=CUSTOM_ID)
        assert h.buy_calls(mock) == 1  # a known custom_id is never sent again
        assert h.sent_custom_ids(mock) == [CUSTOM_ID]
    assert first.custom_id == second.custom_id == CUSTOM_ID
    assert second.id == first.id


def test_a_second_market_object_with_the_same_key_never_buys_a_known_custom_id_again(
    h: VendorHarness,
) -> None:
    first_market, second_market = h.connect(), h.connect()
    listing = h.listing(first_market)
    with h.mock() as mock:
        h.add_buy_ok(mock)
        h.add_buy_ok(mock)
        first = first_market.buy(listing, custom_id=CUSTOM_ID)
        second = second_market.buy(listing, custom_id=CUSTOM_ID)
        assert h.buy_calls(mock) == 1
    assert second.id == first.id and second.custom_id == CUSTOM_ID


def test_a_known_custom_id_with_another_listing_is_duplicate_before_sending(
    h: VendorHarness,
) -> None:
    market = h.connect()
    listing = h.listing(market)
    other = attrs.evolve(listing, id=listing.id + "0")
    with h.mock() as mock:
        h.add_buy_ok(mock)
        market.buy(listing, custom_id=CUSTOM_ID)
        with pytest.raises(errors.DuplicateCustomId) as caught:
            h.connect().buy(other, custom_id=CUSTOM_ID)  # another object: the same rule
        assert h.buy_calls(mock) == 1
    assert caught.value.custom_id == CUSTOM_ID


@pytest.mark.parametrize("kind", AMBIGUOUS_FAILURES)
def test_a_custom_id_left_ambiguous_is_looked_up_again_never_sent_again(
    h: VendorHarness, kind: str
) -> None:
    market = h.connect()
    listing = h.listing(market)
    with h.mock() as mock:
        h.add_buy_ambiguous(mock, kind)
        h.add_lookup_not_found(mock, CUSTOM_ID)
        with pytest.raises(errors.OutcomeUnknown):
            market.buy(listing, custom_id=CUSTOM_ID)
        with pytest.raises(errors.OutcomeUnknown) as caught:
            market.buy(listing, custom_id=CUSTOM_ID)
        assert h.buy_calls(mock) == 1
        assert h.lookup_calls(mock) >= 2
    assert caught.value.custom_id == CUSTOM_ID


def test_custom_id_is_generated_when_not_given_and_returned(h: VendorHarness) -> None:
    market = h.connect()
    listing = h.listing(market)
    with h.mock() as mock:
        h.add_buy_ok(mock)
        purchase = market.buy(listing)
        sent = h.sent_custom_ids(mock)
    assert isinstance(purchase.custom_id, str) and purchase.custom_id.strip()
    assert sent == [purchase.custom_id] or sent == [None]


def test_generated_custom_ids_differ_between_buys(h: VendorHarness) -> None:
    market = h.connect()
    listing = h.listing(market)
    with h.mock() as mock:
        h.add_buy_ok(mock)
        h.add_buy_ok(mock)
        first = market.buy(listing)
        second = market.buy(listing)
    assert first.custom_id != second.custom_id


def test_given_custom_id_is_sent_and_returned(h: VendorHarness) -> None:
    market = h.connect()
    listing = h.listing(market)
    with h.mock() as mock:
        h.add_buy_ok(mock)
        purchase = market.buy(listing, custom_id=CUSTOM_ID)
        sent = h.sent_custom_ids(mock)
    assert purchase.custom_id == CUSTOM_ID
    assert sent == [CUSTOM_ID] or (sent == [None] and not market.capabilities.idempotent_buy)


def test_unanswered_buy_without_custom_id_reports_the_generated_one(h: VendorHarness) -> None:
    market = h.connect()
    listing = h.listing(market)
    with h.mock() as mock:
        h.add_buy_ambiguous(mock, "read_timeout")  # no lookup answer is registered
        with pytest.raises(errors.OutcomeUnknown) as caught:
            market.buy(listing)
        sent = h.sent_custom_ids(mock)
        assert h.buy_calls(mock) == 1
    generated = caught.value.custom_id
    assert isinstance(generated, str) and generated.strip()
    assert sent == [generated] or sent == [None]


# ---------------------------------------------------------------------- the vendor said no


@pytest.mark.parametrize("kind", list(BUY_REFUSALS))
def test_refused_buy_raises_its_mapped_error_without_a_lookup(h: VendorHarness, kind: str) -> None:
    market, _ = h.connect_retrying()
    listing = h.listing(market)
    with h.mock() as mock:
        h.add_buy_refusal(mock, kind)
        h.add_lookup_found(mock, CUSTOM_ID)
        with pytest.raises(BUY_REFUSALS[kind]):
            market.buy(listing, custom_id=CUSTOM_ID)
        assert h.buy_calls(mock) == 1
        assert h.lookup_calls(mock) == 0


# ---------------------------------------------------------------------- checked before sending


def test_float_max_price_raises_type_error_before_sending(h: VendorHarness) -> None:
    market = h.connect()
    listing = h.listing(market)
    with h.mock() as mock:
        with pytest.raises(TypeError):
            market.buy(listing, max_price=float(listing.price.amount))  # type: ignore[arg-type]  # float ok
        assert len(mock.calls) == 0


def test_max_price_in_another_currency_is_refused_before_sending(h: VendorHarness) -> None:
    market = h.connect()
    listing = h.listing(market)
    cap = sm.Money(listing.price.amount, other_currency(listing.price))
    with h.mock() as mock:
        with pytest.raises(errors.InvalidRequest):
            market.buy(listing, max_price=cap)
        assert len(mock.calls) == 0


def test_max_price_below_the_listing_price_raises_price_exceeded_before_sending(
    h: VendorHarness,
) -> None:
    market = h.connect()
    listing = h.listing(market)
    with h.mock() as mock:
        with pytest.raises(errors.PriceExceeded):
            market.buy(listing, max_price=listing.price / 2)
        assert len(mock.calls) == 0

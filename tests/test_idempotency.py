"""BuyMemory: a lost buy answer is settled by a search, never by buying again."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest

from skinmarkets import errors
from skinmarkets._idempotency import BuyMemory, SearchWords, Unsettled
from skinmarkets.models import Listing, Purchase, TradeStatus
from skinmarkets.money import Money

VENDOR = "somevendor"
CUSTOM_ID = "order-7"
WORDS = SearchWords(
    listing="sale", item="item", no_cause="an earlier lost answer", promise="it never re-sends"
)
LISTING = Listing(
    market=VENDOR,
    id="sale-1",
    market_hash_name="AK-47 | Redline (Field-Tested)",
    price=Money("8.50", "EUR"),
    app_id=730,
)


def _purchase(custom_id: str, listing: Listing) -> Purchase:
    return Purchase(
        market=VENDOR,
        id=listing.id,
        custom_id=custom_id,
        market_hash_name=listing.market_hash_name,
        price=listing.price,
        status=TradeStatus.PENDING,
        created_at=datetime(2024, 1, 1, tzinfo=UTC),
        raw={"itemId": "held-1"},
    )


def _not_found(custom_id: str, listing: Listing) -> Purchase | None:
    return None


def _claimed() -> BuyMemory:
    memory = BuyMemory(VENDOR)
    assert memory.claim(CUSTOM_ID) is None
    return memory


def test_an_item_found_is_returned_as_the_purchase_and_remembered_with_its_listing() -> None:
    memory = _claimed()
    searched: list[tuple[str, Listing]] = []

    def search(custom_id: str, listing: Listing) -> Purchase | None:
        searched.append((custom_id, listing))
        return _purchase(custom_id, listing)

    found = memory.settle_by_search(CUSTOM_ID, LISTING, search, cause=None, words=WORDS)

    assert found == _purchase(CUSTOM_ID, LISTING)
    assert searched == [(CUSTOM_ID, LISTING)]
    assert memory.claim(CUSTOM_ID) == found
    assert memory.listing_of(found.id) == LISTING


def test_an_item_not_found_is_outcome_unknown_with_the_custom_id_and_vendor() -> None:
    memory = _claimed()
    with pytest.raises(errors.OutcomeUnknown) as caught:
        memory.settle_by_search(CUSTOM_ID, LISTING, _not_found, cause=None, words=WORDS)
    error = caught.value
    assert (error.custom_id, error.vendor, error.operation) == (CUSTOM_ID, VENDOR, "buy")
    assert str(error) == (
        "somevendor: buy: the outcome of sale 'sale-1' is unknown (an earlier lost answer) and "
        "the item was not found (not in the on-site inventory); it may still appear. Call buy "
        "again with custom_id 'order-7' to search again (it never re-sends), or check the "
        "inventory later"
    )


def test_an_item_not_found_leaves_the_buy_unsettled_with_its_listing() -> None:
    memory = _claimed()
    with pytest.raises(errors.OutcomeUnknown):
        memory.settle_by_search(CUSTOM_ID, LISTING, _not_found, cause=None, words=WORDS)
    assert memory.listing_of(LISTING.id) == LISTING
    assert memory.claim(CUSTOM_ID) == Unsettled(LISTING)


def test_the_error_that_lost_the_answer_is_named_and_its_raw_kept() -> None:
    memory = _claimed()
    cause = errors.ServiceUnavailable("502 on the purchase", vendor=VENDOR, raw={"status": 502})
    with pytest.raises(errors.OutcomeUnknown) as caught:
        memory.settle_by_search(CUSTOM_ID, LISTING, _not_found, cause=cause, words=WORDS)
    assert "is unknown (ServiceUnavailable)" in str(caught.value)
    assert caught.value.raw == {"status": 502}


def test_a_failed_search_is_outcome_unknown_not_the_search_error() -> None:
    memory = _claimed()

    def search(custom_id: str, listing: Listing) -> Purchase | None:
        raise errors.NetworkError("connection reset", vendor=VENDOR)

    with pytest.raises(errors.OutcomeUnknown) as caught:
        memory.settle_by_search(CUSTOM_ID, LISTING, search, cause=None, words=WORDS)

    assert "was not found (NetworkError)" in str(caught.value)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
    assert memory.claim(CUSTOM_ID) == Unsettled(LISTING)


def test_a_new_custom_id_is_claimed_for_sending_without_a_search() -> None:
    memory = BuyMemory(VENDOR)
    searches: list[str] = []

    def search(custom_id: str, listing: Listing) -> Purchase | None:
        searches.append(custom_id)
        return None

    assert memory.claim_or_settle(CUSTOM_ID, search, words=WORDS) is None
    assert searches == []


def test_a_second_call_while_the_first_may_be_sending_is_refused() -> None:
    memory = BuyMemory(VENDOR)
    assert memory.claim_or_settle(CUSTOM_ID, _not_found, words=WORDS) is None  # first: sends
    with pytest.raises(errors.DuplicateCustomId) as caught:
        memory.claim_or_settle(CUSTOM_ID, _not_found, words=WORDS)
    assert (caught.value.vendor, caught.value.code) == (VENDOR, "in_flight")


def test_a_custom_id_that_bought_returns_its_purchase_without_a_search() -> None:
    memory = _claimed()
    bought = _purchase(CUSTOM_ID, LISTING)
    memory.settle(CUSTOM_ID, bought, LISTING)

    def search(custom_id: str, listing: Listing) -> Purchase | None:
        raise AssertionError("a settled purchase is never searched for")

    assert memory.claim_or_settle(CUSTOM_ID, search, words=WORDS) == bought
    assert memory.claim_or_settle(CUSTOM_ID, search, words=WORDS) == bought


def test_a_repeated_unsettled_custom_id_is_searched_for_again_and_stays_unsettled() -> None:
    memory = BuyMemory(VENDOR)
    memory.settle(CUSTOM_ID, Unsettled(LISTING))
    searched: list[tuple[str, Listing]] = []

    def search(custom_id: str, listing: Listing) -> Purchase | None:
        searched.append((custom_id, listing))
        return None

    with pytest.raises(errors.OutcomeUnknown) as caught:
        memory.claim_or_settle(CUSTOM_ID, search, words=WORDS)

    assert searched == [(CUSTOM_ID, LISTING)]
    assert "is unknown (an earlier lost answer)" in str(caught.value)
    assert memory.claim(CUSTOM_ID) == Unsettled(LISTING)


def test_a_second_call_while_a_search_is_under_way_never_searches_or_sends() -> None:
    memory = BuyMemory(VENDOR)
    memory.settle(CUSTOM_ID, Unsettled(LISTING))
    searching, release = threading.Event(), threading.Event()
    searches: list[str] = []
    outcomes: list[Purchase | None] = []

    def search(custom_id: str, listing: Listing) -> Purchase | None:
        searches.append(custom_id)
        searching.set()
        assert release.wait(timeout=10)
        return _purchase(custom_id, listing)

    first = threading.Thread(
        target=lambda: outcomes.append(memory.claim_or_settle(CUSTOM_ID, search, words=WORDS))
    )
    first.start()
    assert searching.wait(timeout=10)
    with pytest.raises(errors.DuplicateCustomId) as caught:
        memory.claim_or_settle(CUSTOM_ID, search, words=WORDS)
    release.set()
    first.join(timeout=10)

    assert caught.value.code == "in_flight"
    assert searches == [CUSTOM_ID]
    assert outcomes == [_purchase(CUSTOM_ID, LISTING)]
    assert memory.claim(CUSTOM_ID) == outcomes[0]

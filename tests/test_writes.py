"""The one write flow: sent at most once, the three-way answer rule, one custom_id one target."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from skinmarkets import errors
from skinmarkets._store import open_store
from skinmarkets._writes import MemoryJournal, is_ambiguous, origin_of, write_once

VENDOR = "testvendor"


class Vendor:
    """A vendor stand-in: counts sends and lookups; each answer is scripted."""

    def __init__(self, answer: Callable[[], str], found: str | None = None) -> None:
        self.answer = answer
        self.found = found
        self.sends = 0
        self.lookups = 0

    def send(self) -> str:
        self.sends += 1
        return self.answer()

    def lookup(self) -> str | None:
        self.lookups += 1
        return self.found


def _raises(error: BaseException) -> Callable[[], str]:
    def answer() -> str:
        raise error

    return answer


def _write(vendor: Vendor, journal: MemoryJournal | None = None, **extra: object) -> str:
    return write_once(
        vendor=VENDOR,
        operation="buy",
        send=vendor.send,
        lookup=vendor.lookup,
        custom_id="cid-1" if journal is not None else None,
        journal=journal,
        target=str(extra.pop("target", "listing 1")),
        **extra,  # type: ignore[arg-type]
    )


REFUSALS = [
    errors.InsufficientFunds("no money", vendor=VENDOR, code="INSUFFICIENT_BALANCE"),
    errors.ItemUnavailable("gone", vendor=VENDOR),
    errors.RateLimited("slow down", vendor=VENDOR, retry_after=3),
    errors.AuthenticationError("bad key", vendor=VENDOR),
    errors.APIError("a code nobody mapped", vendor=VENDOR, code="NEW_CODE"),
]
AMBIGUOUS = [
    errors.OutcomeUnknown("no answer", vendor=VENDOR),
    errors.UnexpectedResponse("{}", vendor=VENDOR, raw={}),
    errors.ServiceUnavailable("half-way", vendor=VENDOR, code="INTERNAL_ERROR"),
    KeyError("status"),  # a bug reading the answer: never the user's problem
]


def test_an_understood_success_is_the_result_without_a_lookup() -> None:
    vendor = Vendor(lambda: "purchase")
    assert _write(vendor) == "purchase"
    assert (vendor.sends, vendor.lookups) == (1, 0)


@pytest.mark.parametrize("refusal", REFUSALS, ids=lambda e: type(e).__name__)
def test_a_well_formed_refusal_is_raised_as_it_is_without_a_lookup(
    refusal: errors.SkinMarketsError,
) -> None:
    vendor = Vendor(_raises(refusal), found="purchase")
    with pytest.raises(type(refusal)):
        _write(vendor, MemoryJournal(VENDOR))
    assert (vendor.sends, vendor.lookups) == (1, 0)


@pytest.mark.parametrize("failure", AMBIGUOUS, ids=lambda e: type(e).__name__)
def test_an_ambiguous_answer_found_by_the_lookup_is_the_result(failure: Exception) -> None:
    vendor = Vendor(_raises(failure), found="purchase")
    result = _write(vendor, MemoryJournal(VENDOR), ambiguous_codes={"INTERNAL_ERROR"})
    assert result == "purchase"
    assert (vendor.sends, vendor.lookups) == (1, 1)


@pytest.mark.parametrize("failure", AMBIGUOUS, ids=lambda e: type(e).__name__)
def test_an_ambiguous_answer_not_found_is_outcome_unknown_with_the_custom_id(
    failure: Exception,
) -> None:
    vendor = Vendor(_raises(failure))
    with pytest.raises(errors.OutcomeUnknown) as caught:
        _write(vendor, MemoryJournal(VENDOR), ambiguous_codes={"INTERNAL_ERROR"})
    assert caught.value.custom_id == "cid-1"
    assert caught.value.__suppress_context__  # the cause's traceback is not chained in
    assert vendor.sends == 1


def test_a_failing_lookup_is_outcome_unknown_not_the_lookups_error() -> None:
    def lookup() -> str | None:
        raise errors.Timeout("lookup timed out", vendor=VENDOR)

    with pytest.raises(errors.OutcomeUnknown, match="lookup failed"):
        write_once(
            vendor=VENDOR,
            operation="withdraw",
            send=_raises(errors.OutcomeUnknown("lost", vendor=VENDOR)),
            lookup=lookup,
        )


def test_a_write_without_a_lookup_is_outcome_unknown_after_an_ambiguous_answer() -> None:
    with pytest.raises(errors.OutcomeUnknown, match="cannot be looked up"):
        write_once(
            vendor=VENDOR,
            operation="delist",
            send=_raises(errors.UnexpectedResponse("odd", vendor=VENDOR)),
            lookup=None,
        )


def test_a_done_custom_id_returns_its_result_without_sending() -> None:
    journal, vendor = MemoryJournal(VENDOR), Vendor(lambda: "purchase")
    assert _write(vendor, journal) == _write(vendor, journal) == "purchase"
    assert vendor.sends == 1


def test_an_ambiguous_custom_id_is_looked_up_again_and_never_sent_again() -> None:
    journal = MemoryJournal(VENDOR)
    vendor = Vendor(_raises(errors.OutcomeUnknown("lost", vendor=VENDOR)))
    for _ in range(3):
        with pytest.raises(errors.OutcomeUnknown):
            _write(vendor, journal)
    vendor.found = "purchase"  # it appears at the vendor
    assert _write(vendor, journal) == "purchase"
    assert _write(vendor, journal) == "purchase"
    assert (vendor.sends, vendor.lookups) == (1, 4)


def test_a_refused_custom_id_is_free_again() -> None:
    journal = MemoryJournal(VENDOR)
    refused = Vendor(_raises(errors.InsufficientFunds("no money", vendor=VENDOR)))
    with pytest.raises(errors.InsufficientFunds):
        _write(refused, journal)
    assert _write(Vendor(lambda: "purchase"), journal) == "purchase"


def test_a_known_custom_id_with_another_target_is_duplicate_before_sending() -> None:
    journal, vendor = MemoryJournal(VENDOR), Vendor(lambda: "purchase")
    _write(vendor, journal, target="listing 1")
    with pytest.raises(errors.DuplicateCustomId) as caught:
        _write(vendor, journal, target="listing 2")
    assert caught.value.custom_id == "cid-1"
    assert vendor.sends == 1


def test_a_custom_id_under_way_in_another_thread_is_outcome_unknown_and_not_sent() -> None:
    journal = MemoryJournal(VENDOR)
    inside, release = threading.Event(), threading.Event()

    def slow() -> str:
        inside.set()
        assert release.wait(5)
        return "purchase"

    first = Vendor(slow)
    worker = threading.Thread(target=_write, args=(first, journal))
    worker.start()
    try:
        assert inside.wait(5)
        second = Vendor(lambda: "another purchase")
        with pytest.raises(errors.OutcomeUnknown) as caught:
            _write(second, journal)
        assert caught.value.code == "in_flight"
        assert second.sends == 0
    finally:
        release.set()
        worker.join(5)
    assert _write(Vendor(lambda: "never sent"), journal) == "purchase"


def test_the_vendors_duplicate_refusal_is_the_existing_purchase_when_found() -> None:
    exists = errors.DuplicateCustomId("exists", vendor=VENDOR, code="custom_id exist")
    vendor = Vendor(_raises(exists), found="purchase")
    assert _write(vendor, MemoryJournal(VENDOR)) == "purchase"


def test_the_vendors_duplicate_refusal_not_readable_is_duplicate_with_the_custom_id() -> None:
    exists = errors.DuplicateCustomId("exists", vendor=VENDOR, code="custom_id exist")
    with pytest.raises(errors.DuplicateCustomId) as caught:
        _write(Vendor(_raises(exists)), MemoryJournal(VENDOR))
    assert caught.value.custom_id == "cid-1"
    assert caught.value.code == "custom_id exist"


def test_a_precheck_refusal_frees_the_id_and_sends_nothing() -> None:
    journal, vendor = MemoryJournal(VENDOR), Vendor(lambda: "purchase")

    def dearer() -> None:
        raise errors.PriceExceeded("now dearer", vendor=VENDOR)

    with pytest.raises(errors.PriceExceeded):
        _write(vendor, journal, precheck=dearer)
    assert vendor.sends == 0
    assert _write(vendor, journal) == "purchase"


def test_an_interrupt_while_sending_leaves_the_id_ambiguous_so_it_is_never_resent() -> None:
    journal = MemoryJournal(VENDOR)
    with pytest.raises(KeyboardInterrupt):
        _write(Vendor(_raises(KeyboardInterrupt())), journal)
    later = Vendor(lambda: "second payment")
    with pytest.raises(errors.OutcomeUnknown):
        _write(later, journal)
    assert later.sends == 0


def test_market_objects_with_one_key_and_origin_share_a_journal() -> None:
    store = open_store("memory", vendor=VENDOR)
    one = store.journal(VENDOR, origin_of("https://api.example.test"), "hash-1", lease=1.0)
    again = store.journal(VENDOR, origin_of("HTTPS://API.example.test/"), "hash-1", lease=1.0)
    assert again is one
    assert store.journal(VENDOR, "https://api.example.test", "hash-2", lease=1.0) is not one
    assert store.journal(VENDOR, "https://other.example.test", "hash-1", lease=1.0) is not one


def test_the_origin_leaves_credentials_in_the_url_out() -> None:
    assert origin_of("https://user:pass@Host.test:8443/base/") == "https://host.test:8443/base"


def test_is_ambiguous_reads_only_answers_that_may_hide_a_write() -> None:
    assert is_ambiguous(errors.OutcomeUnknown("x"))
    assert is_ambiguous(errors.UnexpectedResponse("x"))
    assert is_ambiguous(errors.APIError("x", code="Failed to save"), {"Failed to save"})
    assert not is_ambiguous(errors.APIError("x", code="NO"), {"Failed to save"})
    assert not is_ambiguous(errors.RateLimited("x"))
    assert not is_ambiguous(KeyboardInterrupt())

"""The write journal on a shared store (SQLite, Redis): the same rules as ``MemoryJournal``.

The store does each step atomically (:class:`JournalBackend`); this class turns its answers into
the journal's rules and errors. Results and listings are kept as JSON (:mod:`.codec`). A store
that fails while claiming stops the write before it is sent (``StoreUnavailable``); one that
fails while recording an outcome is logged, and the claim, left in flight, is settled by lookup
once its lease ends: never sent again.
"""

from __future__ import annotations

import logging
from typing import Literal, Protocol

import attrs

from skinmarkets._seconds import Seconds
from skinmarkets._store.base import StoreUnavailable
from skinmarkets._store.codec import dump_listing, dump_purchase, load_listing, load_purchase
from skinmarkets._writes import Claim, State, duplicate, in_flight
from skinmarkets.models import Listing, Purchase

__all__ = ["ClaimOutcome", "JournalBackend", "JournalRecord", "StoredJournal"]

log = logging.getLogger("skinmarkets")

#: What a backend's atomic claim found: a new claim, a done id (its result), an ambiguous id or
#: an expired claim (now claimed for a lookup), a live claim elsewhere, or another target.
ClaimOutcome = tuple[Literal["new", "done", "ambiguous", "in_flight", "mismatch"], str, str | None]


@attrs.frozen
class JournalRecord:
    """What a backend records for one custom id (besides its key and lease)."""

    state: State
    #: What the write was for (the journal's target: listing, price, recipient).
    target: str
    #: The purchase as JSON (:mod:`.codec`) when the write is done, else None.
    result: str | None = None
    #: The listing as JSON; None keeps the listing recorded before.
    listing: str | None = None
    #: The purchase's id, under which its listing can be found again.
    result_id: str | None = None


class JournalBackend(Protocol):
    """The atomic steps a shared store does for the journal (``key``: vendor, origin, hash)."""

    def claim(
        self,
        key: str,
        custom_id: str,
        target: str,
        lease: Seconds,
    ) -> ClaimOutcome:
        """Atomically: claim the id, or report what it is (target known, result if done)."""
        ...

    def put(self, key: str, custom_id: str, record: JournalRecord, lease: Seconds) -> None:
        """Record the id's state (``lease``: how long an in-flight claim holds)."""
        ...

    def delete(self, key: str, custom_id: str) -> None:
        """Forget the id."""
        ...

    def listing_of(self, key: str, purchase_id: str) -> str | None:
        """The listing recorded with the purchase ``purchase_id`` (or the listing of that id)."""
        ...


class StoredJournal:
    """A :class:`~skinmarkets._writes.WriteJournal` kept by a shared store."""

    def __init__(
        self,
        backend: JournalBackend,
        store_name: str,
        vendor: str,
        key: str,
        lease: Seconds,
    ) -> None:
        self.vendor = vendor
        self._backend = backend
        self._store_name = store_name
        self._key = key
        self._lease = lease

    def __repr__(self) -> str:
        return f"StoredJournal({self.vendor!r}, store={self._store_name!r})"

    def _failed(self, what: str, cause: Exception) -> StoreUnavailable:
        return StoreUnavailable(
            f"{self.vendor}: the store {self._store_name} failed while {what} "
            f"({type(cause).__name__}); nothing was sent. Check that it is reachable and "
            "writable, then try again",
            vendor=self.vendor,
            code="store_unavailable",
        )

    def claim(self, custom_id: str, target: str, *, operation: str) -> Claim[object]:
        try:
            kind, known, result = self._backend.claim(self._key, custom_id, target, self._lease)
        except Exception as exc:  # whatever the store's client raises: never send unguarded
            raise self._failed(f"claiming custom_id {custom_id!r}", exc) from None
        if kind == "mismatch":
            raise duplicate(self.vendor, operation, custom_id, known, target)
        if kind == "in_flight":
            raise in_flight(self.vendor, operation, custom_id)
        if kind == "done" and result is not None:
            try:
                return Claim("done", load_purchase(result))
            # unreadable record (another version's, e.g. a "$decimal" this one cannot read:
            # decimal.InvalidOperation is no ValueError): look it up again
            except (ValueError, KeyError, TypeError, ArithmeticError):
                log.warning(
                    "%s: journal record of %r unreadable; looking it up", self.vendor, custom_id
                )
                return Claim("ambiguous")
        return Claim("ambiguous" if kind in ("ambiguous", "done") else "new")

    def settle(
        self,
        custom_id: str,
        state: State,
        target: str,
        result: object = None,
        listing: Listing | None = None,
    ) -> None:
        record = dump_purchase(result) if isinstance(result, Purchase) else None
        if state == "done" and record is None:
            state = "ambiguous"  # only purchases are kept; anything else is looked up again
        try:
            entry = JournalRecord(
                state,
                target,
                record,
                dump_listing(listing) if listing is not None else None,
                result.id if isinstance(result, Purchase) else None,
            )
            self._backend.put(self._key, custom_id, entry, self._lease)
        except Exception as exc:  # the write's outcome stands; the claim will be looked up
            log.warning(
                "%s: the store %s failed while recording custom_id %r as %s (%s); it will be "
                "settled by lookup after its lease",
                self.vendor,
                self._store_name,
                custom_id,
                state,
                type(exc).__name__,
            )

    def release(self, custom_id: str) -> None:
        try:
            self._backend.delete(self._key, custom_id)
        except Exception as exc:
            log.warning(
                "%s: the store %s failed while freeing custom_id %r (%s)",
                self.vendor,
                self._store_name,
                custom_id,
                type(exc).__name__,
            )

    def listing_of(self, purchase_id: str) -> Listing | None:
        try:
            text = self._backend.listing_of(self._key, purchase_id)
            return load_listing(text) if text is not None else None
        except Exception as exc:  # a read for withdraw's matching: the store's failure
            raise self._failed("reading the journal", exc) from None

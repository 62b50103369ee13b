"""One write flow for every vendor: a write is sent at most once, and its outcome never lost.

Every write (``buy``, ``buy_many``, ``withdraw``, ``sell``, ``reprice``, ``delist`` and the
vendor extras that move money or items) goes through :func:`write_once`. A vendor supplies only
three things: how to send (one request, never repeated), how to recognise its answer (the
vendor's envelope reader returns the payload or raises; the adapter turns the payload into the
result or raises ``UnexpectedResponse`` when a field the result needs is missing or mistyped),
and how to look the outcome up (by ``custom_id`` at the vendor, or by searching its inventory,
listings or trades).

The answer to a write is exactly one of:

- an understood success -> the result;
- a well-formed refusal (the vendor's failure envelope, a 4xx, a 429) -> that error, no lookup:
  nothing happened, so the ``custom_id`` is free again;
- anything else is ambiguous (no answer, a timeout, a reset, a 5xx, HTML, a cut or non-JSON body,
  JSON of an unexpected shape, a vendor code that says the server failed half-way, any error that
  is not ours) -> the outcome is looked up: found -> the result; not found, or a lookup that
  fails -> ``OutcomeUnknown`` with the ``custom_id``. Never a refusal for an answer that may hide
  a completed write.

The journal (:class:`WriteJournal`) remembers, per (vendor, origin of ``base_url``, credential
hash), what each ``custom_id`` did: under way, done (with its result) or ambiguous (with the
listing it was for). It lives in the store (:mod:`skinmarkets._store`), so every market object,
process or host that names the same store shares it: none sends a known ``custom_id`` again. One
``custom_id`` names one purchase, so the same id with another listing is ``DuplicateCustomId``
before anything is sent.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Collection, Mapping
from typing import Any, Generic, Literal, Protocol, TypeVar
from urllib.parse import urlsplit

import attrs

from skinmarkets import errors
from skinmarkets._seconds import Seconds
from skinmarkets.models import Listing

__all__ = [
    "Claim",
    "JournalEntry",
    "MemoryJournal",
    "WriteJournal",
    "duplicate",
    "in_flight",
    "is_ambiguous",
    "not_understood",
    "origin_of",
    "target_of",
    "write_once",
]

T = TypeVar("T")
log = logging.getLogger("skinmarkets")

State = Literal["in_flight", "done", "ambiguous"]


@attrs.frozen
class JournalEntry:
    """What one ``custom_id`` did: under way, done with its result, or ambiguous."""

    state: State
    target: str  # what the write was for (a listing's market and id): one custom_id, one target
    result: object = None  # the result of a done write
    listing: Listing | None = None  # the listing bought, where the write was a purchase
    since: Seconds = 0.0  # when the entry was last written


@attrs.frozen
class Claim(Generic[T]):
    """The outcome of claiming a ``custom_id``: send now, or what an earlier write settled to."""

    kind: Literal["new", "done", "ambiguous"]
    result: T | None = None


class WriteJournal(Protocol):
    """``custom_id`` -> under way / done / ambiguous, for one (vendor, origin, credential).

    Kept by the store (:mod:`skinmarkets._store`): :class:`MemoryJournal` in this process, or a
    journal on an SQLite file or a Redis server shared by every process that names it.
    """

    vendor: str

    def claim(self, custom_id: str, target: str, *, operation: str) -> Claim[object]:
        """Mark ``custom_id`` under way for ``target``, or say what it settled to before.

        ``DuplicateCustomId`` when the id names another target; ``OutcomeUnknown`` while a call
        with it is under way elsewhere (until its lease ends, on a shared store).
        """
        ...

    def settle(
        self,
        custom_id: str,
        state: State,
        target: str,
        result: object = None,
        listing: Listing | None = None,
    ) -> None:
        """Record what ``custom_id`` did (never raises: a lost record is settled by lookup)."""
        ...

    def release(self, custom_id: str) -> None:
        """Forget ``custom_id``: the vendor refused, nothing happened, the id is free again."""
        ...

    def listing_of(self, purchase_id: str) -> Listing | None:
        """The listing behind a purchase this journal knows (done or still ambiguous)."""
        ...


def duplicate(vendor: str, operation: str, custom_id: str, known: str, target: str) -> Exception:
    """``custom_id`` already names another purchase: refused before sending."""
    return errors.DuplicateCustomId(
        f"{vendor}: {operation} refused locally: custom_id {custom_id!r} already names another "
        f"purchase ({known}), not {target}; nothing was sent. Use a new custom_id for a new "
        "purchase",
        custom_id=custom_id,
        vendor=vendor,
        operation=operation,
        code="custom_id_reused",
    )


def in_flight(vendor: str, operation: str, custom_id: str) -> Exception:
    """A call with ``custom_id`` is under way elsewhere: nothing sent by this one."""
    return errors.OutcomeUnknown(
        f"{vendor}: {operation} with custom_id {custom_id!r} is under way in another call; "
        "nothing was sent by this one. Call again with the same custom_id once it has returned",
        custom_id=custom_id,
        vendor=vendor,
        operation=operation,
        code="in_flight",
    )


class MemoryJournal:
    """The journal of this process only (``store="memory"``); thread-safe."""

    def __init__(self, vendor: str, clock: Callable[[], float] = time.monotonic) -> None:
        self.vendor = vendor
        self._clock = clock
        self._lock = threading.Lock()
        self._entries: dict[str, JournalEntry] = {}

    def __repr__(self) -> str:
        return f"MemoryJournal({self.vendor!r}, {len(self._entries)} custom ids)"

    def claim(self, custom_id: str, target: str, *, operation: str) -> Claim[object]:
        """Mark ``custom_id`` under way for ``target``, or say what it settled to before.

        ``DuplicateCustomId`` when the id was used for another target (one custom_id names one
        purchase); ``OutcomeUnknown`` while another call with it is under way (its outcome is not
        known yet: call again once it has returned).
        """
        with self._lock:
            known = self._entries.get(custom_id)
            if known is not None and known.target != target:
                raise duplicate(self.vendor, operation, custom_id, known.target, target)
            if known is not None and known.state == "in_flight":
                raise in_flight(self.vendor, operation, custom_id)
            if known is not None and known.state == "done":
                return Claim("done", known.result)
            listing = known.listing if known is not None else None
            self._entries[custom_id] = JournalEntry(
                "in_flight", target, listing=listing, since=self._clock()
            )
            return Claim("ambiguous" if known is not None else "new")

    def settle(
        self,
        custom_id: str,
        state: State,
        target: str,
        result: object = None,
        listing: Listing | None = None,
    ) -> None:
        """Record what ``custom_id`` did (``done`` with its result, or ``ambiguous``)."""
        with self._lock:
            known = self._entries.get(custom_id)
            if listing is None and known is not None:
                listing = known.listing
            self._entries[custom_id] = JournalEntry(
                state, target, result, listing, since=self._clock()
            )

    def release(self, custom_id: str) -> None:
        """Forget ``custom_id``: the vendor refused, nothing happened, the id is free again."""
        with self._lock:
            self._entries.pop(custom_id, None)

    def entry(self, custom_id: str) -> JournalEntry | None:
        """The entry of ``custom_id``, if any."""
        with self._lock:
            return self._entries.get(custom_id)

    def listing_of(self, purchase_id: str) -> Listing | None:
        """The listing behind a purchase this journal knows (done or still ambiguous)."""
        with self._lock:
            for entry in self._entries.values():
                result_id = getattr(entry.result, "id", None)
                if entry.listing is not None and purchase_id in (result_id, entry.listing.id):
                    return entry.listing
        return None


def origin_of(base_url: str) -> str:
    """``scheme://host:port`` of ``base_url`` (credentials in it left out), lower-cased."""
    parts = urlsplit(base_url)
    host = (parts.hostname or "").lower()
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme.lower()}://{host}{port}{parts.path.rstrip('/')}"


def target_of(listing: Listing) -> str:
    """What a purchase of ``listing`` is for, as the journal keys it: its market and id."""
    return f"{listing.market} listing {listing.id!r}"


def not_understood(
    vendor: str, operation: str, raw: Mapping[str, Any] | None, what: str
) -> errors.UnexpectedResponse:
    """The answer to a write lacks what its result needs (``what``): ambiguous, so looked up."""
    return errors.UnexpectedResponse(
        f"{vendor}: {operation}: the answer is not an understood success ({what}); kept in .raw",
        vendor=vendor,
        operation=operation,
        raw=raw,
    )


def is_ambiguous(error: BaseException, ambiguous_codes: Collection[object] = ()) -> bool:
    """True when ``error``, answering a write, does not prove that nothing happened.

    ``OutcomeUnknown`` (no usable answer) and ``UnexpectedResponse`` (an answer we do not
    understand) are ambiguous, and so are the vendor codes that say the server failed half-way
    (``ambiguous_codes``) and any error that is not ours (a bug reading the answer). A vendor's
    ``DuplicateCustomId`` is handled by :func:`write_once` itself.
    """
    if isinstance(error, errors.OutcomeUnknown | errors.UnexpectedResponse):
        return True
    if isinstance(error, errors.SkinMarketsError):
        return error.code is not None and error.code in ambiguous_codes
    return isinstance(error, Exception)


def write_once(
    *,
    vendor: str,
    operation: str,
    send: Callable[[], T],
    lookup: Callable[[], T | None] | None,
    custom_id: str | None = None,
    journal: WriteJournal | None = None,
    target: str = "",
    ambiguous_codes: Collection[object] = (),
    advice: str = "",
    precheck: Callable[[], None] | None = None,
    listing: Listing | None = None,
) -> T:
    """Send one write at most once and return its result, or raise what it means.

    ``send`` sends the request once and returns the understood result (raising
    ``UnexpectedResponse`` when the answer lacks what the result needs). ``lookup`` finds the
    outcome after an ambiguous answer: the result, or ``None`` when it is not (yet) there;
    ``None`` for a write that cannot be looked up. With a ``journal`` and ``custom_id``, the id
    is claimed first (see :meth:`WriteJournal.claim`): a done id returns its result without
    sending, an ambiguous one is looked up again instead of being sent again.

    ``advice`` ends the ``OutcomeUnknown`` message: what the caller can do (e.g. "call buy again
    with the same custom_id: it never re-sends"). ``precheck`` runs after the claim and before
    sending (e.g. re-reading a price where the vendor takes no cap): whatever it raises is
    raised as it is, with the id freed, for nothing was sent. ``listing`` is kept in the journal
    with the outcome (see :meth:`WriteJournal.listing_of`).
    """
    claim: Claim[object] = Claim("new")
    if journal is not None and custom_id is not None:
        claim = journal.claim(custom_id, target, operation=operation)
        if claim.kind == "done":
            return claim.result  # type: ignore[return-value]  # what this flow stored for T
        if claim.kind == "ambiguous":
            return _settle(
                vendor, operation, lookup, None, custom_id, journal, target, advice, resent=False
            )
    if journal is not None and custom_id is not None and listing is not None:
        journal.settle(custom_id, "in_flight", target, listing=listing)
    if precheck is not None:
        try:
            precheck()
        except BaseException:
            if journal is not None and custom_id is not None:
                journal.release(custom_id)
            raise
    try:
        result = send()
    except errors.DuplicateCustomId as exists:
        return _existing(vendor, operation, lookup, exists, custom_id, journal, target)
    except BaseException as failure:
        if is_ambiguous(failure, ambiguous_codes):
            return _settle(
                vendor, operation, lookup, failure, custom_id, journal, target, advice, resent=True
            )
        if journal is not None and custom_id is not None:
            if isinstance(failure, errors.SkinMarketsError):
                journal.release(custom_id)  # a refusal: nothing happened, the id is free
            else:  # interrupted (KeyboardInterrupt…): it may have been sent; look up next time
                journal.settle(custom_id, "ambiguous", target)
        raise
    if journal is not None and custom_id is not None:
        journal.settle(custom_id, "done", target, result)
    return result


def _settle(
    vendor: str,
    operation: str,
    lookup: Callable[[], T | None] | None,
    cause: BaseException | None,
    custom_id: str | None,
    journal: WriteJournal | None,
    target: str,
    advice: str,
    *,
    resent: bool,
) -> T:
    """After an ambiguous answer (or for an id left ambiguous): look up, never send again."""
    found, looked = _look_up(lookup, custom_id, journal, target)
    if found is not None:
        return found
    why = (
        f"no usable answer came ({_name(cause)})"
        if resent
        else "an earlier call with this custom_id got no usable answer"
    )
    raw = cause.raw if isinstance(cause, errors.SkinMarketsError) else None
    message = f"{vendor}: {operation}: the outcome is unknown: {why} and {looked}; it may still "
    message += "appear"
    if custom_id is not None:
        message += f" (custom_id {custom_id!r})"
    message += f". {advice}" if advice else ". Check the account before trying again"
    log.warning("%s", message)
    raise errors.OutcomeUnknown(
        message, custom_id=custom_id, vendor=vendor, operation=operation, raw=raw
    ) from None


def _look_up(
    lookup: Callable[[], T | None] | None,
    custom_id: str | None,
    journal: WriteJournal | None,
    target: str,
) -> tuple[T | None, str]:
    """Look the outcome up and record it: (the result or None, what the lookup said)."""
    found: T | None = None
    if lookup is None:
        looked = "it cannot be looked up"
    else:
        try:
            found = lookup()
        # Whatever went wrong with the lookup, the write may have happened: a failed lookup
        # proves nothing either way and must not stand for the write's outcome.
        except Exception as lookup_error:
            looked = f"the lookup failed ({type(lookup_error).__name__})"
        except BaseException:  # interrupted: still ambiguous, looked up again next time
            if journal is not None and custom_id is not None:
                journal.settle(custom_id, "ambiguous", target)
            raise
        else:
            looked = "the lookup did not find it"
    if journal is not None and custom_id is not None:
        if found is not None:
            journal.settle(custom_id, "done", target, found)
        else:
            journal.settle(custom_id, "ambiguous", target)
    return found, looked


def _existing(
    vendor: str,
    operation: str,
    lookup: Callable[[], T | None] | None,
    exists: errors.DuplicateCustomId,
    custom_id: str | None,
    journal: WriteJournal | None,
    target: str,
) -> T:
    """The vendor says a write with this ``custom_id`` exists: it, else ``DuplicateCustomId``."""
    found, looked = _look_up(lookup, custom_id, journal, target)
    if found is not None:
        return found
    raise errors.DuplicateCustomId(
        f"{vendor}: {operation} refused: a purchase with custom_id {custom_id!r} already exists "
        f"(vendor said {exists.code!r}) but {looked}; nothing new was bought. Call again with "
        "the same custom_id later to read it",
        custom_id=custom_id,
        vendor=vendor,
        operation=operation,
        code=exists.code,
        http_status=exists.http_status,
        raw=exists.raw,
    ) from None


def _name(cause: BaseException | None) -> str:
    if isinstance(cause, errors.SkinMarketsError) and cause.code is not None:
        return f"{type(cause).__name__}, {cause.code!r}"
    return type(cause).__name__ if cause is not None else "unknown"

"""What each ``custom_id`` bought, kept in process for vendors that take no idempotency key.

swap.gg and Mannco.store accept no custom id and offer no purchase lookup, so ``buy`` can only
keep its "never buys twice" promise by remembering, per market object, the outcome of every
``custom_id``: a purchase, a buy under way, or a buy whose answer was lost (its listing kept so a
later call searches for the item instead of buying again). One lock guards it, so two threads
with the same ``custom_id`` never both send. How a lost answer is settled (search the on-site
inventory; found -> the purchase, else ``OutcomeUnknown``) is :meth:`BuyMemory.settle_by_search`,
and :meth:`BuyMemory.claim_or_settle` does it again for a repeated ``custom_id``; each vendor
supplies only the search and the words of its error message.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import attrs

from skinmarkets import errors
from skinmarkets.models import Listing, Purchase


@attrs.frozen
class Unsettled:
    """A buy whose answer was lost: the listing, so a later call can look for the item again."""

    listing: Listing


@attrs.frozen
class SearchWords:
    """What a vendor calls the things of a lost buy, in its ``OutcomeUnknown`` message."""

    listing: str  # the listing bought: "sale"
    item: str  # what the on-site inventory is searched for: "item"
    no_cause: str  # stands for the cause when no error lost the answer: "an earlier lost answer"
    promise: str  # why calling ``buy`` again is safe: "it never re-sends"


_IN_FLIGHT = object()


class BuyMemory:
    """A thread-safe record of ``custom_id`` -> purchase, buy under way, or unsettled buy."""

    def __init__(self, vendor: str) -> None:
        self.vendor = vendor
        self._lock = threading.Lock()
        self._outcomes: dict[str, object] = {}  # custom_id -> Purchase, Unsettled or _IN_FLIGHT
        self._listings: dict[str, Listing] = {}  # purchase id -> the listing bought

    def __repr__(self) -> str:
        return f"BuyMemory({self.vendor!r}, {len(self._outcomes)} custom ids)"

    def claim(self, custom_id: str, operation: str = "buy") -> Purchase | Unsettled | None:
        """Mark ``custom_id`` as under way; what it had settled to before, if anything.

        A ``custom_id`` already under way is ``DuplicateCustomId``: the first call's outcome is
        not known yet, so the second must wait rather than send.
        """
        with self._lock:
            known = self._outcomes.get(custom_id)
            if known is _IN_FLIGHT:
                raise errors.DuplicateCustomId(
                    f"{self.vendor}: {operation} with custom_id {custom_id!r} is already under "
                    "way; wait for it",
                    vendor=self.vendor,
                    operation=operation,
                    code="in_flight",
                )
            self._outcomes[custom_id] = _IN_FLIGHT
        return known if isinstance(known, Purchase | Unsettled) else None

    def settle(
        self,
        custom_id: str,
        outcome: Purchase | Unsettled | None,
        listing: Listing | None = None,
    ) -> None:
        """Record the outcome of ``custom_id``; ``None`` (nothing bought) frees the id.

        ``listing``, when given, is kept as the listing behind the purchase (see
        :meth:`listing_of`).
        """
        with self._lock:
            if isinstance(outcome, Purchase) and listing is not None:
                self._listings[outcome.id] = listing
            if outcome is None:
                self._outcomes.pop(custom_id, None)
            else:
                self._outcomes[custom_id] = outcome

    def listing_of(self, purchase_id: str) -> Listing | None:
        """The listing behind a purchase (settled with its listing, or still unsettled)."""
        with self._lock:
            for outcome in self._outcomes.values():
                if isinstance(outcome, Unsettled) and outcome.listing.id == purchase_id:
                    return outcome.listing
            return self._listings.get(purchase_id)

    def claim_or_settle(
        self,
        custom_id: str,
        search: Callable[[str, Listing], Purchase | None],
        *,
        words: SearchWords,
    ) -> Purchase | None:
        """Claim ``custom_id`` for a buy: ``None`` when the caller may now send it; else what an
        earlier buy with it bought (its answer, if lost, searched for again, never re-sent).

        Raises ``DuplicateCustomId`` while a buy with it is under way, and ``OutcomeUnknown`` when
        an unsettled buy is still not found (see :meth:`settle_by_search`).
        """
        known = self.claim(custom_id)
        if isinstance(known, Purchase):
            self.settle(custom_id, known)
            return known
        if isinstance(known, Unsettled):
            return self.settle_by_search(custom_id, known.listing, search, cause=None, words=words)
        return None

    def settle_by_search(
        self,
        custom_id: str,
        listing: Listing,
        search: Callable[[str, Listing], Purchase | None],
        *,
        cause: errors.SkinMarketsError | None,
        words: SearchWords,
    ) -> Purchase:
        """Settle a claimed ``custom_id`` whose answer was lost by searching for what it bought.

        ``search(custom_id, listing)`` looks in the on-site inventory: the purchase when the item
        is there (settled with its listing and returned), else ``None``. Not found, or a search
        that fails in any way (which proves nothing either way), leaves the buy unsettled and
        raises ``OutcomeUnknown``: never buy again blindly, a later call searches again.
        """
        try:
            found = search(custom_id, listing)
        # Whatever went wrong with the search, the purchase may exist.
        except Exception as search_error:
            found, looked = None, type(search_error).__name__
        else:
            looked = "not in the on-site inventory"
        if found is not None:
            self.settle(custom_id, found, listing)
            return found
        self.settle(custom_id, Unsettled(listing))
        what = type(cause).__name__ if cause is not None else words.no_cause
        raise errors.OutcomeUnknown(
            f"{self.vendor}: buy: the outcome of {words.listing} {listing.id!r} is unknown "
            f"({what}) and the {words.item} was not found ({looked}); it may still appear. Call "
            f"buy again with custom_id {custom_id!r} to search again ({words.promise}), or check "
            "the inventory later",
            custom_id=custom_id,
            vendor=self.vendor,
            operation="buy",
            raw=cause.raw if cause is not None else None,
        ) from None

"""What each ``custom_id`` bought, kept in process for vendors that take no idempotency key.

swap.gg and Mannco.store accept no custom id and offer no purchase lookup, so ``buy`` can only
keep its "never buys twice" promise by remembering, per market object, the outcome of every
``custom_id``: a purchase, a buy under way, or a buy whose answer was lost (its listing kept so a
later call searches for the item instead of buying again). One lock guards it, so two threads
with the same ``custom_id`` never both send.
"""

from __future__ import annotations

import threading

import attrs

from skinmarkets import errors
from skinmarkets.models import Listing, Purchase


@attrs.frozen
class Unsettled:
    """A buy whose answer was lost: the listing, so a later call can look for the item again."""

    listing: Listing


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

"""The ``Store`` interface: where a market's rate limiter and write journal come from."""

from __future__ import annotations

import abc
from typing import TYPE_CHECKING

from skinmarkets import errors

if TYPE_CHECKING:
    from skinmarkets._ratelimit import Limiter, RateLimit
    from skinmarkets._writes import WriteJournal

__all__ = ["Store", "StoreUnavailable", "unavailable"]


class StoreUnavailable(errors.ServiceUnavailable):
    """The store failed after it was opened: the request was not sent (nothing happened)."""


def unavailable(store: Store, what: str, cause: BaseException) -> StoreUnavailable:
    """The error for a store failing mid-run; never sends the request unguarded."""
    return StoreUnavailable(
        f"the store {store.name} failed while {what} ({type(cause).__name__}); nothing was "
        "sent. Check that it is reachable and writable, then try again",
        code="store_unavailable",
    )


class Store(abc.ABC):
    """Shared state of every market that names the same store: limiters and write journals.

    ``name`` is safe to show (a Redis password is masked). Keys are a vendor and a hash of the
    credential; a credential itself is never handed to a store.
    """

    name: str

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r})"

    @abc.abstractmethod
    def limiter(
        self,
        vendor: str,
        credential_hash: str,
        limit: RateLimit,
        *,
        slot_lease: float = 61.0,  # float ok: seconds
    ) -> Limiter:
        """The limiter of (vendor, credential) that every user of this store shares."""

    @abc.abstractmethod
    def journal(
        self,
        vendor: str,
        origin: str,
        credential_hash: str,
        *,
        lease: float,  # float ok
    ) -> WriteJournal:
        """The write journal of (vendor, origin of base_url, credential).

        ``lease``: seconds after which a claim left in flight (its process died) is settled by
        lookup by the next user of that ``custom_id``.
        """

    def close(self) -> None:  # noqa: B027 - stores without resources need not override it
        """Release connections (the store is shared: only for tests and shutdown)."""

"""``store="memory"``: limiters and journals of this process only."""

from __future__ import annotations

import threading

from skinmarkets._ratelimit import Limiter, RateLimit, shared_limiter
from skinmarkets._store.base import Store
from skinmarkets._writes import MemoryJournal, WriteJournal

__all__ = ["MemoryStore"]


class MemoryStore(Store):
    """In-process state: one limiter per (vendor, credential), one journal per key."""

    def __init__(self) -> None:
        self.name = "memory"
        self._lock = threading.Lock()
        self._journals: dict[tuple[str, str, str], MemoryJournal] = {}

    def limiter(
        self,
        vendor: str,
        credential_hash: str,
        limit: RateLimit,
        *,
        slot_lease: float = 61.0,  # float ok: seconds
    ) -> Limiter:
        return shared_limiter(vendor, credential_hash, limit)

    def journal(
        self,
        vendor: str,
        origin: str,
        credential_hash: str,
        *,
        lease: float,  # float ok
    ) -> WriteJournal:
        # A claim of this process is either under way in a live thread or settled (an
        # interrupted send settles as ambiguous): no lease is needed here.
        key = (vendor, origin, credential_hash)
        with self._lock:
            journal = self._journals.get(key)
            if journal is None:
                journal = self._journals[key] = MemoryJournal(vendor)
            return journal

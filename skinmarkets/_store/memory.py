"""``store="memory"``: limiters, journals and caches of this process only."""

from __future__ import annotations

import threading

from skinmarkets._ratelimit import Limiter, RateLimit, shared_limiter
from skinmarkets._seconds import Seconds
from skinmarkets._store.base import (
    DEFAULT_CACHE_TTL,
    Cache,
    CacheBook,
    MemoryCache,
    Store,
    cache_namespace,
)
from skinmarkets._writes import MemoryJournal, WriteJournal

__all__ = ["CacheBook", "MemoryCache", "MemoryStore"]


class MemoryStore(Store):
    """In-process state: one limiter per (vendor, credential), one journal per key, and caches.

    Every market object of the process that names ``store="memory"`` gets this one store
    (``open_store`` opens each store once per process), so they share its caches.
    """

    def __init__(self) -> None:
        self.name = "memory"
        self._lock = threading.Lock()
        self._journals: dict[tuple[str, str, str], MemoryJournal] = {}
        self._caches = CacheBook()

    def limiter(
        self,
        vendor: str,
        credential_hash: str,
        limit: RateLimit,
        *,
        slot_lease: Seconds = 61.0,
    ) -> Limiter:
        return shared_limiter(vendor, credential_hash, limit)

    def journal(
        self,
        vendor: str,
        origin: str,
        credential_hash: str,
        *,
        lease: Seconds,
    ) -> WriteJournal:
        # A claim of this process is either under way in a live thread or settled (an
        # interrupted send settles as ambiguous): no lease is needed here.
        key = (vendor, origin, credential_hash)
        with self._lock:
            journal = self._journals.get(key)
            if journal is None:
                journal = self._journals[key] = MemoryJournal(vendor)
            return journal

    def cache(
        self,
        vendor: str,
        origin: str,
        namespace: str,
        *,
        ttl: Seconds | None = None,
        sliding: bool = True,
    ) -> Cache:
        """The cache of (vendor, origin, namespace) in this process (default ``ttl`` 30 days)."""
        return self._caches.get(
            cache_namespace(vendor, origin, namespace),
            DEFAULT_CACHE_TTL if ttl is None else ttl,
            sliding=sliding,
        )

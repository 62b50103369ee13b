"""``store="memory"``: limiters, journals and caches of this process only."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Mapping

from skinmarkets._ratelimit import Limiter, RateLimit, shared_limiter
from skinmarkets._store.base import DEFAULT_CACHE_TTL, Cache, Store, cache_namespace
from skinmarkets._writes import MemoryJournal, WriteJournal

__all__ = ["CacheBook", "MemoryCache", "MemoryStore"]

#: Every this many writes, a memory cache also drops its expired entries (bounds its size).
_PRUNE_EVERY = 256


class _Shelf:
    """The entries of one named cache: key -> (value, when it expires on the monotonic clock)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.entries: dict[str, tuple[str, float]] = {}  # float ok: expiry, clock seconds
        self.writes = 0


class MemoryCache(Cache):
    """A cache in a dict of this process; caches of one name share their entries."""

    def __init__(
        self,
        name: str,
        ttl: float,  # float ok: seconds
        *,
        sliding: bool = True,
        shelf: _Shelf | None = None,
        clock: Callable[[], float] = time.monotonic,  # float ok: seconds
    ) -> None:
        self.name = name
        self.ttl = ttl
        self.sliding = sliding
        self.clock = clock
        self._shelf = shelf if shelf is not None else _Shelf()

    def get_many(self, keys: Iterable[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        shelf = self._shelf
        with shelf.lock:
            now = self.clock()
            for key in keys:
                entry = shelf.entries.get(key)
                if entry is None:
                    continue
                value, expires = entry
                if expires <= now:
                    del shelf.entries[key]
                    continue
                found[key] = value
                if self.sliding:
                    shelf.entries[key] = (value, now + self.ttl)
        return found

    def put_many(self, entries: Mapping[str, str]) -> None:
        shelf = self._shelf
        with shelf.lock:
            now = self.clock()
            expires = now + self.ttl
            for key, value in entries.items():
                shelf.entries[key] = (value, expires)
            shelf.writes += 1
            if shelf.writes % _PRUNE_EVERY == 0:
                shelf.entries = {k: e for k, e in shelf.entries.items() if e[1] > now}


class CacheBook:
    """The memory caches of one store: caches of one name share their entries."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._shelves: dict[str, _Shelf] = {}

    def get(self, name: str, ttl: float, *, sliding: bool) -> MemoryCache:  # float ok: seconds
        """The cache ``name`` with this ``ttl`` and ``sliding`` (entries shared by name)."""
        with self._lock:
            shelf = self._shelves.get(name)
            if shelf is None:
                shelf = self._shelves[name] = _Shelf()
        return MemoryCache(name, ttl, sliding=sliding, shelf=shelf)


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

    def cache(
        self,
        vendor: str,
        origin: str,
        namespace: str,
        *,
        ttl: float | None = None,  # float ok: seconds
        sliding: bool = True,
    ) -> Cache:
        """The cache of (vendor, origin, namespace) in this process (default ``ttl`` 30 days)."""
        return self._caches.get(
            cache_namespace(vendor, origin, namespace),
            DEFAULT_CACHE_TTL if ttl is None else ttl,
            sliding=sliding,
        )

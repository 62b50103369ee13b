"""The ``Store`` interface: where a market's rate limiter, write journal and caches come from."""

from __future__ import annotations

import abc
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

from skinmarkets import errors
from skinmarkets._seconds import Seconds

if TYPE_CHECKING:
    from skinmarkets._ratelimit import Limiter, RateLimit
    from skinmarkets._writes import WriteJournal

__all__ = [
    "DEFAULT_CACHE_TTL",
    "Cache",
    "Store",
    "StoreUnavailable",
    "cache_failed",
    "cache_namespace",
    "unavailable",
]

#: Seconds a cache entry lives when neither the cache nor the store says: 30 days, the journal's
#: default retention (a sliding cache renews an entry each time it is read).
DEFAULT_CACHE_TTL: Seconds = 30 * 86400.0


class StoreUnavailable(errors.ServiceUnavailable):
    """The store failed after it was opened: the request was not sent (nothing happened)."""


def unavailable(store: Store, what: str, cause: BaseException) -> StoreUnavailable:
    """The error for a store failing mid-run; never sends the request unguarded."""
    return StoreUnavailable(
        f"the store {store.name} failed while {what} ({type(cause).__name__}); nothing was "
        "sent. Check that it is reachable and writable, then try again",
        code="store_unavailable",
    )


def cache_failed(store_name: str, cache: str, what: str, cause: BaseException) -> StoreUnavailable:
    """The error for a cache read or write that failed: the caller decides whether it matters
    (a cache it can do without is only logged)."""
    return StoreUnavailable(
        f"the store {store_name} failed while {what} the cache {cache} ({type(cause).__name__})",
        code="store_unavailable",
    )


def cache_namespace(vendor: str, origin: str, namespace: str) -> str:
    """One cache's name in a store: ``vendor|origin|namespace`` (no credential: shared facts)."""
    return f"{vendor}|{origin}|{namespace}"


class Cache(abc.ABC):
    """A small key -> text cache in a store, shared by everyone who opens the same
    (vendor, origin of base_url, namespace) on it.

    For public facts that never or rarely change, such as a catalogue's item ids: the values are
    kept in plain text, so a secret (key, token, password) must never be put in one. Each entry
    lives ``ttl`` seconds from when it was written; in a ``sliding`` cache a read that finds it
    renews that time (an entry in use never expires; SQLite renews it only once a tenth of its
    ``ttl`` has passed, to keep reads cheap). Expired entries are never returned; they are
    dropped by the store (SQLite: when a process opens the file; Redis: by key expiry; memory:
    as they are met). A failing store raises ``StoreUnavailable`` from either method.
    """

    name: str
    ttl: Seconds
    sliding: bool

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r}, ttl={self.ttl:g}, sliding={self.sliding})"

    @abc.abstractmethod
    def get_many(self, keys: Iterable[str]) -> dict[str, str]:
        """The live entries among ``keys`` (absent keys are left out)."""

    @abc.abstractmethod
    def put_many(self, entries: Mapping[str, str]) -> None:
        """Write (or replace) every entry; each lives ``ttl`` seconds from now."""


#: Every this many writes, a memory cache also drops its expired entries (bounds its size).
_PRUNE_EVERY = 256


class _Shelf:
    """The entries of one named cache: key -> (value, when it expires on the monotonic clock)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.entries: dict[str, tuple[str, Seconds]] = {}  # (value, expiry on the clock)
        self.writes = 0


class MemoryCache(Cache):
    """A cache in a dict of this process; caches of one name share their entries."""

    def __init__(
        self,
        name: str,
        ttl: Seconds,
        *,
        sliding: bool = True,
        shelf: _Shelf | None = None,
        clock: Callable[[], Seconds] = time.monotonic,
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

    def get(self, name: str, ttl: Seconds, *, sliding: bool) -> MemoryCache:
        """The cache ``name`` with this ``ttl`` and ``sliding`` (entries shared by name)."""
        with self._lock:
            shelf = self._shelves.get(name)
            if shelf is None:
                shelf = self._shelves[name] = _Shelf()
        return MemoryCache(name, ttl, sliding=sliding, shelf=shelf)


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
        slot_lease: Seconds = 61.0,
    ) -> Limiter:
        """The limiter of (vendor, credential) that every user of this store shares."""

    @abc.abstractmethod
    def journal(
        self,
        vendor: str,
        origin: str,
        credential_hash: str,
        *,
        lease: Seconds,
    ) -> WriteJournal:
        """The write journal of (vendor, origin of base_url, credential).

        ``lease``: seconds after which a claim left in flight (its process died) is settled by
        lookup by the next user of that ``custom_id``.
        """

    def cache(
        self,
        vendor: str,
        origin: str,
        namespace: str,
        *,
        ttl: Seconds | None = None,
        sliding: bool = True,
    ) -> Cache:
        """The cache ``namespace`` of (vendor, origin of base_url), shared by every user of
        this store (no credential in its key: only public facts belong in it).

        ``ttl``: seconds an entry lives (default: the store's retention, 30 days unless the
        store was opened with another); ``sliding``: a read that finds an entry renews it.
        Stores of this package keep it where they keep the journal; this default (for other
        ``Store`` subclasses) keeps it in this process only.
        """
        book: CacheBook = self.__dict__.setdefault("_default_caches", CacheBook())
        return book.get(
            cache_namespace(vendor, origin, namespace),
            DEFAULT_CACHE_TTL if ttl is None else ttl,
            sliding=sliding,
        )

    def close(self) -> None:  # noqa: B027 - stores without resources need not override it
        """Release connections (the store is shared: only for tests and shutdown)."""

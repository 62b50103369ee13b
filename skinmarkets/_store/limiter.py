"""A limiter whose window lives in a shared store: the release-stamp rule across processes.

The rule is :mod:`skinmarkets._ratelimit`'s: a request counts from its grant until
``per_seconds`` after its answer; a slot is granted only while ``in flight + live stamps <
requests``. The store takes a slot atomically. A slot whose process died counts until the end of
its lease (``SLOT_LEASE``: longer than any exchange may last) and then as released. Waiting
sleeps until the oldest stamp expires; only when every slot is in flight elsewhere (no
notification crosses processes) does it ask again after a short pause, never in a tight loop.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import threading
import time
import weakref
from collections.abc import Callable, Iterator, Sequence
from typing import Protocol

from skinmarkets._ratelimit import RateLimit
from skinmarkets._seconds import Seconds
from skinmarkets._store.base import StoreUnavailable

__all__ = ["SLOT_LEASE", "LimiterCache", "SlotBackend", "StoredLimiter"]

log = logging.getLogger("skinmarkets")

#: Seconds a granted slot holds before it counts as released (its process died), when the market
#: does not say: the default deadline (60 s) plus a margin. Markets pass their own ``deadline`` +
#: ``per_seconds``: no exchange lasts longer than the deadline, so the request reached the vendor
#: before the lease ends, and counting it until lease end + ``per_seconds`` is still safe.
SLOT_LEASE: Seconds = 61.0

#: The pause between asks while every slot is in flight in other processes, as a fraction of
#: the spacing of the limit (0.05 s for 5 per second), bounded.
_POLL_FRACTION = 0.25
_POLL_MIN: Seconds = 0.005
_POLL_MAX: Seconds = 0.25


#: A release not yet written: (the slot's token, ``time.monotonic()`` when its answer came).
PendingRelease = tuple[str, Seconds]

#: How long a release may wait to ride on the next take before the flusher writes it alone.
_FLUSH_DELAY: Seconds = 0.01


class SlotBackend(Protocol):
    """The atomic steps a shared store does for a limiter.

    ``releases`` are (token, seconds since that slot's answer): a release written late is dated
    back, so its slot counts exactly ``per_seconds`` from its answer, as if written at once.
    """

    def take_slot(
        self,
        key: str,
        limit: RateLimit,
        lease: Seconds,
        releases: Sequence[tuple[str, Seconds]] = (),  # (token, seconds ago)
    ) -> tuple[str | None, Seconds]:
        """Write ``releases``, then a slot's token, or None and how long to wait (negative:
        every slot in flight)."""
        ...

    def release_slots(
        self,
        key: str,
        releases: Sequence[tuple[str, Seconds]],  # (token, seconds ago)
    ) -> None:
        """The slots' requests are over."""
        ...

    def defer(self, key: str, seconds: Seconds) -> None:
        """No slot until ``seconds`` from now."""
        ...


class StoredLimiter:
    """A :class:`~skinmarkets._ratelimit.Limiter` whose state is in a shared store.

    A slot is taken on the caller's thread (the request waits for it). With
    ``batched_release`` (Redis, where each write is a network round trip) a slot is not given
    back by a round trip of its own: the release rides on this process's next take of the same
    limiter (one script call per request), or, when no take follows within ``_FLUSH_DELAY``, a
    flusher thread writes it. Either way it is dated back to its answer, so the slot counts
    ``per_seconds`` from the answer, as the rule says. Until it is written the slot counts as in
    flight for everyone sharing the store: a little longer, never over the limit. Releases still
    pending when the process exits are written at exit; those of a process that is killed count
    until their slot's lease ends. Without it (SQLite: a local statement) a slot is released at
    once on the caller's thread.

    Why not a release thread per request: waking a thread per request hands the GIL to it and
    back, which cost more than the round trip it saved (measured: 1.75x against 1.3x a bare GET
    with one wake-up per request; the flusher wakes at most about twice per ``_FLUSH_DELAY``).
    """

    def __init__(
        self,
        backend: SlotBackend,
        store_name: str,
        key: str,
        limit: RateLimit,
        *,
        slot_lease: Seconds = SLOT_LEASE,
        batched_release: bool = True,
        sleep: Callable[[Seconds], None] = time.sleep,
        clock: Callable[[], Seconds] = time.monotonic,
    ) -> None:
        self._backend = backend
        self._store_name = store_name
        self._key = key
        self._limit = limit
        self._slot_lease = slot_lease
        self._batched = batched_release
        self._sleep = sleep
        self._clock = clock
        spacing = limit.per_seconds / limit.requests
        self._poll = min(_POLL_MAX, max(_POLL_MIN, spacing * _POLL_FRACTION))
        self._pending: list[PendingRelease] = []
        self._cond = threading.Condition()
        self._flush_due = False  # the flusher has been told to write what is pending
        self._flusher: threading.Thread | None = None
        if batched_release:
            _LIVE.add(self)

    def _after_fork(self) -> None:
        # The parent's flusher is gone in the child and its lock may have been held.
        self._cond = threading.Condition()
        self._flush_due = False
        self._flusher = None

    def __repr__(self) -> str:
        return f"StoredLimiter({self._limit!r}, store={self._store_name!r})"

    @property
    def limit(self) -> RateLimit:
        return self._limit

    def _take_pending(self) -> list[tuple[str, Seconds]]:  # (token, seconds ago)
        with self._cond:
            pending, self._pending = self._pending, []
        now = self._clock()
        return [(token, max(0.0, now - answered)) for token, answered in pending]

    def acquire(self) -> str:
        """Block until a slot is free and take it; its token goes back to :meth:`release`."""
        while True:
            releases = self._take_pending() if self._batched else []
            try:
                token, wait = self._backend.take_slot(
                    self._key, self._limit, self._slot_lease, releases
                )
            except StoreUnavailable:
                raise
            except Exception as exc:  # the store's client failed: nothing is sent unguarded
                raise StoreUnavailable(
                    f"the store {self._store_name} failed while taking a rate-limit slot "
                    f"({type(exc).__name__}); nothing was sent. Check that it is reachable, "
                    "then try again",
                    code="store_unavailable",
                ) from None
            if token is not None:
                return token
            self._sleep(wait if wait > 0 else self._poll)

    def release(self, token: str) -> None:
        """Give the slot back; it stays counted ``per_seconds`` after its answer."""
        if not self._batched:
            self._write([(token, 0.0)])
            return
        with self._cond:
            self._pending.append((token, self._clock()))
            if self._flusher is None or not self._flusher.is_alive():  # first use, or a fork
                self._flush_due = True
                self._flusher = threading.Thread(
                    target=self._flush_loop, name="skinmarkets-slot-release", daemon=True
                )
                self._flusher.start()
            elif not self._flush_due:
                self._flush_due = True
                self._cond.notify()

    def _flush_loop(self) -> None:
        while True:
            with self._cond:
                while not self._flush_due:
                    self._cond.wait()
            time.sleep(_FLUSH_DELAY)  # a take in the meantime carries the releases itself
            with self._cond:
                self._flush_due = False
            self.flush()

    def _write(self, releases: list[tuple[str, Seconds]]) -> None:  # (token, seconds ago)
        try:
            self._backend.release_slots(self._key, releases)
        except Exception as exc:  # the slot then counts until its lease ends: safe, slower
            log.warning(
                "the store %s failed while releasing %d rate-limit slot(s) (%s); they count "
                "until their lease ends",
                self._store_name,
                len(releases),
                type(exc).__name__,
            )

    def flush(self) -> None:
        """Write every pending release now (by the flusher, at exit, and for tests)."""
        releases = self._take_pending()
        if releases:
            self._write(releases)

    @contextlib.contextmanager
    def slot(self) -> Iterator[None]:
        """Wait for a free slot, hold it while the request runs, release on exit."""
        token = self.acquire()
        try:
            yield
        finally:
            self.release(token)

    def lease_at_least(self, seconds: Seconds) -> None:
        """Every slot taken from now on counts for at least ``seconds`` while unreleased."""
        self._slot_lease = max(self._slot_lease, seconds)

    def defer(self, seconds: Seconds) -> None:
        """No slot for anyone sharing the store until ``seconds`` from now (Retry-After)."""
        try:
            self._backend.defer(self._key, seconds)
        except Exception as exc:
            log.warning(
                "the store %s failed while deferring the limiter (%s)",
                self._store_name,
                type(exc).__name__,
            )


class LimiterCache:
    """One :class:`StoredLimiter` per (vendor, credential hash) of a store, made on first use.

    The first caller's limit wins (the vendor's limit is the same for every market of one
    vendor); the slot lease is the longest any caller asked for, so a market object with a long
    ``deadline`` never has its slot counted as done while its request may still arrive.
    """

    def __init__(self, backend: SlotBackend, store_name: str, *, batched_release: bool) -> None:
        self._backend = backend
        self._store_name = store_name
        self._batched = batched_release
        self._lock = threading.Lock()
        self._limiters: dict[tuple[str, str], StoredLimiter] = {}

    def get(
        self,
        vendor: str,
        credential_hash: str,
        limit: RateLimit,
        slot_lease: Seconds,
    ) -> StoredLimiter:
        """The limiter of (vendor, credential), shared by every market object of the store."""
        with self._lock:
            key = (vendor, credential_hash)
            limiter = self._limiters.get(key)
            if limiter is None:
                limiter = self._limiters[key] = StoredLimiter(
                    self._backend,
                    self._store_name,
                    f"{vendor}:{credential_hash}",
                    limit,
                    slot_lease=slot_lease,
                    batched_release=self._batched,
                )
            else:
                limiter.lease_at_least(slot_lease)
            return limiter


#: Limiters that batch releases: what is pending is written when the process exits.
_LIVE: weakref.WeakSet[StoredLimiter] = weakref.WeakSet()


def _reset_after_fork() -> None:
    for limiter in list(_LIVE):
        limiter._after_fork()


if hasattr(os, "register_at_fork"):  # not on Windows
    os.register_at_fork(after_in_child=_reset_after_fork)


@atexit.register
def _flush_at_exit() -> None:
    for limiter in list(_LIVE):
        limiter.flush()

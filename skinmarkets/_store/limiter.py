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
import queue
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from typing import Protocol

from skinmarkets._ratelimit import RateLimit
from skinmarkets._store.base import StoreUnavailable

__all__ = ["SLOT_LEASE", "LimiterCache", "SlotBackend", "StoredLimiter"]

log = logging.getLogger("skinmarkets")

#: Seconds a granted slot holds before it counts as released (its process died), when the market
#: does not say: the default deadline (60 s) plus a margin. Markets pass their own ``deadline`` +
#: ``per_seconds``: no exchange lasts longer than the deadline, so the request reached the vendor
#: before the lease ends, and counting it until lease end + ``per_seconds`` is still safe.
SLOT_LEASE = 61.0  # float ok: seconds

#: The pause between asks while every slot is in flight in other processes, as a fraction of
#: the spacing of the limit (0.05 s for 5 per second), bounded.
_POLL_FRACTION = 0.25
_POLL_MIN, _POLL_MAX = 0.005, 0.25  # float ok: seconds


class SlotBackend(Protocol):
    """The atomic steps a shared store does for a limiter."""

    def take_slot(
        self,
        key: str,
        limit: RateLimit,
        lease: float,  # float ok
    ) -> tuple[str | None, float]:  # float ok
        """A slot's token, or None and how long to wait (negative: every slot in flight)."""
        ...

    def release_slot(self, key: str, token: str) -> None:
        """The slot's request is over."""
        ...

    def defer(self, key: str, seconds: float) -> None:  # float ok
        """No slot until ``seconds`` from now."""
        ...


class StoredLimiter:
    """A :class:`~skinmarkets._ratelimit.Limiter` whose state is in a shared store.

    A slot is taken on the caller's thread (the request waits for it); with
    ``background_release`` it is given back by one background thread per limiter, so the
    request does not wait for that round trip either (Redis). A later
    release only keeps the slot counted a little longer: never over the limit. Releases still
    queued when the process exits are written at exit; those of a process that is killed count
    until their slot's lease ends.
    """

    def __init__(
        self,
        backend: SlotBackend,
        store_name: str,
        key: str,
        limit: RateLimit,
        *,
        slot_lease: float = SLOT_LEASE,  # float ok: seconds
        background_release: bool = True,
        sleep: Callable[[float], None] = time.sleep,  # float ok
    ) -> None:
        self._backend = backend
        self._store_name = store_name
        self._key = key
        self._limit = limit
        self._slot_lease = slot_lease
        self._background = background_release
        self._sleep = sleep
        spacing = limit.per_seconds / limit.requests
        self._poll = min(_POLL_MAX, max(_POLL_MIN, spacing * _POLL_FRACTION))
        self._releases: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        self._releaser: threading.Thread | None = None
        self._start_lock = threading.Lock()

    def __repr__(self) -> str:
        return f"StoredLimiter({self._limit!r}, store={self._store_name!r})"

    @property
    def limit(self) -> RateLimit:
        return self._limit

    def acquire(self) -> str:
        """Block until a slot is free and take it; its token goes back to :meth:`release`."""
        while True:
            try:
                token, wait = self._backend.take_slot(self._key, self._limit, self._slot_lease)
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
        """Give the slot back; it stays counted ``per_seconds`` more."""
        if not self._background:
            self._release_now(token)
            return
        self._start_releaser()
        self._releases.put(token)

    def _start_releaser(self) -> None:
        if self._releaser is not None and self._releaser.is_alive():
            return
        with self._start_lock:
            if self._releaser is None or not self._releaser.is_alive():
                self._releaser = threading.Thread(
                    target=self._release_loop, name="skinmarkets-slot-release", daemon=True
                )
                self._releaser.start()
                _LIVE.add(self)

    def _release_loop(self) -> None:
        while True:
            token = self._releases.get()
            if token is None:
                return
            self._release_now(token)

    def _release_now(self, token: str) -> None:
        try:
            self._backend.release_slot(self._key, token)
        except Exception as exc:  # the slot then counts until its lease ends: safe, slower
            log.warning(
                "the store %s failed while releasing a rate-limit slot (%s); it counts until "
                "its lease ends",
                self._store_name,
                type(exc).__name__,
            )

    def flush(self) -> None:
        """Write every queued release now (at exit, and for tests)."""
        while True:
            try:
                token = self._releases.get_nowait()
            except queue.Empty:
                return
            if token is not None:
                self._release_now(token)

    @contextlib.contextmanager
    def slot(self) -> Iterator[None]:
        """Wait for a free slot, hold it while the request runs, release on exit."""
        token = self.acquire()
        try:
            yield
        finally:
            self.release(token)

    def defer(self, seconds: float) -> None:  # float ok
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

    The first caller's limit and slot lease win (the vendor's limit is the same for every
    market of one vendor).
    """

    def __init__(self, backend: SlotBackend, store_name: str, *, background_release: bool) -> None:
        self._backend = backend
        self._store_name = store_name
        self._background = background_release
        self._lock = threading.Lock()
        self._limiters: dict[tuple[str, str], StoredLimiter] = {}

    def get(
        self,
        vendor: str,
        credential_hash: str,
        limit: RateLimit,
        slot_lease: float,  # float ok: seconds
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
                    background_release=self._background,
                )
            return limiter


#: Limiters with a releaser thread: their queued releases are written when the process exits.
_LIVE: weakref.WeakSet[StoredLimiter] = weakref.WeakSet()


@atexit.register
def _flush_at_exit() -> None:
    for limiter in list(_LIVE):
        limiter.flush()

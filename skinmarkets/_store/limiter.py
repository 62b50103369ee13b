"""A limiter whose window lives in a shared store: the release-stamp rule across processes.

The rule is :mod:`skinmarkets._ratelimit`'s: a request counts from its grant until
``per_seconds`` after its answer; a slot is granted only while ``in flight + live stamps <
requests``. The store takes a slot atomically. A slot whose process died counts until the end of
its lease (``SLOT_LEASE``: longer than any exchange may last) and then as released. Waiting
sleeps until the oldest stamp expires; only when every slot is in flight elsewhere (no
notification crosses processes) does it ask again after a short pause, never in a tight loop.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Iterator
from typing import Protocol

from skinmarkets._ratelimit import RateLimit
from skinmarkets._store.base import StoreUnavailable

__all__ = ["SLOT_LEASE", "SlotBackend", "StoredLimiter"]

log = logging.getLogger("skinmarkets")

#: Seconds a granted slot holds before it counts as released (its process died). No exchange
#: lasts longer than the market's deadline (default 60 s), and a slot that expires early only
#: counts from then on, which is still after the request reached the vendor.
SLOT_LEASE = 120.0  # float ok: seconds

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
    """A :class:`~skinmarkets._ratelimit.Limiter` whose state is in a shared store."""

    def __init__(
        self,
        backend: SlotBackend,
        store_name: str,
        key: str,
        limit: RateLimit,
        *,
        sleep: Callable[[float], None] = time.sleep,  # float ok
    ) -> None:
        self._backend = backend
        self._store_name = store_name
        self._key = key
        self._limit = limit
        self._sleep = sleep
        spacing = limit.per_seconds / limit.requests
        self._poll = min(_POLL_MAX, max(_POLL_MIN, spacing * _POLL_FRACTION))

    def __repr__(self) -> str:
        return f"StoredLimiter({self._limit!r}, store={self._store_name!r})"

    @property
    def limit(self) -> RateLimit:
        return self._limit

    def acquire(self) -> str:
        """Block until a slot is free and take it; its token goes back to :meth:`release`."""
        while True:
            try:
                token, wait = self._backend.take_slot(self._key, self._limit, SLOT_LEASE)
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
        """Give the slot back; it stays counted until ``per_seconds`` from now."""
        try:
            self._backend.release_slot(self._key, token)
        except Exception as exc:  # the slot then counts until its lease ends: safe, slower
            log.warning(
                "the store %s failed while releasing a rate-limit slot (%s); it counts until "
                "its lease ends",
                self._store_name,
                type(exc).__name__,
            )

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

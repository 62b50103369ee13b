"""Client-side rate limiting that holds even when the server counts arrivals, not sends."""

from __future__ import annotations

import collections
import contextlib
import hashlib
import math
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Protocol

import attrs

from skinmarkets._seconds import Seconds

__all__ = ["Limiter", "RateLimit", "SlidingWindowLimiter", "shared_limiter"]


@attrs.frozen
class RateLimit:
    """At most `requests` requests in any sliding window of `per_seconds` seconds."""

    requests: int
    per_seconds: Seconds

    def __attrs_post_init__(self) -> None:
        """Reject limits that cannot be enforced (a bad limit must fail loudly, not late)."""
        # bool is an int subclass; RateLimit(True, 1) is certainly a mistake.
        if isinstance(self.requests, bool) or not isinstance(self.requests, int):
            raise TypeError(f"requests must be an int, got {self.requests!r}")
        if self.requests < 1:
            raise ValueError(f"requests must be >= 1, got {self.requests}")
        if isinstance(self.per_seconds, bool) or not isinstance(self.per_seconds, int | float):
            raise TypeError(f"per_seconds must be a number, got {self.per_seconds!r}")
        # NaN fails every comparison and infinity would never let a slot expire.
        if not (math.isfinite(self.per_seconds) and self.per_seconds > 0):
            raise ValueError(f"per_seconds must be finite and > 0, got {self.per_seconds}")


class Limiter(Protocol):
    """What the transport needs of a limiter: a slot per request, and deferral."""

    @property
    def limit(self) -> RateLimit: ...

    def slot(self) -> AbstractContextManager[None]:
        """Wait for a free slot and hold it while the request runs."""
        ...

    def defer(self, seconds: Seconds) -> None:
        """Grant no new slot until ``seconds`` from now (Retry-After)."""
        ...


# Why release stamps: the server sees a request when it arrives, somewhere between our grant
# and our release, and latency varies. So a slot occupies the window from its grant, and after
# release stays counted until `release_time + per_seconds`. A new slot is granted only when
# `in_flight + live_release_stamps < requests`. Then no window of `per_seconds` at the server
# can hold more than `requests` arrivals, whatever the latency: of the last-granted of any
# `requests + 1` arrivals in one window, every other one was in flight at its grant or had been
# released less than `per_seconds` before it, so it was counted.
class SlidingWindowLimiter:
    """Thread-safe limiter that counts each request until `per_seconds` after it finished."""

    def __init__(
        self,
        limit: RateLimit,
        *,
        clock: Callable[[], Seconds] = time.monotonic,
        sleep: Callable[[Seconds], None] = time.sleep,
    ) -> None:
        """Create a limiter for `limit`; `clock` and `sleep` are injectable for tests."""
        self._limit = limit
        self._clock = clock
        self._sleep = sleep
        self._cond = threading.Condition(threading.Lock())
        self._in_flight = 0
        # Release times in release order; taken under the lock from a monotonic clock, so the
        # oldest stamp is always on the left and pruning only pops from there.
        self._stamps: collections.deque[Seconds] = collections.deque()
        self._deferred_until = -math.inf

    @property
    def limit(self) -> RateLimit:
        """The limit this limiter enforces."""
        return self._limit

    def acquire(self) -> None:
        """Block until a slot is free and take it; pair every call with exactly one `release`."""
        per = self._limit.per_seconds
        while True:
            with self._cond:
                now = self._clock()
                self._prune(now)
                if now < self._deferred_until:
                    wait = self._deferred_until - now
                elif self._in_flight + len(self._stamps) < self._limit.requests:
                    self._in_flight += 1
                    return
                elif self._in_flight < self._limit.requests:
                    # The sum never exceeds `requests`, so the oldest stamp expiring frees one.
                    wait = self._stamps[0] + per - now
                else:
                    # Only in-flight slots: nothing expires by itself, so wait for a release.
                    # The timeout is a safety net against a lost notification, not a poll.
                    self._cond.wait(timeout=per)
                    continue
            # Never sleep holding the lock: releases and other waiters must get through.
            self._sleep(wait)

    def release(self) -> None:
        """Give back a slot taken by `acquire`; it stays counted until `per_seconds` from now."""
        with self._cond:
            if self._in_flight <= 0:
                raise RuntimeError("release() called without a matching acquire()")
            self._in_flight -= 1
            # Stamped at release, not grant: the server saw the request at some point before
            # now, so counting from now over-approximates its arrival time safely.
            self._stamps.append(self._clock())
            # A release does not free a slot yet, but waiters blocked on in-flight slots can
            # now compute when the new stamp expires and sleep until then.
            self._cond.notify_all()

    @contextlib.contextmanager
    def slot(self) -> Iterator[None]:
        """Wait for a free slot, hold it while the request runs, release on exit."""
        self.acquire()
        try:
            yield
        finally:
            # Also on errors: a failed request may still have reached the server.
            self.release()

    def defer(self, seconds: Seconds) -> None:
        """No new slot is granted until clock() + seconds (a server's Retry-After or reset)."""
        if not math.isfinite(seconds):
            raise ValueError(f"seconds must be finite, got {seconds}")
        with self._cond:
            # Never shorten an earlier deferral; zero or negative seconds are thus a no-op.
            self._deferred_until = max(self._deferred_until, self._clock() + seconds)

    def _prune(self, now: Seconds) -> None:
        """Drop release stamps that have left the window ending at `now` (lock held)."""
        per = self._limit.per_seconds
        # Same expression as the wait in `acquire`, so sleeping the computed wait expires it.
        while self._stamps and self._stamps[0] + per <= now:
            self._stamps.popleft()


# Keyed by (vendor, sha256 hex of the credential): the key must identify the credential
# without keeping it in memory where a dump or repr could leak it.
_SHARED: dict[tuple[str, str], SlidingWindowLimiter] = {}
_SHARED_LOCK = threading.Lock()


def shared_limiter(vendor: str, credential: str, limit: RateLimit) -> SlidingWindowLimiter:
    """The one limiter for this vendor and credential in this process (created on first use)."""
    # The server limits per credential, so every client using it must share one window.
    # The first caller's `limit` wins; later calls get the existing limiter whatever limit they
    # pass (check `.limit` if that matters).
    key = (vendor, hashlib.sha256(credential.encode("utf-8")).hexdigest())
    with _SHARED_LOCK:
        limiter = _SHARED.get(key)
        if limiter is None:
            limiter = _SHARED[key] = SlidingWindowLimiter(limit)
        return limiter


def _reset_shared_limiters() -> None:
    """Forget every shared limiter (tests only)."""
    with _SHARED_LOCK:
        _SHARED.clear()

"""The stored limiter's batched releases: one store call per request, none lost when idle."""

from __future__ import annotations

import threading
from collections.abc import Sequence

from skinmarkets._ratelimit import RateLimit
from skinmarkets._store.limiter import LimiterCache, StoredLimiter

LIMIT = RateLimit(5, 1.0)


class RecordingBackend:
    """A SlotBackend that grants every slot and records each call it gets."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, list[tuple[str, float]]]] = []  # float ok: seconds ago
        self.leases: list[float] = []  # float ok: seconds
        self.released = threading.Event()
        self._tokens = iter(range(1_000_000))

    def take_slot(
        self,
        key: str,
        limit: RateLimit,
        lease: float,  # float ok
        releases: Sequence[tuple[str, float]] = (),  # float ok
    ) -> tuple[str | None, float]:  # float ok
        self.calls.append(("take", list(releases)))
        self.leases.append(lease)
        return f"t{next(self._tokens)}", 0.0

    def release_slots(self, key: str, releases: Sequence[tuple[str, float]]) -> None:  # float ok
        self.calls.append(("release", list(releases)))
        self.released.set()

    def defer(self, key: str, seconds: float) -> None:  # float ok
        self.calls.append(("defer", []))


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:  # float ok
        return self.now


def _limiter(backend: RecordingBackend, clock: Clock, *, batched: bool) -> StoredLimiter:
    return StoredLimiter(backend, "test", "k", LIMIT, batched_release=batched, clock=clock)


def test_a_release_rides_on_the_next_take_dated_back_to_its_answer() -> None:
    backend, clock = RecordingBackend(), Clock()
    limiter = _limiter(backend, clock, batched=True)
    with limiter.slot():
        clock.now += 0.2  # the exchange
    clock.now += 0.5  # 0.5 s after the answer, the next request
    with limiter.slot():
        pass
    takes = [releases for kind, releases in backend.calls if kind == "take"]
    assert takes[0] == []
    assert takes[1] == [("t0", 0.5)]  # the first slot, released 0.5 s ago, on the second take


def test_a_release_with_no_take_after_it_is_written_by_the_flusher() -> None:
    backend, clock = RecordingBackend(), Clock()
    limiter = _limiter(backend, clock, batched=True)
    with limiter.slot():
        pass
    assert backend.released.wait(timeout=10), "the idle release was never written"
    assert ("release", [("t0", 0.0)]) in backend.calls
    limiter.flush()  # nothing left: no second write
    assert [kind for kind, _ in backend.calls].count("release") == 1


def test_each_release_is_written_once_whoever_writes_it() -> None:
    backend, clock = RecordingBackend(), Clock()
    limiter = _limiter(backend, clock, batched=True)
    for _ in range(200):
        with limiter.slot():
            pass
    limiter.flush()
    written = [token for _, releases in backend.calls for token, _ in releases]
    assert sorted(written) == sorted(f"t{i}" for i in range(200))


def test_without_batching_a_slot_is_released_at_once() -> None:
    backend, clock = RecordingBackend(), Clock()
    limiter = _limiter(backend, clock, batched=False)
    with limiter.slot():
        pass
    assert backend.calls == [("take", []), ("release", [("t0", 0.0)])]


def test_the_slot_lease_is_the_longest_any_market_object_asked_for() -> None:
    # A market with deadline=5 made the limiter first; one with deadline=120 shares it: its
    # slots must count for 121 s, or a slow request of it could arrive after its slot was done.
    backend = RecordingBackend()
    cache = LimiterCache(backend, "test", batched_release=False)
    first = cache.get("market_tm", "h", LIMIT, slot_lease=6.0)
    with first.slot():
        pass
    assert cache.get("market_tm", "h", LIMIT, slot_lease=121.0) is first
    with first.slot():
        pass
    cache.get("market_tm", "h", LIMIT, slot_lease=6.0)  # a shorter one does not shorten it
    with first.slot():
        pass
    assert backend.leases == [6.0, 121.0, 121.0]

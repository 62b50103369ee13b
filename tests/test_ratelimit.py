"""Tests for the sliding-window rate limiter (deterministic: a fake clock, no real sleeping)."""

from __future__ import annotations

import hashlib
import math
import threading
import time
from collections.abc import Iterator

import pytest

from skinmarkets import _ratelimit
from skinmarkets._ratelimit import RateLimit, SlidingWindowLimiter, shared_limiter

FIVE_PER_SECOND = RateLimit(5, 1.0)


class FakeClock:
    """A clock that only moves when told to; `sleep` advances it and records the duration."""

    def __init__(self, start: float = 0.0) -> None:  # float ok
        self.now = start
        self.sleeps: list[float] = []  # float ok
        self._lock = threading.Lock()

    def __call__(self) -> float:  # float ok
        with self._lock:
            return self.now

    def sleep(self, seconds: float) -> None:  # float ok
        assert seconds > 0, f"limiter slept a non-positive {seconds}"
        with self._lock:
            self.sleeps.append(seconds)
            self.now += seconds

    def advance(self, seconds: float) -> None:  # float ok
        with self._lock:
            self.now += seconds


def make_limiter(limit: RateLimit = FIVE_PER_SECOND) -> tuple[SlidingWindowLimiter, FakeClock]:
    clock = FakeClock()
    return SlidingWindowLimiter(limit, clock=clock, sleep=clock.sleep), clock


def max_possible_arrivals(records: list[tuple[float, float]], per: float) -> int:  # float ok
    """Most requests whose server arrival could fall inside one window of `per` seconds.

    Request j reaches the server at some unknown time in [grant_j, release_j]. A window
    [t, t + per) can hold that arrival iff grant_j < t + per and t <= release_j. The count of
    such requests, a step function of t, peaks at some t = release_k.
    """
    return max(sum(1 for g, r in records if g < t + per and t <= r) for _, t in records)


def acquires_within(limiter: SlidingWindowLimiter, timeout: float) -> bool:  # float ok
    """Whether `acquire` returns within `timeout` real seconds (a broken one fails, not hangs)."""
    done = threading.Event()

    def run() -> None:
        limiter.acquire()
        done.set()

    threading.Thread(target=run, daemon=True).start()
    return done.wait(timeout)


@pytest.fixture(autouse=True)
def _fresh_shared_limiters() -> Iterator[None]:
    _ratelimit._reset_shared_limiters()
    yield
    _ratelimit._reset_shared_limiters()


def test_max_possible_arrivals_counts_requests_that_could_share_a_window() -> None:
    # The checker itself must be able to fail: released at 0.01, a request granted at 1.0
    # could still arrive within 1 s of it; granted at 1.01 it could not.
    assert max_possible_arrivals([(0.0, 0.01), (1.0, 1.01)], 1.0) == 2
    assert max_possible_arrivals([(0.0, 0.01), (1.01, 1.02)], 1.0) == 1


def test_grants_full_burst_then_waits_for_first_release_plus_window() -> None:
    limiter, clock = make_limiter()
    for _ in range(5):
        limiter.acquire()
    assert clock.sleeps == []

    clock.advance(0.3)
    limiter.release()  # the first request finishes at 0.3
    clock.advance(0.1)
    limiter.release()  # the second at 0.4; three are still in flight
    limiter.acquire()

    # Counting from grant (t=0) would have let the sixth through at 1.0; waiting for the
    # newest stamp instead of the oldest would have held it until 1.4.
    assert clock.now == pytest.approx(1.3)
    assert sum(clock.sleeps) == pytest.approx(0.9)


def test_sequential_requests_never_exceed_limit_and_use_at_least_90_percent_of_rate() -> None:
    limiter, clock = make_limiter()
    records: list[tuple[float, float]] = []  # float ok
    for _ in range(100):
        with limiter.slot():
            granted = clock.now
            clock.advance(0.01)  # the request takes 10 ms
            records.append((granted, clock.now))

    assert max_possible_arrivals(records, 1.0) <= 5
    assert clock.now <= 100 / 5 / 0.9


def test_slow_request_counts_until_one_window_after_it_finished() -> None:
    limiter, clock = make_limiter()
    with limiter.slot():
        clock.advance(3.0)  # granted at 0, finishes at 3

    for _ in range(4):
        limiter.acquire()
    assert clock.sleeps == []  # four more fit beside the slow one's stamp

    limiter.acquire()
    # A stamp taken at grant (t=0) would have expired long before t=3.
    assert clock.now == pytest.approx(4.0)


def test_in_flight_slots_block_until_a_release_then_its_window_passes() -> None:
    limiter, clock = make_limiter()
    for _ in range(5):
        limiter.acquire()

    got_slot = threading.Event()

    def sixth() -> None:
        limiter.acquire()
        got_slot.set()

    waiter = threading.Thread(target=sixth, daemon=True)
    waiter.start()
    # Nothing expires while all five are in flight, however long we wait.
    assert not got_slot.wait(0.05)
    assert clock.sleeps == []

    clock.advance(0.5)
    limiter.release()
    waiter.join(timeout=5)

    assert got_slot.is_set()
    assert clock.now == pytest.approx(1.5)


def test_defer_delays_next_grant_even_with_free_slots() -> None:
    limiter, clock = make_limiter()
    clock.advance(10.0)
    limiter.defer(2.0)

    with limiter.slot():
        assert clock.now == pytest.approx(12.0)


def test_shorter_defer_does_not_cut_an_earlier_one() -> None:
    limiter, clock = make_limiter()
    limiter.defer(5.0)
    limiter.defer(1.0)

    limiter.acquire()
    assert clock.now == pytest.approx(5.0)


@pytest.mark.parametrize("seconds", [math.nan, math.inf])
def test_defer_rejects_non_finite_seconds(seconds: float) -> None:  # float ok
    limiter, _ = make_limiter()
    with pytest.raises(ValueError, match="finite"):
        limiter.defer(seconds)


def test_slot_is_released_when_the_body_raises() -> None:
    limiter, clock = make_limiter()

    class Boom(Exception):
        pass

    with pytest.raises(Boom), limiter.slot():
        clock.advance(0.5)
        raise Boom

    for _ in range(4):
        limiter.acquire()
    # A leaked slot would leave five in flight and this acquire blocked on a release.
    assert acquires_within(limiter, timeout=5)
    assert clock.now == pytest.approx(1.5)  # counted from when the body failed


def test_release_without_acquire_is_an_error() -> None:
    limiter, _ = make_limiter()
    with pytest.raises(RuntimeError, match="without a matching acquire"):
        limiter.release()


@pytest.mark.parametrize(
    ("requests", "per_seconds"),
    [(0, 1.0), (-1, 1.0), (5, 0.0), (5, -1.0), (5, math.nan), (5, math.inf)],
)
def test_rate_limit_rejects_out_of_range_values(
    requests: int,
    per_seconds: float,  # float ok
) -> None:
    with pytest.raises(ValueError):
        RateLimit(requests, per_seconds)


@pytest.mark.parametrize(("requests", "per_seconds"), [(5.0, 1.0), (True, 1.0), (5, "1")])
def test_rate_limit_rejects_wrong_types(requests: object, per_seconds: object) -> None:
    with pytest.raises(TypeError):
        RateLimit(requests, per_seconds)  # type: ignore[arg-type]


def test_rate_limit_accepts_the_smallest_valid_values() -> None:
    assert RateLimit(1, 0.001) == RateLimit(1, 0.001)


def test_shared_limiter_is_one_object_per_vendor_and_credential() -> None:
    first = shared_limiter("market_tm", "key-a", FIVE_PER_SECOND)

    assert shared_limiter("market_tm", "key-a", FIVE_PER_SECOND) is first
    assert shared_limiter("market_tm", "key-b", FIVE_PER_SECOND) is not first
    assert shared_limiter("swap_gg", "key-a", FIVE_PER_SECOND) is not first


def test_shared_limiter_first_limit_wins() -> None:
    first = shared_limiter("market_tm", "key-a", FIVE_PER_SECOND)

    again = shared_limiter("market_tm", "key-a", RateLimit(1, 10.0))

    assert again is first
    assert again.limit == FIVE_PER_SECOND


def test_shared_limiter_does_not_keep_the_credential() -> None:
    credential = "super-secret-api-key"
    shared_limiter("market_tm", credential, FIVE_PER_SECOND)

    keys = list(_ratelimit._SHARED)
    assert keys == [("market_tm", hashlib.sha256(credential.encode()).hexdigest())]
    assert credential not in repr(keys)


def test_threads_sharing_a_limiter_never_exceed_the_limit() -> None:
    limit = RateLimit(5, 0.05)
    limiter = SlidingWindowLimiter(limit)  # real time.monotonic and time.sleep
    records: list[tuple[float, float]] = []  # float ok
    records_lock = threading.Lock()
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            for _ in range(25):
                with limiter.slot():
                    granted = time.monotonic()
                    time.sleep(0.001)  # a short request, so slots overlap across threads
                    released = time.monotonic()
                with records_lock:
                    records.append((granted, released))
        except BaseException as exc:  # surfaced below; a thread's exception is otherwise lost
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)

    assert errors == []
    assert not any(thread.is_alive() for thread in threads)
    assert len(records) == 100
    # Times taken inside the block lie within the limiter's own grant and release, so this is
    # the real guarantee: whatever the latency, no 0.05 s server window sees more than 5.
    assert max_possible_arrivals(records, limit.per_seconds) <= 5

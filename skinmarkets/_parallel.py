"""Independent reads side by side, where the vendor's rate limit allows several in flight.

The transport's shared limiter still paces every request, so running reads together never
sends faster than the limit; it only stops one waiting on the other's network round trip.
:func:`both` runs two different reads; :func:`settled` / :func:`in_parallel` run one call over
many items with a few threads (Mannco's name resolution, bulk-pricing chunks and listing pages).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import CancelledError, Future, ThreadPoolExecutor
from typing import TypeVar

__all__ = ["WORKERS", "both", "in_parallel", "settled"]

#: Threads per call: with round trips of 100-300 ms, 4 requests in flight are enough for a limit
#: of 10 per second (Mannco's 600 / 60 s); more would only wait on the limiter.
WORKERS = 4

T = TypeVar("T")
R = TypeVar("R")

A = TypeVar("A")
B = TypeVar("B")


def both(first: Callable[[], A], second: Callable[[], B]) -> tuple[A, B]:
    """``(first(), second())`` with ``second`` run in a thread of its own at the same time.

    Returns once both have ended, never leaving a request running behind the caller. An error
    is raised after both ended: ``first``'s when both failed, else whichever failed.
    """
    results: list[B] = []
    failures: list[BaseException] = []

    def run_second() -> None:
        try:
            results.append(second())
        except BaseException as exc:  # re-raised in the caller's thread
            failures.append(exc)

    thread = threading.Thread(target=run_second, name="skinmarkets-read", daemon=True)
    thread.start()
    try:
        result = first()
    finally:
        thread.join()
    if failures:
        raise failures[0]
    return result, results[0]


def settled(
    call: Callable[[T], R], items: Sequence[T], *, workers: int = WORKERS
) -> tuple[list[tuple[T, R]], Exception | None]:
    """``call`` on every item, at most ``workers`` at a time: the (item, result) pairs that
    finished, in the items' order, and the first error (the calls not yet started when it came
    are not made). One item, or one worker, runs in the calling thread."""
    if workers <= 1 or len(items) <= 1:
        done: list[tuple[T, R]] = []
        for item in items:
            try:
                done.append((item, call(item)))
            except Exception as exc:
                return done, exc
        return done, None
    with ThreadPoolExecutor(
        max_workers=min(workers, len(items)), thread_name_prefix="skinmarkets-read"
    ) as pool:
        futures: list[Future[R]] = [pool.submit(call, item) for item in items]
        results: list[tuple[T, R]] = []
        first: Exception | None = None
        try:
            for item, future in zip(items, futures, strict=True):
                try:
                    results.append((item, future.result()))
                except CancelledError:
                    continue
                except Exception as exc:
                    if first is None:
                        first = exc
                        for pending in futures:
                            pending.cancel()
        except BaseException:  # interrupted while waiting: start nothing more
            for pending in futures:
                pending.cancel()
            raise
    return results, first


def in_parallel(call: Callable[[T], R], items: Sequence[T], *, workers: int = WORKERS) -> list[R]:
    """``call`` on every item, at most ``workers`` at a time; the results in the items' order,
    or the first error (the calls not yet started are not made)."""
    done, error = settled(call, items, workers=workers)
    if error is not None:
        raise error
    return [result for _, result in done]

"""Mannco requests sent side by side: a few threads, every request still paced by the limiter.

Mannco allows about 600 requests per 60 s (units.py); one request at a time, at a round trip of
100-300 ms, uses a fraction of that. A few threads keep the window busy, and since every request
takes its slot from the transport's limiter, no number of threads can exceed the limit: the
threads only wait for slots in parallel instead of one after another.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import CancelledError, Future, ThreadPoolExecutor
from typing import TypeVar

__all__ = ["WORKERS", "in_parallel", "settled"]

#: Threads per call: with round trips of 100-300 ms, 4 requests in flight are enough for the
#: limiter's 10 per second (600 / 60 s); more would only wait on the limiter.
WORKERS = 4

T = TypeVar("T")
R = TypeVar("R")


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
        max_workers=min(workers, len(items)), thread_name_prefix="mannco"
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

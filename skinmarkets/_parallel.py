"""Two independent reads at once, where the vendor's rate limit allows two requests in flight.

The transport's shared limiter still paces every request, so running two reads together never
sends faster than the limit; it only stops one waiting on the other's network round trip.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

__all__ = ["both"]

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

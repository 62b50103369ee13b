"""Pausing the cyclic garbage collector while large acyclic data is built.

Decoding a 13 MB price export makes about a million objects, and building the quotes a few
hundred thousand more. Every 700 new container objects the collector scans the young ones, and
now and then every object the program holds; paused, it scans the new ones once, after the
build (``tests/benchmarks/bench_prices.py`` charges that scan to the typed path). The objects
made here (JSON dicts and lists, quotes, Money) hold no reference cycles, so reference counting
frees them without the collector; pausing it for the build loses nothing.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["gc_paused"]


class _CollectorPause:
    """Counts the pauses under way in all threads; the first turns the collector off."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.pauses = 0
        self.was_enabled = False

    def begin(self) -> None:
        with self.lock:
            if self.pauses == 0:
                self.was_enabled = gc.isenabled()
                gc.disable()
            self.pauses += 1

    def end(self) -> None:
        with self.lock:
            self.pauses -= 1
            if self.pauses == 0 and self.was_enabled:
                gc.enable()


_collector_pause = _CollectorPause()


@contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic collector off for the block, if it was on (threads may overlap pauses).

    Reference counting still frees every acyclic object at once; cycles made meanwhile are
    collected after. The last pause to end turns the collector back on only if the first found
    it on, so a program that runs with ``gc.disable()`` keeps it off.
    """
    _collector_pause.begin()
    try:
        yield
    finally:
        _collector_pause.end()

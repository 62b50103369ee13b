"""Pausing the cyclic garbage collector while large acyclic data is built.

Decoding a 13 MB price export makes about a million objects, and building the quotes a few
hundred thousand more. Every 700 new container objects the collector scans the young ones, and
now and then every object the program holds. The objects made here (JSON dicts and lists,
quotes, Money) hold no reference cycles, so reference counting frees them without the
collector; pausing it for the build loses nothing.

After a large build (at least :data:`LARGE_BUILD` new container objects), the young objects are
moved to the oldest generation before the collector comes back on (``gc.freeze()`` then
``gc.unfreeze()``, which moves them without scanning them), instead of being scanned as young
right after: 100,000 quotes cost a 13 ms scan there, and scanned again when they age. A list of
quotes lives until the program drops it, and is then freed by reference counting, so the
young-generation scans could only ever find it alive. What the move costs: any cyclic garbage
the program made just before is collected at the next full collection rather than the next
young one. It is not done when the program keeps frozen objects of its own
(``gc.get_freeze_count()`` not 0: a pre-fork server's), which ``gc.unfreeze()`` would release.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["LARGE_BUILD", "gc_paused"]


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
                if gc.get_count()[0] >= LARGE_BUILD and gc.get_freeze_count() == 0:
                    gc.freeze()  # every tracked object into the permanent generation, unscanned
                    gc.unfreeze()  # and from there into the oldest one
                gc.enable()


#: New container objects (the young generation's count) from which a pause ends by moving the
#: young objects to the oldest generation (see the module docstring).
LARGE_BUILD = 50_000

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

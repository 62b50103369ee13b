"""Shared helpers for the benchmark scripts: timing, medians and the verdict line.

Benchmarks compare two things measured side by side in one run (interleaved), so machine noise
hits both sides alike; they print a ratio, never an absolute threshold, and always exit 0.
"""

from __future__ import annotations

import statistics
import time
import tracemalloc
from collections.abc import Callable
from typing import Any


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:  # float ok: seconds
    """(seconds, result) of one call of ``fn``."""
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def timed_cpu(fn: Callable[[], Any]) -> tuple[float, float, Any]:  # float ok: seconds
    """(wall seconds, CPU seconds of this process, result) of one call of ``fn``.

    For single-threaded work without I/O, CPU time is the work itself: unlike wall time it does
    not grow while the OS runs other processes, so ratios of it stay stable on a busy machine.
    """
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def peak_memory(fn: Callable[[], Any]) -> int:
    """Peak bytes traced by tracemalloc during one call of ``fn`` (result dropped after)."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        result = fn()
        _, peak = tracemalloc.get_traced_memory()
        del result
    finally:
        tracemalloc.stop()
    return peak


def median(values: list[float]) -> float:  # float ok: seconds
    return statistics.median(values)


def verdict(title: str, ratio: float, target: float) -> str:  # float ok: ratios
    """The last line every script prints: measured ratio, target, PASS/FAIL."""
    outcome = "PASS" if ratio <= target else "FAIL"
    return f"{title}: ratio {ratio:.2f}x (target <= {target:.2f}x) -> {outcome}"


def mib(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MiB"

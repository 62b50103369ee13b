"""Retry decisions and backoff: separate small functions, the jitter injected for tests."""

from __future__ import annotations

from collections.abc import Callable

from skinmarkets import errors
from skinmarkets._seconds import Ratio, Seconds

__all__ = ["MAX_RETRY_AFTER_SECONDS", "backoff_delay", "should_retry"]

#: A read told to wait longer than this is not retried: the caller gets ``RateLimited``.
MAX_RETRY_AFTER_SECONDS: Seconds = 60.0
_BACKOFF_INITIAL: Seconds = 0.5
_BACKOFF_MAX: Seconds = 8.0


def backoff_delay(
    attempt: int,
    *,
    jitter: Callable[[], Ratio],
    retry_after: Seconds | None = None,
) -> Seconds:
    """How long to wait before retry number ``attempt`` (0-based): doubling, jittered, capped.

    The jitter (a number in [0, 1)) spreads the delay over its upper half, so clients that
    failed together do not retry together; ``Retry-After`` is a floor.
    """
    # The exponent is capped before the power: 2.0 ** 1100 overflows.
    doubling: Seconds = 2.0 ** min(max(attempt, 0), 32)
    delay: Seconds = min(_BACKOFF_INITIAL * doubling, _BACKOFF_MAX)
    delay *= 0.5 * (1 + jitter())
    if retry_after is not None:
        delay = max(delay, retry_after)
    return delay


def should_retry(error: errors.SkinMarketsError, *, write: bool, attempt: int, limit: int) -> bool:
    """Only reads are retried, only on ``TransientError``, at most ``limit`` times."""
    if write or attempt >= limit or not isinstance(error, errors.TransientError):
        return False
    if isinstance(error, errors.RateLimited) and error.retry_after is not None:
        return error.retry_after <= MAX_RETRY_AFTER_SECONDS
    return True

"""The two kinds of binary float the package holds, and neither is ever money.

Money is ``Decimal`` everywhere (``skinmarkets.money``). What is left as a float is time in
seconds (timeouts, deadlines, leases, clock readings, epoch times, the wait a rate limit asks
for) and plain ratios (requests per second, a benchmark's proportion). Writing them as these
aliases says so where they are declared: a bare ``float`` in the package is a question to ask.
"""

from __future__ import annotations

from typing import TypeAlias

__all__ = ["Ratio", "Seconds"]

#: A duration, a clock reading or an epoch time, in seconds.
Seconds: TypeAlias = float
#: A proportion or a rate (requests per second): a plain number, never an amount of money.
Ratio: TypeAlias = float

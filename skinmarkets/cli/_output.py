"""How commands write: results on stdout, notes and progress on stderr, and cell formatting.

Exit codes, the same for every command: 0 everything worked; 1 a market failed (the others are
still shown); 2 a usage or configuration error (including a missing exchange rate); 130
interrupted by Ctrl-C (what had arrived is still shown).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from datetime import timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from typing import TextIO

import attrs

from skinmarkets._seconds import Seconds
from skinmarkets.money import Money

__all__ = [
    "EXIT_FAILED",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_USAGE",
    "Output",
    "UsageError",
    "age_text",
    "amount_text",
    "count_text",
    "in_minor_units",
    "percent_text",
    "print_notes",
    "rounded_ratio",
    "seconds_text",
]

EXIT_OK = 0
EXIT_FAILED = 1  # a market failed, or the request could not be carried out (or was declined)
EXIT_USAGE = 2  # bad usage or configuration: nothing was asked, or a rate was missing
EXIT_INTERRUPTED = 130  # Ctrl-C, as shells report a process ended by SIGINT (128 + 2)


class UsageError(Exception):
    """A command line that cannot be run; the message says what to do instead."""


# ISO 4217 currencies whose minor unit is not the cent (all others have 2 decimals).
_MINOR_DIGITS: Mapping[str, int] = {
    **dict.fromkeys(
        ("BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI"),
        0,
    ),
    **dict.fromkeys(("VND", "VUV", "XAF", "XOF", "XPF"), 0),
    **dict.fromkeys(("BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"), 3),
}


@attrs.frozen
class Output:
    """Where a command writes: results to ``out``, progress and notes to ``err``.

    ``width``: the columns a table may take (None: no limit, as when stdout is a file);
    ``clock``: seconds for progress and ``--timeout`` (injected by tests); ``stdin``: where a
    confirmation is read from (None: ``sys.stdin``).
    """

    out: TextIO
    err: TextIO
    json: bool
    width: int | None = None
    clock: Callable[[], Seconds] = time.monotonic
    stdin: TextIO | None = None

    def result(self, text: str) -> None:
        """Print one result block on stdout."""
        print(text, file=self.out)

    def note(self, text: str) -> None:
        """Print a note for the human on stderr (stdout stays parseable)."""
        print(text, file=self.err, flush=True)

    def warn(self, text: str) -> None:
        """Print ``warning: text`` on stderr."""
        self.note(f"warning: {text}")

    @property
    def live(self) -> bool:
        """Whether stderr is a terminal, where a status line may be redrawn in place."""
        isatty = getattr(self.err, "isatty", None)
        return bool(isatty and isatty())


def in_minor_units(money: Money) -> Money:
    """``money`` rounded half-even to its currency's minor unit (2 decimals, 0 for JPY, ...).

    For amounts skinmarkets computed (a conversion, a profit); a vendor's own amount is never
    rounded.
    """
    return money.quantize(_MINOR_DIGITS.get(money.currency, 2), rounding=ROUND_HALF_EVEN)


def amount_text(money: Money | None) -> str:
    """A table cell: the amount with the digits it has, or "-"."""
    return "-" if money is None else format(money.amount, "f")


def age_text(age: timedelta) -> str:
    seconds = max(int(age.total_seconds()), 0)
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def percent_text(ratio: Decimal) -> str:
    return f"{(ratio * 100).quantize(Decimal('0.1'), rounding=ROUND_HALF_EVEN)}%"


def rounded_ratio(ratio: Decimal) -> Decimal:
    """A profit ratio to 4 decimals (0.0960 is 9.60 %): more is noise from the division."""
    return ratio.quantize(Decimal("0.0001"), rounding=ROUND_HALF_EVEN)


def seconds_text(seconds: Seconds) -> str:
    return f"{seconds:.1f} s"


def print_notes(output: Output, failures: Mapping[str, str], skipped: Mapping[str, str]) -> None:
    for market, reason in sorted(skipped.items()):
        output.note(f"skipped {market}: {reason}")
    for market, reason in sorted(failures.items()):
        output.note(f"failed {market}: {reason}")


def count_text(markets: Iterable[str]) -> str:
    n = len(list(markets))
    return f"{n} market{'s' * (n != 1)}"

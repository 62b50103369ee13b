"""How commands write: results on stdout, notes and progress on stderr, and cell formatting."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from typing import TextIO

import attrs

from skinmarkets.money import Money

__all__ = [
    "EXIT_FAILED",
    "EXIT_OK",
    "Output",
    "age_text",
    "amount_text",
    "count_text",
    "percent_text",
    "print_notes",
]

EXIT_OK = 0


EXIT_FAILED = 1  # a market failed, or the request could not be carried out


@attrs.frozen
class Output:
    """Where a command writes: results to ``out``, progress and notes to ``err``."""

    out: TextIO
    err: TextIO
    json: bool

    def result(self, text: str) -> None:
        """Print one result block on stdout."""
        print(text, file=self.out)

    def note(self, text: str) -> None:
        """Print a note for the human on stderr (stdout stays parseable)."""
        print(text, file=self.err)

    def progress(self, text: str) -> Callable[[], None]:
        """Show ``text`` on stderr while work runs; the returned function clears it again."""
        if not self.err.isatty():
            print(text, file=self.err, flush=True)
            return lambda: None
        self.err.write(text)
        self.err.flush()

        def clear() -> None:
            self.err.write("\r" + " " * len(text) + "\r")
            self.err.flush()

        return clear


def amount_text(money: Money | None) -> str:
    """A table cell: the exact amount, or to the cent when conversion left more than 3 places.

    Display only: ``--json`` keeps every digit.
    """
    if money is None:
        return "-"
    amount = money.amount
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -3:
        amount = amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)
    return format(amount, "f")


def age_text(age: timedelta) -> str:
    seconds = int(age.total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds // size}{unit}"
    return f"{max(seconds, 0)}s"


def percent_text(ratio: Decimal) -> str:
    return f"{(ratio * 100).quantize(Decimal('0.1'), rounding=ROUND_HALF_EVEN)}%"


def print_notes(output: Output, failures: Mapping[str, str], skipped: Mapping[str, str]) -> None:
    for market, reason in sorted(skipped.items()):
        output.note(f"skipped {market}: {reason}")
    for market, reason in sorted(failures.items()):
        output.note(f"failed {market}: {reason}")


def count_text(markets: Iterable[str]) -> str:
    n = len(list(markets))
    return f"{n} market{'s' * (n != 1)}"

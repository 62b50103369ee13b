"""Asking before a write that moves money or items (``buy``, ``sell``), and parsing amounts.

The rule: ``--yes`` goes ahead without asking; otherwise the question is asked on the terminal
(on stderr, the answer read from stdin) and only "y" or "yes" goes ahead — Enter, anything
else or end of input is "no". Without a terminal on stdin and without ``--yes`` the command
refuses before it asks any market anything (exit 2): a script must say ``--yes`` itself, so
that piping ``yes`` or an empty stdin into it never buys by accident.

Amounts (``--max-price``, ``--price``) are ``AMOUNT`` or ``AMOUNT`` + currency code:
``4.00``, ``4.00USD``, ``4.00 usd``. The digits are read exactly (``Decimal``, a dot for the
fraction, no exponent, more than 0). Without a code the amount is in the currency of what is
bought or sold (the listing's, the item's price); with one, it must be that currency — the
CLI never converts a price cap.
"""

from __future__ import annotations

import argparse
import re
import sys
from decimal import Decimal
from typing import TextIO

import attrs

from skinmarkets.cli._output import Output, UsageError
from skinmarkets.money import Money

__all__ = ["Amount", "confirm", "parse_amount", "require_answerable"]

_AMOUNT = re.compile(r"(?P<amount>[0-9]{1,15}(?:\.[0-9]{1,10})?)\s*(?P<currency>[A-Za-z]{3})?")
_YES = frozenset({"y", "yes"})


@attrs.frozen
class Amount:
    """An amount from the command line; ``currency`` None when none was written."""

    amount: Decimal
    currency: str | None
    text: str

    def money(self, currency: str, option: str) -> Money:
        """This amount in ``currency``; a different currency written on it is a ``UsageError``."""
        if self.currency is not None and self.currency != currency.upper():
            raise UsageError(
                f"{option} {self.text} is in {self.currency} but the price is in {currency}: "
                f"write it in {currency} (e.g. {option} {self.amount}{currency}); "
                "skinmarkets never converts a price cap"
            )
        return Money(self.amount, currency)


def parse_amount(text: str) -> Amount:
    """``"4.00"``, ``"4.00USD"`` or ``"4.00 usd"`` -> :class:`Amount`; anything else is refused."""
    match = _AMOUNT.fullmatch(text.strip())
    amount = Decimal(match.group("amount")) if match else Decimal(0)
    if match is None or amount <= 0:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an amount: write more than 0 with a dot for the fraction, "
            "optionally followed by the currency, like 4.00 or 4.00USD"
        )
    currency = match.group("currency")
    return Amount(amount, currency.upper() if currency else None, text.strip())


def _stdin(output: Output) -> TextIO:
    return output.stdin if output.stdin is not None else sys.stdin


def _is_terminal(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except (OSError, ValueError):  # a closed stdin
        return False


def require_answerable(output: Output, *, yes: bool, command: str) -> None:
    """Refuse (``UsageError``) a command that would have to ask, but has nobody to ask."""
    if not yes and not _is_terminal(_stdin(output)):
        raise UsageError(
            f"{command} asks for confirmation, and stdin is not a terminal: nothing was done; "
            f"add --yes to {command} without asking"
        )


def confirm(output: Output, question: str, *, yes: bool) -> bool:
    """True to go ahead: ``--yes``, or "y"/"yes" typed at the terminal (see the module)."""
    if yes:
        return True
    output.err.write(f"{question} [y/N] ")
    output.err.flush()
    answer = _stdin(output).readline()
    if not answer:  # end of input (Ctrl-D): no
        output.err.write("\n")
    return answer.strip().lower() in _YES

"""Commands that act on one market (``buy``, ``sell``): its calls one at a time, each shown with
progress and stoppable by Ctrl-C like every other command's (through ``_gather``), and each
library error kept with its type — ``OutcomeUnknown`` must not become a mere message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from skinmarkets._seconds import Seconds
from skinmarkets.cli._gather import gather
from skinmarkets.cli._markets import Session
from skinmarkets.cli._output import Output, UsageError
from skinmarkets.errors import SkinMarketsError
from skinmarkets.protocol import Marketplace

__all__ = ["Attempt", "Interrupted", "ask_one", "attempted", "one_market"]


@attrs.frozen
class Attempt:
    """A call that may fail: its answer, or the library's error (with its type kept)."""

    answer: Any = None
    error: SkinMarketsError | None = None


def attempted(call: Callable[[], Any]) -> Callable[[], Attempt]:
    """``call`` whose ``SkinMarketsError`` is returned, so ``gather`` keeps its type."""

    def run() -> Attempt:
        try:
            return Attempt(answer=call())
        except SkinMarketsError as exc:
            return Attempt(error=exc)

    return run


class Interrupted(Exception):
    """Ctrl-C while one market's call was awaited."""


def ask_one(
    output: Output,
    name: str,
    call: Callable[[], Any],
    *,
    what: str,
    limit: Seconds | None = None,
) -> Attempt:
    """One market's ``call`` through ``gather`` (progress, Ctrl-C); ``--timeout`` is a failure."""
    gathered = gather({name: attempted(call)}, output, limit=limit, what=what)
    if gathered.interrupted:
        raise Interrupted
    if name in gathered.failures:  # no answer within --timeout
        return Attempt(error=SkinMarketsError(f"{name}: {gathered.failures[name]}"))
    answer: Attempt = gathered.answers[name]
    return answer


def one_market(session: Session, command: str) -> tuple[str, Marketplace]:
    """The one market ``command`` runs on (``--market``, checked when parsing)."""
    if len(session.markets) != 1:
        raise UsageError(f"{command} needs exactly one --market")
    ((name, market),) = session.markets.items()
    return name, market

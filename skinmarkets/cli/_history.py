"""``history``: what the account bought, on the markets whose adapters keep a history.

The protocol has no history, so each market is asked for what its adapter offers, found by
what it accepts rather than by vendor: a ``history(since, until=None)`` returning purchases
(Market TM) is asked for ``--since`` onwards; a ``history()`` without arguments (Mannco's, the
last bot trades: withdrawals and deposits) is read whole and cut at ``--since`` here (an entry
without a time is kept). A market with neither is listed in ``skipped`` with the reason.

``--since`` is a number of days back (``7``), a date (``2024-05-01``, midnight UTC) or a time
(``2024-05-01T12:00``, UTC unless it names its offset); default 30 days.

JSON result: ``{market: [entry, ...]}``, each entry a purchase or a trade with ``"kind":
"purchase"`` or ``"kind": "trade"`` added, newest first.
"""

from __future__ import annotations

import argparse
import functools
import inspect
import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from skinmarkets.cli._gather import gather
from skinmarkets.cli._json import envelope, to_json_value
from skinmarkets.cli._markets import Session
from skinmarkets.cli._output import (
    EXIT_FAILED,
    Output,
    amount_text,
    count_text,
    print_notes,
)
from skinmarkets.cli._table import render_table
from skinmarkets.models import Purchase, Trade
from skinmarkets.protocol import Marketplace

__all__ = ["DEFAULT_DAYS", "history", "parse_since"]

DEFAULT_DAYS = 30
_MAX_DAYS = 36500
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_since(text: str, *, now: Callable[[], datetime] | None = None) -> datetime:
    """``--since``: days back (``7``), a date or an ISO time -> an aware UTC datetime."""
    cleaned = text.strip()
    current = (now or (lambda: datetime.now(tz=UTC)))()
    if cleaned.isascii() and cleaned.isdigit():
        days = int(cleaned)
        if not 0 < days <= _MAX_DAYS:
            raise argparse.ArgumentTypeError(
                f"{text!r}: give between 1 and {_MAX_DAYS} days, or a date like 2024-05-01"
            )
        return current - timedelta(days=days)
    try:
        when = datetime.fromisoformat(cleaned)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is neither a number of days nor a date: write e.g. --since 7 or "
            "--since 2024-05-01"
        ) from None
    if _DATE.fullmatch(cleaned) or when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    try:
        when = when.astimezone(UTC)
    except OverflowError:  # 0001-01-01T00:00+01:00 is before year 1 in UTC
        raise argparse.ArgumentTypeError(
            f"{text!r} is out of range: write e.g. --since 7 or --since 2024-05-01"
        ) from None
    if when > current:
        raise argparse.ArgumentTypeError(f"{text!r} is in the future")
    return when


def _history_of(market: Marketplace) -> Callable[[datetime], list[Any]] | None:
    """How to read ``market``'s history from a time on, or None when it keeps none."""
    method = getattr(market, "history", None)
    if not callable(method):
        return None
    try:
        parameters = inspect.signature(method).parameters
    except (TypeError, ValueError):
        return None
    if "since" in parameters:
        return lambda since: list(method(since))
    required = [
        p
        for p in parameters.values()
        if p.default is inspect.Parameter.empty
        and p.kind not in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    ]
    if required:
        return None

    def read_all(since: datetime) -> list[Any]:
        return [e for e in method() if (_time(e) or since) >= since]

    return read_all


def _time(entry: Any) -> datetime | None:
    when = getattr(entry, "created_at", None)
    return when if isinstance(when, datetime) else None


def _newest_first(entries: Sequence[Any]) -> list[Any]:
    floor = datetime.min.replace(tzinfo=UTC)
    return sorted(entries, key=lambda e: _time(e) or floor, reverse=True)


def _read_newest_first(read: Callable[[datetime], list[Any]], since: datetime) -> list[Any]:
    return _newest_first(read(since))


def _entry_json(entry: Any) -> Any:
    kind = (
        "purchase"
        if isinstance(entry, Purchase)
        else "trade"
        if isinstance(entry, Trade)
        else "entry"
    )
    value = to_json_value(entry)
    return {"kind": kind, **value} if isinstance(value, dict) else {"kind": kind, "value": value}


def _row(key: str, entry: Any) -> list[str]:
    when = _time(entry)
    stamp = "-" if when is None else when.strftime("%Y-%m-%d %H:%M")
    if isinstance(entry, Purchase):
        return [
            key,
            "purchase",
            entry.id,
            entry.market_hash_name or "-",
            amount_text(entry.price),
            entry.price.currency,
            entry.status.name,
            stamp,
            entry.custom_id or "-",
        ]
    if isinstance(entry, Trade):
        items = f"{len(entry.items)} item{'s' * (len(entry.items) != 1)}" if entry.items else "-"
        what = f"{entry.direction.name.lower()} trade, {items}"
        return [key, "trade", entry.id, what, "-", "-", entry.status.name, stamp, "-"]
    return [key, "entry", "-", str(entry), "-", "-", "-", stamp, "-"]


def history(args: argparse.Namespace, output: Output, session: Session) -> int:
    """What the account bought since ``--since`` on every market that keeps a history."""
    since: datetime = args.since or datetime.now(tz=UTC) - timedelta(days=DEFAULT_DAYS)
    skipped = dict(session.skipped)
    calls: dict[str, Callable[[], list[Any]]] = {}
    for key, market in session.markets.items():
        read = _history_of(market)
        if read is None:
            skipped[key] = f"the {market.vendor} adapter keeps no purchase history"
        else:
            calls[key] = functools.partial(_read_newest_first, read, since)
    gathered = gather(calls, output, limit=args.timeout)
    answers = {k: gathered.answers[k] for k in session.markets if k in gathered.answers}
    if output.json:
        result = {key: [_entry_json(e) for e in found] for key, found in answers.items()}
        output.result(envelope(result, gathered.failures, skipped))
    else:
        rows = [_row(key, entry) for key, found in answers.items() for entry in found]
        if rows:
            headers = [
                "MARKET",
                "KIND",
                "ID",
                "ITEM",
                "PRICE",
                "CURRENCY",
                "STATUS",
                "TIME UTC",
                "CUSTOM ID",
            ]
            output.result(
                render_table(headers, rows, right=frozenset({4}), width=output.width, shrink=3)
            )
        elif calls and not gathered.failures and not gathered.interrupted:
            output.result(
                f"nothing since {since.strftime('%Y-%m-%d %H:%M')} UTC on {count_text(calls)}"
            )
        print_notes(output, gathered.failures, skipped)
    if not calls:
        output.note("no market here keeps a purchase history")
        return EXIT_FAILED
    return gathered.exit_code(output)

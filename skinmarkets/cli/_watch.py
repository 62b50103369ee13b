"""``skinmarkets watch``: one line per realtime event of every market, until Ctrl-C.

Each market's stream is read by its own thread into one queue, so a quiet market never holds
up a busy one; the main thread prints. Ctrl-C closes every stream (all at once, and waits for them
at most half a second: a stream still closing is left to the end of the process) and ends with
exit code 130 and no traceback.
"""

from __future__ import annotations

import argparse
import json
import queue
import threading
import time
from collections.abc import Iterable
from typing import Any

from skinmarkets import errors
from skinmarkets._seconds import Seconds
from skinmarkets.cli._json import to_json_value
from skinmarkets.cli._markets import Session
from skinmarkets.cli._output import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, Output, amount_text
from skinmarkets.events import (
    KINDS,
    BalanceChanged,
    Event,
    ListingChanged,
    Notification,
    PurchaseUpdated,
    StreamStatus,
)

__all__ = ["parse_kinds", "watch"]

_POLL: Seconds = 0.2  # each reader waits before checking for the end
_CLOSE: Seconds = 2.0  # each stream's close() returns within 2 s
_INTERRUPTED_CLOSE: Seconds = 0.5  # Ctrl-C ends the command within a second


def parse_kinds(text: str) -> frozenset[str]:
    """``--kinds listings,account`` as a set; an unknown kind is a usage error."""
    kinds = frozenset(part.strip().lower() for part in text.split(",") if part.strip())
    unknown = sorted(kinds - KINDS)
    if not kinds or unknown:
        raise argparse.ArgumentTypeError(
            f"unknown kind(s) {', '.join(unknown) or '(none)'}: choose from "
            f"{', '.join(sorted(KINDS))}"
        )
    return kinds


def event_line(event: Event) -> str:
    """One event as a line for a person: time, market, what happened."""
    when = event.received_at.strftime("%H:%M:%S")
    if isinstance(event, ListingChanged):
        price = f" {amount_text(event.price)} {event.price.currency}" if event.price else ""
        name = f" {event.market_hash_name}" if event.market_hash_name else ""
        what = f"listing {event.action} {event.listing_id}{name}{price}"
    elif isinstance(event, PurchaseUpdated):
        offer = f" offer {event.trade_offer_id}" if event.trade_offer_id else ""
        what = f"purchase {event.purchase_id} {event.status.name}{offer}"
    elif isinstance(event, BalanceChanged):
        amount = event.available
        what = f"balance {amount_text(amount)} {amount.currency}" if amount else "balance changed"
    elif isinstance(event, Notification):
        what = f"notification: {event.text}"
    elif isinstance(event, StreamStatus):
        retry = ", reconnecting" if event.will_retry else ""
        what = f"[{event.state}{retry}]" + (f" {event.reason}" if event.reason else "")
    else:
        what = f"event {event.name}"
    return f"{when} {event.market} {what}"


def event_json(event: Event) -> str:
    """One event as a JSON line: its type and fields, amounts as decimal strings."""
    data: dict[str, Any] = {"type": type(event).__name__}
    data.update(to_json_value(event))
    return json.dumps(data, ensure_ascii=False)


def _kinds_for(pushed: Iterable[str], wanted: frozenset[str] | None) -> frozenset[str]:
    return frozenset(pushed) if wanted is None else frozenset(pushed) & wanted


def watch(args: argparse.Namespace, output: Output, session: Session) -> int:
    """Print every event of the chosen markets until Ctrl-C."""
    wanted: frozenset[str] | None = args.kinds
    streams: dict[str, Any] = {}
    for name, market in session.markets.items():
        kinds = _kinds_for(getattr(market.capabilities, "events", frozenset()), wanted)
        if not kinds or not hasattr(market, "events"):
            output.note(f"skipped {name}: it pushes no {'/'.join(sorted(wanted or KINDS))} events")
            continue
        streams[name] = market.events(kinds)
    if not streams:
        output.note("no market to watch")
        return EXIT_FAILED
    lines: queue.Queue[Event | BaseException] = queue.Queue()
    stop = threading.Event()

    def read(stream: Any) -> None:
        try:
            while not stop.is_set():
                event = stream.get(timeout=_POLL)
                if event is not None:
                    lines.put(event)
        except errors.SkinMarketsError as exc:
            lines.put(exc)

    readers = [
        threading.Thread(target=read, args=(s,), daemon=True, name=f"skinmarkets-watch-{n}")
        for n, s in streams.items()
    ]
    for reader in readers:
        reader.start()
    output.note(f"watching {', '.join(streams)}; Ctrl-C to stop")
    failed = False
    try:
        while any(r.is_alive() for r in readers) or not lines.empty():
            try:
                item = lines.get(timeout=_POLL)
            except queue.Empty:
                continue
            if isinstance(item, BaseException):
                output.note(f"error: {item}")
                failed = True
                continue
            output.result(event_json(item) if output.json else event_line(item))
            output.out.flush()
    except KeyboardInterrupt:
        _close(streams, stop, readers, within=_INTERRUPTED_CLOSE)
        output.note("stopped")
        return EXIT_INTERRUPTED
    _close(streams, stop, readers, within=_CLOSE)
    return EXIT_FAILED if failed else EXIT_OK


def _close(
    streams: dict[str, Any],
    stop: threading.Event,
    readers: list[threading.Thread],
    *,
    within: Seconds,
) -> None:
    """Close every stream at once, then let the readers end; wait at most ``within`` s."""
    stop.set()
    closers = [threading.Thread(target=s.close, daemon=True) for s in streams.values()]
    for closer in closers:
        closer.start()
    until = time.monotonic() + within
    for thread in [*closers, *readers]:
        thread.join(max(0.0, until - time.monotonic()))

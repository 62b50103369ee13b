"""``skinmarkets watch``: one line per event, JSON lines, filters, Ctrl-C without a traceback."""

from __future__ import annotations

import queue
import threading
import time
from datetime import UTC, datetime
from typing import Any

import attrs
import pytest

from skinmarkets import Money, TradeStatus, errors
from skinmarkets.cli import main
from skinmarkets.events import (
    BalanceChanged,
    Event,
    ListingChanged,
    Notification,
    PurchaseUpdated,
    StreamStatus,
)
from tests.cli.conftest import FakeMarket, Fakes, capabilities
from tests.cli.test_main import run, strict_json

AT = datetime(2026, 12, 3, 9, 15, 7, tzinfo=UTC)


class FakeStream:
    """Hands out the scripted events, then waits (like a quiet socket) until closed."""

    def __init__(self, events: list[Event | Exception]) -> None:
        self.events: queue.Queue[Event | Exception] = queue.Queue()
        for event in events:
            self.events.put(event)
        self.closed = threading.Event()

    def get(self, timeout: float | None = None) -> Event | None:
        if self.closed.is_set():
            return None
        try:
            item = self.events.get(timeout=timeout)
        except queue.Empty:
            return None
        if isinstance(item, Exception):
            raise item
        return item

    def close(self) -> None:
        self.closed.set()


class StreamingMarket(FakeMarket):
    """A fake market that pushes ``kinds`` and streams the given events."""

    def __init__(self, name: str, kinds: set[str], events: list[Event | Exception]) -> None:
        super().__init__(name)
        self.capabilities = attrs.evolve(capabilities(), events=frozenset(kinds))
        self.stream = FakeStream(events)
        self.asked: list[frozenset[str]] = []

    def events(self, kinds: Any = None) -> FakeStream:
        self.asked.append(frozenset(kinds))
        return self.stream


def _ending(events: list[Event | Exception]) -> list[Event | Exception]:
    """``events``, then the stream ends for good (an auth failure ends `watch` with exit 1)."""
    return [*events, errors.AuthenticationError("test: the stream ended")]


def test_each_event_is_one_readable_line(capsys: pytest.CaptureFixture[str], fakes: Fakes) -> None:
    events: list[Event | Exception] = [
        StreamStatus(market="market_tm", received_at=AT, state="connected"),
        ListingChanged(
            market="market_tm",
            received_at=AT,
            action="changed",
            listing_id="501",
            market_hash_name="AK-47 | Redline (Field-Tested)",
            price=Money("12.345", "USD"),
        ),
        PurchaseUpdated(
            market="market_tm",
            received_at=AT,
            purchase_id="77",
            status=TradeStatus.SENT,
            trade_offer_id="9001",
        ),
        BalanceChanged(market="market_tm", received_at=AT, available=Money("20.50", "USD")),
        Notification(market="market_tm", received_at=AT, text="hello"),
    ]
    tm = StreamingMarket("market_tm", {"listings", "account"}, _ending(events))
    fakes.markets = {"market_tm": tm}
    code, out, err = run(capsys, "watch", "--sandbox")
    lines = out.splitlines()
    assert code == 1  # the stream ended with an error, shown on stderr
    assert lines[0] == "09:15:07 market_tm [connected]"
    assert lines[1] == (
        "09:15:07 market_tm listing changed 501 AK-47 | Redline (Field-Tested) 12.345 USD"
    )
    assert lines[2] == "09:15:07 market_tm purchase 77 SENT offer 9001"
    assert lines[3] == "09:15:07 market_tm balance 20.50 USD"
    assert lines[4] == "09:15:07 market_tm notification: hello"
    assert "error: test: the stream ended" in err


def test_json_lines_keep_money_as_decimal_strings(
    capsys: pytest.CaptureFixture[str], fakes: Fakes
) -> None:
    event = ListingChanged(
        market="mannco",
        received_at=AT,
        action="added",
        listing_id="1",
        price=Money("0.10", "USD"),
        raw={"secret-ish": "never printed"},
    )
    fakes.markets = {"mannco": StreamingMarket("mannco", {"listings"}, _ending([event]))}
    _, out, _ = run(capsys, "watch", "--sandbox", "--json")
    (line,) = out.splitlines()
    data = strict_json(line)
    assert data["type"] == "ListingChanged"
    assert data["price"] == {"amount": "0.10", "currency": "USD"}
    assert "raw" not in data and "never printed" not in line


def test_kinds_and_market_filters_choose_what_is_watched(
    capsys: pytest.CaptureFixture[str], fakes: Fakes
) -> None:
    tm = StreamingMarket("market_tm", {"listings", "account"}, _ending([]))
    mannco = StreamingMarket("mannco", {"listings"}, _ending([]))
    fakes.markets = {"market_tm": tm, "mannco": mannco}
    _, _, err = run(capsys, "watch", "--sandbox", "--kinds", "account")
    assert tm.asked == [{"account"}]
    assert mannco.asked == []  # pushes no account events: skipped with a note
    assert "skipped mannco" in err
    tm.asked.clear()
    run(capsys, "watch", "--sandbox", "--market", "mannco")
    assert tm.asked == [] and mannco.asked == [{"listings"}]


def test_bad_kinds_and_unknown_markets_are_usage_errors(
    capsys: pytest.CaptureFixture[str], fakes: Fakes
) -> None:
    code, _, err = run(capsys, "watch", "--sandbox", "--kinds", "prices")
    assert code == 2 and "unknown kind" in err
    fakes.markets = {"market_tm": StreamingMarket("market_tm", {"listings"}, _ending([]))}
    code, _, err = run(capsys, "watch", "--sandbox", "--market", "nope")
    assert code == 2 and 'no market named "nope"' in err


def test_ctrl_c_ends_within_a_second_without_a_traceback(
    capsys: pytest.CaptureFixture[str], fakes: Fakes, monkeypatch: pytest.MonkeyPatch
) -> None:
    market = StreamingMarket("market_tm", {"listings"}, [])  # a stream that never ends
    fakes.markets = {"market_tm": market}
    real_get = queue.Queue.get
    calls = {"n": 0}

    def interrupted_get(self: queue.Queue[Any], *args: Any, **kwargs: Any) -> Any:
        if threading.current_thread() is threading.main_thread():
            calls["n"] += 1
            if calls["n"] == 3:
                raise KeyboardInterrupt  # as Ctrl-C lands in the main thread's wait
        return real_get(self, *args, **kwargs)

    monkeypatch.setattr(queue.Queue, "get", interrupted_get)
    started = time.monotonic()
    code = main(["watch", "--sandbox"])
    took = time.monotonic() - started
    out, err = capsys.readouterr()
    assert code == 130
    assert took < 2.0
    assert market.stream.closed.is_set()
    assert "Traceback" not in out + err and "stopped" in err

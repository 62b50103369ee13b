"""Realtime at its edges: reconnects after quick drops back off, and a wsn frame a reader
cannot read is an UnknownEvent. Each test failed before its fix."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from datetime import UTC, datetime

import pytest

from skinmarkets._realtime import LinkClosed, engine
from skinmarkets._realtime.engine import FeedStream
from skinmarkets.events import Event, UnknownEvent
from skinmarkets.vendors.market_tm import realtime_frames
from skinmarkets.vendors.market_tm.realtime import FeedContext, NameBook, WsnFeed
from tests.support import FakeClock

MARKET = "review"


# ---------------------------------------------------------------------- reconnect backoff


class _DroppedLink:
    """A connection the server drops at the first read, after ``lived`` seconds (fake clock)."""

    def __init__(self, clock: FakeClock, lived: float = 0.0) -> None:
        self._clock = clock
        self._lived = lived

    def recv(self, timeout: float) -> str | None:
        self._clock.now += self._lived
        raise LinkClosed("dropped by the server", 3001)  # Centrifugo: reconnect

    def send(self, text: str) -> None:
        pass

    def close(self) -> None:
        pass


class _OpensThenStops:
    """Opens the given links in turn (each open is one REST token fetch), then signals."""

    kind = "listings"
    name = "review feed"
    keepalive_every: float | None = None
    silence_limit = 60.0

    def __init__(self, *links: _DroppedLink) -> None:
        self._links = list(links)
        self.done = threading.Event()

    def open(self) -> _DroppedLink:
        if not self._links:
            self.done.set()
            raise ConnectionError("no more links")
        return self._links.pop(0)

    def translate(self, link: object, frame: str) -> Iterable[Event]:
        return []

    def keepalive(self, link: object) -> None:
        pass

    def terminal(self, code: int | None) -> bool:
        return False


def _attempts_of(
    feed: _OpensThenStops, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> list[int]:
    attempts: list[int] = []

    def recorded(attempt: int, jitter: object) -> float:
        attempts.append(attempt)
        return 0.0  # no real waiting: the test looks at the attempt numbers

    monkeypatch.setattr(engine, "backoff", recorded)
    stream = FeedStream(MARKET, [feed], jitter=lambda: 0.0, clock=clock)  # type: ignore[list-item]
    try:
        assert feed.done.wait(5), "the feed did not reconnect"
    finally:
        stream.close()
    return attempts


def test_connections_dropped_right_after_opening_back_off_exponentially(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A server that accepts every connect and drops it at once: each reconnect costs a REST
    # token fetch, so the delay must grow, not restart at the first step after every open.
    clock = FakeClock()
    feed = _OpensThenStops(*(_DroppedLink(clock) for _ in range(4)))
    assert _attempts_of(feed, clock, monkeypatch)[:4] == [0, 1, 2, 3]


def test_a_connection_that_held_starts_the_backoff_over(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = FakeClock()
    feed = _OpensThenStops(
        _DroppedLink(clock), _DroppedLink(clock), _DroppedLink(clock, lived=3600.0)
    )
    assert _attempts_of(feed, clock, monkeypatch)[:3] == [0, 1, 0]


# ---------------------------------------------------------------------- wsn frame readers


def _wsn_feed() -> WsnFeed:
    context = FeedContext(
        market=MARKET,
        client=None,  # type: ignore[arg-type]
        currency=lambda: "USD",
        app_id=730,
        names=NameBook(lambda: {"items": []}),
    )
    return WsnFeed(context)


@pytest.mark.parametrize("status", ["²", "9" * 5000], ids=["superscript", "5000-digits"])
def test_a_wsn_frame_a_reader_cannot_read_is_an_unknown_event_not_a_dropped_link(
    status: str,
) -> None:
    # str.isdigit() holds for "²", which int() refuses; a frame must never end the connection
    frame = json.dumps(
        {"type": "itemstatus_go", "data": json.dumps({"id": "77", "status": status})}
    )
    events = list(_wsn_feed().translate(None, frame))  # type: ignore[arg-type]
    assert len(events) == 1 and isinstance(events[0], UnknownEvent)
    assert events[0].name == "itemstatus_go"
    direct = realtime_frames.wsn_event(
        json.loads(frame), market=MARKET, currency="USD", received_at=datetime.now(tz=UTC)
    )
    assert isinstance(direct, UnknownEvent)

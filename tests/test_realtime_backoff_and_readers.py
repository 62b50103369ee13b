"""Realtime at its edges: reconnects after quick drops back off, a wsn frame a reader cannot
read is an UnknownEvent, closing counts the links' closing in its 2 s, and closing the market
closes its streams. Each test failed before its fix."""

from __future__ import annotations

import json
import threading
import types
from collections.abc import Iterable
from datetime import UTC, datetime

import pytest

import skinmarkets as sm
from skinmarkets._realtime import LinkClosed, engine, parse_json_frame
from skinmarkets._realtime.engine import FeedStream
from skinmarkets.events import Event, PurchaseUpdated, StreamStatus, UnknownEvent
from skinmarkets.models import TradeStatus
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


def _wsn_frame(status: str) -> str:
    return json.dumps({"type": "itemstatus_go", "data": json.dumps({"id": "77", "status": status})})


@pytest.mark.parametrize("status", ["²", "9" * 5000], ids=["superscript", "5000-digits"])
def test_a_wsn_status_that_is_no_whole_number_is_an_unknown_status(status: str) -> None:
    # str.isdigit() holds for "²", which int() refuses: it once ended the connection
    events = list(_wsn_feed().translate(None, _wsn_frame(status)))  # type: ignore[arg-type]
    assert len(events) == 1 and isinstance(events[0], PurchaseUpdated)
    assert (events[0].purchase_id, events[0].status) == ("77", TradeStatus.UNKNOWN)


def test_a_wsn_frame_a_reader_fails_on_is_an_unknown_event_not_a_dropped_link(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def failing(frame: object) -> Event:
        raise ValueError("a reader's bug")

    monkeypatch.setitem(realtime_frames.WSN_TYPES, "itemstatus_go", failing)  # type: ignore[arg-type]
    events = list(_wsn_feed().translate(None, _wsn_frame("2")))  # type: ignore[arg-type]
    assert len(events) == 1 and isinstance(events[0], UnknownEvent)
    assert events[0].name == "itemstatus_go"
    direct = realtime_frames.wsn_event(
        json.loads(_wsn_frame("2")), market=MARKET, currency="USD", received_at=datetime.now(tz=UTC)
    )
    assert isinstance(direct, UnknownEvent)


# ---------------------------------------------------------------------- closing


class _SlowToClose(_DroppedLink):
    """A link that stays open until closed, whose close takes ``seconds`` of the fake clock
    (a websocket whose server never answers the close frame)."""

    def __init__(self, clock: FakeClock, seconds: float) -> None:
        super().__init__(clock)
        self._seconds = seconds
        self.closed = threading.Event()

    def recv(self, timeout: float) -> str | None:
        if self.closed.wait(min(timeout, 0.05)):
            raise LinkClosed("closed")
        return None

    def close(self) -> None:
        self.clock_at_close = self._clock.now
        self._clock.now += self._seconds
        self.closed.set()


class _JoinRecorder:
    """Stands for a feed thread in ``close``: records the time it is given to stop."""

    def __init__(self) -> None:
        self.timeouts: list[float] = []

    def join(self, timeout: float | None = None) -> None:
        self.timeouts.append(timeout if timeout is not None else -1.0)


def test_close_counts_closing_the_links_in_its_two_seconds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = FakeClock()
    link = _SlowToClose(clock, seconds=1.5)
    feed = _OpensThenStops(link)
    stream = FeedStream(MARKET, [feed], jitter=lambda: 0.0)  # type: ignore[list-item]
    threads = list(stream._threads)
    recorder = _JoinRecorder()
    monkeypatch.setattr(engine, "time", types.SimpleNamespace(monotonic=clock))
    try:
        connected = stream.get(timeout=5)  # put once the link is open
        assert isinstance(connected, StreamStatus) and connected.state == "connected"
        stream._threads = [recorder]  # type: ignore[list-item]
        stream.close()
    finally:
        for thread in threads:  # the real feed thread ends once closed
            thread.join(5)
    # 1.5 s went on closing the link: 0.3 s are left of the 1.8 s, not another 1.8 s
    assert recorder.timeouts == [pytest.approx(0.3)]
    assert not any(thread.is_alive() for thread in threads)


def test_closing_the_market_closes_its_event_streams(monkeypatch: pytest.MonkeyPatch) -> None:
    # A stream left open would go on reconnecting (and fetching tokens through the market)
    # after the market was closed, e.g. on leaving its `with` block.
    market = sm.connect("mannco", api_key="test-mannco-key-0123456789", store="memory")
    links: list[_SlowToClose] = []

    def feed() -> _OpensThenStops:
        links.append(_SlowToClose(FakeClock(), seconds=0.0))
        return _OpensThenStops(links[-1])

    monkeypatch.setattr(market, "_feeds", lambda: {"listings": feed})
    stream = market.events()
    threads = list(stream._threads)
    try:
        connected = stream.get(timeout=5)  # put once the link is open
        assert isinstance(connected, StreamStatus) and connected.state == "connected"
        market.close()
        assert links[0].closed.is_set()
    finally:
        stream.close()  # a no-op once the market closed it
    assert not any(thread.is_alive() for thread in threads)
    assert list(stream) == []  # nothing left, and it ends


# ---------------------------------------------------------------------- no float from a frame


def _floats(value: object) -> list[float]:
    if isinstance(value, float):
        return [value]
    if isinstance(value, dict):
        return [f for v in value.values() for f in _floats(v)]
    if isinstance(value, list):
        return [f for v in value for f in _floats(v)]
    return []


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_in_a_frame_are_not_json_and_make_no_float(constant: str) -> None:
    assert parse_json_frame(f'{{"event": "x", "price": {constant}}}') is None
    data = json.dumps({"id": "77", "status": 2, "price": "@@"}).replace('"@@"', constant)
    event = realtime_frames.wsn_event(
        {"type": "itemstatus_go", "data": data},
        market=MARKET,
        currency="USD",
        received_at=datetime.now(tz=UTC),
    )
    assert _floats(event.raw) == []  # the data stays the text it came as

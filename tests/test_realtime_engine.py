"""The connection engine behind every ``events()``: reconnects, refusals, queue bound, close."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

import pytest

from skinmarkets import Money, errors
from skinmarkets._realtime import AuthRefused, FeedStream, LinkClosed, check_kinds, check_ws_url
from skinmarkets.events import Event, ListingChanged, Notification, StreamStatus

MARKET = "fake"


class FakeLink:
    """A connection whose frames the test pushes; ``None`` in the queue closes it."""

    def __init__(self) -> None:
        self.frames: queue.Queue[str | None] = queue.Queue()
        self.sent: list[str] = []
        self.closed = threading.Event()

    def recv(self, timeout: float) -> str | None:
        if self.closed.is_set():
            raise LinkClosed("closed")
        try:
            frame = self.frames.get(timeout=timeout)
        except queue.Empty:
            return None
        if frame is None:
            raise LinkClosed("dropped by the server", 3001)
        return frame

    def send(self, text: str) -> None:
        self.sent.append(text)

    def close(self) -> None:
        self.closed.set()


class FakeFeed:
    """Opens scripted links: each item of ``opens`` is a link or an exception to raise."""

    kind = "listings"
    name = "fake feed"
    keepalive_every: float | None = None
    silence_limit = 60.0

    def __init__(self, *opens: FakeLink | Exception) -> None:
        self.opens = list(opens)
        self.opened = 0

    def open(self) -> FakeLink:
        self.opened += 1
        item = self.opens.pop(0) if self.opens else AuthRefused("no more links")
        if isinstance(item, Exception):
            raise item
        return item

    def translate(self, link: FakeLink, frame: str) -> Iterable[Event]:
        now = datetime.now(tz=UTC)
        if frame == "ping":
            link.send("pong")
            return []
        if frame.startswith("price "):
            return [
                ListingChanged(
                    market=MARKET,
                    received_at=now,
                    action="changed",
                    listing_id="1",
                    price=Money(frame.split()[1], "USD"),
                )
            ]
        return [Notification(market=MARKET, received_at=now, text=frame)]

    def keepalive(self, link: FakeLink) -> None:
        link.send("keepalive")

    def terminal(self, code: int | None) -> bool:
        return code is not None and 3500 <= code < 4000


def _wait_until(done: Callable[[], bool], timeout: float = 5.0) -> bool:
    """True once ``done()`` holds (checked every 10 ms), False after ``timeout`` seconds."""
    until = time.monotonic() + timeout
    while not done():
        if time.monotonic() > until:
            return False
        time.sleep(0.01)
    return True


def _stream(*feeds: FakeFeed, **options: object) -> FeedStream:
    return FeedStream(MARKET, feeds, jitter=lambda: 0.0, **options)  # type: ignore[arg-type]


def _next_not_status(stream: FeedStream) -> Event:
    while True:
        event = stream.get(timeout=5)
        assert event is not None, "no event within 5 s"
        if not isinstance(event, StreamStatus):
            return event


def test_events_arrive_in_order_with_exact_money_and_a_connected_status_first() -> None:
    link = FakeLink()
    with _stream(FakeFeed(link)) as stream:
        link.frames.put("price 0.623")
        first = stream.get(timeout=5)
        assert isinstance(first, StreamStatus) and first.state == "connected"
        event = stream.get(timeout=5)
        assert isinstance(event, ListingChanged) and event.price == Money("0.623", "USD")


def test_a_dropped_connection_reconnects_with_a_fresh_open_and_says_so() -> None:
    first, second = FakeLink(), FakeLink()
    feed = FakeFeed(first, second)
    with _stream(feed) as stream:
        first.frames.put(None)  # the server drops it
        second.frames.put("hello again")
        states = []
        while True:
            event = stream.get(timeout=5)
            assert event is not None
            if isinstance(event, StreamStatus):
                states.append((event.state, event.will_retry))
            else:
                break
        assert isinstance(event, Notification) and event.text == "hello again"
    assert states == [("connected", False), ("disconnected", True), ("connected", False)]
    assert feed.opened == 2


def test_authentication_refused_twice_in_a_row_raises_from_the_iterator() -> None:
    feed = FakeFeed(AuthRefused("bad token"), AuthRefused("bad token"), FakeLink())
    with _stream(feed) as stream, pytest.raises(errors.AuthenticationError):
        for _ in stream:
            pass
    assert feed.opened == 2  # bounded: never a third try


def test_one_refusal_then_success_connects() -> None:
    link = FakeLink()
    with _stream(FakeFeed(AuthRefused("stale token"), link)) as stream:
        link.frames.put("ok")
        assert isinstance(_next_not_status(stream), Notification)


def test_a_terminal_close_code_ends_the_feed_without_reconnecting() -> None:
    terminal = FakeLink()
    feed = FakeFeed(terminal, FakeLink())

    def drop_terminally(timeout: float) -> str | None:
        raise LinkClosed("bye", 3500)  # Centrifugo: 3500-3999 means do not reconnect

    terminal.recv = drop_terminally  # type: ignore[method-assign]
    with _stream(feed) as stream:
        statuses = list(iter(lambda: stream.get(timeout=2), None))
    assert [(s.state, s.will_retry) for s in statuses if isinstance(s, StreamStatus)] == [
        ("connected", False),
        ("disconnected", False),
    ]
    assert feed.opened == 1


def test_a_failed_open_is_retried_after_a_backoff() -> None:
    link = FakeLink()
    feed = FakeFeed(ConnectionRefusedError("down"), link)
    with _stream(feed) as stream:
        link.frames.put("up")
        first = stream.get(timeout=5)
        assert isinstance(first, StreamStatus) and first.will_retry
        assert "could not connect" in (first.reason or "")
        assert isinstance(_next_not_status(stream), Notification)


def test_the_queue_drops_the_oldest_price_change_but_never_an_account_event() -> None:
    link = FakeLink()
    with _stream(FakeFeed(link), max_queue=3) as stream:
        for frame in ("price 1", "note", "price 2", "price 3", "price 4"):
            link.frames.put(frame)
        # the feed thread reads everything before the consumer starts
        assert _wait_until(lambda: link.frames.empty() and len(stream._queue) >= 3)
        got = [stream.get(timeout=0.5) for _ in range(5)]
    kept = [e for e in got if e is not None and not isinstance(e, StreamStatus)]
    assert any(isinstance(e, Notification) for e in kept)
    prices = [e.price.amount for e in kept if isinstance(e, ListingChanged) and e.price]
    assert prices and prices[-1] == 4 and len(kept) <= 3 + 1


def test_keepalives_are_sent_on_time() -> None:
    link = FakeLink()
    feed = FakeFeed(link)
    feed.keepalive_every = 0.1
    with _stream(feed) as stream:
        stream.get(timeout=1)
        assert _wait_until(lambda: link.sent.count("keepalive") >= 2)


def test_a_silent_connection_is_taken_as_dead_and_reopened() -> None:
    feed = FakeFeed(FakeLink(), FakeLink())
    feed.silence_limit = 0.3
    with _stream(feed) as stream:
        reasons = []
        while len(reasons) < 3:
            event = stream.get(timeout=5)
            assert isinstance(event, StreamStatus)
            reasons.append(event.reason or "")
    assert "silent" in reasons[1] and feed.opened == 2


def test_close_returns_within_two_seconds_and_leaves_no_thread() -> None:
    link = FakeLink()
    stream = _stream(FakeFeed(link))
    assert stream.get(timeout=5) is not None
    started = time.monotonic()
    stream.close()
    assert time.monotonic() - started < 2
    assert not [t for t in threading.enumerate() if t.name.startswith("skinmarkets-fake")]
    assert link.closed.is_set()
    assert list(stream) == []  # iteration ends once closed


def test_kinds_are_checked_before_connecting() -> None:
    with pytest.raises(errors.NotSupported):
        check_kinds("mannco", {"account"}, {"listings"})
    with pytest.raises(errors.InvalidRequest):
        check_kinds("mannco", {"prices"}, {"listings"})
    assert check_kinds("mannco", None, {"listings"}) == {"listings"}


@pytest.mark.parametrize("bad", ["ftp://x", "wss://", "not a url", 5, "wss://h/p?key=1"])
def test_a_bad_ws_url_is_a_configuration_error(bad: object) -> None:
    with pytest.raises(errors.ConfigurationError):
        check_ws_url("market_tm", bad)

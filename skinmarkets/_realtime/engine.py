"""FeedStream: the one connection engine behind every market's ``events()``.

One daemon thread per feed keeps its connection: open (a fresh token through the REST client
each time, so reconnects respect the rate limit), read frames, send keepalives, and when the
connection drops, go silent past the feed's limit, or fails to open, report a ``StreamStatus``
and reconnect after an exponential backoff with jitter (both injectable). Two refused
authentications in a row end the feed: the iterator then raises ``AuthenticationError`` (never
an endless loop). A close code the feed calls terminal ends it as well.

The queue holds at most ``max_queue`` events: when full, the oldest ``ListingChanged`` is dropped
(a price feed carries every change on the market; the newest price is what counts). Account
events are never dropped: they may take the queue past its bound. ``close()`` stops every
thread and returns within 2 s.
"""

from __future__ import annotations

import collections
import logging
import random
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from types import TracebackType

from skinmarkets import errors
from skinmarkets._realtime.feed import AuthRefused, Feed, Link, LinkClosed
from skinmarkets._seconds import Seconds
from skinmarkets.events import Event, ListingChanged, StreamStatus

__all__ = ["DEFAULT_MAX_QUEUE", "FeedStream"]

log = logging.getLogger("skinmarkets")

DEFAULT_MAX_QUEUE = 10_000
#: Backoff between reconnects: doubling from the first, at most the last (seconds).
BACKOFF_FIRST: Seconds = 0.5
BACKOFF_MAX: Seconds = 30.0
#: How long one ``recv`` waits, so a thread notices ``close`` and keepalives promptly.
TICK: Seconds = 0.2
#: Refused authentications in a row that end a feed.
MAX_REFUSALS = 2
#: A connection that lived this long starts the backoff over when it drops; one dropped sooner
#: keeps it growing (each reconnect fetches a token through the REST client).
STABLE_AFTER: Seconds = 10.0


def backoff(attempt: int, jitter: Callable[[], Seconds]) -> Seconds:
    """Seconds before reconnect ``attempt`` (0-based): doubling, capped, over its upper half."""
    delay = min(BACKOFF_FIRST * 2.0 ** min(attempt, 16), BACKOFF_MAX)
    return delay * 0.5 * (1 + jitter())


class FeedStream:
    """The ``EventStream`` of a market: the events of one or more feeds in one queue."""

    def __init__(
        self,
        market: str,
        feeds: Sequence[Feed],
        *,
        max_queue: int = DEFAULT_MAX_QUEUE,
        jitter: Callable[[], float] = random.random,
        clock: Callable[[], Seconds] = time.monotonic,
    ) -> None:
        self.market = market
        self._feeds = tuple(feeds)
        self._max_queue = max_queue
        self._jitter = jitter
        self._clock = clock
        self._queue: collections.deque[Event] = collections.deque()
        self._cond = threading.Condition()
        self._closed = threading.Event()
        self._failure: errors.SkinMarketsError | None = None
        self._links: dict[int, Link] = {}
        self._threads = [
            threading.Thread(
                target=self._run, args=(i, feed), name=f"skinmarkets-{feed.name}", daemon=True
            )
            for i, feed in enumerate(self._feeds)
        ]
        for thread in self._threads:
            thread.start()

    def __repr__(self) -> str:
        return f"FeedStream({self.market!r}, feeds={[f.name for f in self._feeds]})"

    # ------------------------------------------------------------------ the consumer side

    def __iter__(self) -> Iterator[Event]:
        return self

    def __next__(self) -> Event:
        while True:
            event = self.get(timeout=None)
            if event is not None:
                return event
            raise StopIteration

    def get(self, timeout: Seconds | None = None) -> Event | None:
        """The next event; None after ``timeout`` seconds (or once closed and drained).

        Raises ``AuthenticationError`` once a feed was refused twice in a row and its events
        are drained.
        """
        deadline = None if timeout is None else self._clock() + timeout
        with self._cond:
            while True:
                if self._queue:
                    return self._queue.popleft()
                if self._failure is not None:
                    failure, self._failure = self._failure, None
                    raise failure
                if self._closed.is_set() or not any(t.is_alive() for t in self._threads):
                    return None
                left = None if deadline is None else deadline - self._clock()
                if left is not None and left <= 0:
                    return None
                self._cond.wait(timeout=TICK if left is None else min(left, TICK))

    def close(self) -> None:
        """Close every connection and stop every thread (within 2 s, closing included)."""
        stop_by = time.monotonic() + 1.8
        self._closed.set()
        for link in list(self._links.values()):
            try:
                link.close()
            except Exception as exc:  # closing a dead socket: nothing more to do
                log.debug("%s: closing a link failed (%s)", self.market, type(exc).__name__)
        with self._cond:
            self._cond.notify_all()
        for thread in self._threads:
            if thread is not threading.current_thread():
                thread.join(max(0.0, stop_by - time.monotonic()))

    def __enter__(self) -> FeedStream:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # ------------------------------------------------------------------ the feed threads

    def _put(self, event: Event) -> None:
        with self._cond:
            if len(self._queue) >= self._max_queue and isinstance(event, ListingChanged):
                for index, queued in enumerate(self._queue):
                    if isinstance(queued, ListingChanged):
                        del self._queue[index]  # the oldest price change gives way
                        break
                else:
                    return  # only account events queued: this price change is the one dropped
            self._queue.append(event)
            self._cond.notify_all()

    def _status(self, feed: Feed, state: str, *, will_retry: bool, reason: str | None) -> None:
        self._put(
            StreamStatus(
                market=self.market,
                received_at=datetime.now(tz=UTC),
                state=state,  # type: ignore[arg-type]
                will_retry=will_retry,
                reason=f"{feed.name}: {reason}" if reason else feed.name,
            )
        )

    def _run(self, index: int, feed: Feed) -> None:
        attempt, refusals = 0, 0
        while not self._closed.is_set():
            reason: str | None
            try:
                link = feed.open()
            except AuthRefused as refused:
                refusals += 1
                if refusals >= MAX_REFUSALS:
                    self._give_up(feed, f"authentication refused twice in a row ({refused})")
                    return
                self._status(feed, "disconnected", will_retry=True, reason="authentication refused")
                continue  # a fresh token at once: the first refusal may be a stale token
            except errors.SkinMarketsError as exc:
                if isinstance(exc, errors.AuthenticationError | errors.PermissionDenied):
                    self._give_up(feed, str(exc), exc)
                    return
                reason = f"could not connect ({type(exc).__name__})"
            except Exception as exc:  # any socket or handshake failure: retried with backoff
                reason = f"could not connect ({type(exc).__name__})"
            else:
                refusals = 0
                opened_at = self._clock()
                reason = self._serve(index, feed, link)
                if reason is None:  # closed by us, or a terminal close code
                    return
                if self._clock() - opened_at >= STABLE_AFTER:
                    attempt = 0  # it held: the next drop starts the backoff over
            if self._closed.is_set():
                return
            self._status(feed, "disconnected", will_retry=True, reason=reason)
            if self._closed.wait(backoff(attempt, self._jitter)):
                return
            attempt += 1

    def _serve(self, index: int, feed: Feed, link: Link) -> str | None:
        """Read one connection until it ends: why (to reconnect), or None to stop."""
        self._links[index] = link
        self._status(feed, "connected", will_retry=False, reason=None)
        last_frame = last_keepalive = self._clock()
        try:
            while not self._closed.is_set():
                frame = link.recv(TICK)
                now = self._clock()
                if frame is not None:
                    last_frame = now
                    for event in feed.translate(link, frame):
                        self._put(event)
                elif now - last_frame > feed.silence_limit:
                    return f"silent for more than {feed.silence_limit:g} s"
                if (
                    feed.keepalive_every is not None
                    and now - last_keepalive >= feed.keepalive_every
                ):
                    feed.keepalive(link)
                    last_keepalive = now
            return None
        except LinkClosed as closed:
            if self._closed.is_set():
                return None
            if feed.terminal(closed.code):
                self._status(
                    feed,
                    "disconnected",
                    will_retry=False,
                    reason=f"closed by the server ({closed})",
                )
                return None
            return f"connection lost ({closed})"
        except AuthRefused as refused:
            self._give_up(feed, f"authentication refused ({refused})")
            return None
        except Exception as exc:  # a socket error mid-stream: reconnect
            return f"connection lost ({type(exc).__name__})"
        finally:
            self._links.pop(index, None)
            try:
                link.close()
            except Exception as exc:
                log.debug("%s: closing a link failed (%s)", self.market, type(exc).__name__)

    def _give_up(
        self, feed: Feed, reason: str, cause: errors.SkinMarketsError | None = None
    ) -> None:
        self._status(feed, "disconnected", will_retry=False, reason=reason)
        error = (
            cause
            if isinstance(cause, errors.AuthenticationError)
            else errors.AuthenticationError(
                f"{self.market}: events ({feed.name}): {reason}; check the credentials",
                operation="events",
            )
        )
        with self._cond:
            self._failure = error
            self._cond.notify_all()

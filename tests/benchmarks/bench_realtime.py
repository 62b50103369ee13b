"""Realtime throughput: Market TM's price feed under ~20,000 Centrifugo publications per second.

A stand-in of ``wsprice.csgo.com`` (``websockets.sync.server`` in a child process, so it does
not share the GIL with the client) does the Centrifugo handshake, then pushes publications
``{"push": {"channel", "pub": {"data": {"event", "name_id", "id", "price"}}}}`` at a paced
20,000 per second for a few seconds. ``MarketTM.events({"listings"})`` reads them through the
real stack (websocket-client, the engine's thread and queue, frame translation with exact
``Money``, names from dictionary/names.json, secrets scrubbed from ``raw``); REST (get-money,
names, get-ws-token) is a stdlib server on 127.0.0.1.

Scenarios, each on a fresh connection:

1. batched: 100 publications per text frame (Centrifugo sends several replies per frame,
   separated by newlines), a consumer calling ``stream.get()`` as fast as it can;
2. one per frame: 20,000 text frames per second, the same consumer;
3. stalled consumer: batched, but nobody reads until the publisher is done. The queue must
   stay within ``max_queue`` (the oldest price changes give way) while holding the newest.

Printed per scenario: publications sent, events delivered, delivered per second (first to last
delivery), dropped, the largest queue length seen (sampled every 2 ms) against ``max_queue``.
Then the peak memory traced (tracemalloc, on a separate batched run: tracing slows Python) and
the memory a full queue holds, and the translation alone (no socket) in events per second.

Informational, like every script here: no threshold on throughput; the verdict line judges
only the queue bound. Run from the repo root: ``python -m tests.benchmarks.bench_realtime``
(about 40 s). Always exits 0.
"""

from __future__ import annotations

import json
import multiprocessing
import sys
import threading
import time
import tracemalloc
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import attrs

import skinmarkets as sm
from skinmarkets.events import ListingChanged, StreamStatus
from skinmarkets.vendors.market_tm import MarketTM
from skinmarkets.vendors.market_tm.realtime import FeedContext, NameBook, PriceFeed
from tests.benchmarks._common import mib

RATE = 20_000  # publications per second
SECONDS = 4
MAX_QUEUE = 10_000
NAME_IDS = 5_000
NAMES = {"items": [{"id": i, "hash_name": f"Item {i} (Field-Tested)"} for i in range(NAME_IDS)]}
EVENTS = ("new", "change", "delete")


def publication(i: int) -> str:
    """One publication as the stand-in sends it (price a decimal string, as the feed does)."""
    data = {
        "event": EVENTS[i % 3],
        "name_id": i % NAME_IDS,
        "id": 5_000_000_000 + i,
        "price": f"{1 + i % 997}.{i % 1000:03d}",
    }
    return json.dumps({"push": {"channel": "public:items:730:usd", "pub": {"data": data}}})


# ---------------------------------------------------------------------- the stand-ins


def _publisher(ports: Any, stats: Any, batch: int) -> None:
    """Child process: one Centrifugo connection, then RATE publications/s for SECONDS."""
    from websockets.sync.server import ServerConnection, serve

    lines = [publication(i) for i in range(RATE)]

    def handle(connection: ServerConnection) -> None:
        connect = json.loads(connection.recv())
        reply = {"client": "bench", "version": "5", "ping": 25, "pong": True}
        connection.send(json.dumps({"id": connect["id"], "connect": reply}))
        subscribe = json.loads(connection.recv())
        connection.send(json.dumps({"id": subscribe["id"], "subscribe": {}}))
        interval = batch / RATE
        started = time.perf_counter()
        next_at, sent = started, 0
        while next_at < started + SECONDS:
            now = time.perf_counter()
            if now < next_at:
                time.sleep(next_at - now)
            if batch == 1:
                connection.send(lines[sent % RATE])
            else:
                first = sent % RATE
                connection.send("\n".join(lines[first : first + batch]))
            sent += batch
            next_at += interval
        stats.put((sent, time.perf_counter() - started))
        for _ in connection:  # keep it open until the client goes
            pass

    with serve(handle, "127.0.0.1", 0, compression=None) as server:
        ports.put(server.socket.getsockname()[1])
        server.serve_forever()


class _Rest(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    issued = 0

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        if path.endswith("/get-ws-token"):
            type(self).issued += 1
            data: Any = {"success": True, "token": f"bench-token-{type(self).issued:06d}"}
        elif path.endswith("/dictionary/names.json"):
            data = NAMES
        else:
            data = {"success": True, "money": 100, "currency": "USD"}
        body = json.dumps(data).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass


# ---------------------------------------------------------------------- one scenario


@attrs.define
class Result:
    sent: int = 0
    delivered: int = 0
    first: float = 0.0  # float ok: seconds
    last: float = 0.0  # float ok: seconds
    publish_seconds: float = 0.0  # float ok: seconds
    max_queue_seen: int = 0
    newest_kept: bool = False

    @property
    def per_second(self) -> float:  # float ok: a rate
        span = self.last - self.first
        return self.delivered / span if span > 0 else 0.0  # float ok: a rate


def run(rest: str, *, batch: int, stalled: bool, trace: bool = False) -> tuple[Result, int]:
    """One connection through ``events()``; (figures, peak traced bytes or 0)."""
    context = multiprocessing.get_context("spawn")
    ports, stats = context.Queue(), context.Queue()
    child = context.Process(target=_publisher, args=(ports, stats, batch), daemon=True)
    child.start()
    try:
        origin = f"ws://127.0.0.1:{ports.get(timeout=30)}"
        market = sm.connect(
            "market_tm", api_key="bench-key-0001", base_url=rest, ws_url=origin, store="memory"
        )
        assert isinstance(market, MarketTM)
        if trace:
            tracemalloc.start()
        result = Result()
        stream = market._events({"listings"}, max_queue=MAX_QUEUE)
        sampling = threading.Event()
        _sample_queue(stream, result, sampling)
        done = _consume(stream, stats, result, stalled=stalled)
        sampling.set()
        peak = tracemalloc.get_traced_memory()[1] if trace else 0
        stream.close()
        market.close()
        if trace:
            tracemalloc.stop()
        result.sent, result.publish_seconds = done
        return result, peak
    finally:
        child.terminate()
        child.join(5)


def _sample_queue(stream: Any, result: Result, stop: threading.Event) -> None:
    def sample() -> None:
        while not stop.wait(0.002):  # float ok: seconds
            result.max_queue_seen = max(result.max_queue_seen, len(stream._queue))

    threading.Thread(target=sample, name="bench-sampler", daemon=True).start()


def _consume(stream: Any, stats: Any, result: Result, *, stalled: bool) -> tuple[int, float]:
    """Read events until the publisher is done and the queue ran dry; (sent, its seconds)."""
    done: tuple[int, float] | None = None
    last_price = None
    if stalled:
        done = stats.get(timeout=SECONDS + 30)
        time.sleep(0.5)  # float ok: seconds; the feed thread reads what is still in the socket
    while True:
        event = stream.get(timeout=1.0)  # float ok: seconds
        if event is None:
            if done is None and not stats.empty():
                done = stats.get()
            if done is not None:
                break
            continue
        if isinstance(event, ListingChanged):
            now = time.perf_counter()
            if result.delivered == 0:
                result.first = now
            result.last = now
            result.delivered += 1
            last_price = event
        elif not isinstance(event, StreamStatus):
            raise AssertionError(f"unexpected event {event!r}")
    if last_price is not None:  # the newest publication sent is the last one delivered
        newest = int(done[0] - 1) if done else -1
        result.newest_kept = last_price.listing_id == str(5_000_000_000 + newest % RATE)
    assert done is not None
    return done


# ---------------------------------------------------------------------- translation alone


class _Link:
    """A link that swallows what the feed sends (``{}`` answers)."""

    def send(self, text: str) -> None: ...


def _bare_feed() -> PriceFeed:
    """A price feed as ``open`` leaves it (USD channel, names loaded), without a socket."""
    feed = PriceFeed(
        FeedContext(
            market="market_tm:cs2",
            client=None,  # type: ignore[arg-type]
            currency=lambda: "USD",
            app_id=730,
            names=NameBook(lambda: NAMES),
        )
    )
    feed._currency = "USD"
    feed._context.names.load()
    return feed


def translation_rate(batch: int = 100, frames: int = 400) -> float:  # float ok: a rate
    """Events per second of ``PriceFeed.translate`` alone (no socket, no queue)."""
    feed = _bare_feed()
    text = "\n".join(publication(i) for i in range(batch))
    started = time.perf_counter()
    count = 0
    for _ in range(frames):
        count += sum(1 for _ in feed.translate(_Link(), text))  # type: ignore[arg-type]
    return count / (time.perf_counter() - started)


# ---------------------------------------------------------------------- main


def main() -> int:
    rest = ThreadingHTTPServer(("127.0.0.1", 0), _Rest)
    rest.daemon_threads = True
    threading.Thread(target=rest.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{rest.server_address[1]}"
    print(
        f"stand-in: {RATE:,} publications/s for {SECONDS} s (child process); "
        f"max_queue={MAX_QUEUE:,}; REST at {base}"
    )
    figures: list[tuple[str, Result]] = []
    try:
        for title, batch, stalled in (
            ("batched, 100 per frame", 100, False),
            ("one publication per frame", 1, False),
            ("stalled consumer, batched", 100, True),
        ):
            result, _ = run(base, batch=batch, stalled=stalled)
            figures.append((title, result))
            offered = result.sent / result.publish_seconds if result.publish_seconds else 0
            print(
                f"{title:28s} sent {result.sent:>7,} ({offered:>7,.0f}/s offered)  "
                f"delivered {result.delivered:>7,} ({result.per_second:>7,.0f}/s)  "
                f"dropped {result.sent - result.delivered:>7,}  "
                f"queue max {result.max_queue_seen:>6,} / {MAX_QUEUE:,}  "
                f"newest kept: {'yes' if result.newest_kept else 'no'}"
            )
        _, peak = run(base, batch=100, stalled=False, trace=True)
        print(f"peak traced memory, batched run under tracemalloc: {mib(peak)}")
        print(f"a full queue ({MAX_QUEUE:,} ListingChanged) holds: {mib(_full_queue_bytes())}")
        print(
            f"translation alone (PriceFeed.translate, no socket): {translation_rate():,.0f} "
            f"events/s at 100 per frame, {translation_rate(batch=1, frames=20_000):,.0f} at 1"
        )
    finally:
        rest.shutdown()
        rest.server_close()
    bound_held = all(r.max_queue_seen <= MAX_QUEUE + 1 for _, r in figures)
    print(
        "queue bound: "
        + ("PASS" if bound_held else "FAIL")
        + f" (largest queue seen {max(r.max_queue_seen for _, r in figures):,}, "
        f"max_queue {MAX_QUEUE:,}; +1 for a StreamStatus)"
    )
    return 0


def _full_queue_bytes() -> int:
    """Bytes traced for MAX_QUEUE translated events kept alive (what a full queue holds)."""
    feed = _bare_feed()
    frames = [
        "\n".join(publication(i) for i in range(s, s + 100)) for s in range(0, MAX_QUEUE, 100)
    ]
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        kept = [e for f in frames for e in feed.translate(_Link(), f)]  # type: ignore[arg-type]
        held = tracemalloc.get_traced_memory()[0] - before
        assert len(kept) == MAX_QUEUE
    finally:
        tracemalloc.stop()
    return held


if __name__ == "__main__":
    sys.exit(main())

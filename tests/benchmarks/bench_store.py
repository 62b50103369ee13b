"""What the shared store costs per request, and how much of the rate limit 4 processes use.

1. Per-request overhead (targets: SQLite store <= 1.3x, Redis store <= 1.5x a bare
   ``requests.Session.get``). A stdlib ``http.server`` on 127.0.0.1 (the one of
   ``bench_overhead.py``) answers a small get-money JSON. Rotating which side goes first, each
   round times N=200 bare ``Session.get(url).json()`` calls and N=200 ``market.balance()`` calls
   through the Market TM adapter for each store: ``memory`` (the in-process limiter, for
   reference), an SQLite file, a real ``redis-server`` on 127.0.0.1 started by the script. Each
   side's limiter is its store's limiter taken with a limit that never makes it wait
   (``RateLimit(100_000, 0.001)``: every request still takes and releases a slot in the store,
   with as few live stamps as under Market TM's 5/s): with 5/s, 200 calls would take 40 s and
   measure the limit, not the store. Median of the per-round ratios.

2. Rate-limit utilisation with 4 processes (target >= 0.8): 4 separate processes x 2 threads
   call ``balance()`` on ONE key (the real 5 per second limit) against a recording stand-in,
   once sharing an SQLite file and once Redis. Utilisation = the least time the N arrivals need
   at 5/s (the first 5 at once) over the time they took; the busiest 1 s window is printed (it
   must never exceed 5).

Also printed: what one slot (take + release, no request) costs in each store alone.

Run from the repo root: ``python -m tests.benchmarks.bench_store`` (~1 min). Always exits 0.
"""

from __future__ import annotations

import hashlib
import sys
import tempfile
import threading
from collections.abc import Callable
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import requests

import skinmarkets as sm
from skinmarkets._ratelimit import RateLimit
from skinmarkets._store import open_store
from tests.benchmarks._common import median, timed, verdict
from tests.benchmarks.bench_overhead import _Handler
from tests.integration.loopback import LoopbackServer, Reply
from tests.integration.redis_server import RedisServer
from tests.integration.store_support import Worker, busiest_window, child_env, spawn, utilisation

N = 200
ROUNDS = 15
SLOTS = 2000  # slots taken and released per store, alone (no HTTP)
TARGETS = {"sqlite": 1.3, "redis": 1.5}  # float ok: ratios
NO_WAIT = RateLimit(100_000, 0.001)  # a slot taken and released per request, never a wait
UTILISATION_TARGET = 0.8  # float ok: a ratio
PROCESSES, THREADS, CALLS = 4, 2, 8  # 64 arrivals per store, >= 11.8 s at 5/s
MONEY_PATH = "/api/v2/get-money"


def _market(base: str, store: str, side: str) -> sm.Marketplace:
    market = sm.connect(
        "market_tm", api_key=f"bench-store-{side}", game="cs2", base_url=base, store=store
    )
    digest = hashlib.sha256(f"bench-store-no-wait-{side}".encode()).hexdigest()
    market.client.transport.limiter = open_store(store, vendor="market_tm").limiter(  # type: ignore[attr-defined]
        "market_tm", digest, NO_WAIT
    )
    return market


def overhead(stores: dict[str, str]) -> dict[str, float]:  # float ok: ratios
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    url = f"{base}{MONEY_PATH}"
    session = requests.Session()
    markets = {side: _market(base, store, side) for side, store in stores.items()}
    print(f"loopback server at {base}; {N} calls per side per round; stores: {stores}")

    def bare() -> None:
        for _ in range(N):
            session.get(url).json()

    def through(market: sm.Marketplace) -> Callable[[], None]:
        def run() -> None:
            for _ in range(N):
                market.balance()

        return run

    sides: dict[str, Callable[[], None]] = {"bare": bare}
    sides.update({side: through(market) for side, market in markets.items()})
    ratios: dict[str, list[float]] = {side: [] for side in markets}  # float ok: ratios
    try:
        for run in sides.values():  # warm-up: connections open, tables made, scripts loaded
            run()
        order = list(sides)
        for r in range(ROUNDS):
            rotated = order[r % len(order) :] + order[: r % len(order)]
            took = {side: timed(sides[side])[0] for side in rotated}
            for side in markets:
                ratios[side].append(took[side] / took["bare"])
            print(
                f"round {r + 1}: "
                + "  ".join(f"{side} {took[side] / N * 1e3:.3f} ms/call" for side in order)
                + "  ratios "
                + " ".join(f"{side} {ratios[side][-1]:.2f}x" for side in markets)
            )
    finally:
        for market in markets.values():
            market.close()
        session.close()
        server.shutdown()
        server.server_close()
    return {side: median(values) for side, values in ratios.items()}


def slot_cost(stores: dict[str, str]) -> dict[str, float]:  # float ok: seconds
    """Seconds one slot costs (acquire + release, no request), per store: the store's share."""
    costs: dict[str, float] = {}  # float ok: seconds
    for side, store in stores.items():
        digest = hashlib.sha256(f"bench-store-slot-{side}".encode()).hexdigest()
        limiter = open_store(store, vendor="market_tm").limiter("market_tm", digest, NO_WAIT)

        def slots(limiter: Any = limiter) -> None:
            for _ in range(SLOTS):
                with limiter.slot():
                    pass

        slots()  # warm-up
        costs[side] = median([timed(slots)[0] / SLOTS for _ in range(3)])
    return costs


def four_processes(store: str, home: Path, key: str) -> tuple[float, int, int, float]:  # float ok
    """(utilisation, arrivals, busiest 1 s window, seconds) of 4 processes on one key."""
    server = LoopbackServer(
        lambda request: Reply.json({"success": True, "money": 1.5, "currency": "USD"})
    ).start()
    started: list[Worker] = []
    try:
        env = child_env(home)
        for i in range(PROCESSES):
            spawn(
                started,
                env,
                "market_tm",
                name=f"p{i}",
                api_key=key,
                base_url=server.url,
                store=store,
            )
        for worker in started:
            worker.ready(timeout=30)
        for worker in started:
            worker.send({"op": "balance", "threads": THREADS, "calls": CALLS})
        for worker in started:
            answer = worker.read(timeout=120)
            if answer.get("failures"):
                print(f"  {worker.name} failed: {answer['failures']}")
        for worker in started:
            worker.finish()
    finally:
        for worker in started:
            worker.stop()
        server.stop()
    arrivals = server.arrivals(path=MONEY_PATH)
    return (
        utilisation(arrivals, 5),
        len(arrivals),
        busiest_window(arrivals),
        max(arrivals) - min(arrivals),
    )


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="bench-store-") as tmp, RedisServer() as redis:
        folder = Path(tmp)
        stores = {
            "memory": "memory",
            "sqlite": str(folder / "bench.sqlite3"),
            "redis": redis.url,
        }
        ratios = overhead(stores)
        print(f"memory store (in-process limiter), for reference: {ratios['memory']:.2f}x")
        costs = slot_cost(stores)
        print(
            "one rate-limit slot alone (take + release, no request): "
            + ", ".join(f"{side} {cost * 1e3:.3f} ms" for side, cost in costs.items())
        )
        lines = [
            verdict(f"balance() with the {side} store vs bare Session.get", ratios[side], target)
            for side, target in TARGETS.items()
        ]
        print(f"{PROCESSES} processes x {THREADS} threads x {CALLS} calls on one key, 5/s:")
        for side in ("sqlite", "redis"):
            redis.flush()
            used, count, busiest, took = four_processes(
                stores[side] if side == "redis" else str(folder / "shared.sqlite3"),
                folder / f"home-{side}",
                f"bench-util-{side}",
            )
            outcome = "PASS" if used >= UTILISATION_TARGET and busiest <= 5 else "FAIL"
            lines.append(
                f"4-process utilisation, {side} store: {used:.2f} ({count} arrivals in "
                f"{took:.2f} s, busiest 1 s window {busiest}; target >= {UTILISATION_TARGET}, "
                f"never > 5) -> {outcome}"
            )
            print(f"  {lines[-1]}")
    for line in lines:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Every vendor's ``prices()`` at 100,000 entries vs a bare GET + ``.json()`` of the same bytes.

For Market TM (prices/class_instance/USD.json, the current doc's ten-field entries, the export of
``bench_prices.py``), swap.gg (pricing/lowest AND buyorders/summary, EUR cents as ints) and
SkinsBack (market_pricelist, the grouped list, every value a string), a 100,000-entry answer in
the vendor's documented shape is served by a stdlib ``http.server`` on 127.0.0.1 in a CHILD
PROCESS (so its work never shares this process's GIL or CPU time). Side by side, rotating which
goes first round by round, the script times:

- the floor: ``requests.get(url).json()`` of each answer (swap.gg: its two GETs, one after the
  other), as a user with no library would fetch the list;
- ``market.prices()`` through the real adapter (``sm.connect(..., base_url=<server>,
  store="memory")``, the rate limiter disabled as in ``bench_prices.py``; Market TM connected
  with ``currency="USD"``, so no get-money): transport, Decimal parsing, checks, quotes;
- ``market.prices(names=<100 names>)``, against the same floor.

Each timed call ends with a young-generation collection (``gc.collect(0)``), charging each side
the deferred scan of its new objects (``prices()`` builds with the collector paused). The verdict
is on the median wall-clock ratio of ``prices()`` to the floor, per vendor (target <= 2x); the
CPU-time ratio of this process is printed beside it (the floor and swap.gg's two threads
included; the server's work is not).

Run from the repo root: ``python -m tests.benchmarks.bench_pricelists`` (~1 min). Always exits 0.
"""

from __future__ import annotations

import contextlib
import gc
import json
import multiprocessing
import sys
from collections.abc import Callable, Iterator, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing.connection import Connection
from typing import Any

import requests

import skinmarkets as sm
from tests.benchmarks._common import median, timed_cpu, verdict
from tests.benchmarks.bench_prices import export_bytes

ITEMS = 100_000
NAMED = 100
ROUNDS = 7
TARGET = 2.0  # float ok: a ratio
#: Credentials shaped like real ones (the doc's sample key is a UUID): every answer is searched
#: for each registered credential before it is used (``_secret.may_hold_secret``), and a short
#: needle of common letters takes that search three times as long as a real key does.
API_KEY = "ad4625ae-8c9e-4c3b-8854-b4b649a0182d"
CLIENT_ID = "7f3c2a9e41d84b0c"
CLIENT_SECRET = "c1b9e0f7a2d34e58b6a7f0e1d2c3b4a5968778695a4b3c2d"

MARKET_TM_PATH = "/api/v2/prices/class_instance/USD.json"
LOWEST_PATH = "/v1/pricing/lowest"
SUMMARY_PATH = "/v1/buyorders/summary"
SKINSBACK_PATH = "/api.php"


def item_name(i: int) -> str:
    """A market_hash_name-like name; every 10th a knife, written with \\u escapes as PHP does."""
    wear = ("Factory New", "Minimal Wear", "Field-Tested", "Well-Worn", "Battle-Scarred")[i % 5]
    star = "★ " if i % 10 == 0 else ""
    return f"{star}Weapon {i // 5} | Finish {i % 997} ({wear})"


def swapgg_bodies(n: int = ITEMS) -> tuple[bytes, bytes]:
    """pricing/lowest for ``n`` names and buyorders/summary for 90% of them plus 10% others.

    As in the doc's samples, amounts and quantities are ints (EUR cents), a few thousand
    distinct prices.
    """
    lowest = {
        item_name(i): {
            "price": (i * 7) % 5000 + 3,
            "quantity": i % 13 + 1,
            "link": f"https://market.swap.gg/item/csgo/weapon-{i // 5}-finish-{i % 997}",
        }
        for i in range(n)
    }
    summary = {
        item_name(i): {
            "maxPrice": (i * 3) % 3000,
            "minPrice": (i * 3) % 3000 // 2,
            "quantity": i % 40 + 1,
        }
        for i in range(n // 10, n + n // 10)
    }
    return (
        json.dumps({"status": "OK", "result": lowest}).encode(),
        json.dumps({"status": "OK", "result": summary}).encode(),
    )


def skinsback_body(n: int = ITEMS) -> bytes:
    """The grouped market_pricelist (doc §3.1): every value a string, one row per name."""
    items = [
        {
            "name": item_name(i),
            "price": f"{(i % 4000) / 100 + 0.03:.2f}",
            "classid": str(3_000_000_000 + i),
            "count": str(i % 25 + 1),
        }
        for i in range(n)
    ]
    return json.dumps({"status": "success", "last_update": "1700000000", "items": items}).encode()


class _Handler(BaseHTTPRequestHandler):
    """Answers GET and POST of a known path with its body (the query and form are ignored)."""

    protocol_version = "HTTP/1.1"
    wbufsize = 64 * 1024
    disable_nagle_algorithm = True  # see bench_overhead.py
    routes: Mapping[str, bytes] = {}

    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self._answer()

    def _answer(self) -> None:
        body = self.routes.get(self.path.split("?")[0])
        self.send_response(200 if body is not None else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body or b"")))
        self.end_headers()
        self.wfile.write(body or b"")

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass


def serve(routes: Mapping[str, bytes], ready: Connection) -> None:
    """The child process: serve ``routes`` on a free 127.0.0.1 port and send the port back."""
    _Handler.routes = routes
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    ready.send(server.server_address[1])
    server.serve_forever()


def with_gc_debt(fn: Callable[[], Any]) -> Callable[[], Any]:
    """``fn`` followed by the young-generation collection its new objects will cost."""

    def run() -> Any:
        result = fn()
        gc.collect(0)
        return result

    return run


def measure(
    label: str, market: Any, urls: list[str], names: frozenset[str], entries: int
) -> tuple[float, float, float]:  # float ok: ratios
    """Median (wall, CPU, named wall) ratios of prices() to the bare floor over ROUNDS."""
    market.client.transport.limiter = None  # not under test; see the module docstring

    def floor() -> list[Any]:
        return [requests.get(url, timeout=60).json() for url in urls]

    quotes = market.prices()  # warm-up: connection open, imports done
    assert len(quotes) == entries, (label, len(quotes))
    assert len(market.prices(names=names)) == len(names)
    del quotes
    floor()
    sides: dict[str, Callable[[], Any]] = {
        "floor": floor,
        "prices()": market.prices,
        "named": lambda: market.prices(names=names),
    }
    wall: dict[str, list[float]] = {side: [] for side in sides}  # float ok: seconds
    cpu: dict[str, list[float]] = {side: [] for side in sides}  # float ok: seconds
    print(f"{label}: {entries:,} quotes from {len(urls)} GET(s)")
    for r in range(ROUNDS):
        order = list(sides)[r % 3 :] + list(sides)[: r % 3]  # rotate who goes first
        for side in order:
            seconds, used, result = timed_cpu(with_gc_debt(sides[side]))
            wall[side].append(seconds)
            cpu[side].append(used)
            del result
        bare = wall["floor"][-1]
        print(
            f"  round {r + 1}: floor {bare:.3f}s  prices() {wall['prices()'][-1]:.3f}s "
            f"({wall['prices()'][-1] / bare:.2f}x)  prices(names={NAMED}) "
            f"{wall['named'][-1]:.3f}s ({wall['named'][-1] / bare:.2f}x)"
        )

    def ratio(times: dict[str, list[float]], side: str) -> float:  # float ok: a ratio
        return median([t / b for t, b in zip(times[side], times["floor"], strict=True)])

    result = ratio(wall, "prices()"), ratio(cpu, "prices()"), ratio(wall, "named")
    print(
        f"  median ratio: prices() {result[0]:.2f}x wall ({result[1]:.2f}x CPU), "
        f"prices(names={NAMED}) {result[2]:.2f}x wall ({ratio(cpu, 'named'):.2f}x CPU)"
    )
    return result


def catalogue_routes(name: Callable[[int], str] | None = None) -> dict[str, bytes]:
    """The four answers at 100,000 entries; ``name`` spells Market TM's names (its default:
    "Item <n>"; ``item_name`` makes the three lists share their names)."""
    lowest, summary = swapgg_bodies()
    return {
        MARKET_TM_PATH: export_bytes() if name is None else export_bytes(name=name),
        LOWEST_PATH: lowest,
        SUMMARY_PATH: summary,
        SKINSBACK_PATH: skinsback_body(),
    }


@contextlib.contextmanager
def served(routes: Mapping[str, bytes]) -> Iterator[str]:
    """``routes`` served by a child process on 127.0.0.1; yields its base URL, stops it after."""
    reader, writer = multiprocessing.Pipe(duplex=False)
    server = multiprocessing.Process(target=serve, args=(routes, writer), daemon=True)
    server.start()
    try:
        if not reader.poll(60):
            print("the loopback server did not start")
            raise SystemExit(0)
        base = f"http://127.0.0.1:{reader.recv()}"
        print(
            f"loopback server (child process) at {base}; "
            + ", ".join(f"{path} {len(body) / 1e6:.1f} MB" for path, body in routes.items())
        )
        yield base
    finally:
        server.terminate()
        server.join(10)


def main() -> int:
    with served(catalogue_routes()) as base:
        results = run_all(base)
    print("reported: prices(names=100 names) vs the same floor (wall):")
    for label, (_, _, named) in results.items():
        print(f"  {label}: {named:.2f}x")
    for label, (wall, _, _) in results.items():
        print(verdict(f"{label} prices() at 100k vs bare GET + .json()", wall, TARGET))
    return 0


def run_all(base: str) -> dict[str, tuple[float, float, float]]:
    """The three vendors measured one after the other against the server at ``base``."""
    names = [item_name(i) for i in range(0, ITEMS, ITEMS // NAMED)]
    results = {}
    with sm.connect(
        "market_tm", api_key=API_KEY, base_url=base, store="memory", currency="USD"
    ) as market_tm:
        # export_bytes names its items "Item <n>"; every 10th name repeats, so 90,000 quotes
        tm_names = frozenset(f"Item {i}" for i in range(0, ITEMS, ITEMS // NAMED))
        results["market_tm"] = measure(
            "market_tm", market_tm, [base + MARKET_TM_PATH], tm_names, ITEMS * 9 // 10
        )
    with sm.connect("swapgg", api_key=API_KEY, base_url=base, store="memory") as swapgg:
        results["swapgg"] = measure(
            "swapgg",
            swapgg,
            [f"{base}{LOWEST_PATH}?appId=730", f"{base}{SUMMARY_PATH}?appId=730"],
            frozenset(names),
            ITEMS + ITEMS // 10,
        )
    with sm.connect(
        "skinsback",
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        base_url=base,
        store="memory",
    ) as skinsback:
        results["skinsback"] = measure(
            "skinsback", skinsback, [base + SKINSBACK_PATH], frozenset(names), ITEMS
        )
    return results


if __name__ == "__main__":
    sys.exit(main())

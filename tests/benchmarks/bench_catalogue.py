"""``compare`` at catalogue size: 3 price lists of 100,000 names vs reading them bare.

Market TM (prices/class_instance/USD.json), swap.gg (pricing/lowest + buyorders/summary, EUR
cents) and SkinsBack (market_pricelist), each 100,000 names in the vendor's documented shape
(the generators of ``bench_pricelists.py``; the three lists share their names, as real
catalogues mostly do), are served by a stdlib ``http.server`` on 127.0.0.1 in a CHILD PROCESS.
Side by side, rotating which goes first round by round, the script times:

- the floor: ``requests.get(url).json()`` of each of the four answers, one after another -- the
  SUM any Python client pays to read the lists;
- ``sm.compare(markets, rates=...)``: the whole catalogue, every quote in USD (swap.gg's EUR
  converted), the lists fetched concurrently (target <= 2x the floor);
- ``sm.compare(markets, names=<100 names>, rates=...)`` (target <= 1.25x the floor);
- reported, not judged: 1 name and 10,000 names, and the whole catalogue with every row of the
  result read (``Comparison.rows`` builds a row when it is first read: this is what a caller
  that reads them all, as ``arbitrage`` does, pays in total).

Markets are connected once with ``store="memory"`` and their rate limiters disabled (the lists
are one request each; the limiter is ``bench_store.py``'s subject); Market TM with
``currency="USD"`` (no get-money). Each timed call ends with a young-generation collection
(``gc.collect(0)``), charging each side the deferred scan of its new objects. Median of the
per-round wall-clock ratios.

Run from the repo root: ``python -m tests.benchmarks.bench_catalogue`` (~2 min). Always exits 0.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import requests

import skinmarkets as sm
from tests.benchmarks._common import median, timed, verdict
from tests.benchmarks.bench_pricelists import (
    API_KEY,
    CLIENT_ID,
    CLIENT_SECRET,
    ITEMS,
    LOWEST_PATH,
    MARKET_TM_PATH,
    SKINSBACK_PATH,
    SUMMARY_PATH,
    catalogue_routes,
    item_name,
    served,
    with_gc_debt,
)

ROUNDS = 7
TARGETS = {"whole catalogue": 2.0, "100 names": 1.25}  # float ok: ratios
REPORTED = {"1 name": 1, "10,000 names": 10_000}
EVERY_ROW = "whole catalogue, every row read"
RATES = sm.Rates({"EUR": "0.92"}, base="USD")


def _names(count: int) -> list[str]:
    return [item_name(i) for i in range(0, ITEMS, ITEMS // count)]


def _markets(base: str) -> dict[str, Any]:
    markets: dict[str, Any] = {
        "market_tm": sm.connect(
            "market_tm", api_key=API_KEY, base_url=base, store="memory", currency="USD"
        ),
        "swapgg": sm.connect("swapgg", api_key=API_KEY, base_url=base, store="memory"),
        "skinsback": sm.connect(
            "skinsback",
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            base_url=base,
            store="memory",
        ),
    }
    for market in markets.values():
        market.client.transport.limiter = None  # not under test; see the module docstring
    return markets


def run(base: str) -> dict[str, float]:  # float ok: ratios
    urls = [
        base + MARKET_TM_PATH,
        f"{base}{LOWEST_PATH}?appId=730",
        f"{base}{SUMMARY_PATH}?appId=730",
        base + SKINSBACK_PATH,
    ]
    session = requests.Session()
    markets = _markets(base)

    def floor() -> list[Any]:
        return [session.get(url, timeout=60).json() for url in urls]

    def comparing(names: list[str] | None) -> Callable[[], sm.compare.Comparison]:  # type: ignore[name-defined]
        return lambda: sm.compare(markets, names, rates=RATES)

    sides: dict[str, Callable[[], Any]] = {"floor": floor, "whole catalogue": comparing(None)}
    sides["100 names"] = comparing(_names(100))
    sides.update({label: comparing(_names(n)) for label, n in REPORTED.items()})

    def every_row() -> Any:  # rows are built when read: what a caller reading them all pays
        comparison = sm.compare(markets, rates=RATES)
        for quotes in comparison.rows.values():
            quotes.values()
        return comparison

    sides[EVERY_ROW] = every_row
    try:
        for label, side in sides.items():  # warm-up, and the answers are what they should be
            result = side()
            if label != "floor":
                assert not result.failures, dict(result.failures)
                print(f"  {label}: {len(result.rows):,} rows, skipped {dict(result.skipped)}")
        ratios: dict[str, list[float]] = {label: [] for label in sides if label != "floor"}
        for r in range(ROUNDS):
            order = list(sides)[r % len(sides) :] + list(sides)[: r % len(sides)]
            took = {label: timed(with_gc_debt(sides[label]))[0] for label in order}
            for label in ratios:
                ratios[label].append(took[label] / took["floor"])
            print(
                f"round {r + 1}: floor {took['floor']:.2f}s  "
                + "  ".join(f"{label} {took[label]:.2f}s" for label in ratios)
            )
    finally:
        for market in markets.values():
            market.close()
        session.close()
    return {label: median(values) for label, values in ratios.items()}


def main() -> int:
    with served(catalogue_routes(item_name)) as base:
        results = run(base)
    for label, n in REPORTED.items():
        print(f"reported: compare of {label} ({n}) vs the floor: {results[label]:.2f}x")
    print(f"reported: compare, {EVERY_ROW}, vs the floor: {results[EVERY_ROW]:.2f}x")
    for label, target in TARGETS.items():
        print(
            verdict(f"compare, {label}, vs the SUM of bare GET + .json()", results[label], target)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Typed 100k-item price list vs bare ``json.loads`` of the same bytes (target <= 2x).

Generates a Market TM prices/class_instance export of 100,000 items as bytes, then alternates,
round by round, a bare ``json.loads(bytes)`` with the real adapter path (CPU time of the process,
which a busy machine does not inflate; wall time is printed alongside): ``MarketTM.prices()``
against a ``responses`` mock serving get-money and the export (HTTP plumbing of ``requests`` and
``responses`` included, decimal parsing, wire structuring, PriceQuote building). Prints the
median ratio of the rounds and the peak traced memory of one call of each.

The generated prices repeat the way real exports do (a few thousand distinct values, which
``skinmarkets._pricelist`` shares as one ``Money`` each); a second, worst-case export where every
price is distinct is measured the same way and reported too, but the verdict is on the first.

Run from the repo root: ``python -m tests.benchmarks.bench_prices``. Always exits 0.
"""

from __future__ import annotations

import json
import sys

import responses

import skinmarkets as sm
from tests.benchmarks._common import median, mib, peak_memory, timed_cpu, verdict

ITEMS = 100_000
ROUNDS = 5
TARGET = 2.0  # float ok: a ratio
BASE_URL = "https://market.bench.invalid"
EXPORT_URL = f"{BASE_URL}/api/v2/prices/class_instance/USD.json"
MONEY_URL = f"{BASE_URL}/api/v2/get-money"


def export_bytes(n: int = ITEMS, *, distinct: bool = False) -> bytes:
    """A class_instance export of ``n`` items (every 10th name repeats under a second pair).

    Prices take 5,000 (asks) and 3,000 (bids) distinct values, or with ``distinct`` one each.
    """
    asks, bids = (n, n) if distinct else (5000, 3000)
    items = {}
    for i in range(n):
        name = f"Item {i - 1 if i % 10 == 9 else i}"
        items[f"{1_000_000 + i}_{i % 7}"] = {
            "price": f"{(i % asks) / 100 + 0.03:.2f}",
            "buy_order": f"{(i % bids) / 100:.2f}",
            "avg_price": f"{(i % 4000) / 100 + 0.11:.2f}",
            "popularity_7d": str(i % 500),
            "market_hash_name": name,
        }
    return json.dumps(
        {"success": True, "time": 1_700_000_000, "currency": "USD", "items": items}
    ).encode()


def measure(body: bytes, label: str) -> float:  # float ok: a ratio
    """Median ratio prices() / json.loads over ROUNDS interleaved rounds; prints each round."""
    print(f"{label}: {ITEMS:,} items, {len(body) / 1e6:.1f} MB")
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.get(MONEY_URL, json={"money": 12.34, "currency": "USD"})
        mock.get(EXPORT_URL, body=body, content_type="application/json")
        market = sm.connect("market_tm", api_key="bench-key", game="cs2", base_url=BASE_URL)
        market.client.transport.limiter = None  # not under test; one request per round anyway
        try:
            quotes = market.prices()  # warm-up; also caches the account currency
            print(f"  typed path: {len(quotes):,} PriceQuotes")
            del quotes
            walls: list[float] = []  # float ok: ratios
            ratios: list[float] = []  # float ok: ratios
            for r in range(ROUNDS):
                # alternate which side goes first, so drift does not favour one
                if r % 2 == 0:
                    bare_wall, bare, _ = timed_cpu(lambda: json.loads(body))
                    typed_wall, typed, _ = timed_cpu(market.prices)
                else:
                    typed_wall, typed, _ = timed_cpu(market.prices)
                    bare_wall, bare, _ = timed_cpu(lambda: json.loads(body))
                ratios.append(typed / bare)
                walls.append(typed_wall / bare_wall)
                print(
                    f"  round {r + 1}: CPU json.loads {bare:.3f}s  prices() {typed:.3f}s  "
                    f"ratio {typed / bare:.2f}x  (wall ratio {typed_wall / bare_wall:.2f}x)"
                )
            bare_peak = peak_memory(lambda: json.loads(body))
            typed_peak = peak_memory(market.prices)
        finally:
            market.close()
    print(f"  median ratio: CPU {median(ratios):.2f}x, wall {median(walls):.2f}x")
    print(
        f"  peak memory (tracemalloc): json.loads {mib(bare_peak)}  prices() {mib(typed_peak)}  "
        f"({typed_peak / bare_peak:.2f}x)"
    )
    return median(ratios)


def main() -> int:
    worst = measure(export_bytes(distinct=True), "worst case, every price distinct")
    print(f"  worst case median ratio {worst:.2f}x (reported, not judged)")
    ratio = measure(export_bytes(), "export")
    print(verdict("typed 100k price list vs json.loads", ratio, TARGET))
    return 0


if __name__ == "__main__":
    sys.exit(main())

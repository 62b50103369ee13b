"""Typed 100k-item price list vs bare ``json.loads`` of the same bytes (target <= 2x).

Generates a Market TM prices/class_instance export of 100,000 items as bytes, then alternates,
round by round, a bare ``json.loads(bytes)`` with the real adapter path: ``MarketTM.prices()``
against a ``responses`` mock serving get-money and the export (HTTP plumbing of ``requests`` and
``responses`` included, decimal parsing, wire structuring, PriceQuote building). Prints the
median ratio of the rounds and the peak traced memory of one call of each.

Run from the repo root: ``python -m tests.benchmarks.bench_prices``. Always exits 0.
"""

from __future__ import annotations

import json
import sys

import responses

import skinmarkets as sm
from tests.benchmarks._common import median, mib, peak_memory, timed, verdict

ITEMS = 100_000
ROUNDS = 5
TARGET = 2.0  # float ok: a ratio
BASE_URL = "https://market.bench.invalid"
EXPORT_URL = f"{BASE_URL}/api/v2/prices/class_instance/USD.json"
MONEY_URL = f"{BASE_URL}/api/v2/get-money"


def export_bytes(n: int = ITEMS) -> bytes:
    """A class_instance export of ``n`` items (every 10th name repeats under a second pair)."""
    items = {}
    for i in range(n):
        name = f"Item {i - 1 if i % 10 == 9 else i}"
        items[f"{1_000_000 + i}_{i % 7}"] = {
            "price": f"{(i % 5000) / 100 + 0.03:.2f}",
            "buy_order": f"{(i % 3000) / 100:.2f}",
            "avg_price": f"{(i % 4000) / 100 + 0.11:.2f}",
            "popularity_7d": str(i % 500),
            "market_hash_name": name,
        }
    return json.dumps(
        {"success": True, "time": 1_700_000_000, "currency": "USD", "items": items}
    ).encode()


def main() -> int:
    body = export_bytes()
    print(f"export: {ITEMS:,} items, {len(body) / 1e6:.1f} MB")
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.get(MONEY_URL, json={"money": 12.34, "currency": "USD"})
        mock.get(EXPORT_URL, body=body, content_type="application/json")
        market = sm.connect("market_tm", api_key="bench-key", game="cs2", base_url=BASE_URL)
        market.client.transport.limiter = None  # not under test; one request per round anyway
        try:
            quotes = market.prices()  # warm-up; also caches the account currency
            print(f"typed path: {len(quotes):,} PriceQuotes")
            bare_times: list[float] = []  # float ok: seconds
            typed_times: list[float] = []  # float ok: seconds
            ratios: list[float] = []  # float ok: ratios
            for r in range(ROUNDS):
                # alternate which side goes first, so drift does not favour one
                if r % 2 == 0:
                    bare, _ = timed(lambda: json.loads(body))
                    typed, _ = timed(market.prices)
                else:
                    typed, _ = timed(market.prices)
                    bare, _ = timed(lambda: json.loads(body))
                bare_times.append(bare)
                typed_times.append(typed)
                ratios.append(typed / bare)
                print(
                    f"round {r + 1}: json.loads {bare:.3f}s  prices() {typed:.3f}s  "
                    f"ratio {typed / bare:.2f}x"
                )
            bare_peak = peak_memory(lambda: json.loads(body))
            typed_peak = peak_memory(market.prices)
        finally:
            market.close()
    print(f"median: json.loads {median(bare_times):.3f}s  prices() {median(typed_times):.3f}s")
    print(
        f"peak memory (tracemalloc): json.loads {mib(bare_peak)}  prices() {mib(typed_peak)}  "
        f"({typed_peak / bare_peak:.2f}x)"
    )
    print(verdict("typed 100k price list vs json.loads", median(ratios), TARGET))
    return 0


if __name__ == "__main__":
    sys.exit(main())

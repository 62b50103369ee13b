"""Typed 100k-item price list vs bare ``json.loads`` of the same bytes (target <= 2x).

Generates a Market TM prices/class_instance export of 100,000 items as bytes and times, in
rotating order round by round (CPU time of the process, which a busy machine does not inflate):

- ``json.loads(bytes)``, the baseline;
- bytes -> ``list[PriceQuote]``: what ``MarketTM.prices()`` runs once the bytes have arrived
  (UTF-8 decoding, ``decode_json`` with Decimal parsing, ``quotes_from_class_instance``). This is
  the ratio judged against the target;
- ``MarketTM.prices()`` end to end against a ``responses`` mock (requests' and the mock's
  plumbing included), reported beside it.

Each timing ends with a young-generation collection (``gc.collect(0)``): the typed path builds
with the cyclic collector paused, which defers a scan of its new objects to after the call, and
that scan is charged to it. Prints the median ratios and the peak traced memory.

Entries have the ten fields of the current doc (market-tm-v2-rust.txt, and the fixture); the
older doc's five-field entries are measured too. The generated prices repeat the way real
exports do (a few thousand distinct values, which
``skinmarkets._pricelist`` shares as one ``Money`` each); a second, worst-case export where every
price is distinct is measured the same way and reported too, but the verdict is on the first.

Run from the repo root: ``python -m tests.benchmarks.bench_prices``. Always exits 0.
"""

from __future__ import annotations

import gc
import json
import sys
from collections.abc import Callable
from typing import Any

import responses

import skinmarkets as sm
from skinmarkets._gc import gc_paused
from skinmarkets._http import decode_json
from skinmarkets.models import PriceQuote
from skinmarkets.vendors.market_tm.pricelist import quotes_from_class_instance
from tests.benchmarks._common import median, mib, peak_memory, timed_cpu, verdict

ITEMS = 100_000
ROUNDS = 9
TARGET = 2.0  # float ok: a ratio
BASE_URL = "https://market.bench.invalid"
EXPORT_URL = f"{BASE_URL}/api/v2/prices/class_instance/USD.json"
MONEY_URL = f"{BASE_URL}/api/v2/get-money"


def export_bytes(
    n: int = ITEMS,
    *,
    full: bool = True,
    distinct: bool = False,
    name: Callable[[int], str] = "Item {}".format,
) -> bytes:
    """A class_instance export of ``n`` items (every 10th name repeats under a second pair).

    ``name(i)`` spells the i-th name (default ``"Item <i>"``).

    ``full``: the entry shape of market-tm-v2-rust.txt (and fixtures/market_tm), ten fields with
    ``ru_name`` and colours; else the five fields of market-tm-v2-detailed.txt's older sample.
    Non-ASCII is \\u-escaped, as PHP's json_encode writes it. Prices take 5,000 (asks) and
    3,000 (bids) distinct values, or with ``distinct`` one each.
    """
    asks, bids = (n, n) if distinct else (5000, 3000)
    items = {}
    for i in range(n):
        entry = {
            "price": f"{(i % asks) / 100 + 0.03:.2f}",
            "buy_order": f"{(i % bids) / 100:.2f}",
            "avg_price": f"{(i % 4000) / 100 + 0.11:.2f}",
            "popularity_7d": str(i % 500),
            "market_hash_name": name(i - 1 if i % 10 == 9 else i),
        }
        if full:
            entry |= {
                "ru_name": f"Предмет {i}",
                "ru_rarity": ("Ширпотреб", "Армейское качество", "Тайное")[i % 3],
                "ru_quality": "Standard",
                "text_color": "D2D2D2",
                "bg_color": "",
            }
        items[f"{1_000_000 + i}_{i % 7}"] = entry
    return json.dumps(
        {"success": True, "time": 1_700_000_000, "currency": "USD", "items": items}
    ).encode()


def with_gc_debt(fn: Callable[[], Any]) -> Callable[[], Any]:
    """``fn`` followed by the young-generation collection its new objects will cost.

    prices() builds with the cyclic collector paused, which leaves its objects in the young
    generation for the next collection to scan, after the call returns; json.loads pays as it
    goes. Collecting generation 0 inside each timed call charges each side its own scan.
    """

    def run() -> Any:
        result = fn()
        gc.collect(0)
        return result

    return run


def typed_from_bytes(body: bytes, market: str = "market_tm:cs2") -> list[PriceQuote]:
    """What prices() runs once the export's bytes have arrived, with nothing else around it."""
    with gc_paused():
        return quotes_from_class_instance(decode_json(body.decode("utf-8")), market=market)


def measure(body: bytes, label: str) -> tuple[float, float]:  # float ok: ratios
    """Median CPU ratios (bytes -> typed, prices()) to json.loads over ROUNDS rotating rounds."""
    print(f"{label}: {ITEMS:,} items, {len(body) / 1e6:.1f} MB")
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.get(MONEY_URL, json={"money": 12.34, "currency": "USD"})
        mock.get(EXPORT_URL, body=body, content_type="application/json")
        market = sm.connect(
            "market_tm", api_key="bench-key", game="cs2", base_url=BASE_URL, store="memory"
        )
        market.client.transport.limiter = None  # not under test; one request per round anyway
        try:
            quotes = market.prices()  # warm-up; also caches the account currency
            assert quotes == typed_from_bytes(body)  # the two typed paths agree
            print(f"  typed: {len(quotes):,} PriceQuotes")
            del quotes
            sides: dict[str, Callable[[], Any]] = {
                "json.loads": lambda: json.loads(body),
                "bytes->typed": lambda: typed_from_bytes(body),
                "prices()": market.prices,
            }
            cpu: dict[str, list[float]] = {side: [] for side in sides}  # float ok: seconds
            for r in range(ROUNDS):
                order = list(sides)[r % 3 :] + list(sides)[: r % 3]  # rotate who goes first
                for side in order:
                    _, seconds, result = timed_cpu(with_gc_debt(sides[side]))
                    cpu[side].append(seconds)
                    del result
                bare = cpu["json.loads"][-1]
                print(
                    f"  round {r + 1}: CPU json.loads {bare:.3f}s  "
                    f"bytes->typed {cpu['bytes->typed'][-1]:.3f}s "
                    f"({cpu['bytes->typed'][-1] / bare:.2f}x)  "
                    f"prices() {cpu['prices()'][-1]:.3f}s ({cpu['prices()'][-1] / bare:.2f}x)"
                )
            bare_peak = peak_memory(lambda: json.loads(body))
            typed_peak = peak_memory(lambda: typed_from_bytes(body))
        finally:
            market.close()
    typed_ratio = median(
        [t / b for t, b in zip(cpu["bytes->typed"], cpu["json.loads"], strict=True)]
    )
    prices_ratio = median([t / b for t, b in zip(cpu["prices()"], cpu["json.loads"], strict=True)])
    print(f"  median CPU ratio: bytes->typed {typed_ratio:.2f}x, prices() {prices_ratio:.2f}x")
    print(
        f"  peak memory (tracemalloc): json.loads {mib(bare_peak)}  bytes->typed "
        f"{mib(typed_peak)} ({typed_peak / bare_peak:.2f}x)"
    )
    return typed_ratio, prices_ratio


def main() -> int:
    worst = measure(export_bytes(distinct=True), "worst case, every price distinct")
    short = measure(export_bytes(full=False), "five-field entries (older doc)")
    ratio, prices_ratio = measure(export_bytes(), "ten-field entries (current doc)")
    print("reported, not judged (bytes -> typed, prices() through the responses mock):")
    print(f"  worst case, every price distinct: {worst[0]:.2f}x, {worst[1]:.2f}x")
    print(f"  five-field entries of the older doc: {short[0]:.2f}x, {short[1]:.2f}x")
    print(f"  prices() on the current shape: {prices_ratio:.2f}x")
    print(verdict("typed 100k price list (bytes -> PriceQuotes) vs json.loads", ratio, TARGET))
    return 0


if __name__ == "__main__":
    sys.exit(main())

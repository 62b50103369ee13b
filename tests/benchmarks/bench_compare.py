"""``compare`` over the four sandbox markets vs the slowest single market (target <= 1.25x).

Runs ``sm.sandbox(latency=0.3)`` (every answer is held 300 ms). Each round connects fresh markets
(so no side profits from a cached account currency or token), then alternates:

- compare: ``sm.compare(markets, rates=...)`` over all four (Mannco publishes no price list
  and is skipped);
- singles: each price-list market's ``prices()`` alone, one after another; the slowest one counts.

If price lists are fetched concurrently, compare costs about as much as the slowest market;
sequential fetching would cost the sum. Prints the median ratio compare / slowest single.

Run from the repo root: ``python -m tests.benchmarks.bench_compare``. Always exits 0.
"""

from __future__ import annotations

import sys

import skinmarkets as sm
from tests.benchmarks._common import median, timed, verdict

ROUNDS = 5
LATENCY = 0.3  # float ok: seconds
TARGET = 1.25  # float ok: a ratio
# SwapGG quotes in EUR; any rate will do, it only has to be there.
RATES = sm.Rates({"EUR": "0.92"}, base="USD")


def main() -> int:
    ratios: list[float] = []  # float ok: ratios
    with sm.sandbox(latency=LATENCY) as sb:
        print(f"sandbox at {sb.url}, latency {LATENCY * 1000:.0f} ms per request")
        for r in range(ROUNDS):
            sides = ("compare", "singles") if r % 2 == 0 else ("singles", "compare")
            took: dict[str, float] = {}  # float ok: seconds
            singles: dict[str, float] = {}  # float ok: seconds
            skipped: list[str] = []
            for side in sides:
                markets = sb.connect_all()
                try:
                    if side == "compare":
                        took["compare"], result = timed(
                            lambda m=markets: sm.compare(m, rates=RATES)
                        )
                        skipped = sorted(result.skipped)
                        if result.failures:
                            print(f"  compare failures: {dict(result.failures)}")
                    else:
                        for name, market in markets.items():
                            if market.capabilities.price_list:
                                singles[name], _ = timed(market.prices)
                        took["slowest"] = max(singles.values())
                finally:
                    for market in markets.values():
                        market.close()
            ratio = took["compare"] / took["slowest"]
            ratios.append(ratio)
            each = "  ".join(f"{n} {t:.2f}s" for n, t in singles.items())
            print(
                f"round {r + 1}: compare {took['compare']:.2f}s  singles [{each}]  "
                f"slowest {took['slowest']:.2f}s  ratio {ratio:.2f}x"
                + (f"  (skipped: {', '.join(skipped)})" if skipped else "")
            )
    print(verdict("compare(4 sandbox markets) vs slowest single prices()", median(ratios), TARGET))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""``arbitrage`` over a 100,000-name comparison of 3 markets vs a bare Decimal loop (target <= 2x).

Both sides read the same ``Comparison`` (100,000 names, each on 3 markets with an ask and, on
two of them, a bid, in USD; prices drawn so that about half of the pairs pay) and do the same
per-pair arithmetic with the same exactness:

- bare: a plain loop over the rows computing, for every (buy, sell, kind) pair,
  ``profit = price * (1 - fee) - ask`` and ``ratio = profit / ask``, keeping a tuple for each
  ratio >= min_profit, then sorting them by profit: the floor any Python code pays for the
  answer;
- arbitrage: ``sm.arbitrage(markets, comparison=table, min_profit=...)``, which also builds
  an ``Opportunity`` (with its ``Money`` amounts) for each pair kept.

Run at two ``min_profit`` values: 0 (about half of the pairs kept, the worst case for building
objects) and 0.05. Interleaved rounds, median ratio, CPU time of this process.

Run from the repo root: ``python -m tests.benchmarks.bench_arbitrage`` (~1 min). Always exits 0.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from types import MappingProxyType
from typing import Any

import skinmarkets as sm
from skinmarkets.compare import Comparison, Fees, MarketQuote
from tests.benchmarks._common import median, timed_cpu, verdict

NAMES = 100_000
ROUNDS = 5
TARGET = 2.0  # float ok: a ratio
MARKETS = ("a", "b", "c")
FEES = {"a": Fees(Decimal("0.05"), 7), "b": Fees(Decimal("0.10"), 8), "c": Fees(Decimal("0.02"), 0)}
UNDERCUT = Decimal("0.01")
OBSERVED = datetime(2026, 12, 1, tzinfo=UTC)


class _Market:
    """Just what arbitrage reads of a market when a comparison is given."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.vendor = name
        self.capabilities = sm.Capabilities(
            price_list=True,
            purchase_lookup=False,
            server_side_max_price=False,
            idempotent_buy=False,
            delivery="bot_withdraw",
            currencies=frozenset({"USD"}),
            requests_per_second=1.0,
            seller=True,
        )


def comparison(seed: int = 7) -> Comparison:
    rng = random.Random(seed)
    rows: dict[str, Mapping[str, MarketQuote]] = {}
    for i in range(NAMES):
        base = rng.randint(10, 100_000)  # cents
        quotes = {}
        for m in MARKETS:
            ask = sm.Money(Decimal(base + rng.randint(-base // 5, base // 5)).scaleb(-2), "USD")
            bid = (
                None
                if m == "c"
                else sm.Money(Decimal(base - rng.randint(0, base // 4)).scaleb(-2), "USD")
            )
            quotes[m] = MarketQuote(m, ask, bid, None, OBSERVED, timedelta(0))
        rows[f"Item {i:06d} (Field-Tested)"] = MappingProxyType(quotes)
    return Comparison("USD", MappingProxyType(rows), MappingProxyType({}), MappingProxyType({}), ())


def bare(table: Comparison, min_profit: Decimal) -> list[tuple[Any, ...]]:
    """The same comparison, on Decimals, without objects: the floor."""
    keep = 1 - UNDERCUT
    nets = {m: 1 - fee.sale_fee for m, fee in FEES.items()}
    found = []
    for item, quotes in table.rows.items():
        for buy_market, buy in quotes.items():
            if buy.lowest_ask is None:
                continue
            ask = buy.lowest_ask.amount
            if ask <= 0:
                continue
            for sell_market, sell in quotes.items():
                if sell_market == buy_market:
                    continue
                prices = []
                if sell.highest_bid is not None:
                    prices.append(("bid", sell.highest_bid.amount))
                if sell.lowest_ask is not None:
                    prices.append(("undercut_ask", sell.lowest_ask.amount * keep))
                for kind, price in prices:
                    profit = price * nets[sell_market] - ask
                    ratio = profit / ask
                    if ratio >= min_profit:
                        found.append((profit, item, buy_market, sell_market, kind, ratio))
    found.sort(key=lambda f: (-f[0], f[1], f[2], f[3]))
    return found


def main() -> int:
    table = comparison()
    markets = {m: _Market(m) for m in MARKETS}
    pairs = sum(len(q) * (len(q) - 1) for q in table.rows.values())
    print(f"{NAMES:,} names x {len(MARKETS)} markets: {pairs:,} (buy, sell) pairs, 2 kinds each")
    lines = []
    for min_profit in (Decimal(0), Decimal("0.05")):
        ratios: list[float] = []  # float ok: ratios
        for r in range(ROUNDS):
            order = ("bare", "arbitrage") if r % 2 == 0 else ("arbitrage", "bare")
            took: dict[str, float] = {}  # float ok: seconds
            counts: dict[str, int] = {}
            for side in order:
                if side == "bare":
                    _, took[side], found = timed_cpu(lambda m=min_profit: bare(table, m))
                else:
                    _, took[side], found = timed_cpu(
                        lambda m=min_profit: sm.arbitrage(
                            markets,  # type: ignore[arg-type]
                            comparison=table,
                            fees=FEES,
                            min_profit=m,
                            undercut=UNDERCUT,
                        )
                    )
                counts[side] = len(found)
                del found
            assert counts["bare"] == counts["arbitrage"], counts
            ratios.append(took["arbitrage"] / took["bare"])
            print(
                f"min_profit {min_profit}: round {r + 1}: bare {took['bare']:.2f}s  "
                f"arbitrage {took['arbitrage']:.2f}s  kept {counts['bare']:,}  "
                f"ratio {ratios[-1]:.2f}x"
            )
        lines.append(
            verdict(
                f"arbitrage(min_profit={min_profit}) vs bare Decimal loop", median(ratios), TARGET
            )
        )
    for line in lines:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())

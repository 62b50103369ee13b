"""A small arbitrage bot: find the best buy-here-sell-there deal on a few items, and buy it.

    python examples/arbitrage_bot.py --sandbox      # paper trading on the built-in sandbox
    python examples/arbitrage_bot.py                # the markets of ./skinmarkets.toml

"Markets down" (no market answered: nothing is known) is told from "no opportunity" (markets
answered, nothing pays). The purchase has a price cap and a custom_id, so an answer lost on
the way is looked up, never paid twice. Exit code: 0 bought or nothing to do, 1 markets down.
"""

from __future__ import annotations

import argparse
import uuid
from collections.abc import Mapping
from decimal import ROUND_DOWN, Decimal

import skinmarkets as sm
from skinmarkets import errors

NAMES = ["AK-47 | Redline (Field-Tested)", "AWP | Asiimov (Field-Tested)"]
RATES = sm.Rates({"EUR": "0.92"})  # units of each currency one USD buys: use today's rates


def trade_once(markets: Mapping[str, sm.Marketplace], min_profit: Decimal) -> int:
    """Buy the most profitable opportunity, if any; returns the exit code."""
    found = sm.arbitrage(markets, names=NAMES, rates=RATES, min_profit=min_profit)
    if not found.answered:
        print("markets down, nothing is known:", {**found.failures, **found.skipped})
        return 1
    if found.failures:
        print("incomplete search, no answer from:", ", ".join(sorted(found.failures)))
    if not found:
        print(f"no opportunity above {min_profit:.0%} on", ", ".join(found.answered))
        return 0
    best = found[0]
    print(
        f"best: buy {best.market_hash_name} on {best.buy_market} at {best.buy_price}, "
        f"sell on {best.sell_market} ({best.sell_kind}): +{best.profit.quantize(2)}"
    )
    market = markets[best.buy_market]
    listings = market.list_for_sale(best.market_hash_name, limit=1)
    if not listings:
        print("sold out in the meantime")
        return 0
    # Never pay more than the deal assumed (in the listing's own currency, rounded down).
    cap = best.buy_price.convert(listings[0].price.currency, RATES).quantize(2, ROUND_DOWN)
    custom_id = f"arb-{uuid.uuid4().hex[:16]}"  # names this purchase: keep it
    try:
        purchase = market.buy(listings[0], max_price=cap, custom_id=custom_id)
    except errors.PriceExceeded:
        print(f"the price moved above {cap}: not bought")
        return 0
    except errors.OutcomeUnknown:
        print(f"no answer: look purchase {custom_id} up before buying again")
        return 1
    print(
        f"bought {purchase.market_hash_name} on {purchase.market} for {purchase.price} "
        f"({purchase.status.name}, custom_id {purchase.custom_id})"
    )
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description="Find and buy one arbitrage opportunity.")
    parser.add_argument("--sandbox", action="store_true", help="paper-trade on the sandbox")
    parser.add_argument(
        "--min-profit",
        type=Decimal,
        default=Decimal("0.05"),
        help="the smallest profit ratio worth buying (default 0.05 = 5%%)",
    )
    args = parser.parse_args()
    if args.sandbox:
        with sm.sandbox() as sb:
            return trade_once(sb.connect_all(), args.min_profit)
    return trade_once(sm.connect_all(), args.min_profit)


if __name__ == "__main__":
    raise SystemExit(main())

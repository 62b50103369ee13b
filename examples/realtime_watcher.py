"""Print a market's live events as they come.

    python examples/realtime_watcher.py --sandbox                    # skinsback on the sandbox
    python examples/realtime_watcher.py --sandbox --vendor market_tm
    python examples/realtime_watcher.py --market tm                  # a market of skinmarkets.toml

On the sandbox it buys one item once the stream is up, so there is something to see. Needs the
realtime extra: pip install 'skinmarkets[realtime]'. Ctrl-C stops it.
"""

from __future__ import annotations

import argparse
import time
from typing import cast

import skinmarkets as sm
from skinmarkets.events import EventSource, StreamStatus

ITEM = "AK-47 | Redline (Field-Tested)"
SANDBOX_VENDORS = ("market_tm", "swapgg", "skinsback", "mannco")


def watch(market: sm.Marketplace, *, seconds: float | None, demo: bool) -> int:
    """Print events for ``seconds`` (None: until Ctrl-C); ``demo``: buy once connected."""
    if not market.capabilities.events:
        print(f"{market.name} pushes no events")
        return 2
    source = cast(EventSource, market)  # capabilities.events names what its events() pushes
    ends = None if seconds is None else time.monotonic() + seconds
    with source.events() as stream:
        while ends is None or time.monotonic() < ends:
            event = stream.get(timeout=1.0)
            if event is None:
                continue  # a quiet second: check the clock
            print(event)
            if demo and isinstance(event, StreamStatus) and event.state == "connected":
                demo = False
                listing = market.list_for_sale(ITEM, limit=1)[0]
                print("bought, custom_id", market.buy(listing).custom_id)
            if (
                isinstance(event, StreamStatus)
                and not event.will_retry
                and event.state != "connected"
            ):
                return 1  # the stream ended for good
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description="Print a market's live events.")
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--sandbox", action="store_true", help="the built-in sandbox")
    where.add_argument("--market", help="a [[markets]] name of ./skinmarkets.toml")
    parser.add_argument(
        "--vendor",
        choices=SANDBOX_VENDORS,
        default="skinsback",
        help="the sandbox vendor to watch (default skinsback)",
    )
    parser.add_argument("--seconds", type=float, default=None, help="stop after this long")
    args = parser.parse_args()
    try:
        if args.sandbox:
            with sm.sandbox() as sb:
                market = sb.connect(args.vendor)
                return watch(market, seconds=args.seconds or 10.0, demo=True)
        markets = sm.connect_all()
        if args.market not in markets:
            parser.error(f"no market {args.market!r} in the config: {', '.join(markets)}")
        return watch(markets[args.market], seconds=args.seconds, demo=False)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())

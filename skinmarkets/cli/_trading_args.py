"""The trading commands' grammar: ``listings``, ``buy``, ``sell``, ``withdraw``, ``history``,
``inventory`` and ``sandbox reset`` (the global options are ``_args``'s, on every command)."""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable

from skinmarkets.cli._confirm import parse_amount
from skinmarkets.cli._history import parse_since

__all__ = ["ONE_MARKET", "TRADING_COMMANDS", "add_trading_commands", "positive_int"]

TRADING_COMMANDS = ("listings", "buy", "sell", "withdraw", "history", "inventory", "sandbox")
#: Commands that act on exactly one market (its ``--market``).
ONE_MARKET = ("buy", "sell")
_CUSTOM_ID = re.compile(r"[A-Za-z0-9_.:-]{1,64}")


def positive_int(text: str) -> int:
    """``--limit 5``: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive whole number")
    return value


def _add_yes(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--yes",
        "-y",
        action="store_true",
        help="do not ask for confirmation (needed when stdin is not a terminal)",
    )


def _custom_id(text: str) -> str:
    if not _CUSTOM_ID.fullmatch(text):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a custom id: use 1 to 64 letters, digits and _ . : -"
        )
    return text


def add_trading_commands(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    """Declare the trading commands; ``command(name, text)`` makes one (globals included)."""
    listings = command("listings", "live offers for one item on every market, cheapest first")
    listings.add_argument("name", metavar="NAME", help="market hash name of the item")
    listings.add_argument(
        "--limit", type=positive_int, default=20, help="at most this many per market (default: 20)"
    )
    buy = command("buy", "buy one listing (asks first; never above --max-price)")
    buy.add_argument("listing_id", metavar="LISTING_ID", help="the listing, as `listings` shows it")
    buy.add_argument(
        "--name",
        required=True,
        metavar="NAME",
        help="the item's market hash name (finds the listing)",
    )
    buy.add_argument(
        "--max-price",
        required=True,
        type=parse_amount,
        metavar="AMOUNT",
        help="pay at most this, in the listing's currency: 12.50 or 12.50USD",
    )
    buy.add_argument(
        "--custom-id",
        type=_custom_id,
        metavar="ID",
        help="the purchase's idempotency key (default: a new one, shown); the same id never "
        "buys twice: use it again to look up a purchase whose outcome was unknown",
    )
    _add_yes(buy)
    sell = command("sell", "put one of your items on sale (asks first)")
    sell.add_argument("asset_id", metavar="ASSET_ID", help="the item, as `inventory` shows it")
    sell.add_argument(
        "--price",
        required=True,
        type=parse_amount,
        metavar="AMOUNT",
        help="the asking price, in the item's currency: 9.00 or 9.00EUR",
    )
    _add_yes(sell)
    command("withdraw", "have the markets send what you bought to your Steam")
    history = command("history", "what you bought, where the market keeps a history")
    history.add_argument(
        "--since",
        type=parse_since,
        default=None,
        metavar="DAYS|DATE",
        help="days back (7), or a date (2024-05-01, UTC) (default: 30 days)",
    )
    command("inventory", "your items on the markets that sell: in the inventory and on sale")
    sandbox = command("sandbox", "manage the --sandbox paper-trading state")
    sandbox.add_argument(
        "action",
        choices=["reset"],
        metavar="ACTION",
        help="reset: delete the state file (fresh sandbox accounts on the next run)",
    )

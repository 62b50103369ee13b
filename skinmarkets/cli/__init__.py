"""The ``skinmarkets`` console script: compare prices, find arbitrage, see balances and trades.

    skinmarkets vendors
    skinmarkets compare "AK-47 | Redline (Field-Tested)" --sandbox
    skinmarkets arbitrage --min-profit 5% --limit 20
    skinmarkets balance --json
    skinmarkets trades
    skinmarkets watch --sandbox --kinds listings,account --json

Every command takes ``--sandbox`` (the built-in sandbox markets instead of the configured
ones), ``--config PATH`` and ``--json`` (machine output; every amount a decimal string).

Exit codes: 0 success; 1 a market failed or a request could not be carried out (the other
markets' results are still printed); 2 bad usage or configuration (no config file, an unknown
vendor, a missing environment variable or exchange rate). Errors print as ``error: <message>``
on stderr, never as a traceback; the library's messages never hold a credential.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TextIO

import attrs

from skinmarkets._version import __version__
from skinmarkets.cli import _account, _prices, _watch
from skinmarkets.cli._markets import NoConfig, open_markets, setup_help
from skinmarkets.cli._output import EXIT_FAILED, Output
from skinmarkets.errors import ConfigurationError, SkinMarketsError

__all__ = ["main"]

EXIT_USAGE = 2


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--sandbox",
        action="store_true",
        help="run against the built-in sandbox markets instead of the configured ones",
    )
    common.add_argument(
        "--config",
        metavar="PATH",
        help="config file (default: $SKINMARKETS_CONFIG, else ./skinmarkets.toml)",
    )
    common.add_argument(
        "--json", action="store_true", help="machine output: JSON, amounts as decimal strings"
    )

    parser = argparse.ArgumentParser(
        prog="skinmarkets",
        description="Steam-skin marketplaces from the command line.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    commands.add_parser("vendors", parents=[common], help="vendor ids and what each can do")

    compare = commands.add_parser(
        "compare", parents=[common], help="best ask and bid of items on every market"
    )
    compare.add_argument("names", nargs="+", metavar="NAME", help="market hash name of an item")
    compare.add_argument("--currency", help="show prices in this currency (default: the config's)")

    arbitrage = commands.add_parser(
        "arbitrage", parents=[common], help="buy on one market, sell on another at a profit"
    )
    arbitrage.add_argument(
        "--min-profit",
        type=_prices.parse_min_profit,
        default="0%",
        metavar="SHARE",
        help="least profit as a share of the buy price: 5%% or 0.05 (default: 0%%)",
    )
    arbitrage.add_argument(
        "--limit", type=_positive_int, default=20, help="show at most this many (default: 20)"
    )
    arbitrage.add_argument("--currency", help="compare in this currency (default: the config's)")

    commands.add_parser("balance", parents=[common], help="the balance on every market")
    commands.add_parser("trades", parents=[common], help="Steam offers waiting on you")

    watch = commands.add_parser(
        "watch", parents=[common], help="print realtime events, one line each, until Ctrl-C"
    )
    watch.add_argument(
        "--market",
        action="append",
        metavar="NAME",
        help="watch only this market (repeatable; default: every market)",
    )
    watch.add_argument(
        "--kinds",
        type=_watch.parse_kinds,
        default=None,
        metavar="KINDS",
        help="listings, account or both, comma-separated (default: all each market pushes)",
    )
    return parser


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive whole number")
    return value


def _run(args: argparse.Namespace, output: Output) -> int:
    if args.command == "vendors":
        return _account.vendors(args, output)
    run = {
        "compare": _prices.compare,
        "arbitrage": _prices.arbitrage,
        "balance": _account.balance,
        "trades": _account.trades,
        "watch": _watch.watch,
    }[args.command]
    with open_markets(
        sandbox=args.sandbox, config_path=args.config, currency=getattr(args, "currency", None)
    ) as session:
        chosen = getattr(args, "market", None)
        if chosen:
            unknown = sorted(set(chosen) - set(session.markets))
            if unknown:
                raise ConfigurationError(
                    f"no market named {', '.join(unknown)}: choose from "
                    f"{', '.join(session.markets)}"
                )
            session = attrs.evolve(
                session, markets={n: m for n, m in session.markets.items() if n in chosen}
            )
        return run(args, output, session)


def main(
    argv: Sequence[str] | None = None,
    *,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run the command line ``argv`` (default: ``sys.argv[1:]``) and return its exit code."""
    out = sys.stdout if stdout is None else stdout
    err = sys.stderr if stderr is None else stderr
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage error already printed
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    output = Output(out=out, err=err, json=args.json)
    try:
        return _run(args, output)
    except NoConfig:
        print(setup_help(), file=err, end="")
        return EXIT_USAGE
    except ConfigurationError as exc:
        print(f"error: {exc}", file=err)
        return EXIT_USAGE
    except SkinMarketsError as exc:
        print(f"error: {exc}", file=err)
        return EXIT_FAILED
    except OSError as exc:
        print(f"error: {exc}", file=err)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("interrupted", file=err)
        return 130

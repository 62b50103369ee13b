"""The command line's grammar: commands, global options in any place, names from files.

Global options (``--sandbox``, ``--sandbox-state``, ``--config``, ``--json``, ``--market``,
``--timeout``, ``--currency``) are accepted before the command and after it: each is declared
on the main parser and again, under another ``dest`` and without a default, on every command,
and the two are merged after parsing (a later one wins; ``--market`` adds up;
``--sandbox-state`` implies ``--sandbox``). A usage error is one line,
``UsageError``, with a "did you mean" where a choice or an option was misspelt.
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, NoReturn, TextIO

from skinmarkets._seconds import Seconds
from skinmarkets._version import __version__
from skinmarkets.cli._output import UsageError
from skinmarkets.cli._prices import parse_min_profit
from skinmarkets.cli._trading_args import (
    ONE_MARKET,
    TRADING_COMMANDS,
    add_trading_commands,
    positive_int,
)
from skinmarkets.cli._watch import parse_kinds
from skinmarkets.money import Money

__all__ = ["COMMANDS", "UsageError", "parse"]

COMMANDS = ("vendors", "compare", "arbitrage", "balance", "trades", "watch", *TRADING_COMMANDS)
_MAX_TIMEOUT = 86400


def parse_seconds(text: str) -> Seconds:  # handed to connect(timeout=)
    """``--timeout 10`` or ``2.5``: seconds more than 0 (at most a day)."""
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or not 0 < value <= _MAX_TIMEOUT:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a number of seconds: write e.g. --timeout 10 (more than 0, "
            f"at most {_MAX_TIMEOUT})"
        )
    return Seconds(value)


def parse_currency(text: str) -> str:
    """``--currency eur`` -> ``"EUR"``; anything that is not a currency code is refused."""
    try:
        return Money(0, text.strip()).currency
    except (TypeError, ValueError):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a currency code: write three letters like USD or EUR"
        ) from None


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are a ``UsageError`` (one line) instead of an exit."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{_with_suggestion(message)} (see: {self.prog} --help)")


class _CommandParser(_Parser):
    """A command's parser: names and options may come in any order (``compare A --json B``)."""

    _intermixing = False

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        if self._intermixing:
            return super().parse_known_args(args, namespace)
        self._intermixing = True
        try:
            return self.parse_known_intermixed_args(args, namespace)
        finally:
            self._intermixing = False


_GLOBAL_OPTIONS = (
    "--sandbox",
    "--sandbox-state",
    "--config",
    "--json",
    "--market",
    "--timeout",
    "--currency",
)
_COMMAND_OPTIONS = (
    "--file",
    "--limit",
    "--min-profit",
    "--kinds",
    "--name",
    "--max-price",
    "--custom-id",
    "--price",
    "--since",
    "--yes",
    "--help",
)


def _with_suggestion(message: str) -> str:
    """argparse's message, with "did you mean" for a misspelt command or option."""
    choice = re.search(r"invalid choice: '([^']*)' \(choose from (.*)\)", message)
    if choice:
        choices = re.findall(r"'([^']*)'", choice.group(2))
        close = difflib.get_close_matches(choice.group(1), choices, n=1)
        hint = f'; did you mean "{close[0]}"?' if close else ""
        return f"unknown command {choice.group(1)!r}{hint} (commands: {', '.join(choices)})"
    unknown = re.search(r"unrecognized arguments: (\S+)", message)
    if unknown and unknown.group(1).startswith("--"):
        word = unknown.group(1).split("=")[0]
        known = [*_GLOBAL_OPTIONS, *_COMMAND_OPTIONS]
        close = difflib.get_close_matches(word, known, n=1)
        if close:
            return f'unknown option {word}; did you mean "{close[0]}"?'
        return f"unknown option {word}"
    if "the following arguments are required: COMMAND" in message:
        return f"choose a command: {', '.join(COMMANDS)}"
    return message


def _add_globals(parser: argparse.ArgumentParser, *, prefix: str, suppress: bool) -> None:
    """The global options on ``parser``, stored under ``prefix + name``."""
    group = parser.add_argument_group("global options (before or after the command)")

    def default(value: Any) -> Any:
        return argparse.SUPPRESS if suppress else value

    group.add_argument(
        "--sandbox",
        action="store_true",
        dest=f"{prefix}sandbox",
        default=default(False),
        help="run against the built-in sandbox markets instead of the configured ones "
        "(paper trading: their state is kept between runs, see --sandbox-state)",
    )
    group.add_argument(
        "--sandbox-state",
        metavar="PATH",
        dest=f"{prefix}sandbox_state",
        default=default(None),
        help="the sandbox's state file (implies --sandbox; default: sandbox.json in your "
        "state directory, e.g. ~/.local/state/skinmarkets/)",
    )
    group.add_argument(
        "--config",
        metavar="PATH",
        dest=f"{prefix}config",
        default=default(None),
        help="config file (default: $SKINMARKETS_CONFIG, ./skinmarkets.toml, "
        "~/.config/skinmarkets/config.toml)",
    )
    group.add_argument(
        "--json",
        action="store_true",
        dest=f"{prefix}json",
        default=default(False),
        help="machine output: one JSON object, amounts as decimal strings",
    )
    group.add_argument(
        "--market",
        action="append",
        metavar="NAME",
        dest=f"{prefix}market",
        default=default(None),
        help="only this market (repeatable; default: every configured market)",
    )
    group.add_argument(
        "--timeout",
        type=parse_seconds,
        metavar="SECONDS",
        dest=f"{prefix}timeout",
        default=default(None),
        help="give up on a market that has not answered after this long (it counts as failed)",
    )
    group.add_argument(
        "--currency",
        type=parse_currency,
        dest=f"{prefix}currency",
        default=default(None),
        help="compare and arbitrage in this currency (default: the config's, else USD)",
    )


def _add_names(parser: argparse.ArgumentParser, *, required: bool) -> None:
    parser.add_argument(
        "names",
        nargs="*",
        metavar="NAME",
        help="market hash name of an item; @FILE reads names from FILE, - from stdin"
        + ("" if required else " (default: every item)"),
    )
    parser.add_argument(
        "--file",
        action="append",
        default=[],
        metavar="PATH",
        help="read names from PATH, one per line (# comments and blank lines ignored; "
        "- is stdin); repeatable",
    )


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="skinmarkets",
        description="Steam-skin marketplaces from the command line.",
        epilog="Exit codes: 0 ok, 1 a market failed, 2 usage or configuration, 130 Ctrl-C.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    _add_globals(parser, prefix="", suppress=False)
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=_CommandParser
    )

    def command(name: str, text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=text, description=text)
        _add_globals(sub, prefix="sub_", suppress=True)
        return sub

    command("vendors", "vendor ids and what each can do")
    compare = command("compare", "best ask and bid of items on every market")
    _add_names(compare, required=True)
    arbitrage = command("arbitrage", "buy on one market, sell on another at a profit")
    _add_names(arbitrage, required=False)
    arbitrage.add_argument(
        "--min-profit",
        type=parse_min_profit,
        default="0%",
        metavar="SHARE",
        help="least profit as a share of the buy price: 5%% or 0.05 (default: 0%%)",
    )
    arbitrage.add_argument(
        "--limit", type=positive_int, default=20, help="show at most this many (default: 20)"
    )
    command("balance", "the balance on every market")
    command("trades", "Steam offers waiting on you")
    watch = command("watch", "print realtime events, one line each, until Ctrl-C")
    watch.add_argument(
        "--kinds",
        type=parse_kinds,
        default=None,
        metavar="KINDS",
        help="listings, account or both, comma-separated (default: all each market pushes)",
    )
    add_trading_commands(command)
    return parser


def _merge_globals(args: argparse.Namespace) -> None:
    """Fold the options given after the command into those given before it."""
    for name in ("sandbox", "json"):
        setattr(args, name, getattr(args, name) or getattr(args, f"sub_{name}", False))
    for name in ("config", "timeout", "currency", "sandbox_state"):
        later = getattr(args, f"sub_{name}", None)
        if later is not None:
            setattr(args, name, later)
    markets = [*(args.market or []), *(getattr(args, "sub_market", None) or [])]
    args.market = list(dict.fromkeys(m.strip() for m in markets)) or None
    for name in list(vars(args)):
        if name.startswith("sub_"):
            delattr(args, name)


def read_names(given: Sequence[str], files: Sequence[str], stdin: TextIO) -> list[str]:
    """Item names from the command line, ``@FILE`` arguments, ``--file PATH`` and ``-`` (stdin).

    One name a line; blank lines and lines starting with ``#`` are skipped, spaces around a
    name are dropped, and a name given twice is kept once (first place).
    """
    names: list[str] = []
    sources = [*given, *(f"@{path}" if path != "-" else "-" for path in files)]
    for source in sources:
        if source == "-":
            lines = stdin.read().splitlines()
        elif source.startswith("@"):
            path = source[1:]
            try:
                lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
            except OSError as exc:
                raise UsageError(
                    f"cannot read names from {path}: {exc.strerror or exc}; give a readable "
                    "file with one name a line"
                ) from None
            except UnicodeDecodeError:
                raise UsageError(
                    f"cannot read names from {path}: not UTF-8 text; save it as UTF-8"
                ) from None
        else:
            lines = [source]
        names.extend(
            line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")
        )
    return list(dict.fromkeys(names))


def parse(argv: Sequence[str] | None, stdin: TextIO | None = None) -> argparse.Namespace:
    """The parsed command line; ``UsageError`` for anything that cannot run.

    ``--help`` and ``--version`` print and raise ``SystemExit(0)``, as argparse does.
    """
    args = _parser().parse_args(argv)
    _merge_globals(args)
    if args.sandbox_state is not None:
        if not args.sandbox_state.strip():
            raise UsageError("--sandbox-state needs a file path")
        args.sandbox = True  # a state file only means something to the sandbox
    if args.command in ONE_MARKET and (not args.market or len(args.market) != 1):
        raise UsageError(
            f"{args.command} needs exactly one --market: the market to {args.command} on "
            + ("(e.g. --market market_tm)" if args.sandbox else "(a market name of your config)")
        )
    if args.command in ("compare", "arbitrage"):
        given = [*args.names, *args.file]
        args.names = read_names(args.names, args.file, sys.stdin if stdin is None else stdin)
        if not args.names and (given or args.command == "compare"):
            raise UsageError(
                "no item names"
                + (f" in {', '.join(given)}" if given else "")
                + ': name items like "AK-47 | Redline (Field-Tested)", or give @FILE, '
                "--file PATH or - (stdin) with one name a line"
            )
    return args

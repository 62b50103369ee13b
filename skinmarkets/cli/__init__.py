"""The ``skinmarkets`` console script: compare prices, find arbitrage, trade, see balances.

    skinmarkets vendors
    skinmarkets --sandbox compare "AK-47 | Redline (Field-Tested)"
    skinmarkets compare @names.txt --market tm --market swapgg --timeout 10
    skinmarkets arbitrage --min-profit 5% --limit 20
    skinmarkets balance --json
    skinmarkets trades
    skinmarkets watch --sandbox --kinds listings,account --json

Trading (``_buying``, ``_selling``, ``_history``; ``--market`` names one market for buy/sell)::

    skinmarkets listings "AK-47 | Redline (Field-Tested)" --limit 5
    skinmarkets buy 700000001 --market tm --name "AK-47 | Redline (Field-Tested)" --max-price 12.50
    skinmarkets withdraw
    skinmarkets history --since 7
    skinmarkets inventory --market swapgg
    skinmarkets sell 30700000031 --market swapgg --price 14.00EUR

``buy`` finds the listing by reading the offers for ``--name`` again (a market buys a whole
``Listing``, never a bare id), shows what it will buy and for how much, and asks on the
terminal; ``--yes`` skips the question, and without a terminal and without ``--yes`` it
refuses (exit 2) before asking any market anything. ``--max-price`` is an exact decimal in the
listing's currency (``12.50``, or ``12.50USD`` to say which). Every write goes through the
library's one write path: sent once, never retried; an unknown outcome names its custom id and
how to settle it (the same command with ``--custom-id``). ``sell`` works like ``buy`` on the
markets that sell (``Seller``; others: exit 2). ``withdraw`` is not confirmed (it moves items
to the user, no money).

Paper trading: ``--sandbox`` keeps the sandbox's balances, listings, purchases and trades in a
state file between runs (``--sandbox-state PATH``, default ``sandbox.json`` in the user's state
directory, e.g. ``~/.local/state/skinmarkets/``), so ``--sandbox buy`` and then ``--sandbox
history`` see the same purchase; ``skinmarkets sandbox reset`` starts afresh. See ``_paper``
for the file, its lock and who saves it.

Global options go before or after the command: ``--sandbox`` (the built-in sandbox markets
instead of the configured ones), ``--sandbox-state PATH`` (implies ``--sandbox``), ``--config
PATH``, ``--json`` (one JSON envelope, see ``_json``), ``--market NAME`` (repeatable),
``--timeout SECONDS`` and ``--currency``.

Exit codes: 0 success (also: already bought under that ``--custom-id``); 1 a market failed (the
other markets' results are still printed), a purchase or sale was refused or its outcome is
unknown, or the confirmation was declined; 2 bad usage or configuration (an unknown option or
market, no config file, an unset variable of a market named with ``--market``, a credential
written in the file, a missing exchange rate, a bad amount, a currency other than the
listing's, no terminal to confirm on without ``--yes``, ``sell`` on a market that does not
sell, a sandbox state file that cannot be loaded); 130 interrupted by Ctrl-C (what had arrived
is printed; a buy or sale under way names what to check). Errors print as one line ``error:
<message>`` on stderr, never as a traceback; the library's messages never hold a credential.

Output: results on stdout, everything else (progress, notes, warnings, errors, the confirmation
question) on stderr. When stdout is closed early (``skinmarkets vendors --json | head -1``) the
command stops quietly with exit code 0, as ripgrep does: the reader has what it wanted, and a
141 or 1 would fail a ``set -o pipefail`` script for no fault of ours.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence
from typing import TextIO

from skinmarkets._seconds import Seconds
from skinmarkets.cli import _account, _buying, _history, _paper, _prices, _selling, _watch
from skinmarkets.cli._args import parse
from skinmarkets.cli._confirm import require_answerable
from skinmarkets.cli._gather import still_waiting
from skinmarkets.cli._markets import NoConfig, open_markets, setup_help
from skinmarkets.cli._output import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    Output,
    UsageError,
)
from skinmarkets.errors import ConfigurationError, SkinMarketsError

__all__ = ["main"]


def _run(args: argparse.Namespace, output: Output) -> int:
    if args.command == "vendors":
        return _account.vendors(args, output)
    if args.command == "sandbox":
        return _paper.sandbox_command(args, output)
    if args.command in ("buy", "sell"):  # before any market or state file is opened
        require_answerable(output, yes=args.yes, command=args.command)
    run = {
        "compare": _prices.compare,
        "arbitrage": _prices.arbitrage,
        "listings": _buying.listings,
        "buy": _buying.buy,
        "sell": _selling.sell,
        "balance": _account.balance,
        "trades": _account.trades,
        "withdraw": _account.withdraw,
        "history": _history.history,
        "inventory": _selling.inventory,
        "watch": _watch.watch,
    }[args.command]
    with open_markets(
        output,
        sandbox=args.sandbox,
        config_path=args.config,
        currency=args.currency,
        wanted=args.market,
        timeout=args.timeout,
        sandbox_state=args.sandbox_state,
        writes=args.command in _paper.WRITES,
    ) as session:
        return run(args, output, session)


def _table_width(out: TextIO) -> int | None:
    """Columns a table may take: ``$COLUMNS``, else the terminal's; None when not a terminal
    (a file or a pipe gets whole names)."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    isatty = getattr(out, "isatty", None)
    if isatty is not None and isatty():
        return shutil.get_terminal_size().columns
    return None


def _quiet_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's last flush of a closed pipe is silent."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _main(
    argv: Sequence[str] | None,
    out: TextIO,
    err: TextIO,
    stdin: TextIO | None,
    clock: Callable[[], Seconds],
) -> int:
    try:
        args = parse(argv, stdin)
    except SystemExit as exc:  # --help or --version, already printed
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    except UsageError as exc:
        print(f"error: {exc}", file=err)
        return EXIT_USAGE
    output = Output(
        out=out, err=err, json=args.json, width=_table_width(out), clock=clock, stdin=stdin
    )
    try:
        code = _run(args, output)
        out.flush()
        return code
    except UsageError as exc:
        print(f"error: {exc}", file=err)
        return EXIT_USAGE
    except NoConfig:
        print(setup_help(), file=err, end="")
        return EXIT_USAGE
    except ConfigurationError as exc:
        print(f"error: {exc}", file=err)
        return EXIT_USAGE
    except SkinMarketsError as exc:
        print(f"error: {exc}", file=err)
        return EXIT_FAILED
    except BrokenPipeError:
        if out is sys.stdout:
            _quiet_stdout()
        return EXIT_OK
    except OSError as exc:
        print(f"error: {exc.strerror or exc}", file=err)
        return EXIT_FAILED


def _end_process(code: int) -> None:
    """Flush, then end at once if a thread still waits on a market (see :func:`main`)."""
    if code == EXIT_INTERRUPTED:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C: no traceback either
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BrokenPipeError:
            if stream is sys.stdout:
                _quiet_stdout()
        except (OSError, ValueError):
            pass
    main_thread = threading.main_thread()
    if still_waiting() or any(
        t is not main_thread and not t.daemon and t.is_alive() for t in threading.enumerate()
    ):
        os._exit(code)


def main(
    argv: Sequence[str] | None = None,
    *,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    stdin: TextIO | None = None,
    clock: Callable[[], Seconds] | None = None,
) -> int:
    """Run the command line ``argv`` (default: ``sys.argv[1:]``) and return its exit code.

    Called without ``argv`` — as the console script and ``python -m skinmarkets`` call it —
    it is the whole process, and ends it with ``os._exit`` (after flushing stdout and stderr)
    when a thread still waits on a market: after Ctrl-C or ``--timeout``, a market's read may
    hold a thread of the library's own pool for up to its timeout × retries, and the
    interpreter joins such threads at exit (``concurrent.futures`` joins its workers even when
    they are daemons), which would hold the exit — and turn a second Ctrl-C into a
    ``threading._shutdown`` traceback. Nothing is lost: the results are printed and flushed;
    a write cut off this way (Ctrl-C during ``buy``, ``sell`` or ``withdraw``) has been
    reported with what to check, and a purchase was claimed in the library's write journal
    before it was sent, so the next ``buy`` with its custom id looks it up instead of paying
    again (with the default, shared store).
    Called with ``argv`` (tests, other programs) it only returns.
    """
    try:
        code = _main(
            argv,
            sys.stdout if stdout is None else stdout,
            sys.stderr if stderr is None else stderr,
            stdin,
            time.monotonic if clock is None else clock,
        )
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr if stderr is None else stderr)
        code = EXIT_INTERRUPTED
    if argv is None:
        _end_process(code)
    return code

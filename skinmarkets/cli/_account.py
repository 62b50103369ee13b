"""``balance``, ``trades``, ``withdraw`` and ``vendors``: one call per market (all at once), or
per vendor."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping
from typing import Any

from skinmarkets import _plugins
from skinmarkets._seconds import Seconds
from skinmarkets.cli._gather import Gathered, gather
from skinmarkets.cli._json import envelope
from skinmarkets.cli._markets import Session
from skinmarkets.cli._output import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    Output,
    amount_text,
    count_text,
    print_notes,
)
from skinmarkets.cli._table import render_table
from skinmarkets.errors import SkinMarketsError
from skinmarkets.protocol import Capabilities, Marketplace

__all__ = ["balance", "trades", "vendors", "withdraw"]


def vendors(args: argparse.Namespace, output: Output) -> int:
    """Every vendor id ``connect`` knows, with what each one can do.

    JSON result: a list of ``{"vendor", "capabilities"}``; a vendor that cannot be loaded has
    ``capabilities: null`` and its problem in ``failures``.
    """
    found: list[tuple[str, Capabilities | None]] = []
    problems: dict[str, str] = {}
    for vendor in _plugins.vendors():
        try:
            # The class attribute: listing capabilities needs no credentials and no connection.
            factory = _plugins.load(vendor, _plugins.targets()[vendor])
            capabilities = getattr(factory, "capabilities", None)
            if not isinstance(capabilities, Capabilities):
                capabilities = None
                problems[vendor] = "no capabilities given"
        except SkinMarketsError as exc:
            capabilities, problems[vendor] = None, str(exc)
        found.append((vendor, capabilities))
    if output.json:
        result = [{"vendor": vendor, "capabilities": c} for vendor, c in found]
        output.result(envelope(result, problems, {}))
        return EXIT_OK

    def yes(flag: bool) -> str:
        return "yes" if flag else "no"

    headers = [
        "VENDOR",
        "PRICE LIST",
        "LOOKUP",
        "MAX PRICE",
        "IDEMPOTENT",
        "SELLER",
        "DELIVERY",
        "CURRENCIES",
        "REQ/S",
    ]
    rows = [
        [
            vendor,
            yes(c.price_list),
            yes(c.purchase_lookup),
            yes(c.server_side_max_price),
            yes(c.idempotent_buy),
            yes(c.seller),
            c.delivery,
            ",".join(sorted(c.currencies)),
            f"{c.requests_per_second:.2f}".rstrip("0").rstrip("."),
        ]
        if c is not None
        else [vendor, f"unavailable: {problems[vendor]}", *[""] * (len(headers) - 2)]
        for vendor, c in found
    ]
    output.result(render_table(headers, rows, right=frozenset({8}), width=output.width))
    return EXIT_OK


def _per_market(
    output: Output,
    session: Session,
    call: Callable[[Marketplace], Any],
    limit: Seconds | None,
) -> Gathered[Any]:
    """``call`` on every market at once; one market's error is reported, not fatal."""
    calls = {name: (lambda m=market: call(m)) for name, market in session.markets.items()}
    return gather(calls, output, limit=limit)


def _ordered(answers: Mapping[str, Any], session: Session) -> dict[str, Any]:
    """Answers in the session's market order, not the order they arrived in."""
    return {name: answers[name] for name in session.markets if name in answers}


def balance(args: argparse.Namespace, output: Output, session: Session) -> int:
    """The balance on every market.

    JSON result: ``{market: {"market", "available", "withdrawable"}}``.
    """
    gathered = _per_market(output, session, lambda market: market.balance(), args.timeout)
    answers = _ordered(gathered.answers, session)
    if output.json:
        output.result(envelope(answers, gathered.failures, session.skipped))
        return gathered.exit_code(output)
    rows = [
        [
            key,
            amount_text(b.available),
            amount_text(b.withdrawable),
            b.available.currency if b.available is not None else "-",
        ]
        for key, b in answers.items()
    ]
    if rows:
        output.result(
            render_table(
                ["MARKET", "AVAILABLE", "WITHDRAWABLE", "CURRENCY"],
                rows,
                right=frozenset({1, 2}),
                width=output.width,
            )
        )
    print_notes(output, gathered.failures, session.skipped)
    return gathered.exit_code(output)


def _trade_table(output: Output, answers: Mapping[str, Any]) -> str | None:
    """The trades of every market as one table; None when there are none."""
    rows = [
        [
            key,
            t.id,
            t.status.name,
            t.direction.name,
            t.offer_id or "-",
            str(len(t.items)),
            "-" if t.created_at is None else t.created_at.strftime("%Y-%m-%d %H:%M"),
            t.secret or "-",
        ]
        for key, found in answers.items()
        for t in found
    ]
    if not rows:
        return None
    headers = ["MARKET", "TRADE", "STATUS", "DIRECTION", "OFFER", "ITEMS", "CREATED UTC", "CODE"]
    return render_table(headers, rows, right=frozenset({5}), width=output.width)


def trades(args: argparse.Namespace, output: Output, session: Session) -> int:
    """The Steam offers waiting on the user on every market.

    JSON result: ``{market: [trade, ...]}``.
    """
    gathered = _per_market(output, session, lambda market: market.active_trades(), args.timeout)
    answers = _ordered(gathered.answers, session)
    if output.json:
        output.result(envelope(answers, gathered.failures, session.skipped))
        return gathered.exit_code(output)
    table = _trade_table(output, answers)
    if table is not None:
        output.result(table)
    elif not gathered.failures and not gathered.interrupted:
        output.result(f"no active trades on {count_text(session.markets)}")
    print_notes(output, gathered.failures, session.skipped)
    return gathered.exit_code(output)


def withdraw(args: argparse.Namespace, output: Output, session: Session) -> int:
    """Ask every market (or ``--market``) to send the items it holds to the user's Steam.

    A write of the library's one write path (sent once, never retried); it moves items, not
    money, so it is not confirmed. Markets that deliver at purchase time (SkinsBack) send
    nothing and list the deliveries under way. JSON result: ``{market: [trade, ...]}``; an
    empty list: nothing to withdraw there.
    """
    gathered = _per_market(output, session, lambda market: market.withdraw(), None)
    answers = _ordered(gathered.answers, session)
    if output.json:
        output.result(envelope(answers, gathered.failures, session.skipped))
    else:
        table = _trade_table(output, answers)
        if table is not None:
            output.result(table)
            output.note("accept the offers in Steam; the CODE column is the one the offer shows")
        elif not gathered.failures and not gathered.interrupted:
            output.result(f"nothing to withdraw on {count_text(session.markets)}")
        print_notes(output, gathered.failures, session.skipped)
    if gathered.interrupted:
        output.note("interrupted: a withdrawal may have been asked for; see: skinmarkets trades")
        return EXIT_INTERRUPTED
    return EXIT_FAILED if gathered.failures else EXIT_OK

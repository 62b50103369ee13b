"""``balance``, ``trades`` and ``vendors``: one call per market, or per registered vendor."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping
from typing import Any

from skinmarkets import registry
from skinmarkets.cli._json import dumps
from skinmarkets.cli._markets import Session
from skinmarkets.cli._output import (
    EXIT_FAILED,
    EXIT_OK,
    Output,
    amount_text,
    count_text,
    print_notes,
)
from skinmarkets.cli._table import render_table
from skinmarkets.errors import SkinMarketsError
from skinmarkets.protocol import Capabilities, Marketplace

__all__ = ["balance", "trades", "vendors"]


def vendors(args: argparse.Namespace, output: Output) -> int:
    """Every vendor id ``connect`` knows, with what each one can do."""
    found: list[tuple[str, Capabilities | None, str | None]] = []
    for vendor in registry.vendors():
        try:
            # The class attribute: listing capabilities needs no credentials and no connection.
            factory = registry._load(vendor, registry._targets()[vendor])
            capabilities = getattr(factory, "capabilities", None)
            problem = None if isinstance(capabilities, Capabilities) else "no capabilities given"
        except SkinMarketsError as exc:
            capabilities, problem = None, str(exc)
        found.append(
            (vendor, capabilities if isinstance(capabilities, Capabilities) else None, problem)
        )
    if output.json:
        output.result(
            dumps(
                [
                    {"vendor": vendor, "capabilities": capabilities, "error": problem}
                    for vendor, capabilities, problem in found
                ]
            )
        )
        return EXIT_OK

    def yes(flag: bool) -> str:
        return "yes" if flag else "no"

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
            f"{c.requests_per_second:g}",
        ]
        if c is not None
        else [vendor, f"unavailable: {problem}"]
        for vendor, c, problem in found
    ]
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
    rows = [row + [""] * (len(headers) - len(row)) for row in rows]
    output.result(render_table(headers, rows, right=frozenset({8})))
    return EXIT_OK


def _per_market(
    markets: Mapping[str, Marketplace], call: Callable[[Marketplace], Any]
) -> tuple[dict[str, Any], dict[str, str]]:
    """``call`` on every market; one market's error is reported, not fatal to the others."""
    answers: dict[str, Any] = {}
    failures: dict[str, str] = {}
    for key, market in markets.items():
        try:
            answers[key] = call(market)
        except SkinMarketsError as exc:
            failures[key] = str(exc)
    return answers, failures


def balance(args: argparse.Namespace, output: Output, session: Session) -> int:
    """The balance on every market."""
    answers, failures = _per_market(session.markets, lambda market: market.balance())
    if output.json:
        output.result(dumps({"balances": answers, "failures": failures}))
    else:
        rows = [
            [key, amount_text(b.available), amount_text(b.withdrawable), b.available.currency]
            for key, b in sorted(answers.items())
        ]
        if rows:
            output.result(
                render_table(
                    ["MARKET", "AVAILABLE", "WITHDRAWABLE", "CURRENCY"],
                    rows,
                    right=frozenset({1, 2}),
                )
            )
        print_notes(output, failures, {})
    return EXIT_FAILED if failures else EXIT_OK


def trades(args: argparse.Namespace, output: Output, session: Session) -> int:
    """The Steam offers waiting on the user on every market."""
    answers, failures = _per_market(session.markets, lambda market: market.active_trades())
    if output.json:
        output.result(dumps({"trades": answers, "failures": failures}))
    else:
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
            for key, found in sorted(answers.items())
            for t in found
        ]
        if rows:
            output.result(
                render_table(
                    [
                        "MARKET",
                        "TRADE",
                        "STATUS",
                        "DIRECTION",
                        "OFFER",
                        "ITEMS",
                        "CREATED UTC",
                        "CODE",
                    ],
                    rows,
                    right=frozenset({5}),
                )
            )
        elif not failures:
            output.result(f"no active trades on {count_text(session.markets)}")
        print_notes(output, failures, {})
    return EXIT_FAILED if failures else EXIT_OK

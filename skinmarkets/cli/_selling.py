"""``inventory`` and ``sell``: the user's own items on the markets that sell (``Seller``).

A market sells when its adapter implements :class:`skinmarkets.Seller` and its capabilities say
so (``skinmarkets vendors``, column SELLER); the others are skipped by ``inventory`` and
refused by ``sell`` (exit 2).

``sell ASSET_ID --market M --price P`` reads the market's inventory first (``my_inventory``),
so the confirmation names the item and the market's suggested price, and an asset that is not
there is "not found" (exit 1) before anything is sent. ``--price`` is an amount in the item's
currency (``9.00``, or ``9.00EUR``: see ``_confirm``). The listing is created by the market's
own ``sell`` (the library's one write path: sent once, never retried). Outcomes in the JSON
``result`` (``{"outcome", "market", "asset_id", "listing"}``): ``listed`` 0; ``declined`` 1;
``failed`` 1; ``unknown`` 1 (the answer did not settle it: ``skinmarkets inventory`` shows
whether the item is on sale before selling again); ``interrupted`` 130.
"""

from __future__ import annotations

import argparse
from typing import Any

import attrs

from skinmarkets.cli._confirm import confirm, require_answerable
from skinmarkets.cli._gather import gather
from skinmarkets.cli._json import envelope
from skinmarkets.cli._markets import Session
from skinmarkets.cli._one_market import Interrupted, ask_one, one_market
from skinmarkets.cli._output import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    Output,
    UsageError,
    amount_text,
    count_text,
    print_notes,
)
from skinmarkets.cli._table import render_table
from skinmarkets.errors import ConfigurationError, OutcomeUnknown
from skinmarkets.models import Listing
from skinmarkets.protocol import Marketplace, Seller

__all__ = ["inventory", "is_seller", "sell"]


def is_seller(market: Marketplace) -> bool:
    """Whether ``market`` has a selling side (the protocol and its capabilities agree)."""
    return isinstance(market, Seller) and bool(getattr(market.capabilities, "seller", False))


def _not_a_seller(market: Marketplace) -> str:
    return f"{market.vendor} has no selling side in skinmarkets (see: skinmarkets vendors)"


def _own_items(market: Any) -> dict[str, list[Listing]]:
    return {"inventory": market.my_inventory(), "on_sale": market.my_listings()}


def inventory(args: argparse.Namespace, output: Output, session: Session) -> int:
    """The user's items on every market that sells: in the inventory, and on sale.

    JSON result: ``{market: {"inventory": [listing, ...], "on_sale": [listing, ...]}}``;
    markets without a selling side are in ``skipped``.
    """
    skipped = dict(session.skipped)
    calls = {}
    for key, market in session.markets.items():
        if is_seller(market):
            calls[key] = lambda m=market: _own_items(m)
        else:
            skipped[key] = _not_a_seller(market)
    gathered = gather(calls, output, limit=args.timeout)
    answers = {k: gathered.answers[k] for k in session.markets if k in gathered.answers}
    if output.json:
        output.result(envelope(answers, gathered.failures, skipped))
    else:
        rows = [
            [
                key,
                where.replace("_", " "),
                item.asset_id or "-",
                item.id if where == "on_sale" else "-",
                item.market_hash_name or "-",
                amount_text(item.price),
                item.price.currency,
            ]
            for key, found in answers.items()
            for where in ("inventory", "on_sale")
            for item in found[where]
        ]
        if rows:
            headers = ["MARKET", "WHERE", "ASSET", "LISTING", "ITEM", "PRICE", "CURRENCY"]
            output.result(
                render_table(headers, rows, right=frozenset({5}), width=output.width, shrink=4)
            )
        elif calls and not gathered.failures and not gathered.interrupted:
            output.result(f"no items on {count_text(calls)}")
        print_notes(output, gathered.failures, skipped)
    if not calls:
        output.note("no market here sells (see: skinmarkets vendors)")
        return EXIT_FAILED
    return gathered.exit_code(output)


def _report(
    args: argparse.Namespace,
    output: Output,
    key: str,
    outcome: str,
    code: int,
    *,
    listing: Listing | None = None,
    problem: str | None = None,
) -> int:
    failures = {} if problem is None else {key: problem}
    if output.json:
        result = {"outcome": outcome, "market": key, "asset_id": args.asset_id, "listing": listing}
        output.result(envelope(result, failures, {}))
    elif listing is not None:
        row = [
            key,
            listing.id,
            listing.asset_id or args.asset_id,
            listing.market_hash_name or "-",
            amount_text(listing.price),
            listing.price.currency,
        ]
        headers = ["MARKET", "LISTING", "ASSET", "ITEM", "PRICE", "CURRENCY"]
        output.result(
            render_table(headers, [row], right=frozenset({4}), width=output.width, shrink=3)
        )
    if problem is not None:
        output.note(f"error: {problem}")
    if outcome in ("unknown", "interrupted"):
        output.note(
            f"the item may or may not have been put on sale: check with `skinmarkets inventory "
            f"--market {key}` (on sale, or still in the inventory) before selling it again"
        )
    return code


def sell(args: argparse.Namespace, output: Output, session: Session) -> int:
    """Put item ``ASSET_ID`` on sale on ``--market`` at ``--price`` (see the module docstring)."""
    require_answerable(output, yes=args.yes, command="sell")
    key, market = one_market(session, "sell")
    if not is_seller(market):
        raise UsageError(f"cannot sell on {key}: {_not_a_seller(market)}")
    seller: Any = market
    try:
        found = ask_one(output, key, seller.my_inventory, what=" inventory", limit=args.timeout)
    except Interrupted:
        output.note("interrupted: nothing was put on sale")
        return EXIT_INTERRUPTED
    if found.error is not None:
        return _report(args, output, key, "failed", EXIT_FAILED, problem=str(found.error))
    item = next((i for i in found.answer if args.asset_id in (i.asset_id, i.id)), None)
    if item is None:
        return _report(
            args,
            output,
            key,
            "failed",
            EXIT_FAILED,
            problem=(
                f"{key}: no item {args.asset_id} in the inventory you can sell from "
                f"({len(found.answer)} items there); see: skinmarkets inventory --market {key}"
            ),
        )
    price = args.price.money(item.price.currency, "--price")
    output.note(
        f"sell on {key}{' (sandbox)' if session.sandbox else ''}:\n"
        f"  item       {item.market_hash_name}\n"
        f"  asset      {item.asset_id or args.asset_id}\n"
        f"  price      {price.amount} {price.currency}"
        f" (the market suggests {item.price.amount} {item.price.currency})"
    )
    if not confirm(output, "Put it on sale?", yes=args.yes):
        output.note("not put on sale")
        return _report(args, output, key, "declined", EXIT_FAILED)
    try:
        done = ask_one(
            output, key, lambda: seller.sell(item.asset_id or args.asset_id, price), what=" sell"
        )
    except Interrupted:
        return _report(args, output, key, "interrupted", EXIT_INTERRUPTED)
    if isinstance(done.error, OutcomeUnknown):
        return _report(args, output, key, "unknown", EXIT_FAILED, problem=str(done.error))
    if done.error is not None:
        code = EXIT_USAGE if isinstance(done.error, ConfigurationError) else EXIT_FAILED
        return _report(args, output, key, "failed", code, problem=str(done.error))
    listing: Listing = done.answer
    if not listing.market_hash_name:  # some vendors' answers do not name the item
        listing = _named(listing, item.market_hash_name)
    return _report(args, output, key, "listed", EXIT_OK, listing=listing)


def _named(listing: Listing, name: str) -> Listing:
    return attrs.evolve(listing, market_hash_name=name)

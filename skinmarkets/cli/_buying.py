"""``listings`` and ``buy``: live offers for one item, and buying one of them, safely.

How ``buy LISTING_ID --name NAME`` finds its listing: a market's ``buy`` needs the whole
``Listing`` the market returned (its price to cap against, and vendor details kept in ``raw``),
not only an id, and no vendor looks a listing up by id alone. So the command reads the offers
for ``--name`` again (``list_for_sale(NAME, limit=200)``, as ``listings`` shows them) and buys
the one whose id is ``LISTING_ID``: the price shown and capped is the listing's price now, and a
listing that was sold meanwhile is "not found" (exit 1), never a guess.

The purchase goes through the market's own ``buy`` (the library's one write path): sent at most
once, never retried, never above ``--max-price`` (the vendor's cap where it takes one, else a
fresh read of the price right before paying). The ``custom_id`` is ``--custom-id`` or a new
uuid4, shown before anything is sent; with ``--custom-id`` on a market that can look purchases
up, a purchase already made under it is shown and nothing is bought (exit 0).

Outcomes, in the JSON ``result`` (``{"outcome", "custom_id", "market", "purchase"}``) and exit
codes: ``bought`` / ``already_bought`` 0; ``declined`` (the prompt answered no) 1, nothing sent;
``failed`` (the market refused: funds, sold, price) 1; ``unknown`` 1 — the request may have
reached the market and no answer settled it (``OutcomeUnknown``): run the same command again
with ``--custom-id`` and the id printed — the library never sends a known custom id twice, it
looks the purchase up instead; Ctrl-C while buying 130, with the same advice.
"""

from __future__ import annotations

import argparse
import uuid

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
    amount_text,
    count_text,
    print_notes,
)
from skinmarkets.cli._paper import shell_quote
from skinmarkets.cli._table import render_table
from skinmarkets.errors import (
    ConfigurationError,
    ItemUnavailable,
    OutcomeUnknown,
)
from skinmarkets.models import Listing, Purchase
from skinmarkets.protocol import Marketplace, PurchaseLookup

__all__ = ["SEARCH_DEPTH", "buy", "listings"]

#: How many of the cheapest offers ``buy`` reads to find its listing.
SEARCH_DEPTH = 200


def _origin_flags(args: argparse.Namespace, session: Session) -> str:
    """The options that chose this session's markets, for a command we suggest: run without
    them, it would ask other markets (the default config's, or the default paper state)."""
    if session.sandbox:
        state = args.sandbox_state
        return " --sandbox" + (f" --sandbox-state {shell_quote(state)}" if state else "")
    return f" --config {shell_quote(args.config)}" if args.config else ""


# ---------------------------------------------------------------------- listings


def listings(args: argparse.Namespace, output: Output, session: Session) -> int:
    """Live offers for one item name on every market, each market's cheapest first.

    JSON result: ``{market: [listing, ...]}`` (listings without their vendor ``raw``).
    """
    name: str = args.name
    calls = {
        key: (lambda m=market: m.list_for_sale(name, limit=args.limit))
        for key, market in session.markets.items()
    }
    gathered = gather(calls, output, limit=args.timeout)
    answers = {k: gathered.answers[k] for k in session.markets if k in gathered.answers}
    if output.json:
        output.result(envelope(answers, gathered.failures, session.skipped))
    else:
        rows = [
            [
                key,
                listing.id,
                amount_text(listing.price),
                listing.price.currency,
                "-" if listing.float_value is None else format(listing.float_value, "f"),
                listing.phase or "-",
                str(listing.quantity),
            ]
            for key, found in answers.items()
            for listing in found
        ]
        if rows:
            headers = ["MARKET", "LISTING", "PRICE", "CURRENCY", "FLOAT", "PHASE", "QTY"]
            output.result(render_table(headers, rows, right=frozenset({2, 6}), width=output.width))
            first_key, first = rows[0][0], rows[0]
            output.note(
                f"to buy one: skinmarkets{_origin_flags(args, session)} buy {first[1]} --market "
                f"{first_key} --name {shell_quote(name)} --max-price {first[2]}"
            )
        elif not gathered.failures and not gathered.interrupted:
            output.result(f"no offers for {name} on {count_text(session.markets)}")
        print_notes(output, gathered.failures, session.skipped)
    return gathered.exit_code(output)


# ---------------------------------------------------------------------- buy


def _lookup(market: Marketplace, custom_id: str) -> Purchase | None:
    """The purchase made under ``custom_id``, or None when the market knows none."""
    assert isinstance(market, PurchaseLookup)
    try:
        return market.get_purchase(custom_id)
    except ItemUnavailable:
        return None


def _find(market: Marketplace, name: str, listing_id: str) -> Listing | None:
    found = market.list_for_sale(name, limit=SEARCH_DEPTH)
    return next((listing for listing in found if listing.id == listing_id), None)


def _remembered(market: Marketplace, listing_id: str) -> Listing | None:
    """The listing of a purchase under way, done or unclear, as the library's write journal
    keeps it: once bought, the listing is gone from the market, but a rerun with its custom id
    must still reach ``buy``, which returns the purchase or looks it up (never sends again)."""
    journal = getattr(market, "_journal", None)  # every built-in adapter keeps one
    if journal is None:
        return None
    try:
        listing: Listing | None = journal.listing_of(listing_id)
    except Exception:  # a store that fails to read: the listing is simply not known
        return None
    return listing


def _purchase_table(output: Output, key: str, purchase: Purchase) -> str:
    row = [
        key,
        purchase.id,
        purchase.market_hash_name,
        amount_text(purchase.price),
        purchase.price.currency,
        purchase.status.name,
        purchase.custom_id or "-",
    ]
    headers = ["MARKET", "PURCHASE", "ITEM", "PRICE", "CURRENCY", "STATUS", "CUSTOM ID"]
    return render_table(headers, [row], right=frozenset({3}), width=output.width, shrink=2)


@attrs.frozen
class _Buy:
    """What ``buy`` knows so far, for its report."""

    key: str
    custom_id: str
    rerun: str  # the command to run again to settle an unknown outcome

    def report(
        self,
        output: Output,
        outcome: str,
        code: int,
        *,
        purchase: Purchase | None = None,
        problem: str | None = None,
    ) -> int:
        failures = {} if problem is None else {self.key: problem}
        if output.json:
            result = {
                "outcome": outcome,
                "market": self.key,
                "custom_id": self.custom_id,
                "purchase": purchase,
            }
            output.result(envelope(result, failures, {}))
        elif purchase is not None:
            output.result(_purchase_table(output, self.key, purchase))
        if problem is not None:
            output.note(f"error: {problem}")
        if outcome in ("unknown", "interrupted"):
            output.note(
                f"the purchase may or may not have been made (custom id {self.custom_id}). "
                f"Do not buy again under a new id: run\n    {self.rerun}\nto find out — "
                "skinmarkets never sends a known custom id twice, it looks the purchase up."
            )
        return code


def _rerun(args: argparse.Namespace, session: Session, key: str, custom_id: str) -> str:
    return (
        f"skinmarkets{_origin_flags(args, session)} buy {shell_quote(args.listing_id)} "
        f"--market {shell_quote(key)} --name {shell_quote(args.name)} "
        f"--max-price {shell_quote(args.max_price.text)} --custom-id {custom_id}"
    )


def buy(args: argparse.Namespace, output: Output, session: Session) -> int:
    """Buy listing ``LISTING_ID`` of item ``--name`` on ``--market``, never above ``--max-price``.

    See the module docstring for how the listing is found and what each outcome means.
    """
    require_answerable(output, yes=args.yes, command="buy")
    key, market = one_market(session, "buy")
    custom_id: str = args.custom_id or uuid.uuid4().hex
    report = _Buy(key, custom_id, _rerun(args, session, key, custom_id))
    try:
        if (
            args.custom_id
            and isinstance(market, PurchaseLookup)
            and market.capabilities.purchase_lookup
        ):
            known = ask_one(
                output, key, lambda: _lookup(market, custom_id), what=" lookup", limit=args.timeout
            )
            if known.error is not None:
                return report.report(output, "failed", EXIT_FAILED, problem=str(known.error))
            if known.answer is not None:
                return _already_bought(args, output, report, known.answer)
        found = ask_one(
            output,
            key,
            lambda: _find(market, args.name, args.listing_id),
            what=" listings",
            limit=args.timeout,
        )
    except Interrupted:
        output.note("interrupted: nothing was bought")
        return EXIT_INTERRUPTED
    if found.error is not None:
        return report.report(output, "failed", EXIT_FAILED, problem=str(found.error))
    listing: Listing | None = found.answer
    if listing is None and args.custom_id:
        listing = _remembered(market, args.listing_id)
        if listing is not None:
            output.note(
                f"{key}: listing {listing.id} is no longer offered, but a purchase of it is on "
                f"record in this store: under the custom id it was sent with, buy looks it up "
                "and never sends it again"
            )
    if listing is None:
        return report.report(
            output,
            "failed",
            EXIT_FAILED,
            problem=(
                f"{key}: no listing {args.listing_id} among the {SEARCH_DEPTH} cheapest offers "
                f"of {args.name!r}: it may have been sold or delisted; see: skinmarkets"
                f"{_origin_flags(args, session)} listings {shell_quote(args.name)} --market {key}"
            ),
        )
    cap = args.max_price.money(listing.price.currency, "--max-price")
    if listing.price > cap:
        return report.report(
            output,
            "failed",
            EXIT_FAILED,
            problem=(
                f"{key}: listing {listing.id} costs {listing.price.amount} "
                f"{listing.price.currency}, more than --max-price {cap.amount} {cap.currency}: "
                "nothing was bought"
            ),
        )
    output.note(
        f"buy on {key}{' (sandbox)' if session.sandbox else ''}:\n"
        f"  item       {listing.market_hash_name}\n"
        f"  listing    {listing.id}\n"
        f"  price      {listing.price.amount} {listing.price.currency}"
        f" (never more than {cap.amount} {cap.currency})\n"
        f"  custom id  {custom_id}"
    )
    if not confirm(output, "Buy it?", yes=args.yes):
        output.note("not bought")
        return report.report(output, "declined", EXIT_FAILED)
    try:
        done = ask_one(
            output,
            key,
            lambda: market.buy(listing, max_price=cap, custom_id=custom_id),
            what=" buy",
        )
    except Interrupted:
        return report.report(output, "interrupted", EXIT_INTERRUPTED)
    if isinstance(done.error, OutcomeUnknown):
        return report.report(output, "unknown", EXIT_FAILED, problem=str(done.error))
    if done.error is not None:
        code = EXIT_USAGE if isinstance(done.error, ConfigurationError) else EXIT_FAILED
        return report.report(output, "failed", code, problem=str(done.error))
    return report.report(output, "bought", EXIT_OK, purchase=done.answer)


def _already_bought(
    args: argparse.Namespace, output: Output, report: _Buy, purchase: Purchase
) -> int:
    if purchase.market_hash_name != args.name:
        return report.report(
            output,
            "failed",
            EXIT_FAILED,
            problem=(
                f"{report.key}: custom id {report.custom_id} already names a purchase of "
                f"{purchase.market_hash_name!r} (purchase {purchase.id}); choose another "
                "--custom-id for a new purchase"
            ),
        )
    output.note(f"already bought under custom id {report.custom_id}: nothing was sent again")
    return report.report(output, "already_bought", EXIT_OK, purchase=purchase)

"""``compare`` and ``arbitrage``: price lists from every market, side by side.

Each market is compared on its own (``sm.compare`` of that one market, all of them at once, see
``_gather``), so each one's progress shows as it finishes and Ctrl-C or ``--timeout`` keeps
what had arrived; the answers are merged into one ``Comparison`` (``arbitrage`` reads it as
given). Each market gets its own :class:`_NotedRates`, which tells the CLI which markets'
prices were converted (only those are rounded to the currency's minor unit) and which rate was
missing (a configuration error, exit code 2, said in the config file's terms).
"""

from __future__ import annotations

import argparse
import difflib
import functools
import importlib
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs

from skinmarkets._seconds import Seconds
from skinmarkets.cli._gather import Gathered, gather
from skinmarkets.cli._json import envelope
from skinmarkets.cli._markets import Session
from skinmarkets.cli._output import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    Output,
    age_text,
    amount_text,
    in_minor_units,
    percent_text,
    print_notes,
    rounded_ratio,
)
from skinmarkets.cli._table import render_table
from skinmarkets.money import Money, Rates
from skinmarkets.protocol import PriceSource

__all__ = ["arbitrage", "compare", "parse_min_profit"]

_SUGGEST_FUZZY = 20  # not-listed names given a close-match search (each costs a pass)


def parse_min_profit(text: str) -> Decimal:
    """``"5%"`` or ``"0.05"`` -> ``Decimal("0.05")``: the least profit, as a share of the price."""
    cleaned = text.strip()
    percent = cleaned.endswith("%")
    try:
        value = Decimal(cleaned.removesuffix("%").strip())
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or value < 0:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a profit share: write a percentage like 5% or a fraction like 0.05"
        )
    if percent:
        return value / 100
    if value >= 1:
        raise argparse.ArgumentTypeError(
            f"{text!r} is ambiguous: write {value}% for {value} percent, "
            f"or a fraction below 1 like 0.05"
        )
    return value


class _NotedRates(Rates):
    """Rates that note, for one market, the currencies converted from and the rates missing."""

    __slots__ = ("converted", "missing")

    converted: set[str]
    missing: set[str]

    def __init__(self, rates: Rates | None, target: str) -> None:
        super().__init__(
            {} if rates is None else dict(rates.rates),
            base=target if rates is None else rates.base,
        )
        object.__setattr__(self, "converted", set())  # attrs classes are frozen
        object.__setattr__(self, "missing", set())

    def rate(self, frm: str, to: str) -> Decimal:
        try:
            found = super().rate(frm, to)
        except ValueError:
            self.missing.update(code.upper() for code in (frm, to) if code not in self)
            raise
        self.converted.add(frm.upper())
        return found


@attrs.frozen
class _Prices:
    """Every market's quotes merged, with what the CLI learnt while asking."""

    table: Any  # skinmarkets.compare.Comparison
    converted: frozenset[str]  # markets whose prices were converted
    missing: Mapping[str, frozenset[str]]  # market -> currencies without a rate
    interrupted: bool
    answered: tuple[str, ...]


def _library() -> Any:
    return importlib.import_module("skinmarkets.compare")


def _failed(comparison: Any) -> str | None:
    return next(iter(comparison.failures.values()), None)


def _fetch(
    output: Output,
    session: Session,
    names: Sequence[str] | None,
    limit: Seconds | None,
) -> _Prices:
    """Each market's quotes, asked at once, merged in the session's market order."""
    library = _library()
    noted = {market: _NotedRates(session.rates, session.currency) for market in session.markets}
    calls: dict[str, Callable[[], Any]] = {
        name: functools.partial(
            library.compare,
            {name: market},
            None if names is None else list(names),
            currency=session.currency,
            rates=noted[name],
        )
        for name, market in session.markets.items()
    }
    gathered: Gathered[Any] = gather(calls, output, limit=limit, failed=_failed)
    failures: dict[str, str] = dict(gathered.failures)
    skipped: dict[str, str] = {}
    rows: dict[str, dict[str, Any]] = {}
    answered: list[str] = []
    for name in session.markets:  # the session's order, not the order they finished in
        comparison = gathered.answers.get(name)
        if comparison is None:
            continue
        failures.update(comparison.failures)
        skipped.update(comparison.skipped)
        if name not in comparison.failures and name not in comparison.skipped:
            answered.append(name)
        for item, quotes in comparison.rows.items():
            rows.setdefault(item, {}).update(quotes)
    missing = {n: frozenset(r.missing) for n, r in noted.items() if r.missing and n in failures}
    for name, codes in missing.items():
        failures[name] = f"no exchange rate for {', '.join(sorted(codes))}"
    not_listed = () if names is None or not answered else tuple(n for n in names if n not in rows)
    table = library.Comparison(
        currency=session.currency,
        rows={item: rows[item] for item in sorted(rows)},
        failures=failures,
        skipped=skipped,
        not_listed=not_listed,
    )
    return _Prices(
        table=table,
        converted=frozenset(n for n, r in noted.items() if r.converted),
        missing=missing,
        interrupted=gathered.interrupted,
        answered=tuple(answered),
    )


def _shown(money: Money | None, converted: bool) -> Money | None:
    """A price as shown: rounded to the minor unit when it was converted, else as sent."""
    return in_minor_units(money) if money is not None and converted else money


def _skip_reasons(skipped: Mapping[str, str], session: Session) -> dict[str, str]:
    """Skip reasons for the command line (the library's speak of ``names=[...]``)."""
    reasons = dict(session.skipped)
    for market, reason in skipped.items():
        reasons[market] = reason.replace(
            "pass names=[...]", "name the items (NAME..., @FILE or --file) to include it"
        )
    return reasons


def _rate_error(prices: _Prices, session: Session) -> str | None:
    """The configuration error a missing rate is, said in the config file's terms."""
    codes = sorted({code for found in prices.missing.values() for code in found})
    if not codes:
        return None
    if session.sandbox:
        known = ", ".join(sorted((session.rates or Rates({})).currencies))
        return (
            f"no exchange rate for {', '.join(codes)}: the sandbox converts between {known} "
            "only; pass --currency with one of them"
        )
    base = session.rates.base if session.rates is not None else "USD"
    where = str(session.config_path) if session.config_path else "the config file"
    lines = ", ".join(f'{code} = "…"' for code in codes if code != base)
    return (
        f"no exchange rate for {', '.join(codes)}: add {lines} (how many of each one {base} "
        f'buys) to the [rates] table of {where} (with base = "{base}")'
    )


def _finish(output: Output, prices: _Prices, session: Session, failures: Mapping[str, str]) -> int:
    """The exit code, after the error line of a missing rate (if any)."""
    if prices.interrupted:
        output.note("interrupted: showing what had arrived")
        return EXIT_INTERRUPTED
    problem = _rate_error(prices, session)
    if problem:
        output.note(f"error: {problem}")
        return EXIT_USAGE
    return EXIT_FAILED if failures else EXIT_OK


def _doubtful(session: Session, prices: _Prices, names: Sequence[str]) -> list[str]:
    """Names that may be misspelt: listed by no market, or only by markets that price names
    one by one (Mannco finds a name in any case, a whole price list only as it is spelt)."""
    table = prices.table
    return [
        name
        for name in names
        if name not in table.rows
        or not any(
            market in session.markets and session.markets[market].capabilities.price_list
            for market in table.rows[name]
        )
    ]


def _suggestions(
    output: Output,
    session: Session,
    prices: _Prices,
    names: Sequence[str],
    limit: Seconds | None,
) -> dict[str, str] | None:
    """For each doubtful name (:func:`_doubtful`), the closest name one market's whole list
    has; None when Ctrl-C stopped the reading.

    The list is read only when a name is doubtful, from the first market that answered and
    publishes a whole list: a case-insensitive match first, then a close match (difflib) for
    the first few names.
    """
    wanted = _doubtful(session, prices, names)
    if not wanted or prices.interrupted:
        return {}
    source = next(
        (
            (name, market)
            for name, market in session.markets.items()
            if name in prices.answered
            and market.capabilities.price_list
            and isinstance(market, PriceSource)
        ),
        None,
    )
    if source is None:
        return {}
    name, market = source
    assert isinstance(market, PriceSource)
    listing = gather(
        {name: market.prices}, output, limit=limit, what=" (whole list, for suggestions)"
    )
    if listing.interrupted:
        return None
    if name not in listing.answers:
        return {}
    known = {q.market_hash_name.casefold(): q.market_hash_name for q in listing.answers[name]}
    found: dict[str, str] = {}
    fuzzy = 0
    for item in wanted:
        match = known.get(item.casefold())
        if match is None and fuzzy < _SUGGEST_FUZZY:
            fuzzy += 1
            close = difflib.get_close_matches(item.casefold(), list(known), n=1, cutoff=0.8)
            match = known[close[0]] if close else None
        if match is not None and match != item:
            found[item] = match
    return found


_QUOTE_FIELDS = ("market", "lowest_ask", "highest_bid", "quantity", "observed_at", "age")


def _quote_json(quote: Any, converted: bool) -> dict[str, Any]:
    data = {field: getattr(quote, field) for field in _QUOTE_FIELDS}
    data["lowest_ask"] = _shown(quote.lowest_ask, converted)
    data["highest_bid"] = _shown(quote.highest_bid, converted)
    return data


def _ask_order(quote: Any) -> tuple[bool, Decimal]:
    ask: Money | None = quote.lowest_ask
    return (ask is None, Decimal(0) if ask is None else ask.amount)


def compare(args: argparse.Namespace, output: Output, session: Session) -> int:
    """Each named item's best ask and bid on every market, in one currency.

    JSON result: ``{"currency", "rows": {item: {market: quote}}, "not_listed": [...],
    "suggestions": {name as given: name as listed}}``.
    """
    prices = _fetch(output, session, args.names, args.timeout)
    table = prices.table
    suggestions = _suggestions(output, session, prices, args.names, args.timeout)
    if suggestions is None:
        prices, suggestions = attrs.evolve(prices, interrupted=True), {}
    skipped = _skip_reasons(table.skipped, session)
    failures: Mapping[str, str] = table.failures
    if output.json:
        result = {
            "currency": table.currency,
            "rows": {
                item: {
                    market: _quote_json(quote, market in prices.converted)
                    for market, quote in quotes.items()
                }
                for item, quotes in table.rows.items()
            },
            "not_listed": list(table.not_listed),
            "suggestions": suggestions,
        }
        output.result(envelope(result, failures, skipped))
        return _finish(output, prices, session, failures)
    table_rows: list[list[str]] = []
    for item, quotes in table.rows.items():
        for index, quote in enumerate(sorted(quotes.values(), key=_ask_order)):
            converted = quote.market in prices.converted
            table_rows.append(
                [
                    item if index == 0 else "",
                    quote.market,
                    amount_text(_shown(quote.lowest_ask, converted)),
                    amount_text(_shown(quote.highest_bid, converted)),
                    "-" if quote.quantity is None else str(quote.quantity),
                    age_text(quote.age),
                ]
            )
    if table_rows:
        headers = ["ITEM", "MARKET", f"ASK {table.currency}", f"BID {table.currency}", "QTY", "AGE"]
        output.result(
            render_table(
                headers, table_rows, right=frozenset({2, 3, 4, 5}), width=output.width, shrink=0
            )
        )
    for item in table.not_listed:
        hint = f'; did you mean "{suggestions[item]}"?' if item in suggestions else ""
        output.result(f"not listed: {item}{hint}")
    for item, suggestion in suggestions.items():
        if item not in table.not_listed:
            markets = ", ".join(table.rows[item])
            output.result(
                f'did you mean "{suggestion}" for "{item}"? (only {markets} matched that spelling)'
            )
    print_notes(output, failures, skipped)
    return _finish(output, prices, session, failures)


def _opportunity_json(o: Any, converted: frozenset[str]) -> dict[str, Any]:
    bid = o.sell_kind == "bid"
    return {
        "market_hash_name": o.market_hash_name,
        "buy_market": o.buy_market,
        "buy_price": _shown(o.buy_price, o.buy_market in converted),
        "sell_market": o.sell_market,
        "sell_price": _shown(o.sell_price, not bid or o.sell_market in converted),
        "sell_kind": o.sell_kind,
        "profit": in_minor_units(o.profit),
        "profit_ratio": rounded_ratio(o.profit_ratio),
        "buy_hold_days": o.buy_hold_days,
        "sell_hold_days": o.sell_hold_days,
    }


_SELL_KINDS = {"bid": "bid", "undercut_ask": "undercut"}


def arbitrage(args: argparse.Namespace, output: Output, session: Session) -> int:
    """Items to buy on one market and sell on another at a profit, best first.

    JSON result: ``{"currency", "opportunities": [...] (at most --limit), "total",
    "answered": [markets whose prices were read], "not_listed": [...]}``.
    """
    names = args.names or None
    prices = _fetch(output, session, names, args.timeout)
    table = prices.table
    found: Sequence[Any] = _library().arbitrage(
        session.markets,
        currency=session.currency,
        rates=session.rates,
        min_profit=args.min_profit,
        names=names,
        comparison=table,
    )
    failures: Mapping[str, str] = table.failures
    skipped = _skip_reasons(table.skipped, session)
    answered = tuple(getattr(found, "answered", prices.answered))
    shown = [_opportunity_json(o, prices.converted) for o in list(found)[: args.limit]]
    if output.json:
        result = {
            "currency": table.currency,
            "opportunities": shown,
            "total": len(found),
            "answered": list(answered),
            "not_listed": list(table.not_listed),
        }
        output.result(envelope(result, failures, skipped))
        return _finish(output, prices, session, failures)
    if not shown:
        output.result(
            "no market answered, so nothing is known about opportunities"
            if not answered
            else f"no opportunity with at least {percent_text(args.min_profit)} profit "
            f"across {len(answered)} markets"
        )
    else:
        rows = [
            [
                o["market_hash_name"],
                o["buy_market"],
                amount_text(o["buy_price"]),
                o["sell_market"],
                amount_text(o["sell_price"]),
                _SELL_KINDS.get(o["sell_kind"], o["sell_kind"]),
                amount_text(o["profit"]),
                percent_text(o["profit_ratio"]),
                f"{o['buy_hold_days']}d/{o['sell_hold_days']}d",
            ]
            for o in shown
        ]
        currency = table.currency
        headers = [
            "ITEM",
            "BUY AT",
            f"BUY {currency}",
            "SELL AT",
            f"SELL {currency}",
            "AS",
            "PROFIT",
            "%",
            "HOLD",
        ]
        output.result(
            render_table(
                headers, rows, right=frozenset({2, 4, 6, 7, 8}), width=output.width, shrink=0
            )
        )
        if len(found) > len(shown):
            output.note(f"{len(found) - len(shown)} more not shown (raise --limit)")
    for item in table.not_listed:
        output.note(f"not listed: {item}")
    print_notes(output, failures, skipped)
    return _finish(output, prices, session, failures)

"""``compare`` and ``arbitrage``: price lists from every market, side by side."""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from skinmarkets.cli._json import dumps
from skinmarkets.cli._markets import Session
from skinmarkets.cli._output import (
    EXIT_FAILED,
    EXIT_OK,
    Output,
    age_text,
    amount_text,
    percent_text,
    print_notes,
)
from skinmarkets.cli._table import render_table
from skinmarkets.errors import ConfigurationError
from skinmarkets.money import Money
from skinmarkets.protocol import Marketplace

__all__ = ["arbitrage", "compare", "parse_min_profit"]


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


def _with_price_list(markets: Mapping[str, Marketplace]) -> int:
    return sum(1 for market in markets.values() if market.capabilities.price_list)


def _fetching(output: Output, markets: Mapping[str, Marketplace]) -> Callable[[], None]:
    count = _with_price_list(markets)
    return output.progress(f"fetching prices from {count} market{'s' * (count != 1)}…")


def _library_call(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call compare/arbitrage; a missing exchange rate is a configuration problem, not a crash."""
    try:
        return function(*args, **kwargs)
    except ValueError as exc:
        if "exchange rate" not in str(exc):
            raise
        raise ConfigurationError(
            f"{exc}. Add the missing rate to the [rates] table of the config file"
        ) from None


def _library(name: str) -> Any:
    return importlib.import_module(f"skinmarkets.{name}")


def compare(args: argparse.Namespace, output: Output, session: Session) -> int:
    """Each named item's best ask and bid on every market, in one currency."""
    clear = _fetching(output, session.markets)
    try:
        result = _library_call(
            _library("compare").compare,
            session.markets,
            list(args.names),
            currency=session.currency,
            rates=session.rates,
        )
    finally:
        clear()
    failures: Mapping[str, str] = result.failures
    if output.json:
        output.result(
            dumps(
                {
                    "currency": result.currency,
                    "rows": {
                        name: {
                            market: _fields(quote, _QUOTE_FIELDS)
                            for market, quote in quotes.items()
                        }
                        for name, quotes in result.rows.items()
                    },
                    "not_listed": list(result.not_listed),
                    "skipped": result.skipped,
                    "failures": failures,
                }
            )
        )
    else:
        table_rows: list[list[str]] = []
        for name in sorted(result.rows):
            quotes = sorted(result.rows[name].values(), key=_ask_order)
            for index, quote in enumerate(quotes):
                table_rows.append(
                    [
                        name if index == 0 else "",
                        quote.market,
                        amount_text(quote.lowest_ask),
                        amount_text(quote.highest_bid),
                        "-" if quote.quantity is None else str(quote.quantity),
                        age_text(quote.age),
                    ]
                )
        if table_rows:
            headers = [
                "ITEM",
                "MARKET",
                f"ASK {result.currency}",
                f"BID {result.currency}",
                "QTY",
                "AGE",
            ]
            output.result(render_table(headers, table_rows, right=frozenset({2, 3, 4, 5})))
        for name in result.not_listed:
            output.result(f"not listed: {name}")
        print_notes(output, failures, result.skipped)
    return EXIT_FAILED if failures else EXIT_OK


_QUOTE_FIELDS = ("market", "lowest_ask", "highest_bid", "quantity", "observed_at", "age")


_OPPORTUNITY_FIELDS = (
    "market_hash_name",
    "buy_market",
    "buy_price",
    "sell_market",
    "sell_price",
    "sell_kind",
    "profit",
    "profit_ratio",
    "buy_hold_days",
    "sell_hold_days",
)


def _fields(value: object, names: tuple[str, ...]) -> dict[str, Any]:
    """The documented fields of a compare result, whatever class carries them."""
    return {name: getattr(value, name) for name in names}


def _ask_order(quote: Any) -> tuple[bool, Decimal]:
    ask: Money | None = quote.lowest_ask
    return (ask is None, Decimal(0) if ask is None else ask.amount)


def arbitrage(args: argparse.Namespace, output: Output, session: Session) -> int:
    """Items to buy on one market and sell on another at a profit, best first."""
    clear = _fetching(output, session.markets)
    try:
        found: list[Any] = _library_call(
            _library("compare").arbitrage,
            session.markets,
            currency=session.currency,
            rates=session.rates,
            min_profit=args.min_profit,
        )
    finally:
        clear()
    # an ArbitrageResult (a sequence of opportunities that also names the markets it missed)
    failures: Mapping[str, str] = getattr(found, "failures", {})
    skipped: Mapping[str, str] = getattr(found, "skipped", {})
    status = EXIT_FAILED if failures else EXIT_OK
    shown = list(found)[: args.limit]
    if output.json:
        output.result(dumps([_fields(o, _OPPORTUNITY_FIELDS) for o in shown]))
        return status
    if not shown:
        answered = getattr(found, "answered", tuple(session.markets))
        output.result(
            "no market answered, so nothing is known about opportunities"
            if not answered
            else f"no opportunity with at least {percent_text(args.min_profit)} profit "
            f"across {len(answered)} markets"
        )
        print_notes(output, failures, skipped)
        return status
    rows = [
        [
            o.market_hash_name,
            o.buy_market,
            amount_text(o.buy_price),
            o.sell_market,
            amount_text(o.sell_price),
            str(o.sell_kind),
            amount_text(o.profit),
            percent_text(o.profit_ratio),
            f"{o.buy_hold_days}d/{o.sell_hold_days}d",
        ]
        for o in shown
    ]
    headers = [
        "ITEM",
        "BUY AT",
        f"PRICE {session.currency}",
        "SELL AT",
        f"PRICE {session.currency}",
        "AS",
        "PROFIT",
        "%",
        "HOLD",
    ]
    output.result(render_table(headers, rows, right=frozenset({2, 4, 6, 7, 8})))
    if len(found) > len(shown):
        output.note(f"{len(found) - len(shown)} more not shown (raise --limit)")
    print_notes(output, failures, skipped)
    return status

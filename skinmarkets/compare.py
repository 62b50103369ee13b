"""One item's price on every market in one currency (`compare`), and where to buy and sell it
(`arbitrage`).

``compare`` downloads every market's price list at the same time, one thread per market (each
market's own rate limiter still applies), converts every quote to one currency and returns a
table. A market that fails is reported in ``Comparison.failures`` instead of raised, so one bad
vendor never hides the others; a market without a price list is listed in ``skipped``.

``arbitrage`` reads that table: buy on market A at its lowest ask, sell on market B at its
highest bid (``sell_kind="bid"``, an instant sale) or list it on B just under B's lowest ask
(``sell_kind="undercut_ask"``, a sale that still has to happen). Both kinds are reported when
both pay, since they carry different risk. Profit is net of B's sale fee
(:data:`DEFAULT_FEES`, overridable) and every amount stays an exact ``Decimal``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from types import MappingProxyType
from typing import Literal

import attrs

from skinmarkets._fees import DEFAULT_FEES, Fees
from skinmarkets.errors import ConfigurationError, SkinMarketsError
from skinmarkets.models import PriceQuote
from skinmarkets.money import Money, Rates
from skinmarkets.protocol import Marketplace, PriceSource

__all__ = [
    "DEFAULT_FEES",
    "Comparison",
    "Fees",
    "MarketQuote",
    "Opportunity",
    "arbitrage",
    "compare",
]

Markets = Mapping[str, Marketplace] | Sequence[Marketplace]
SellKind = Literal["bid", "undercut_ask"]


@attrs.frozen
class MarketQuote:
    """One item on one market, in the comparison's currency, with how old the quote is."""

    market: str
    lowest_ask: Money | None
    highest_bid: Money | None
    quantity: int | None
    observed_at: datetime
    age: timedelta


@attrs.frozen
class Comparison:
    """Per item, per market quotes in one currency, plus the markets that failed or were skipped."""

    currency: str
    rows: Mapping[str, Mapping[str, MarketQuote]]
    failures: Mapping[str, str]
    skipped: Mapping[str, str]
    not_listed: tuple[str, ...]


@attrs.frozen
class Opportunity:
    """Buy on one market, sell on another, and what is left after the seller's fee."""

    market_hash_name: str
    buy_market: str
    buy_price: Money
    sell_market: str
    sell_price: Money
    sell_kind: SellKind
    profit: Money
    profit_ratio: Decimal
    buy_hold_days: int
    sell_hold_days: int


def _by_name(markets: Markets) -> dict[str, Marketplace]:
    """Markets keyed by the name results use: the mapping's keys, else each ``market.name``."""
    if isinstance(markets, Mapping):
        return dict(markets)
    named: dict[str, Marketplace] = {}
    for market in markets:
        if market.name in named:
            raise ValueError(
                f"two markets are both named {market.name!r}; pass a dict "
                f"{{'my name': market, ...}} to tell them apart"
            )
        named[market.name] = market
    return named


def _fetch(market: PriceSource) -> list[PriceQuote]:
    """One market's price list; its own rate limiter paces it."""
    return market.prices()


def _convert(money: Money | None, currency: str, rates: Rates | None) -> Money | None:
    """``money`` in ``currency``; ValueError naming the missing rate when it cannot be."""
    if money is None or money.currency == currency:
        return money
    if rates is None:
        raise ValueError(
            f"its prices are in {money.currency} but no rates were given to convert them to "
            f'{currency}: pass rates=sm.Rates({{"{money.currency}": "..."}}, base="{currency}")'
        )
    return money.convert(currency, rates)


def _merge(old: MarketQuote, new: MarketQuote) -> MarketQuote:
    """Two quotes of one name on one market: the lower ask, the higher bid, the older time."""
    asks = [m for m in (old.lowest_ask, new.lowest_ask) if m is not None]
    bids = [m for m in (old.highest_bid, new.highest_bid) if m is not None]
    quantity = None if old.quantity is None or new.quantity is None else old.quantity + new.quantity
    oldest = min((old, new), key=lambda q: q.observed_at)
    return MarketQuote(
        market=old.market,
        lowest_ask=min(asks, key=lambda m: m.amount) if asks else None,
        highest_bid=max(bids, key=lambda m: m.amount) if bids else None,
        quantity=quantity,
        observed_at=oldest.observed_at,
        age=oldest.age,
    )


def _table(
    market: str,
    quotes: Iterable[PriceQuote],
    wanted: frozenset[str] | None,
    currency: str,
    rates: Rates | None,
    now: datetime,
) -> dict[str, MarketQuote]:
    """One market's quotes, converted and filtered to ``wanted``; ValueError on a missing rate."""
    table: dict[str, MarketQuote] = {}
    for quote in quotes:
        if wanted is not None and quote.market_hash_name not in wanted:
            continue
        row = MarketQuote(
            market=market,
            lowest_ask=_convert(quote.lowest_ask, currency, rates),
            highest_bid=_convert(quote.highest_bid, currency, rates),
            quantity=quote.quantity,
            observed_at=quote.observed_at,
            age=now - quote.observed_at,
        )
        known = table.get(quote.market_hash_name)
        table[quote.market_hash_name] = row if known is None else _merge(known, row)
    return table


def compare(
    markets: Markets,
    names: Sequence[str] | None = None,
    *,
    currency: str = "USD",
    rates: Rates | None = None,
    now: Callable[[], datetime] | None = None,
) -> Comparison:
    """Every market's quotes for ``names`` (all names when ``None``) in ``currency``.

    Price lists are fetched concurrently, one thread per market. A market's ``SkinMarketsError``
    or a rate missing for its currency lands in ``failures`` (market -> message), a market without
    a price list in ``skipped``; nothing is raised for either. ``not_listed`` holds the wanted
    names that no answering market lists (none when no market answered). ``now`` (default: the
    UTC clock) sets each quote's ``age``.
    """
    target = Money(0, currency).currency
    named = _by_name(markets)
    wanted = None if names is None else frozenset(names)
    skipped: dict[str, str] = {}
    sources: dict[str, PriceSource] = {}
    for name, market in named.items():
        if not market.capabilities.price_list or not isinstance(market, PriceSource):
            skipped[name] = f"no price list ({market.vendor} publishes none)"
        else:
            sources[name] = market
    failures: dict[str, str] = {}
    per_market: dict[str, dict[str, MarketQuote]] = {}
    if sources:
        with ThreadPoolExecutor(max_workers=len(sources), thread_name_prefix="compare") as pool:
            futures = {name: pool.submit(_fetch, source) for name, source in sources.items()}
            fetched_at = (now or (lambda: datetime.now(UTC)))()
            for name, future in futures.items():
                try:
                    quotes = future.result()
                    per_market[name] = _table(name, quotes, wanted, target, rates, fetched_at)
                except SkinMarketsError as exc:
                    failures[name] = str(exc) or type(exc).__name__
                except ValueError as exc:  # a missing exchange rate, from _convert
                    failures[name] = f"{name}: cannot convert to {target}: {exc}"
    rows: dict[str, dict[str, MarketQuote]] = {}
    for name, table in per_market.items():
        for item, quote in table.items():
            rows.setdefault(item, {})[name] = quote
    ordered = {item: MappingProxyType(rows[item]) for item in sorted(rows)}
    # "not listed" needs a market that answered: when none did, nothing is known either way
    not_listed = (
        ()
        if names is None or not per_market
        else tuple(n for n in dict.fromkeys(names) if n not in rows)
    )
    return Comparison(
        currency=target,
        rows=MappingProxyType(ordered),
        failures=MappingProxyType(failures),
        skipped=MappingProxyType(skipped),
        not_listed=not_listed,
    )


def _fees_of(name: str, market: Marketplace | None, fees: Mapping[str, Fees]) -> Fees:
    """Fees by market name first, then by vendor id; ConfigurationError when neither is known."""
    vendor = market.vendor if market is not None else name.partition(":")[0]
    found = fees.get(name) or fees.get(vendor)
    if found is None:
        raise ConfigurationError(
            f"no fees known for market {name!r} (vendor {vendor!r}): pass fees={{..., "
            f'"{vendor}": Fees(sale_fee=Decimal("0.05"), trade_hold_days=7)}} '
            f"(from skinmarkets.compare import Fees)",
            vendor=vendor,
        )
    return found


def _sell_options(
    quote: MarketQuote, undercut: Decimal, market: Marketplace | None
) -> list[tuple[SellKind, Money]]:
    """Where the item can be sold on this market: at its bid, and just under its lowest ask.

    The undercut needs a listing, so it is offered only on markets whose ``capabilities.seller``
    is true (SkinsBack, for one, sells to users but takes no listings from them).
    """
    options: list[tuple[SellKind, Money]] = []
    if quote.highest_bid is not None:
        options.append(("bid", quote.highest_bid))
    can_list = market is None or market.capabilities.seller
    if quote.lowest_ask is not None and can_list:
        options.append(("undercut_ask", quote.lowest_ask * (1 - undercut)))
    return options


def arbitrage(
    markets: Markets,
    *,
    currency: str = "USD",
    rates: Rates | None = None,
    fees: Mapping[str, Fees] | None = None,
    min_profit: Decimal = Decimal(0),
    names: Sequence[str] | None = None,
    undercut: Decimal = Decimal("0.01"),
    comparison: Comparison | None = None,
) -> list[Opportunity]:
    """Buy-here-sell-there opportunities, most profitable first.

    Sell legs are the other market's highest bid, and its lowest ask undercut by ``undercut``
    on markets that take listings (``capabilities.seller``).
    ``profit = sell price * (1 - seller's sale_fee) - buy price`` in ``currency``;
    ``profit_ratio = profit / buy price``, and only ratios ``>= min_profit`` (``Decimal("0.05")``
    is 5 %) are kept. ``fees`` (default :data:`DEFAULT_FEES`) is keyed by market name or vendor
    id. Pass ``comparison`` to reuse a table from :func:`compare` instead of fetching again.
    """
    for value, what in ((min_profit, "min_profit"), (undercut, "undercut")):
        if isinstance(value, float):  # float ok: refused, as everywhere money is involved
            raise TypeError(f"{what} must be a Decimal like Decimal('0.05'), not float")
    named = _by_name(markets)
    table = comparison or compare(named, names, currency=currency, rates=rates)
    if table.currency != Money(0, currency).currency:
        raise ValueError(
            f"the comparison is in {table.currency}, not {currency}: "
            f"call arbitrage(..., currency={table.currency!r})"
        )
    fee_table = DEFAULT_FEES if fees is None else fees
    wanted = None if names is None else frozenset(names)
    found: list[Opportunity] = []
    for item, quotes in table.rows.items():
        if wanted is not None and item not in wanted:
            continue
        for buy_market, buy in quotes.items():
            if buy.lowest_ask is None or buy.lowest_ask.amount <= 0:
                continue
            for sell_market, sell in quotes.items():
                if sell_market == buy_market:
                    continue
                seller = _fees_of(sell_market, named.get(sell_market), fee_table)
                for kind, price in _sell_options(sell, undercut, named.get(sell_market)):
                    profit = price * (1 - seller.sale_fee) - buy.lowest_ask
                    ratio = profit.amount / buy.lowest_ask.amount
                    if ratio < min_profit:
                        continue
                    found.append(
                        Opportunity(
                            market_hash_name=item,
                            buy_market=buy_market,
                            buy_price=buy.lowest_ask,
                            sell_market=sell_market,
                            sell_price=price,
                            sell_kind=kind,
                            profit=profit,
                            profit_ratio=ratio,
                            buy_hold_days=_fees_of(
                                buy_market, named.get(buy_market), fee_table
                            ).trade_hold_days,
                            sell_hold_days=seller.trade_hold_days,
                        )
                    )
    found.sort(key=lambda o: (-o.profit.amount, o.market_hash_name, o.buy_market, o.sell_market))
    return found

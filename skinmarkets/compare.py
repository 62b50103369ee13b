"""One item's price on every market in one currency (`compare`), and where to buy and sell it
(`arbitrage`).

``compare`` downloads every market's price list at the same time, one thread per market (each
market's own rate limiter still applies), converts every quote to one currency and returns a
table. A market that fails is reported in ``Comparison.failures`` instead of raised, so one bad
vendor never hides the others; a market that cannot price what was asked is listed in
``skipped``.

What it costs at catalogue size: the price lists are the work. For ``names``, each market that
can (``capabilities.named_prices``) reads its list keeping only those names, before any typing,
so 100 names cost little more than downloading and decoding the lists; Mannco, which has no
whole list, prices named items only (100 per request) and is skipped, with the reason, for a
whole-catalogue comparison. Each distinct price is converted once.

``arbitrage`` reads that table: buy on market A at its lowest ask, sell on market B at its
highest bid (``sell_kind="bid"``, an instant sale) or list it on B just under B's lowest ask
(``sell_kind="undercut_ask"``, a sale that still has to happen). Both kinds are reported when
both pay, since they carry different risk. Profit is net of B's sale fee
(:data:`DEFAULT_FEES`, overridable) and every amount stays an exact ``Decimal``; the pairs are
compared on plain Decimals and objects are built only for those that pass ``min_profit``. The
result carries the markets that failed or were skipped, so a bot can tell "markets down" from
"no opportunity" (see :class:`ArbitrageResult`).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from operator import attrgetter, itemgetter
from types import MappingProxyType
from typing import Any, Literal, overload

import attrs

from skinmarkets._fastattrs import maker
from skinmarkets._fees import DEFAULT_FEES, Fees, decimal_of, fraction_of
from skinmarkets._gc import gc_paused
from skinmarkets.errors import ConfigurationError, SkinMarketsError
from skinmarkets.models import PriceQuote
from skinmarkets.money import _EXACT, _MAX_MAGNITUDE, Money, Rates
from skinmarkets.protocol import Marketplace, PriceSource

__all__ = [
    "DEFAULT_FEES",
    "ArbitrageResult",
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
    """One item on one market, in the comparison's currency, with how old the quote is.

    ``age`` is never negative: a quote stamped a moment after the comparison's clock read (a
    vendor's own clock running ahead) is zero seconds old.
    """

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


@attrs.frozen
class ArbitrageResult(Sequence[Opportunity]):
    """What :func:`arbitrage` found, and which markets it could not ask.

    A sequence of :class:`Opportunity`, most profitable first (iterate, index, ``len``, ``bool``
    as with the list earlier versions returned), plus the comparison's ``failures`` (market ->
    message), ``skipped`` (market -> reason) and ``not_listed`` names, and ``answered``: the
    markets whose prices were read. How a bot tells the cases apart:

    - ``not result.answered``: no market answered, so nothing is known (markets down, or none
      could price the names); ``failures``/``skipped`` say why. Not "no opportunity".
    - ``result.failures`` not empty: some markets are missing from the search; the
      opportunities found are real but the list may be incomplete.
    - ``not result`` with markets answered and no failures: there is truly no opportunity
      above ``min_profit``.
    """

    currency: str
    opportunities: tuple[Opportunity, ...]
    failures: Mapping[str, str]
    skipped: Mapping[str, str]
    not_listed: tuple[str, ...]
    answered: tuple[str, ...]

    @property
    def complete(self) -> bool:
        """True when every market asked answered (nothing in ``failures``)."""
        return not self.failures

    @overload
    def __getitem__(self, index: int) -> Opportunity: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Opportunity, ...]: ...

    def __getitem__(self, index: int | slice) -> Opportunity | tuple[Opportunity, ...]:
        return self.opportunities[index]

    def __len__(self) -> int:
        return len(self.opportunities)

    def __iter__(self) -> Iterator[Opportunity]:
        return iter(self.opportunities)


_money = maker(Money, ("amount", "currency"))
_market_quote = maker(
    MarketQuote, ("market", "lowest_ask", "highest_bid", "quantity", "observed_at", "age")
)
_opportunity = maker(
    Opportunity,
    (
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
    ),
)
_NO_AGE = timedelta(0)


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


def _check_names(names: object) -> tuple[str, ...] | None:
    """``names`` as a tuple of distinct strings in first-seen order; TypeError on anything else."""
    if names is None:
        return None
    if isinstance(names, str | bytes) or not isinstance(names, Collection):
        raise TypeError(
            f"names must be a list of item names like [{names!r}], not {type(names).__name__}"
            if isinstance(names, str)
            else f"names must be a list of item names, not {type(names).__name__}"
        )
    bad = [n for n in names if not isinstance(n, str) or not n.strip()]
    if bad:
        raise TypeError(f"names must be non-empty strings; got {bad[0]!r}")
    return tuple(dict.fromkeys(names))


def _takes_names(market: PriceSource) -> bool:
    """Whether ``market.prices`` accepts ``names=`` (third-party price sources may not)."""
    try:
        return "names" in inspect.signature(market.prices).parameters
    except (TypeError, ValueError):  # no signature to read (a builtin or a mock)
        return False


def _source(
    market: Marketplace, wanted: tuple[str, ...] | None
) -> tuple[Callable[[], list[PriceQuote]] | None, bool, str]:
    """(how to fetch, whether it is already filtered to ``wanted``, why not when it cannot)."""
    capabilities = market.capabilities
    by_name = bool(getattr(capabilities, "named_prices", False))  # third-party Capabilities
    if isinstance(market, PriceSource):
        source: PriceSource = market
        if wanted is not None and by_name and _takes_names(source):
            return (lambda: source.prices(names=wanted)), True, ""  # type: ignore[call-arg]
        if capabilities.price_list:
            return source.prices, False, ""
    if by_name:
        return (
            None,
            False,
            f"no whole price list ({market.vendor} prices named items only): pass names=[...]",
        )
    return None, False, f"no price list ({market.vendor} publishes none)"


class _Converter:
    """Money in one currency: one rate per source currency, each distinct price converted once.

    The rate is asked of ``Rates`` once per currency (a missing one is the ValueError that puts
    the market in ``failures``); the product is exact (``Money.convert``'s own arithmetic) and
    shared by every quote with that price (price lists share their Money objects, so the lookup
    is by identity first, then by the amount's spelling, so equal amounts written with other
    digits keep them).
    """

    def __init__(self, currency: str, rates: Rates | None) -> None:
        self.currency = currency
        self.rates = rates
        self._rates: dict[str, Decimal] = {}
        self._by_id: dict[int, tuple[Money, Money]] = {}  # id -> (source kept alive, result)
        self._by_value: dict[tuple[str, str], Money] = {}

    def _rate(self, source: str) -> Decimal:
        rate = self._rates.get(source)
        if rate is None:
            if self.rates is None:
                raise ValueError(
                    f"its prices are in {source} but no rates were given to convert "
                    f"them to {self.currency}: pass rates=sm.Rates("
                    f'{{"{source}": "..."}}, base="{self.currency}")'
                )
            rate = self._rates[source] = self.rates.rate(source, self.currency)
        return rate

    def column(self, amounts: list[Money | None]) -> list[Money | None]:
        """Every item of ``amounts`` converted, each distinct Money object once (the per-item
        lookup runs in C: a list of 100,000 with a few thousand distinct prices)."""
        distinct = dict(zip(map(id, amounts), amounts, strict=True))
        converted = {key: self(money) for key, money in distinct.items()}
        return list(map(converted.__getitem__, map(id, amounts)))

    def __call__(self, money: Money | None) -> Money | None:
        if money is None or money.currency == self.currency:
            return money
        known = self._by_id.get(id(money))
        if known is not None:
            return known[1]
        key = (str(money.amount), money.currency)  # "2.5" and "2.50" keep their own digits
        result = self._by_value.get(key)
        if result is None:
            amount = _EXACT.multiply(money.amount, self._rate(money.currency))
            if amount and not -_MAX_MAGNITUDE <= amount.adjusted() <= _MAX_MAGNITUDE:
                Money(amount, self.currency)  # raises the ValueError that says why
            result = self._by_value[key] = _money(amount, self.currency)
        self._by_id[id(money)] = (money, result)
        return result


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


_NAME = attrgetter("market_hash_name")
_ASK = attrgetter("lowest_ask")
_BID = attrgetter("highest_bid")
_QUANTITY = attrgetter("quantity")
_OBSERVED = attrgetter("observed_at")
_CURRENCY = attrgetter("currency")


class _Columns:
    """One market's quotes in the comparison's currency, and where each name is.

    Asks and bids are converted when the table is made (a missing rate is known at once);
    a row of :class:`Comparison` is built from these when it is read (see :class:`_Rows`).
    """

    __slots__ = ("asks", "bids", "index", "market", "now", "quotes")

    def __init__(
        self,
        market: str,
        quotes: Sequence[PriceQuote],
        names: list[str],
        asks: list[Money | None],
        bids: list[Money | None],
        now: datetime,
    ) -> None:
        self.market, self.quotes, self.now = market, quotes, now
        self.index = dict(zip(names, range(len(names)), strict=False))
        self.asks, self.bids = asks, bids

    def quote(self, at: int) -> MarketQuote:
        """The quote in position ``at``, built now (its age from the comparison's clock)."""
        source = self.quotes[at]
        observed = source.observed_at
        return _market_quote(
            self.market,
            self.asks[at],
            self.bids[at],
            source.quantity,
            observed,
            max(self.now - observed, _NO_AGE),
        )


def _columns(
    market: str,
    quotes: Sequence[PriceQuote],
    wanted: frozenset[str] | None,
    convert: _Converter,
    now: datetime,
) -> _Columns | _Merged:
    """One market's quotes, converted and filtered to ``wanted``; ValueError on a missing rate.

    Read a column at a time with ``map`` (each column runs in C), each distinct price converted
    once: a catalogue of 100,000 quotes costs a small part of decoding it. Quotes already in the
    target currency are not converted; a name met twice on one market is merged (lower ask,
    higher bid, older time).
    """
    if wanted is not None:
        quotes = [q for q in quotes if q.market_hash_name in wanted]
    names = list(map(_NAME, quotes))
    asks: list[Money | None] = list(map(_ASK, quotes))
    bids: list[Money | None] = list(map(_BID, quotes))
    target = convert.currency
    currencies = set(map(_CURRENCY, filter(None, asks))) | set(map(_CURRENCY, filter(None, bids)))
    if currencies - {target}:
        asks, bids = convert.column(asks), convert.column(bids)
    columns = _Columns(market, quotes, names, asks, bids, now)
    if len(columns.index) == len(names):
        return columns
    merged: dict[str, MarketQuote] = {}  # a name met twice: merge its quotes, in order
    for name, at in zip(names, range(len(names)), strict=True):
        known = merged.get(name)
        quote = columns.quote(at)
        merged[name] = quote if known is None else _merge(known, quote)
    return _Merged(market, merged)


class _Merged:
    """A market that listed a name twice: its quotes merged already (rare; small lists). Read
    by :class:`_Rows` as a :class:`_Columns` is: ``market``, ``index``, ``quote(at)``."""

    __slots__ = ("index", "market", "merged")

    def __init__(self, market: str, merged: dict[str, MarketQuote]) -> None:
        self.market = market
        self.merged = list(merged.values())
        self.index = dict(zip(merged, range(len(merged)), strict=True))

    def quote(self, at: int) -> MarketQuote:
        return self.merged[at]


class _Rows(Mapping[str, Mapping[str, MarketQuote]]):
    """:attr:`Comparison.rows` as :func:`compare` makes it: item -> market -> quote, sorted by
    item, each row built when it is first read (then kept).

    A whole catalogue is 100,000 rows of three quotes; building them all up front cost more
    than reading the three lists, for callers that then look a few up. Reading every row
    (``arbitrage`` does) costs what building them up front did; the sorted names are made on
    the first ``len`` or iteration. A read-only mapping like the ``MappingProxyType`` it
    replaces, equal to any mapping with the same rows; safe to read from several threads.
    """

    __slots__ = ("_built", "_names", "_tables")

    def __init__(self, tables: Sequence[_Columns | _Merged]) -> None:
        self._tables = tuple(tables)
        self._names: list[str] | None = None
        self._built: dict[str, Mapping[str, MarketQuote]] = {}

    def _sorted(self) -> list[str]:
        names = self._names
        if names is None:
            known: set[str] = set()
            known.update(*(table.index for table in self._tables))
            names = self._names = sorted(known)
        return names

    def __getitem__(self, item: str) -> Mapping[str, MarketQuote]:
        row = self._built.get(item)
        if row is not None:
            return row
        quotes = {}
        for table in self._tables:
            at = table.index.get(item)
            if at is not None:
                quotes[table.market] = table.quote(at)
        if not quotes:
            raise KeyError(item)
        row = self._built[item] = MappingProxyType(quotes)
        return row

    def __contains__(self, item: object) -> bool:
        return any(item in table.index for table in self._tables)

    def __iter__(self) -> Iterator[str]:
        return iter(self._sorted())

    def __len__(self) -> int:
        return len(self._sorted())

    def __repr__(self) -> str:
        names = self._sorted()
        if len(names) <= 10:
            return repr(dict(self.items()))
        return f"<{len(names)} rows: {names[0]!r} ... {names[-1]!r}>"


def compare(
    markets: Markets,
    names: Sequence[str] | None = None,
    *,
    currency: str = "USD",
    rates: Rates | None = None,
    now: Callable[[], datetime] | None = None,
) -> Comparison:
    """Every market's quotes for ``names`` (all names when ``None``) in ``currency``.

    Price lists are fetched concurrently, one thread per market. With ``names``, markets that
    can (``capabilities.named_prices``) read only those names from their lists, and markets
    without a whole list (Mannco) price them by name; without ``names`` those are ``skipped``
    with the reason. A market's ``SkinMarketsError`` or a rate missing for its currency lands in
    ``failures`` (market -> message), a market that cannot price what was asked in
    ``skipped``; nothing is raised for either. ``not_listed`` holds the wanted names that no
    answering market lists (none when no market answered). ``now`` (default: the UTC clock,
    read once the lists arrived) sets each quote's ``age``, never below zero. ``names`` must be
    a list of strings (a bare string is ``TypeError``: wrap it in a list).
    """
    target = Money(0, currency).currency
    named = _by_name(markets)
    wanted_names = _check_names(names)
    wanted = None if wanted_names is None else frozenset(wanted_names)
    skipped: dict[str, str] = {}
    sources: dict[str, tuple[Callable[[], list[PriceQuote]], bool]] = {}
    for name, market in named.items():
        fetch, filtered, why = _source(market, wanted_names)
        if fetch is None:
            skipped[name] = why
        else:
            sources[name] = (fetch, filtered)
    failures: dict[str, str] = {}
    convert = _Converter(target, rates)
    answers: dict[str, list[PriceQuote]] = {}
    if sources:
        with ThreadPoolExecutor(max_workers=len(sources), thread_name_prefix="compare") as pool:
            futures = {name: pool.submit(fetch) for name, (fetch, _) in sources.items()}
            for name, future in futures.items():
                try:
                    answers[name] = future.result()
                except SkinMarketsError as exc:
                    failures[name] = str(exc) or type(exc).__name__
    fetched_at = (now or (lambda: datetime.now(UTC)))()
    # One pause for all the building (only acyclic objects are made, see skinmarkets._gc): a
    # collection between two markets' tables would scan everything built so far again.
    tables: list[_Columns | _Merged] = []
    with gc_paused():
        for name, quotes in answers.items():
            keep = None if sources[name][1] else wanted
            try:
                tables.append(_columns(name, quotes, keep, convert, fetched_at))
            except ValueError as exc:  # a missing exchange rate, from the converter
                failures[name] = f"{name}: cannot convert to {target}: {exc}"
        del answers
        rows = _Rows(tables)
    # "not listed" needs a market that answered: when none did, nothing is known either way
    not_listed = (
        ()
        if wanted_names is None or not tables
        else tuple(n for n in wanted_names if n not in rows)
    )
    return Comparison(
        currency=target,
        rows=rows,
        failures=MappingProxyType(failures),
        skipped=MappingProxyType(skipped),
        not_listed=not_listed,
    )


def _fees_of(name: str, market: Marketplace | None, fees: Mapping[str, Fees]) -> Fees:
    """Fees by market name, then by vendor id, then the adapter's own ``fees`` (a vendor
    package states its fees on its adapter class); ConfigurationError when none is known."""
    vendor = market.vendor if market is not None else name.partition(":")[0]
    found = fees.get(name) or fees.get(vendor)
    if found is None:
        found = getattr(market, "fees", None)
    if not isinstance(found, Fees):
        raise ConfigurationError(
            f"no fees known for market {name!r} (vendor {vendor!r}): pass fees={{..., "
            f'"{vendor}": Fees(sale_fee=Decimal("0.05"), trade_hold_days=7)}} '
            f"(from skinmarkets.compare import Fees)",
            vendor=vendor,
        )
    return found


#: One sell option of one market for one item, in plain numbers: (kind, its price as Money
#: when it exists already (the bid), its price amount, that amount net of the sale fee).
_Sell = tuple[SellKind, Money | None, Decimal, Decimal]


class _Legs:
    """Per market, what arbitrage needs of it, computed once: fees, hold days, whether it lists."""

    def __init__(
        self, named: Mapping[str, Marketplace], fees: Mapping[str, Fees], undercut: Decimal
    ) -> None:
        self._named = named
        self._fees = fees
        self.keep = _EXACT.subtract(Decimal(1), undercut)  # price = ask * keep when undercut
        #: market -> (1 - sale fee, takes listings); filled on first sight of each market
        self.terms: dict[str, tuple[Decimal, bool]] = {}
        self.hold: dict[str, int] = {}

    def learn(self, market: str) -> tuple[Decimal, bool]:
        """Look one market's fees up (ConfigurationError when none are known)."""
        found = self._named.get(market)
        fees = _fees_of(market, found, self._fees)
        self.hold[market] = fees.trade_hold_days
        terms = self.terms[market] = (
            1 - fees.sale_fee,
            found is None or found.capabilities.seller,
        )
        return terms


def _sells(quotes: Mapping[str, MarketQuote], legs: _Legs) -> dict[str, list[_Sell]]:
    """Per market, where the item can be sold there: at its bid, and just under its lowest ask.

    The undercut needs a listing, so it is offered only on markets whose ``capabilities.seller``
    is true (SkinsBack, for one, sells to users but takes no listings from them).
    """
    multiply, keep, terms = _EXACT.multiply, legs.keep, legs.terms
    sells: dict[str, list[_Sell]] = {}
    for market, quote in quotes.items():
        known = terms.get(market)
        net, can_list = known if known is not None else legs.learn(market)
        options: list[_Sell] = []
        bid = quote.highest_bid
        if bid is not None:
            options.append(("bid", bid, bid.amount, multiply(bid.amount, net)))
        ask = quote.lowest_ask
        if ask is not None and can_list:
            price = multiply(ask.amount, keep)
            options.append(("undercut_ask", None, price, multiply(price, net)))
        sells[market] = options
    return sells


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
) -> ArbitrageResult:
    """Buy-here-sell-there opportunities, most profitable first, with the markets that failed.

    Sell legs are the other market's highest bid, and its lowest ask undercut by ``undercut``
    on markets that take listings (``capabilities.seller``); ``undercut`` is a fraction in
    [0, 1) of that ask. A ``min_profit`` or ``undercut`` that is not a finite decimal (or an
    undercut outside [0, 1)) is refused before any price list is fetched.
    ``profit = sell price * (1 - seller's sale_fee) - buy price`` in ``currency``;
    ``profit_ratio = profit / buy price``, and only ratios ``>= min_profit`` (``Decimal("0.05")``
    is 5 %) are kept. ``fees`` (default :data:`DEFAULT_FEES`) is keyed by market name or vendor
    id; a market in neither is priced with its adapter's own ``fees`` (a plugin vendor's).
    Pass ``comparison`` to reuse a table from :func:`compare` instead of fetching again.
    The result is a sequence of :class:`Opportunity` that also carries ``failures``,
    ``skipped``, ``not_listed`` and ``answered``: see :class:`ArbitrageResult` for telling
    "markets down" from "no opportunity". Mannco joins only for ``names`` (it prices named
    items only).
    """
    minimum = decimal_of(min_profit, "min_profit")
    undercut = fraction_of(undercut, "undercut", " of the sell market's lowest ask")
    named = _by_name(markets)
    wanted_names = _check_names(names)
    table = comparison or compare(named, wanted_names, currency=currency, rates=rates)
    if table.currency != Money(0, currency).currency:
        raise ValueError(
            f"the comparison is in {table.currency}, not {currency}: "
            f"call arbitrage(..., currency={table.currency!r})"
        )
    legs = _Legs(named, DEFAULT_FEES if fees is None else fees, undercut)
    wanted = None if wanted_names is None else frozenset(wanted_names)
    subtract = _EXACT.subtract
    # (profit, item, buy market, sell market, kind, ask Money, sell Money or None, sell amount,
    # ratio) for each pair that passes, on plain Decimals; objects only for these, at the end.
    # The collector is paused: the objects made hold no cycles (see skinmarkets._gc).
    passed: list[tuple[Any, ...]] = []
    answered: set[str] = set()
    with gc_paused():
        for item, quotes in table.rows.items():
            if wanted is not None and item not in wanted:
                continue
            answered.update(quotes)
            if len(quotes) < 2:
                continue
            sells = _sells(quotes, legs)
            for buy_market, buy in quotes.items():
                ask = buy.lowest_ask
                if ask is None:
                    continue
                cost = ask.amount
                if cost <= 0:
                    continue
                for sell_market, options in sells.items():
                    if sell_market == buy_market:
                        continue
                    for kind, price, amount, net in options:
                        profit = subtract(net, cost)
                        ratio = profit / cost
                        if ratio >= minimum:
                            passed.append(
                                (
                                    profit,
                                    item,
                                    buy_market,
                                    sell_market,
                                    kind,
                                    ask,
                                    price,
                                    amount,
                                    ratio,
                                )
                            )
        # most profit first, ties by (item, buy market, sell market): two stable sorts on C keys
        passed.sort(key=itemgetter(1, 2, 3))
        passed.sort(key=itemgetter(0), reverse=True)
        target = table.currency
        hold = legs.hold
        found = tuple(
            [
                _opportunity(
                    item,
                    buy_market,
                    ask,
                    sell_market,
                    price if price is not None else _money(amount, target),
                    kind,
                    _money(profit, target),
                    ratio,
                    hold[buy_market],
                    hold[sell_market],
                )
                for profit, item, buy_market, sell_market, kind, ask, price, amount, ratio in passed
            ]
        )
    if not answered:  # rows of markets that answered but list none of the names
        answered.update(m for m in named if m not in table.failures and m not in table.skipped)
    return ArbitrageResult(
        currency=target,
        opportunities=found,
        failures=table.failures,
        skipped=table.skipped,
        not_listed=table.not_listed,
        answered=tuple(sorted(answered)),
    )

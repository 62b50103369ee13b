"""Fakes for what the CLI drives, so its in-process tests need no server: ``sm.compare`` and
``sm.arbitrage`` answer from a scripted world, ``--sandbox`` hands out fake markets, and
config files are read for real but ``connect`` builds fake markets. Each fake records what the
CLI asked."""

from __future__ import annotations

import contextlib
import importlib
import io
import sys
import threading
import types
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from skinmarkets import Balance, Capabilities, Direction, Money, Rates, Trade, TradeStatus
from skinmarkets.compare import MarketQuote, Opportunity
from skinmarkets.errors import SkinMarketsError
from tests.support import own_folders

real_compare = importlib.import_module("skinmarkets.compare")
config_module = importlib.import_module("skinmarkets.config")

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
REDLINE = "AK-47 | Redline (Field-Tested)"


def capabilities(*, price_list: bool = True) -> Capabilities:
    return Capabilities(
        price_list=price_list,
        purchase_lookup=True,
        server_side_max_price=True,
        idempotent_buy=True,
        delivery="bot_withdraw",
        currencies=frozenset({"USD"}),
        requests_per_second=5.0,
    )


class FakeMarket:
    """A Marketplace stand-in: a fixed balance and trades, or an error to raise.

    ``hold``: an Event the calls wait on first (a market that does not answer until set).
    """

    def __init__(
        self,
        name: str,
        *,
        price_list: bool = True,
        balance: Balance | None = None,
        trades: Sequence[Trade] = (),
        error: SkinMarketsError | None = None,
        hold: threading.Event | None = None,
    ) -> None:
        self.name = name
        self.vendor = name
        self.capabilities = capabilities(price_list=price_list)
        self._balance = balance or Balance(name, Money("12.345", "USD"), Money("10.00", "USD"))
        self._trades = list(trades)
        self._error = error
        self._hold = hold

    def _answer(self) -> None:
        if self._hold is not None:
            self._hold.wait(30)
        if self._error is not None:
            raise self._error

    def balance(self) -> Balance:
        self._answer()
        return self._balance

    def active_trades(self) -> list[Trade]:
        self._answer()
        return self._trades


@dataclass
class Comparison:
    """The scripted world ``compare`` answers from: every market's quotes and problems."""

    currency: str
    rows: Mapping[str, Mapping[str, MarketQuote]]
    failures: Mapping[str, str] = field(default_factory=dict)
    skipped: Mapping[str, str] = field(default_factory=dict)
    not_listed: tuple[str, ...] = ()  # not used: the CLI works it out from the rows


def quote(
    market: str,
    ask: str | None,
    bid: str | None,
    quantity: int | None = 3,
    age: timedelta = timedelta(seconds=95),
) -> MarketQuote:
    return MarketQuote(
        market,
        None if ask is None else Money(ask, "USD"),
        None if bid is None else Money(bid, "USD"),
        quantity,
        NOW,
        age,
    )


def opportunity(
    name: str, profit: str, ratio: str, *, buy: str = "swapgg", sell: str = "market_tm"
) -> Opportunity:
    return Opportunity(
        name,
        buy,
        Money("10.00", "USD"),
        sell,
        Money("11.50", "USD"),
        "bid",
        Money(profit, "USD"),
        Decimal(ratio),
        0,
        7,
    )


class Fakes:
    """What the fakes answer, and what they were asked."""

    def __init__(self) -> None:
        self.markets: dict[str, Any] = {
            "market_tm": FakeMarket("market_tm"),
            "mannco": FakeMarket("mannco", price_list=False),
        }
        self.comparison: Comparison | Exception = Comparison(
            "USD",
            {REDLINE: {"market_tm": quote("market_tm", "12.030", "10.83")}},
            skipped={"mannco": "no price list"},
        )
        #: market -> the currency its prices are in, when not the one compared in: the fake
        #: then asks the rates for it, as the real compare does (so a rate can be missing)
        self.currencies: dict[str, str] = {}
        self.opportunities: Sequence[Opportunity] | Exception = []
        self.calls: list[tuple[str, Any]] = []
        self.connected: list[tuple[str, dict[str, Any]]] = []

    def compare(
        self,
        markets: Mapping[str, Any],
        names: Any = None,
        *,
        currency: str = "USD",
        rates: Rates | None = None,
    ) -> real_compare.Comparison:
        self.calls.append(("compare", {"markets": markets, "names": names, "currency": currency}))
        self.calls[-1][1]["rates"] = rates
        world = self.comparison
        if isinstance(world, Exception):
            raise world
        failures = {m: r for m, r in world.failures.items() if m in markets}
        for market in markets:
            source = self.currencies.get(market)
            if source and source != currency and market not in failures:
                try:
                    assert rates is not None
                    rates.rate(source, currency)
                except ValueError as exc:
                    failures[market] = f"{market}: cannot convert to {currency}: {exc}"
        rows = {
            item: {m: q for m, q in quotes.items() if m in markets and m not in failures}
            for item, quotes in world.rows.items()
        }
        wanted = None if names is None else set(names)
        return real_compare.Comparison(
            currency=currency,
            rows={i: q for i, q in rows.items() if q and (wanted is None or i in wanted)},
            failures=failures,
            skipped={m: r for m, r in world.skipped.items() if m in markets},
            not_listed=(),
        )

    def arbitrage(self, markets: Mapping[str, Any], **kw: Any) -> Sequence[Opportunity]:
        self.calls.append(("arbitrage", {"markets": markets, **kw}))
        if isinstance(self.opportunities, Exception):
            raise self.opportunities
        return self.opportunities

    def connect(self, vendor: str, **options: Any) -> FakeMarket:
        self.connected.append((vendor, options))
        return FakeMarket(vendor)

    @contextlib.contextmanager
    def sandbox(
        self,
        latency: float = 0.0,  # float ok: seconds
        state_path: Path | None = None,
    ) -> Iterator[Any]:
        self.calls.append(("sandbox", latency))
        self.calls.append(("sandbox.state_path", state_path))

        def connect_all(**options: Any) -> dict[str, Any]:
            self.calls.append(("sandbox.connect_all", options))
            return self.markets

        def save() -> None:
            self.calls.append(("sandbox.save", state_path))

        yield types.SimpleNamespace(connect_all=connect_all, save=save)

    def asked(self, what: str) -> list[Any]:
        return [call for name, call in self.calls if name == what]


@pytest.fixture
def fakes(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Fakes:
    """Fake compare functions, sandbox and connect; the working directory, HOME and the config
    and state folders are empty folders of this test, and no config variable is set."""
    state = Fakes()
    compare = types.ModuleType("skinmarkets.compare")
    for name in ("Comparison", "MarketQuote", "Opportunity", "ArbitrageResult"):
        setattr(compare, name, getattr(real_compare, name))
    compare.compare = state.compare  # type: ignore[attr-defined]
    compare.arbitrage = state.arbitrage  # type: ignore[attr-defined]
    sandbox = types.ModuleType("skinmarkets.sandbox")
    sandbox.sandbox = state.sandbox  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "skinmarkets.compare", compare)
    monkeypatch.setitem(sys.modules, "skinmarkets.sandbox", sandbox)
    monkeypatch.setattr(config_module, "connect", state.connect)
    own_folders(monkeypatch, tmp_path, config="xdg")
    return state


@pytest.fixture
def paper(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """This test's own home, state and config folders; the default sandbox state file."""
    own_folders(monkeypatch, tmp_path)
    return tmp_path / "state" / "skinmarkets" / "sandbox.json"


def write_config(path: Path, text: str, *, mode: int = 0o600) -> Path:
    """A config file at ``path`` (folders made), private to the user unless ``mode`` says."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    return path


TM_CONFIG = '[[markets]]\nname = "tm"\nvendor = "market_tm"\napi_key_env = "TM_API_KEY"\n'


@pytest.fixture
def config_file(fakes: Fakes) -> Path:
    """./skinmarkets.toml naming market "tm" (key in $TM_API_KEY), mode 600."""
    return write_config(Path("skinmarkets.toml").resolve(), TM_CONFIG)


def trade(market: str, trade_id: str) -> Trade:
    return Trade(
        market,
        trade_id,
        TradeStatus.SENT,
        Direction.INCOMING,
        offer_id="555",
        items=("1", "2"),
        created_at=NOW,
        secret="QX7K",
    )


class Terminal(io.StringIO):
    """A stderr that says it is a terminal, for the live progress line."""

    def isatty(self) -> bool:
        return True


class StepClock:
    """A clock that moves ``step`` seconds each time it is read (no test sleeps)."""

    def __init__(self, step: float = 0.5) -> None:  # float ok: seconds
        self.now = 0.0  # float ok: seconds
        self.step = step

    def __call__(self) -> float:  # float ok: seconds
        self.now += self.step
        return self.now

"""Fakes for the modules the CLI drives (compare, config, sandbox), so its tests need neither the
real modules nor a network: each fake records what the CLI asked and answers from the test."""

from __future__ import annotations

import contextlib
import sys
import types
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from skinmarkets import Balance, Capabilities, Direction, Money, Rates, Trade, TradeStatus
from skinmarkets.errors import SkinMarketsError

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
    """A Marketplace stand-in: a fixed balance and trades, or an error to raise."""

    def __init__(
        self,
        name: str,
        *,
        price_list: bool = True,
        balance: Balance | None = None,
        trades: Sequence[Trade] = (),
        error: SkinMarketsError | None = None,
    ) -> None:
        self.name = name
        self.vendor = name
        self.capabilities = capabilities(price_list=price_list)
        self._balance = balance or Balance(name, Money("12.345", "USD"), Money("10.00", "USD"))
        self._trades = list(trades)
        self._error = error

    def balance(self) -> Balance:
        if self._error is not None:
            raise self._error
        return self._balance

    def active_trades(self) -> list[Trade]:
        if self._error is not None:
            raise self._error
        return self._trades


@dataclass(frozen=True)
class MarketQuote:
    market: str
    lowest_ask: Money | None
    highest_bid: Money | None
    quantity: int | None
    observed_at: datetime
    age: timedelta


@dataclass(frozen=True)
class Comparison:
    currency: str
    rows: Mapping[str, Mapping[str, MarketQuote]]
    failures: Mapping[str, str] = field(default_factory=dict)
    skipped: Mapping[str, str] = field(default_factory=dict)
    not_listed: tuple[str, ...] = ()


@dataclass(frozen=True)
class Opportunity:
    market_hash_name: str
    buy_market: str
    buy_price: Money
    sell_market: str
    sell_price: Money
    sell_kind: str
    profit: Money
    profit_ratio: Decimal
    buy_hold_days: int
    sell_hold_days: int


def quote(market: str, ask: str | None, bid: str | None, quantity: int | None = 3) -> MarketQuote:
    return MarketQuote(
        market,
        None if ask is None else Money(ask, "USD"),
        None if bid is None else Money(bid, "USD"),
        quantity,
        NOW,
        timedelta(seconds=95),
    )


def opportunity(name: str, profit: str, ratio: str) -> Opportunity:
    return Opportunity(
        name,
        "swapgg",
        Money("10.00", "USD"),
        "market_tm",
        Money("11.50", "USD"),
        "bid",
        Money(profit, "USD"),
        Decimal(ratio),
        0,
        7,
    )


class Fakes:
    """What the fake modules answer, and what they were asked."""

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
        self.opportunities: list[Opportunity] | Exception = []
        self.config_error: Exception | None = None
        self.calls: list[tuple[str, Any]] = []

    def compare(self, markets: Mapping[str, Any], names: Any = None, **kw: Any) -> Comparison:
        self.calls.append(("compare", {"markets": markets, "names": names, **kw}))
        if isinstance(self.comparison, Exception):
            raise self.comparison
        return self.comparison

    def arbitrage(self, markets: Mapping[str, Any], **kw: Any) -> list[Opportunity]:
        self.calls.append(("arbitrage", {"markets": markets, **kw}))
        if isinstance(self.opportunities, Exception):
            raise self.opportunities
        return self.opportunities

    def load_config(self, path: Path | None = None) -> Any:
        self.calls.append(("load_config", path))
        if self.config_error is not None:
            raise self.config_error
        return types.SimpleNamespace(markets=(), currency="USD", rates=Rates({"EUR": "0.92"}))

    def connect_all(self, config: Any) -> dict[str, Any]:
        self.calls.append(("connect_all", config))
        return self.markets

    @contextlib.contextmanager
    def sandbox(self, latency: float = 0.0) -> Iterator[Any]:
        self.calls.append(("sandbox", latency))
        yield types.SimpleNamespace(connect_all=lambda: self.markets)


@pytest.fixture
def fakes(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Fakes:
    """Fake compare, config and sandbox modules; the working directory is an empty folder."""
    state = Fakes()
    compare = types.ModuleType("skinmarkets.compare")
    compare.compare = state.compare  # type: ignore[attr-defined]
    compare.arbitrage = state.arbitrage  # type: ignore[attr-defined]
    config = types.ModuleType("skinmarkets.config")
    config.load_config = state.load_config  # type: ignore[attr-defined]
    config.connect_all = state.connect_all  # type: ignore[attr-defined]
    sandbox = types.ModuleType("skinmarkets.sandbox")
    sandbox.sandbox = state.sandbox  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "skinmarkets.compare", compare)
    monkeypatch.setitem(sys.modules, "skinmarkets.config", config)
    monkeypatch.setitem(sys.modules, "skinmarkets.sandbox", sandbox)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SKINMARKETS_CONFIG", raising=False)
    return state


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    path = tmp_path / "skinmarkets.toml"
    path.write_text('[markets.tm]\nvendor = "market_tm"\napi_key_env = "TM_API_KEY"\n')
    return path


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

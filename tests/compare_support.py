"""Small in-memory markets implementing the protocol, for compare and arbitrage tests."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from skinmarkets.errors import ServiceUnavailable
from skinmarkets.models import Balance, Listing, PriceQuote, Purchase, Trade
from skinmarkets.money import Money
from skinmarkets.protocol import Capabilities

OBSERVED = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
NOW = datetime(2024, 5, 1, 12, 5, tzinfo=UTC)


def _capabilities(price_list: bool, currency: str, *, seller: bool = True) -> Capabilities:
    return Capabilities(
        price_list=price_list,
        purchase_lookup=False,
        server_side_max_price=False,
        idempotent_buy=False,
        delivery="bot_withdraw",
        currencies=frozenset({currency}),
        requests_per_second=1.0,
        seller=seller,
    )


class FakeMarket:
    """A market whose price list is a fixed table {name: (ask, bid)} in one currency."""

    def __init__(
        self,
        name: str,
        table: dict[str, tuple[str | None, str | None]],
        *,
        currency: str = "USD",
        vendor: str | None = None,
        fail: bool = False,
        seller: bool = True,
    ) -> None:
        self.name = name
        self.vendor = vendor or name
        self.currency = currency
        self.table = table
        self.fail = fail
        self.capabilities = _capabilities(True, currency, seller=seller)
        self.calls = 0

    def prices(self, *, app_id: int | None = None) -> list[PriceQuote]:
        self.calls += 1
        if self.fail:
            raise ServiceUnavailable(f"{self.name}: prices: the site is down for maintenance")
        return [
            PriceQuote(
                market=self.name,
                market_hash_name=item,
                lowest_ask=None if ask is None else Money(ask, self.currency),
                highest_bid=None if bid is None else Money(bid, self.currency),
                quantity=3,
                observed_at=OBSERVED,
            )
            for item, (ask, bid) in self.table.items()
        ]

    def list_for_sale(self, market_hash_name: str, *, limit: int = 50) -> list[Listing]:
        return []

    def buy(
        self, listing: Listing, *, max_price: Money | None = None, custom_id: Any = None
    ) -> Purchase:
        raise NotImplementedError

    def balance(self) -> Balance:
        return Balance(market=self.name, available=Money(0, self.currency))

    def active_trades(self) -> list[Trade]:
        return []

    def withdraw(self, purchases: Sequence[Purchase] | None = None) -> list[Trade]:
        return []


class NoPriceListMarket(FakeMarket):
    """A market that cannot publish a price list."""

    def __init__(self, name: str) -> None:
        super().__init__(name, {})
        self.capabilities = _capabilities(False, "USD")

"""The ``Marketplace`` protocol every vendor adapter implements, and the optional protocols.

Code written against these protocols runs unchanged on any vendor: switch markets by changing
the vendor id given to :func:`skinmarkets.connect`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, Protocol, runtime_checkable

import attrs

from skinmarkets._seconds import Ratio
from skinmarkets.models import Balance, Listing, PriceQuote, Purchase, Trade
from skinmarkets.money import Money

__all__ = [
    "Capabilities",
    "Marketplace",
    "PriceSource",
    "PurchaseLookup",
    "Seller",
]

Delivery = Literal["bot_withdraw", "direct_offer"]


@attrs.frozen
class Capabilities:
    """What a vendor can do, so code can check before it calls."""

    price_list: bool
    purchase_lookup: bool
    server_side_max_price: bool
    idempotent_buy: bool
    delivery: Delivery
    currencies: frozenset[str]
    requests_per_second: Ratio
    seller: bool = False
    #: ``prices(names=…)`` answers for the named items only (filtered while reading; on Mannco,
    #: which has no whole list, the only way to price). ``compare``/``arbitrage`` use it for
    #: named items.
    named_prices: bool = False
    #: The kinds of realtime event the market pushes ("listings", "account"); see ``events()``.
    events: frozenset[str] = frozenset()


@runtime_checkable
class Marketplace(Protocol):
    """One market: find offers, buy safely, see the balance and the trades, get the items."""

    name: str
    vendor: str
    capabilities: Capabilities

    def list_for_sale(self, market_hash_name: str, *, limit: int = 50) -> list[Listing]:
        """Live offers for one item name, cheapest first, at most ``limit``."""
        ...

    def buy(
        self,
        listing: Listing,
        *,
        max_price: Money | None = None,
        custom_id: str | None = None,
    ) -> Purchase:
        """Buy one listing, never above ``max_price``, never twice for one ``custom_id``.

        Never retried automatically: when the request may have reached the vendor but no
        answer came, the purchase is looked up by ``custom_id``; if that cannot settle it,
        ``OutcomeUnknown`` is raised.
        """
        ...

    def balance(self) -> Balance:
        """The account's balance."""
        ...

    def active_trades(self) -> list[Trade]:
        """Steam offers waiting on the user right now."""
        ...

    def withdraw(self, purchases: Sequence[Purchase] | None = None) -> list[Trade]:
        """Ask the market to send purchased items to the user's Steam; ``[]`` when none wait."""
        ...


@runtime_checkable
class PriceSource(Protocol):
    """A vendor that publishes its whole price list in one or a few requests.

    Markets whose ``capabilities.named_prices`` is true also take ``names=`` (a collection of
    exact ``market_hash_name`` strings): the quotes of those names only, read without typing
    the rest of the list; a name the market does not list is simply absent, never an error.
    """

    def prices(self, *, app_id: int | None = None) -> list[PriceQuote]:
        """Every item's lowest ask (and highest bid where known), all in one currency."""
        ...


@runtime_checkable
class PurchaseLookup(Protocol):
    """A vendor that can find a purchase by the caller's ``custom_id``."""

    def get_purchase(self, custom_id: str) -> Purchase:
        """The purchase made with ``custom_id``; ``ItemUnavailable`` when there is none."""
        ...


@runtime_checkable
class Seller(Protocol):
    """The selling side: the user's own items, listing, repricing and delisting."""

    def my_inventory(self) -> list[Listing]:
        """Items the user could put up for sale, priced at the market's suggestion if any."""
        ...

    def my_listings(self) -> list[Listing]:
        """The user's items currently on the market."""
        ...

    def sell(self, asset_id: str, price: Money) -> Listing:
        """Put one item from the user's inventory up for sale."""
        ...

    def reprice(self, listing_id: str, price: Money) -> None:
        """Change the price of one of the user's listings."""
        ...

    def delist(self, listing_id: str) -> None:
        """Take one of the user's listings off sale."""
        ...

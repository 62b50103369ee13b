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
    """One market: find offers, buy safely, see the balance and the trades, get the items.

    The method docstrings here are the contract every vendor keeps; a vendor's own docstring
    says only what it adds to it (its endpoints, units, limits and costs, and what it does
    differently). Arguments are checked before anything is sent: a bad one is
    ``InvalidRequest`` (``TypeError`` for a value of the wrong type, such as a float where
    ``Money`` is required), naming what to pass instead.
    """

    name: str
    vendor: str
    capabilities: Capabilities

    def list_for_sale(self, market_hash_name: str, *, limit: int = 50) -> list[Listing]:
        """Live offers for one item name, cheapest first, at most ``limit``.

        ``market_hash_name`` is the item's exact Steam name (stripped; an empty one is
        ``InvalidRequest``) and ``limit`` a whole number of at least 1. The vendor is paged
        through as far as ``limit`` needs. A name the market does not know has no offers:
        ``[]``, not an error. Each listing's ``id`` is what :meth:`buy` takes.
        """
        ...

    def buy(
        self,
        listing: Listing,
        *,
        max_price: Money | None = None,
        custom_id: str | None = None,
    ) -> Purchase:
        """Buy one listing, never above ``max_price``, never twice for one ``custom_id``.

        ``listing`` must come from this market's ``list_for_sale``. ``max_price`` (default: the
        listing's price) is ``Money`` in the listing's currency; a listing that costs more is
        ``PriceExceeded`` before anything is sent. Where the vendor takes a price cap, the cap
        is sent; where it does not, the listing's current price is read again right before
        paying, and a dearer listing is ``PriceExceeded`` and a vanished one
        ``ItemUnavailable``, nothing paid.

        ``custom_id`` is generated (uuid4 hex) when not given and is always on the returned
        ``Purchase``: keep it. It is claimed in the store's write journal, so calling ``buy``
        again with it returns the first purchase without buying again, and the same id for
        another listing is ``DuplicateCustomId``. Where the vendor takes a custom id it is sent
        as well, and the vendor's "this custom_id exists" returns the existing purchase
        (``DuplicateCustomId`` carrying the id when it cannot be read yet).

        Sent at most once, never retried automatically. A well-formed refusal (an error code
        in the vendor's envelope, 4xx, 429) is an answer: its mapped error is raised, nothing
        is looked up. When the request may have reached the vendor but no understood answer
        came (read timeout, connection reset after sending, 5xx, a garbled body, a field
        missing), the purchase is looked up (by ``custom_id`` where the vendor finds purchases
        by it): found -> returned; otherwise ``OutcomeUnknown`` with its ``custom_id``. Settle
        that by calling ``buy`` again with the same ``custom_id``: it looks again and never
        sends the purchase again.
        """
        ...

    def balance(self) -> Balance:
        """The account's balance: what can be spent (``available``), in the account's currency."""
        ...

    def active_trades(self) -> list[Trade]:
        """Steam offers waiting on the user right now, each with its ``direction``.

        A trade that already has a Steam offer id is ``SENT``, never ``PENDING``; ``secret``
        is the code shown in the Steam offer where the vendor gives one.
        """
        ...

    def withdraw(self, purchases: Sequence[Purchase] | None = None) -> list[Trade]:
        """Ask the market to send purchased items to the user's Steam; ``[]`` when none wait.

        ``purchases`` (a list or tuple of this market's ``Purchase``) limits it to their items;
        ``None`` asks for everything held. "Nothing to withdraw" is ``[]``, not an error. The
        request is a write: sent once, never retried; an unclear answer is looked up where the
        vendor allows, else ``OutcomeUnknown``. Where the market delivers at purchase time,
        nothing is sent: the trades already under way are returned.
        """
        ...


@runtime_checkable
class PriceSource(Protocol):
    """A vendor that publishes its whole price list in one or a few requests.

    Markets whose ``capabilities.named_prices`` is true also take ``names=`` (see
    :meth:`prices`).
    """

    def prices(self, *, app_id: int | None = None) -> list[PriceQuote]:
        """Every item's lowest ask (and highest bid where known), all in one currency.

        ``names=`` (where ``capabilities.named_prices``): a collection (list, tuple, set …) of
        exact ``market_hash_name`` strings, checked before anything is sent: a bare ``str``
        (which would be read as its characters) or an empty name is ``InvalidRequest``. Only
        the quotes of those names are returned, the other entries of the list skipped as they
        are read, unchecked; a name the market does not list is simply absent, never an error;
        no names at all is ``[]`` without a request.
        """
        ...


@runtime_checkable
class PurchaseLookup(Protocol):
    """A vendor that can find a purchase by the caller's ``custom_id``."""

    def get_purchase(self, custom_id: str) -> Purchase:
        """The purchase made with ``custom_id``; ``ItemUnavailable`` when there is none."""
        ...


@runtime_checkable
class Seller(Protocol):
    """The selling side: the user's own items, listing, repricing and delisting.

    ``sell``, ``reprice`` and ``delist`` are writes: each is sent once, never retried. An
    answer that is neither an understood success nor a well-formed refusal is looked up in the
    user's own ``my_listings`` (the item listed, at the new price, or gone): settled ->
    returned as if answered; otherwise ``OutcomeUnknown``, whose message says what to check
    before trying again.
    """

    def my_inventory(self) -> list[Listing]:
        """Items the user could put up for sale, priced at the market's suggestion if any."""
        ...

    def my_listings(self) -> list[Listing]:
        """The user's items currently on the market."""
        ...

    def sell(self, asset_id: str, price: Money) -> Listing:
        """Put one item from the user's inventory up for sale; the new listing.

        ``price`` is a positive ``Money`` in the market's currency, in whole units of what the
        vendor sends; anything else is refused before sending.
        """
        ...

    def reprice(self, listing_id: str, price: Money) -> None:
        """Change the price of one of the user's listings (``price`` as for :meth:`sell`)."""
        ...

    def delist(self, listing_id: str) -> None:
        """Take one of the user's listings off sale."""
        ...

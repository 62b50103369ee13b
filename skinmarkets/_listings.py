"""What every vendor's listings share: the cheapest-first order, and the seller's writes.

``sell``, ``reprice`` and ``delist`` go through :func:`skinmarkets._writes.write_once`: sent
once, never retried; an answer that is neither an understood success nor a well-formed refusal is
looked up in the seller's own ``my_listings`` (the listing there, at the new price, or gone),
and ``OutcomeUnknown`` when that cannot tell. The vendor supplies its request (``send``) and
which of its listings is the one written (``matches``). Where items are sold from an on-site
inventory, an item not held there is refused before anything is sent (:func:`not_held`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import ClassVar, Protocol

from skinmarkets import errors
from skinmarkets._writes import write_once
from skinmarkets.models import Listing
from skinmarkets.money import Money

__all__ = [
    "SellerMarket",
    "cheapest",
    "delist_once",
    "listed",
    "not_held",
    "reprice_once",
    "sell_once",
]


class SellerMarket(Protocol):
    """A market that lists the user's items on sale."""

    vendor: str
    #: the vendor codes that do not prove a write did nothing (``Adapter.ambiguous_codes``)
    ambiguous_codes: ClassVar[frozenset[object]]

    def my_listings(self) -> list[Listing]:
        """The user's items on sale."""
        ...


def cheapest(listings: Iterable[Listing], limit: int) -> list[Listing]:
    """At most ``limit`` of ``listings``, cheapest first."""
    return sorted(listings, key=lambda listing: listing.price.amount)[:limit]


def listed(market: SellerMarket, matches: Callable[[Listing], bool]) -> Listing | None:
    """The first of the user's listings that ``matches``, or None."""
    return next((listing for listing in market.my_listings() if matches(listing)), None)


def not_held(vendor: str, message: str) -> errors.ItemUnavailable:
    """The refusal of a ``sell`` whose item is not in the on-site inventory: nothing was sent."""
    return errors.ItemUnavailable(message, vendor=vendor, operation="sell", code="not_in_inventory")


def sell_once(
    market: SellerMarket,
    send: Callable[[], Listing],
    matches: Callable[[Listing], bool],
    *,
    advice: str,
) -> Listing:
    """``sell``: the new listing; an unclear answer is settled by the listing that ``matches``."""
    return write_once(
        vendor=market.vendor,
        operation="sell",
        send=send,
        lookup=lambda: listed(market, matches),
        advice=advice,
        ambiguous_codes=market.ambiguous_codes,
    )


def reprice_once(
    market: SellerMarket,
    send: Callable[[], object],
    matches: Callable[[Listing], bool],
    price: Money,
    *,
    advice: str,
) -> None:
    """``reprice``: an unclear answer is settled once the listing that ``matches`` has
    ``price``."""

    def lookup() -> bool | None:
        listing = listed(market, matches)
        return True if listing is not None and listing.price == price else None

    write_once(
        vendor=market.vendor,
        operation="reprice",
        send=send,
        lookup=lookup,
        advice=advice,
        ambiguous_codes=market.ambiguous_codes,
    )


def delist_once(
    market: SellerMarket,
    send: Callable[[], object],
    matches: Callable[[Listing], bool],
    *,
    advice: str,
) -> None:
    """``delist``: an unclear answer is settled once no listing ``matches``."""

    def lookup() -> bool | None:
        return True if listed(market, matches) is None else None

    write_once(
        vendor=market.vendor,
        operation="delist",
        send=send,
        lookup=lookup,
        advice=advice,
        ambiguous_codes=market.ambiguous_codes,
    )

"""Mannco.store selling (``Seller``): on-site inventory and listings, sell, reprice.

Everything goes through ``POST /inventory/price`` [docs]: it lists an item held on the site,
reprices a listed one, or sells it at once when a buy order is at or above the price. The item
must already be on the site (deposit it first: ``client.deposit`` / ``client.deposit_trade``).
No route to take a listing off sale is documented, so ``delist`` raises ``NotSupported``.
A mixin of :class:`~skinmarkets.vendors.mannco.adapter.Mannco`; it holds no state of its own.
"""

from __future__ import annotations

import attrs

from skinmarkets import _checks, errors
from skinmarkets._adapter import Adapter
from skinmarkets._listings import not_held, reprice_once, sell_once
from skinmarkets.models import Listing
from skinmarkets.money import Money
from skinmarkets.vendors.mannco import units, wire
from skinmarkets.vendors.mannco.checks import check_id, price_in_cents
from skinmarkets.vendors.mannco.client import ManncoClient

VENDOR = "mannco"
#: What to do after an ``OutcomeUnknown`` from a selling write.
_SEE = "Check my_listings() and the on-site inventory before trying again"


class Selling(Adapter):
    """The ``Seller`` methods of the Mannco adapter."""

    client: ManncoClient  # provided by Mannco

    def _own(self, group: wire.InventoryGroup, asset_id: str) -> Listing:
        return Listing(
            market=self.name,
            id=asset_id,
            market_hash_name=group.name or "",
            price=units.money(group.price or 0),
            app_id=group.game or 0,
            asset_id=asset_id,
            raw=group.raw,
        )

    def my_inventory(self) -> list[Listing]:
        """Items held on the site and not listed (GET /inventory/onInventory), one per asset,
        priced at the group's ``price`` (0 when none)."""
        return [
            self._own(group, asset)
            for group in self.client.inventory_on_inventory().items
            for asset in group.asset_ids
        ]

    def my_listings(self) -> list[Listing]:
        """The user's items on sale (GET /inventory/onSale), one per asset id."""
        return [
            self._own(group, asset)
            for group in self.client.inventory_on_sale().items
            for asset in group.asset_ids
        ]

    def sell(self, asset_id: str, price: Money) -> Listing:
        """List one on-site item at ``price`` (POST /inventory/price; 0.01 to 50,000 USD).

        Sells at once instead when a buy order is at or above ``price`` [docs]; the returned
        listing is what was asked either way. Sellers are credited minus a 5% fee [3p].
        """
        cents = self._list_price(price, "sell")
        asset = check_id(asset_id, "asset_id", "sell")
        group = next(
            (g for g in self.client.inventory_on_inventory().items if asset in g.asset_ids), None
        )
        if group is None:
            raise not_held(
                VENDOR,
                f"no item {asset!r} held on the site (GET /inventory/onInventory); "
                "deposit it first",
            )
        listed = self._own(group, asset)

        def send() -> Listing:
            content = self.client.inventory_price([asset], cents)
            raw = content if isinstance(content, dict) else group.raw
            return attrs.evolve(listed, price=units.money(cents), raw=raw)

        return sell_once(self, send, lambda listing: listing.id == asset, advice=_SEE)

    def reprice(self, listing_id: str, price: Money) -> None:
        """Change the price of one listed asset (POST /inventory/price on it again)."""
        cents = self._list_price(price, "reprice")
        asset = check_id(listing_id, "listing_id", "reprice")

        reprice_once(
            self,
            lambda: self.client.inventory_price([asset], cents),
            lambda listing: listing.id == asset,
            units.money(cents),
            advice=_SEE,
        )

    def delist(self, listing_id: str) -> None:
        """Not available: the references document no route that takes a listing off sale."""
        raise errors.NotSupported(
            "delist is not supported: Mannco.store documents no route to take a "
            "listing off sale; reprice it or withdraw the item instead",
            vendor=VENDOR,
            operation="delist",
        )

    @staticmethod
    def _list_price(price: object, operation: str) -> int:
        cents = price_in_cents(price, operation)
        if not units.MIN_LIST_PRICE_CENTS <= cents <= units.MAX_LIST_PRICE_CENTS:
            raise _checks.invalid(
                VENDOR, operation, f"price must be from 0.01 to 50000.00 USD, got {price}"
            )
        return cents

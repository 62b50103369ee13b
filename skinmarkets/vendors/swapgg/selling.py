"""swap.gg selling (``Seller``): on-site inventory and listings, sell, reprice, delist.

Also the seller's extra ``list_from_steam``. A mixin of
:class:`~skinmarkets.vendors.swapgg.adapter.SwapGG`; it holds no state of its own.
"""

from __future__ import annotations

from collections.abc import Callable

from skinmarkets import _checks, errors
from skinmarkets._adapter import Adapter
from skinmarkets._listings import delist_once, not_held, reprice_once, sell_once
from skinmarkets.models import Listing
from skinmarkets.money import Money
from skinmarkets.vendors.swapgg import browse, units
from skinmarkets.vendors.swapgg.checks import price_in_cents
from skinmarkets.vendors.swapgg.client import SwapGGClient

VENDOR = "swapgg"
#: What to do after an ``OutcomeUnknown`` from a selling write.
_SEE = "Check my_listings() and the on-site inventory before trying again"


class Selling(Adapter):
    """The ``Seller`` methods of the swap.gg adapter and ``list_from_steam``."""

    client: SwapGGClient  # provided by SwapGG

    def my_inventory(self) -> list[Listing]:
        """On-site items not on sale, priced at swap.gg's ``suggestedPrice`` (0 when none)."""
        return [
            Listing(
                market=self.name,
                id=item.itemId,
                market_hash_name=item.marketName,
                price=units.money(item.suggestedPrice or 0),
                app_id=item.appId,
                asset_id=item.assetId,
                raw=item.raw,
            )
            for item in browse.inventory(self.client)
            if item.sale is None
        ]

    def my_listings(self) -> list[Listing]:
        """The user's items on sale (sales/browse filtered by the user's own ``userId``)."""
        user_id = self.client.user_me().userId
        items = browse.pages(self.client.sales_browse, {"userId": user_id}, want=None)
        return [
            browse.listing(self.name, item, item.sale) for item in items if item.sale is not None
        ]

    def sell(self, asset_id: str, price: Money) -> Listing:
        """List one on-site item (asset id or item id from ``my_inventory``) at ``price``.

        sales/list works on groups: one item of the item's group is listed. Its answer carries
        no sale id, so the returned listing's ``id`` is the group id (``reprice`` and ``delist``
        accept it as well as a sale id). Items still in the Steam inventory: ``list_from_steam``.
        """
        cents = price_in_cents(price, "sell")
        wanted = _checks.check_id(VENDOR, asset_id, "asset_id", "sell")
        item = next(
            (
                i
                for i in browse.inventory(self.client)
                if i.sale is None and i.groupId and wanted in (i.assetId, i.itemId)
            ),
            None,
        )
        if item is None or item.groupId is None:
            raise not_held(
                VENDOR,
                f"no item {wanted!r} in the on-site inventory; for an item in "
                "the Steam inventory use list_from_steam",
            )
        group = item.groupId

        def send() -> Listing:
            answer = self.client.sales_list([{"groupId": group, "quantity": 1, "price": cents}])
            # status OK is the success; the group's row, when there, has the price it took
            listed = next((g for g in answer.items if g.groupId == group), None)
            return Listing(
                market=self.name,
                id=group,
                market_hash_name=item.marketName,
                price=units.money(listed.price if listed is not None else cents),
                app_id=item.appId,
                asset_id=item.assetId,
                raw=listed.raw if listed is not None else item.raw,
            )

        return sell_once(self, send, _of_group(group), advice=_SEE)

    def list_from_steam(
        self, asset_id: str, price: Money, *, app_id: int = units.DEFAULT_APP_ID
    ) -> None:
        """sell/create: swap.gg sends a Steam offer for the item; listed once it is accepted."""
        cents = price_in_cents(price, "list_from_steam")
        asset = _checks.check_id(VENDOR, asset_id, "asset_id", "list_from_steam")
        _checks.check_count(VENDOR, app_id, "app_id", "list_from_steam")
        self._send_once(
            "list_from_steam",
            lambda: self.client.sell_create(
                app_id=app_id, items=[{"assetId": asset, "price": cents}]
            ),
            advice="Check the Steam offers and my_listings() before trying again",
        )

    def reprice(self, listing_id: str, price: Money) -> None:
        """Change the price of one listing (PUT sales/list on its group, quantity 1)."""
        cents = price_in_cents(price, "reprice")
        group = self._group_of(listing_id, "reprice")

        def send() -> None:  # status OK is the success (read by the envelope reader)
            self.client.sales_update([{"groupId": group, "quantity": 1, "price": cents}])

        reprice_once(self, send, _of_group(group), units.money(cents), advice=_SEE)

    def delist(self, listing_id: str) -> None:
        """Take one listing off sale (sales/delist on its group, quantity 1)."""
        group = self._group_of(listing_id, "delist")

        def send() -> None:  # status OK is the success (read by the envelope reader)
            self.client.sales_delist([{"groupId": group, "quantity": 1}])

        delist_once(self, send, _of_group(group), advice=_SEE)

    def _group_of(self, listing_id: object, operation: str) -> str:
        """The group id of a listing given by sale id (from my_listings) or by group id."""
        if not isinstance(listing_id, str) or not listing_id.strip():
            raise _checks.invalid(
                VENDOR, operation, f"listing_id must be a sale or group id, got {listing_id!r}"
            )
        for listing in self.my_listings():
            group = listing.raw.get("groupId")
            if isinstance(group, str) and listing_id in (listing.id, group):
                return group
        raise errors.ItemUnavailable(
            f"{listing_id!r} is none of the user's listings",
            vendor=VENDOR,
            operation=operation,
            code="not_listed",
        )


def _of_group(group: str) -> Callable[[Listing], bool]:
    """Whether a listing is the one of ``group`` (by group id, or the group id of its row)."""
    return lambda listing: group in (listing.id, listing.raw.get("groupId"))

"""Market TM selling (``Seller``): the user's inventory and listings, sell, reprice, delist.

Also the seller's extras: ``remove_all_from_sale``, ``ping``, ``ping_new``, ``go_offline``,
``update_inventory``; and ``account_currency``, which prices are checked against here and which
the adapter's prices and feeds use as well. A mixin of
:class:`~skinmarkets.vendors.market_tm.adapter.MarketTM`; it holds no state of its own (the
account currency it remembers is the adapter's ``_currency``).
"""

from __future__ import annotations

from skinmarkets import _checks, errors
from skinmarkets._adapter import Adapter
from skinmarkets._listings import delist_once, reprice_once, sell_once
from skinmarkets._writes import not_understood
from skinmarkets.models import Listing
from skinmarkets.money import Money
from skinmarkets.vendors.market_tm import units
from skinmarkets.vendors.market_tm.client import MarketTMClient

VENDOR = "market_tm"
#: What to do after an ``OutcomeUnknown`` from a selling write.
_SEE = "Check my_listings() before trying again"


class Selling(Adapter):
    """The ``Seller`` methods of the Market TM adapter and the seller's extras."""

    # Provided by MarketTM.
    client: MarketTMClient
    app_id: int
    _currency: str | None  # the account currency: stated at connect, or None until asked

    def account_currency(self) -> str:
        """The account's currency: as stated at connect (``currency=``), else asked once with
        get-money and remembered."""
        if self._currency is None:
            self._currency = self.client.get_money().currency.upper()
        return self._currency

    def my_inventory(self) -> list[Listing]:
        """Steam items the user could sell, priced at TM's suggestion (my-inventory)."""
        currency = self.account_currency()
        return [
            Listing(
                market=self.name,
                id=item.id,
                market_hash_name=item.market_hash_name,
                price=Money(item.market_price or 0, currency),
                app_id=self.app_id,
                asset_id=item.id,
                raw=item.raw,
            )
            for item in self.client.my_inventory()
        ]

    def my_listings(self) -> list[Listing]:
        """The user's items on sale (``items`` with status 1)."""
        currency = self.account_currency()
        return [
            Listing(
                market=self.name,
                id=item.item_id,
                market_hash_name=item.market_hash_name,
                price=Money(item.price or 0, item.currency or currency),
                app_id=self.app_id,
                asset_id=item.assetid,
                raw=item.raw,
            )
            for item in self.client.items()
            if item.status == units.ITEM_ON_SALE
        ]

    def sell(self, asset_id: str, price: Money) -> Listing:
        """Put one Steam item (asset id from my_inventory) on sale at ``price`` (add-to-sale)."""
        asset = _checks.check_id(VENDOR, asset_id, "asset_id", "sell")
        price = self._sale_price(price, "sell")

        def send() -> Listing:
            answer = self.client.add_to_sale(
                id=asset,
                price=price.to_minor(scale=units.scale(price.currency)),
                cur=price.currency,
            )
            if answer.raw.get("success") is not True:
                raise not_understood(VENDOR, "sell", answer.raw, "success is not true")
            return Listing(
                market=self.name,
                id=answer.item_id,
                market_hash_name="",
                price=price,
                app_id=self.app_id,
                asset_id=asset,
                raw=answer.raw,
            )

        return sell_once(self, send, lambda listing: listing.asset_id == asset, advice=_SEE)

    def reprice(self, listing_id: str, price: Money) -> None:
        """Change the price of one listing (set-price)."""
        item = _checks.check_id(VENDOR, listing_id, "listing_id", "reprice")
        price = self._sale_price(price, "reprice")
        minor = price.to_minor(scale=units.scale(price.currency))

        def send() -> None:
            self._set_price("reprice", item, minor, price.currency)

        reprice_once(self, send, lambda listing: listing.id == item, price, advice=_SEE)

    def delist(self, listing_id: str) -> None:
        """Take one listing off sale (set-price with price 0)."""
        item = _checks.check_id(VENDOR, listing_id, "listing_id", "delist")
        currency = self.account_currency()  # a read: failing here, nothing was sent

        def send() -> None:
            self._set_price("delist", item, 0, currency)

        delist_once(self, send, lambda listing: listing.id == item, advice=_SEE)

    def _set_price(self, operation: str, item: str, price: int, currency: str) -> None:
        """One set-price (``price`` in TM units; 0 takes the item off sale), ``success`` read."""
        answer = self.client.set_price(item_id=item, price=price, cur=currency)
        if answer.get("success") is not True:
            raise not_understood(VENDOR, operation, answer, "success is not true")

    def remove_all_from_sale(self) -> int:
        """Delist everything; how many listings were removed."""
        answer = self._send_once(
            "remove_all_from_sale", self.client.remove_all_from_sale, advice=_SEE
        )
        count = answer.get("count", 0)
        return count if isinstance(count, int) else 0

    def ping(self) -> None:
        """Stay online as a seller (send every 3 minutes)."""
        self.client.ping()

    def ping_new(self, access_token: str, proxy: str | None = None) -> None:
        """Stay online with a Steam web access token (the newer ping)."""
        self.client.ping_new(access_token=access_token, proxy=proxy)

    def go_offline(self) -> None:
        """Stop selling immediately."""
        self.client.go_offline()

    def update_inventory(self) -> None:
        """Ask TM to refresh its copy of the user's Steam inventory."""
        self.client.update_inventory()

    def _sale_price(self, price: object, operation: str) -> Money:
        """A positive Money in the account's currency, in whole TM units.

        Everything that can be checked locally is checked before the account currency is asked
        (get-money), so a price that cannot be right never costs a request.
        """
        money = _checks.check_money(VENDOR, price, "price", operation, currency="USD")
        _checks.check_positive(VENDOR, money, "price", operation)
        _checks.check_traded(
            VENDOR, money, "price", operation, currencies=units.MINOR_UNITS, venue="Market TM"
        )
        scale = units.scale(money.currency)
        try:
            money.to_minor(scale=scale)
        except ValueError:
            raise errors.InvalidRequest(
                f"{money} is finer than TM's unit (1/{scale} {money.currency}); round it first",
                vendor=VENDOR,
                operation=operation,
            ) from None
        currency = self.account_currency()
        if money.currency != currency:
            raise errors.InvalidRequest(
                f"price is in {money.currency} but the account trades in {currency}",
                vendor=VENDOR,
                operation=operation,
                code="currency_mismatch",
            )
        return money

"""Sandbox emulation of Market TM's seller endpoints (a mixin of ``MarketTMEmulation``).

my-inventory, add-to-sale, set-price, remove-all-from-sale and items.

TM sells from the user's Steam inventory: the items the account bought and accepted (or was
given with ``Sandbox.give_item``). A listed item is one of TM's offers for other buyers; a
third-party buyer (``Sandbox.sell_to_buyer``) takes it and credits the balance minus the fee.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from skinmarkets.sandbox._server import Reply, Request, json_reply
from skinmarkets.sandbox._state import State

__all__ = ["SCALE", "VENDOR", "MarketTMSelling", "minor", "refuse"]

VENDOR = "market_tm"
SCALE = 1000  # USD×1000 on trading endpoints
BOT = "354589802"


def minor(amount: Decimal) -> int:
    """Major units as TM's trading-endpoint integers (USD×1000)."""
    return int(amount * SCALE)


def refuse(error: str | int) -> Reply:
    """TM's refusal: HTTP 200 ``{"success": false, "error": ...}``."""
    return json_reply({"success": False, "error": error})


def _price(request: Request) -> Decimal | None:
    """``price`` (minor units) in major units; None when missing or not a whole number."""
    price = request.arg("price") or ""
    return Decimal(price) / SCALE if price.isdigit() else None


def _wrong_currency(request: Request) -> bool:
    cur = request.arg("cur")
    return cur is not None and cur.upper() != "USD"


class MarketTMSelling:
    """The seller's endpoints of the Market TM emulation."""

    state: State

    def selling_routes(self) -> dict[str, Callable[[Request], Reply]]:
        return {
            "/my-inventory/": self.my_inventory,
            "/my-inventory": self.my_inventory,
            "/add-to-sale": self.add_to_sale,
            "/set-price": self.set_price,
            "/remove-all-from-sale": self.remove_all_from_sale,
            "/items": self.items,
        }

    def my_inventory(self, request: Request) -> Reply:
        """my-inventory: Steam items not on sale; ``market_price`` (major units) suggested."""
        items = [
            {
                "id": p.offer.asset_id,
                "classid": p.offer.class_id,
                "instanceid": p.offer.instance_id,
                "market_hash_name": p.offer.market_hash_name,
                "market_price": p.offer.price,
                "tradable": 1,
            }
            for p in self.state.owned(VENDOR)
        ]
        return json_reply({"success": True, "items": items})

    def add_to_sale(self, request: Request) -> Reply:
        price = _price(request)
        if price is None or price <= 0:
            return refuse("bad_request")
        if _wrong_currency(request):
            return refuse("bad_input")
        with self.state.locked() as state:
            wanted = request.arg("id")
            owned = [p for p in state.owned(VENDOR) if p.offer.asset_id == wanted]
            if not owned:
                return refuse("item_not_in_inventory")
            offer = state.list_item(VENDOR, owned[0], price)
        return json_reply({"success": True, "item_id": int(offer.id)})

    def set_price(self, request: Request) -> Reply:
        """set-price: a new price for one listing; 0 takes it off sale."""
        price = _price(request)
        if price is None:
            return refuse("bad_request")
        if _wrong_currency(request):
            return refuse("bad_input")
        with self.state.locked() as state:
            found = state.own_listing(VENDOR, request.arg("item_id") or "")
            if found is None:
                return refuse("bad_item")
            purchase, offer = found
            if price == 0:
                state.delist(VENDOR, purchase)
            else:
                state.reprice(VENDOR, offer, price)
        return json_reply({"success": True})

    def remove_all_from_sale(self, request: Request) -> Reply:
        with self.state.locked() as state:
            listed = state.own_listings(VENDOR)
            for purchase, _ in listed:
                state.delist(VENDOR, purchase)
        return json_reply({"success": True, "count": len(listed)})

    def items(self, request: Request) -> Reply:
        """items: bought items waiting for pick-up (status 4) and listings (status 1).

        ``price`` is in major units (the doc's sample "price": 4 with "currency": "USD").
        """
        with self.state.locked() as state:
            rows = [
                self._item(p.id, p.offer.asset_id, p.offer.market_hash_name, p.paid, "4", BOT)
                | {"classid": p.offer.class_id, "instanceid": p.offer.instance_id}
                for p in state.purchases[VENDOR]
                if p.state == "held"
            ]
            rows += [
                self._item(o.id, o.asset_id, o.market_hash_name, o.price, "1", "0")
                | {"classid": o.class_id, "instanceid": o.instance_id}
                for _, o in state.own_listings(VENDOR)
            ]
        return json_reply({"success": True, "items": rows})

    @staticmethod
    def _item(
        item_id: str, asset: str, name: str, price: Decimal, status: str, bot: str
    ) -> dict[str, Any]:
        return {
            "item_id": item_id,
            "assetid": asset,
            "market_hash_name": name,
            "position": 0,
            "price": price,
            "currency": "USD",
            "status": status,
            "live_time": 0,
            "left": None,
            "botid": bot,
        }

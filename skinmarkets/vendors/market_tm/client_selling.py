"""Market TM trades and selling: offers to confirm, inventory, listings, seller status (a mixin
of :class:`~skinmarkets.vendors.market_tm.client.MarketTMClient`).
"""

from __future__ import annotations

from skinmarkets._client import given
from skinmarkets.vendors.market_tm import wire
from skinmarkets.vendors.market_tm.client_base import JSON, ClientBase, _hide


class SellingRoutes(ClientBase):
    """Trade and selling endpoints of the Market TM client."""

    # ------------------------------------------------------------------ trades

    def trades(self, *, extended: bool = True) -> wire.Trades:
        """trades: offers the market sent that wait for confirmation on Steam."""
        params = {"extended": "1"} if extended else None
        return self.typed(wire.Trades, "GET", "/trades/", "trades", params=params)

    def trade_request_take(self, *, bot: str | None = None) -> wire.TradeRequest:
        """trade-request-take: ask a bot to send the purchased items it holds."""
        params = {"bot": bot} if bot is not None else None
        return self._sent(wire.TradeRequest, "/trade-request-take", "trade_request_take", params)

    def trade_request_give(self) -> wire.TradeRequest:
        """trade-request-give: ask for an offer to hand sold items to the market's bot."""
        return self._sent(wire.TradeRequest, "/trade-request-give", "trade_request_give")

    def trade_request_give_p2p(self) -> JSON:
        """trade-request-give-p2p: data to send a sold item to its buyer directly."""
        return self.call("GET", "/trade-request-give-p2p", "trade_request_give_p2p", write=True)

    def trade_request_give_p2p_all(self) -> JSON:
        """trade-request-give-p2p-all: data to send every sold item to its buyer."""
        return self.call(
            "GET", "/trade-request-give-p2p-all", "trade_request_give_p2p_all", write=True
        )

    def trade_ready(self, tradeoffer: str) -> JSON:
        """trade-ready: register a Steam trade offer the user created."""
        params = {"tradeoffer": tradeoffer}
        return self.call("GET", "/trade-ready", "trade_ready", params=params, write=True)

    # ------------------------------------------------------------------ selling

    def my_inventory(self) -> list[wire.InventoryItem]:
        """my-inventory: Steam items not yet on sale."""
        return self.listed(wire.InventoryItem, "items", "/my-inventory/", "my_inventory")

    def add_to_sale(self, *, id: str, price: int, cur: str) -> wire.AddToSaleAnswer:
        """add-to-sale: list asset ``id`` at ``price`` (minor units; ``cur`` double-checks)."""
        params = {"id": id, "price": str(price), "cur": cur}
        return self._sent(wire.AddToSaleAnswer, "/add-to-sale", "add_to_sale", params)

    def set_price(self, *, item_id: str, price: int, cur: str) -> JSON:
        """set-price: reprice a listing (minor units); 0 removes it from sale."""
        params = {"item_id": item_id, "price": str(price), "cur": cur}
        return self.call("GET", "/set-price", "set_price", params=params, write=True)

    def remove_all_from_sale(self) -> JSON:
        """remove-all-from-sale: delist everything (``count`` removed)."""
        return self.call("GET", "/remove-all-from-sale", "remove_all_from_sale", write=True)

    def items(self) -> list[wire.MyItem]:
        """items: the user's items on the market and their status (1-4)."""
        return self.listed(wire.MyItem, "items", "/items", "items")

    def ping(self) -> JSON:
        """ping (v=2): stay online as a seller; send every 3 minutes."""
        return self.call("GET", "/ping", "ping", params={"v": "2"}, write=True)

    def ping_new(self, *, access_token: str, proxy: str | None = None) -> JSON:
        """ping-new: stay online with a Steam ``access_token`` (and optional proxy)."""
        _hide(access_token)  # a Steam session: never in a log line or message
        body = {"access_token": access_token} | given(proxy=proxy)
        return self.call("POST", "/ping-new", "ping_new", json_body=body, write=True)

    def go_offline(self) -> JSON:
        """go-offline: stop selling immediately."""
        return self.call("GET", "/go-offline", "go_offline", write=True)

    def update_inventory(self) -> JSON:
        """update-inventory: refresh the cached Steam inventory."""
        return self.call("GET", "/update-inventory/", "update_inventory", write=True)

    def test(self) -> JSON:
        """test: every obstacle to selling (all must be true)."""
        return self.call("GET", "/test", "test")

"""swap.gg API v1: one thin method per documented endpoint, wire types in and out (the rules of
every client: :mod:`skinmarkets._client`). Amounts are EUR cents (integers).

Where the doc contradicts itself, the endpoint heading wins over the curl example (both noted in
``fixtures/swapgg``): cart items is ``GET /v1/cart/items``, delist is ``POST /v1/sales/delist``,
voucher codes is ``POST /v1/vouchers/codes``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from skinmarkets._client import VendorClient, given
from skinmarkets._http import Method
from skinmarkets.vendors.swapgg import units, wire

JSON = Mapping[str, Any]
T = TypeVar("T")
VENDOR = "swapgg"


def pagination(*, skip: int = 0, limit: int = 25) -> dict[str, int]:
    """The Pagination body object: "limit … between 1 and 100", "skip … between 0 and 2000"."""
    return {"limit": limit, "skip": skip}


class SwapGGClient(VendorClient):
    """The swap.gg HTTP API, endpoint by endpoint (see ``swapgg-v1.txt``): ``request`` gives the
    whole ``{"status": "OK", …}`` envelope (``errors.read_envelope``), ``call`` its ``result``."""

    vendor = VENDOR
    converter = wire.converter
    prefix = units.API

    def unwrap(self, payload: Any) -> Any:
        return payload.get("result")

    def _page(self, path: str, body: JSON, operation: str) -> wire.ItemPage:
        answer = self.request("POST", path, operation, json_body=body)
        page = {"items": answer.get("result"), "pagination": answer.get("pagination") or {}}
        result: wire.ItemPage = self.structure(page, wire.ItemPage, operation=operation)
        return result

    # ------------------------------------------------------------------ user

    def user_balance(self) -> wire.UserBalance:
        """GET user/balance: total and withdrawable balance (cents)."""
        return self.typed(wire.UserBalance, "GET", "/user/balance", "user_balance")

    def user_me(self) -> wire.UserMe:
        """GET user/me: basic account details."""
        return self.typed(wire.UserMe, "GET", "/user/me", "user_me")

    def user_summary(self) -> wire.UserSummary:
        """GET user/summary: items sold, purchases, listed items (cached 2 hours)."""
        return self.typed(wire.UserSummary, "GET", "/user/summary", "user_summary")

    def user_tradeoffers(self) -> wire.TradeOffers:
        """GET user/tradeoffers: active Steam trade offers (cancelled after 5 minutes)."""
        return self.typed(wire.TradeOffers, "GET", "/user/tradeoffers", "user_tradeoffers")

    def user_tradelink(self, trade_link: str) -> Any:
        """POST user/tradelink: set the Steam trade link offers are sent to."""
        body = {"tradeLink": trade_link}
        return self.call("POST", "/user/tradelink", "user_tradelink", json_body=body, write=True)

    def user_websocket(self) -> wire.WebsocketToken:
        """GET user/websocket: the JWT to emit as ``auth`` on the socket.io server."""
        return self.typed(wire.WebsocketToken, "GET", "/user/websocket", "user_websocket")

    # ------------------------------------------------------------------ pricing and buy orders

    def pricing_lowest(self, app_id: int | str) -> dict[str, wire.LowestPrice]:
        """GET pricing/lowest?appId=: every name's lowest list price (cached 1 minute)."""
        answer = self.unwrap(self.pricing_lowest_json(app_id))
        return wire.structure(answer, dict[str, wire.LowestPrice], operation="pricing_lowest")

    def pricing_lowest_json(self, app_id: int | str) -> Any:
        """GET pricing/lowest?appId= as the decoded envelope (the adapter's fast path reads it)."""
        return self._per_name("/pricing/lowest", "pricing_lowest", app_id)

    def buyorders_create(self, items: Sequence[JSON]) -> wire.OrderIds:
        """POST buyorders: ``items`` of {"appId", "marketName", "price" (cents), "quantity"}."""
        return self._sent(wire.OrderIds, "/buyorders", "buyorders_create", {"items": list(items)})

    def buyorders_list(self) -> list[wire.BuyOrder]:
        """GET buyorders: the user's active buy orders."""
        return self.typed_list(wire.BuyOrder, "GET", "/buyorders", "buyorders_list")

    def buyorders_delete(self, order_ids: Sequence[str]) -> Any:
        """DELETE buyorders {"orderIds"}: cancel these buy orders."""
        body = {"orderIds": list(order_ids)}
        return self.call("DELETE", "/buyorders", "buyorders_delete", json_body=body, write=True)

    def buyorders_delete_all(self) -> Any:
        """DELETE buyorders/all: cancel every active buy order."""
        return self.call("DELETE", "/buyorders/all", "buyorders_delete_all", write=True)

    def buyorders_summary(self, app_id: int | str) -> dict[str, wire.BuyOrderSummary]:
        """GET buyorders/summary?appId=: highest/lowest buy order and quantity per name."""
        answer = self.unwrap(self.buyorders_summary_json(app_id))
        return wire.structure(
            answer, dict[str, wire.BuyOrderSummary], operation="buyorders_summary"
        )

    def buyorders_summary_json(self, app_id: int | str) -> Any:
        """GET buyorders/summary?appId= as the decoded envelope (for the adapter's fast path)."""
        return self._per_name("/buyorders/summary", "buyorders_summary", app_id)

    # ------------------------------------------------------------------ inventory

    def inventory_browse(
        self, filters: JSON | None = None, *, skip: int = 0, limit: int = 25
    ) -> wire.ItemPage:
        """POST inventory/browse: one page of the user's on-site inventory."""
        body = {"filters": dict(filters or {}), "pagination": pagination(skip=skip, limit=limit)}
        return self._page("/inventory/browse", body, "inventory_browse")

    def inventory_withdraw(self, groups: Sequence[JSON]) -> wire.WithdrawResult:
        """POST inventory/withdraw: ``groups`` of {"groupId", "quantity"} to the Steam inventory."""
        body = _items(groups)
        return self._sent(wire.WithdrawResult, "/inventory/withdraw", "inventory_withdraw", body)

    # ------------------------------------------------------------------ cart

    def cart_items(self) -> wire.Cart:
        """GET cart/items: the cart, re-checked (``removedItems`` were sold or delisted)."""
        return self.typed(wire.Cart, "GET", "/cart/items", "cart_items")

    def cart_add(self, *, app_id: int | str, market_name: str, quantity: int = 1) -> wire.SaleIds:
        """POST cart/add: put ``quantity`` of ``market_name`` in the cart."""
        body = {"appId": str(app_id), "marketName": market_name, "quantity": quantity}
        return self._sent(wire.SaleIds, "/cart/add", "cart_add", body)

    def cart_remove(self, sale_ids: Sequence[str]) -> Any:
        """POST cart/remove: take these sales out of the cart."""
        body = {"saleIds": list(sale_ids)}
        return self.call("POST", "/cart/remove", "cart_remove", json_body=body, write=True)

    # ------------------------------------------------------------------ sales

    def sales_browse(
        self, filters: JSON | None = None, *, skip: int | None = None, limit: int | None = None
    ) -> wire.ItemPage:
        """POST sales/browse: one page of items for sale (Browse Filter Object in ``filters``)."""
        body: dict[str, Any] = {"filters": dict(filters or {})}
        if skip is not None or limit is not None:
            body["pagination"] = pagination(skip=skip or 0, limit=limit or 25)
        return self._page("/sales/browse", body, "sales_browse")

    def sales_purchase(self, sale_ids: Sequence[str]) -> wire.PurchaseResult:
        """POST sales/purchase: buy these sales into the on-site inventory (no cap, no id)."""
        body = {"saleIds": list(sale_ids)}
        return self._sent(wire.PurchaseResult, "/sales/purchase", "sales_purchase", body)

    def sales_list(self, groups: Sequence[JSON]) -> wire.SaleGroups:
        """POST sales/list: list on-site items, {"groupId", "quantity", "price" (cents)}."""
        return self._sent(wire.SaleGroups, "/sales/list", "sales_list", _items(groups))

    def sales_update(self, groups: Sequence[JSON]) -> wire.SaleGroups:
        """PUT sales/list: reprice listed items, {"groupId", "quantity", "price" (cents)}."""
        return self._sent(wire.SaleGroups, "/sales/list", "sales_update", _items(groups), "PUT")

    def sales_delist(self, groups: Sequence[JSON]) -> wire.Delisted:
        """POST sales/delist: back to the on-site inventory, {"groupId", "quantity"}."""
        return self._sent(wire.Delisted, "/sales/delist", "sales_delist", _items(groups))

    def sell_create(self, *, app_id: int | str, items: Sequence[JSON]) -> Any:
        """POST sell/create: a Steam offer for ``items`` {"assetId", "price"}; listed on accept."""
        body = {"appId": str(app_id), "items": list(items)}
        return self.call("POST", "/sell/create", "sell_create", json_body=body, write=True)

    # ------------------------------------------------------------------ payout

    def payout(self, *, method: str, amount: int) -> Any:
        """POST payout: request a payout of ``amount`` cents with ``method``."""
        body = {"method": method, "amount": amount}
        return self.call("POST", "/payout", "payout", json_body=body, write=True)

    # ------------------------------------------------------------------ screenshots

    def screenshot_get(self) -> list[wire.Screenshot]:
        """GET screenshot: the screenshots requested this session."""
        return self.typed_list(wire.Screenshot, "GET", "/screenshot", "screenshot_get")

    def screenshot_create(self, inspect_link: str) -> wire.Screenshot:
        """POST screenshot: queue an in-game screenshot of a CS item."""
        body = {"inspectLink": inspect_link}
        return self._sent(wire.Screenshot, "/screenshot", "screenshot_create", body)

    # ------------------------------------------------------------------ vouchers

    def vouchers_codes(self, body: JSON | None = None) -> wire.Vouchers:
        """POST vouchers/codes: purchased codes not activated yet (``body``: sort, pagination)."""
        sent = dict(body) if body else None
        return self.typed(
            wire.Vouchers, "POST", "/vouchers/codes", "vouchers_codes", json_body=sent
        )

    def vouchers_purchase(
        self, *, value: int, quantity: int = 1, note: str | None = None
    ) -> wire.VoucherCodes:
        """POST vouchers/purchase: buy ``quantity`` codes worth ``value`` cents each."""
        body = {"value": value, "quantity": quantity} | given(note=note)
        return self._sent(wire.VoucherCodes, "/vouchers/purchase", "vouchers_purchase", body)

    def _per_name(self, path: str, operation: str, app_id: int | str) -> Any:
        """GET one of the lists keyed by market name (``?appId=``): the decoded envelope."""
        return self.request("GET", path, operation, params={"appId": str(app_id)})

    def _sent(
        self, cls: type[T], path: str, operation: str, body: JSON, method: Method = "POST"
    ) -> T:
        """A write of the JSON ``body`` (sent at most once), its answer as ``cls``."""
        return self.typed(cls, method, path, operation, json_body=body, write=True)


def _items(groups: Sequence[JSON]) -> dict[str, list[JSON]]:
    """The body of the writes on groups (withdraw, list, reprice, delist): ``{"items": …}``."""
    return {"items": list(groups)}

"""Mannco.store routes the adapter does not build on: account history, buy orders, cart,
deposit and P2P offers (the base of :class:`~skinmarkets.vendors.mannco.client.ManncoClient`;
``content`` as decoded, the trust tag of mannco-api.md in each docstring).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from skinmarkets._client import VendorClient, given
from skinmarkets._http import Params

JSON = Mapping[str, Any]


class AccountRoutes(VendorClient):
    """Account, buy-order, cart, deposit and offer routes."""

    # ------------------------------------------------------------------ account (§5)

    def user_store(self, identifier: str) -> Any:
        """GET /user/store/{identifier} [docs]: public store profile (``api`` filter only)."""
        return self.call("GET", f"/user/store/{identifier}", "user_store")

    def user_is_connected(self) -> Any:
        """GET /user/isConnected [a third-party browser client only]."""
        return self.call("GET", "/user/isConnected", "user_is_connected")

    def user_notifications(self) -> Any:
        """GET /user/notifications [3p:gman only]."""
        return self.call("GET", "/user/notifications", "user_notifications")

    def user_ip_list(self, *, page: int = 0, per_page: int = 50, expire: bool = False) -> Any:
        """GET /user/ipList?page&perPage&expire [3p:gman only]: login sessions."""
        params = given(page=page, perPage=per_page, expire="true" if expire else None)
        return self.call("GET", "/user/ipList", "user_ip_list", params=params)

    def user_disconnect(self) -> Any:
        """GET /user/disconnect [3p:gman only]: invalidates the JWT."""
        return self.call("GET", "/user/disconnect", "user_disconnect")

    def user_sales_infos(self) -> Any:
        """GET /user/getSalesInfos [3p:gman only]: sales summary."""
        return self.call("GET", "/user/getSalesInfos", "user_sales_infos")

    def user_sales_chart_infos(self, params: Params | None = None) -> Any:
        """GET /user/getSalesChartInfos?period&chart&chart_only [3p:gman only]."""
        return self.call("GET", "/user/getSalesChartInfos", "user_sales_chart_infos", params=params)

    def user_balance_history(self, *, page: int = 0, limit: int = 50) -> Any:
        """GET /user/getBalanceHistory?page&limit [3p:gman only]."""
        return self._get("/user/getBalanceHistory", "user_balance_history", page=page, limit=limit)

    def user_purchase_history(self, *, page: int = 0, count: int = 50) -> Any:
        """GET /user/getPurchaseHistory?page&count [3p:gman only]."""
        return self._get(
            "/user/getPurchaseHistory", "user_purchase_history", page=page, count=count
        )

    def user_sales_history(
        self,
        *,
        page: int = 0,
        per_page: int = 50,
        time_range: str = "1W",
        search: str | None = None,
    ) -> Any:
        """GET /user/getSalesHistory [3p:gman, 3p:vanzip, 3p:tf2autobot only].

        The clients disagree on names (``perPage``/``perpage``, ``range``/``timeRange``): both
        spellings are sent (mannco-api.md §5 note 1).
        """
        return self._get(
            "/user/getSalesHistory",
            "user_sales_history",
            page=page,
            perPage=per_page,
            perpage=per_page,
            range=time_range,
            timeRange=time_range,
            search=search,
        )

    def user_transaction_history(
        self, *, page: int = 0, limit: int = 50, search: str | None = None
    ) -> Any:
        """GET /user/getTransactionHistory?page&limit&search [3p:gman only]."""
        return self._get(
            "/user/getTransactionHistory",
            "user_transaction_history",
            page=page,
            limit=limit,
            search=search,
        )

    def user_transaction_details(self, transaction_id: str) -> Any:
        """GET /user/getTransactionDetails?transactionId [3p:gman only]."""
        return self._get(
            "/user/getTransactionDetails", "user_transaction_details", transactionId=transaction_id
        )

    def user_cashout_history(self, *, page: int = 0, count: int = 50) -> Any:
        """GET /user/getCashoutHistory [3p:gman only]; cashing out itself is website-only."""
        return self._get("/user/getCashoutHistory", "user_cashout_history", page=page, count=count)

    def user_crypto_deposit_history(self, *, page: int = 0, count: int = 50) -> Any:
        """GET /user/getCryptoDepositHistory [3p:gman only]."""
        return self._get(
            "/user/getCryptoDepositHistory", "user_crypto_deposit_history", page=page, count=count
        )

    def _get(self, path: str, operation: str, **params: Any) -> Any:
        """GET ``path`` with the query ``params`` that are not None."""
        return self.call("GET", path, operation, params=given(**params))

    # ------------------------------------------------------------------ buy orders (§10)

    def item_buyorder_create(self, *, item_id: str, value: int, amount: int) -> Any:
        """POST /item/buyorder {"itemid", "value" (cents), "amount"} [docs params; path 3p]."""
        body = {"itemid": int(item_id), "value": value, "amount": amount}
        return self._post("/item/buyorder", "item_buyorder_create", body)

    def item_buyorder_update(self, *, item_id: str, value: int, amount: int) -> Any:
        """POST /item/buyorder/update {"itemid", "value", "amount"} [docs params; path 3p]."""
        body = {"itemid": int(item_id), "value": value, "amount": amount}
        return self._post("/item/buyorder/update", "item_buyorder_update", body)

    def item_buyorder_remove(self, item_id: str) -> Any:
        """POST /item/buyorder/remove {"itemid"} [docs; path 3p:gman, 3p:vanzip]."""
        return self._post("/item/buyorder/remove", "item_buyorder_remove", {"itemid": int(item_id)})

    def item_buyorder_bulk(self, orders: Sequence[JSON]) -> Any:
        """POST /item/buyorder/bulk {"orders": [...]} [3p:tf2autobot only]."""
        return self._post("/item/buyorder/bulk", "item_buyorder_bulk", {"orders": list(orders)})

    def user_buyorder(self, item_id: str) -> Any:
        """GET /user/buyorder/{item} [docs]: your buy order for one item."""
        return self.call("GET", f"/user/buyorder/{item_id}", "user_buyorder")

    def user_get_buyorder(
        self, *, page: int = 0, count: int = 1000, search: str | None = None
    ) -> Any:
        """GET /user/getBuyorder?page&count&search [3p:gman only]: all your buy orders."""
        return self._get(
            "/user/getBuyorder", "user_get_buyorder", page=page, count=count, search=search
        )

    # ------------------------------------------------------------------ cart (§8; paths 3p:gman)

    def cart_get(self) -> Any:
        """GET /cart/get [docs fields; path 3p:gman]."""
        return self.call("GET", "/cart/get", "cart_get")

    def cart_add(self, asset_id: str) -> Any:
        """POST /cart/add {"assetId"} [docs errors; path 3p:gman]."""
        return self._post("/cart/add", "cart_add", {"assetId": asset_id})

    def cart_bulk(self, *, item_id: str, count: int, seller_user_id: str | None = None) -> Any:
        """POST /cart/bulk {"itemId", "count", "sellerUserId"?} [docs; path 3p:gman]."""
        body = {"itemId": int(item_id), "count": count} | given(sellerUserId=seller_user_id)
        return self._post("/cart/bulk", "cart_bulk", body)

    def cart_remove(self, cart_id: int) -> Any:
        """POST /cart/remove {"cartId"} [docs; path 3p:gman]."""
        return self._post("/cart/remove", "cart_remove", {"cartId": cart_id})

    def cart_update(self) -> Any:
        """POST /cart/update [docs; path and response 3p:gman]: integrity scan before paying."""
        return self.call("POST", "/cart/update", "cart_update", write=True)

    # ------------------------------------------------------------------ deposit (§11)

    def deposit(self, game: int) -> Any:
        """GET /deposit/{game} [docs]: your Steam inventory with per-asset deposit keys."""
        return self.call("GET", f"/deposit/{game}", "deposit")

    def deposit_trade(self, *, prices: JSON, deposit_keys: JSON, game: int = 440) -> Any:
        """POST /deposit/trade {"prices", "depositKeys", "game"} [docs; response 3p]."""
        body = {"prices": dict(prices), "depositKeys": dict(deposit_keys), "game": game}
        return self._post("/deposit/trade", "deposit_trade", body)

    def deposit_trade_status(self, trade_id: str) -> Any:
        """GET /deposit/tradeStatus/{tradeid} [3p only]: ``{trade: {...}}`` or a bare status."""
        return self.call("GET", f"/deposit/tradeStatus/{trade_id}", "deposit_trade_status")

    def deposit_instant_sell(self, game: int) -> Any:
        """GET /deposit/instantSell/{game} [3p:gman only; TF2, needs a cashout method]."""
        return self.call("GET", f"/deposit/instantSell/{game}", "deposit_instant_sell")

    def deposit_trade_instant(
        self, *, prices: JSON, deposit_keys: JSON, game: int, cashout_method: str
    ) -> Any:
        """POST /deposit/trade/instant [3p:gman only; TF2, needs a cashout method]."""
        body = {"prices": dict(prices), "depositKeys": dict(deposit_keys), "game": game}
        body["cashout_method"] = cashout_method
        return self._post("/deposit/trade/instant", "deposit_trade_instant", body)

    # ------------------------------------------------------------ P2P offers (§13; 3p:gman only)

    def offers_received(self) -> Any:
        """GET /offers/received [3p:gman only]."""
        return self.call("GET", "/offers/received", "offers_received")

    def offers_my(self) -> Any:
        """GET /offers/my [3p:gman only]: ``content`` is a bare array."""
        return self.call("GET", "/offers/my", "offers_my")

    def offers_create(self, *, asset_id: str, price: int) -> Any:
        """POST /offers/create {"id": assetId, "price": cents} [3p:gman only]."""
        return self._post("/offers/create", "offers_create", {"id": int(asset_id), "price": price})

    def offers_accept(self, offer_id: str) -> Any:
        """POST /offers/accept {"id"} [3p:gman only]."""
        return self._post("/offers/accept", "offers_accept", {"id": int(offer_id)})

    def offers_decline(self, offer_id: str) -> Any:
        """POST /offers/decline {"id"} [3p:gman only]."""
        return self._post("/offers/decline", "offers_decline", {"id": int(offer_id)})

    def offers_remove(self, offer_id: str) -> Any:
        """POST /offers/remove {"id"} [3p:gman only]."""
        return self._post("/offers/remove", "offers_remove", {"id": int(offer_id)})

    def _post(self, path: str, operation: str, body: JSON) -> Any:
        """POST ``body`` to ``path``: a write, sent at most once."""
        return self.call("POST", path, operation, json_body=body, write=True)

"""Market TM API v2: one thin method per documented endpoint, wire types in and out (the rules of
every client: :mod:`skinmarkets._client`). Amounts are minor-unit integers on trading endpoints.

Price lists, search, buying and buy orders are here; trades and selling are in
``client_selling``, the account and the realtime tokens in ``client_account``: mixins of
:class:`MarketTMClient` on ``client_base`` (``call`` answers the JSON object of a success).

Credentials other than our own key that a method puts in a URL (another account's API key,
payment passwords, a Steam Web API key, trade tokens) are registered as secrets before sending
(``_hide``, in ``client_base``): urllib3 logs the full request target, and only registered
values are scrubbed.
"""

from __future__ import annotations

from collections.abc import Sequence

from skinmarkets import errors
from skinmarkets._client import given
from skinmarkets.vendors.market_tm import wire
from skinmarkets.vendors.market_tm.client_account import AccountRoutes
from skinmarkets.vendors.market_tm.client_base import JSON, _hide
from skinmarkets.vendors.market_tm.client_selling import SellingRoutes


class MarketTMClient(SellingRoutes, AccountRoutes):
    """The Market TM HTTP API, endpoint by endpoint (see ``market-tm-v2-*.txt``)."""

    # ------------------------------------------------------------------ price lists (public)

    def prices(self, currency: str) -> JSON:
        """prices/{CUR}.json: the price list."""
        return self.call("GET", f"/prices/{currency}.json", "prices")

    def prices_class_instance(self, currency: str) -> wire.ClassInstancePrices:
        """prices/class_instance/{CUR}.json: prices per class/instance with buy orders."""
        answer = self.prices_class_instance_json(currency)
        return wire.structure(answer, wire.ClassInstancePrices, operation="prices_class_instance")

    def prices_class_instance_json(self, currency: str) -> JSON:
        """prices/class_instance/{CUR}.json as decoded JSON (the adapter's fast path reads it)."""
        path = f"/prices/class_instance/{currency}.json"
        return self.call("GET", path, "prices_class_instance")

    def prices_orders(self, currency: str) -> JSON:
        """prices/orders/{CUR}.json: the buy orders list."""
        return self.call("GET", f"/prices/orders/{currency}.json", "prices_orders")

    def dictionary_names(self) -> JSON:
        """dictionary/names.json: ``name_id`` -> hash name, for the price websocket's pushes."""
        return self.call("GET", "/dictionary/names.json", "dictionary_names")

    # ------------------------------------------------------------------ search

    def search_item_by_hash_name(self, hash_name: str) -> JSON:
        """search-item-by-hash-name: offers for one name grouped by price (``list`` or ``data``)."""
        params = {"hash_name": hash_name}
        return self.call(
            "GET", "/search-item-by-hash-name", "search_item_by_hash_name", params=params
        )

    def search_item_by_hash_name_specific(
        self, hash_name: str, *, phase: str | None = None
    ) -> wire.SpecificSearch:
        """search-item-by-hash-name-specific: every offer for one name, with float and phase."""
        return self.typed(
            wire.SpecificSearch,
            "GET",
            "/search-item-by-hash-name-specific",
            "search_item_by_hash_name_specific",
            params=given(hash_name=hash_name, phase=phase),
        )

    def search_list_items_by_hash_name_all(
        self, hash_names: Sequence[str], *, extended: bool = False
    ) -> wire.ListSearch:
        """search-list-items-by-hash-name-all: offers for up to 50 names (5 with ``extended``)."""
        params = {"list_hash_name[]": list(hash_names)} | given(extended="1" if extended else None)
        return self.typed(
            wire.ListSearch,
            "GET",
            "/search-list-items-by-hash-name-all",
            "search_list_items_by_hash_name_all",
            params=params,
        )

    def get_list_items_info(self, hash_names: Sequence[str]) -> JSON:
        """get-list-items-info: sales history (min, max, average) per name."""
        params = {"list_hash_name[]": list(hash_names)}
        return self.call("GET", "/get-list-items-info", "get_list_items_info", params=params)

    # ------------------------------------------------------------------ buying

    def buy(
        self,
        *,
        price: int,
        custom_id: str | None = None,
        id: str | None = None,
        hash_name: str | None = None,
    ) -> wire.BuyAnswer:
        """buy: one item by listing ``id`` (or the cheapest ``hash_name``) for at most ``price``.

        ``custom_id`` is optional on the wire ("optional parameter!"); the adapter always sends one.
        """
        params = _item_params(id, hash_name) | given(price=str(price), custom_id=custom_id)
        return self._sent(wire.BuyAnswer, "/buy", "buy", params)

    def buy_for(
        self,
        *,
        price: int,
        partner: str,
        token: str,
        custom_id: str | None = None,
        id: str | None = None,
        hash_name: str | None = None,
    ) -> wire.BuyAnswer:
        """buy-for: buy and deliver to another user's trade link (``partner``/``token``)."""
        _hide(token)
        params = _item_params(id, hash_name) | given(
            price=str(price), partner=partner, token=token, custom_id=custom_id
        )
        return self._sent(wire.BuyAnswer, "/buy-for", "buy_for", params)

    def get_buy_info_by_custom_id(self, custom_id: str) -> wire.BuyInfo:
        """get-buy-info-by-custom-id: the purchase made with ``custom_id``.

        The docs show no answer for an unknown ``custom_id``; a success whose ``data`` is empty
        (``null``, ``[]`` or ``{}``) means TM knows no such purchase: ``ItemUnavailable``.
        """
        operation = "get_buy_info_by_custom_id"
        params = {"custom_id": custom_id}
        answer = self.call("GET", "/get-buy-info-by-custom-id", operation, params=params)
        if not answer.get("data"):
            raise errors.ItemUnavailable(
                f"no purchase with custom_id {custom_id!r} (empty data)",
                vendor=self.vendor,
                operation=operation,
                code="no data",
                raw=answer,
            )
        return wire.structure(answer["data"], wire.BuyInfo, operation=operation)

    def get_list_buy_info_by_custom_id(self, custom_ids: Sequence[str]) -> dict[str, wire.BuyInfo]:
        """get-list-buy-info-by-custom-id: purchases keyed by their ``custom_id``."""
        operation = "get_list_buy_info_by_custom_id"
        params = {"custom_id[]": list(custom_ids)}
        answer = self.call("GET", "/get-list-buy-info-by-custom-id", operation, params=params)
        return wire.structure(
            answer.get("data") or {}, dict[str, wire.BuyInfo], operation=operation
        )

    def history(self, *, date: int | str, date_end: int | None = None) -> list[wire.HistoryEntry]:
        """history: purchases and sales on every site (``date``: timestamp or DD-MM-YYYY)."""
        params = given(date=str(date), date_end=None if date_end is None else str(date_end))
        return self.listed(wire.HistoryEntry, "data", "/history", "history", params=params)

    def operation_history(self, *, date: int, date_end: int) -> list[wire.HistoryEntry]:
        """operation-history: purchases, sales, deposits and withdrawals."""
        params = {"date": str(date), "date_end": str(date_end)}
        return self.listed(
            wire.HistoryEntry, "data", "/operation-history", "operation_history", params=params
        )

    # ------------------------------------------------------------------ buy orders

    def get_orders(self, *, page: int = 0) -> JSON:
        """get-orders: the user's buy orders."""
        return self.call("GET", "/get-orders", "get_orders", params={"page": str(page)})

    def set_order(
        self,
        *,
        market_hash_name: str,
        count: int,
        price: int,
        partner: str | None = None,
        token: str | None = None,
    ) -> JSON:
        """set-order: add, change (or with count 0 delete) a buy order; price in minor units."""
        params = {"market_hash_name": market_hash_name, "count": str(count), "price": str(price)}
        if partner is not None and token is not None:
            _hide(token)  # a trade token in the URL, as buy_for's
            params |= {"partner": partner, "token": token}
        return self.call("GET", "/set-order", "set_order", params=params, write=True)

    def get_orders_log(self, *, page: int = 0) -> JSON:
        """get-orders-log: executed buy orders."""
        return self.call("GET", "/get-orders-log", "get_orders_log", params={"page": str(page)})


def _item_params(id: str | None, hash_name: str | None) -> dict[str, str]:
    if (id is None) == (hash_name is None):
        raise ValueError("pass exactly one of id= or hash_name=")
    return {"id": id} if id is not None else {"hash_name": hash_name or ""}

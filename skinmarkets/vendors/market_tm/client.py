"""Market TM API v2: one thin method per documented endpoint, wire types in and out.

Amounts here are exactly what the wire carries (minor-unit integers on trading endpoints); the
adapter does all translation. Methods whose answer the adapter does not read return the decoded
JSON object as is. Writes (``write=True``) are never retried by the transport.

Credentials other than our own key that a method puts in a URL (another account's API key,
payment passwords, a Steam Web API key, trade tokens) are registered as secrets before sending
(``_hide``): urllib3 logs the full request target, and only registered values are scrubbed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar
from urllib.parse import quote

from skinmarkets import errors
from skinmarkets._http import Method, Params, Transport
from skinmarkets._secret import Secret, register_secret
from skinmarkets.vendors.market_tm import wire

T = TypeVar("T")
JSON = Mapping[str, Any]

API = "/api/v2"


class MarketTMClient:
    """The Market TM HTTP API, endpoint by endpoint (see ``market-tm-v2-*.txt``)."""

    def __init__(self, transport: Transport) -> None:
        self.transport = transport

    def __repr__(self) -> str:
        return f"MarketTMClient({self.transport!r})"

    # ------------------------------------------------------------------ plumbing

    def call(
        self,
        path: str,
        *,
        operation: str,
        params: Params | None = None,
        write: bool = False,
        method: Method = "GET",
        json_body: Any = None,
    ) -> JSON:
        """Send one API v2 request; the decoded JSON object of a successful answer."""
        answer = self.transport.request(
            method,
            API + path,
            operation=operation,
            write=write,
            params=params,
            json_body=json_body,
        )
        if not isinstance(answer.data, Mapping):
            raise errors.UnexpectedResponse(
                f"market_tm: {operation}: expected a JSON object, got {type(answer.data).__name__}",
                vendor="market_tm",
                operation=operation,
                http_status=answer.status,
                raw=answer.raw,
            )
        return answer.data

    def _typed(self, cls: type[T], path: str, *, operation: str, **kwargs: Any) -> T:
        return wire.structure(
            self.call(path, operation=operation, **kwargs), cls, operation=operation
        )

    # ------------------------------------------------------------------ price lists (public)

    def prices(self, currency: str) -> JSON:
        """prices/{CUR}.json: the price list."""
        return self.call(f"/prices/{currency}.json", operation="prices")

    def prices_class_instance(self, currency: str) -> wire.ClassInstancePrices:
        """prices/class_instance/{CUR}.json: prices per class/instance with buy orders."""
        return wire.structure(
            self.prices_class_instance_json(currency),
            wire.ClassInstancePrices,
            operation="prices_class_instance",
        )

    def prices_class_instance_json(self, currency: str) -> JSON:
        """prices/class_instance/{CUR}.json as decoded JSON (the adapter's fast path reads it)."""
        return self.call(
            f"/prices/class_instance/{currency}.json", operation="prices_class_instance"
        )

    def prices_orders(self, currency: str) -> JSON:
        """prices/orders/{CUR}.json: the buy orders list."""
        return self.call(f"/prices/orders/{currency}.json", operation="prices_orders")

    # ------------------------------------------------------------------ search

    def search_item_by_hash_name(self, hash_name: str) -> JSON:
        """search-item-by-hash-name: offers for one name grouped by price (``list`` or ``data``)."""
        return self.call(
            "/search-item-by-hash-name",
            operation="search_item_by_hash_name",
            params={"hash_name": hash_name},
        )

    def search_item_by_hash_name_specific(
        self, hash_name: str, *, phase: str | None = None
    ) -> wire.SpecificSearch:
        """search-item-by-hash-name-specific: every offer for one name, with float and phase."""
        params: dict[str, str] = {"hash_name": hash_name}
        if phase is not None:
            params["phase"] = phase
        return self._typed(
            wire.SpecificSearch,
            "/search-item-by-hash-name-specific",
            operation="search_item_by_hash_name_specific",
            params=params,
        )

    def search_list_items_by_hash_name_all(
        self, hash_names: Sequence[str], *, extended: bool = False
    ) -> wire.ListSearch:
        """search-list-items-by-hash-name-all: offers for up to 50 names (5 with ``extended``)."""
        params: dict[str, Any] = {"list_hash_name[]": list(hash_names)}
        if extended:
            params["extended"] = "1"
        return self._typed(
            wire.ListSearch,
            "/search-list-items-by-hash-name-all",
            operation="search_list_items_by_hash_name_all",
            params=params,
        )

    def get_list_items_info(self, hash_names: Sequence[str]) -> JSON:
        """get-list-items-info: sales history (min, max, average) per name."""
        return self.call(
            "/get-list-items-info",
            operation="get_list_items_info",
            params={"list_hash_name[]": list(hash_names)},
        )

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
        params = _item_params(id, hash_name) | {"price": str(price)} | _custom_id(custom_id)
        return self._typed(wire.BuyAnswer, "/buy", operation="buy", params=params, write=True)

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
        params = (
            _item_params(id, hash_name)
            | {"price": str(price), "partner": partner, "token": token}
            | _custom_id(custom_id)
        )
        return self._typed(
            wire.BuyAnswer, "/buy-for", operation="buy_for", params=params, write=True
        )

    def get_buy_info_by_custom_id(self, custom_id: str) -> wire.BuyInfo:
        """get-buy-info-by-custom-id: the purchase made with ``custom_id``.

        The docs show no answer for an unknown ``custom_id``; a success whose ``data`` is empty
        (``null``, ``[]`` or ``{}``) means TM knows no such purchase: ``ItemUnavailable``.
        """
        operation = "get_buy_info_by_custom_id"
        answer = self.call(
            "/get-buy-info-by-custom-id", operation=operation, params={"custom_id": custom_id}
        )
        data = answer.get("data")
        if not data:
            raise errors.ItemUnavailable(
                f"market_tm: {operation}: no purchase with custom_id {custom_id!r} (empty data)",
                vendor="market_tm",
                operation=operation,
                code="no data",
                raw=answer,
            )
        return wire.structure(data, wire.BuyInfo, operation=operation)

    def get_list_buy_info_by_custom_id(self, custom_ids: Sequence[str]) -> dict[str, wire.BuyInfo]:
        """get-list-buy-info-by-custom-id: purchases keyed by their ``custom_id``."""
        operation = "get_list_buy_info_by_custom_id"
        answer = self.call(
            "/get-list-buy-info-by-custom-id",
            operation=operation,
            params={"custom_id[]": list(custom_ids)},
        )
        data = answer.get("data") or {}
        return wire.structure(data, dict[str, wire.BuyInfo], operation=operation)

    def history(self, *, date: int | str, date_end: int | None = None) -> list[wire.HistoryEntry]:
        """history: purchases and sales on every site (``date``: timestamp or DD-MM-YYYY)."""
        params: dict[str, str] = {"date": str(date)}
        if date_end is not None:
            params["date_end"] = str(date_end)
        answer = self.call("/history", operation="history", params=params)
        return wire.structure(
            answer.get("data") or [], list[wire.HistoryEntry], operation="history"
        )

    def operation_history(self, *, date: int, date_end: int) -> list[wire.HistoryEntry]:
        """operation-history: purchases, sales, deposits and withdrawals."""
        operation = "operation_history"
        answer = self.call(
            "/operation-history",
            operation=operation,
            params={"date": str(date), "date_end": str(date_end)},
        )
        return wire.structure(
            answer.get("data") or [], list[wire.HistoryEntry], operation=operation
        )

    # ------------------------------------------------------------------ trades

    def trades(self, *, extended: bool = True) -> wire.Trades:
        """trades: offers the market sent that wait for confirmation on Steam."""
        params = {"extended": "1"} if extended else None
        return self._typed(wire.Trades, "/trades/", operation="trades", params=params)

    def trade_request_take(self, *, bot: str | None = None) -> wire.TradeRequest:
        """trade-request-take: ask a bot to send the purchased items it holds."""
        params = {"bot": bot} if bot is not None else None
        return self._typed(
            wire.TradeRequest,
            "/trade-request-take",
            operation="trade_request_take",
            params=params,
            write=True,
        )

    def trade_request_give(self) -> wire.TradeRequest:
        """trade-request-give: ask for an offer to hand sold items to the market's bot."""
        return self._typed(
            wire.TradeRequest, "/trade-request-give", operation="trade_request_give", write=True
        )

    def trade_request_give_p2p(self) -> JSON:
        """trade-request-give-p2p: data to send a sold item to its buyer directly."""
        return self.call("/trade-request-give-p2p", operation="trade_request_give_p2p", write=True)

    def trade_request_give_p2p_all(self) -> JSON:
        """trade-request-give-p2p-all: data to send every sold item to its buyer."""
        return self.call(
            "/trade-request-give-p2p-all", operation="trade_request_give_p2p_all", write=True
        )

    def trade_ready(self, tradeoffer: str) -> JSON:
        """trade-ready: register a Steam trade offer the user created."""
        return self.call(
            "/trade-ready", operation="trade_ready", params={"tradeoffer": tradeoffer}, write=True
        )

    # ------------------------------------------------------------------ selling

    def my_inventory(self) -> list[wire.InventoryItem]:
        """my-inventory: Steam items not yet on sale."""
        answer = self.call("/my-inventory/", operation="my_inventory")
        return wire.structure(
            answer.get("items") or [], list[wire.InventoryItem], operation="my_inventory"
        )

    def add_to_sale(self, *, id: str, price: int, cur: str) -> wire.AddToSaleAnswer:
        """add-to-sale: list asset ``id`` at ``price`` (minor units; ``cur`` double-checks)."""
        return self._typed(
            wire.AddToSaleAnswer,
            "/add-to-sale",
            operation="add_to_sale",
            params={"id": id, "price": str(price), "cur": cur},
            write=True,
        )

    def set_price(self, *, item_id: str, price: int, cur: str) -> JSON:
        """set-price: reprice a listing (minor units); 0 removes it from sale."""
        return self.call(
            "/set-price",
            operation="set_price",
            params={"item_id": item_id, "price": str(price), "cur": cur},
            write=True,
        )

    def remove_all_from_sale(self) -> JSON:
        """remove-all-from-sale: delist everything (``count`` removed)."""
        return self.call("/remove-all-from-sale", operation="remove_all_from_sale", write=True)

    def items(self) -> list[wire.MyItem]:
        """items: the user's items on the market and their status (1-4)."""
        answer = self.call("/items", operation="items")
        return wire.structure(answer.get("items") or [], list[wire.MyItem], operation="items")

    def ping(self) -> JSON:
        """ping (v=2): stay online as a seller; send every 3 minutes."""
        return self.call("/ping", operation="ping", params={"v": "2"}, write=True)

    def ping_new(self, *, access_token: str, proxy: str | None = None) -> JSON:
        """ping-new: stay online with a Steam ``access_token`` (and optional proxy)."""
        body: dict[str, str] = {"access_token": access_token}
        if proxy is not None:
            body["proxy"] = proxy
        return self.call(
            "/ping-new", operation="ping_new", method="POST", json_body=body, write=True
        )

    def go_offline(self) -> JSON:
        """go-offline: stop selling immediately."""
        return self.call("/go-offline", operation="go_offline", write=True)

    def update_inventory(self) -> JSON:
        """update-inventory: refresh the cached Steam inventory."""
        return self.call("/update-inventory/", operation="update_inventory", write=True)

    def test(self) -> JSON:
        """test: every obstacle to selling (all must be true)."""
        return self.call("/test", operation="test")

    # ------------------------------------------------------------------ buy orders

    def get_orders(self, *, page: int = 0) -> JSON:
        """get-orders: the user's buy orders."""
        return self.call("/get-orders", operation="get_orders", params={"page": str(page)})

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
        params: dict[str, str] = {
            "market_hash_name": market_hash_name,
            "count": str(count),
            "price": str(price),
        }
        if partner is not None and token is not None:
            params |= {"partner": partner, "token": token}
        return self.call("/set-order", operation="set_order", params=params, write=True)

    def get_orders_log(self, *, page: int = 0) -> JSON:
        """get-orders-log: executed buy orders."""
        return self.call("/get-orders-log", operation="get_orders_log", params={"page": str(page)})

    # ------------------------------------------------------------------ account

    def get_money(self) -> wire.MoneyAnswer:
        """get-money: balance (major units) and account currency."""
        return self._typed(wire.MoneyAnswer, "/get-money", operation="get_money")

    def get_my_steam_id(self) -> JSON:
        """get-my-steam-id: the account's steamid32 and steamid64."""
        return self.call("/get-my-steam-id", operation="get_my_steam_id")

    def transfer_discounts(self, *, to: str) -> JSON:
        """transfer-discounts: move discounts to the account of API key ``to``."""
        _hide(to)
        return self.call(
            "/transfer-discounts", operation="transfer_discounts", params={"to": to}, write=True
        )

    def set_pay_password(self, *, old_password: str, new_password: str) -> JSON:
        """set-pay-password: set or change the payment password."""
        _hide(old_password, new_password)
        return self.call(
            "/set-pay-password",
            operation="set_pay_password",
            params={"old_password": old_password, "new_password": new_password},
            write=True,
        )

    def money_send(self, *, amount: int, user_api_key: str, pay_pass: str) -> JSON:
        """money-send: transfer ``amount`` (minor units) to the account of ``user_api_key``.

        The recipient's key travels in the path, where no parameter redaction reaches it; it is
        registered as a secret first, so logs and errors show ``***`` instead.
        """
        recipient = quote(user_api_key, safe="")
        _hide(user_api_key, recipient, pay_pass)
        return self.call(
            f"/money-send/{amount}/{recipient}",
            operation="money_send",
            params={"pay_pass": pay_pass},
            write=True,
        )

    def money_send_history(self, *, page: int = 0) -> JSON:
        """money-send-history: balance transfers from this account."""
        return self.call(f"/money-send-history/{page}", operation="money_send_history")

    def set_steam_api_key(self, steam_api_key: str) -> JSON:
        """set-steam-api-key: link a Steam Web API key to the account."""
        _hide(steam_api_key)
        return self.call(
            "/set-steam-api-key",
            operation="set_steam_api_key",
            params={"steam-api-key": steam_api_key},
            write=True,
        )

    def set_trade_token(self, token: str) -> JSON:
        """set-trade-token: link the trade link's token to the account."""
        _hide(token)
        return self.call(
            "/set-trade-token", operation="set_trade_token", params={"token": token}, write=True
        )

    def change_currency(self, currency: str) -> JSON:
        """change-currency: switch the account's currency."""
        return self.call(
            f"/change-currency/{quote(currency, safe='')}", operation="change_currency", write=True
        )

    def get_api_key_via_access_token(
        self, *, access_token: str, proxy: str, currency: str | None = None
    ) -> JSON:
        """get-api-key-via-access-token: register a Steam account and get its market API key."""
        body: dict[str, str] = {"access_token": access_token, "proxy": proxy}
        if currency is not None:
            body["currency"] = currency
        return self.call(
            "/get-api-key-via-access-token",
            operation="get_api_key_via_access_token",
            method="POST",
            json_body=body,
            write=True,
        )

    def checkout_history(self, *, page: int = 0) -> JSON:
        """checkout-history: withdrawals of money (100 per page)."""
        return self.call(
            "/checkout-history", operation="checkout_history", params={"page": str(page)}
        )

    def checkin_history(self, *, page: int = 0) -> JSON:
        """checkin-history: deposits of money (100 per page)."""
        return self.call(
            "/checkin-history", operation="checkin_history", params={"page": str(page)}
        )

    # ------------------------------------------------------------------ realtime tokens

    def get_ws_auth(self) -> JSON:
        """get-ws-auth: the key-token for personal notifications (wss://wsn.dota2.net/wsn/)."""
        return self.call("/get-ws-auth", operation="get_ws_auth")

    def get_ws_token(self) -> JSON:
        """get-ws-token: the token for the price websocket (wss://wsprice.csgo.com)."""
        return self.call("/get-ws-token", operation="get_ws_token")


def _item_params(id: str | None, hash_name: str | None) -> dict[str, str]:
    if (id is None) == (hash_name is None):
        raise ValueError("pass exactly one of id= or hash_name=")
    return {"id": id} if id is not None else {"hash_name": hash_name or ""}


def _custom_id(custom_id: str | None) -> dict[str, str]:
    return {} if custom_id is None else {"custom_id": custom_id}


def _hide(*credentials: str) -> None:
    """Scrub these values from every log line and error from now on (see the module docstring)."""
    for credential in credentials:
        register_secret(Secret(credential))

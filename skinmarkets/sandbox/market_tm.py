"""Sandbox emulation of Market TM API v2 (``/api/v2/...``, ``X-API-KEY`` header, USD account).

Trading endpoints carry integers (USD×1000), ``get-money`` a JSON number, price exports decimal
strings; refusals are HTTP 200 ``{"success": false, "error": "..."}`` with TM's own texts.
``buy-for`` delivers to another trade link at once (the item never reaches the account);
``history`` lists the account's purchases. The seller's endpoints live in
``market_tm_selling.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from skinmarkets.sandbox._catalog import CATALOGUE
from skinmarkets.sandbox._profile import MARKET_TM
from skinmarkets.sandbox._server import Reply, Request, json_reply
from skinmarkets.sandbox._state import Offer, SandboxPurchase, SandboxTrade, State
from skinmarkets.sandbox.market_tm_selling import (
    VENDOR,
    MarketTMSelling,
    minor,
    refuse,
)

__all__ = ["NAME_IDS", "MarketTMEmulation"]

API = "/api/v2"
#: SANDBOX DATA: TM's ``name_id`` of each catalogue item (``dictionary/names.json``; the price
#: websocket's pushes carry it instead of the name).
NAME_IDS: Mapping[str, int] = {item.market_hash_name: 1_000 + n for n, item in enumerate(CATALOGUE)}
#: Endpoint -> vendor-neutral fault name (``_server.ALIASES``).
ALIASES = {
    "buy": "buy",
    "search_item_by_hash_name_specific": "listings",
    "search_list_items_by_hash_name_all": "listings",
    "prices": "prices",
    "get_money": "balance",
    "trades": "trades",
    "trade_request_take": "withdraw",
    "get_buy_info_by_custom_id": "lookup",
    "get_list_buy_info_by_custom_id": "lookup",
    "my_inventory": "inventory",
    "add_to_sale": "sell",
}


class MarketTMEmulation(MarketTMSelling):
    """The ``/market_tm`` part of the sandbox."""

    aliases = ALIASES
    #: Account currency, offer timeout, where it sells from (``_profile.MARKET_TM``).
    profile = MARKET_TM

    def __init__(self, state: State) -> None:
        self.state = state
        self.routes: dict[str, Callable[[Request], Reply]] = {
            "/search-item-by-hash-name-specific": self.search_specific,
            "/search-list-items-by-hash-name-all": self.search_list,
            "/buy": self.buy,
            "/buy-for": self.buy_for,
            "/get-buy-info-by-custom-id": self.buy_info,
            "/get-list-buy-info-by-custom-id": self.list_buy_info,
            "/history": self.history,
            "/get-money": self.get_money,
            "/trades/": self.trades,
            "/trades": self.trades,
            "/trade-request-take": self.trade_request_take,
            "/get-ws-token": self.get_ws_token,
            "/get-ws-auth": self.get_ws_auth,
        } | self.selling_routes()

    @property
    def operations(self) -> frozenset[str]:
        names = frozenset(p.strip("/").replace("-", "_") for p in self.routes)
        return names | {"prices", "dictionary"}

    def operation(self, request: Request) -> str:
        path = request.path.removeprefix(API).strip("/")
        return path.split("/")[0].replace("-", "_") or "root"

    def rate_limited(self) -> Reply:
        return json_reply({"success": False, "error": "Too many requests"}, 429)

    def handle(self, request: Request) -> Reply:
        if not request.path.startswith(API + "/"):
            return json_reply({"success": False, "error": "not found"}, 404)
        path = request.path.removeprefix(API)
        if path.startswith("/prices/class_instance/") and path.endswith(".json"):
            return self.prices_class_instance(path.rsplit("/", 1)[1].removesuffix(".json"))
        if path == "/dictionary/names.json":  # a public file, like the price exports
            return self.dictionary_names()
        route = self.routes.get(path)
        if route is None:
            return json_reply({"success": False, "error": "Method not found"}, 404)
        key = self.state.credentials[VENDOR]["api_key"]
        if request.headers.get("x-api-key", request.arg("key")) != key:
            return refuse("Bad KEY")
        return route(request)

    # ------------------------------------------------------------------ search and prices

    def _offer(self, offer: Offer) -> dict[str, Any]:
        extra: dict[str, Any] = {"asset": offer.asset_id}
        if offer.float_value is not None:
            extra["float"] = offer.float_value
        return {
            "id": int(offer.id),
            "market_hash_name": offer.market_hash_name,
            "price": minor(offer.price),
            "class": int(offer.class_id),
            "instance": int(offer.instance_id),
            "extra": extra,
        }

    def search_specific(self, request: Request) -> Reply:
        name = request.arg("hash_name") or ""
        offers = self.state.listings(VENDOR, name)
        return json_reply(
            {"success": True, "currency": "USD", "data": [self._offer(o) for o in offers] or []}
        )

    def search_list(self, request: Request) -> Reply:
        names = request.query.get("list_hash_name[]", [])
        data = {n: [self._offer(o) for o in self.state.listings(VENDOR, n)] for n in names}
        return json_reply({"success": True, "currency": "USD", "data": data})

    def prices_class_instance(self, currency: str) -> Reply:
        if currency.upper() != "USD":
            return json_reply({"success": False, "error": "currency not supported"}, 404)
        items: dict[str, dict[str, Any]] = {}
        for offer in self.state.listings(VENDOR):
            key = f"{offer.class_id}_{offer.instance_id}"
            if key not in items:  # cheapest first: the first seen is the lowest price
                items[key] = {
                    "price": f"{offer.price:.2f}",
                    "buy_order": f"{offer.price * Decimal('0.9'):.2f}",
                    "avg_price": f"{offer.price:.2f}",
                    "popularity_7d": "12",
                    "market_hash_name": offer.market_hash_name,
                }
        return json_reply(
            {"success": True, "time": int(self.state.now()), "currency": "USD", "items": items}
        )

    # ------------------------------------------------------------------ buying

    def buy(self, request: Request) -> Reply:
        return self._buy(request, recipient=None)

    def buy_for(self, request: Request) -> Reply:
        """buy-for: bought and sent straight to the trade link ``partner``/``token``."""
        partner, token = request.arg("partner"), request.arg("token")
        if not partner or not partner.isdigit() or not token:
            return refuse("Invalid trade link")
        return self._buy(request, recipient=partner)

    def _buy(self, request: Request, *, recipient: str | None) -> Reply:
        custom_id = request.arg("custom_id")
        price = request.arg("price")
        if price is None or not price.isdigit():
            return refuse("Bad request: price")
        with self.state.locked() as state:
            if custom_id and state.purchase_by_custom_id(VENDOR, custom_id) is not None:
                return refuse("this custom_id exist")
            if request.arg("id") is not None:
                offer = state.offers[VENDOR].get(request.arg("id") or "")
            else:
                cheapest = state.listings(VENDOR, request.arg("hash_name") or "")
                offer = cheapest[0] if cheapest else None
            if offer is None:
                return refuse("Unfortunately, the offer has ended. Please choose another offer.")
            if minor(offer.price) > int(price):
                return refuse(
                    "You cannot buy this item at that price. The price of the item has changed, "
                    "please try again."
                )
            if state.accounts[VENDOR].balance < offer.price:
                return refuse("Недостаточно средств на счету")
            purchase = state.buy(VENDOR, offer, custom_id, recipient=recipient)
        return json_reply({"success": True, "id": purchase.id})

    def _buy_info(self, purchase: SandboxPurchase) -> dict[str, Any]:
        return {
            "item_id": purchase.id,
            "market_hash_name": purchase.offer.market_hash_name,
            "classid": purchase.offer.class_id,
            "instance": purchase.offer.instance_id,
            "time": str(int(purchase.time)),
            "send_until": None,
            "stage": "1" if purchase.state in ("held", "sent") else "2",
            "paid": purchase.paid,  # a JSON number, as in the docs
            "causer": None,
            "currency": "USD",
            "trade_id": purchase.trade_id,
        }

    def buy_info(self, request: Request) -> Reply:
        purchase = self.state.purchase_by_custom_id(VENDOR, request.arg("custom_id") or "")
        data = None if purchase is None else self._buy_info(purchase)
        return json_reply({"success": True, "data": data})

    def list_buy_info(self, request: Request) -> Reply:
        data = {}
        for custom_id in request.query.get("custom_id[]", []):
            purchase = self.state.purchase_by_custom_id(VENDOR, custom_id)
            if purchase is not None:
                data[custom_id] = self._buy_info(purchase)
        return json_reply({"success": True, "data": data})

    def history(self, request: Request) -> Reply:
        """history: the account's purchases from ``date`` to ``date_end`` (default now)."""
        date, end = request.arg("date") or "", request.arg("date_end") or ""
        if not date.isdigit() or (end and not end.isdigit()):
            return refuse("bad_input")
        until = int(end) if end else int(self.state.now())
        with self.state.locked() as state:
            data = [
                {
                    "item_id": p.id,
                    "market_hash_name": p.offer.market_hash_name,
                    "class": p.offer.class_id,
                    "instance": p.offer.instance_id,
                    "time": str(int(p.time)),
                    "event": "buy",
                    "app": str(p.offer.app_id),
                    "stage": "1" if p.state in ("held", "sent") else "2",
                    "for": p.recipient,
                    "custom_id": p.custom_id,
                    "paid": str(minor(p.paid)),  # minor units as a string, as in the docs
                    "currency": "USD",
                }
                for p in state.purchases[VENDOR]
                if p.bought and int(date) <= int(p.time) <= until
            ]
        return json_reply({"success": True, "data": data})

    # ------------------------------------------------------------------ account and trades

    def get_money(self, request: Request) -> Reply:
        balance = self.state.accounts[VENDOR].balance
        return json_reply({"money": balance, "currency": "USD", "success": True})

    def _trade(self, trade: SandboxTrade) -> dict[str, Any]:
        return {
            "dir": "out",
            "trade_id": trade.id,
            "bot_id": trade.bot_id,
            "timestamp": int(trade.created),
            "secret": trade.secret,
            "nik": "sandbox-bot",
            "list_item_id": {
                p.id: {
                    "id": p.id,
                    "assetid": p.offer.asset_id,
                    "classid": p.offer.class_id,
                    "instanceid": p.offer.instance_id,
                }
                for p in trade.purchases
            },
        }

    def trades(self, request: Request) -> Reply:
        trades = [self._trade(t) for t in self.state.active_trades(VENDOR)]
        return json_reply({"success": True, "trades": trades})

    # ------------------------------------------------------------------ realtime

    def get_ws_token(self, request: Request) -> Reply:
        """get-ws-token: a token for the price websocket (Centrifugo), alive 10 minutes."""
        token = self.state.issue_token(VENDOR, "ws_token", prefix="eyJhbGciOiJIUzI1NiJ9.")
        return json_reply({"success": True, "token": token})

    def get_ws_auth(self, request: Request) -> Reply:
        """get-ws-auth: the key for the wsn notification socket, to use within 60 s."""
        return json_reply({"success": True, "wsAuth": self.state.issue_token(VENDOR, "ws_auth")})

    def dictionary_names(self) -> Reply:
        """dictionary/names.json: ``name_id`` -> hash name (the price websocket sends ids)."""
        items = [{"id": n, "hash_name": name} for name, n in NAME_IDS.items()]
        return json_reply({"success": True, "items": items})

    def trade_request_take(self, request: Request) -> Reply:
        trade = self.state.withdraw(VENDOR)
        if trade is None:
            return refuse(3001)
        return json_reply(
            {
                "success": True,
                "trade": trade.id,
                "nick": "sandbox-bot",
                "botid": trade.bot_id,
                "profile": "https://steamcommunity.com/profiles/76561198314855530/",
                "secret": trade.secret,
                "items": [f"{p.offer.class_id}_{p.offer.instance_id}" for p in trade.purchases],
            }
        )

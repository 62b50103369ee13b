"""Sandbox emulation of the SkinsBack API (``POST /api.php``, signed form bodies, USD).

Every request is checked like the real service checks it: ``shopid`` must be the sandbox
project's and ``sign`` the HMAC-SHA1 of the other scalar fields (``skinmarkets._http.
skinsback_sign``, the published algorithm), or the two ``X-CLIENT-*`` headers must match.
Purchases are delivered at purchase time: ``market_buy`` creates the Steam offer to the buyer's
trade URL at once (``waiting_accept``), nothing is withdrawn.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from skinmarkets._http import skinsback_sign
from skinmarkets.sandbox._server import Reply, Request, json_reply
from skinmarkets.sandbox._state import Offer, SandboxPurchase, State

__all__ = ["SkinsbackEmulation"]

VENDOR = "skinsback"
GAMES = {"cs2": 730, "csgo": 730, "dota2": 570, "rust": 252490}
HISTORY_PAGE = 1000
#: Form ``method`` -> vendor-neutral fault name (``_server.ALIASES``). Nothing is withdrawn:
#: ``withdraw`` and ``active_trades`` read ``market_history`` (``trades``) and ``market_getinfo``.
ALIASES = {
    "market_buy": "buy",
    "market_search": "listings",
    "market_pricelist": "prices",
    "balance": "balance",
    "market_history": "trades",
    "market_getinfo": "lookup",
}


def _error(code: int, message: str) -> Reply:
    return json_reply({"status": "error", "error_code": code, "error_message": message})


def _text(amount: Decimal) -> str:
    return f"{amount:.2f}"


class SkinsbackEmulation:
    """The ``/skinsback`` part of the sandbox."""

    aliases = ALIASES

    def __init__(self, state: State) -> None:
        self.state = state
        self.methods: dict[str, Callable[[dict[str, list[str]]], Reply]] = {
            "balance": self.balance,
            "market_search": self.market_search,
            "market_buy": self.market_buy,
            "market_getinfo": self.market_getinfo,
            "market_pricelist": self.market_pricelist,
            "market_history": self.market_history,
        }

    @property
    def operations(self) -> frozenset[str]:
        return frozenset(self.methods)

    def operation(self, request: Request) -> str:
        """The form's ``method`` (``market_buy``, ``balance``, ...)."""
        return request.arg("method") or ""

    def rate_limited(self) -> Reply:
        return _error(-7, "request_limit_reached")

    def handle(self, request: Request) -> Reply:
        if request.path != "/api.php":
            return json_reply({"status": "error", "error_message": "not found"}, 404)
        if request.method != "POST":
            return _error(-5, "please_use_post_method")
        fields = request.form()
        refusal = self._authenticate(request, fields)
        if refusal is not None:
            return refusal
        method = self.methods.get(request.arg("method") or "")
        if method is None:
            return _error(-4, "invalid_method")
        return method(fields)

    def _authenticate(self, request: Request, fields: dict[str, list[str]]) -> Reply | None:
        client_id = self.state.credentials[VENDOR]["client_id"]
        client_secret = self.state.credentials[VENDOR]["client_secret"]
        if "x-client-id" in request.headers:
            good = request.headers.get("x-client-id") == client_id and hmac.compare_digest(
                request.headers.get("x-client-secret", ""), client_secret
            )
            return None if good else _error(-1, "invalid_client_secret")
        if fields.get("shopid") != [client_id]:
            return _error(-2, "invalid_shopid")
        pairs = [(k, v) for k, values in fields.items() for v in values]
        expected = skinsback_sign(pairs, client_secret)
        if not hmac.compare_digest((fields.get("sign") or [""])[0], expected):
            return _error(-3, "invalid_signature")
        return None

    # ------------------------------------------------------------------ shapes

    @staticmethod
    def _item(offer: Offer) -> dict[str, str]:
        return {
            "id": offer.id,
            "name": offer.market_hash_name,
            "price": _text(offer.price),
            "classid": offer.class_id,
        }

    def _info(self, purchase: SandboxPurchase) -> dict[str, Any]:
        trade = self.state.trades[VENDOR].get(purchase.trade_id or "")
        if purchase.state == "delivered":
            status = "accepted"
        elif trade is not None and trade.state == "sent":
            status = "waiting_accept"
        elif purchase.state == "held":  # its offer timed out: SkinsBack does not resend
            status = "timeout"
        else:
            status = "creating_trade"
        info: dict[str, Any] = {
            "item": self._item(purchase.offer),
            "buy_id": purchase.id,
            "offer_status": status,
            "error_reason": None,
            "in_hold": False,
            "steamid": "76561197972611406",
            "date": str(int(purchase.time)),
            "balance_debited_sum": _text(purchase.paid),
        }
        if purchase.trade_id is not None or status == "timeout":
            info["tradeofferid"] = f"4{purchase.trade_id or purchase.id}"
        if purchase.custom_id is not None:
            info["custom_id"] = purchase.custom_id
        return info

    @staticmethod
    def _game(fields: dict[str, list[str]]) -> int | None:
        return GAMES.get((fields.get("game") or ["cs2"])[0])

    # ------------------------------------------------------------------ methods

    def balance(self, fields: dict[str, list[str]]) -> Reply:
        amount = _text(self.state.accounts[VENDOR].balance)
        return json_reply(
            {
                "status": "success",
                "balance": amount,
                "balance_in_currencies": {"usd": amount},
                "deals_sum": "0.00",
                "withdraw_sum": "0.00",
            }
        )

    def market_search(self, fields: dict[str, list[str]]) -> Reply:
        app = self._game(fields)
        names = fields.get("names[]") or fields.get("name") or []
        if not names:
            return _error(1, "name_or_names_required")
        if any(len(n) < 3 for n in names):
            return _error(2, "name_min_length_3")
        items = [
            self._item(o)
            for name in names
            for o in self.state.listings(VENDOR, name)
            if o.app_id == app
        ]
        return json_reply({"status": "success", "items": items})

    def market_buy(self, fields: dict[str, list[str]]) -> Reply:
        def field(name: str) -> str | None:
            values = fields.get(name)
            return values[0] if values else None

        if not field("partner") or not field("token"):
            return _error(3, "missing_partner_or_token")
        try:
            cap = Decimal(field("max_price") or "Infinity")
        except InvalidOperation:
            return _error(-6, "invalid_max_price")
        custom_id = field("custom_id")
        with self.state.locked() as state:
            if custom_id and state.purchase_by_custom_id(VENDOR, custom_id) is not None:
                return _error(7, "custom_id_already_exists")
            if field("id") is not None:
                offer = state.offers[VENDOR].get(field("id") or "")
                if offer is None:
                    return _error(5, "skin_unavailable")
            else:
                name = field("name") or ""
                if len(name) < 3:
                    return _error(1, "missing_name_and_id" if not name else "name_min_length_3")
                cheapest = state.listings(VENDOR, name)
                offer = cheapest[0] if cheapest else None
                if offer is None:
                    return _error(5, "skin_unavailable")
            if offer.price > cap:
                return _error(6, "skins_not_found_at_specified_price")
            if state.accounts[VENDOR].balance < offer.price:
                return _error(4, "insufficient_funds")
            purchase = state.buy(VENDOR, offer, custom_id)
            state.withdraw(VENDOR, [purchase])  # SkinsBack sends the offer at once
            answer = self._info(purchase)
        return json_reply({"status": "success"} | answer)

    def market_getinfo(self, fields: dict[str, list[str]]) -> Reply:
        purchases = self.state.purchases[VENDOR]
        if "buy_id" in fields:
            found = [p for p in purchases if p.id == fields["buy_id"][0]]
            if not found:
                return _error(2, "offer_not_found")
            return json_reply({"status": "success"} | self._info(found[0]))
        custom_ids = set(fields.get("custom_ids[]", []))
        buy_ids = set(fields.get("buy_ids[]", []))
        if not custom_ids and not buy_ids:
            return _error(1, "missing_one_of_required_params")
        with self.state.locked():
            items = [
                self._info(p) for p in purchases if p.custom_id in custom_ids or p.id in buy_ids
            ]
        if not items:
            return _error(2, "offer_not_found")
        return json_reply({"status": "success", "items": items})

    def market_pricelist(self, fields: dict[str, list[str]]) -> Reply:
        app = self._game(fields)
        rows: dict[str, dict[str, str]] = {}
        for offer in self.state.listings(VENDOR):
            if offer.app_id != app:
                continue
            row = rows.setdefault(offer.market_hash_name, self._item(offer) | {"count": "0"})
            row["count"] = str(int(row["count"]) + 1)
        items = [{k: v for k, v in row.items() if k != "id"} for row in rows.values()]
        return json_reply(
            {"status": "success", "last_update": str(int(self.state.now())), "items": items}
        )

    def market_history(self, fields: dict[str, list[str]]) -> Reply:
        try:
            starting = int(fields["starting"][0])
            ending = int(fields["ending"][0])
            start_from = int((fields.get("start_from") or ["0"])[0])
        except (KeyError, ValueError):
            return _error(1, "missing_starting_or_ending")
        with self.state.locked():
            window = [
                self._info(p)
                for p in self.state.purchases[VENDOR]
                if starting <= int(p.time) <= ending
            ]
        page = window[start_from : start_from + HISTORY_PAGE]
        more = start_from + HISTORY_PAGE < len(window)
        return json_reply(
            {
                "status": "success",
                "total_count": str(len(window)),
                "has_more": more,
                "start_from": start_from + HISTORY_PAGE if more else None,
                "items": page,
            }
        )

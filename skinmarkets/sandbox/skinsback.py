"""Sandbox emulation of the SkinsBack API (``POST /api.php``, signed form bodies, USD).

Every request is checked like the real service checks it: ``shopid`` must be the sandbox
project's and ``sign`` the HMAC-SHA1 of the other scalar fields (``skinmarkets._http.
skinsback_sign``, the published algorithm), or the two ``X-CLIENT-*`` headers must match.
Purchases are delivered at purchase time: ``market_buy`` creates the Steam offer to the buyer's
trade URL at once (``waiting_accept``), nothing is withdrawn. ``market_batch_buy`` buys each of
its ``items[N][...]`` under ``market_buy``'s rules: the bought ones in ``purchased`` (each a
``market_buy`` purchase record), the refused ones in ``unavailable`` with their reason.
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from skinmarkets._http import skinsback_sign
from skinmarkets.sandbox._profile import SKINSBACK
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
    "market_batch_buy": "buy_many",
    "market_search": "listings",
    "market_pricelist": "prices",
    "balance": "balance",
    "market_history": "trades",
    "market_getinfo": "lookup",
}


#: A form field of one batch item: ``items[0][id]``, ``items[0][max_price]``, ...
_ITEM_FIELD = re.compile(r"items\[(\d+)\]\[(\w+)\]")


def _error(code: int, message: str) -> Reply:
    return json_reply({"status": "error", "error_code": code, "error_message": message})


def _text(amount: Decimal) -> str:
    return f"{amount:.2f}"


class SkinsbackEmulation:
    """The ``/skinsback`` part of the sandbox."""

    aliases = ALIASES
    #: Account currency, offer timeout, where it sells from (``_profile.SKINSBACK``).
    profile = SKINSBACK

    def __init__(self, state: State) -> None:
        self.state = state
        self.methods: dict[str, Callable[[dict[str, list[str]]], Reply]] = {
            "balance": self.balance,
            "market_search": self.market_search,
            "market_buy": self.market_buy,
            "market_batch_buy": self.market_batch_buy,
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

    @staticmethod
    def _cap(text: str | None) -> Decimal | None:
        """A ``max_price`` (none: no cap); None when it is not a number."""
        try:
            cap = Decimal(text or "Infinity")
        except InvalidOperation:
            return None
        return None if cap.is_nan() else cap

    def _buy_one(
        self, state: State, offer: Offer | None, cap: Decimal, custom_id: str | None
    ) -> SandboxPurchase | tuple[int, str]:
        """One skin under ``market_buy``'s rules, in its order (the state lock held): the
        purchase, sent to the buyer at once, or the refusal's (code, message)."""
        if offer is None:
            return 5, "skin_unavailable"
        if offer.price > cap:
            return 6, "skins_not_found_at_specified_price"
        if state.accounts[VENDOR].balance < offer.price:
            return 4, "insufficient_funds"
        purchase = state.buy(VENDOR, offer, custom_id)
        state.withdraw(VENDOR, [purchase])  # SkinsBack sends the offer at once
        return purchase

    @staticmethod
    def _custom_id_taken(state: State, custom_id: str | None) -> bool:
        if not custom_id:
            return False
        return state.purchase_by_custom_id(VENDOR, custom_id) is not None

    def market_buy(self, fields: dict[str, list[str]]) -> Reply:
        def field(name: str) -> str | None:
            values = fields.get(name)
            return values[0] if values else None

        if not field("partner") or not field("token"):
            return _error(3, "missing_partner_or_token")
        cap = self._cap(field("max_price"))
        if cap is None:
            return _error(-6, "invalid_max_price")
        custom_id = field("custom_id")
        with self.state.locked() as state:
            if self._custom_id_taken(state, custom_id):
                return _error(7, "custom_id_already_exists")
            if field("id") is not None:
                offer = state.offers[VENDOR].get(field("id") or "")
            else:
                name = field("name") or ""
                if len(name) < 3:
                    return _error(1, "missing_name_and_id" if not name else "name_min_length_3")
                cheapest = state.listings(VENDOR, name)
                offer = cheapest[0] if cheapest else None
            bought = self._buy_one(state, offer, cap, custom_id)
            if isinstance(bought, tuple):
                return _error(*bought)
            answer = self._info(bought)
        return json_reply({"status": "success"} | answer)

    def market_batch_buy(self, fields: dict[str, list[str]]) -> Reply:
        """Each of ``items[N][id|max_price|custom_id]`` bought as ``market_buy`` would, in order.

        A request that cannot be read (no recipient, no items, an item without an id, a cap that
        is not a number) is refused as a whole and buys nothing; otherwise an item the market
        refuses goes to ``unavailable`` with ``market_buy``'s code and message while the others
        are bought, so a batch can partly succeed. The doc's description
        of both lists was cut off: ``purchased`` entries are ``market_buy``'s purchase record,
        ``unavailable`` entries {id, custom_id (when sent), error_code, error_message}.
        """
        partner, token = fields.get("partner") or [""], fields.get("token") or [""]
        if not partner[0] or not token[0]:
            return _error(3, "missing_partner_or_token")
        rows: dict[int, dict[str, str]] = {}
        for key, values in fields.items():
            match = _ITEM_FIELD.fullmatch(key)
            if match is not None and values:
                rows.setdefault(int(match[1]), {})[match[2]] = values[0]
        items = [rows[n] for n in sorted(rows)]
        if not items or any(not item.get("id") for item in items):
            # The doc names no code for this: buying by name is not offered in a batch.
            return _error(1, "missing_items_id")
        caps: list[Decimal] = []
        for item in items:  # every cap read before anything is bought
            cap = self._cap(item.get("max_price"))
            if cap is None:
                return _error(-6, "invalid_max_price")
            caps.append(cap)
        purchased: list[dict[str, Any]] = []
        unavailable: list[dict[str, Any]] = []
        with self.state.locked() as state:
            for item, cap in zip(items, caps, strict=True):
                custom_id = item.get("custom_id") or None
                if self._custom_id_taken(state, custom_id):
                    bought: SandboxPurchase | tuple[int, str] = (7, "custom_id_already_exists")
                else:
                    offer = state.offers[VENDOR].get(item["id"])
                    bought = self._buy_one(state, offer, cap, custom_id)
                if isinstance(bought, SandboxPurchase):
                    purchased.append(self._info(bought))
                    continue
                refused: dict[str, Any] = {"id": item["id"]}
                if custom_id is not None:
                    refused["custom_id"] = custom_id
                code, message = bought
                unavailable.append(refused | {"error_code": code, "error_message": message})
        return json_reply({"status": "success", "purchased": purchased, "unavailable": unavailable})

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

"""Sandbox emulation of the Mannco.store API (JWT login, ``Authorization: Bearer``, USD cents).

Envelope ``{"err": false, "success": true, "content": ...}``; refusals ``{"err": true, "success":
false, "content": "<text>"}`` with Mannco's statuses (300 for a business refusal, 401/403 for a
token or key, 404 for an unknown item, 429 with ``Retry-After``). Bought items land in the
on-site inventory (state 0) until ``POST /inventory/withdraw`` makes a bot trade with
``items_send``.
"""

from __future__ import annotations

import base64
import json
import re
import secrets
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from skinmarkets.sandbox._catalog import CATALOGUE
from skinmarkets.sandbox._profile import MANNCO
from skinmarkets.sandbox._server import Reply, Request, json_reply
from skinmarkets.sandbox._state import Offer, SandboxPurchase, SandboxTrade, State

__all__ = ["ManncoEmulation"]

VENDOR = "mannco"
#: Mannco's catalogue ids of the sandbox items (SANDBOX DATA): 101000 + catalogue position.
ITEM_IDS = {item.market_hash_name: str(101_000 + n) for n, item in enumerate(CATALOGUE)}
TOKEN_DAYS = 31
BOT = "76561198111111111"
#: Endpoint -> vendor-neutral fault name (``_server.ALIASES``).
ALIASES = {
    "payment_mannco": "buy",
    "item_listing": "listings",
    "item_pricing": "prices",
    "user_balance": "balance",
    "trades_active": "trades",
    "inventory_withdraw": "withdraw",
    "inventory_oninventory": "inventory",
    "inventory_price": "sell",
}
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def _slug(name: str) -> str:
    return _NOT_ALNUM.sub("-", name.casefold()).strip("-")


def _cents(amount: Decimal) -> int:
    return int(amount * 100)


def _ok(content: Any) -> Reply:
    return json_reply({"err": False, "success": True, "content": content})


def _refuse(text: str, status: int = 300) -> Reply:
    return json_reply({"err": True, "success": False, "content": text}, status)


class ManncoEmulation:
    """The ``/mannco`` part of the sandbox."""

    aliases = ALIASES
    #: Account currency, offer timeout, where it sells from (``_profile.MANNCO``).
    profile = MANNCO

    def __init__(self, state: State) -> None:
        self.state = state
        self.tokens: set[str] = set()
        self.routes: list[tuple[str, re.Pattern[str], Callable[..., Reply]]] = [
            ("GET", re.compile(r"/user/balance"), self.user_balance),
            ("GET", re.compile(r"/item/details/(?P<item>[^/]+)"), self.item_details),
            ("GET", re.compile(r"/item/listing/(?P<item>\d+)(?:/[^/]+)?"), self.item_listing),
            ("GET", re.compile(r"/item/pricing/bulk"), self.item_pricing_bulk),
            ("POST", re.compile(r"/payment/mannco"), self.payment_mannco),
            ("GET", re.compile(r"/inventory/onInventory"), self.on_inventory),
            ("GET", re.compile(r"/inventory/onSale"), self.on_sale),
            ("POST", re.compile(r"/inventory/price"), self.inventory_price),
            ("POST", re.compile(r"/inventory/withdraw"), self.inventory_withdraw),
            ("GET", re.compile(r"/trades/active"), self.trades_active),
            ("GET", re.compile(r"/trades/all"), self.trades_all),
        ]

    @property
    def operations(self) -> frozenset[str]:
        words = [p.pattern.strip("/").split("/")[:2] for _, p, _ in self.routes]
        return frozenset({"user_login"} | {"_".join(w).lower() for w in words})

    def operation(self, request: Request) -> str:
        """The path's first two words (``payment_mannco``, ``user_balance``, ...)."""
        words = [w for w in request.path.strip("/").split("/")[:2] if not w.isdigit()]
        return "_".join(words).lower()

    def rate_limited(self) -> Reply:
        return json_reply(
            {"err": True, "success": False, "content": "Too many requests, retry after 1 seconds"},
            429,
            {"Retry-After": "1", "X-RateLimit-Limit": "600", "X-RateLimit-Remaining": "0"},
        )

    def handle(self, request: Request) -> Reply:
        if request.method == "POST" and request.path == "/user/login":
            return self.login(request)
        for method, pattern, route in self.routes:
            match = pattern.fullmatch(request.path)
            if match is not None and method == request.method:
                if not self._authorized(request):
                    return _refuse("Unauthorized", 401)
                return route(request, **match.groupdict())
        return _refuse("Not found", 404)

    # ------------------------------------------------------------------ auth

    def login(self, request: Request) -> Reply:
        body = request.json()
        key = body.get("apiKey") if isinstance(body, dict) else None
        if not key:
            return _refuse("Missing API key", 400)
        if key != self.state.credentials[VENDOR]["api_key"]:
            return _refuse("Invalid API key", 403)
        exp = int(self.state.now()) + TOKEN_DAYS * 86400
        payload = base64.urlsafe_b64encode(json.dumps({"exp": exp}).encode()).rstrip(b"=")
        token = f"eyJhbGciOiJIUzI1NiJ9.{payload.decode()}.{secrets.token_urlsafe(16)}"
        self.tokens.add(token)
        return _ok({"jwt": token})

    def _authorized(self, request: Request) -> bool:
        header = request.headers.get("authorization", "")
        return header.startswith("Bearer ") and header.removeprefix("Bearer ") in self.tokens

    # ------------------------------------------------------------------ items

    def _offers_of(self, item: str) -> list[Offer]:
        names = [name for name, item_id in ITEM_IDS.items() if item_id == item]
        return self.state.listings(VENDOR, names[0]) if names else []

    def item_details(self, request: Request, item: str) -> Reply:
        found = [
            (name, i)
            for name, i in ITEM_IDS.items()
            if item in (i, f"{self._app_of(name)}-{_slug(name)}")
        ]
        if not found:
            return _refuse("Item not found", 404)
        name, item_id = found[0]
        app = self._app_of(name)
        return _ok(
            {
                "informations": {
                    "id": int(item_id),
                    "name": name,
                    "game": app,
                    "url": f"{app}-{_slug(name)}",
                    "quality": "Unique;" if app == 440 else "Normal;",
                }
            }
        )

    @staticmethod
    def _app_of(name: str) -> int:
        return next(item.app_id for item in CATALOGUE if item.market_hash_name == name)

    def item_listing(self, request: Request, item: str) -> Reply:
        count = int(request.arg("count") or 50)
        page = int(request.arg("page") or 0)
        offers = self._offers_of(item)
        window = offers[page * count : (page + 1) * count]
        rows = [
            {
                "id": int(o.id),
                "assetId": o.asset_id,
                "item_id": int(item),
                "user": "",
                "state": 1,
                "price": _cents(o.price),
                "bot": BOT,
                "game": o.app_id,
                "wear": None,
            }
            for o in window
        ]
        return _ok({"count": len(offers), "values": rows})

    def item_pricing_bulk(self, request: Request) -> Reply:
        ids = [i for i in (request.arg("items") or "").split(",") if i]
        if not 1 <= len(ids) <= 100:
            return _refuse("Invalid items parameter", 400)
        rows = []
        for item in ids:
            offers = self._offers_of(item)
            ask = _cents(offers[0].price) if offers else 0
            rows.append(
                {
                    "item_id": int(item),
                    "from_cache": False,
                    "pricing": {
                        "lowest_sale_price": ask,
                        "lowest_buy_order": ask * 85 // 100,
                        "suggested_price": ask,
                    },
                }
            )
        return _ok({"total_items": len(rows), "items": rows})

    # ------------------------------------------------------------------ buying and inventory

    def payment_mannco(self, request: Request) -> Reply:
        body = request.json()
        if (
            not isinstance(body, dict)
            or body.get("type") != "items"
            or not isinstance(body.get("items"), str)
        ):
            return _refuse("Invalid request parameters")
        if not isinstance(body.get("tos_timestamp"), int):
            return _refuse("You must accept the terms of service")
        assets = set(body["items"].split(","))
        with self.state.locked() as state:
            offers = [o for o in state.offers[VENDOR].values() if o.asset_id in assets]
            if not offers:
                return _refuse("No items found")
            if state.accounts[VENDOR].balance < sum((o.price for o in offers), Decimal(0)):
                return _refuse("Not enough balance")
            for offer in offers:
                state.buy(VENDOR, offer, None)
        return _ok({"message": "Payment processed successfully"})

    def _held(self) -> list[SandboxPurchase]:
        return self.state.owned(VENDOR)

    @staticmethod
    def _groups(rows: list[tuple[Offer, Decimal]], state: int) -> Reply:
        """Rows grouped per name, as /inventory/onInventory and /onSale answer them."""
        groups: dict[str, list[tuple[Offer, Decimal]]] = {}
        for offer, price in rows:
            groups.setdefault(offer.market_hash_name, []).append((offer, price))
        items = [
            {
                "ids": ",".join(o.asset_id for o, _ in group),
                "count": len(group),
                "item_id": int(ITEM_IDS[name]),
                "assetId": group[0][0].asset_id,
                "bot": BOT,
                "game": group[0][0].app_id,
                "state": state,
                "price": _cents(group[0][1]),
                "name": name,
                "url": f"{group[0][0].app_id}-{_slug(name)}",
            }
            for name, group in groups.items()
        ]
        return _ok({"items": items, "count": len(items)})

    def on_inventory(self, request: Request) -> Reply:
        return self._groups([(p.offer, Decimal(0)) for p in self._held()], 0)

    def on_sale(self, request: Request) -> Reply:
        return self._groups([(o, o.price) for _, o in self.state.own_listings(VENDOR)], 1)

    def inventory_price(self, request: Request) -> Reply:
        """POST /inventory/price: list held assets, or reprice listed ones, at ``price`` cents."""
        body = request.json()
        ids = body.get("ids") if isinstance(body, dict) else None
        cents = body.get("price") if isinstance(body, dict) else None
        if not isinstance(ids, str) or not ids or not isinstance(cents, int):
            return _refuse("Invalid request parameters")
        if not 1 <= cents <= 5_000_000:
            return _refuse("Invalid price")
        price = Decimal(cents) / 100
        with self.state.locked() as state:
            wanted = ids.split(",")
            held = {p.offer.asset_id: p for p in self._held()}
            listed = {o.asset_id: o for _, o in state.own_listings(VENDOR)}
            if any(a not in held and a not in listed for a in wanted):
                return _refuse("Item not found in your inventory")
            for asset in wanted:
                if asset in held:
                    state.list_item(VENDOR, held[asset], price)
                else:
                    state.reprice(VENDOR, listed[asset], price)
        return _ok({"message": "ok"})

    def inventory_withdraw(self, request: Request) -> Reply:
        body = request.json()
        ids = body.get("ids") if isinstance(body, dict) else None
        if not isinstance(ids, str) or not ids:
            return _refuse("Invalid request parameters")
        wanted = set(ids.split(","))
        with self.state.locked() as state:
            chosen = [p for p in self._held() if p.offer.asset_id in wanted]
            locked = len(wanted) - len(chosen)
            if chosen:
                state.withdraw(VENDOR, chosen)
        return _ok(
            {"message": "Items withdrawal processed", "updated": len(chosen), "locked": locked}
        )

    # ------------------------------------------------------------------ trades

    def _row(self, trade: SandboxTrade) -> dict[str, Any]:
        status = {"sent": "0", "accepted": "3", "expired": "-1"}[trade.state]
        return {
            "id": int(trade.id),
            "items_received": "",
            "status": int(status),
            "items_send": ",".join(p.offer.asset_id for p in trade.purchases),
            "user": "76561197972611406",
            "bot": BOT,
            "code": trade.secret,
            "game": trade.purchases[0].offer.app_id,
            "lasterror": "" if trade.state != "expired" else "Trade offer expired",
            "offerid": f"4{trade.id}",
            "timestamp": str(int(trade.created * 1000)),
        }

    def trades_active(self, request: Request) -> Reply:
        return _ok({"trades": [self._row(t) for t in self.state.active_trades(VENDOR)]})

    def trades_all(self, request: Request) -> Reply:
        with self.state.locked():
            trades = sorted(self.state.trades[VENDOR].values(), key=lambda t: -t.created)
            return _ok({"trades": [self._row(t) for t in trades[:500]]})

    # ------------------------------------------------------------------ account

    def user_balance(self, request: Request) -> Reply:
        return _ok({"balance": _cents(self.state.accounts[VENDOR].balance)})

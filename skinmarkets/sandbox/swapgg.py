"""Sandbox emulation of the swap.gg market API v1 (``/v1/...``, ``Authorization: <key>``, EUR).

Amounts are integer EUR cents; every answer is the ``{"status": "OK", "result": ...}``
envelope, refusals ``{"time": <ms>, "status": "<CODE>"}``. swap.gg takes no custom id: the
adapter keeps its own, so the sandbox has nothing to deduplicate here.

Selling works on groups (one group per item name, ``groupId``): ``POST sales/list`` lists items
of the on-site inventory, ``PUT sales/list`` reprices, ``sales/delist`` puts them back; the
account's own sales carry its ``userId`` (``user/me``) and show in everyone's ``sales/browse``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from skinmarkets.sandbox._profile import SWAPGG
from skinmarkets.sandbox._server import Reply, Request, json_reply
from skinmarkets.sandbox._state import OWN, Offer, SandboxPurchase, State

__all__ = ["SwapGGEmulation"]

VENDOR = "swapgg"
API = "/v1"
PAGE_LIMIT_MAX = 100
#: Routes that answer without a key (the doc's curl for them sends none).
PUBLIC = frozenset({"/pricing/lowest", "/buyorders/summary"})
#: Endpoint -> vendor-neutral fault name (``_server.ALIASES``).
ALIASES = {
    "sales_purchase": "buy",
    "sales_browse": "listings",
    "pricing_lowest": "prices",
    "user_balance": "balance",
    "user_tradeoffers": "trades",
    "inventory_withdraw": "withdraw",
    "inventory_browse": "inventory",
    "sales_list": "sell",
}


def _cents(amount: Decimal) -> int:
    return int(amount * 100)


def _group(name: str) -> str:
    return hashlib.sha1(name.encode("utf-8")).hexdigest()  # noqa: S324 - an id, not security


class SwapGGEmulation:
    """The ``/swapgg`` part of the sandbox."""

    aliases = ALIASES
    #: Account currency, offer timeout, where it sells from (``_profile.SWAPGG``).
    profile = SWAPGG

    def __init__(self, state: State) -> None:
        self.state = state
        self.routes: dict[tuple[str, str], Callable[[Request], Reply]] = {
            ("POST", "/sales/browse"): self.sales_browse,
            ("POST", "/sales/purchase"): self.sales_purchase,
            ("GET", "/user/balance"): self.user_balance,
            ("GET", "/user/tradeoffers"): self.user_tradeoffers,
            ("POST", "/inventory/browse"): self.inventory_browse,
            ("POST", "/inventory/withdraw"): self.inventory_withdraw,
            ("GET", "/pricing/lowest"): self.pricing_lowest,
            ("GET", "/buyorders/summary"): self.buyorders_summary,
            ("GET", "/user/me"): self.user_me,
            ("GET", "/user/websocket"): self.user_websocket,
            ("POST", "/sales/list"): self.sales_list,
            ("PUT", "/sales/list"): self.sales_update,
            ("POST", "/sales/delist"): self.sales_delist,
        }

    @property
    def operations(self) -> frozenset[str]:
        names = {path.strip("/").replace("/", "_") for _, path in self.routes}
        return frozenset(names | {"sales_update"})

    def operation(self, request: Request) -> str:
        """``sales/purchase`` -> ``sales_purchase``; ``PUT sales/list`` -> ``sales_update``."""
        name = request.path.removeprefix(API).strip("/").replace("/", "_")
        return "sales_update" if (request.method, name) == ("PUT", "sales_list") else name

    def _refuse(self, status: str, http_status: int = 200) -> Reply:
        return json_reply({"time": int(self.state.now() * 1000), "status": status}, http_status)

    def rate_limited(self) -> Reply:
        return json_reply(
            {"time": int(self.state.now() * 1000), "status": "RATE_LIMIT"},
            429,
            {"Retry-After": "1"},
        )

    def handle(self, request: Request) -> Reply:
        path = request.path.removeprefix(API)
        route = self.routes.get((request.method, path))
        if route is None:
            return self._refuse("NOT_FOUND", 404)
        if path not in PUBLIC:
            key = request.headers.get("authorization")
            if key is None:
                return self._refuse("NOT_AUTHENTICATED", 401)
            if key != self.state.credentials[VENDOR]["api_key"]:
                return self._refuse("INVALID_API_KEY")
        return route(request)

    # ------------------------------------------------------------------ items

    def _item(self, offer: Offer, *, on_sale: bool) -> dict[str, Any]:
        item: dict[str, Any] = {
            "meta": {"FLOAT": {"o": offer.float_value, "r": offer.float_value}}
            if offer.float_value
            else {},
            "itemId": f"item-{offer.id}",
            "userId": OWN if offer.owner == OWN or not on_sale else "sandbox-seller",
            "appId": str(offer.app_id),
            "contextId": "2",
            "marketName": offer.market_hash_name,
            "assetId": offer.asset_id,
            "commodity": False,
            "status": 2 if on_sale else 0,
            "groupId": _group(offer.market_hash_name),
            "suggestedPrice": _cents(offer.price),
            "stacked": False,
        }
        if on_sale:
            item["sale"] = {"saleId": offer.id, "price": _cents(offer.price)}
        return item

    def _page(self, request: Request, items: list[dict[str, Any]]) -> Reply:
        body = request.json() or {}
        pagination = body.get("pagination") or {}
        limit = int(pagination.get("limit", 25))
        skip = int(pagination.get("skip", 0))
        if not 1 <= limit <= PAGE_LIMIT_MAX or not 0 <= skip <= 2000:
            return self._refuse("INVALID_INPUT", 400)
        window = items[skip : skip + limit]
        return json_reply(
            {
                "status": "OK",
                "result": window,
                "pagination": {"more": skip + limit < len(items), "total": len(items)},
            }
        )

    @staticmethod
    def _matches(offer: Offer, filters: dict[str, Any]) -> bool:
        name = filters.get("marketName")
        app = filters.get("appId")
        user = filters.get("userId")
        return (
            (name is None or offer.market_hash_name == name)
            and (app is None or str(offer.app_id) == str(app))
            and (user is None or (offer.owner or "sandbox-seller") == user)
        )

    def sales_browse(self, request: Request) -> Reply:
        filters = (request.json() or {}).get("filters") or {}
        offers = [o for o in self.state.listings(VENDOR) if self._matches(o, filters)]
        if filters.get("sort") == "EXPENSIVE_FIRST":
            offers.reverse()
        return self._page(request, [self._item(o, on_sale=True) for o in offers])

    def sales_purchase(self, request: Request) -> Reply:
        sale_ids = (request.json() or {}).get("saleIds")
        if not isinstance(sale_ids, list) or not sale_ids:
            return self._refuse("INVALID_INPUT", 400)
        with self.state.locked() as state:
            offers = [state.offers[VENDOR][s] for s in sale_ids if s in state.offers[VENDOR]]
            if not offers:
                return self._refuse("NO_ITEMS_FOUND")
            total = sum((o.price for o in offers), Decimal(0))
            if state.accounts[VENDOR].balance < total:
                return self._refuse("INSUFFICIENT_BALANCE")
            for offer in offers:
                state.buy(VENDOR, offer, None)
        return json_reply(
            {
                "status": "OK",
                "result": {"saleIds": [o.id for o in offers], "purchaseAmount": _cents(total)},
            }
        )

    def _held(self) -> list[SandboxPurchase]:
        return self.state.owned(VENDOR)

    def inventory_browse(self, request: Request) -> Reply:
        filters = (request.json() or {}).get("filters") or {}
        filters = {k: v for k, v in filters.items() if k in ("marketName", "appId")}
        held = [p.offer for p in self._held() if self._matches(p.offer, filters)]
        return self._page(request, [self._item(o, on_sale=False) for o in held])

    def inventory_withdraw(self, request: Request) -> Reply:
        groups = (request.json() or {}).get("items")
        if not isinstance(groups, list) or not groups:
            return self._refuse("INVALID_INPUT", 400)
        with self.state.locked() as state:
            chosen: list[SandboxPurchase] = []
            for group in groups:
                wanted = [
                    p
                    for p in self._held()
                    if _group(p.offer.market_hash_name) == group.get("groupId")
                ]
                chosen += wanted[: int(group.get("quantity", 1))]
            trade = state.withdraw(VENDOR, chosen)
        if trade is None:
            return self._refuse("NO_ITEMS_FOUND")
        return json_reply(
            {
                "status": "OK",
                "result": {
                    "tradeIds": [trade.id],
                    "itemIds": [f"item-{p.offer.id}" for p in trade.purchases],
                },
            }
        )

    # ------------------------------------------------------------------ selling

    def _groups(self, request: Request, *, priced: bool) -> list[tuple[str, int, int]] | None:
        """``items`` of a sales/list or sales/delist body: (groupId, quantity, price cents)."""
        groups = (request.json() or {}).get("items")
        if not isinstance(groups, list) or not groups:
            return None
        rows = []
        for group in groups:
            if not isinstance(group, dict) or not isinstance(group.get("groupId"), str):
                return None
            quantity, price = group.get("quantity", 1), group.get("price", 0)
            if not isinstance(quantity, int) or quantity < 1 or not isinstance(price, int):
                return None
            if priced and price < 1:
                return None
            rows.append((group["groupId"], quantity, price))
        return rows

    def _result_groups(self, rows: list[tuple[str, int, int]]) -> Reply:
        items = [{"groupId": g, "quantity": q, "price": p} for g, q, p in rows]
        return json_reply({"status": "OK", "result": {"items": items}})

    def sales_list(self, request: Request) -> Reply:
        """POST sales/list: list ``quantity`` on-site items of each group at ``price``."""
        rows = self._groups(request, priced=True)
        if rows is None:
            return self._refuse("INVALID_INPUT", 400)
        with self.state.locked() as state:
            listed = []
            for group, quantity, price in rows:
                held = [p for p in state.owned(VENDOR) if _group(p.offer.market_hash_name) == group]
                for purchase in held[:quantity]:
                    state.list_item(VENDOR, purchase, Decimal(price) / 100)
                if held:
                    listed.append((group, min(quantity, len(held)), price))
        if not listed:
            return self._refuse("NO_ITEMS_FOUND")
        return self._result_groups(listed)

    def _own_in(self, group: str) -> list[SandboxPurchase]:
        return [
            p for p, o in self.state.own_listings(VENDOR) if _group(o.market_hash_name) == group
        ]

    def sales_update(self, request: Request) -> Reply:
        """PUT sales/list: a new price for ``quantity`` listed items of each group."""
        rows = self._groups(request, priced=True)
        if rows is None:
            return self._refuse("INVALID_INPUT", 400)
        with self.state.locked() as state:
            updated = []
            for group, quantity, price in rows:
                mine = self._own_in(group)[:quantity]
                for purchase in mine:
                    offer = state.offers[VENDOR][purchase.listing_id or ""]
                    state.reprice(VENDOR, offer, Decimal(price) / 100)
                if mine:
                    updated.append((group, len(mine), price))
        if not updated:
            return self._refuse("NO_ITEMS_FOUND")
        return self._result_groups(updated)

    def sales_delist(self, request: Request) -> Reply:
        """POST sales/delist: ``quantity`` listed items of each group back to the inventory."""
        rows = self._groups(request, priced=False)
        if rows is None:
            return self._refuse("INVALID_INPUT", 400)
        with self.state.locked() as state:
            result = []
            for group, quantity, _ in rows:
                mine = self._own_in(group)[:quantity]
                for purchase in mine:
                    state.delist(VENDOR, purchase)
                if mine:
                    item_ids = [f"item-{p.offer.id}" for p in mine]
                    result.append({"groupId": group, "itemIds": item_ids})
        if not result:
            return self._refuse("NO_ITEMS_FOUND")
        return json_reply({"status": "OK", "result": {"items": result}})

    # ------------------------------------------------------------------ account

    def user_me(self, request: Request) -> Reply:
        return json_reply(
            {
                "status": "OK",
                "result": {
                    "userId": OWN,
                    "username": "sandbox-user",
                    "verified": True,
                    "locked": False,
                    "commission": 5,  # the doc's example; the sandbox's sale fee (_fees.py)
                    "localization": {"currency": "EUR"},
                },
            }
        )

    def user_websocket(self, request: Request) -> Reply:
        """user/websocket: the token to emit as ``auth`` on the socket ("expires after 10
        minutes")."""
        token = self.state.issue_token(VENDOR, "websocket", prefix="eyJhbGciOiJIUzI1NiJ9.")
        return json_reply({"status": "OK", "result": {"token": token}})

    def user_balance(self, request: Request) -> Reply:
        cents = _cents(self.state.accounts[VENDOR].balance)
        return json_reply(
            {"status": "OK", "result": {"balance": cents, "withdrawableBalance": cents}}
        )

    def user_tradeoffers(self, request: Request) -> Reply:
        items = [
            {"tradeId": t.id, "username": "SWAP.GG #0001 [SANDBOX]", "tradeOfferId": f"4{t.id}"}
            for t in self.state.active_trades(VENDOR)
        ]
        return json_reply({"status": "OK", "result": {"items": items}})

    # ------------------------------------------------------------------ prices

    def pricing_lowest(self, request: Request) -> Reply:
        app = request.arg("appId") or "730"
        result: dict[str, dict[str, Any]] = {}
        for offer in self.state.listings(VENDOR):
            if str(offer.app_id) != app:
                continue
            entry = result.setdefault(
                offer.market_hash_name,
                {"price": _cents(offer.price), "quantity": 0, "link": "https://example.invalid/"},
            )
            entry["quantity"] += 1
        return json_reply({"status": "OK", "result": result})

    def buyorders_summary(self, request: Request) -> Reply:
        app = request.arg("appId") or "730"
        result: dict[str, dict[str, Any]] = {}
        for offer in self.state.listings(VENDOR):
            if str(offer.app_id) == app and offer.market_hash_name not in result:
                bid = _cents(offer.price * Decimal("0.88"))
                result[offer.market_hash_name] = {
                    "maxPrice": bid,
                    "minPrice": bid // 2,
                    "quantity": 4,
                }
        return json_reply({"status": "OK", "result": result})

"""Mannco.store API: one thin method per route of the references, wire types in and out (the
rules of every client: :mod:`skinmarkets._client`). Amounts are USD cents (integers). Trust per
route is the tag of mannco-api.md: where a path comes only from third-party clients ([3p:…]) or
an old crawl of the docs ([docs-old]), the method's docstring says so.

Authentication (§1): ``POST /user/login {"apiKey"}`` gives a JWT sent as ``Authorization:
Bearer`` (``BearerTokenAuth``, renewed before its ``exp``); a token refused with HTTP 401/403 is
renewed as :class:`~skinmarkets._client.TokenClient` says. The login itself goes through its own
transport without the bearer auth (same limiter), so it can never recurse into itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from skinmarkets import errors
from skinmarkets._client import TokenClient, given, masked_shape
from skinmarkets._http import BearerTokenAuth, Transport
from skinmarkets._secret import Secret
from skinmarkets.vendors.mannco import units, wire
from skinmarkets.vendors.mannco.client_account import JSON, AccountRoutes
from skinmarkets.vendors.mannco.errors import seconds_in
from skinmarkets.vendors.mannco.wire import message_of

VENDOR = "mannco"

#: HTTP statuses that mean "the token was refused" (§1 [docs] 403 "bad or expired JWT";
#: [3p:tf2autobot] re-logs in on 401): log in again once; resend a read, never a write.
TOKEN_REFUSED = frozenset({401, 403})


def with_retry_after(limited: errors.RateLimited) -> errors.RateLimited:
    """``limited``, with the wait read from the body's "retry after N seconds" when the 429
    came without ``Retry-After`` / ``X-RateLimit-Reset`` (§3: the JSON ``content`` says it)."""
    if limited.retry_after is not None or not isinstance(limited.raw, Mapping):
        return limited
    seconds = seconds_in(message_of(limited.raw.get("content")))
    if seconds is None:
        return limited
    return errors.RateLimited(
        f"{limited.message}; the vendor said retry after {seconds:g} s",
        retry_after=seconds,
        vendor=limited.vendor,
        operation=limited.operation,
        http_status=limited.http_status,
        raw=limited.raw,
    )


class ManncoClient(AccountRoutes, TokenClient):
    """The Mannco.store HTTP API, route by route (see ``mannco-api.md``); ``call`` gives the
    envelope's ``content`` of a success (``errors.read_envelope``)."""

    vendor = VENDOR
    converter = wire.converter
    token_refused = TOKEN_REFUSED

    def __init__(self, transport: Transport, login_transport: Transport, api_key: Secret) -> None:
        super().__init__(transport)
        self.login_transport = login_transport
        self._api_key = api_key
        auth = transport.auth
        if not isinstance(auth, BearerTokenAuth):
            raise TypeError("the Mannco transport must authenticate with BearerTokenAuth")
        self.auth = auth

    def rate_limited(self, limited: errors.RateLimited) -> errors.RateLimited:
        """``limited`` with the wait its body says (:func:`with_retry_after`)."""
        return with_retry_after(limited)

    # ------------------------------------------------------------------ user (§1, §5)

    def user_login(self) -> Secret:
        """POST /user/login {"apiKey"} [docs]: the JWT (``content.jwt``), as a Secret.

        A login answer of another shape may still hold the token (under another name, or as the
        bare body), which nobody has registered as a secret yet: its ``UnexpectedResponse``
        keeps only the answer's shape, every string in ``raw`` masked, and a message of its own
        (the parser's would quote the value it choked on).
        """
        jwt = self._login_jwt()
        if isinstance(jwt, errors.SkinMarketsError):
            raise jwt  # made outside the except block: nothing chains to the odd answer
        return Secret(jwt)

    def _login_jwt(self) -> str | errors.UnexpectedResponse:
        try:
            body = {"apiKey": self._api_key.reveal()}
            answer = self.login_transport.request(
                "POST", "/user/login", operation="user_login", json_body=body
            )
            login: wire.Login = self.structure(answer.payload, wire.Login, operation="user_login")
        except errors.UnexpectedResponse as odd:
            return errors.UnexpectedResponse(
                "the answer does not carry content.jwt as documented; "
                "its shape is kept in .raw, every string masked (one may be the token)",
                vendor=VENDOR,
                operation="user_login",
                http_status=odd.http_status,
                raw=masked_shape(odd.raw),
            )
        if not login.jwt.strip():
            return errors.UnexpectedResponse(
                "the answer carries an empty jwt",
                vendor=VENDOR,
                operation="user_login",
                http_status=answer.status,
            )
        return login.jwt.strip()

    def user_balance(self) -> wire.UserBalance:
        """GET /user/balance: balance in cents [3p:gman, 3p:vanzip, 3p:tf2autobot only]."""
        return self.typed(wire.UserBalance, "GET", "/user/balance", "user_balance")

    def user_infos(self) -> Any:
        """GET /user/infos: profile incl. trade URL [3p:gman and a browser client only]."""
        return self.call("GET", "/user/infos", "user_infos")

    # ------------------------------------------------------------------ items (§6)

    def item_details(self, item: str) -> wire.ItemDetails:
        """GET /item/details/{item} [docs]: ``item`` is a numeric id or a URL slug."""
        return self.typed(wire.ItemDetails, "GET", f"/item/details/{item}", "item_details")

    def item_details_fromid(self, backpack_id: str) -> Any:
        """GET /item/details/fromid/{backpackid} (TF2) [docs table; shape 3p:gman]."""
        return self.call("GET", f"/item/details/fromid/{backpack_id}", "item_details_fromid")

    def item_cs_details_fromid(self, backpack_id: str) -> Any:
        """GET /item/cs/details/fromid/{backpackid} (CS2) [docs table; shape 3p:gman]."""
        path = f"/item/cs/details/fromid/{backpack_id}"
        return self.call("GET", path, "item_cs_details_fromid")

    def item_sales_graph(self, item: str, *, period: str) -> Any:
        """GET /item/salesGraph/{item}?period [docs]: 1M, 3M, 6M, 1Y, 5Y or ALL."""
        path, params = f"/item/salesGraph/{item}", {"period": period}
        return self.call("GET", path, "item_sales_graph", params=params)

    def item_listing(
        self,
        item: str,
        *,
        page: int = 0,
        count: int = units.LISTING_PAGE_SIZE,
        user_id: str | None = None,
        game: int | None = None,
    ) -> wire.ListingPage:
        """GET /item/listing/{item}[/{userid}]?count&page [3p:gman, 3p:vanzip only]: by price."""
        path = f"/item/listing/{item}" + (f"/{user_id}" if user_id else "")
        params = given(count=count, page=page, game=game)
        content = self.call("GET", path, "item_listing", params=params)
        return wire.listing_page(content, operation="item_listing")

    def item_listing_count(self, item: str, *, user_id: str | None = None) -> Any:
        """GET /item/listing/count/{item}[/{userid}] [3p:gman only]: ``{"count": N}``."""
        path = f"/item/listing/count/{item}" + (f"/{user_id}" if user_id else "")
        return self.call("GET", path, "item_listing_count")

    def item_buyorder_list(self, item: str) -> Any:
        """GET /item/buyorderList/{item} [3p:gman, 3p:vanzip only]: top 5 buy-order tiers."""
        return self.call("GET", f"/item/buyorderList/{item}", "item_buyorder_list")

    def item_pricing(self, item: str) -> wire.PricingOne:
        """GET /item/pricing/{item} [3p:gman only]; ``item`` must be numeric (§6 gotcha)."""
        return self.typed(wire.PricingOne, "GET", f"/item/pricing/{item}", "item_pricing")

    def item_pricing_bulk(self, item_ids: Sequence[str]) -> wire.PricingBulk:
        """GET /item/pricing/bulk?items=1,2,3 [3p:gman, 3p:vanzip only]: at most 100 ids."""
        params = {"items": ",".join(item_ids)}
        return self.typed(
            wire.PricingBulk, "GET", "/item/pricing/bulk", "item_pricing_bulk", params=params
        )

    def item_prices(self, *, game: int, out_of_stock: bool = True) -> Any:
        """GET /item/prices?game&outofstock [3p:tf2autobot only]: the catalogue, often 429."""
        params = {"game": game, "outofstock": 1 if out_of_stock else 0}
        return self.call("GET", "/item/prices", "item_prices", params=params)

    def public_price(self, *, game: int, fmt: str = "json") -> Any:
        """GET /public/price?game&format [docs-old only: may no longer exist]."""
        params = {"game": game, "format": fmt}
        return self.call("GET", "/public/price", "public_price", params=params)

    def infos_prices_buyorder_and_lowest_sales(self) -> Any:
        """GET /infos/prices/buyorderAndLowestSales [docs-old only: may no longer exist]."""
        path = "/infos/prices/buyorderAndLowestSales"
        return self.call("GET", path, "infos_prices_buyorder_and_lowest_sales")

    # ------------------------------------------------------------------ inventory (§7)

    def inventory_on_inventory(self) -> wire.Inventory:
        """GET /inventory/onInventory [docs]: your items held on the site (state 0)."""
        return self.typed(wire.Inventory, "GET", "/inventory/onInventory", "inventory_oninventory")

    def inventory_on_sale(self) -> wire.Inventory:
        """GET /inventory/onSale [docs]: your items listed for sale (state 1)."""
        return self.typed(wire.Inventory, "GET", "/inventory/onSale", "inventory_onsale")

    def inventory_price(self, asset_ids: Sequence[str], price: int) -> Any:
        """POST /inventory/price {"ids", "price" (cents)} [docs]: list, reprice or sell at once."""
        body = {"ids": ",".join(asset_ids), "price": price}
        return self._post("/inventory/price", "inventory_price", body)

    def inventory_withdraw(self, asset_ids: Sequence[str]) -> wire.Withdrawn:
        """POST /inventory/withdraw {"ids"} [3p:gman, 3p:tf2autobot only]: send items to Steam."""
        body = {"ids": ",".join(asset_ids)}
        answer = self._post("/inventory/withdraw", "inventory_withdraw", body)
        return wire.structure(answer, wire.Withdrawn, operation="inventory_withdraw")

    # ------------------------------------------------------------------ payment (§9)

    def payment(self, provider: str, body: JSON) -> Any:
        """POST /payment/{provider} [docs]: ``mannco`` pays from the balance (type "items")."""
        return self._post(f"/payment/{provider}", f"payment_{provider}", dict(body))

    def payment_mannco_items(self, asset_ids: Sequence[str], *, tos_timestamp: int) -> Any:
        """POST /payment/mannco {"type": "items", "items": "a,b", "tos_timestamp"} [docs]."""
        items = ",".join(asset_ids)
        body = {"type": units.PAYMENT_TYPE_ITEMS, "items": items, "tos_timestamp": tos_timestamp}
        return self.payment(units.PAYMENT_PROVIDER, body)

    # ------------------------------------------------------------------ trades (§12)

    def trades_active(self) -> wire.Trades:
        """GET /trades/active [docs, trades-bot-api.txt]: pending bot trades."""
        return self.typed(wire.Trades, "GET", "/trades/active", "trades_active")

    def trades_all(self) -> wire.Trades:
        """GET /trades/all [docs, trades-bot-api.txt]: the last 500 trades, newest first."""
        return self.typed(wire.Trades, "GET", "/trades/all", "trades_all")

    def trade_resend(self, trade_id: str) -> wire.Resent:
        """GET /trade/resend [docs]: mark a failed/cancelled withdrawal for resend (a write).

        The published trades page names the query parameter ``resend``, a newer revision of the
        docs ``id``; both are sent with the same value, so either server version finds it.
        """
        params = {"resend": trade_id, "id": trade_id}
        # a GET that sends an offer: never retried
        return self.typed(
            wire.Resent, "GET", "/trade/resend", "trade_resend", params=params, write=True
        )

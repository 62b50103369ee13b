"""SkinsBack API v1: one thin method per market method, wire types in and out.

Every call is ``POST {base}/api.php`` with a form body whose ``method`` names the operation. The
auth object of the transport adds ``shopid`` and ``sign`` (``SkinsbackSignatureAuth``) or the two
``X-CLIENT-*`` headers. Why a form body and not JSON: the signature covers scalars only, and a
form carries every value as the very string that was signed (a JSON body would leave the server
to re-spell numbers, booleans and nulls its own way, which the docs do not define). Arrays go in
PHP's bracket notation (``custom_ids[]=…``, ``items[0][id]=…``), which the server reads as arrays
and therefore leaves out of the signature, as the algorithm says.

Every value handed to the transport is a ``str``: :func:`form` refuses anything else (a bool, a
None or a float has no single spelling), so nothing unsigned or mis-spelt can be sent. Amounts are
formatted by the adapter (``units.money_text``). The rules of every client:
:mod:`skinmarkets._client`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from skinmarkets._client import VendorClient, given
from skinmarkets._http import FastDecode
from skinmarkets.vendors.skinsback import units, wire

T = TypeVar("T")
VENDOR = "skinsback"
FormValue = str | list[str]


def form(params: Mapping[str, object]) -> dict[str, FormValue]:
    """``params`` as form fields, every value a ``str`` (or a list of them); else ``TypeError``."""
    fields: dict[str, FormValue] = {}
    for key, value in params.items():
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            fields[key] = list(value)
        elif isinstance(value, str):
            fields[key] = value
        else:
            raise TypeError(
                f"{VENDOR}: parameter {key!r} must be sent as a str, got {type(value).__name__}"
            )
    return fields


def _window(starting: int, ending: int, start_from: int | None) -> dict[str, object]:
    """A time window (unix times) and the cursor of its page, as market_history and orders
    take them."""
    cursor = None if start_from is None else str(start_from)
    return given(starting=str(starting), ending=str(ending), start_from=cursor)


def fastlist_decoder() -> FastDecode | None:
    """``fastlist.decoder`` when msgspec (the ``fast`` extra) is installed, else None."""
    try:
        from skinmarkets.vendors.skinsback import fastlist
    except ImportError:
        return None
    return fastlist.decoder


class SkinsbackClient(VendorClient):
    """The SkinsBack market methods, one by one (see ``skinsback-api.md`` §3): each is
    :meth:`_method` (or :meth:`_typed`, its answer as a wire class), ``POST api.php`` with the
    method's name as ``method`` and as the operation."""

    vendor = VENDOR
    converter = wire.converter

    def _method(
        self,
        name: str,
        params: Mapping[str, object] | None = None,
        *,
        write: bool = False,
        decode: FastDecode | None = None,
    ) -> Any:
        """POST api.php with ``method`` = ``name`` and ``params``; the success body
        (``decode``: see ``Transport.request``)."""
        fields = form({"method": name, **(params or {})})
        return self.call("POST", units.API_PATH, name, write=write, form=fields, decode=decode)

    def _typed(
        self,
        cls: type[T],
        name: str,
        params: Mapping[str, object] | None = None,
        *,
        write: bool = False,
    ) -> T:
        """:meth:`_method`'s answer as ``cls``."""
        result: T = self.structure(self._method(name, params, write=write), cls, operation=name)
        return result

    # ------------------------------------------------------------------ account

    def balance(self) -> wire.Balance:
        """balance: the project balance (``balance_in_currencies`` per currency)."""
        return self._typed(wire.Balance, "balance")

    def currencies(self) -> Any:
        """currencies: currencies and rates (shape undocumented; returned as decoded)."""
        return self._method("currencies")

    def server_status(self) -> wire.ServerStatus:
        """status: whether the service is available (``reason`` when not)."""
        return self._typed(wire.ServerStatus, "status")

    # ------------------------------------------------------------------ market

    def market_pricelist(self, *, game: str, full: bool = False) -> wire.PriceList:
        """market_pricelist: the price list grouped by name (``full=1``: one row per skin)."""
        params = given(game=game, full="1" if full else None)
        return self._typed(wire.PriceList, "market_pricelist", params)

    def market_pricelist_json(self, *, game: str, full: bool = False, rows: bool = False) -> Any:
        """market_pricelist as the decoded body (the adapter's fast path reads it).

        ``rows``: with msgspec installed, an answer of the documented shape comes with its
        ``items`` as ``fastlist.Rows`` (typed rows, not dicts), which only
        ``pricelist.quotes_from_pricelist`` reads.
        """
        params = given(game=game, full="1" if full else None)  # "never send booleans: send "1""
        decode = fastlist_decoder() if rows else None
        return self._method("market_pricelist", params, decode=decode)

    def market_search(
        self, *, game: str, name: str | None = None, names: Sequence[str] = ()
    ) -> wire.SearchResult:
        """market_search: every available copy of ``name`` (or of each of ``names``)."""
        params = given(game=game, name=name)
        if names:
            params["names[]"] = list(names)
        return self._typed(wire.SearchResult, "market_search", params)

    def market_buy(
        self,
        *,
        partner: str | None = None,
        token: str | None = None,
        id: str | None = None,
        name: str | None = None,
        game: str | None = None,
        max_price: str | None = None,
        custom_id: str | None = None,
    ) -> wire.BuyInfo:
        """market_buy: buy one skin (``id``, or ``name``+``game``) and send it to the trade URL."""
        params = given(
            partner=partner,
            token=token,
            id=id,
            name=name,
            game=game,
            max_price=max_price,
            custom_id=custom_id,
        )
        return self._typed(wire.BuyInfo, "market_buy", params, write=True)

    def market_batch_buy(
        self, *, partner: str | None, token: str | None, items: Sequence[Mapping[str, str]]
    ) -> wire.BatchResult:
        """market_batch_buy: ``items`` of {"id", "max_price"?, "custom_id"?} to one trade URL."""
        params = given(partner=partner, token=token)
        for index, item in enumerate(items):
            for key, value in item.items():
                params[f"items[{index}][{key}]"] = value
        return self._typed(wire.BatchResult, "market_batch_buy", params, write=True)

    def market_getinfo(self, *, buy_id: str) -> wire.BuyInfo:
        """market_getinfo with ``buy_id``: one purchase."""
        return self._typed(wire.BuyInfo, "market_getinfo", {"buy_id": buy_id})

    def market_getinfo_many(
        self, *, custom_ids: Sequence[str] = (), buy_ids: Sequence[str] = ()
    ) -> wire.BuyInfoList:
        """market_getinfo with ``custom_ids`` or ``buy_ids``: ``items[]``, one per purchase."""
        params: dict[str, object] = {}
        if custom_ids:
            params["custom_ids[]"] = list(custom_ids)
        if buy_ids:
            params["buy_ids[]"] = list(buy_ids)
        return self._typed(wire.BuyInfoList, "market_getinfo", params)

    def market_history(
        self, *, starting: int, ending: int, start_from: int | None = None
    ) -> wire.History:
        """market_history: purchases between two unix times, 1000 per page (``start_from``)."""
        return self._typed(wire.History, "market_history", _window(starting, ending, start_from))

    # ------------------------------------------------------------------ deposits (§3.10)
    # Returned as decoded: the adapter does not read them, and their shapes are partly unknown.

    def create(self, params: Mapping[str, object]) -> Any:
        """create: a deposit order (``order_id``, ``steam_id``, optional ``trade_token``…)."""
        return self._method("create", params, write=True)

    def orderstatus(self, *, order_id: str | None = None, transaction_id: str | None = None) -> Any:
        """orderstatus: one deposit by ``order_id`` or ``transaction_id``."""
        ids = given(order_id=order_id, transaction_id=transaction_id)
        return self._method("orderstatus", ids)

    def orders(self, *, starting: int, ending: int, start_from: int | None = None) -> Any:
        """orders: deposits between two unix times, 1000 per page."""
        return self._method("orders", _window(starting, ending, start_from))

    def offer_approve(
        self, *, order_id: str | None = None, transaction_id: str | None = None
    ) -> Any:
        """offer_approve: approve an ``in_hold`` deposit (it becomes ``hold_approved``)."""
        ids = given(order_id=order_id, transaction_id=transaction_id)
        return self._method("offer_approve", ids, write=True)

    def user_inventory(self, params: Mapping[str, object]) -> Any:
        """user_inventory: a user's skins and prices (``game``, ``steam_id``, ``trade_token``)."""
        return self._method("user_inventory", params)

    def create_from_user_inventory(
        self, params: Mapping[str, object], *, item_asset_ids: Sequence[str]
    ) -> Any:
        """create_from_user_inventory: a deposit of chosen skins (``item_asset_ids`` unsigned)."""
        return self._method(
            "create_from_user_inventory",
            {**params, "item_asset_ids[]": list(item_asset_ids)},
            write=True,
        )

    def callback_error_list(self, *, start_from: int = 0) -> Any:
        """callback_error_list: deposit webhooks our server failed to accept."""
        return self._method("callback_error_list", {"start_from": str(start_from)})

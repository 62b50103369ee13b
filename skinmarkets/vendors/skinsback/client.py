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
formatted by the adapter (``units.money_text``). Writes (``write=True``) are never retried.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from skinmarkets._http import FastDecode, Transport
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


def fastlist_decoder() -> FastDecode | None:
    """``fastlist.decoder`` when msgspec (the ``fast`` extra) is installed, else None."""
    try:
        from skinmarkets.vendors.skinsback import fastlist
    except ImportError:
        return None
    return fastlist.decoder


class SkinsbackClient:
    """The SkinsBack market methods, one by one (see ``skinsback-api.md`` §3)."""

    def __init__(self, transport: Transport) -> None:
        self.transport = transport

    def __repr__(self) -> str:
        return f"SkinsbackClient({self.transport!r})"

    # ------------------------------------------------------------------ plumbing

    def call(
        self,
        method: str,
        params: Mapping[str, object] | None = None,
        *,
        write: bool = False,
        decode: FastDecode | None = None,
    ) -> Any:
        """POST api.php with ``method`` and ``params``; the success body, as
        ``errors.read_envelope`` read it (``decode``: see ``Transport.request``)."""
        return self.transport.request(
            "POST",
            units.API_PATH,
            operation=method,
            write=write,
            form=form({"method": method, **(params or {})}),
            decode=decode,
        ).payload

    def _typed(
        self,
        cls: type[T] | Any,
        method: str,
        params: Mapping[str, object] | None = None,
        *,
        write: bool = False,
    ) -> T:
        data = self.call(method, params, write=write)
        result: T = wire.structure(data, cls, operation=method)
        return result

    # ------------------------------------------------------------------ account

    def balance(self) -> wire.Balance:
        """balance: the project balance (``balance_in_currencies`` per currency)."""
        result: wire.Balance = self._typed(wire.Balance, "balance")
        return result

    def currencies(self) -> Any:
        """currencies: currencies and rates (shape undocumented; returned as decoded)."""
        return self.call("currencies")

    def server_status(self) -> wire.ServerStatus:
        """status: whether the service is available (``reason`` when not)."""
        result: wire.ServerStatus = self._typed(wire.ServerStatus, "status")
        return result

    # ------------------------------------------------------------------ market

    def market_pricelist(self, *, game: str, full: bool = False) -> wire.PriceList:
        """market_pricelist: the price list grouped by name (``full=1``: one row per skin)."""
        result: wire.PriceList = wire.structure(
            self.market_pricelist_json(game=game, full=full),
            wire.PriceList,
            operation="market_pricelist",
        )
        return result

    def market_pricelist_json(self, *, game: str, full: bool = False, rows: bool = False) -> Any:
        """market_pricelist as the decoded body (the adapter's fast path reads it).

        ``rows``: with msgspec installed, an answer of the documented shape comes with its
        ``items`` as ``fastlist.Rows`` (typed rows, not dicts), which only
        ``pricelist.quotes_from_pricelist`` reads.
        """
        params: dict[str, object] = {"game": game}
        if full:
            params["full"] = "1"  # "never send booleans: send "1""
        decode = fastlist_decoder() if rows else None
        return self.call("market_pricelist", params, decode=decode)

    def market_search(
        self, *, game: str, name: str | None = None, names: Sequence[str] = ()
    ) -> wire.SearchResult:
        """market_search: every available copy of ``name`` (or of each of ``names``)."""
        params: dict[str, object] = {"game": game}
        if name is not None:
            params["name"] = name
        if names:
            params["names[]"] = list(names)
        result: wire.SearchResult = self._typed(wire.SearchResult, "market_search", params)
        return result

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
        params: dict[str, object] = {}
        optional = {
            "partner": partner,
            "token": token,
            "id": id,
            "name": name,
            "game": game,
            "max_price": max_price,
            "custom_id": custom_id,
        }
        params.update({k: v for k, v in optional.items() if v is not None})
        result: wire.BuyInfo = self._typed(wire.BuyInfo, "market_buy", params, write=True)
        return result

    def market_batch_buy(
        self, *, partner: str | None, token: str | None, items: Sequence[Mapping[str, str]]
    ) -> wire.BatchResult:
        """market_batch_buy: ``items`` of {"id", "max_price"?, "custom_id"?} to one trade URL."""
        recipient = {"partner": partner, "token": token}
        params: dict[str, object] = {k: v for k, v in recipient.items() if v is not None}
        for index, item in enumerate(items):
            for key, value in item.items():
                params[f"items[{index}][{key}]"] = value
        result: wire.BatchResult = self._typed(
            wire.BatchResult, "market_batch_buy", params, write=True
        )
        return result

    def market_getinfo(self, *, buy_id: str) -> wire.BuyInfo:
        """market_getinfo with ``buy_id``: one purchase."""
        result: wire.BuyInfo = self._typed(wire.BuyInfo, "market_getinfo", {"buy_id": buy_id})
        return result

    def market_getinfo_many(
        self, *, custom_ids: Sequence[str] = (), buy_ids: Sequence[str] = ()
    ) -> wire.BuyInfoList:
        """market_getinfo with ``custom_ids`` or ``buy_ids``: ``items[]``, one per purchase."""
        params: dict[str, object] = {}
        if custom_ids:
            params["custom_ids[]"] = list(custom_ids)
        if buy_ids:
            params["buy_ids[]"] = list(buy_ids)
        result: wire.BuyInfoList = self._typed(wire.BuyInfoList, "market_getinfo", params)
        return result

    def market_history(
        self, *, starting: int, ending: int, start_from: int | None = None
    ) -> wire.History:
        """market_history: purchases between two unix times, 1000 per page (``start_from``)."""
        params: dict[str, object] = {"starting": str(starting), "ending": str(ending)}
        if start_from is not None:
            params["start_from"] = str(start_from)
        result: wire.History = self._typed(wire.History, "market_history", params)
        return result

    # ------------------------------------------------------------------ deposits (§3.10)
    # Returned as decoded: the adapter does not read them, and their shapes are partly unknown.

    def create(self, params: Mapping[str, object]) -> Any:
        """create: a deposit order (``order_id``, ``steam_id``, optional ``trade_token``…)."""
        return self.call("create", params, write=True)

    def orderstatus(self, *, order_id: str | None = None, transaction_id: str | None = None) -> Any:
        """orderstatus: one deposit by ``order_id`` or ``transaction_id``."""
        ids = {"order_id": order_id, "transaction_id": transaction_id}
        return self.call("orderstatus", {k: v for k, v in ids.items() if v is not None})

    def orders(self, *, starting: int, ending: int, start_from: int | None = None) -> Any:
        """orders: deposits between two unix times, 1000 per page."""
        params: dict[str, object] = {"starting": str(starting), "ending": str(ending)}
        if start_from is not None:
            params["start_from"] = str(start_from)
        return self.call("orders", params)

    def offer_approve(
        self, *, order_id: str | None = None, transaction_id: str | None = None
    ) -> Any:
        """offer_approve: approve an ``in_hold`` deposit (it becomes ``hold_approved``)."""
        ids = {"order_id": order_id, "transaction_id": transaction_id}
        return self.call(
            "offer_approve", {k: v for k, v in ids.items() if v is not None}, write=True
        )

    def user_inventory(self, params: Mapping[str, object]) -> Any:
        """user_inventory: a user's skins and prices (``game``, ``steam_id``, ``trade_token``)."""
        return self.call("user_inventory", params)

    def create_from_user_inventory(
        self, params: Mapping[str, object], *, item_asset_ids: Sequence[str]
    ) -> Any:
        """create_from_user_inventory: a deposit of chosen skins (``item_asset_ids`` unsigned)."""
        return self.call(
            "create_from_user_inventory",
            {**params, "item_asset_ids[]": list(item_asset_ids)},
            write=True,
        )

    def callback_error_list(self, *, start_from: int = 0) -> Any:
        """callback_error_list: deposit webhooks our server failed to accept."""
        return self.call("callback_error_list", {"start_from": str(start_from)})

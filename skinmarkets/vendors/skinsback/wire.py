"""SkinsBack JSON, mirrored as attrs classes, and this vendor's cattrs converter (the
reading rules of every vendor's wire classes: :mod:`skinmarkets._wire`).

SkinsBack sends nearly every value as a string ("price": "0.4", "buy_id": "65", "date":
"1596999226", "count": "12"). Field names are the vendor's. PHP writes an empty object as
``[]``, so ``dict`` fields accept it.
"""

from __future__ import annotations

from typing import Any

import attrs

from skinmarkets import _wire
from skinmarkets._wire import Amount, Id, KeepsRaw

VENDOR = "skinsback"

converter = _wire.make_converter(__name__, empty_list_as_dict=True)
# Flags (has_more, in_hold) come as JSON booleans in the docs and as "1"/"0" from PHP clients.
converter.register_structure_hook(bool, _wire.to_php_bool)
structure = _wire.structure_for(converter, VENDOR)


@attrs.frozen
class Item(KeepsRaw):
    """A skin: market_search items, market_buy/market_getinfo ``item``, market_pricelist items.

    "item.id int Skin ID", "item.name string", "item.price float Skin price in USD",
    "item.classid string"; the grouped price list adds "count".
    """

    name: str = ""
    id: Id | None = None
    price: Amount | None = None
    classid: Id | None = None
    count: int | None = None


@attrs.frozen
class SearchResult:
    """market_search: ``{"status":"success","items":[{id, name, price, classid}, …]}``."""

    items: list[Item] = attrs.Factory(list)


@attrs.frozen
class BuyInfo(KeepsRaw):
    """One purchase: the answer of market_buy, market_getinfo (single or ``items[]``) and the
    entries of market_history and market_batch_buy ``purchased``."""

    buy_id: Id
    offer_status: str = ""
    item: Item | None = None
    balance_debited_sum: Amount | None = None
    custom_id: Id | None = None
    tradeofferid: Id | None = None
    steamid: Id | None = None
    date: int | None = None
    error_reason: str | None = None
    in_hold: bool | None = None


@attrs.frozen
class BuyInfoList:
    """market_getinfo with ``custom_ids``/``buy_ids``: ``{"status":"success","items":[…]}``."""

    items: list[BuyInfo] = attrs.Factory(list)


@attrs.frozen
class History:
    """market_history: ``total_count``, ``has_more``, ``start_from`` (next cursor), ``items``."""

    items: list[BuyInfo] = attrs.Factory(list)
    has_more: bool = False
    start_from: int | None = None
    total_count: int | None = None


@attrs.frozen
class BatchResult(KeepsRaw):
    """market_batch_buy: ``purchased`` (market_buy-shaped) and ``unavailable`` (shape undocumented:
    ids or objects with a reason; kept as sent and read by the adapter)."""

    purchased: list[BuyInfo] = attrs.Factory(list)
    unavailable: list[Any] = attrs.Factory(list)


@attrs.frozen
class Balance(KeepsRaw):
    """balance: ``balance`` (currency undocumented) and ``balance_in_currencies`` {"usd": …}."""

    balance: Amount | None = None
    balance_in_currencies: dict[str, Amount] = attrs.Factory(dict)


@attrs.frozen
class PriceList:
    """market_pricelist: ``last_update`` (unix) and ``items`` [{name, price, classid, count}]."""

    items: list[Item] = attrs.Factory(list)
    last_update: int | None = None


@attrs.frozen
class ServerStatus:
    """status: ``{"status":"success","available":true}`` plus ``reason`` when unavailable."""

    available: bool = False
    reason: str | None = None

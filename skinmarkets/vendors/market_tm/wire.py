"""Market TM JSON, mirrored as attrs classes, and this vendor's cattrs converter (the
reading rules of every vendor's wire classes: :mod:`skinmarkets._wire`).

The vendor is loose with types: the same field is an int in one answer and a string in
another (``price: 3573`` vs ``"5100"``; ``paid: 0.5`` vs ``"72"``; ids as numbers or strings).
"""

from __future__ import annotations

from decimal import Decimal

import attrs

from skinmarkets import _wire
from skinmarkets._wire import Amount, Cents, Currency, Id, KeepsRaw

VENDOR = "market_tm"

#: The bounded hooks of skinmarkets._wire, plus PHP's ``[]`` for an empty object (``data`` of a
#: search that found nothing, ``list_item_id`` of a trade without items).
converter = _wire.make_converter(__name__, empty_list_as_dict=True)
structure = _wire.structure_for(converter, VENDOR)


# --------------------------------------------------------------------------- search


@attrs.frozen
class Extra:
    """``extra`` of a search result: wear value, phase, and seller stats (list variant)."""

    float: Decimal | None = None
    phase: str | None = None
    asset: Id | None = None
    percent_success: Decimal | None = None
    average_time: int | None = None


@attrs.frozen
class Offer(KeepsRaw):
    """One offer from search-item-by-hash-name-specific / search-list-items-by-hash-name-all."""

    id: Id
    price: Cents  # minor units of the answer's currency
    market_hash_name: str | None = None
    class_: Id | None = attrs.field(default=None, alias="class_")
    instance: Id | None = None
    seller_steam_level: int | None = None
    extra: Extra = attrs.field(factory=Extra)


@attrs.frozen
class SpecificSearch:
    """search-item-by-hash-name-specific: the offers for one name."""

    currency: Currency
    data: list[Offer] = attrs.field(factory=list)


@attrs.frozen
class ListSearch:
    """search-list-items-by-hash-name-all: offers per name."""

    currency: Currency
    data: dict[str, list[Offer]] = attrs.field(factory=dict)


@attrs.frozen
class GroupedOffer:
    """search-item-by-hash-name: one price level (``count`` offers at ``price``)."""

    market_hash_name: str
    price: Cents
    count: int = 1
    class_: Id | None = attrs.field(default=None, alias="class_")
    instance: Id | None = None


# --------------------------------------------------------------------------- buying


@attrs.frozen
class BuyAnswer(KeepsRaw):
    """buy / buy-for: the id of the bought item."""

    id: Id


@attrs.frozen
class BuyInfo(KeepsRaw):
    """get-buy-info-by-custom-id ``data``: a purchase; ``paid`` in major units."""

    item_id: Id
    stage: int
    paid: Amount
    currency: Currency
    market_hash_name: str | None = None
    time: int | None = None
    trade_id: Id | None = None
    classid: Id | None = None
    instance: Id | None = None
    send_until: int | None = None


@attrs.frozen
class MoneyAnswer(KeepsRaw):
    """get-money: the balance in major units."""

    money: Amount
    currency: Currency


# --------------------------------------------------------------------------- trades


@attrs.frozen
class TradeItem:
    """One item inside ``list_item_id`` of an extended trade."""

    id: Id | None = None
    assetid: Id | None = None
    classid: Id | None = None
    instanceid: Id | None = None


@attrs.frozen
class TradeOffer(KeepsRaw):
    """trades: an offer the market sent that waits on Steam."""

    dir: str
    trade_id: Id
    bot_id: Id | None = None
    timestamp: int | None = None
    secret: str | None = None
    nik: str | None = None
    list_item_id: dict[str, TradeItem] = attrs.field(factory=dict)


@attrs.frozen
class Trades:
    """trades answer."""

    trades: list[TradeOffer] = attrs.field(factory=list)


@attrs.frozen
class TradeRequest(KeepsRaw):
    """trade-request-take / trade-request-give: the offer the market created."""

    trade: Id
    botid: Id | None = None
    nick: str | None = None
    secret: str | None = None
    profile: str | None = None
    items: list[Id] = attrs.field(factory=list)


# --------------------------------------------------------------------------- prices


@attrs.frozen
class ClassInstancePrice(KeepsRaw):
    """One entry of prices/class_instance/{CUR}.json; prices are decimal strings."""

    market_hash_name: str
    price: Amount | None = None
    buy_order: Amount | None = None
    avg_price: Amount | None = None
    popularity_7d: int | None = None


@attrs.frozen
class ClassInstancePrices:
    """prices/class_instance/{CUR}.json."""

    currency: Currency
    items: dict[str, ClassInstancePrice] = attrs.field(factory=dict)
    time: int | None = None


# --------------------------------------------------------------------------- selling


@attrs.frozen
class InventoryItem(KeepsRaw):
    """my-inventory: an item the user could sell; ``market_price`` in major units."""

    id: Id
    market_hash_name: str
    classid: Id | None = None
    instanceid: Id | None = None
    market_price: Amount | None = None
    tradable: int | None = None


@attrs.frozen
class MyItem(KeepsRaw):
    """items: one of the user's items on the market (``status`` 1-4, see units.py)."""

    item_id: Id
    market_hash_name: str
    status: int
    price: Amount | None = None
    currency: Currency | None = None
    assetid: Id | None = None
    classid: Id | None = None
    instanceid: Id | None = None
    position: int | None = None
    botid: Id | None = None
    left: int | None = None


@attrs.frozen
class AddToSaleAnswer(KeepsRaw):
    """add-to-sale: the market's id of the new listing."""

    item_id: Id


@attrs.frozen
class HistoryEntry(KeepsRaw):
    """history / operation-history: one event; amounts are minor units as strings."""

    event: str
    time: int | None = None
    item_id: Id | None = None
    id: Id | None = None
    market_hash_name: str | None = None
    stage: int | None = None
    paid: Cents | None = None
    price: Cents | None = None
    received: Cents | None = None
    amount: Cents | None = None
    currency: Currency | None = None
    custom_id: Id | None = None
    app: str | None = None

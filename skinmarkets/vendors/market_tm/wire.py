"""Market TM JSON, mirrored as attrs classes, and this vendor's cattrs converter.

The vendor is loose with types: the same field is an int in one answer and a string in
another (``price: 3573`` vs ``"5100"``; ``paid: 0.5`` vs ``"72"``; ids as numbers or strings).
The converter accepts each documented spelling and turns it into one Python type; anything
else is an ``UnexpectedResponse`` carrying the raw answer.

Classes the adapter turns into models have a ``raw`` field: the vendor's dict exactly as it
came (every key, the JSON key ``class`` and the vendor's own value types), so the models' ``raw``
loses nothing the vendor said.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, NewType, TypeVar, get_origin

import attrs
import cattrs

from skinmarkets import errors

VENDOR = "market_tm"
T = TypeVar("T")

#: The vendor's dict as it came; set by the converter, never read from a JSON key "raw".
Raw = Mapping[str, Any]


def _to_str(value: object, _type: object = None) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise TypeError(f"expected a string or number, got {value!r}")
    return value if isinstance(value, str) else str(value)


#: Bounds on what a vendor number may be. Nothing TM sends (prices in minor units, stages,
#: unix times) comes near them, and without them "1E999999999" as a stage would make a
#: billion-digit int and hang the parser.
_MAX_INT = 10**18
_MAX_EXPONENT = 30
_INT_TEXT = re.compile(r"-?[0-9]{1,18}")
_CURRENCY = re.compile(r"[A-Za-z]{3}")

#: An ISO currency code as the vendor sent it, checked to be three letters.
Currency = NewType("Currency", str)


def _to_int(value: object, _type: object = None) -> int:
    if isinstance(value, bool):
        raise TypeError(f"expected an integer, got {value!r}")
    if isinstance(value, str) and _INT_TEXT.fullmatch(value.strip()):
        return int(value)
    if (
        isinstance(value, Decimal)
        and value.is_finite()
        and value.adjusted() < 18
        and value == value.to_integral_value()
    ):
        value = int(value)
    if isinstance(value, int) and -_MAX_INT < value < _MAX_INT:
        return value
    raise TypeError(f"expected an integer below 1E18, got {value!r:.40}")


def _to_decimal(value: object, _type: object = None) -> Decimal:
    if isinstance(value, bool):
        raise TypeError(f"expected a number, got {value!r}")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except InvalidOperation:
            raise TypeError(f"expected a decimal number, got {value!r}") from None
    else:
        raise TypeError(f"expected a number, got {value!r}")
    if not result.is_finite() or (result and abs(result.adjusted()) > _MAX_EXPONENT):
        raise TypeError(f"expected a finite number within 1E±{_MAX_EXPONENT}, got {value!r:.40}")
    return result


def _to_currency(value: object, _type: object = None) -> Currency:
    if not isinstance(value, str) or not _CURRENCY.fullmatch(value):
        raise TypeError(f"expected a 3-letter currency code, got {value!r:.40}")
    return Currency(value.upper())


converter = cattrs.Converter(forbid_extra_keys=False)
converter.register_structure_hook(str, _to_str)
converter.register_structure_hook(int, _to_int)
converter.register_structure_hook(Decimal, _to_decimal)
converter.register_structure_hook(Currency, _to_currency)


def structure(data: object, cls: type[T], *, operation: str) -> T:
    """``data`` as ``cls``; an answer of another shape is ``UnexpectedResponse`` (raw kept)."""
    try:
        return converter.structure(data, cls)
    except (cattrs.BaseValidationError, TypeError, ValueError, KeyError, AttributeError) as exc:
        detail = (
            "; ".join(cattrs.transform_error(exc))
            if isinstance(exc, cattrs.BaseValidationError)
            else str(exc)
        )
        raw = data if isinstance(data, Mapping | list | str) else repr(data)
        raise errors.UnexpectedResponse(
            f"{VENDOR}: {operation}: the answer does not have the documented shape ({detail}); "
            "kept in .raw",
            vendor=VENDOR,
            operation=operation,
            raw=raw,
        ) from None


# --------------------------------------------------------------------------- search


@attrs.frozen
class Extra:
    """``extra`` of a search result: wear value, phase, and seller stats (list variant)."""

    float: Decimal | None = None
    phase: str | None = None
    asset: str | None = None
    percent_success: Decimal | None = None
    average_time: int | None = None


@attrs.frozen
class Offer:
    """One offer from search-item-by-hash-name-specific / search-list-items-by-hash-name-all."""

    id: str
    price: int  # minor units of the answer's currency
    market_hash_name: str | None = None
    class_: str | None = attrs.field(default=None, alias="class_")
    instance: str | None = None
    seller_steam_level: int | None = None
    extra: Extra = attrs.field(factory=Extra)
    raw: Raw = attrs.field(factory=dict, eq=False, repr=False)


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
    price: int
    count: int = 1
    class_: str | None = attrs.field(default=None, alias="class_")
    instance: str | None = None


# --------------------------------------------------------------------------- buying


@attrs.frozen
class BuyAnswer:
    """buy / buy-for: the id of the bought item."""

    id: str
    raw: Raw = attrs.field(factory=dict, eq=False, repr=False)


@attrs.frozen
class BuyInfo:
    """get-buy-info-by-custom-id ``data``: a purchase; ``paid`` in major units."""

    item_id: str
    stage: int
    paid: Decimal
    currency: Currency
    market_hash_name: str | None = None
    time: int | None = None
    trade_id: str | None = None
    classid: str | None = None
    instance: str | None = None
    send_until: int | None = None
    raw: Raw = attrs.field(factory=dict, eq=False, repr=False)


@attrs.frozen
class MoneyAnswer:
    """get-money: the balance in major units."""

    money: Decimal
    currency: Currency
    raw: Raw = attrs.field(factory=dict, eq=False, repr=False)


# --------------------------------------------------------------------------- trades


@attrs.frozen
class TradeItem:
    """One item inside ``list_item_id`` of an extended trade."""

    id: str | None = None
    assetid: str | None = None
    classid: str | None = None
    instanceid: str | None = None


@attrs.frozen
class TradeOffer:
    """trades: an offer the market sent that waits on Steam."""

    dir: str
    trade_id: str
    bot_id: str | None = None
    timestamp: int | None = None
    secret: str | None = None
    nik: str | None = None
    list_item_id: dict[str, TradeItem] = attrs.field(factory=dict)
    raw: Raw = attrs.field(factory=dict, eq=False, repr=False)


@attrs.frozen
class Trades:
    """trades answer."""

    trades: list[TradeOffer] = attrs.field(factory=list)


@attrs.frozen
class TradeRequest:
    """trade-request-take / trade-request-give: the offer the market created."""

    trade: str
    botid: str | None = None
    nick: str | None = None
    secret: str | None = None
    profile: str | None = None
    items: list[str] = attrs.field(factory=list)
    raw: Raw = attrs.field(factory=dict, eq=False, repr=False)


# --------------------------------------------------------------------------- prices


@attrs.frozen
class ClassInstancePrice:
    """One entry of prices/class_instance/{CUR}.json; prices are decimal strings."""

    market_hash_name: str
    price: Decimal | None = None
    buy_order: Decimal | None = None
    avg_price: Decimal | None = None
    popularity_7d: int | None = None
    raw: Raw = attrs.field(factory=dict, eq=False, repr=False)


@attrs.frozen
class ClassInstancePrices:
    """prices/class_instance/{CUR}.json."""

    currency: Currency
    items: dict[str, ClassInstancePrice] = attrs.field(factory=dict)
    time: int | None = None


# --------------------------------------------------------------------------- selling


@attrs.frozen
class InventoryItem:
    """my-inventory: an item the user could sell; ``market_price`` in major units."""

    id: str
    market_hash_name: str
    classid: str | None = None
    instanceid: str | None = None
    market_price: Decimal | None = None
    tradable: int | None = None
    raw: Raw = attrs.field(factory=dict, eq=False, repr=False)


@attrs.frozen
class MyItem:
    """items: one of the user's items on the market (``status`` 1-4, see units.py)."""

    item_id: str
    market_hash_name: str
    status: int
    price: Decimal | None = None
    currency: Currency | None = None
    assetid: str | None = None
    classid: str | None = None
    instanceid: str | None = None
    position: int | None = None
    botid: str | None = None
    left: int | None = None
    raw: Raw = attrs.field(factory=dict, eq=False, repr=False)


@attrs.frozen
class AddToSaleAnswer:
    """add-to-sale: the market's id of the new listing."""

    item_id: str
    raw: Raw = attrs.field(factory=dict, eq=False, repr=False)


@attrs.frozen
class HistoryEntry:
    """history / operation-history: one event; amounts are minor units as strings."""

    event: str
    time: int | None = None
    item_id: str | None = None
    id: str | None = None
    market_hash_name: str | None = None
    stage: int | None = None
    paid: int | None = None
    price: int | None = None
    received: int | None = None
    amount: int | None = None
    currency: Currency | None = None
    custom_id: str | None = None
    app: str | None = None
    raw: Raw = attrs.field(factory=dict, eq=False, repr=False)


def _is_wire_class(cls: Any) -> bool:
    return isinstance(cls, type) and attrs.has(cls) and cls.__module__ == __name__


def _wire_hook(cls: type[Any]) -> Any:
    """Structure ``cls`` reading JSON ``class`` into ``class_`` and keeping the dict in ``raw``."""
    names = {a.name for a in attrs.fields(cls)}
    overrides: dict[str, Any] = {}
    if "class_" in names:  # a Python keyword as a JSON key
        overrides["class_"] = cattrs.gen.override(rename="class")
    if "raw" not in names:
        return cattrs.gen.make_dict_structure_fn(cls, converter, **overrides)
    overrides["raw"] = cattrs.gen.override(omit=True)
    fields_only = cattrs.gen.make_dict_structure_fn(cls, converter, **overrides)

    def structure(data: Mapping[str, Any], _type: Any) -> Any:
        return attrs.evolve(fields_only(data, _type), raw=data)

    return structure


converter.register_structure_hook_factory(_is_wire_class, _wire_hook)


def _is_dict_type(cls: Any) -> bool:
    return get_origin(cls) is dict


def _php_dict_hook(cls: Any) -> Any:
    """A JSON object, or ``[]``: PHP's json_encode writes an empty associative array as ``[]``
    (``data`` of a search that found nothing, ``list_item_id`` of a trade without items)."""
    # make_mapping_structure_fn registers nothing (gen_structure_mapping would, and a later
    # cache reset would then drop the [] handling for the classes built on it).
    mapping = cattrs.gen.make_mapping_structure_fn(cls, converter)

    def structure(data: Any, _type: Any) -> Any:
        return {} if isinstance(data, list) and not data else mapping(data, _type)

    return structure


converter.register_structure_hook_factory(_is_dict_type, _php_dict_hook)

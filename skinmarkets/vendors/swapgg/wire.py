"""swap.gg JSON, mirrored as attrs classes, and this vendor's cattrs converter.

The doc's tables and samples disagree on types (``total`` is "string" in the table and ``2`` in
the samples; ``appId`` is ``"730"``; prices are "string" in some tables and integers in every
sample). The converter accepts each documented spelling and turns it into one Python type;
anything else is an ``UnexpectedResponse`` carrying the raw answer. Every number is bounded, so
random JSON can only ever produce ``UnexpectedResponse``.

Field names keep the vendor's camelCase (and ``FLOAT``) so each class reads like the doc. Classes
the adapter turns into models keep the vendor's dict in ``raw``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, NewType, TypeVar

import attrs
import cattrs

from skinmarkets import errors

VENDOR = "swapgg"
T = TypeVar("T")

#: The vendor's dict as it came; set by the converter, never read from a JSON key "raw".
Raw = Mapping[str, Any]

#: An amount in EUR cents: a whole number from 0 to 10**15 (ten trillion euros).
Cents = NewType("Cents", int)
#: An ISO currency code as the vendor sent it, checked to be three letters.
Currency = NewType("Currency", str)

_MAX_INT = 10**18
_MAX_CENTS = 10**15
_MAX_EXPONENT = 30
_INT_TEXT = re.compile(r"-?[0-9]{1,18}")
_CURRENCY = re.compile(r"[A-Za-z]{3}")


def _to_str(value: object, _type: object = None) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise TypeError(f"expected a string or number, got {value!r:.40}")
    return value if isinstance(value, str) else str(value)


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


def _to_cents(value: object, _type: object = None) -> Cents:
    cents = _to_int(value)
    if not 0 <= cents <= _MAX_CENTS:
        raise TypeError(f"expected an amount in cents from 0 to 1E15, got {cents}")
    return Cents(cents)


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
            raise TypeError(f"expected a decimal number, got {value!r:.40}") from None
    else:
        raise TypeError(f"expected a number, got {value!r:.40}")
    if not result.is_finite() or (result and abs(result.adjusted()) > _MAX_EXPONENT):
        raise TypeError(f"expected a finite number within 1E±{_MAX_EXPONENT}, got {value!r:.40}")
    return result


def _to_bool(value: object, _type: object = None) -> bool:
    # cattrs' default is bool(value): "false" would be True.
    if isinstance(value, bool):
        return value
    raise TypeError(f"expected true or false, got {value!r:.40}")


def _to_currency(value: object, _type: object = None) -> Currency:
    if not isinstance(value, str) or not _CURRENCY.fullmatch(value):
        raise TypeError(f"expected a 3-letter currency code, got {value!r:.40}")
    return Currency(value.upper())


converter = cattrs.Converter(forbid_extra_keys=False)
converter.register_structure_hook(str, _to_str)
converter.register_structure_hook(int, _to_int)
converter.register_structure_hook(bool, _to_bool)
converter.register_structure_hook(Decimal, _to_decimal)
converter.register_structure_hook(Cents, _to_cents)
converter.register_structure_hook(Currency, _to_currency)


def structure(data: object, cls: type[T] | Any, *, operation: str) -> T:
    """``data`` as ``cls``; an answer of another shape is ``UnexpectedResponse`` (raw kept)."""
    try:
        result: T = converter.structure(data, cls)
    except (cattrs.BaseValidationError, TypeError, ValueError, KeyError, AttributeError) as exc:
        detail = (
            "; ".join(cattrs.transform_error(exc))
            if isinstance(exc, cattrs.BaseValidationError)
            else str(exc)
        )
        raw = data if isinstance(data, Mapping | list | str) else repr(data)[:2000]
        raise errors.UnexpectedResponse(
            f"{VENDOR}: {operation}: the answer does not have the documented shape "
            f"({detail[:500]}); kept in .raw",
            vendor=VENDOR,
            operation=operation,
            raw=raw,
        ) from None
    return result


# --------------------------------------------------------------------------- pagination


@attrs.frozen
class Pagination:
    """Pagination Output Object: ``more`` ("Indicates if there is more data available")."""

    more: bool = False
    total: int | None = None


# --------------------------------------------------------------------------- items


@attrs.frozen
class Float:
    """Metadata ``FLOAT``: "o is the overall float. r is the relative float"."""

    o: Decimal | None = None
    r: Decimal | None = None


@attrs.frozen
class Meta:
    """Metadata Item Object (only what the adapter reads; the rest stays in the item's raw)."""

    FLOAT: Float | None = None
    EXTERIOR: str | None = None
    INSPECT_LINK: str | None = None
    SCREENSHOT: str | None = None


@attrs.frozen
class Sale:
    """Sale Object: ``saleId`` and ``price`` ("the price the buyer has to pay", EUR cents)."""

    saleId: str
    price: Cents
    date: str | None = None


@attrs.frozen
class Item:
    """Item Object (sales/browse, inventory/browse, cart): one item, with its sale if listed."""

    itemId: str
    marketName: str
    appId: int = 730  # Browse Filter Object: "appId … Defaults to 730."
    assetId: str | None = None
    groupId: str | None = None
    contextId: str | None = None
    userId: str | None = None
    status: int | None = None
    lock: str | None = None
    sale: Sale | None = None
    suggestedPrice: Cents | None = None
    meta: Meta = attrs.field(factory=Meta)
    raw: Raw = attrs.field(factory=dict, eq=False, repr=False)


@attrs.frozen
class ItemPage:
    """One page of a browse: the items (``result``) and the envelope's ``pagination``."""

    items: list[Item] = attrs.field(factory=list)
    pagination: Pagination = attrs.field(factory=Pagination)


# --------------------------------------------------------------------------- user


@attrs.frozen
class UserBalance:
    """user/balance: "balance" (total) and "withdrawableBalance" (eligible for payout), cents."""

    balance: Cents
    withdrawableBalance: Cents | None = None
    raw: Raw = attrs.field(factory=dict, eq=False, repr=False)


@attrs.frozen
class Localization:
    """user/me ``localization``."""

    currency: Currency | None = None


@attrs.frozen
class UserMe:
    """user/me: basic account details."""

    userId: str
    username: str | None = None
    verified: bool | None = None
    locked: bool | None = None
    commission: Decimal | None = None
    tradeLink: str | None = None
    localization: Localization = attrs.field(factory=Localization)
    raw: Raw = attrs.field(factory=dict, eq=False, repr=False)


@attrs.frozen
class Count:
    """user/summary: one count with its total value in cents."""

    count: int
    totalValue: Cents


@attrs.frozen
class UserSummary:
    """user/summary ("cached for 2 hours")."""

    itemsSold: Count | None = None
    purchases: Count | None = None
    listedItems: Count | None = None


@attrs.frozen
class TradeOffer:
    """user/tradeoffers item: the internal ``tradeId``, the bot's ``username``, the Steam offer."""

    tradeId: str
    username: str | None = None
    tradeOfferId: str | None = None
    raw: Raw = attrs.field(factory=dict, eq=False, repr=False)


@attrs.frozen
class TradeOffers:
    """user/tradeoffers."""

    items: list[TradeOffer] = attrs.field(factory=list)


@attrs.frozen
class WebsocketToken:
    """user/websocket: a JWT for the socket.io server ("expires after 10 minutes")."""

    token: str = attrs.field(repr=False)


# --------------------------------------------------------------------------- prices and orders


@attrs.frozen
class LowestPrice:
    """pricing/lowest, per name: "price" (lowest, cents), "quantity", "link"."""

    price: Cents
    quantity: int | None = None
    link: str | None = None
    raw: Raw = attrs.field(factory=dict, eq=False, repr=False)


@attrs.frozen
class BuyOrderSummary:
    """buyorders/summary, per name: "maxPrice" ("Highest active buy order"), "minPrice", cents."""

    maxPrice: Cents | None = None
    minPrice: Cents | None = None
    quantity: int | None = None
    raw: Raw = attrs.field(factory=dict, eq=False, repr=False)


@attrs.frozen
class OrderQuantity:
    """buyorders ``quantity``: "remaining" and "max"."""

    remaining: int
    max: int


@attrs.frozen
class BuyOrder:
    """GET buyorders item: one of the user's active buy orders."""

    orderId: str
    marketName: str
    price: Cents
    appId: int | None = None
    totalCost: Cents | None = None
    quantity: OrderQuantity | None = None
    raw: Raw = attrs.field(factory=dict, eq=False, repr=False)


@attrs.frozen
class OrderIds:
    """POST buyorders: "orderIds"."""

    orderIds: list[str] = attrs.field(factory=list)


# --------------------------------------------------------------------------- buying and cart


@attrs.frozen
class PurchaseResult:
    """sales/purchase: "saleIds" bought and "purchaseAmount" ("deducted from your balance")."""

    saleIds: list[str]
    purchaseAmount: Cents
    raw: Raw = attrs.field(factory=dict, eq=False, repr=False)


@attrs.frozen
class SaleIds:
    """cart/add: "saleIds" added to the cart."""

    saleIds: list[str] = attrs.field(factory=list)


@attrs.frozen
class Cart:
    """cart/items: the items and "removedItems" (sold or delisted since)."""

    items: list[Item] = attrs.field(factory=list)
    removedItems: int = 0


# --------------------------------------------------------------------------- inventory and selling


@attrs.frozen
class WithdrawResult:
    """inventory/withdraw: "tradeIds" handling the request and "itemIds" queued."""

    tradeIds: list[str] = attrs.field(factory=list)
    itemIds: list[str] = attrs.field(factory=list)
    raw: Raw = attrs.field(factory=dict, eq=False, repr=False)


@attrs.frozen
class SaleGroup:
    """sales/list (POST and PUT) answer item: "groupId", "quantity", "price" (cents)."""

    groupId: str
    quantity: int
    price: Cents
    raw: Raw = attrs.field(factory=dict, eq=False, repr=False)


@attrs.frozen
class SaleGroups:
    """sales/list (POST and PUT): the groups listed or repriced."""

    items: list[SaleGroup] = attrs.field(factory=list)


@attrs.frozen
class DelistedGroup:
    """sales/delist answer item: "groupId" and the "itemIds" delisted."""

    groupId: str
    itemIds: list[str] = attrs.field(factory=list)


@attrs.frozen
class Delisted:
    """sales/delist."""

    items: list[DelistedGroup] = attrs.field(factory=list)


# --------------------------------------------------------------------------- screenshots, vouchers


@attrs.frozen
class Screenshot:
    """Screenshot Item Object: "state" is IN_QUEUE, COMPLETED or FAILED."""

    inspectLink: str
    state: str
    marketName: str | None = None
    imageLink: str | None = None
    raw: Raw = attrs.field(factory=dict, eq=False, repr=False)


@attrs.frozen
class Voucher:
    """vouchers/codes item: an unused code and its "value" (cents)."""

    code: str = attrs.field(repr=False)
    value: Cents
    note: str | None = None
    state: int | None = None
    purchaseDate: str | None = None


@attrs.frozen
class Vouchers:
    """vouchers/codes."""

    total: int | None = None
    items: list[Voucher] = attrs.field(factory=list)


@attrs.frozen
class VoucherCodes:
    """vouchers/purchase: "codes"."""

    codes: list[str] = attrs.field(factory=list, repr=False)


def _is_wire_class(cls: Any) -> bool:
    return isinstance(cls, type) and attrs.has(cls) and cls.__module__ == __name__


def _wire_hook(cls: type[Any]) -> Any:
    """Structure ``cls`` from a JSON object only, keeping the dict in ``raw`` where it has one."""
    names = {a.name for a in attrs.fields(cls)}
    overrides: dict[str, Any] = {}
    if "raw" in names:
        overrides["raw"] = cattrs.gen.override(omit=True)
    fields_only = cattrs.gen.make_dict_structure_fn(cls, converter, **overrides)

    def structure(data: Any, _type: Any) -> Any:
        if not isinstance(data, Mapping):
            raise TypeError(f"expected a JSON object for {cls.__name__}, got {data!r:.40}")
        made = fields_only(data, _type)
        return attrs.evolve(made, raw=data) if "raw" in names else made

    return structure


converter.register_structure_hook_factory(_is_wire_class, _wire_hook)

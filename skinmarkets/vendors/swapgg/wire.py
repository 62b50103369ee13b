"""swap.gg JSON, mirrored as attrs classes, and this vendor's cattrs converter (the reading
rules of every vendor's wire classes: :mod:`skinmarkets._wire`).

The doc's tables and samples disagree on types (``total`` is "string" in the table and ``2`` in
the samples; ``appId`` is ``"730"``; prices are "string" in some tables and integers in every
sample). Field names keep the vendor's camelCase (and ``FLOAT``).
"""

from __future__ import annotations

from decimal import Decimal

import attrs

from skinmarkets import _wire
from skinmarkets._wire import Cents, Currency, Id, KeepsRaw

VENDOR = "swapgg"

# Cents (bounded by skinmarkets._wire) are EUR cents here.
converter = _wire.make_converter(__name__)
structure = _wire.structure_for(converter, VENDOR)


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

    saleId: Id
    price: Cents
    date: str | None = None


@attrs.frozen
class Item(KeepsRaw):
    """Item Object (sales/browse, inventory/browse, cart): one item, with its sale if listed."""

    itemId: Id
    marketName: str
    appId: int = 730  # Browse Filter Object: "appId … Defaults to 730."
    assetId: Id | None = None
    groupId: Id | None = None
    contextId: Id | None = None
    userId: Id | None = None
    status: int | None = None
    lock: str | None = None
    sale: Sale | None = None
    suggestedPrice: Cents | None = None
    meta: Meta = attrs.field(factory=Meta)


@attrs.frozen
class ItemPage:
    """One page of a browse: the items (``result``) and the envelope's ``pagination``."""

    items: list[Item] = attrs.field(factory=list)
    pagination: Pagination = attrs.field(factory=Pagination)


# --------------------------------------------------------------------------- user


@attrs.frozen
class UserBalance(KeepsRaw):
    """user/balance: "balance" (total) and "withdrawableBalance" (eligible for payout), cents."""

    balance: Cents
    withdrawableBalance: Cents | None = None


@attrs.frozen
class Localization:
    """user/me ``localization``."""

    currency: Currency | None = None


@attrs.frozen
class UserMe(KeepsRaw):
    """user/me: basic account details."""

    userId: Id
    username: str | None = None
    verified: bool | None = None
    locked: bool | None = None
    commission: Decimal | None = None
    tradeLink: str | None = None
    localization: Localization = attrs.field(factory=Localization)


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
class TradeOffer(KeepsRaw):
    """user/tradeoffers item: the internal ``tradeId``, the bot's ``username``, the Steam offer."""

    tradeId: Id
    username: str | None = None
    tradeOfferId: Id | None = None


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
class LowestPrice(KeepsRaw):
    """pricing/lowest, per name: "price" (lowest, cents), "quantity", "link"."""

    price: Cents
    quantity: int | None = None
    link: str | None = None


@attrs.frozen
class BuyOrderSummary(KeepsRaw):
    """buyorders/summary, per name: "maxPrice" ("Highest active buy order"), "minPrice", cents."""

    maxPrice: Cents | None = None
    minPrice: Cents | None = None
    quantity: int | None = None


@attrs.frozen
class OrderQuantity:
    """buyorders ``quantity``: "remaining" and "max"."""

    remaining: int
    max: int


@attrs.frozen
class BuyOrder(KeepsRaw):
    """GET buyorders item: one of the user's active buy orders."""

    orderId: Id
    marketName: str
    price: Cents
    appId: int | None = None
    totalCost: Cents | None = None
    quantity: OrderQuantity | None = None


@attrs.frozen
class OrderIds:
    """POST buyorders: "orderIds"."""

    orderIds: list[Id] = attrs.field(factory=list)


# --------------------------------------------------------------------------- buying and cart


@attrs.frozen
class PurchaseResult(KeepsRaw):
    """sales/purchase: "saleIds" bought and "purchaseAmount" ("deducted from your balance")."""

    saleIds: list[Id]
    purchaseAmount: Cents


@attrs.frozen
class SaleIds:
    """cart/add: "saleIds" added to the cart."""

    saleIds: list[Id] = attrs.field(factory=list)


@attrs.frozen
class Cart:
    """cart/items: the items and "removedItems" (sold or delisted since)."""

    items: list[Item] = attrs.field(factory=list)
    removedItems: int = 0


# --------------------------------------------------------------------------- inventory and selling


@attrs.frozen
class WithdrawResult(KeepsRaw):
    """inventory/withdraw: "tradeIds" handling the request and "itemIds" queued."""

    tradeIds: list[Id] = attrs.field(factory=list)
    itemIds: list[Id] = attrs.field(factory=list)


@attrs.frozen
class SaleGroup(KeepsRaw):
    """sales/list (POST and PUT) answer item: "groupId", "quantity", "price" (cents)."""

    groupId: Id
    quantity: int
    price: Cents


@attrs.frozen
class SaleGroups:
    """sales/list (POST and PUT): the groups listed or repriced."""

    items: list[SaleGroup] = attrs.field(factory=list)


@attrs.frozen
class DelistedGroup:
    """sales/delist answer item: "groupId" and the "itemIds" delisted."""

    groupId: Id
    itemIds: list[Id] = attrs.field(factory=list)


@attrs.frozen
class Delisted:
    """sales/delist."""

    items: list[DelistedGroup] = attrs.field(factory=list)


# --------------------------------------------------------------------------- screenshots, vouchers


@attrs.frozen
class Screenshot(KeepsRaw):
    """Screenshot Item Object: "state" is IN_QUEUE, COMPLETED or FAILED."""

    inspectLink: str
    state: str
    marketName: str | None = None
    imageLink: str | None = None


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

"""Mannco.store JSON, mirrored as attrs classes, and this vendor's cattrs converter (the
reading rules of every vendor's wire classes: :mod:`skinmarkets._wire`).

Every answer is the envelope ``{"err", "success", "content"}`` (mannco-api.md §2); the client
hands ``content`` to these classes. The references disagree on shapes (a listing page is
``{"count", "values"}`` in one client and a bare array in another; trade ``status`` and ids come
as numbers or strings; pricing fields "may be floats"), so each class accepts every documented
spelling. Field names keep the vendor's spelling (``assetId``, ``items_send``).
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from skinmarkets import _wire
from skinmarkets._wire import Amount, Cents, Id, KeepsRaw

VENDOR = "mannco"

# Cents (bounded by skinmarkets._wire) are USD cents here.
converter = _wire.make_converter(__name__, empty_list_as_dict=True)
structure = _wire.structure_for(converter, VENDOR)


def split_ids(text: str | None) -> tuple[str, ...]:
    """Asset ids of a list field: comma-separated, ``;`` on /deposit (§2 "Split on both")."""
    if not text:
        return ()
    return tuple(part.strip() for part in text.replace(";", ",").split(",") if part.strip())


# --------------------------------------------------------------------------- user


@attrs.frozen
class Login:
    """POST /user/login: ``content.jwt`` (§1 "Read content.jwt"; no ``data`` wrapper)."""

    jwt: str


@attrs.frozen
class UserBalance(KeepsRaw):
    """GET /user/balance: ``{"balance": 12345}`` in cents [3p:gman, 3p:vanzip, 3p:tf2autobot]."""

    balance: Cents


# --------------------------------------------------------------------------- trades


@attrs.frozen
class TradeRow(KeepsRaw):
    """One bot trade (trades-bot-api.txt, "Trade Fields")."""

    id: Id
    status: str  # an integer code, read as text so that any value maps (unknown -> UNKNOWN)
    items_received: str | None = None
    items_send: str | None = None
    user: str | None = None
    bot: str | None = None
    code: str | None = None
    lasterror: str | None = None
    offerid: Id | None = None
    timestamp: str | None = None  # "Unix timestamp in milliseconds" (a string in the samples)
    game: int | None = None


@attrs.frozen
class Trades:
    """GET /trades/active and /trades/all: ``{"trades": [...]}``."""

    trades: list[TradeRow] = attrs.field(factory=list)


@attrs.frozen
class Resent(KeepsRaw):
    """GET /trade/resend: ``{"message", "trade_id", "code"}`` (trades-bot-api.txt "Success")."""

    trade_id: Id
    code: str | None = None
    message: str | None = None


# --------------------------------------------------------------------------- items


@attrs.frozen
class ItemInformations(KeepsRaw):
    """GET /item/details/{item} ``informations`` (§6 [docs]); only what the adapter reads."""

    id: Id
    name: str
    game: int | None = None
    url: str | None = None
    quality: str | None = None
    deal: Cents | None = None  # "the Steam market price in cents"


@attrs.frozen
class ItemDetails:
    """GET /item/details/{item}: ``{"informations": {...}}``."""

    informations: ItemInformations


@attrs.frozen
class ListingRow(KeepsRaw):
    """One row of GET /item/listing/{item} (§6 [3p:gman, 3p:vanzip]); ``assetId`` is bought."""

    assetId: Id
    price: Cents
    id: Id | None = None
    item_id: Id | None = None
    state: int | None = None
    bot: str | None = None
    game: int | None = None


@attrs.frozen
class ListingPage:
    """A listing page: van-zip's ``{"count", "values"}``; gman's bare array is wrapped."""

    values: list[ListingRow] = attrs.field(factory=list)
    count: int | None = None


@attrs.frozen
class Pricing:
    """``pricing`` of /item/pricing[/bulk] (§6): cents, "the fields may be floats"."""

    lowest_sale_price: Amount | None = None
    lowest_buy_order: Amount | None = None  # "really the *highest* buy order" (gman comment)
    steam_price: Amount | None = None
    suggested_price: Amount | None = None


@attrs.frozen
class PricingRow(KeepsRaw):
    """One ``items`` row of /item/pricing/bulk."""

    item_id: Id
    pricing: Pricing = attrs.field(factory=Pricing)
    last_updated: str | None = None


@attrs.frozen
class PricingBulk:
    """GET /item/pricing/bulk?items=: ``{"total_items", …, "items": [...]}``."""

    items: list[PricingRow] = attrs.field(factory=list)
    total_items: int | None = None


@attrs.frozen
class PricingOne(KeepsRaw):
    """GET /item/pricing/{item}: ``{"item_id", "cached", "last_updated", "pricing"}``."""

    item_id: Id
    pricing: Pricing = attrs.field(factory=Pricing)


# --------------------------------------------------------------------------- inventory


@attrs.frozen
class InventoryGroup(KeepsRaw):
    """A grouped row of /inventory/onInventory and /onSale (§7 [docs]): ``ids`` lists the group."""

    ids: str
    item_id: Id | None = None
    assetId: Id | None = None
    count: int | None = None
    name: str | None = None
    price: Cents | None = None
    state: int | None = None
    game: int | None = None
    bot: str | None = None
    url: str | None = None

    @property
    def asset_ids(self) -> tuple[str, ...]:
        """Every asset id of the group."""
        return split_ids(self.ids) or ((self.assetId,) if self.assetId else ())


@attrs.frozen
class Inventory:
    """GET /inventory/onInventory and /onSale: ``{"items": [...], "count": 25}``."""

    items: list[InventoryGroup] = attrs.field(factory=list)
    count: int | None = None


@attrs.frozen
class Withdrawn(KeepsRaw):
    """POST /inventory/withdraw: ``{"message", "updated", "locked"}`` [3p:gman, 3p:tf2autobot]."""

    updated: int | None = None
    locked: int | None = None
    message: str | None = None


def listing_page(content: object, *, operation: str) -> ListingPage:
    """Either listing shape (§6 "Accept both") as a ``ListingPage``."""
    if isinstance(content, list):
        content = {"values": content}
    return structure(content, ListingPage, operation=operation)


def message_of(content: object) -> str | None:
    """The human text of a ``content`` that is a string or carries ``message``/``details``."""
    if isinstance(content, str):
        return content
    if isinstance(content, Mapping):
        for key in ("message", "details", "error"):
            value = content.get(key)
            if isinstance(value, str):
                return value
    return None

"""Checks of the caller's arguments every vendor makes before anything is sent.

Each takes the vendor's name (for the message and the error's ``vendor``) and raises
``InvalidRequest`` (or ``TypeError`` for a value of the wrong type, e.g. a float where Money is
required) naming what to pass instead. Rules only one vendor has stay in its ``checks.py``.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence

from skinmarkets import errors
from skinmarkets.models import Listing, Purchase
from skinmarkets.money import Money

#: The market_hash_name an error message shows as an example.
EXAMPLE_NAME = "AK-47 | Redline (Field-Tested)"


def invalid(
    vendor: str, operation: str, message: str, code: str | None = None
) -> errors.InvalidRequest:
    """``InvalidRequest`` for ``operation``, its message prefixed with the vendor and operation."""
    return errors.InvalidRequest(
        f"{vendor}: {operation}: {message}", vendor=vendor, operation=operation, code=code
    )


def check_name(vendor: str, name: object, operation: str, *, example: str = EXAMPLE_NAME) -> str:
    """A market_hash_name, stripped; anything else is ``InvalidRequest``."""
    if not isinstance(name, str) or not name.strip():
        raise invalid(
            vendor,
            operation,
            f"the item name must be a non-empty market_hash_name like '{example}', got {name!r}",
        )
    return name.strip()


def check_names(vendor: str, names: object, operation: str = "prices") -> frozenset[str] | None:
    """``prices(names=…)``: None (every name), or the exact market_hash_names wanted.

    A collection (list, tuple, set…) of non-empty strings, matched exactly (not stripped);
    duplicates are harmless. A bare string (which would be read as its characters), anything
    that is not a collection, or an item that is not a non-empty string is ``InvalidRequest``.
    """
    if names is None:
        return None
    if isinstance(names, str | bytes | bytearray) or not isinstance(names, Collection):
        shown = f"[{names!r:.60}]" if isinstance(names, str) else f"['{EXAMPLE_NAME}']"
        raise invalid(
            vendor,
            operation,
            f"names must be a collection of market_hash_names like {shown}, got "
            f"{type(names).__name__} {names!r:.60}",
        )
    for name in names:
        if not isinstance(name, str) or not name.strip():
            raise invalid(
                vendor,
                operation,
                f"names must hold non-empty market_hash_names like '{EXAMPLE_NAME}', got "
                f"{name!r:.60}",
            )
    return frozenset(names)


def check_id(vendor: str, value: object, what: str, operation: str) -> str:
    """An identifier the vendor gave (asset, listing, trade id): a non-empty str, stripped.

    An ``int`` is accepted and spelled as the vendor does (ids are strings on every model).
    """
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return str(value)
    if not isinstance(value, str) or not value.strip():
        raise invalid(
            vendor,
            operation,
            f"{what} must be a non-empty id string as the market gave it, got {value!r:.60}",
        )
    return value.strip()


def check_count(vendor: str, value: object, what: str, operation: str) -> int:
    """``value`` if it is a whole number >= 1 (a limit, an amount, an app id)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise invalid(vendor, operation, f"{what} must be a whole number >= 1, got {value!r}")
    return value


def check_money(
    vendor: str,
    value: object,
    what: str,
    operation: str,
    *,
    currency: str,
    echo: bool = True,
) -> Money:
    """``value`` if it is a ``Money``; a float or anything else is ``TypeError``.

    ``currency`` is the one the example in the message uses; ``echo=False`` leaves the value
    itself out of the message.
    """
    if not isinstance(value, Money):
        hint = " (binary floats lose cents)" if isinstance(value, float) else ""  # float ok
        shown = f" {value!r}" if echo else ""
        raise TypeError(
            f"{vendor}: {operation}: {what} must be skinmarkets.Money, e.g. "
            f"Money('4.00', '{currency}'); got {type(value).__name__}{shown}{hint}"
        )
    return value


def check_currency(
    vendor: str, money: Money, what: str, operation: str, *, currency: str, venue: str
) -> Money:
    """``money`` if it is in ``currency``, the only one ``venue`` trades in."""
    if money.currency != currency:
        raise invalid(
            vendor,
            operation,
            f"{what} is in {money.currency} but {venue} trades in {currency}; convert it first "
            "(Money.convert)",
            "currency_mismatch",
        )
    return money


def check_positive(vendor: str, money: Money, what: str, operation: str) -> Money:
    """``money`` if it is more than 0."""
    if money.amount <= 0:
        raise invalid(vendor, operation, f"{what} must be more than 0, got {money}")
    return money


def check_price(
    vendor: str,
    value: object,
    what: str,
    operation: str,
    *,
    currency: str,
    venue: str,
    echo: bool = True,
) -> Money:
    """A positive ``Money`` in ``currency``; anything else refused before sending."""
    money = check_money(vendor, value, what, operation, currency=currency, echo=echo)
    check_currency(vendor, money, what, operation, currency=currency, venue=venue)
    return check_positive(vendor, money, what, operation)


def in_minor_units(vendor: str, money: Money, operation: str, *, scale: int) -> int:
    """``money`` as whole minor units (cents); a finer amount is ``InvalidRequest``."""
    try:
        return money.to_minor(scale=scale)
    except ValueError:
        raise invalid(vendor, operation, f"{money} is finer than a cent; round it first") from None


def check_custom_id(
    vendor: str,
    custom_id: object,
    *,
    max_length: int,
    operation: str = "buy",
    unpadded: bool = False,
) -> str:
    """The caller's ``custom_id`` if it fits, or a new one (uuid4 hex) for ``None``.

    With ``unpadded``, an id with surrounding spaces is refused too (the vendor would strip it
    and then not find it again).
    """
    if custom_id is None:
        return uuid.uuid4().hex
    if (
        not isinstance(custom_id, str)
        or not custom_id.strip()
        or (unpadded and custom_id != custom_id.strip())
        or len(custom_id) > max_length
    ):
        spaces = " without surrounding spaces," if unpadded else " of"
        rule = f"a non-empty string{spaces} at"
        raise invalid(
            vendor,
            operation,
            f"custom_id must be {rule} most {max_length} characters, got {custom_id!r}",
        )
    return custom_id


def check_traded(
    vendor: str,
    money: Money,
    what: str,
    operation: str,
    *,
    currencies: Collection[str],
    venue: str,
) -> Money:
    """``money`` if its currency is one of ``currencies`` (the market's
    ``capabilities.currencies``); known without asking the vendor anything."""
    if money.currency not in currencies:
        raise invalid(
            vendor,
            operation,
            f"{what} is in {money.currency} but {venue} trades in "
            f"{', '.join(sorted(currencies))}; convert it first (Money.convert)",
            "currency_mismatch",
        )
    return money


def check_listing(
    vendor: str, market: str, listing: object, operation: str, *, currencies: Collection[str]
) -> Listing:
    """``listing`` if it could have come from ``market``'s ``list_for_sale``.

    Not a ``Listing`` -> ``TypeError``; a listing of another market, with an empty or non-str
    ``id``, a price that is not more than 0 or in a currency ``market`` does not trade ->
    ``InvalidRequest`` naming the field.
    """
    if not isinstance(listing, Listing):
        raise TypeError(
            f"{vendor}: {operation}: pass a Listing from list_for_sale, got "
            f"{type(listing).__name__} {listing!r:.60}"
        )
    if listing.market != market:
        raise invalid(
            vendor,
            operation,
            f"the listing belongs to {listing.market!r}, not {market!r}; pass a Listing from "
            f"{market}'s list_for_sale",
        )
    if not isinstance(listing.id, str) or not listing.id.strip():
        raise invalid(
            vendor,
            operation,
            f"listing.id must be the non-empty id string list_for_sale gave, got "
            f"{listing.id!r:.60}",
        )
    price: object = listing.price
    if not isinstance(price, Money):
        raise invalid(
            vendor,
            operation,
            f"listing.price must be skinmarkets.Money, got {type(price).__name__}; pass a "
            "Listing from list_for_sale",
        )
    if price.amount <= 0:
        raise invalid(
            vendor,
            operation,
            f"listing.price must be more than 0, got {price}; pass a Listing from list_for_sale",
        )
    check_traded(vendor, price, "listing.price", operation, currencies=currencies, venue=market)
    return listing


def check_purchases(
    vendor: str, market: str, purchases: object, operation: str = "withdraw"
) -> tuple[Purchase, ...] | None:
    """``None`` (everything held), or the ``Purchase`` objects of ``market`` in a list or tuple.

    A string, a lone ``Purchase``, a set or any other object, or an item that is not a
    ``Purchase`` -> ``TypeError``; a purchase made on another market -> ``InvalidRequest``.
    """
    if purchases is None:
        return None
    usage = f"{vendor}: {operation} takes None (everything held) or a list of Purchase from buy"
    if isinstance(purchases, Purchase):
        raise TypeError(f"{usage}, got one Purchase; pass it in a list: [purchase]")
    if isinstance(purchases, str | bytes | bytearray) or not isinstance(purchases, Sequence):
        raise TypeError(f"{usage}, got {type(purchases).__name__} {purchases!r:.60}")
    for index, purchase in enumerate(purchases):
        if not isinstance(purchase, Purchase):
            raise TypeError(
                f"{usage}, got {type(purchase).__name__} {purchase!r:.60} at index {index}"
            )
        if purchase.market != market:
            raise invalid(
                vendor,
                operation,
                f"purchases[{index}] was made on {purchase.market!r}, not {market!r}; pass "
                f"purchases that {market}'s buy returned",
            )
    return tuple(purchases)


def check_buy(
    vendor: str,
    market: str,
    listing: object,
    max_price: object,
    *,
    currencies: Collection[str],
    operation: str = "buy",
) -> tuple[Listing, Money]:
    """The listing and the cap to buy it under; every refusal here is raised before sending.

    ``listing`` must pass :func:`check_listing` (``currencies``: the market's
    ``capabilities.currencies``); the cap (default: the listing's price) must be ``Money`` in the
    listing's currency and not below its price (``PriceExceeded``).
    """
    listing = check_listing(vendor, market, listing, operation, currencies=currencies)
    cap = (
        listing.price
        if max_price is None
        else check_money(vendor, max_price, "max_price", operation, currency=listing.price.currency)
    )
    if cap.currency != listing.price.currency:
        raise invalid(
            vendor,
            operation,
            f"max_price is in {cap.currency} but the listing costs {listing.price}; "
            "convert it first (Money.convert)",
            "currency_mismatch",
        )
    if cap < listing.price:
        raise errors.PriceExceeded(
            f"{vendor}: {operation} refused locally: the listing costs {listing.price}, more "
            f"than max_price {cap}; nothing was sent",
            price=listing.price.amount,
            max_price=cap.amount,
            vendor=vendor,
            operation=operation,
        )
    return listing, cap

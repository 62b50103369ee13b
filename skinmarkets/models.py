"""The vendor-neutral models every adapter returns.

All models are frozen, slotted attrs classes. Every identifier is a ``str`` whatever type the
vendor's JSON used, every amount is :class:`~skinmarkets.money.Money`, every timestamp is
timezone-aware UTC, and every model keeps the vendor's own dict in ``raw`` (left out of ``==``
and ``repr``) so nothing the vendor said is lost.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from decimal import Decimal
from types import MappingProxyType
from typing import Any

import attrs

from skinmarkets.money import Money

__all__ = [
    "Balance",
    "Direction",
    "Listing",
    "PriceQuote",
    "Purchase",
    "Trade",
    "TradeStatus",
]

_EMPTY: Mapping[str, Any] = MappingProxyType({})


class TradeStatus(enum.Enum):
    """One lifecycle for every vendor's purchases and trades."""

    PENDING = "pending"  # created, waiting for a seller or a bot
    SENT = "sent"  # Steam offer sent, waiting for acceptance
    ON_HOLD = "on_hold"  # accepted, inside Steam trade protection, can still be reverted
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    TIMED_OUT = "timed_out"
    FAILED = "failed"
    REVERSED = "reversed"
    UNKNOWN = "unknown"  # a vendor code nobody mapped; the model's raw keeps it

    @property
    def is_final(self) -> bool:
        """True when the status can no longer change."""
        return self in _FINAL_STATUSES


_FINAL_STATUSES = frozenset(
    {
        TradeStatus.COMPLETED,
        TradeStatus.CANCELLED,
        TradeStatus.TIMED_OUT,
        TradeStatus.FAILED,
        TradeStatus.REVERSED,
    }
)


class Direction(enum.Enum):
    """Which way the items of a trade move, seen from the user."""

    INCOMING = "incoming"  # items come to the user
    OUTGOING = "outgoing"  # the user gives items


def _as_id(value: object) -> str:
    if isinstance(value, bool) or value is None:
        raise TypeError(f"an identifier must be a str or int, got {value!r}")
    if isinstance(value, int | str):
        return str(value)
    raise TypeError(f"an identifier must be a str or int, got {type(value).__name__}")


def _as_optional_id(value: object) -> str | None:
    return None if value is None or value == "" else _as_id(value)


def _as_ids(values: Iterable[object]) -> tuple[str, ...]:
    if isinstance(values, str | bytes):
        # A lone id would otherwise be split into one "id" per character.
        raise TypeError(f"items must be a sequence of identifiers, got {values!r}")
    return tuple(_as_id(v) for v in values)


def _as_raw(value: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return _EMPTY if value is None else value


def _to_utc(value: Any) -> Any:
    """An aware datetime in UTC (same instant); anything else is left for the validator."""
    if isinstance(value, datetime) and value.utcoffset() is not None:
        return value.astimezone(UTC)
    return value


def _aware_utc(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and (not isinstance(value, datetime) or value.utcoffset() is None):
        raise ValueError(f"{attribute.name} must be a timezone-aware datetime, got {value!r}")


_money = attrs.validators.instance_of(Money)
_optional_money = attrs.validators.optional(_money)
_raw_field: Any = attrs.field(factory=dict, converter=_as_raw, eq=False, repr=False)


@attrs.frozen
class Listing:
    """One live offer on a market; ``id`` is what ``buy`` needs."""

    market: str
    id: str = attrs.field(converter=_as_id)
    market_hash_name: str
    price: Money = attrs.field(validator=_money)
    app_id: int
    asset_id: str | None = attrs.field(default=None, converter=_as_optional_id)
    float_value: Decimal | None = None
    phase: str | None = None
    quantity: int = 1
    raw: Mapping[str, Any] = _raw_field


@attrs.frozen
class Purchase:
    """A purchase made (or found) on a market; ``custom_id`` is the idempotency key."""

    market: str
    id: str = attrs.field(converter=_as_id)
    custom_id: str | None = attrs.field(converter=_as_optional_id)
    market_hash_name: str
    price: Money = attrs.field(validator=_money)
    status: TradeStatus
    trade_offer_id: str | None = attrs.field(default=None, converter=_as_optional_id)
    created_at: datetime | None = attrs.field(default=None, converter=_to_utc, validator=_aware_utc)
    raw: Mapping[str, Any] = _raw_field


@attrs.frozen
class Balance:
    """Money on the account: what can be spent, and what can be withdrawn where it differs."""

    market: str
    available: Money = attrs.field(validator=_money)
    withdrawable: Money | None = attrs.field(default=None, validator=_optional_money)
    raw: Mapping[str, Any] = _raw_field


@attrs.frozen
class Trade:
    """A Steam trade offer between the user and a market (or its bot)."""

    market: str
    id: str = attrs.field(converter=_as_id)
    status: TradeStatus
    direction: Direction
    offer_id: str | None = attrs.field(default=None, converter=_as_optional_id)
    bot_id: str | None = attrs.field(default=None, converter=_as_optional_id)
    items: tuple[str, ...] = attrs.field(default=(), converter=_as_ids)
    created_at: datetime | None = attrs.field(default=None, converter=_to_utc, validator=_aware_utc)
    secret: str | None = None
    raw: Mapping[str, Any] = _raw_field


@attrs.frozen
class PriceQuote:
    """One item's price summary on one market at one moment."""

    market: str
    market_hash_name: str
    lowest_ask: Money | None = attrs.field(validator=_optional_money)
    highest_bid: Money | None = attrs.field(validator=_optional_money)
    quantity: int | None
    observed_at: datetime = attrs.field(converter=_to_utc, validator=_aware_utc)
    raw: Mapping[str, Any] = _raw_field

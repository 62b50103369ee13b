"""SkinsBack (skinsback.com): the adapter and the webhook helpers."""

from skinmarkets.vendors.skinsback.adapter import Skinsback
from skinmarkets.vendors.skinsback.buying import BatchItemResult, BatchOrder
from skinmarkets.vendors.skinsback.events import (
    BalanceChangeEvent,
    Event,
    PurchaseEvent,
    StatusChangeEvent,
    UnknownEvent,
    parse_event,
    verify_event_signature,
)

__all__ = [
    "BalanceChangeEvent",
    "BatchItemResult",
    "BatchOrder",
    "Event",
    "PurchaseEvent",
    "Skinsback",
    "StatusChangeEvent",
    "UnknownEvent",
    "parse_event",
    "verify_event_signature",
]

"""What the write journal keeps of a purchase and its listing, as JSON text, and back.

Amounts keep every digit: a ``Decimal`` (in ``Money`` and inside ``raw``) is written as
``{"$decimal": "…"}``; ``raw`` is already scrubbed of secrets by the transport.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from skinmarkets.models import Listing, Purchase, TradeStatus
from skinmarkets.money import Money

__all__ = ["dump_listing", "dump_purchase", "load_listing", "load_purchase"]


def _default(value: object) -> object:
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, tuple | set | frozenset):
        return list(value)
    raise TypeError(f"cannot keep {type(value).__name__} in the journal")


def _hook(obj: dict[str, Any]) -> Any:
    if len(obj) == 1 and "$decimal" in obj:
        return Decimal(obj["$decimal"])
    return obj


def _dumps(data: Mapping[str, Any]) -> str:
    return json.dumps(data, default=_default, ensure_ascii=False, separators=(",", ":"))


def _loads(text: str) -> dict[str, Any]:
    data = json.loads(text, object_hook=_hook, parse_float=Decimal)
    if not isinstance(data, dict):
        raise ValueError("a journal record is a JSON object")
    return data


def _money(money: Money) -> dict[str, str]:
    return {"amount": str(money.amount), "currency": money.currency}


def dump_purchase(purchase: Purchase) -> str:
    """``purchase`` as JSON text."""
    return _dumps(
        {
            "market": purchase.market,
            "id": purchase.id,
            "custom_id": purchase.custom_id,
            "market_hash_name": purchase.market_hash_name,
            "price": _money(purchase.price),
            "status": purchase.status.name,
            "trade_offer_id": purchase.trade_offer_id,
            "created_at": purchase.created_at.isoformat() if purchase.created_at else None,
            "raw": purchase.raw,
        }
    )


def load_purchase(text: str) -> Purchase:
    """The ``Purchase`` of :func:`dump_purchase`."""
    data = _loads(text)
    created = data.get("created_at")
    return Purchase(
        market=data["market"],
        id=data["id"],
        custom_id=data.get("custom_id"),
        market_hash_name=data["market_hash_name"],
        price=Money(data["price"]["amount"], data["price"]["currency"]),
        status=TradeStatus[data["status"]],
        trade_offer_id=data.get("trade_offer_id"),
        created_at=datetime.fromisoformat(created) if created else None,
        raw=data.get("raw") or {},
    )


def dump_listing(listing: Listing) -> str:
    """``listing`` as JSON text."""
    return _dumps(
        {
            "market": listing.market,
            "id": listing.id,
            "market_hash_name": listing.market_hash_name,
            "price": _money(listing.price),
            "app_id": listing.app_id,
            "asset_id": listing.asset_id,
            "float_value": listing.float_value,
            "phase": listing.phase,
            "quantity": listing.quantity,
            "raw": listing.raw,
        }
    )


def load_listing(text: str) -> Listing:
    """The ``Listing`` of :func:`dump_listing`."""
    data = _loads(text)
    return Listing(
        market=data["market"],
        id=data["id"],
        market_hash_name=data["market_hash_name"],
        price=Money(data["price"]["amount"], data["price"]["currency"]),
        app_id=data["app_id"],
        asset_id=data.get("asset_id"),
        float_value=data.get("float_value"),
        phase=data.get("phase"),
        quantity=data.get("quantity", 1),
        raw=data.get("raw") or {},
    )

"""SkinsBack events: verify a webhook's signature, then parse the event into a typed object.

"Webhook Events URL": SkinsBack POSTs ``{"event": …, "data": {…}}`` for ``buy_item``,
``status_change`` and ``balance_change``, signed with "HMAC-SHA256(key = Client Secret, message =
raw request body), hex, in an HTTP header" (the header is named ``Signature`` in the docs' PHP
example and table, ``Authorization`` in its prose: read ``Signature`` first)::

    from skinmarkets.vendors.skinsback import parse_event, verify_event_signature

    body = request.get_data()                      # the raw bytes, before any JSON parsing
    signature = request.headers.get("Signature") or request.headers.get("Authorization", "")
    if not verify_event_signature(body, signature, CLIENT_SECRET):
        return "", 403
    event = parse_event(body)                      # PurchaseEvent | StatusChangeEvent | …

Deduplicate on ``(buy_id, offer_status)``: delivery may repeat.

The websocket (``market.events()``, ``realtime.py``) pushes the same events: both read their
fields through :func:`read_event`, so a webhook and a frame never disagree.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from skinmarkets import _wire, errors
from skinmarkets._http import decode_json
from skinmarkets._secret import Secret
from skinmarkets.models import TradeStatus
from skinmarkets.money import Money
from skinmarkets.vendors.skinsback import units

__all__ = [
    "BalanceChangeEvent",
    "Event",
    "PurchaseEvent",
    "StatusChangeEvent",
    "UnknownEvent",
    "parse_event",
    "read_event",
    "verify_event_signature",
]

VENDOR = "skinsback"
_HEX_SHA256 = re.compile(r"[0-9a-fA-F]{64}")
#: A webhook body larger than this is refused unread (the events are a few hundred bytes).
MAX_BODY_BYTES = 1_000_000


def verify_event_signature(body: bytes, signature: str, client_secret: str) -> bool:
    """True when ``signature`` is the hex HMAC-SHA256 of the raw ``body`` under ``client_secret``.

    Compared in constant time. Never raises: a missing, non-hex or wrong-length signature, a
    ``body`` that is not bytes (a ``str`` was already decoded and may not be the bytes that were
    signed) or an empty secret all give ``False``.
    """
    try:
        if not isinstance(body, bytes | bytearray | memoryview):
            return False
        if isinstance(client_secret, Secret):
            client_secret = client_secret.reveal()
        if not isinstance(client_secret, str) or not client_secret:
            return False
        if not isinstance(signature, str) or not _HEX_SHA256.fullmatch(signature.strip()):
            return False
        expected = hmac.new(client_secret.encode("utf-8"), bytes(body), hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, signature.strip().lower())
    except Exception:  # never raise on hostile input, whatever it is
        return False


@attrs.frozen
class PurchaseEvent:
    """``buy_item``: a purchase was made (``balance_debited_sum`` is what it cost)."""

    buy_id: str
    custom_id: str | None
    item_id: str | None
    market_hash_name: str | None
    offer_status: str
    status: TradeStatus
    price: Money | None
    raw: Mapping[str, Any] = attrs.field(eq=False, repr=False)
    #: ``tradeofferid`` when the purchase's frame already has one (the docs' example has none).
    trade_offer_id: str | None = None


@attrs.frozen
class StatusChangeEvent:
    """``status_change``: a purchase's Steam offer moved on (``tradeofferid`` once it exists)."""

    buy_id: str
    custom_id: str | None
    item_id: str | None
    offer_status: str
    status: TradeStatus
    trade_offer_id: str | None
    error_reason: str | None
    raw: Mapping[str, Any] = attrs.field(eq=False, repr=False)


@attrs.frozen
class BalanceChangeEvent:
    """``balance_change``: the project balance is now ``balance_value`` (currency undocumented:
    the same number as ``balance``'s ``balance``; read ``balance()`` for USD)."""

    balance_value: Decimal | None
    raw: Mapping[str, Any] = attrs.field(eq=False, repr=False)


@attrs.frozen
class UnknownEvent:
    """An event kind this version does not know (``auth_success`` or a new one), kept as sent."""

    event: str
    raw: Mapping[str, Any] = attrs.field(eq=False, repr=False)


Event = PurchaseEvent | StatusChangeEvent | BalanceChangeEvent | UnknownEvent


def _malformed(why: str, raw: Any = None) -> errors.UnexpectedResponse:
    return errors.UnexpectedResponse(why, vendor=VENDOR, operation="parse_event", raw=raw)


def _text(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is None or isinstance(value, Mapping | list):
        return None
    try:
        return _wire.to_str(value)
    except TypeError:
        return None


def _amount(data: Mapping[str, Any], key: str) -> Decimal | None:
    """The amount at ``key``; None when absent, unreadable or negative (``raw`` keeps it)."""
    value = data.get(key)
    try:
        return None if value is None else _wire.to_amount(value)
    except TypeError:
        return None


def parse_event(body: bytes | str | Mapping[str, Any]) -> Event:
    """The typed event of a webhook message; verify its signature first.

    Raises ``UnexpectedResponse`` (raw kept) when the body is not ``{"event": …, "data": {…}}``.
    The fields are read by :func:`read_event`, as for the websocket's frames.
    """
    message: Any = body
    if isinstance(body, bytes | bytearray | str):
        if len(body) > MAX_BODY_BYTES:
            raise _malformed("the body is too large for an event")
        try:
            text = body.decode("utf-8") if isinstance(body, bytes | bytearray) else body
            message = decode_json(text)
        except (ValueError, RecursionError):
            raise _malformed("the body is not JSON", raw=str(body)[:2000]) from None
    if not isinstance(message, Mapping) or not isinstance(message.get("event"), str):
        raise _malformed('expected {"event": …, "data": {…}}', raw=_raw(message))
    return read_event(message["event"], message.get("data"), message)


def read_event(name: str, data: object, message: Mapping[str, Any]) -> Event:
    """The typed event named ``name`` with ``data``: the one reading of SkinsBack's event fields.

    Webhooks (:func:`parse_event`) and the websocket (``realtime.py``) both come through here.
    ``message`` is the whole ``{"event": …, "data": …}`` object, kept as ``raw``. A name this
    version does not know is an :class:`UnknownEvent`; a known event whose data cannot be read
    raises ``UnexpectedResponse`` (raw kept).
    """
    if name not in ("buy_item", "status_change", "balance_change"):
        return UnknownEvent(event=name, raw=message)
    if isinstance(data, list) and not data:
        data = {}  # PHP's empty object
    if not isinstance(data, Mapping):
        raise _malformed(f"event {name!r:.40} has no data object", raw=_raw(message))
    if name == "balance_change":
        return BalanceChangeEvent(balance_value=_amount(data, "balance_value"), raw=message)
    buy_id = _text(data, "buy_id")
    if buy_id is None:
        raise _malformed(f"event {name!r} has no buy_id", raw=_raw(message))
    found = data.get("item")
    item: Mapping[str, Any] = found if isinstance(found, Mapping) else {}
    offer_status = _text(data, "offer_status") or ""
    trade_offer_id = _text(data, "tradeofferid")
    status = units.offer_status(offer_status, has_offer=trade_offer_id is not None)
    if name == "buy_item":
        debited = _amount(data, "balance_debited_sum")
        return PurchaseEvent(
            buy_id=buy_id,
            custom_id=_text(data, "custom_id"),
            item_id=_text(item, "id"),
            market_hash_name=_text(item, "name"),
            offer_status=offer_status,
            status=status,
            price=units.money(debited) if debited is not None else None,
            raw=message,
            trade_offer_id=trade_offer_id,
        )
    return StatusChangeEvent(
        buy_id=buy_id,
        custom_id=_text(data, "custom_id"),
        item_id=_text(item, "id"),
        offer_status=offer_status,
        status=status,
        trade_offer_id=trade_offer_id,
        error_reason=_text(data, "error_reason"),
        raw=message,
    )


def _raw(message: Any) -> Any:
    if isinstance(message, Mapping | list | str):
        return message
    try:
        return json.dumps(message, default=str)[:2000]
    except (TypeError, ValueError, RecursionError):
        return repr(message)[:2000]

"""Market TM realtime frames -> skinmarkets events (no sockets here: see ``realtime``).

Facts: vendor-docs/realtime.md, "market_tm — two sockets".

- Price feed (Centrifugo): a publication ``{"push": {"channel", "pub": {"data": {"event",
  "name_id", "id", "price"}}}}`` is a ``ListingChanged``; ``price`` is a decimal string in major
  units of the channel's currency (the account's), read exactly.
- wsn: ``{"type": t, "data": "<JSON encoded again as a string>"}`` (up to three times), one
  reader per type in ``WSN_TYPES``; any other type is an ``UnknownEvent`` named after it.

A frame that cannot be read is an ``UnknownEvent``, its ``raw`` scrubbed, as
:mod:`skinmarkets._realtime.frames` says.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

import attrs

from skinmarkets._http import decode_json
from skinmarkets._realtime import frames
from skinmarkets._realtime.frames import Frame, money_or_none, read_id
from skinmarkets._secret import scrub, scrub_raw
from skinmarkets._wire import to_int
from skinmarkets.events import (
    BalanceChanged,
    Event,
    ListingChanged,
    Notification,
    PurchaseUpdated,
    UnknownEvent,
)
from skinmarkets.models import TradeStatus
from skinmarkets.money import Money
from skinmarkets.vendors.market_tm import units

__all__ = [
    "LISTING_ACTIONS",
    "WSN_TYPES",
    "balance_amount",
    "decoded",
    "publication_event",
    "unreadable",
    "wsn_event",
]

#: Publication ``event`` -> ``ListingChanged.action`` ("new"|"change"|"delete"|…: ialakey,
#: marketcsgo4j and two bots); any other event is an ``UnknownEvent`` named after it.
LISTING_ACTIONS: Mapping[str, str] = {
    "new": "added",
    "change": "changed",
    "delete": "removed",
}

#: wsn ``data`` is JSON encoded again as a string, three times for ``history_go``.
MAX_ENCODINGS = 3
#: How much of an unreadable frame ``raw`` keeps (a frame may be megabytes of garbage).
RAW_TEXT_LIMIT = 2000

VENDOR = "market_tm"
log = logging.getLogger("skinmarkets")

_DECIMAL = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_TAG = re.compile(r"<[^>]*>")

NameOf = Callable[[object], "str | None"]


def unreadable(market: str, received_at: datetime, text: str) -> UnknownEvent:
    """A frame (or one line of it) that is not the JSON object we expect."""
    return frames.unreadable(
        market, received_at, text, name="malformed", key="frame", limit=RAW_TEXT_LIMIT
    )


# ---------------------------------------------------------------------- price feed


def publication_event(
    message: Mapping[str, Any],
    *,
    market: str,
    currency: str,
    name_of: NameOf,
    received_at: datetime,
) -> Event:
    """One Centrifugo push as a ``ListingChanged`` (or an ``UnknownEvent``)."""
    raw = scrub_raw(message)
    push = message.get("push")
    pub = push.get("pub") if isinstance(push, Mapping) else None
    data = pub.get("data") if isinstance(pub, Mapping) else None
    if not isinstance(data, Mapping):
        return UnknownEvent(market=market, received_at=received_at, name="push", raw=raw)
    event = data.get("event")
    action = LISTING_ACTIONS.get(event) if isinstance(event, str) else None
    listing_id = read_id(data.get("id"))
    if action is None or listing_id is None:
        name = event if isinstance(event, str) and event else "push"
        return UnknownEvent(market=market, received_at=received_at, name=name, raw=raw)
    return ListingChanged(
        market=market,
        received_at=received_at,
        action=action,  # type: ignore[arg-type]
        listing_id=listing_id,
        market_hash_name=name_of(data.get("name_id")),
        price=_price(data.get("price"), currency),
        raw=raw,
    )


def _price(value: object, currency: str) -> Money | None:
    """A publication's price: a non-negative decimal (string) in major units; else None."""
    if isinstance(value, str):
        text = value.strip()
        amount = Decimal(text) if _DECIMAL.fullmatch(text) else None
    elif isinstance(value, int | Decimal) and not isinstance(value, bool):
        amount = Decimal(value)
    else:
        amount = None
    if amount is None or not amount.is_finite() or amount < 0:
        return None
    return money_or_none(amount.copy_abs(), currency)  # a "-0" is 0 (copy_abs never rounds)


# ---------------------------------------------------------------------- wsn


@attrs.frozen
class _Frame(Frame):
    """What every wsn reader gets: the decoded ``data``, its ``type`` as ``name``, the event's
    common fields and the account's currency."""

    currency: str


def decoded(value: object) -> Any:
    """wsn ``data``: JSON decoded as often as it was encoded (at most ``MAX_ENCODINGS``)."""
    for _ in range(MAX_ENCODINGS):
        if not isinstance(value, str):
            break
        try:
            value = decode_json(value)  # numbers as Decimal, no NaN/Infinity
        except (ValueError, RecursionError):
            break
    return value


def wsn_event(
    message: Mapping[str, Any], *, market: str, currency: str, received_at: datetime
) -> Event:
    """One wsn frame ``{"type", "data"}`` as an event (``UnknownEvent`` for other types)."""
    kind = message.get("type")
    data = decoded(message.get("data"))
    raw = scrub_raw({**message, "data": data})
    if not isinstance(kind, str) or not kind:
        return UnknownEvent(market=market, received_at=received_at, name="malformed", raw=raw)
    frame = _Frame(
        market=market, received_at=received_at, name=kind, data=data, raw=raw, currency=currency
    )
    reader = WSN_TYPES.get(kind)
    if reader is None:
        return frame.unknown()
    try:
        return reader(frame)
    except Exception as exc:  # a bug must not drop the connection: the frame is kept as unknown
        log.warning("%s: could not read a %.40r frame (%s)", VENDOR, kind, type(exc).__name__)
        return frame.unknown()


def balance_amount(value: object) -> Decimal | None:
    """wsn ``money``: a formatted balance ("12.34", "1 234,56 ₽", "12.34<small>…</small>").

    HTML tags go first, then everything but digits and separators; of several separators of
    one kind ("1,234,567") none is decimal, otherwise the last one is. A minus before the first
    digit makes it negative. No digit at all: None.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int | Decimal):
        return Decimal(value) if Decimal(value).is_finite() else None
    if isinstance(value, Mapping):
        return balance_amount(value.get("money"))
    if not isinstance(value, str):
        return None
    text = _TAG.sub("", value)
    kept = "".join(c for c in text if c in "0123456789.,")
    if not any(c.isdigit() for c in kept):
        return None
    separators = [i for i, c in enumerate(kept) if c in ".,"]
    kinds = {kept[i] for i in separators}
    if not separators or (len(separators) > 1 and len(kinds) == 1):
        whole, fraction = kept, ""
    else:
        whole, fraction = kept[: separators[-1]], kept[separators[-1] + 1 :]
    digits = "".join(c for c in whole if c.isdigit()) or "0"
    amount = Decimal(f"{digits}.{fraction}" if fraction else digits)
    first_digit = next(i for i, c in enumerate(text) if c.isdigit() and c.isascii())
    return -amount if "-" in text[:first_digit] else amount


def _balance(frame: _Frame) -> Event:
    amount = balance_amount(frame.data)
    return BalanceChanged(
        market=frame.market,
        received_at=frame.received_at,
        available=None if amount is None else money_or_none(amount, frame.currency),
        raw=frame.raw,
    )


def _status(value: object) -> TradeStatus:
    """An item status (an int, or its digits as a string); anything else is UNKNOWN."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        return TradeStatus.UNKNOWN
    try:
        return units.ITEM_STATUS.get(to_int(value), TradeStatus.UNKNOWN)
    except (TypeError, ValueError):  # not a whole number ("²", "1.5", 5,000 digits)
        return TradeStatus.UNKNOWN


def _purchase(id_key: str, status_key: str) -> Callable[[_Frame], Event]:
    """A reader of ``{id_key, status_key, …}`` as a ``PurchaseUpdated`` (items statuses)."""

    def read(frame: _Frame) -> Event:
        data = frame.fields
        purchase_id = read_id(data.get(id_key))
        if purchase_id is None or status_key not in data:
            return frame.unknown()
        return PurchaseUpdated(
            market=frame.market,
            received_at=frame.received_at,
            purchase_id=purchase_id,
            status=_status(data.get(status_key)),
            custom_id=None,  # wsn frames do not carry the custom_id given to buy
            raw=frame.raw,
        )

    return read


def _item_out(frame: _Frame) -> Event:
    """``itemout_new_go`` (an item left the market inventory): its payload is unpublished, so it
    is a ``PurchaseUpdated`` only when it names the item and a status the way the other two do."""
    for id_key, status_key in (("ui_id", "ui_status"), ("id", "status")):
        event = _purchase(id_key, status_key)(frame)
        if isinstance(event, PurchaseUpdated):
            return event
    return frame.unknown()


def _notification(frame: _Frame) -> Event:
    data = frame.data
    if isinstance(data, Mapping):
        texts = [data[k] for k in ("text", "message", "msg") if isinstance(data.get(k), str)]
        text = texts[0] if texts else None
        if text is None:
            text = json.dumps(data, ensure_ascii=False, default=str, sort_keys=True)
    else:
        text = str(data) if data is not None else ""
    return Notification(
        market=frame.market, received_at=frame.received_at, text=scrub(text), raw=frame.raw
    )


#: wsn ``type`` -> reader (vendor-docs/realtime.md, "Personal types").
WSN_TYPES: Mapping[str, Callable[[_Frame], Event]] = {
    "money": _balance,  # a formatted balance string
    "additem_go": _purchase("ui_id", "ui_status"),  # {ui_id, ui_status, ui_price, …}
    "itemstatus_go": _purchase("id", "status"),  # {id, status (1–5), bid?, left?}
    "itemout_new_go": _item_out,
    "webnotify": _notification,
}

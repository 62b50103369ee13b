"""Frames that are JSON objects naming an event, read into events the same way for every vendor.

A vendor's socket sends ``{"event": name, "data": …}``; the vendor writes one reader per name it
knows (:data:`Reader`, taking a :class:`Frame`), and :func:`read_frame` does the rest:

- a frame that is not a JSON object naming its event is an ``UnknownEvent`` named
  :data:`UNREADABLE`, the frame kept in ``raw`` (its text, at most :data:`MAX_RAW_TEXT`
  characters, when it is not JSON);
- a name without a reader, or a reader that returns None, is an ``UnknownEvent`` of that name;
- a reader that raises (a bug) is logged and the frame kept as an ``UnknownEvent``: a bad frame
  never ends the stream. Only ``LinkClosed`` goes through (the frame means "reconnect").

Every ``raw`` is scrubbed of registered secrets and of values under sensitive names. The small
readers every vendor needs are here too: :func:`read_id`, :func:`money_or_none`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import attrs

from skinmarkets._realtime.feed import LinkClosed, parse_json_frame
from skinmarkets._secret import scrub_raw
from skinmarkets._wire import to_str
from skinmarkets.events import Event, UnknownEvent
from skinmarkets.money import Money

__all__ = [
    "MAX_RAW_TEXT",
    "UNREADABLE",
    "Frame",
    "Reader",
    "money_or_none",
    "read_frame",
    "read_id",
    "unreadable",
]

#: The name of an ``UnknownEvent`` made of a frame that is not ``{"event": "<name>", …}``.
UNREADABLE = "(unreadable)"
#: How much of a frame that is not JSON ``raw`` keeps (a frame may be megabytes of garbage).
MAX_RAW_TEXT = 4000


@attrs.frozen
class Frame:
    """What a reader gets: the event's name and data, and the fields every event carries."""

    market: str
    received_at: datetime
    name: str
    data: Any
    raw: Mapping[str, Any]

    @property
    def fields(self) -> Mapping[str, Any]:
        """``data`` when it is an object; else empty, so that every field reads as absent."""
        return self.data if isinstance(self.data, Mapping) else {}

    def unknown(self) -> UnknownEvent:
        """The frame as an ``UnknownEvent`` of its name."""
        return UnknownEvent(
            market=self.market, received_at=self.received_at, name=self.name, raw=self.raw
        )


#: A reader of one event name: its event(s), or None when the frame cannot be read.
Reader = Callable[[Frame], Event | list[Event] | None]


def unreadable(
    market: str,
    received_at: datetime,
    text: str,
    *,
    name: str = UNREADABLE,
    key: str = "text",
    limit: int = MAX_RAW_TEXT,
) -> UnknownEvent:
    """A frame (or one line of it) that is not JSON: ``raw`` is ``{key: <its first chars>}``."""
    return UnknownEvent(
        market=market, received_at=received_at, name=name, raw=scrub_raw({key: text[:limit]})
    )


def read_frame(
    text: str,
    *,
    market: str,
    readers: Mapping[str, Reader],
    vendor: str,
    log: logging.Logger,
    payload_raw: bool = False,
) -> list[Event]:
    """The events of one ``{"event": name, "data": …}`` frame (see the module docstring).

    ``raw`` is the whole frame; with ``payload_raw`` (frames the link itself wraps around an
    event's payload, as socket.io's), it is the payload (``{"data": payload}`` when that is not
    an object), and a frame that names no event is kept as text: it is not one of the link's.
    """
    received_at = datetime.now(tz=UTC)
    message = parse_json_frame(text)
    name = message.get("event") if message is not None else None
    if message is None or not isinstance(name, str):
        if message is None or payload_raw:
            return [unreadable(market, received_at, text)]
        raw = scrub_raw(message)
        return [UnknownEvent(market=market, received_at=received_at, name=UNREADABLE, raw=raw)]
    data = message.get("data")
    if payload_raw:
        kept: Mapping[str, Any] = data if isinstance(data, Mapping) else {"data": data}
    else:
        kept = message
    frame = Frame(market=market, received_at=received_at, name=name, data=data, raw=scrub_raw(kept))
    reader = readers.get(name)
    try:
        found = reader(frame) if reader is not None else None
    except LinkClosed:
        raise
    except Exception as exc:  # a bug must not end the stream: the frame is kept as unknown
        log.warning("%s: could not read a %.40r frame (%s)", vendor, name, type(exc).__name__)
        found = None
    if found is None:
        return [frame.unknown()]
    return found if isinstance(found, list) else [found]


def read_id(value: object, *, max_length: int | None = None) -> str | None:
    """An id: a JSON string (stripped) or integer; None when absent, empty, a bool, a number
    with a fraction or exponent, anything else, or longer than ``max_length``."""
    if value is None or isinstance(value, Decimal):
        return None
    try:
        text = to_str(value).strip()
    except TypeError:
        return None
    if not text or (max_length is not None and len(text) > max_length):
        return None
    return text


def money_or_none(amount: Decimal | int, currency: str) -> Money | None:
    """``Money(amount, currency)``; None beyond Money's range or without a known currency."""
    try:
        return Money(amount, currency)
    except (TypeError, ValueError):
        return None

"""Realtime events: what ``market.events()`` yields, the same types for every vendor.

    with market.events(kinds={"listings", "account"}) as stream:   # kinds=None: all it pushes
        for event in stream:        # blocking; reconnects inside; stream.close() ends the loop
            if isinstance(event, ListingChanged): ...
        stream.get(timeout=5.0)     # the next event, or None after timeout seconds

Kinds: ``"listings"`` (market-wide listing and price changes) and ``"account"`` (purchases,
trades, balance, notifications); ``Capabilities.events`` says which a market pushes. Every event
is frozen, has ``market``, ``received_at`` (aware UTC) and ``raw`` (the vendor's frame, secrets
scrubbed; not compared, not shown). Money is exact, ids are ``str``. A frame nobody understands
is an :class:`UnknownEvent`, never an exception in the loop. :class:`StreamStatus` tells when the
connection comes and goes.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from types import TracebackType
from typing import Any, Literal, Protocol

import attrs

from skinmarkets._seconds import Seconds
from skinmarkets._secret import scrub, scrub_data
from skinmarkets.models import TradeStatus
from skinmarkets.money import Money

__all__ = [
    "KINDS",
    "BalanceChanged",
    "Event",
    "EventSource",
    "EventStream",
    "ListingChanged",
    "Notification",
    "PurchaseUpdated",
    "StreamStatus",
    "UnknownEvent",
]

#: Every kind of event a market may push.
KINDS = frozenset({"listings", "account"})

_raw: Any = attrs.field(factory=dict, eq=False, repr=False)


def _shown(value: str) -> str:
    """A field a frame filled (an id, a name): a credential echoed in it is masked, as in the
    data of REST answers (``scrub_data``), so that no ``repr`` shows it."""
    return scrub_data(value)


def _shown_or_none(value: str | None) -> str | None:
    return None if value is None else scrub_data(value)


def _reason(value: str | None) -> str | None:
    """``StreamStatus.reason``: free text (a server's close reason), scrubbed as a message."""
    return None if value is None else scrub(value)


@attrs.frozen
class ListingChanged:
    """A listing was added, repriced or removed on the market (kind ``listings``)."""

    market: str
    received_at: datetime
    action: Literal["added", "changed", "removed"]
    listing_id: str = attrs.field(converter=_shown)
    market_hash_name: str | None = attrs.field(default=None, converter=_shown_or_none)
    price: Money | None = None
    raw: Mapping[str, Any] = _raw


@attrs.frozen
class PurchaseUpdated:
    """A purchase of the account was made or moved along its lifecycle (kind ``account``)."""

    market: str
    received_at: datetime
    purchase_id: str = attrs.field(converter=_shown)
    status: TradeStatus
    custom_id: str | None = attrs.field(default=None, converter=_shown_or_none)
    trade_offer_id: str | None = attrs.field(default=None, converter=_shown_or_none)
    raw: Mapping[str, Any] = _raw


@attrs.frozen
class BalanceChanged:
    """The account's balance changed; ``available`` when the vendor said how much."""

    market: str
    received_at: datetime
    available: Money | None = None
    raw: Mapping[str, Any] = _raw


@attrs.frozen
class Notification:
    """A message the vendor shows the user (kind ``account``)."""

    market: str
    received_at: datetime
    text: str
    raw: Mapping[str, Any] = _raw


@attrs.frozen
class UnknownEvent:
    """A frame of a kind we do not translate, or one we could not read; ``raw`` keeps it."""

    market: str
    received_at: datetime
    name: str = attrs.field(converter=_shown)
    raw: Mapping[str, Any] = _raw


@attrs.frozen
class StreamStatus:
    """The connection came up or went down; ``will_retry`` says whether it reconnects."""

    market: str
    received_at: datetime
    state: Literal["connected", "disconnected"]
    will_retry: bool = False
    reason: str | None = attrs.field(default=None, converter=_reason)
    raw: Mapping[str, Any] = _raw


Event = (
    ListingChanged | PurchaseUpdated | BalanceChanged | Notification | UnknownEvent | StreamStatus
)


class EventStream(Protocol):
    """A live stream of events: a context manager and a blocking iterator."""

    def __iter__(self) -> Iterator[Event]: ...

    def __next__(self) -> Event: ...

    def get(self, timeout: Seconds | None = None) -> Event | None:
        """The next event, or None when none came within ``timeout`` seconds."""
        ...

    def close(self) -> None:
        """Stop: the connection is closed and iteration ends (returns within 2 s)."""
        ...

    def __enter__(self) -> EventStream: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


class EventSource(Protocol):
    """A market that pushes events (``Capabilities.events`` names the kinds)."""

    def events(self, kinds: frozenset[str] | set[str] | None = None) -> EventStream:
        """A stream of the ``kinds`` asked for (None: every kind the market pushes).

        ``kinds``: ``"listings"`` (market-wide listing changes) and/or ``"account"`` (the
        user's purchases, trades, balance), a set or one kind as a str. A kind that does not
        exist is ``InvalidRequest`` and one this market does not push (see
        ``Capabilities.events``) ``NotSupported``; both are raised here, before anything
        connects. Needs the realtime extra (``pip install 'skinmarkets[realtime]'``; without
        it, ``ConfigurationError`` naming that command); the sockets go through connect's
        ``proxy=``, and one they cannot use is ``ConfigurationError`` here too. The stream
        reconnects by itself, with a fresh token where the vendor needs one.
        """
        ...

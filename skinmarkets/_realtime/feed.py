"""What a vendor supplies for realtime: a :class:`Feed` that opens :class:`Link` s.

:class:`FeedBase` holds what most feeds share, so that a vendor's feed says only its facts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from skinmarkets._http.answers import decode_json
from skinmarkets._seconds import Seconds
from skinmarkets.events import Event

__all__ = ["AuthRefused", "Feed", "FeedBase", "Link", "LinkClosed", "parse_json_frame"]


class AuthRefused(Exception):
    """The socket refused the token or signature (a fresh one is tried once more)."""


class LinkClosed(Exception):
    """The server closed the connection; ``code`` is its close code when it sent one."""

    def __init__(self, reason: str, code: int | None = None) -> None:
        super().__init__(reason)
        self.code = code


class Link(Protocol):
    """One open connection: text frames in and out."""

    def recv(self, timeout: Seconds) -> str | None:
        """The next text frame, or None when none came within ``timeout``; ``LinkClosed`` when
        the connection is gone."""
        ...

    def send(self, text: str) -> None:
        """Send one text frame."""
        ...

    def close(self) -> None:
        """Close the connection (idempotent, from any thread)."""
        ...


class Feed(Protocol):
    """One socket of a vendor: how to open it and how to read its frames.

    ``open`` fetches a fresh token through the market's REST client (so the rate limit holds),
    connects and does the handshake; it raises :class:`AuthRefused` when the socket refuses.
    """

    #: "listings" or "account".
    kind: str
    #: A short name for logs and ``StreamStatus.reason`` ("price feed", "wsn").
    name: str
    #: Seconds between keepalives the client sends (None: the server pings, see ``translate``).
    keepalive_every: Seconds | None
    #: Seconds without any frame after which the connection is taken as dead.
    silence_limit: Seconds

    def open(self) -> Link: ...

    def translate(self, link: Link, frame: str) -> Iterable[Event]:
        """The events of one frame; answers the server's pings and refreshes on ``link``.

        Never raises for a frame it cannot read: that is an ``UnknownEvent``.
        """
        ...

    def keepalive(self, link: Link) -> None:
        """Send one keepalive (called every ``keepalive_every`` seconds)."""
        ...

    def terminal(self, code: int | None) -> bool:
        """True when the server closed with a code that means "do not reconnect"."""
        ...


class FeedBase:
    """What most feeds share: ``market``, a repr naming it, a text keepalive (or none), and no
    close code that means "do not reconnect". A subclass sets ``kind``, ``name``,
    ``silence_limit`` (and ``keepalive_every`` with ``keepalive_text``, when its vendor wants a
    keepalive) from its vendor's facts, and writes ``open`` and ``translate``."""

    kind: str
    name: str
    keepalive_every: Seconds | None = None
    #: The text frame sent every ``keepalive_every`` seconds.
    keepalive_text = ""
    silence_limit: Seconds

    def __init__(self, market: str) -> None:
        self.market = market

    def __repr__(self) -> str:
        return f"{type(self).__name__}(market={self.market!r})"

    def keepalive(self, link: Link) -> None:
        """Send ``keepalive_text`` (never called while ``keepalive_every`` is None)."""
        link.send(self.keepalive_text)

    def terminal(self, code: int | None) -> bool:
        """Never: the vendor documents no close code that means "do not reconnect"."""
        return False


def parse_json_frame(text: str) -> Mapping[str, Any] | None:
    """A frame's JSON object (numbers as ``Decimal``; ``NaN``/``Infinity`` are not JSON, as in
    every vendor answer), or None when it is not one."""
    try:
        data = decode_json(text)
    except (ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None

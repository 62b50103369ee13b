"""Realtime plumbing: one connection engine for every vendor's socket.

- ``engine``: :class:`FeedStream`, the ``EventStream`` of every market: one thread per feed
  (reconnect with exponential backoff and injectable jitter, a fresh token per connect through
  the REST client so the rate limit holds, keepalive, silence watchdog, a bounded queue,
  ``StreamStatus`` events, two refused authentications in a row -> ``AuthenticationError``)
- ``feed``: what a vendor supplies: :class:`Feed` (URL, handshake, keepalive, frame translation)
  and :class:`Link` (one open connection); :class:`FeedBase`, what most feeds share
- ``frames``: frames that are JSON objects naming an event, read through the vendor's table of
  readers; an unreadable frame is an ``UnknownEvent``, never an exception
- ``handshake``: pieces of ``open``: a fresh credential registered as a secret, the first
  answer within a deadline, a link that replays what the handshake read
- ``websocket``: :class:`WebSocketLink` over websocket-client, for the raw websockets, the
  socket URL under an origin, and the options that take every socket through ``proxy=``
  (:func:`socket_proxy_options`)
- ``centrifugo``: a Centrifugo client on one channel (connect, subscribe, token refresh)
- ``socketio``: a socket.io connection over python-socketio's client (auth event, refusals)
- ``kinds``: checking ``kinds=`` and ``ws_url=``

The core never imports websocket-client or python-socketio: a feed imports them when it opens,
and their absence is ``ConfigurationError`` naming ``pip install 'skinmarkets[realtime]'``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from skinmarkets._realtime.engine import FeedStream
from skinmarkets._realtime.feed import (
    AuthRefused,
    Feed,
    FeedBase,
    Link,
    LinkClosed,
    parse_json_frame,
)
from skinmarkets._realtime.kinds import check_kinds, check_ws_url, missing_extra, require
from skinmarkets._realtime.websocket import require_socket, socket_proxy_options

__all__ = [
    "AuthRefused",
    "Feed",
    "FeedBase",
    "FeedStream",
    "Link",
    "LinkClosed",
    "check_kinds",
    "check_ws_url",
    "missing_extra",
    "open_stream",
    "parse_json_frame",
    "require",
    "require_socket",
    "socket_proxy_options",
]


def open_stream(
    market: str,
    vendor: str,
    kinds: object,
    feeds: Mapping[str, Callable[[], Feed]],
    **engine: Any,
) -> FeedStream:
    """The stream of ``kinds`` (None: every kind in ``feeds``), one feed per kind.

    ``feeds`` maps each kind the market pushes to a factory of its feed; a factory checks that
    the realtime extra is installed (``require``) so its absence fails here, before any thread.
    Bad kinds fail here too (``check_kinds``).
    """
    wanted = check_kinds(vendor, kinds, feeds.keys())
    chosen = [make() for kind, make in feeds.items() if kind in wanted]
    return FeedStream(market, chosen, **engine)

"""What every vendor adapter shares: its transport, its shared state, its lifecycle.

An adapter's ``__init__`` checks its own options (credentials, game, trade URL …), then calls
:meth:`Adapter._open` once with its credential, default origin and rate limit: that reads the
connect options every vendor takes (``base_url``, ``timeout``, ``deadline``, ``max_retries``,
``session``, ``proxy``, ``store``, ``lease``, ``ws_url``), opens the store (the limiter and
write journal shared with other objects, processes and hosts), and keeps what the realtime feeds
need. :meth:`Adapter._transport` then makes each transport (most vendors one; Mannco a second,
unauthenticated one for its login) on that limiter, and :meth:`Adapter.close` (also on leaving a
``with`` block) closes every one, and every event stream still open. :meth:`Adapter._price_list`
is the part every vendor's ``prices(names=…)`` shares; :meth:`Adapter._events` the part every
``events()`` shares (the vendor names its feeds in :meth:`Adapter._feeds`, most made by
:meth:`Adapter._socket_feed`); :meth:`Adapter._send_once` sends a write that cannot be looked
up. The buy, sell and withdraw flows are in :mod:`skinmarkets._purchases` and
:mod:`skinmarkets._listings`.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, Self, TypedDict, TypeVar, Unpack

from skinmarkets._checks import check_names
from skinmarkets._gc import gc_paused
from skinmarkets._http import EnvelopeReader, Transport, TransportOptions
from skinmarkets._http.proxy import Proxy
from skinmarkets._ratelimit import RateLimit
from skinmarkets._realtime import (
    Feed,
    FeedStream,
    check_ws_url,
    open_stream,
    require,
    require_socket,
    socket_proxy_options,
)
from skinmarkets._seconds import Seconds
from skinmarkets._secret import Secret
from skinmarkets._store import SharedState, shared_state
from skinmarkets._writes import WriteJournal, write_once
from skinmarkets.errors import ConfigurationError
from skinmarkets.models import PriceQuote
from skinmarkets.protocol import Capabilities

__all__ = ["CONNECT_OPTIONS", "Adapter", "ConnectOptions", "Feeds"]

F = TypeVar("F", bound=Feed)
T = TypeVar("T")

#: The kinds of event a market pushes, each with the factory of its feed (``Adapter._feeds``).
Feeds = Mapping[str, Callable[[], Feed]]


class ConnectOptions(TypedDict, total=False):
    """The connect options every vendor takes (``skinmarkets.connect``'s docstring says what
    each does); an adapter's ``__init__`` takes its own options by name and these as
    ``**connect``."""

    base_url: str | None
    ws_url: object
    timeout: object
    deadline: object
    store: object
    lease: object
    max_retries: int | None
    session: object
    proxy: object


#: Their names, in the order errors list them.
CONNECT_OPTIONS: tuple[str, ...] = tuple(ConnectOptions.__annotations__)


class Adapter:
    """The base of every vendor adapter (see the module docstring)."""

    vendor: str
    name: str
    capabilities: Capabilities
    #: what ``**connect`` of ``__init__`` takes (read by the registry's option check)
    connect_options: ClassVar[tuple[str, ...]] = CONNECT_OPTIONS
    #: its ``[[markets]]`` table for the CLI's setup help (TOML, ``*_env`` for credentials);
    #: "" states none (``skinmarkets.config.example_config``)
    config_example: ClassVar[str] = ""
    #: the vendor's error codes that, answering any write, do not prove that nothing happened
    #: (its server failed half-way): every write flow looks the outcome up on them
    #: (:func:`skinmarkets._writes.is_ambiguous`) instead of taking them for a refusal
    ambiguous_codes: ClassVar[frozenset[object]] = frozenset()

    _options: TransportOptions
    _shared: SharedState
    _journal: WriteJournal
    _ws_origin: str | None
    _transports: list[Transport]
    _streams: weakref.WeakSet[FeedStream]  # the event streams open, closed by close()

    def _open(
        self,
        credential: Secret,
        *,
        default_base_url: str,
        limit: RateLimit,
        default_ws_origin: str | None = None,
        **connect: Unpack[ConnectOptions],
    ) -> None:
        """Read the shared connect options and open the store (see the module docstring).

        ``credential`` keys the shared limiter and journal (only a hash of it is stored);
        ``limit`` is the vendor's documented rate limit. An option that is none of
        :data:`CONNECT_OPTIONS` is a ``ConfigurationError`` naming what the adapter accepts.
        """
        unknown = sorted(set(connect) - set(CONNECT_OPTIONS))
        if unknown:
            from skinmarkets._plugins import accepted_options

            accepted = accepted_options(type(self)) or CONNECT_OPTIONS
            raise ConfigurationError(
                f"unknown option(s) {', '.join(map(repr, unknown))}; "
                f"it accepts {', '.join(accepted)}",
                vendor=self.vendor,
            )
        self._ws_origin = check_ws_url(self.vendor, connect.get("ws_url")) or default_ws_origin
        self._options = TransportOptions.from_connect(
            self.vendor,
            default_base_url=default_base_url,
            base_url=connect.get("base_url"),
            timeout=connect.get("timeout"),
            deadline=connect.get("deadline"),
            max_retries=connect.get("max_retries"),
            session=connect.get("session"),
            proxy=connect.get("proxy"),
        )
        self._shared = shared_state(
            self.vendor,
            store=connect.get("store"),
            lease=connect.get("lease"),
            credential=credential.reveal(),
            base_url=self._options.base_url,
            deadline=self._options.deadline,
            limit=limit,
        )
        self._journal = self._shared.journal
        self._transports = []
        self._streams = weakref.WeakSet()

    @property
    def _ws_timeout(self) -> Seconds:
        """The connect timeout, for the sockets."""
        return self._options.timeout[0]

    @property
    def _ws_proxy(self) -> Proxy | None:
        """The proxy of every request, for the sockets too."""
        return self._options.proxy

    def _transport(self, *, read_envelope: EnvelopeReader, auth: Any, **extra: Any) -> Transport:
        """A transport on the shared limiter, closed by :meth:`close` (``extra``: the rest of
        ``Transport``'s options, e.g. ``refusal_statuses``, ``sent_secrets``)."""
        transport = Transport(
            vendor=self.vendor,
            options=self._options,
            auth=auth,
            limiter=self._shared.limiter,
            read_envelope=read_envelope,
            **extra,
        )
        self._transports.append(transport)
        return transport

    def _price_list(
        self, names: object, read: Callable[[frozenset[str] | None], list[PriceQuote]]
    ) -> list[PriceQuote]:
        """``prices``' shared part: ``names`` checked (:func:`_checks.check_names`; none at all
        is ``[]`` without a request), then ``read(wanted)`` fetches and builds the quotes."""
        wanted = check_names(self.vendor, names)
        if wanted is not None and not wanted:
            return []
        # one pause over decoding and building: re-enabling the collector in between would
        # make it scan the million fresh JSON objects once before the quotes are built
        with gc_paused():
            return read(wanted)

    def _send_once(self, operation: str, send: Callable[[], T], *, advice: str) -> T:
        """A write that cannot be looked up (:func:`_writes.write_once` without a lookup): sent
        once, never retried; an unclear answer is ``OutcomeUnknown`` ending with ``advice``."""
        return write_once(
            vendor=self.vendor,
            operation=operation,
            send=send,
            lookup=None,
            advice=advice,
            ambiguous_codes=self.ambiguous_codes,
        )

    def _feeds(self) -> Feeds:
        """The kinds of event this market pushes, each with the factory of its feed (none here:
        a vendor with realtime events names its feeds)."""
        return {}

    def _events(self, kinds: object, **engine: Any) -> FeedStream:
        """``events()``: the stream of ``kinds`` (None: every kind of :meth:`_feeds`), one feed
        per kind; ``engine``: the engine's options (``max_queue``, ``jitter``, ``clock``).

        A kind this market does not push is ``NotSupported`` and a missing realtime extra a
        ``ConfigurationError``, both raised here, before any thread (``open_stream``)."""
        stream = open_stream(self.name, self.vendor, kinds, self._feeds(), **engine)
        self._streams.add(stream)
        return stream

    def _socket_feed(
        self, feed: Callable[..., F], *, socketio: bool = False, **extra: Any
    ) -> Callable[[], F]:
        """The factory of a feed (for :meth:`_feeds`): ``feed`` made with the market's name, the
        socket origin (``ws_url=``, else the ``default_ws_origin`` given to :meth:`_open`), the
        connect timeout, the proxy, and the vendor's own ``extra`` arguments.

        It first checks that the realtime extra is installed and that the proxy is one the
        socket can use, so either fails at ``events()``. A raw websocket's feed takes the proxy
        as ``proxy``; a socket.io feed (``socketio``: python-socketio over websocket-client)
        as websocket-client's ``socket_options``.
        """

        def make() -> F:
            proxying: dict[str, Any]
            if socketio:
                require(self.vendor, "socketio")
                require(self.vendor, "websocket")  # python-socketio's websocket transport
                options = socket_proxy_options(
                    self.vendor, self._ws_proxy, timeout=self._ws_timeout
                )
                proxying = {"socket_options": options}
            else:
                require_socket(self.vendor, self._ws_proxy)
                proxying = {"proxy": self._ws_proxy}
            return feed(
                market=self.name,
                origin=self._ws_origin,
                timeout=self._ws_timeout,
                **proxying,
                **extra,
            )

        return make

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r})"

    def close(self) -> None:
        """Close the event streams still open (each within 2 s), then the HTTP sessions this
        market opened (an injected ``session=`` stays open). A stream's feeds fetch their tokens
        through this market, so none is left reconnecting once it is closed."""
        for stream in list(self._streams):
            stream.close()
        for transport in self._transports:
            transport.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

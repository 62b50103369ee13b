"""Deadline: no single HTTP exchange lasts longer than ``deadline=`` seconds, body included.

Why a watchdog: the read timeout of ``requests`` bounds each socket read, not the exchange. A
server that sends one byte every 0.3 s never trips a 0.5 s read timeout, in the headers or in
the body, and held ``balance()`` for 16.9 s. Checking the time between reads cannot help either:
the read that blocks is inside ``http.client`` (headers) or ``urllib3`` (a body chunk). So each
exchange runs under a :class:`Deadline`: when it passes, one watchdog thread (shared by the
process) **shuts the exchange's socket down**; the read blocked in the calling thread returns at
once, and the transport, seeing the deadline passed, reports that (``Timeout`` for a read,
``OutcomeUnknown`` for a write) whatever the cut-off read looked like: a header block or a
close-delimited body cut short can parse as complete, so nothing read is trusted then.

How the socket is found: the connection classes of :class:`WatchedAdapter` hand their socket to
the deadline running on the calling thread when they connect and before each request (a
pooled connection is reused). The transport mounts that adapter on the session it makes, and
on an injected session whose adapter for ``base_url`` is requests' own (settings copied); an
adapter of the caller's own (a mock, a custom transport) is left alone, and then the deadline
caps the connect and read timeouts and is checked between body chunks. The socket is shut down
with ``socket.socket.shutdown`` (not closed, and not through ``ssl.SSLSocket``), which wakes a
blocked read in another thread and leaves the TLS state to the reading thread to fail on. A TLS
handshake under way is not cut (its socket is handed over once it is done); each of its reads
is bounded by the connect timeout, which is itself at most the deadline.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import math
import os
import socket
import threading
import time
from typing import Any

import requests
import requests.adapters
import urllib3
import urllib3.connection
import urllib3.connectionpool

from skinmarkets._seconds import Seconds

__all__ = ["DEFAULT_DEADLINE", "Deadline", "DeadlinePassed", "WatchedAdapter", "watch_session"]

DEFAULT_DEADLINE: Seconds = 60.0


class DeadlinePassed(Exception):
    """The exchange's deadline passed between two reads of the body (never leaves ``_http``)."""


_ACTIVE = threading.local()


def _cut(sock: socket.socket) -> None:
    """Shut ``sock`` down both ways, so a read blocked on it in another thread returns now."""
    with contextlib.suppress(OSError):  # already closed, or never connected
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


class Deadline:
    """One exchange's time limit: at ``seconds`` the watchdog cuts its socket off.

    Use as ``with Deadline(60) as deadline:`` around the whole exchange, body read included;
    ``expired`` then says whether the deadline passed before the exchange was over.
    """

    def __init__(self, seconds: Seconds) -> None:
        self.seconds = seconds
        self.ends = time.monotonic() + seconds
        self.over = False
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._expired = False
        self._previous: Deadline | None = None

    @property
    def expired(self) -> bool:
        """True once the deadline passed before the exchange was over."""
        return self._expired

    def remaining(self) -> Seconds:
        """Seconds left, never below 0."""
        return max(0.0, self.ends - time.monotonic())

    def capped(self, timeout: tuple[Seconds, Seconds]) -> tuple[Seconds, Seconds]:
        """``(connect, read)`` timeouts no longer than the time left (for adapters not watched)."""
        left = max(self.remaining(), 0.001)  # 0 would make the socket non-blocking
        return (min(timeout[0], left), min(timeout[1], left))

    def check(self) -> None:
        """Raise ``DeadlinePassed`` when the time is up (between two reads of the body)."""
        if self._expired or time.monotonic() >= self.ends:
            self.expire()
            raise DeadlinePassed

    def watch(self, sock: socket.socket) -> None:
        """Cut ``sock`` off at the deadline (at once if it already passed)."""
        with self._lock:
            if self.over:
                return
            if self._expired:
                _cut(sock)
            else:
                self._sockets.append(sock)

    def expire(self) -> None:
        """The time is up: cut every socket of the exchange off (nothing once it is over)."""
        # Under the lock, so a socket handed back to the pool after the exchange is never cut.
        with self._lock:
            if self.over:
                return
            self._expired = True
            for sock in self._sockets:
                _cut(sock)

    def __enter__(self) -> Deadline:
        self.ends = time.monotonic() + self.seconds
        # Restored on exit: Mannco logs in (an exchange of its own) while preparing a request.
        self._previous = getattr(_ACTIVE, "deadline", None)
        _ACTIVE.deadline = self
        _WATCHDOG.add(self)
        return self

    def __exit__(self, *exc_info: object) -> None:
        with self._lock:
            self.over = True
            self._sockets.clear()
        _ACTIVE.deadline = self._previous
        _WATCHDOG.forget_over()


class _Watchdog:
    """One daemon thread for every deadline in the process: it sleeps until the earliest one.

    Not a ``threading.Timer`` per exchange: starting a thread costs more than a loopback
    request. Deadlines wait in a heap by end time; one that is over is dropped when it reaches
    the top (at once, in the usual case of exchanges that end in the order they began).

    The thread is woken only for a deadline earlier than the time it already sleeps until
    (``_wake_at``), not for every exchange: a wake-up per request hands the GIL to this thread
    and back, which cost about 0.1 ms per loopback request. With exchanges that share one
    deadline length it wakes about once per deadline length while requests flow, and once per
    idle spell (sleeping without a limit when nothing is watched).
    """

    def __init__(self) -> None:
        self._reset()

    def _reset(self) -> None:
        # Also in a forked child: the parent's thread is gone there, and its lock may be held.
        self._cond = threading.Condition()
        self._heap: list[tuple[float, int, Deadline]] = []
        self._order = itertools.count()  # ties broken by arrival, never by comparing Deadlines
        self._thread: threading.Thread | None = None
        self._wake_at = math.inf  # when the thread wakes on its own (inf: only when notified)

    def add(self, deadline: Deadline) -> None:
        with self._cond:
            heapq.heappush(self._heap, (deadline.ends, next(self._order), deadline))
            if self._thread is None or not self._thread.is_alive():  # first use, or a fork
                self._thread = threading.Thread(
                    target=self._run, name="skinmarkets-deadline", daemon=True
                )
                self._thread.start()
            elif deadline.ends < self._wake_at:  # earlier than the thread's own wake-up
                self._cond.notify()

    def forget_over(self) -> None:
        with self._cond:
            self._drop_over()

    def _drop_over(self) -> None:
        while self._heap and self._heap[0][2].over:
            heapq.heappop(self._heap)

    def _run(self) -> None:
        with self._cond:
            while True:
                self._drop_over()
                if not self._heap:
                    self._wake_at = math.inf
                    self._cond.wait()
                    continue
                ends = self._heap[0][0]
                wait = ends - time.monotonic()
                if wait > 0:
                    self._wake_at = ends
                    self._cond.wait(wait)
                    continue
                heapq.heappop(self._heap)[2].expire()


_WATCHDOG = _Watchdog()
if hasattr(os, "register_at_fork"):  # not on Windows
    os.register_at_fork(after_in_child=_WATCHDOG._reset)


def _watch(sock: socket.socket | None) -> None:
    deadline: Deadline | None = getattr(_ACTIVE, "deadline", None)
    if deadline is not None and sock is not None:
        deadline.watch(sock)


class _WatchedConnection(urllib3.connection.HTTPConnection):
    """An HTTP connection whose socket the running exchange's deadline can cut off."""

    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        _watch(sock)
        return sock

    def connect(self) -> None:
        super().connect()
        _watch(self.sock)  # HTTPS: the TLS socket that replaced the one _new_conn made

    def request(self, *args: Any, **kwargs: Any) -> None:
        _watch(self.sock)  # a pooled connection, reused: connect() is not called again
        super().request(*args, **kwargs)


class _WatchedHTTPSConnection(_WatchedConnection, urllib3.connection.HTTPSConnection):
    """An HTTPS connection whose socket the running exchange's deadline can cut off."""


class _WatchedPool(urllib3.connectionpool.HTTPConnectionPool):
    ConnectionCls = _WatchedConnection


class _WatchedHTTPSPool(urllib3.connectionpool.HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


_POOLS: dict[str, type[urllib3.connectionpool.HTTPConnectionPool]] = {
    "http": _WatchedPool,
    "https": _WatchedHTTPSPool,
}


class WatchedAdapter(requests.adapters.HTTPAdapter):
    """requests' own adapter, with connections whose sockets a :class:`Deadline` can cut off."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _POOLS

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> urllib3.ProxyManager:
        manager: urllib3.ProxyManager = super().proxy_manager_for(proxy, **proxy_kwargs)
        if type(manager) is urllib3.ProxyManager:  # a SOCKS manager keeps its own pools
            manager.pool_classes_by_scheme = _POOLS
        return manager

    @classmethod
    def like(cls, adapter: requests.adapters.HTTPAdapter) -> WatchedAdapter:
        """A watched adapter with ``adapter``'s pool sizes and retries."""
        return cls(
            pool_connections=getattr(adapter, "_pool_connections", 10),
            pool_maxsize=getattr(adapter, "_pool_maxsize", 10),
            max_retries=adapter.max_retries,
            pool_block=getattr(adapter, "_pool_block", False),
        )


def watch_session(session: requests.Session, base_url: str, *, owned: bool) -> None:
    """Let deadlines cut ``session``'s exchanges with ``base_url`` off (see the module docstring).

    A session the transport made gets :class:`WatchedAdapter` for every http(s) URL; an
    injected one only for ``base_url``, and only where requests' own adapter would serve it.
    """
    if owned:
        session.mount("https://", WatchedAdapter())
        session.mount("http://", WatchedAdapter())
        return
    try:
        adapter = session.get_adapter(base_url)
    except requests.exceptions.InvalidSchema:
        return
    if type(adapter) is requests.adapters.HTTPAdapter:
        session.mount(base_url, WatchedAdapter.like(adapter))

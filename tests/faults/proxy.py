"""A raw-socket HTTP/1.1 proxy on 127.0.0.1 that breaks one write on purpose.

Why raw sockets and not ``http.server``: the faults live below HTTP (a reset with no FIN, a
connection dropped after the vendor acted, a body cut mid-frame, a trickle of one byte every
0.2 s), and a stdlib handler would tidy them up.

The adapter is connected with ``base_url=<proxy.url>/<vendor>``: the proxy forwards every
request target unchanged to the sandbox (same ``/<vendor>`` prefix), so the sandbox cannot tell
it apart from a direct call. Every answer carries ``Connection: close`` and the proxy closes
after it: one request per connection keeps the parser trivial and makes "who sent what"
unambiguous.

A test arms one :class:`Cell` at a time (:meth:`FaultProxy.begin`): the cell says which requests
are the write under test, which fault hits the first of them, and how to read the vendor's
success envelope; it records every request, whether it reached the sandbox and whether the
sandbox said "done". Everything else (lookups, logins, listings) is forwarded untouched.
"""

from __future__ import annotations

import contextlib
import select
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from tests.faults.http1 import IO_TIMEOUT, Answer, Request, forward, read_request

__all__ = ["Cell", "Exchange", "Fault", "FaultProxy", "Seen"]

#: How often a held connection is polled for the client giving up.
POLL = 0.05
#: The trickle's pace: one byte this often.
DRIP_INTERVAL = 0.2


@dataclass
class Seen:
    """One request the proxy received during a cell, and what became of it."""

    method: str
    path: str
    body: bytes
    write: bool  # the write under test (the cell's route matched it)
    fault: str | None = None  # the fault that hit it
    forwarded: bool = False  # it reached the sandbox
    status: int | None = None  # the sandbox's real HTTP status
    succeeded: bool = False  # the sandbox's real answer was the vendor's success envelope


@dataclass
class Fault:
    """One way to break the write: before the vendor acts (not forwarded) or after."""

    name: str
    when: str  # "before" | "after"
    act: Callable[[Exchange, Answer | None], None]

    @property
    def label(self) -> str:
        return f"{self.when}-{self.name}"


@dataclass
class Cell:
    """What one test arms: the write route, its fault, and everything the proxy saw meanwhile."""

    upstream: tuple[str, int]
    is_write: Callable[[Request], bool]
    is_success: Callable[[Answer], bool]
    fault: Fault | None
    hold_cap: float  # longest a held ("timeout") connection waits for the client to give up
    drip_cap: float  # longest a trickle goes on before the proxy gives up on the client
    seen: list[Seen] = field(default_factory=list)
    tokens: set[str] = field(default_factory=set)  # bearer tokens the client sent (secrets)
    outlived: list[str] = field(default_factory=list)  # faults the client sat through to the cap
    problems: list[str] = field(default_factory=list)  # the proxy's own failures (harness bugs)
    threads: list[threading.Thread] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    _fault_taken: bool = False

    def note(self, request: Request) -> Seen:
        """Record ``request``; the first write of the cell takes the fault."""
        write = self.is_write(request)
        with self.lock:
            auth = request.header("authorization") or ""
            if auth.startswith("Bearer ") and auth.removeprefix("Bearer ").strip():
                self.tokens.add(auth.removeprefix("Bearer ").strip())
            fault = None
            if write and self.fault is not None and not self._fault_taken:
                self._fault_taken, fault = True, self.fault.name
            seen = Seen(request.method, request.path, request.body, write, fault)
            self.seen.append(seen)
            return seen

    @property
    def writes(self) -> list[Seen]:
        """Every write request the client sent (reached the sandbox or not)."""
        with self.lock:
            return [s for s in self.seen if s.write]

    @property
    def reached(self) -> list[Seen]:
        """The write requests the sandbox received."""
        return [s for s in self.writes if s.forwarded]

    @property
    def done(self) -> bool:
        """The sandbox said "done" to a write of this cell, whatever the client was then told."""
        return any(s.succeeded for s in self.writes)


class Exchange:
    """The client's side of one connection, with the low-level ways to mistreat it."""

    def __init__(self, conn: socket.socket, cell: Cell) -> None:
        self.conn = conn
        self.cell = cell
        self._closed = False

    def send(self, data: bytes) -> None:
        self.conn.sendall(data)

    def answer(self, answer: Answer) -> None:
        self.send(answer.encode())

    def hang_up(self) -> None:
        """Close with a FIN and no answer."""
        with contextlib.suppress(OSError):
            self.conn.shutdown(socket.SHUT_RDWR)
        self.close()

    def reset(self) -> None:
        """Close with a RST (SO_LINGER 0): the client sees ``ECONNRESET``."""
        with contextlib.suppress(OSError):
            self.conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close()

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            with contextlib.suppress(OSError):
                self.conn.close()

    def _client_gone(self, wait: float) -> bool:
        """Wait up to ``wait`` seconds for the client to close its side; True when it did."""
        ready, _, _ = select.select([self.conn], [], [], wait)
        if not ready:
            return False
        try:
            return self.conn.recv(4096) == b""
        except OSError:
            return True

    def hold(self) -> None:
        """Answer nothing until the client gives up (or the cell's cap, noted as outlived)."""
        until = time.monotonic() + self.cell.hold_cap
        while time.monotonic() < until:
            if self._client_gone(POLL):
                return
        self._outlived("hold")
        self.hang_up()

    def drip(self, data: bytes) -> None:
        """Send ``data`` one byte every 0.2 s, until the client gives up or the cap is hit."""
        until = time.monotonic() + self.cell.drip_cap
        for index in range(len(data)):
            if time.monotonic() >= until:
                self._outlived("drip")
                self.hang_up()
                return
            try:
                self.send(data[index : index + 1])
            except OSError:
                return  # the client closed: it gave up, as it should
            if self._client_gone(DRIP_INTERVAL):
                return

    def _outlived(self, what: str) -> None:
        with self.cell.lock:
            self.cell.outlived.append(what)


class FaultProxy:
    """The threaded proxy server; ``url`` is ``http://127.0.0.1:<port>``."""

    def __init__(self) -> None:
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self._cell: Cell | None = None
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._threads: list[threading.Thread] = []
        self._stopping = threading.Event()
        self._acceptor = threading.Thread(
            target=self._accept_loop, name="fault-proxy-accept", daemon=True
        )

    def __repr__(self) -> str:
        return f"FaultProxy(url={self.url!r})"

    def start(self) -> FaultProxy:
        self._acceptor.start()
        return self

    def close(self) -> None:
        """Stop accepting, close every socket still open, and join every thread."""
        self._stopping.set()
        self._acceptor.join(timeout=IO_TIMEOUT)
        with contextlib.suppress(OSError):
            self._listener.close()
        with self._lock:
            still_open, threads = list(self._open), list(self._threads)
        for conn in still_open:
            with contextlib.suppress(OSError):
                conn.close()
        for thread in threads:
            thread.join(timeout=IO_TIMEOUT)

    @property
    def alive_threads(self) -> list[threading.Thread]:
        with self._lock:
            return [t for t in [self._acceptor, *self._threads] if t.is_alive()]

    @property
    def open_sockets(self) -> int:
        with self._lock:
            return len(self._open) + (0 if self._listener.fileno() == -1 else 1)

    # ------------------------------------------------------------------ cells

    def begin(
        self,
        *,
        upstream: str,
        is_write: Callable[[Request], bool],
        is_success: Callable[[Answer], bool],
        fault: Fault | None,
        hold_cap: float,
        drip_cap: float,
    ) -> Cell:
        """Arm a new cell: from now on, connections belong to it."""
        parts = urlsplit(upstream)
        cell = Cell(
            upstream=(parts.hostname or "127.0.0.1", parts.port or 80),
            is_write=is_write,
            is_success=is_success,
            fault=fault,
            hold_cap=hold_cap,
            drip_cap=drip_cap,
        )
        with self._lock:
            self._threads = [t for t in self._threads if t.is_alive()]
            self._cell = cell
        return cell

    def finish(self, cell: Cell) -> None:
        """Wait for the cell's connections to end, so its record is complete."""
        with cell.lock:
            threads = list(cell.threads)
        for thread in threads:
            thread.join(timeout=max(cell.hold_cap, cell.drip_cap) + IO_TIMEOUT)
            if thread.is_alive():
                cell.problems.append(f"proxy connection thread {thread.name} did not end")

    # ------------------------------------------------------------------ serving

    def _accept_loop(self) -> None:
        # select with a short timeout: closing a socket does not wake a blocked accept() on
        # every platform, and teardown must not wait on a client that never comes.
        while not self._stopping.is_set():
            ready, _, _ = select.select([self._listener], [], [], POLL)
            if not ready:
                continue
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            with self._lock:
                cell = self._cell
                if cell is None:
                    conn.close()
                    continue
                thread = threading.Thread(
                    target=self._serve,
                    args=(conn, cell),
                    name=f"fault-proxy-conn-{conn.fileno()}",
                    daemon=True,
                )
                self._open.add(conn)
                self._threads.append(thread)
            with cell.lock:
                cell.threads.append(thread)
            thread.start()

    def _serve(self, conn: socket.socket, cell: Cell) -> None:
        exchange = Exchange(conn, cell)
        try:
            conn.settimeout(IO_TIMEOUT)
            request = read_request(conn)
            if request is None:
                return
            seen = cell.note(request)
            fault = cell.fault if seen.fault is not None else None
            if fault is not None and fault.when == "before":
                fault.act(exchange, None)
                return
            real = forward(cell.upstream, request)
            seen.forwarded, seen.status = True, real.status
            seen.succeeded = seen.write and cell.is_success(real)
            if fault is not None:
                fault.act(exchange, real)
            else:
                exchange.answer(real)
        except OSError:
            pass  # the client went away mid-exchange: what it then did is the test's business
        except Exception as exc:  # a bug in the harness itself: make the cell fail loudly
            with cell.lock:
                cell.problems.append(f"proxy: {type(exc).__name__}: {exc}")
        finally:
            exchange.close()
            with self._lock:
                self._open.discard(conn)

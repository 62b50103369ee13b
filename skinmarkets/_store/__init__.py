"""The store: shared state that must hold across market objects, processes and hosts.

Three things live in it; the first two are keyed by vendor and a hash of the credential (never
the credential):

- the rate-limit window of each (vendor, credential): the release-stamp rule of
  :mod:`skinmarkets._ratelimit`, taken atomically (one SQLite ``BEGIN IMMEDIATE`` transaction,
  one Lua script in Redis), so every process sharing the store stays under the vendor's limit
  together (market_tm deletes a key that sends more than 5 requests in a second);
- the write journal (:mod:`skinmarkets._writes`): ``custom_id`` -> in flight / done with its
  result / ambiguous with its listing, so another object, process, host or a restart never
  sends a known ``custom_id`` again;
- small caches of public facts (:meth:`Store.cache`: ``get_many`` / ``put_many``), keyed by
  vendor, origin of ``base_url`` and a namespace, e.g. Mannco's name -> item id, so a restart
  does not resolve 10,000 names again. Entries expire after a ttl (default: the retention);
  a cache that fails is the caller's to survive (it is only a cache).

Where it lives, from ``connect(store=…)``, ``store = "…"`` in the TOML config, else the
environment variable ``SKINMARKETS_STORE``:

- unset: an SQLite file in the user's state directory (:func:`default_path`), shared by every
  process of the user on the machine; nothing to install or start;
- ``"memory"``: this process only;
- a path, or ``sqlite:///path``: that SQLite file (e.g. a volume shared by containers);
- ``redis://host:port/db`` or ``rediss://…``: a Redis server shared by a fleet of hosts (the
  extra ``skinmarkets[redis]``).

A store that cannot be opened is ``ConfigurationError`` at connect, naming it and the choices;
one that fails later stops the request before it is sent (``ServiceUnavailable``). A password
in a Redis URL is a secret: never shown.

- ``base``: the ``Store`` and ``Cache`` interfaces and ``StoreUnavailable``
- ``memory``, ``sqlite``, ``redis``: the three kinds (each with its ``Cache``)
- ``journal``: the write journal on a shared store, results kept as JSON (``codec``)
"""

from __future__ import annotations

import hashlib
import os
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

import attrs

from skinmarkets import errors
from skinmarkets._ratelimit import Limiter, RateLimit
from skinmarkets._seconds import Seconds
from skinmarkets._store.base import Cache, Store, StoreUnavailable
from skinmarkets._writes import WriteJournal, origin_of

__all__ = [
    "ENV_VAR",
    "Cache",
    "SharedState",
    "Store",
    "StoreUnavailable",
    "default_path",
    "lease_seconds",
    "open_store",
    "shared_state",
]

#: The environment variable that chooses the store when ``store=`` is not given.
ENV_VAR = "SKINMARKETS_STORE"

#: Extra seconds a claim's lease lasts beyond the market's deadline.
LEASE_MARGIN: Seconds = 30.0

_CHOICES = (
    'leave it unset (an SQLite file in your state directory), "memory" (this process only), '
    'a file path or "sqlite:///path", or "redis://host:port/db" (pip install '
    "'skinmarkets[redis]')"
)

_OPEN: dict[str, Store] = {}
_OPEN_LOCK = threading.Lock()


def default_path() -> Path:
    """The default SQLite file: the user's state directory, ``skinmarkets/store.sqlite3``.

    ``$XDG_STATE_HOME`` (else ``~/.local/state``) on Linux and other Unix systems,
    ``~/Library/Application Support`` on macOS, ``%LOCALAPPDATA%`` on Windows.
    """
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        xdg = os.environ.get("XDG_STATE_HOME")
        base = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".local" / "state"
    return base / "skinmarkets" / "store.sqlite3"


def lease_seconds(lease: object, deadline: Seconds, vendor: str) -> Seconds:
    """How long a claim of a ``custom_id`` holds before another process may settle it.

    Default: the market's ``deadline`` + 30 s (no exchange lasts longer, so a claim older than
    that belongs to a process that died). ``lease=`` overrides it (seconds > 0).
    """
    if lease is None:
        return deadline + LEASE_MARGIN
    if isinstance(lease, bool) or not isinstance(lease, int | float) or not 0 < lease < 1e7:
        raise errors.ConfigurationError(
            f"{vendor}: lease must be a number of seconds more than 0, got {lease!r}; leave it "
            f"out for the default (deadline + {LEASE_MARGIN:g} s)",
            vendor=vendor,
        )
    return Seconds(lease)


def open_store(spec: object = None, *, vendor: str) -> Store:
    """The store ``spec`` names (see the module docstring), opened once per process.

    Every mistake, and a store that cannot be opened, is ``ConfigurationError``.
    """
    if spec is None:
        spec = os.environ.get(ENV_VAR) or None
    if isinstance(spec, Store):
        return spec
    if spec is not None and (not isinstance(spec, str | os.PathLike) or not str(spec).strip()):
        raise errors.ConfigurationError(
            f"{vendor}: store must be a str naming where shared state lives, got "
            f"{type(spec).__name__}; {_CHOICES}",
            vendor=vendor,
        )
    text = str(spec).strip() if spec is not None else None
    key = _canonical(text, vendor)
    with _OPEN_LOCK:
        store = _OPEN.get(key)
        if store is None:
            store = _OPEN[key] = _open(key, vendor)
        return store


@attrs.frozen
class SharedState:
    """What one market object takes from its store: its limiter and its write journal (and,
    through :meth:`cache`, the store's caches for its vendor and ``base_url`` origin)."""

    store: Store
    limiter: Limiter
    journal: WriteJournal
    vendor: str = ""
    origin: str = ""

    def cache(
        self,
        namespace: str,
        *,
        ttl: Seconds | None = None,
        sliding: bool = True,
    ) -> Cache:
        """The store's cache ``namespace`` of this market's vendor and origin
        (:meth:`Store.cache`)."""
        return self.store.cache(self.vendor, self.origin, namespace, ttl=ttl, sliding=sliding)


def shared_state(
    vendor: str,
    *,
    store: object,
    lease: object,
    credential: str,
    base_url: str,
    deadline: Seconds,
    limit: RateLimit,
) -> SharedState:
    """Open the store and take the market's limiter and journal from it.

    The limiter is keyed by (vendor, credential); the journal by (vendor, origin of
    ``base_url``, credential); its caches by (vendor, origin). Only a hash of the credential
    reaches the store.
    """
    opened = open_store(store, vendor=vendor)
    digest = hashlib.sha256(credential.encode("utf-8")).hexdigest()
    origin = origin_of(base_url)
    return SharedState(
        store=opened,
        limiter=opened.limiter(vendor, digest, limit, slot_lease=deadline + limit.per_seconds),
        journal=opened.journal(
            vendor, origin, digest, lease=lease_seconds(lease, deadline, vendor)
        ),
        vendor=vendor,
        origin=origin,
    )


def _canonical(text: str | None, vendor: str) -> str:
    """One name per store: "memory", "sqlite:<absolute path>" or the Redis URL."""
    if text is None:
        return "sqlite:" + str(default_path())
    if text == "memory":
        return "memory"
    try:
        scheme = urlsplit(text).scheme.lower() if "://" in text else ""
    except ValueError:  # an unclosed "[" (IPv6): the scheme is still what precedes "://"
        scheme = text.partition("://")[0].lower()
    if scheme in ("redis", "rediss"):
        return text
    if scheme == "sqlite":
        path = text.split("://", 1)[1]
        if not path or path == "/":
            raise errors.ConfigurationError(
                f"{vendor}: store {text!r} names no file; write sqlite:///path/to/store.sqlite3",
                vendor=vendor,
            )
        return "sqlite:" + str(Path(path[1:] if path.startswith("//") else path).absolute())
    if scheme:
        raise errors.ConfigurationError(
            f"{vendor}: unknown store scheme {scheme + '://'!r}; {_CHOICES}", vendor=vendor
        )
    return "sqlite:" + str(Path(text).expanduser().absolute())


def _open(key: str, vendor: str) -> Store:
    if key == "memory":
        from skinmarkets._store.memory import MemoryStore

        return MemoryStore()
    if key.startswith("sqlite:"):
        from skinmarkets._store.sqlite import SqliteStore

        return SqliteStore.open(Path(key.removeprefix("sqlite:")), vendor=vendor)
    from skinmarkets._store.redis import RedisStore

    return RedisStore.open(key, vendor=vendor)


def _forget_open_stores() -> None:
    """Close and forget every store opened in this process (tests)."""
    with _OPEN_LOCK:
        for store in _OPEN.values():
            store.close()
        _OPEN.clear()

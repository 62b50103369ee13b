"""The SQLite store: one file shared by every process of the user on a machine (the default).

Tables: ``rate_window`` and ``rate_defer`` (limiters), ``journal``, and ``cache`` (the caches
of :meth:`SqliteStore.cache`). Each is created with ``CREATE TABLE IF NOT EXISTS`` when a process
opens the file, so a file written by an older version gains the tables it lacks and opens
without error.

Each step is atomic: a journal step is one transaction taken with ``BEGIN IMMEDIATE`` (the
file's write lock), and taking a rate-limit slot is one conditional INSERT, which takes the same
write lock before it reads the window, so two processes never both see the last free slot. WAL
mode, so readers do not block. Times are the wall clock (``time.time``) of the one machine the
file lives on. A file on a network filesystem is not safe for SQLite locking; for several hosts
use Redis.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path

from skinmarkets import errors
from skinmarkets._ratelimit import RateLimit
from skinmarkets._seconds import Seconds
from skinmarkets._store.base import (
    Cache,
    Store,
    cache_failed,
    cache_namespace,
    unavailable,
)
from skinmarkets._store.journal import ClaimOutcome, JournalRecord, StoredJournal
from skinmarkets._store.limiter import SLOT_LEASE, LimiterCache, StoredLimiter
from skinmarkets._writes import WriteJournal

__all__ = ["DEFAULT_RETENTION_DAYS", "SqliteCache", "SqliteStore"]

log = logging.getLogger("skinmarkets")

#: Journal entries older than this are pruned when a process opens the store.
DEFAULT_RETENTION_DAYS = 30

_SCHEMA = """
CREATE TABLE IF NOT EXISTS rate_window (
    key TEXT NOT NULL, token TEXT NOT NULL, lease_until REAL NOT NULL, released REAL,
    PRIMARY KEY (key, token));
CREATE TABLE IF NOT EXISTS rate_defer (key TEXT PRIMARY KEY, until REAL NOT NULL);
CREATE TABLE IF NOT EXISTS journal (
    key TEXT NOT NULL, custom_id TEXT NOT NULL, state TEXT NOT NULL, target TEXT NOT NULL,
    result TEXT, listing TEXT, result_id TEXT, listing_id TEXT,
    since REAL NOT NULL, lease_until REAL NOT NULL,
    PRIMARY KEY (key, custom_id));
CREATE INDEX IF NOT EXISTS journal_result ON journal (key, result_id);
CREATE INDEX IF NOT EXISTS journal_since ON journal (since);
CREATE TABLE IF NOT EXISTS cache (
    ns TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, expires REAL NOT NULL,
    PRIMARY KEY (ns, key));
CREATE INDEX IF NOT EXISTS cache_expires ON cache (expires);
"""

#: Keys per statement of a cache read or renewal (passed as one JSON array).
_CACHE_CHUNK = 500
#: The live entries among a JSON array of keys (the primary key finds each).
_CACHE_READ = (
    "SELECT key, value, expires FROM cache WHERE ns = ? "
    "AND key IN (SELECT value FROM json_each(?)) AND expires > ?"
)
#: A sliding cache's hits live ``ttl`` again from now.
_CACHE_RENEW = (
    "UPDATE cache SET expires = MAX(expires, ?) WHERE ns = ? "
    "AND key IN (SELECT value FROM json_each(?))"
)
#: A sliding cache renews an entry read once this fraction of its ttl has passed since it was
#: last written or renewed: one write per entry every few days, not one per read.
_RENEW_AFTER = 0.1


#: How often a take also drops rows that left the window (keeps the file small).
_CLEAN_EVERY = 64

# One row per granted slot: in flight while ``released`` is NULL, then a release stamp. A row
# counts while ``COALESCE(released, lease_until)`` is inside the window: a slot in flight until
# its lease ends, and a slot whose process died as if released at the end of its lease.
#: The deferral, the rows that count, and the oldest release (or dead slot's lease end).
_COUNT = (
    "SELECT (SELECT until FROM rate_defer WHERE key = :key), COUNT(*), "
    "MIN(CASE WHEN released IS NOT NULL THEN released "
    "WHEN lease_until <= :now THEN lease_until END) "
    "FROM rate_window WHERE key = :key AND COALESCE(released, lease_until) > :since"
)
#: A slot, taken only while the window has room and no deferral holds (one atomic statement).
_TAKE = (
    "INSERT INTO rate_window (key, token, lease_until) SELECT :key, :token, :lease_until "
    "WHERE COALESCE((SELECT until FROM rate_defer WHERE key = :key), 0) <= :now "
    "AND (SELECT COUNT(*) FROM rate_window WHERE key = :key "
    "AND COALESCE(released, lease_until) > :since) < :requests"
)
#: Rows that left the window.
_CLEAN = "DELETE FROM rate_window WHERE key = :key AND COALESCE(released, lease_until) <= :since"


def _wal(db: sqlite3.Connection) -> None:
    """Put the file in WAL mode (once per file; a no-op after).

    Switching the journal mode answers "database is locked" at once, without the busy
    timeout, while another process holds a lock on a new file: so it is tried again, briefly.
    """
    for attempt in range(_WAL_TRIES):
        try:
            db.execute("PRAGMA journal_mode=WAL").fetchone()
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == _WAL_TRIES - 1:
                raise
            time.sleep(0.02)


_WAL_TRIES = 250  # x 0.02 s: up to 5 s


def _identity(path: Path) -> tuple[int, int] | None:
    """Which file ``path`` names now (device, inode), or None when it names none."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_dev, found.st_ino


class SqliteStore(Store):
    """Limiters and journals in one SQLite file."""

    def __init__(self, path: Path, retention_days: int = DEFAULT_RETENTION_DAYS) -> None:
        self.path = path
        self.name = f"sqlite:///{path}"
        self.retention_days = retention_days
        self._local = threading.local()
        # one UPDATE per release: cheaper than a second writer on the file
        self._limiters = LimiterCache(self, self.name, batched_release=False)
        self._takes = 0  # every _CLEAN_EVERY-th take also drops rows that left the window

    @classmethod
    def open(
        cls, path: Path, *, vendor: str, retention_days: int = DEFAULT_RETENTION_DAYS
    ) -> SqliteStore:
        """Create the file (and its folder, private to the user) if needed; prune old entries.

        Anything that fails is ``ConfigurationError`` naming the file and what to do.
        """
        store = cls(path, retention_days)
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            store._db().executescript(_SCHEMA)
            with store._transaction() as db:
                now = time.time()
                db.execute("DELETE FROM journal WHERE since < ?", (now - retention_days * 86400,))
                db.execute("DELETE FROM cache WHERE expires <= ?", (now,))
            with contextlib.suppress(OSError):
                os.chmod(path, 0o600)  # journal entries name the account's purchases
        except (OSError, sqlite3.Error, ValueError) as exc:  # ValueError: a NUL in the path
            raise errors.ConfigurationError(
                f"{vendor}: cannot open the store {store.name} ({type(exc).__name__}: {exc}); "
                "give a writable file with store='/path/to/store.sqlite3' (or the environment "
                "variable SKINMARKETS_STORE), store='memory' for this process only, or "
                "store='redis://host:port/0'",
                vendor=vendor,
            ) from None
        return store

    # ------------------------------------------------------------------ connections

    def _db(self) -> sqlite3.Connection:
        """This thread's connection (a forked child opens its own).

        A file deleted or replaced since it was opened is opened again: a connection kept on
        the old one would claim custom ids that every process opening the path now cannot see.
        """
        local = self._local
        if getattr(local, "pid", None) != os.getpid() or local.file != _identity(self.path):
            reopen = getattr(local, "pid", None) == os.getpid()
            if reopen:
                log.warning("the store %s was deleted or replaced; opening it again", self.name)
                local.db.close()
            db = sqlite3.connect(
                self.path, timeout=30.0, isolation_level=None, check_same_thread=False
            )
            _wal(db)
            db.execute("PRAGMA synchronous=NORMAL")
            if reopen:
                db.executescript(_SCHEMA)
                with contextlib.suppress(OSError):
                    os.chmod(self.path, 0o600)  # as open() made it: it names purchases
            local.db, local.pid, local.file = db, os.getpid(), _identity(self.path)
        conn: sqlite3.Connection = local.db
        return conn

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        db = self._db()
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None and getattr(self._local, "pid", None) == os.getpid():
            db.close()
        self._local = threading.local()

    # ------------------------------------------------------------------ rate limit

    def limiter(
        self,
        vendor: str,
        credential_hash: str,
        limit: RateLimit,
        *,
        slot_lease: Seconds = SLOT_LEASE,
    ) -> StoredLimiter:
        return self._limiters.get(vendor, credential_hash, limit, slot_lease)

    def take_slot(
        self,
        key: str,
        limit: RateLimit,
        lease: Seconds,
        releases: Sequence[tuple[str, Seconds]] = (),  # (token, seconds ago)
    ) -> tuple[str | None, Seconds]:  # (token, seconds to wait)
        """A slot's token, or None and how long to wait before asking again.

        The common path is ONE statement: an INSERT that inserts only while the window has room
        and no deferral holds. A writing statement takes the file's write lock before it reads,
        so two processes never both see the last free slot. Only a refused take reads the
        window again, to say how long to wait. Rows that left the window are dropped every
        ``_CLEAN_EVERY`` takes.
        """
        if releases:
            self.release_slots(key, releases)
        per = limit.per_seconds
        now = time.time()
        token = uuid.uuid4().hex
        window = {
            "key": key,
            "token": token,
            "now": now,
            "since": now - per,
            "lease_until": now + lease,
            "requests": limit.requests,
        }
        db = self._db()
        try:
            granted = db.execute(_TAKE, window).rowcount
            self._takes += 1
            if self._takes % _CLEAN_EVERY == 0:
                db.execute(_CLEAN, window)
            if granted:
                return token, 0.0
            until, _, oldest = db.execute(_COUNT, window).fetchone()
        except sqlite3.Error as exc:
            raise unavailable(self, "taking a rate-limit slot", exc) from None
        if until is not None and until > now:
            return None, until - now
        return None, (oldest + per - now) if oldest is not None else -1.0

    def release_slots(
        self,
        key: str,
        releases: Sequence[tuple[str, Seconds]],  # (token, seconds ago)
    ) -> None:
        """The slots' requests are over: each stays counted ``per_seconds`` after its answer.

        One statement per slot (atomic on its own), on the caller's thread: no second writer of
        this process waits on the file's lock for it.
        """
        now = time.time()
        for token, ago in releases:
            self._db().execute(
                "UPDATE rate_window SET released = ? "
                "WHERE key = ? AND token = ? AND released IS NULL",
                (now - ago, key, token),
            )

    def release_slot(self, key: str, token: str) -> None:
        """One slot's request is over, now."""
        self.release_slots(key, [(token, 0.0)])

    def defer(self, key: str, seconds: Seconds) -> None:
        """No slot for ``key`` until ``seconds`` from now (never shortens an earlier deferral)."""
        with self._transaction() as db:
            until = time.time() + seconds
            db.execute(
                "INSERT INTO rate_defer (key, until) VALUES (?, ?) ON CONFLICT (key) "
                "DO UPDATE SET until = MAX(until, excluded.until)",
                (key, until),
            )

    # ------------------------------------------------------------------ journal

    def journal(
        self,
        vendor: str,
        origin: str,
        credential_hash: str,
        *,
        lease: Seconds,
    ) -> WriteJournal:
        return StoredJournal(self, self.name, vendor, f"{vendor}|{origin}|{credential_hash}", lease)

    def claim(
        self,
        key: str,
        custom_id: str,
        target: str,
        lease: Seconds,
    ) -> ClaimOutcome:
        with self._transaction() as db:
            now = time.time()
            row = db.execute(
                "SELECT state, target, result, lease_until FROM journal "
                "WHERE key = ? AND custom_id = ?",
                (key, custom_id),
            ).fetchone()
            if row is None:
                db.execute(
                    "INSERT INTO journal (key, custom_id, state, target, since, lease_until) "
                    "VALUES (?, ?, 'in_flight', ?, ?, ?)",
                    (key, custom_id, target, now, now + lease),
                )
                return "new", target, None
            state, known, result, lease_until = row
            if known != target:
                return "mismatch", known, None
            if state == "done":
                return "done", known, result
            if state == "in_flight" and lease_until > now:
                return "in_flight", known, None
            # ambiguous, or a claim whose process died: this caller looks it up (never sends)
            db.execute(
                "UPDATE journal SET state = 'in_flight', since = ?, lease_until = ? "
                "WHERE key = ? AND custom_id = ?",
                (now, now + lease, key, custom_id),
            )
            return "ambiguous", known, None

    def put(self, key: str, custom_id: str, record: JournalRecord, lease: Seconds) -> None:
        with self._transaction() as db:
            now = time.time()
            db.execute(
                "INSERT INTO journal (key, custom_id, state, target, result, listing, result_id, "
                "since, lease_until) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (key, custom_id) DO UPDATE SET state = excluded.state, "
                "target = excluded.target, result = excluded.result, "
                "listing = COALESCE(excluded.listing, journal.listing), "
                "result_id = excluded.result_id, since = excluded.since, "
                "lease_until = excluded.lease_until",
                (
                    key,
                    custom_id,
                    record.state,
                    record.target,
                    record.result,
                    record.listing,
                    record.result_id,
                    now,
                    now + lease,
                ),
            )

    def delete(self, key: str, custom_id: str) -> None:
        with self._transaction() as db:
            db.execute("DELETE FROM journal WHERE key = ? AND custom_id = ?", (key, custom_id))

    def listing_of(self, key: str, purchase_id: str) -> str | None:
        row = (
            self._db()
            .execute(
                "SELECT listing FROM journal WHERE key = ? AND listing IS NOT NULL AND "
                "(result_id = ? OR json_extract(listing, '$.id') = ?) ORDER BY since DESC LIMIT 1",
                (key, purchase_id, purchase_id),
            )
            .fetchone()
        )
        return row[0] if row is not None else None

    # ------------------------------------------------------------------ caches

    def cache(
        self,
        vendor: str,
        origin: str,
        namespace: str,
        *,
        ttl: Seconds | None = None,
        sliding: bool = True,
    ) -> Cache:
        """The cache of (vendor, origin, namespace) in the ``cache`` table; ``ttl`` defaults
        to the store's retention (``retention_days``). Expired rows are pruned when a process
        opens the file."""
        return SqliteCache(
            self,
            cache_namespace(vendor, origin, namespace),
            self.retention_days * 86400.0 if ttl is None else ttl,  # seconds
            sliding=sliding,
        )


class SqliteCache(Cache):
    """One cache's rows (``ns`` = vendor|origin|namespace) in the store's ``cache`` table.

    Times are the wall clock (``clock``, ``time.time``) of the machine the file lives on. A read
    is a plain SELECT (WAL: it waits for no writer); a write is one ``BEGIN IMMEDIATE``
    transaction, as are renewals of a sliding cache's hits.
    """

    def __init__(
        self,
        store: SqliteStore,
        name: str,
        ttl: Seconds,
        *,
        sliding: bool = True,
    ) -> None:
        self.name = name
        self.ttl = ttl
        self.sliding = sliding
        self.clock = time.time
        self._store = store

    def get_many(self, keys: Iterable[str]) -> dict[str, str]:
        wanted = list(dict.fromkeys(keys))
        found: dict[str, str] = {}
        stale: list[str] = []
        now = self.clock()
        renew_below = now + self.ttl * (1 - _RENEW_AFTER)
        try:
            db = self._store._db()
            for start in range(0, len(wanted), _CACHE_CHUNK):
                chunk = wanted[start : start + _CACHE_CHUNK]
                rows = db.execute(_CACHE_READ, (self.name, json.dumps(chunk), now)).fetchall()
                for key, value, expires in rows:
                    found[key] = value
                    if self.sliding and expires < renew_below:
                        stale.append(key)
        except sqlite3.Error as exc:
            raise cache_failed(self._store.name, self.name, "reading", exc) from None
        if stale:
            try:
                self._renew(stale, now + self.ttl)
            except sqlite3.Error as exc:  # what was read stands; the entries renew next time
                log.warning(
                    "the store %s failed while renewing %d entries of the cache %s (%s)",
                    self._store.name,
                    len(stale),
                    self.name,
                    type(exc).__name__,
                )
        return found

    def _renew(self, keys: Sequence[str], expires: Seconds) -> None:
        with self._store._transaction() as db:
            for start in range(0, len(keys), _CACHE_CHUNK):
                chunk = keys[start : start + _CACHE_CHUNK]
                db.execute(_CACHE_RENEW, (expires, self.name, json.dumps(chunk)))

    def put_many(self, entries: Mapping[str, str]) -> None:
        if not entries:
            return
        expires = self.clock() + self.ttl
        try:
            with self._store._transaction() as db:
                db.executemany(
                    "INSERT INTO cache (ns, key, value, expires) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (ns, key) DO UPDATE SET value = excluded.value, "
                    "expires = excluded.expires",
                    [(self.name, key, value, expires) for key, value in entries.items()],
                )
        except sqlite3.Error as exc:
            raise cache_failed(self._store.name, self.name, "writing", exc) from None

"""The store's caches (``Store.cache``): small key -> text caches of public facts, shared by
every user of a store, kept apart by vendor, origin and namespace, expiring after a ttl.

Two store objects on one file or server stand for two processes (each opens its own
connections), as in tests/test_store.py.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from skinmarkets import errors
from skinmarkets._ratelimit import Limiter, RateLimit
from skinmarkets._store import Cache, Store, StoreUnavailable, open_store
from skinmarkets._store.memory import MemoryStore
from skinmarkets._store.redis import RedisStore
from skinmarkets._store.sqlite import SqliteStore
from skinmarkets._writes import MemoryJournal, WriteJournal
from tests.integration.redis_server import free_port, redis_server, redis_url

__all__ = ["redis_server", "redis_url"]  # the fixtures, imported so pytest finds them

VENDOR = "mannco"
ORIGIN = "https://api.mannco.store"

#: The schema of a store file written before the ``cache`` table existed.
OLD_SCHEMA = """
CREATE TABLE rate_window (
    key TEXT NOT NULL, token TEXT NOT NULL, lease_until REAL NOT NULL, released REAL,
    PRIMARY KEY (key, token));
CREATE TABLE rate_defer (key TEXT PRIMARY KEY, until REAL NOT NULL);
CREATE TABLE journal (
    key TEXT NOT NULL, custom_id TEXT NOT NULL, state TEXT NOT NULL, target TEXT NOT NULL,
    result TEXT, listing TEXT, result_id TEXT, listing_id TEXT,
    since REAL NOT NULL, lease_until REAL NOT NULL,
    PRIMARY KEY (key, custom_id));
CREATE INDEX journal_result ON journal (key, result_id);
CREATE INDEX journal_since ON journal (since);
"""


@pytest.fixture(params=["memory", "sqlite", "redis"])
def two_stores(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Store, Store]]:
    """Two views of one store: one memory store twice, two objects on one file or server."""
    if request.param == "memory":
        store = MemoryStore()
        yield store, store
        return
    if request.param == "sqlite":
        path = tmp_path / "store.sqlite3"
        first: Store = SqliteStore.open(path, vendor=VENDOR)
        second: Store = SqliteStore.open(path, vendor=VENDOR)
    else:
        url = request.getfixturevalue("redis_url")
        first, second = RedisStore.open(url, vendor=VENDOR), RedisStore.open(url, vendor=VENDOR)
    yield first, second
    first.close()
    second.close()


def _caches(stores: tuple[Store, Store], namespace: str = "item_ids") -> tuple[Cache, Cache]:
    first, second = (s.cache(VENDOR, ORIGIN, namespace) for s in stores)
    return first, second


def test_what_one_user_puts_another_gets(two_stores: tuple[Store, Store]) -> None:
    writer, reader = _caches(two_stores)
    writer.put_many({"730:ak-47 | redline (field-tested)": "101", "440:team captain": "102"})

    found = reader.get_many(["730:ak-47 | redline (field-tested)", "440:team captain", "nope"])

    assert found == {"730:ak-47 | redline (field-tested)": "101", "440:team captain": "102"}


def test_absent_keys_are_left_out_and_no_keys_read_nothing(
    two_stores: tuple[Store, Store],
) -> None:
    cache, _ = _caches(two_stores)
    assert cache.get_many(["a", "b"]) == {}
    assert cache.get_many([]) == {}
    cache.put_many({})  # writes nothing, fails nothing


def test_a_put_replaces_the_value(two_stores: tuple[Store, Store]) -> None:
    first, second = _caches(two_stores)
    first.put_many({"k": "1"})
    second.put_many({"k": "2"})
    assert first.get_many(["k"]) == {"k": "2"}


def test_vendors_origins_and_namespaces_are_kept_apart(two_stores: tuple[Store, Store]) -> None:
    store, other = two_stores
    store.cache(VENDOR, ORIGIN, "item_ids").put_many({"k": "real"})
    store.cache(VENDOR, "http://127.0.0.1:9000/mannco", "item_ids").put_many({"k": "sandbox"})
    store.cache("swapgg", ORIGIN, "item_ids").put_many({"k": "swapgg"})
    store.cache(VENDOR, ORIGIN, "item_ids_absent").put_many({"k": ""})

    assert other.cache(VENDOR, ORIGIN, "item_ids").get_many(["k"]) == {"k": "real"}
    sandbox = other.cache(VENDOR, "http://127.0.0.1:9000/mannco", "item_ids")
    assert sandbox.get_many(["k"]) == {"k": "sandbox"}
    assert other.cache("swapgg", ORIGIN, "item_ids").get_many(["k"]) == {"k": "swapgg"}
    assert other.cache(VENDOR, ORIGIN, "item_ids_absent").get_many(["k"]) == {"k": ""}
    assert other.cache(VENDOR, ORIGIN, "other").get_many(["k"]) == {}


def test_many_keys_and_any_characters_round_trip(two_stores: tuple[Store, Store]) -> None:
    writer, reader = _caches(two_stores)
    entries = {f"730:Ножи | {{x}}:{n}|★ ' \" %;": str(n) for n in range(2_345)}
    writer.put_many(entries)

    assert reader.get_many([*entries, "missing"]) == entries


def test_the_default_ttl_is_the_store_retention(tmp_path: Path, redis_url: str) -> None:
    sqlite = SqliteStore.open(tmp_path / "s.sqlite3", vendor=VENDOR, retention_days=7)
    redis = RedisStore.open(redis_url + "?retention_days=9", vendor=VENDOR)
    try:
        assert sqlite.cache(VENDOR, ORIGIN, "n").ttl == 7 * 86400
        assert redis.cache(VENDOR, ORIGIN, "n").ttl == 9 * 86400
        assert MemoryStore().cache(VENDOR, ORIGIN, "n").ttl == 30 * 86400
        assert sqlite.cache(VENDOR, ORIGIN, "n", ttl=60.0).ttl == 60.0
    finally:
        sqlite.close()
        redis.close()


# ---------------------------------------------------------------------- expiry


def test_an_expired_entry_is_not_returned_sqlite(tmp_path: Path) -> None:
    store = SqliteStore.open(tmp_path / "s.sqlite3", vendor=VENDOR)
    cache = store.cache(VENDOR, ORIGIN, "absent", ttl=100.0, sliding=False)
    cache.put_many({"k": ""})
    cache.clock = lambda: time.time() + 101  # type: ignore[attr-defined]
    assert cache.get_many(["k"]) == {}


def test_an_expired_entry_is_not_returned_memory() -> None:
    cache = MemoryStore().cache(VENDOR, ORIGIN, "absent", ttl=100.0, sliding=False)
    cache.put_many({"k": ""})
    cache.clock = lambda: time.monotonic() + 101  # type: ignore[attr-defined]
    assert cache.get_many(["k"]) == {}


def test_a_sliding_cache_renews_what_it_reads_sqlite(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    store = SqliteStore.open(path, vendor=VENDOR)
    sliding = store.cache(VENDOR, ORIGIN, "ids", ttl=1000.0)
    fixed = store.cache(VENDOR, ORIGIN, "absent", ttl=1000.0, sliding=False)
    sliding.put_many({"k": "1"})
    fixed.put_many({"k": ""})
    store._db().execute("UPDATE cache SET expires = expires - 500")  # written 500 s ago

    assert sliding.get_many(["k"]) == {"k": "1"} and fixed.get_many(["k"]) == {"k": ""}

    left = dict(store._db().execute("SELECT ns, expires - ? FROM cache", (time.time(),)))
    assert 990 < left["mannco|https://api.mannco.store|ids"] <= 1000  # renewed
    assert 490 < left["mannco|https://api.mannco.store|absent"] <= 500  # not renewed


def test_a_sliding_cache_renews_what_it_reads_memory() -> None:
    store = MemoryStore()
    sliding = store.cache(VENDOR, ORIGIN, "ids", ttl=1000.0)
    fixed = store.cache(VENDOR, ORIGIN, "absent", ttl=1000.0, sliding=False)
    sliding.put_many({"k": "1"})
    fixed.put_many({"k": ""})
    later = time.monotonic() + 600
    sliding.clock = fixed.clock = lambda: later  # type: ignore[attr-defined]
    assert sliding.get_many(["k"]) and fixed.get_many(["k"])

    after = later + 600
    sliding.clock = fixed.clock = lambda: after  # type: ignore[attr-defined]
    assert sliding.get_many(["k"]) == {"k": "1"}
    assert fixed.get_many(["k"]) == {}


def test_redis_entries_expire_by_themselves_and_a_sliding_read_renews_them(
    redis_url: str,
) -> None:
    import redis

    store = RedisStore.open(redis_url, vendor=VENDOR)
    client = redis.Redis.from_url(redis_url)
    try:
        sliding = store.cache(VENDOR, ORIGIN, "ids", ttl=1000.0)
        fixed = store.cache(VENDOR, ORIGIN, "absent", ttl=1000.0, sliding=False)
        sliding.put_many({"k": "1"})
        fixed.put_many({"k": ""})
        ids, absent = (
            f"skinmarkets:cache:{{mannco|{ORIGIN}|{name}}}:k" for name in ("ids", "absent")
        )
        assert 990 < client.ttl(ids) <= 1000 and 990 < client.ttl(absent) <= 1000
        client.expire(ids, 10)
        client.expire(absent, 10)

        assert sliding.get_many(["k"]) == {"k": "1"} and fixed.get_many(["k"]) == {"k": ""}

        assert client.ttl(ids) > 990  # renewed
        assert client.ttl(absent) <= 10  # left to expire
    finally:
        client.close()
        store.close()


def test_expired_entries_are_pruned_when_the_file_is_opened(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    store = SqliteStore.open(path, vendor=VENDOR)
    store.cache(VENDOR, ORIGIN, "ids", ttl=100.0).put_many({"old": "1", "new": "2"})
    store._db().execute("UPDATE cache SET expires = 0 WHERE key = 'old'")
    store.close()

    SqliteStore.open(path, vendor=VENDOR).close()

    with sqlite3.connect(path) as db:
        assert db.execute("SELECT key FROM cache").fetchall() == [("new",)]


# ---------------------------------------------------------------------- older files, failures


def test_a_store_file_from_before_the_cache_opens_and_keeps_its_journal(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as db:
        db.executescript(OLD_SCHEMA)
        db.execute(
            "INSERT INTO journal (key, custom_id, state, target, since, lease_until) "
            "VALUES ('k', 'cid-1', 'ambiguous', 't', ?, ?)",
            (time.time(), time.time() + 60),
        )
    db.close()

    store = SqliteStore.open(path, vendor=VENDOR)
    cache = store.cache(VENDOR, ORIGIN, "ids")
    cache.put_many({"k": "1"})

    assert cache.get_many(["k"]) == {"k": "1"}
    assert store._db().execute("SELECT custom_id FROM journal").fetchall() == [("cid-1",)]
    store.close()


def test_a_damaged_sqlite_cache_is_store_unavailable(tmp_path: Path) -> None:
    store = SqliteStore.open(tmp_path / "s.sqlite3", vendor=VENDOR)
    cache = store.cache(VENDOR, ORIGIN, "ids")
    store._db().execute("DROP TABLE cache")

    with pytest.raises(StoreUnavailable, match="reading the cache") as read:
        cache.get_many(["k"])
    with pytest.raises(StoreUnavailable, match="writing the cache"):
        cache.put_many({"k": "1"})
    assert isinstance(read.value, errors.ServiceUnavailable)
    assert read.value.code == "store_unavailable"


def test_an_unreachable_redis_cache_is_store_unavailable() -> None:
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    client = redis.Redis(
        host="127.0.0.1", port=free_port(), socket_connect_timeout=1, retry=Retry(NoBackoff(), 0)
    )
    store = RedisStore(client, "redis://127.0.0.1/0", retention_days=30)
    cache = store.cache(VENDOR, ORIGIN, "ids")

    with pytest.raises(StoreUnavailable, match="reading the cache"):
        cache.get_many(["k"])
    with pytest.raises(StoreUnavailable, match="writing the cache"):
        cache.put_many({"k": "1"})


def test_memory_market_objects_of_one_process_share_one_store() -> None:
    first = open_store("memory", vendor=VENDOR).cache(VENDOR, ORIGIN, "ids")
    first.put_many({"k": "1"})
    assert open_store("memory", vendor=VENDOR).cache(VENDOR, ORIGIN, "ids").get_many(["k"])


def test_a_store_of_another_making_gets_a_cache_of_this_process() -> None:
    class Minimal(Store):
        name = "minimal"

        def limiter(
            self,
            vendor: str,
            credential_hash: str,
            limit: RateLimit,
            *,
            slot_lease: float = 61.0,  # float ok: seconds
        ) -> Limiter:
            raise NotImplementedError

        def journal(
            self,
            vendor: str,
            origin: str,
            credential_hash: str,
            *,
            lease: float,  # float ok
        ) -> WriteJournal:
            return MemoryJournal(vendor)

    store = Minimal()
    store.cache(VENDOR, ORIGIN, "ids").put_many({"k": "1"})

    assert store.cache(VENDOR, ORIGIN, "ids").get_many(["k"]) == {"k": "1"}
    assert store.cache(VENDOR, ORIGIN, "other").get_many(["k"]) == {}


def test_a_cache_shows_its_name_and_ttl() -> None:
    cache = MemoryStore().cache(VENDOR, ORIGIN, "ids", ttl=60.0, sliding=False)
    assert repr(cache) == (
        "MemoryCache('mannco|https://api.mannco.store|ids', ttl=60, sliding=False)"
    )

"""The store's journal and limiter on SQLite and a real Redis: the same rules as in memory.

Two store objects on one file or server stand for two processes (each opens its own
connections); the multi-process checks are in tests/integration/test_store_processes.py.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from skinmarkets import Listing, Money, Purchase, TradeStatus, errors
from skinmarkets._ratelimit import RateLimit
from skinmarkets._store import Store, StoreUnavailable, open_store
from skinmarkets._store.codec import dump_listing, dump_purchase, load_listing, load_purchase
from skinmarkets._store.redis import RedisStore
from skinmarkets._store.sqlite import SqliteStore
from skinmarkets._writes import write_once
from tests.integration.redis_server import redis_server, redis_url

__all__ = ["redis_server", "redis_url"]  # the fixtures, imported so pytest finds them

VENDOR = "swapgg"
LISTING = Listing(
    market="swapgg",
    id="sale-1",
    market_hash_name="AK-47 | Redline (Field-Tested)",
    price=Money("8.50", "EUR"),
    app_id=730,
    asset_id="1740",
    float_value=Decimal("0.2113454"),
    raw={"itemId": "it-1", "price": Decimal("8.50"), "nested": [1, {"a": Decimal("1E-7")}]},
)
PURCHASE = Purchase(
    market="swapgg",
    id="sale-1",
    custom_id="cid-1",
    market_hash_name=LISTING.market_hash_name,
    price=Money("8.50", "EUR"),
    status=TradeStatus.PENDING,
    raw={"saleIds": ["sale-1"], "purchaseAmount": 850},
)

Opener = Callable[[], Store]


@pytest.fixture(params=["sqlite", "redis"])
def two_stores(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Store, Store]]:
    """Two store objects on one file / one server: two processes' views of one store."""
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


def _journals(stores: tuple[Store, Store], lease: float = 60.0):  # type: ignore[no-untyped-def]
    return tuple(s.journal(VENDOR, "https://api.test", "hash-1", lease=lease) for s in stores)


def test_the_codec_keeps_every_digit_and_field() -> None:
    assert load_purchase(dump_purchase(PURCHASE)) == PURCHASE
    assert load_purchase(dump_purchase(PURCHASE)).raw == PURCHASE.raw
    listing = load_listing(dump_listing(LISTING))
    assert listing == LISTING and listing.raw == LISTING.raw
    assert isinstance(listing.raw["nested"][1]["a"], Decimal)


def test_a_done_custom_id_is_returned_to_another_process_without_sending(
    two_stores: tuple[Store, Store],
) -> None:
    one, two = _journals(two_stores)
    sends: list[str] = []

    def send() -> Purchase:
        sends.append("buy")
        return PURCHASE

    for journal in (one, two):
        result = write_once(
            vendor=VENDOR,
            operation="buy",
            send=send,
            lookup=lambda: None,
            custom_id="cid-1",
            journal=journal,
            target="swapgg listing 'sale-1'",
            listing=LISTING,
        )
        assert result == PURCHASE
    assert sends == ["buy"]
    assert two.listing_of("sale-1") == LISTING


def test_another_listing_under_a_known_custom_id_is_duplicate_in_another_process(
    two_stores: tuple[Store, Store],
) -> None:
    one, two = _journals(two_stores)
    one.claim("cid-1", "listing 1", operation="buy")
    with pytest.raises(errors.DuplicateCustomId):
        two.claim("cid-1", "listing 2", operation="buy")


def test_a_live_claim_is_in_flight_for_another_process(two_stores: tuple[Store, Store]) -> None:
    one, two = _journals(two_stores)
    assert one.claim("cid-1", "t", operation="buy").kind == "new"
    with pytest.raises(errors.OutcomeUnknown) as caught:
        two.claim("cid-1", "t", operation="buy")
    assert caught.value.code == "in_flight"


def test_a_claim_whose_lease_ended_is_taken_over_for_a_lookup_never_a_send(
    two_stores: tuple[Store, Store],
) -> None:
    dead, alive = _journals(two_stores, lease=0.0)  # a lease of 0: over at once
    assert dead.claim("cid-1", "t", operation="buy").kind == "new"  # then the process dies
    assert alive.claim("cid-1", "t", operation="buy").kind == "ambiguous"


def test_an_ambiguous_id_stays_ambiguous_and_a_refused_one_is_free(
    two_stores: tuple[Store, Store],
) -> None:
    one, two = _journals(two_stores)
    one.claim("lost", "t", operation="buy")
    one.settle("lost", "ambiguous", "t")
    assert two.claim("lost", "t", operation="buy").kind == "ambiguous"
    one.claim("refused", "t", operation="buy")
    one.release("refused")
    assert two.claim("refused", "t", operation="buy").kind == "new"


def test_the_limiter_never_grants_more_than_the_limit_across_store_objects(
    two_stores: tuple[Store, Store],
) -> None:
    limit = RateLimit(3, 60.0)
    limiters = [s.limiter("market_tm", "hash-1", limit) for s in two_stores]
    backends = [lim._backend for lim in limiters]  # type: ignore[attr-defined]
    key = limiters[0]._key  # type: ignore[attr-defined]
    granted = [b.take_slot(key, limit, 120.0) for b in backends * 2]
    tokens = [token for token, _ in granted if token is not None]
    assert len(tokens) == 3
    # all three in flight: nothing expires by itself, so the answer is "ask again shortly"
    assert granted[-1] == (None, granted[-1][1]) and granted[-1][1] < 0
    backends[1].release_slot(key, tokens[0])
    token, wait = backends[0].take_slot(key, limit, 120.0)
    assert token is None and 59 < wait <= 60  # the released slot counts for per_seconds


def test_a_deferral_holds_for_every_store_object(two_stores: tuple[Store, Store]) -> None:
    limit = RateLimit(5, 1.0)
    first, second = (s.limiter("market_tm", "hash-2", limit) for s in two_stores)
    first.defer(30.0)
    token, wait = second._backend.take_slot(second._key, limit, 120.0)  # type: ignore[attr-defined]
    assert token is None and 29 < wait <= 30


def test_a_store_that_fails_mid_run_sends_nothing(tmp_path: Path) -> None:
    store = SqliteStore.open(tmp_path / "s.sqlite3", vendor=VENDOR)
    journal = store.journal(VENDOR, "https://api.test", "hash-1", lease=60.0)
    store._db().execute("DROP TABLE journal")  # the file is damaged under us
    sends: list[str] = []
    with pytest.raises(StoreUnavailable) as caught:
        write_once(
            vendor=VENDOR,
            operation="buy",
            send=lambda: sends.append("buy") or PURCHASE,  # type: ignore[func-returns-value]
            lookup=None,
            custom_id="cid-1",
            journal=journal,
            target="t",
        )
    assert sends == []
    assert isinstance(caught.value, errors.ServiceUnavailable)
    assert "nothing was sent" in str(caught.value)


def test_a_limiter_whose_store_fails_sends_nothing(tmp_path: Path) -> None:
    store = SqliteStore.open(tmp_path / "s.sqlite3", vendor=VENDOR)
    limiter = store.limiter("market_tm", "hash-1", RateLimit(5, 1.0))
    store._db().execute("DROP TABLE rate_window")
    with pytest.raises(StoreUnavailable), limiter.slot():
        pytest.fail("the request ran without a slot")


def test_journal_entries_older_than_the_retention_are_pruned_on_open(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    store = SqliteStore.open(path, vendor=VENDOR)
    journal = store.journal(VENDOR, "https://api.test", "hash-1", lease=60.0)
    journal.claim("old", "t", operation="buy")
    store._db().execute("UPDATE journal SET since = since - 31 * 86400")
    store.close()
    SqliteStore.open(path, vendor=VENDOR).close()
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT COUNT(*) FROM journal").fetchone() == (0,)


def test_only_hashes_of_credentials_reach_the_store(tmp_path: Path) -> None:
    import skinmarkets as sm

    path = tmp_path / "s.sqlite3"
    key = "SECRET-swapgg-key-never-stored-91"
    market = sm.connect("swapgg", api_key=key, store=str(path), base_url="http://127.0.0.1:9")
    market._journal.claim("cid-1", "t", operation="buy")  # type: ignore[attr-defined]
    assert key.encode() not in path.read_bytes()
    for extra in path.parent.glob("s.sqlite3-*"):  # the WAL holds the newest pages
        assert key.encode() not in extra.read_bytes()


def test_stores_of_one_name_are_opened_once_per_process(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    assert open_store(str(path), vendor=VENDOR) is open_store(f"sqlite:///{path}", vendor=VENDOR)
    assert open_store("memory", vendor=VENDOR) is open_store(None, vendor=VENDOR)  # env: memory


def test_a_late_release_is_dated_back_to_its_answer(two_stores: tuple[Store, Store]) -> None:
    """A release written 30 s after its answer counts per_seconds from the answer, not the write."""
    limit = RateLimit(1, 60.0)
    first, second = (s.limiter("market_tm", "hash-3", limit) for s in two_stores)
    backend, key = first._backend, first._key  # type: ignore[attr-defined]
    token, _ = backend.take_slot(key, limit, 120.0)
    assert token is not None
    backend.release_slots(key, [(token, 30.0)])
    again, wait = second._backend.take_slot(key, limit, 120.0)  # type: ignore[attr-defined]
    assert again is None and 29 < wait <= 30


def test_a_release_riding_on_the_next_take_frees_its_slot(two_stores: tuple[Store, Store]) -> None:
    limit = RateLimit(1, 60.0)
    backend = two_stores[0].limiter("market_tm", "hash-4", limit)._backend  # type: ignore[attr-defined]
    key = two_stores[0].limiter("market_tm", "hash-4", limit)._key  # type: ignore[attr-defined]
    token, _ = backend.take_slot(key, limit, 120.0)
    assert token is not None
    # released 61 s ago (past per_seconds): the take that carries the release gets the slot
    granted, _ = backend.take_slot(key, limit, 120.0, [(token, 61.0)])
    assert granted is not None

"""Mannco in comparisons: ``prices(names=…)`` prices named items, resolving each name once.

Names resolve to item ids through this object, then the store's cache, then GET /item/details;
ids are priced 100 per GET /item/pricing/bulk. Requests go a few at a time, every one through the
limiter.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import responses

import skinmarkets as sm
from skinmarkets import _store, errors
from skinmarkets._ratelimit import RateLimit
from skinmarkets.vendors.mannco.adapter import CAPABILITIES
from skinmarkets.vendors.mannco.item_ids import ABSENT_TTL_SECONDS
from tests.integration.redis_server import redis_server, redis_url
from tests.integration.store_support import store_bytes
from tests.vendors.mannco.catalogue_support import (
    FakeMannco,
    Item,
    connect,
    cs_items,
    most_in_any_window,
    recording_limiter,
)
from tests.vendors.mannco.conftest import API_KEY, JWT

__all__ = ["redis_server", "redis_url"]  # the fixtures, imported so pytest finds them

KEY = Item("5021", "Mann Co. Supply Crate Key", 440, 210)  # a TF2 item: CS2 is tried first
RIFLES = cs_items(3)
UNKNOWN = "No Such Item On Mannco"


@pytest.fixture
def fake(mock: responses.RequestsMock) -> FakeMannco:
    return FakeMannco(mock, [*RIFLES, KEY])


@pytest.fixture(params=["memory", "sqlite", "redis"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each kind of store, by the name ``connect(store=…)`` takes."""
    if request.param == "sqlite":
        return str(tmp_path / "store.sqlite3")
    if request.param == "redis":
        return str(request.getfixturevalue("redis_url"))
    return "memory"


def _restart(store: str) -> None:
    """As a new process would: every store opened again (memory is this process: kept)."""
    if store != "memory":
        _store._forget_open_stores()


def _names(quotes: list[sm.PriceQuote]) -> list[str]:
    return sorted(q.market_hash_name for q in quotes)


# ---------------------------------------------------------------------- what prices(names=) says


def test_mannco_prices_named_items_but_has_no_whole_price_list() -> None:
    assert CAPABILITIES.named_prices is True
    assert CAPABILITIES.price_list is False


def test_names_mannco_does_not_have_are_absent_not_an_error(fake: FakeMannco) -> None:
    quotes = connect().prices(names=[RIFLES[0].name, UNKNOWN])

    assert _names(quotes) == [RIFLES[0].name]
    assert quotes[0].lowest_ask == sm.Money("1.00", "USD")
    assert quotes[0].highest_bid == sm.Money("0.90", "USD")


def test_a_name_found_in_another_game_is_priced(fake: FakeMannco) -> None:
    (quote,) = connect().prices(names=[KEY.name])

    assert quote.market_hash_name == KEY.name
    assert fake.details == {f"730-{_slug(KEY.name)}": 1, f"440-{_slug(KEY.name)}": 1}


def test_each_quote_carries_the_name_exactly_as_the_caller_spelled_it(fake: FakeMannco) -> None:
    shouted = RIFLES[0].name.upper()

    quotes = connect().prices(names=[shouted, RIFLES[0].name])

    assert _names(quotes) == sorted([shouted, RIFLES[0].name])
    assert fake.details_calls == 1  # one item: resolved once
    assert fake.bulk_chunks == [[RIFLES[0].id]]


def test_no_names_send_nothing(mock: responses.RequestsMock) -> None:
    assert connect().prices(names=[]) == []
    assert len(mock.calls) == 0


@pytest.mark.parametrize(
    "names",
    [
        "Mann Co. Supply Crate Key",  # a name, not a collection of names
        b"Mann Co. Supply Crate Key",
        42,
        (n for n in ["a generator"]),
        [""],
        ["   "],
        [None],
        [RIFLES[0].name, 7],
    ],
)
def test_bad_names_are_refused_before_anything_is_sent(
    mock: responses.RequestsMock, names: object
) -> None:
    with pytest.raises(errors.InvalidRequest, match="names"):
        connect().prices(names=names)  # type: ignore[arg-type]
    assert len(mock.calls) == 0


@pytest.mark.parametrize("app_id", [0, -1, "730", True, 7.5])
def test_a_bad_app_id_is_refused_before_anything_is_sent(
    mock: responses.RequestsMock, app_id: object
) -> None:
    with pytest.raises(errors.InvalidRequest, match="app_id"):
        connect().prices(names=[RIFLES[0].name], app_id=app_id)  # type: ignore[arg-type]
    assert len(mock.calls) == 0


def test_app_id_looks_for_names_in_that_game_only(fake: FakeMannco) -> None:
    assert connect().prices(names=[KEY.name], app_id=730) == []
    assert fake.details == {f"730-{_slug(KEY.name)}": 1}


def test_prices_without_names_quote_the_names_resolved_so_far(fake: FakeMannco) -> None:
    market = connect()
    market.resolve_item_id(RIFLES[1].name)

    assert _names(market.prices()) == [RIFLES[1].name]


def test_resolve_item_id_still_raises_for_a_name_mannco_lacks(fake: FakeMannco) -> None:
    with pytest.raises(errors.ItemUnavailable, match="no item named"):
        connect().resolve_item_id(UNKNOWN)


def test_ids_are_priced_one_hundred_per_request(mock: responses.RequestsMock) -> None:
    items = cs_items(250)
    fake = FakeMannco(mock, items)

    quotes = connect().prices(names=[i.name for i in items])

    assert sorted(len(chunk) for chunk in fake.bulk_chunks) == [50, 100, 100]
    assert sorted(i for chunk in fake.bulk_chunks for i in chunk) == sorted(i.id for i in items)
    assert _names(quotes) == sorted(i.name for i in items)


# ---------------------------------------------------------------------- ids kept in the store


def test_another_market_on_the_same_store_resolves_no_name_again(
    mock: responses.RequestsMock, store: str
) -> None:
    items = cs_items(120)
    fake = FakeMannco(mock, [*items, KEY])
    names = [i.name for i in items] + [KEY.name]
    first = connect(store).prices(names=names)
    asked = fake.details_calls
    _restart(store)

    again = connect(store).prices(names=names)

    assert asked == 122  # KEY: CS2 first, then TF2
    assert fake.details_calls == asked  # nothing resolved over the network again
    assert _names(again) == _names(first) == sorted(names)
    assert len(fake.bulk_chunks) == 4  # two calls of 121 ids: 100 + 21 each


def test_resolve_item_id_reads_the_store_too(fake: FakeMannco, store: str) -> None:
    item = connect(store).resolve_item_id(KEY.name)
    _restart(store)

    assert connect(store).resolve_item_id(KEY.name) == item == KEY.id
    assert connect(store).resolve_item_id(KEY.name, app_id=440) == KEY.id
    assert fake.details_calls == 2


def test_a_name_mannco_lacks_is_not_asked_again_by_prices_within_a_day(
    fake: FakeMannco, store: str
) -> None:
    connect(store).prices(names=[UNKNOWN])
    assert fake.details_calls == 4  # every game
    _restart(store)

    assert connect(store).prices(names=[UNKNOWN]) == []
    assert fake.details_calls == 4


def test_an_explicit_lookup_asks_mannco_about_a_name_it_lacked(fake: FakeMannco) -> None:
    market = connect()
    market.prices(names=[UNKNOWN])

    with pytest.raises(errors.ItemUnavailable):
        market.resolve_item_id(UNKNOWN)
    assert market.list_for_sale(UNKNOWN) == []
    assert fake.details_calls == 12


def test_only_the_games_known_to_lack_a_name_are_skipped(fake: FakeMannco) -> None:
    connect().prices(names=[KEY.name], app_id=730)  # "not in CS2" is remembered
    _restart("memory")

    (quote,) = connect().prices(names=[KEY.name])

    assert quote.market_hash_name == KEY.name
    assert fake.details == {f"730-{_slug(KEY.name)}": 1, f"440-{_slug(KEY.name)}": 1}


def test_what_mannco_lacked_is_asked_again_after_a_day(fake: FakeMannco) -> None:
    connect().prices(names=[UNKNOWN])
    later = connect()
    absent = later._item_ids._absent
    absent.clock = lambda: _monotonic() + ABSENT_TTL_SECONDS + 1  # type: ignore[attr-defined]

    later.prices(names=[UNKNOWN])

    assert fake.details_calls == 8


def test_a_sandbox_or_loopback_origin_keeps_its_own_ids(
    mock: responses.RequestsMock, tmp_path: Path
) -> None:
    store = str(tmp_path / "store.sqlite3")
    loopback = "http://127.0.0.1:8765/mannco"
    real = FakeMannco(mock, RIFLES)
    local = FakeMannco(mock, [Item("9", RIFLES[0].name, 730, 555)], base_url=loopback)
    connect(store).prices(names=[RIFLES[0].name])

    (quote,) = connect(store, base_url=loopback).prices(names=[RIFLES[0].name])

    assert quote.lowest_ask == sm.Money("5.55", "USD")  # its own id 9, not the real site's
    assert real.details_calls == 1 and local.details_calls == 1
    with sqlite3.connect(store) as db:
        spaces = {ns for (ns,) in db.execute("SELECT DISTINCT ns FROM cache")}
    assert spaces == {
        "mannco|https://mannco.test|item_ids",
        "mannco|http://127.0.0.1:8765/mannco|item_ids",
    }


def test_the_cache_holds_no_secret(fake: FakeMannco, store: str) -> None:
    market = connect(store)
    market.prices(names=[RIFLES[0].name, KEY.name, UNKNOWN])
    market.close()
    if store == "memory":
        shelves = [market._item_ids._found, market._item_ids._absent]
        held = repr([c._shelf.entries for c in shelves]).encode()  # type: ignore[attr-defined]
    else:
        _store._forget_open_stores()
        held = store_bytes(store)

    assert f"730:{RIFLES[0].name.casefold()}".encode() in held  # the cache was written
    assert f"570:{UNKNOWN.casefold()}".encode() in held  # and what Mannco lacks
    assert API_KEY.encode() not in held
    assert JWT.encode() not in held


# ---------------------------------------------------------------------- a store that fails


def test_a_store_that_fails_to_read_falls_back_to_resolving(
    fake: FakeMannco, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store = str(tmp_path / "store.sqlite3")
    connect(store).prices(names=[RIFLES[0].name])
    market = connect(store)
    _store.open_store(store, vendor="mannco")._db().execute("DROP TABLE cache")  # type: ignore[attr-defined]

    with caplog.at_level(logging.WARNING, logger="skinmarkets"):
        (quote,) = market.prices(names=[RIFLES[0].name])

    assert quote.market_hash_name == RIFLES[0].name
    assert fake.details_calls == 2  # resolved again, over the network
    assert "failed while reading the item id cache" in caplog.text
    assert API_KEY not in caplog.text


def test_any_error_of_a_cache_read_falls_back_to_resolving(
    fake: FakeMannco, caplog: pytest.LogCaptureFixture
) -> None:
    market = connect()

    def broken(keys: object) -> dict[str, str]:
        raise RuntimeError("a store of someone else's making")

    market._item_ids._found.get_many = broken  # type: ignore[method-assign]
    market._item_ids._absent.get_many = broken  # type: ignore[method-assign]
    with caplog.at_level(logging.WARNING, logger="skinmarkets"):
        assert _names(market.prices(names=[RIFLES[0].name, UNKNOWN])) == [RIFLES[0].name]
    assert caplog.text.count("RuntimeError") == 2


def test_a_store_that_fails_to_write_keeps_the_ids_in_the_market(
    fake: FakeMannco, caplog: pytest.LogCaptureFixture
) -> None:
    market = connect()

    def broken(entries: object) -> None:
        raise _store.StoreUnavailable("down")

    market._item_ids._found.put_many = broken  # type: ignore[method-assign]
    with caplog.at_level(logging.WARNING, logger="skinmarkets"):
        market.prices(names=[RIFLES[0].name])
        market.prices(names=[RIFLES[0].name])

    assert fake.details_calls == 1
    assert "failed while writing 1 entries" in caplog.text


def test_ids_resolved_before_a_failure_are_kept(mock: responses.RequestsMock) -> None:
    items = cs_items(6)
    fake = FakeMannco(mock, items)
    broken = f"730-{_slug(items[3].name)}"
    fake.hold = _fail_on(broken)
    names = [i.name for i in items]

    with pytest.raises(errors.SkinMarketsError):
        connect(max_retries=0).prices(names=names)
    fake.hold = lambda path: None
    connect().prices(names=names)

    # (the dropped request is not counted) each name was asked once: what the first call
    # resolved came from the store the second time
    assert len(fake.details) == 6 and set(fake.details.values()) == {1}


# ---------------------------------------------------------------------- side by side, within limits


def test_names_are_resolved_four_at_a_time(mock: responses.RequestsMock) -> None:
    items = cs_items(8)
    fake = FakeMannco(mock, items)
    barrier = threading.Barrier(4, timeout=10)
    fake.hold = lambda path: barrier.wait() if path.startswith("/item/details/") else None

    quotes = connect().prices(names=[i.name for i in items])  # one at a time would time out

    assert len(quotes) == 8


def test_pricing_chunks_are_fetched_side_by_side(mock: responses.RequestsMock) -> None:
    items = cs_items(300)
    fake = FakeMannco(mock, items)
    names = [i.name for i in items]
    market = connect()
    market.prices(names=names)  # ids resolved
    barrier = threading.Barrier(3, timeout=10)
    fake.hold = lambda path: barrier.wait() if path == "/item/pricing/bulk" else None

    assert len(market.prices(names=names)) == 300


def test_every_request_takes_a_limiter_slot_and_none_exceeds_the_limit(
    mock: responses.RequestsMock,
) -> None:
    items = cs_items(12)
    FakeMannco(mock, [*items, KEY])
    market = connect()
    limit = RateLimit(3, 60.0)
    limiter = recording_limiter(market, limit)

    quotes = market.prices(names=[i.name for i in items] + [KEY.name, UNKNOWN])

    assert len(quotes) == 13
    assert len(limiter.slots) == len(mock.calls)  # no request went around the limiter
    assert limiter.most_in_flight <= 3
    assert most_in_any_window(limiter.slots, limit.per_seconds) <= 3
    assert limiter.clock.now > 1000 + 60 * 5  # it had to wait: the limit was what paced it


# ---------------------------------------------------------------------- listing pages


def test_listing_pages_are_fetched_side_by_side_when_the_total_is_known(
    mock: responses.RequestsMock,
) -> None:
    fake = FakeMannco(mock, RIFLES)
    fake.listing_total = 180
    barrier = threading.Barrier(3, timeout=10)
    fake.hold = lambda path: barrier.wait() if "page=0" not in path and "listing" in path else None

    listings = connect().list_for_sale(RIFLES[0].name, limit=200)

    assert len(listings) == 180  # pages 1, 2 and 3 came together after page 0
    assert [x.price.amount for x in listings] == sorted(x.price.amount for x in listings)


def test_listing_pages_stop_at_the_limit(mock: responses.RequestsMock) -> None:
    fake = FakeMannco(mock, RIFLES)
    fake.listing_total = 1000

    listings = connect().list_for_sale(RIFLES[0].name, limit=120)

    assert len(listings) == 120
    pages = [c.request.url for c in mock.calls if "/item/listing/" in str(c.request.url)]
    assert len(pages) == 3


def test_listing_pages_without_a_total_are_fetched_one_after_another(
    mock: responses.RequestsMock,
) -> None:
    fake = FakeMannco(mock, RIFLES)
    fake.listing_total = 120
    seen: list[str] = []
    fake.hold = seen.append

    market = connect()
    market.client.item_listing = _without_count(market.client.item_listing)  # type: ignore[method-assign]
    listings = market.list_for_sale(RIFLES[0].name, limit=500)

    assert len(listings) == 120
    assert [p.rsplit("=", 1)[1] for p in seen if "listing" in p] == ["0", "1", "2"]


# ---------------------------------------------------------------------- helpers


def _slug(name: str) -> str:
    from skinmarkets.vendors.mannco.item_ids import slug

    return slug(name)


def _monotonic() -> float:  # float ok: seconds
    import time

    return time.monotonic()


def _fail_on(path: str):  # type: ignore[no-untyped-def]
    def hold(seen: str) -> None:
        if seen.endswith(path):
            raise requests.ConnectionError("the stand-in drops this request")

    return hold


def _without_count(fetch):  # type: ignore[no-untyped-def]
    import attrs

    def wrapped(*args, **kwargs):  # type: ignore[no-untyped-def]
        return attrs.evolve(fetch(*args, **kwargs), count=None)

    return wrapped


@pytest.fixture(autouse=True)
def _no_leftover_threads() -> Iterator[None]:
    before = {t.name for t in threading.enumerate()}
    yield
    left = [
        t for t in threading.enumerate() if t.name.startswith("mannco") and t.name not in before
    ]
    assert not left, f"threads left running: {left}"

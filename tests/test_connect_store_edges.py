"""Hostile connect options and store edges: each is a typed error naming what was wrong, raised
at connect (never a bare ``ValueError``/``OverflowError``), with no secret in it; the journal
backends keep the same rules whatever their records hold or whatever happens to their file."""

from __future__ import annotations

import traceback
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import skinmarkets as sm
from skinmarkets import Listing, Money, Purchase, TradeStatus, errors
from skinmarkets._store import Store
from skinmarkets._store.redis import RedisStore
from skinmarkets._store.sqlite import SqliteStore
from skinmarkets._writes import write_once
from skinmarkets.errors import ConfigurationError
from tests.integration.redis_server import free_port, redis_server, redis_url

__all__ = ["redis_server", "redis_url"]  # the fixtures, imported so pytest finds them

SECRET = "s3cret-edge-pass"
VENDORS: dict[str, dict[str, Any]] = {
    "market_tm": {"api_key": "tm-edge-key"},
    "swapgg": {"api_key": "swap-edge-key"},
    "mannco": {"api_key": "mannco-edge-key"},
    "skinsback": {"client_id": "sb-id", "client_secret": "sb-edge-secret"},
}


def shown(error: BaseException) -> str:
    return "\n".join([str(error), repr(error), "".join(traceback.format_exception(error))])


# ------------------------------------------------------------------ connect options


@pytest.mark.parametrize("vendor", sorted(VENDORS))
@pytest.mark.parametrize(
    "base_url",
    [
        "https://api.example:abc",
        "https://api.example:99999",
        "https://[::1",
        f"https://user:{SECRET}@api.example:99999",
    ],
)
def test_a_base_url_with_a_bad_port_or_host_is_a_configuration_error(
    vendor: str, base_url: str
) -> None:
    with pytest.raises(ConfigurationError) as raised:
        sm.connect(vendor, store="memory", base_url=base_url, **VENDORS[vendor])

    assert "base_url" in str(raised.value)
    assert SECRET not in shown(raised.value)


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("timeout", 10**400),
        ("timeout", Decimal("sNaN")),
        ("timeout", (10**400, 5)),
        ("deadline", 10**400),
        ("deadline", Decimal("sNaN")),
    ],
    ids=[
        "timeout-huge-int",
        "timeout-snan",
        "timeout-huge-pair",
        "deadline-huge-int",
        "deadline-snan",
    ],
)
def test_a_timeout_too_big_for_a_float_or_a_signalling_nan_is_a_configuration_error(
    option: str, value: object
) -> None:
    with pytest.raises(ConfigurationError) as raised:
        sm.connect("market_tm", store="memory", **{option: value}, **VENDORS["market_tm"])

    assert option in str(raised.value)


def test_a_store_path_with_a_nul_byte_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError) as raised:
        sm.connect("market_tm", store=str(tmp_path / "a\x00b.sqlite3"), **VENDORS["market_tm"])

    assert "store" in str(raised.value)


@pytest.mark.parametrize(
    "url",
    [
        f"redis://:{SECRET}@127.0.0.1:abc/0",
        f"redis://:{SECRET}@127.0.0.1:99999/0",
        "redis://127.0.0.1:{port}/0?retention_days=\N{SUPERSCRIPT TWO}",
        f"redis://:{SECRET}@[::1/0",
        "redis://127.0.0.1:{port}/0?password=" + SECRET,
        "redis://127.0.0.1:{port}/0?PASSWORD=" + SECRET,
    ],
)
def test_a_bad_redis_url_is_a_configuration_error_without_its_password(url: str) -> None:
    with pytest.raises(ConfigurationError) as raised:
        sm.connect(
            "market_tm", store=url.replace("{port}", str(free_port())), **VENDORS["market_tm"]
        )

    assert "store" in str(raised.value)
    assert SECRET not in shown(raised.value)


# ------------------------------------------------------------------ journal backends

LISTING = Listing(
    market="swapgg",
    id="sale-7",
    market_hash_name="AK-47 | Redline (Field-Tested)",
    price=Money("8.50", "EUR"),
    app_id=730,
)
PURCHASE = Purchase(
    market="swapgg",
    id="order-99",  # the purchase's own id, not the listing's
    custom_id="cid-7",
    market_hash_name=LISTING.market_hash_name,
    price=Money("8.50", "EUR"),
    status=TradeStatus.PENDING,
)


@pytest.fixture(params=["sqlite", "redis"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    opened: Store
    if request.param == "sqlite":
        opened = SqliteStore.open(tmp_path / "store.sqlite3", vendor="swapgg")
    else:
        opened = RedisStore.open(request.getfixturevalue("redis_url"), vendor="swapgg")
    yield opened
    opened.close()


def _journal(store: Store) -> Any:
    return store.journal("swapgg", "https://api.test", "hash-1", lease=60.0)


@pytest.mark.parametrize("outcome", ["done", "ambiguous"])
def test_the_listing_of_a_write_is_found_by_the_listing_id_on_every_store(
    store: Store, outcome: str
) -> None:
    """``listing_of`` finds the listing by the purchase id or by the listing's own id (the
    CLI's rerun of ``buy`` asks by the listing id), on Redis as on SQLite and in memory."""
    journal = _journal(store)

    def send() -> Purchase:
        if outcome == "ambiguous":
            raise errors.OutcomeUnknown("no answer", vendor="swapgg")
        return PURCHASE

    try:
        write_once(
            vendor="swapgg",
            operation="buy",
            send=send,
            lookup=lambda: None,
            custom_id="cid-7",
            journal=journal,
            target="swapgg listing 'sale-7'",
            listing=LISTING,
        )
    except errors.OutcomeUnknown:
        assert outcome == "ambiguous"

    assert journal.listing_of("sale-7") == LISTING
    if outcome == "done":
        assert journal.listing_of("order-99") == LISTING


def test_a_done_record_with_an_unreadable_amount_is_looked_up_not_raised(store: Store) -> None:
    """A record another version wrote, which this one cannot decode, is looked up again (never
    sent, never a bare ``decimal.InvalidOperation``)."""
    journal = _journal(store)
    backend: Any = store
    journal.claim("cid-7", "t", operation="buy")
    record = '{"market":"swapgg","id":"x","raw":{"a":{"$decimal":"1,5"}}}'
    from skinmarkets._store.journal import JournalRecord

    backend.put(journal._key, "cid-7", JournalRecord("done", "t", record), 60.0)

    assert journal.claim("cid-7", "t", operation="buy").kind == "ambiguous"


def test_a_store_file_deleted_mid_run_is_not_kept_apart_from_the_new_one(tmp_path: Path) -> None:
    """Once the file is deleted (and a process opens the path again, creating a new one), a
    process still holding the old file must not claim custom ids the others cannot see: two
    sends of one custom_id."""
    path = tmp_path / "store.sqlite3"
    old = SqliteStore.open(path, vendor="swapgg")
    try:
        _journal(old).claim("before", "t", operation="buy")
        for name in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            name.unlink(missing_ok=True)
        new = SqliteStore.open(path, vendor="swapgg")
        try:
            assert _journal(new).claim("cid-8", "t", operation="buy").kind == "new"
            with pytest.raises(errors.OutcomeUnknown):  # in flight in the new file: not sent
                _journal(old).claim("cid-8", "t", operation="buy")
        finally:
            new.close()
    finally:
        old.close()

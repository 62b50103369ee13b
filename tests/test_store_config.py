"""``store=``: where the rate limit and the write journal live, and what a bad one raises.

A store that cannot be opened is ``ConfigurationError`` at connect, naming the store and the
choices, before anything is sent; a Redis password is a secret and never shows. The choices:
unset (an SQLite file in the user's state directory), ``"memory"``, a path or ``sqlite:///path``,
``redis://`` / ``rediss://``; from ``connect(store=)``, the TOML ``store = "…"``, else
``SKINMARKETS_STORE`` (tests/conftest.py sets it to ``memory`` for every test).
"""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import skinmarkets as sm
from skinmarkets.errors import ConfigurationError
from tests.integration.loopback import LoopbackServer, RecordedRequest, Reply, loopback

__all__ = ["loopback"]  # the fixture, imported for pytest

PASSWORD = "s3cret-pass"
KEY = "tm-store-key-4f0c2a"
CHOICES = ("memory", "sqlite", "redis://")  # what every store error offers instead

# Every vendor with the credentials it needs to connect (nothing is sent by connect).
VENDORS: dict[str, dict[str, Any]] = {
    "market_tm": {"api_key": KEY},
    "swapgg": {"api_key": "swap-store-key"},
    "mannco": {"api_key": "mannco-store-key"},
    "skinsback": {"client_id": "sb-id", "client_secret": "sb-store-secret"},
}

Start = Callable[[Callable[[RecordedRequest], Reply]], LoopbackServer]


def money(request: RecordedRequest) -> Reply:
    return Reply.json({"success": True, "money": 1.5, "currency": "USD"})


def connect(**options: Any) -> sm.Marketplace:
    return sm.connect("market_tm", api_key=KEY, **options)


def assert_offers_the_choices(error: ConfigurationError) -> None:
    text = str(error)
    missing = [choice for choice in CHOICES if choice not in text]
    assert not missing, f"the error does not offer {missing}: {text}"


def everything_shown(error: BaseException) -> str:
    """What a user could see of ``error``: str, repr, and the whole traceback with its chain."""
    return "\n".join(
        [str(error), repr(error), "".join(traceback.format_exception(error)), str(error.args)]
    )


# ------------------------------------------------------------------ bad stores


@pytest.mark.parametrize("vendor", sorted(VENDORS))
def test_an_unknown_scheme_names_it_and_the_choices(vendor: str) -> None:
    with pytest.raises(ConfigurationError) as raised:
        sm.connect(vendor, store="ftp://x", **VENDORS[vendor])

    assert "ftp://" in str(raised.value)
    assert_offers_the_choices(raised.value)


@pytest.mark.parametrize("bad", ["", "   ", 42, ["memory"], b"memory"])
def test_a_store_that_is_not_a_name_is_refused(bad: object) -> None:
    with pytest.raises(ConfigurationError) as raised:
        connect(store=bad)

    assert "store" in str(raised.value)


def test_an_unwritable_path_names_it(tmp_path: Path) -> None:
    afile = tmp_path / "afile"
    afile.write_text("a regular file, not a folder")
    path = afile / "s.sqlite3"  # a file cannot hold one, whoever we are (root included)

    with pytest.raises(ConfigurationError) as raised:
        connect(store=str(path))

    assert str(path) in str(raised.value) or "afile" in str(raised.value)
    assert_offers_the_choices(raised.value)


def test_an_unwritable_sqlite_url_names_it(tmp_path: Path) -> None:
    afile = tmp_path / "afile"
    afile.write_text("not a folder")

    with pytest.raises(ConfigurationError) as raised:
        connect(store=f"sqlite:///{afile}/s.sqlite3")

    assert "afile" in str(raised.value)


def test_an_unreachable_redis_is_refused_at_connect_quickly() -> None:
    started = time.monotonic()
    with pytest.raises(ConfigurationError) as raised:
        connect(store="redis://127.0.0.1:1/0")  # port 1: nothing listens

    assert time.monotonic() - started < 15, "connect waited too long for an absent Redis"
    assert "127.0.0.1:1" in str(raised.value)
    assert_offers_the_choices(raised.value)


@pytest.mark.parametrize(
    "url",
    [
        f"redis://:{PASSWORD}@127.0.0.1:1/0",
        f"redis://default:{PASSWORD}@127.0.0.1:1/0",
        f"rediss://user:{PASSWORD}@127.0.0.1:1/2",
    ],
)
def test_a_redis_password_is_never_shown(url: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with pytest.raises(ConfigurationError) as raised:
        connect(store=url)

    shown = everything_shown(raised.value)
    assert PASSWORD not in shown
    assert PASSWORD not in caplog.text
    assert "127.0.0.1:1" in str(raised.value), "the error still names which store failed"


def test_a_redis_password_in_the_environment_is_never_shown(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("SKINMARKETS_STORE", f"redis://:{PASSWORD}@127.0.0.1:1/0")
    with pytest.raises(ConfigurationError) as raised:
        connect()

    assert PASSWORD not in everything_shown(raised.value)
    assert PASSWORD not in caplog.text


def test_a_bad_store_in_the_environment_is_refused_at_connect(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SKINMARKETS_STORE", "ftp://x")
    with pytest.raises(ConfigurationError) as raised:
        connect()

    assert "ftp://" in str(raised.value)
    assert_offers_the_choices(raised.value)


@pytest.mark.parametrize("lease", [0, -1, float("nan"), float("inf"), "10", True])
def test_a_bad_lease_is_refused(lease: object) -> None:
    with pytest.raises(ConfigurationError) as raised:
        connect(store="memory", lease=lease)

    assert "lease" in str(raised.value)


# ------------------------------------------------------------------ good stores


@pytest.mark.integration
def test_memory_works(loopback: Start) -> None:
    server = loopback(money)
    with connect(base_url=server.url, store="memory") as market:
        assert market.balance().available == sm.Money("1.5", "USD")

    assert len(server.requests) == 1


@pytest.mark.integration
def test_memory_from_the_environment_works(
    loopback: Start, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("SKINMARKETS_STORE", "memory")
    server = loopback(money)
    with connect(base_url=server.url) as market:
        assert market.balance().available == sm.Money("1.5", "USD")

    assert not (tmp_path / "state").exists(), "memory writes no file"


@pytest.mark.integration
@pytest.mark.parametrize("form", ["path", "sqlite-url"])
def test_a_named_sqlite_file_is_created_at_connect_and_holds_no_secret(
    form: str, loopback: Start, tmp_path: Path
) -> None:
    file = tmp_path / "stores" / "s.sqlite3"
    file.parent.mkdir()
    store = str(file) if form == "path" else f"sqlite:///{file}"
    server = loopback(money)

    with connect(base_url=server.url, store=store) as market:
        assert file.is_file(), "opened (so checked) at connect"
        market.balance()

    held = b"".join(p.read_bytes() for p in file.parent.iterdir())
    assert KEY.encode() not in held, "the API key was written to the store"


def test_the_default_store_is_a_file_in_the_state_directory(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("SKINMARKETS_STORE")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))

    connect().close()

    assert (tmp_path / "state" / "skinmarkets" / "store.sqlite3").is_file()


def test_without_xdg_state_home_the_default_is_under_home(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("SKINMARKETS_STORE")
    monkeypatch.delenv("XDG_STATE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))

    connect().close()

    assert (tmp_path / ".local" / "state" / "skinmarkets" / "store.sqlite3").is_file()


def test_store_given_to_connect_wins_over_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SKINMARKETS_STORE", "ftp://not-used")
    file = tmp_path / "given.sqlite3"

    connect(store=str(file)).close()

    assert file.is_file()


# ------------------------------------------------------------------ TOML and connect_all


def _config(tmp_path: Path, store: str) -> Path:
    path = tmp_path / "skinmarkets.toml"
    path.write_text(
        f'store = "{store}"\n\n[[markets]]\nname = "tm"\nvendor = "market_tm"\n'
        'api_key_env = "TM_KEY"\n\n[[markets]]\nvendor = "swapgg"\napi_key_env = "SWAP_KEY"\n',
        encoding="utf-8",
    )
    return path


@pytest.fixture
def keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TM_KEY", KEY)
    monkeypatch.setenv("SWAP_KEY", "swap-store-key")


@pytest.mark.usefixtures("keys")
def test_the_toml_store_is_used_by_connect_all(tmp_path: Path) -> None:
    file = tmp_path / "fleet.sqlite3"  # SKINMARKETS_STORE is "memory": the file wins over it

    markets = sm.connect_all(_config(tmp_path, str(file)))

    assert set(markets) == {"tm", "swapgg"}
    assert file.is_file()
    for market in markets.values():
        market.close()


@pytest.mark.usefixtures("keys")
def test_a_bad_toml_store_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError) as raised:
        sm.connect_all(_config(tmp_path, "ftp://x"))

    assert "ftp://" in str(raised.value)


@pytest.mark.usefixtures("keys")
def test_a_toml_redis_password_is_never_shown(tmp_path: Path) -> None:
    with (
        pytest.raises(ConfigurationError) as raised,
        pytest.warns(Warning, match="secret|password"),
    ):
        sm.connect_all(_config(tmp_path, f"redis://:{PASSWORD}@127.0.0.1:1/0"))

    assert PASSWORD not in everything_shown(raised.value)

"""load_config / connect_all: markets from TOML, credentials from the environment, never shown."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from skinmarkets import connect_all
from skinmarkets._secret import Secret
from skinmarkets.config import Config, load_config
from skinmarkets.errors import ConfigurationError
from skinmarkets.money import Rates

KEY = "tm-key-0123456789abcdef"
TOML = """
currency = "eur"

[rates]
base = "USD"
EUR = 0.92

[[markets]]
name = "tm"
vendor = "market_tm"
game = "rust"
api_key_env = "TM_KEY"

[[markets]]
vendor = "swapgg"
api_key_env = "SWAP_KEY"
timeout = 2.5
"""
ENV = {"TM_KEY": KEY, "SWAP_KEY": "swap-key-abcdef"}


def _write(tmp_path: Path, text: str = TOML) -> Path:
    path = tmp_path / "skinmarkets.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_config_names_markets_vendors_and_options(tmp_path: Path) -> None:
    config = load_config(_write(tmp_path), environ=ENV)

    assert [(m.name, m.vendor) for m in config.markets] == [
        ("tm", "market_tm"),
        ("swapgg", "swapgg"),
    ]
    assert config.markets[0].options["game"] == "rust"
    assert config.markets[1].options["timeout"] == 2.5  # float ok: a timeout, not money


def test_currency_and_rates_are_read_exactly(tmp_path: Path) -> None:
    config = load_config(_write(tmp_path), environ=ENV)

    assert config.currency == "EUR"
    assert config.rates == Rates({"EUR": Decimal("0.92")}, base="USD")


def test_env_options_become_secret_credentials(tmp_path: Path) -> None:
    config = load_config(_write(tmp_path), environ=ENV)

    key = config.markets[0].options["api_key"]
    assert isinstance(key, Secret)
    assert key.reveal() == KEY


def test_the_repr_never_shows_a_credential(tmp_path: Path) -> None:
    config = load_config(_write(tmp_path), environ=ENV)

    assert KEY not in repr(config)
    assert KEY not in str(config.markets[0])


def test_a_credential_written_inline_is_held_as_a_secret(tmp_path: Path) -> None:
    path = _write(tmp_path, '[[markets]]\nvendor = "swapgg"\napi_key = "inline-secret-key"\n')

    config = load_config(path, environ={})

    assert "inline-secret-key" not in repr(config)


def test_a_missing_environment_variable_names_it(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="environment variable SWAP_KEY"):
        load_config(_write(tmp_path), environ={"TM_KEY": KEY})


def test_an_unknown_vendor_lists_the_known_ones(tmp_path: Path) -> None:
    path = _write(tmp_path, '[[markets]]\nvendor = "steam"\n')

    with pytest.raises(ConfigurationError, match=r"unknown vendor 'steam'.*market_tm"):
        load_config(path, environ={})


def test_a_missing_file_says_how_to_create_one(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match=r"(?s)no config file at .*\[\[markets\]\]"):
        load_config(tmp_path / "absent.toml", environ={})


def test_bad_toml_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="not valid TOML"):
        load_config(_write(tmp_path, "[[markets]\n"), environ={})


def test_duplicate_market_names_are_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, '[[markets]]\nvendor = "swapgg"\n[[markets]]\nvendor = "swapgg"\n')

    with pytest.raises(ConfigurationError, match="used twice"):
        load_config(path, environ={})


def test_the_path_comes_from_the_environment_variable(tmp_path: Path) -> None:
    path = _write(tmp_path)

    config = load_config(environ={**ENV, "SKINMARKETS_CONFIG": str(path)})

    assert len(config.markets) == 2


def test_without_a_path_or_variable_the_working_directory_file_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path)
    monkeypatch.chdir(tmp_path)

    assert len(load_config(environ=ENV).markets) == 2


def test_connect_all_connects_every_market_by_name(tmp_path: Path) -> None:
    config = load_config(_write(tmp_path), environ=ENV)

    markets = connect_all(config)

    assert list(markets) == ["tm", "swapgg"]
    assert markets["tm"].name == "market_tm:rust"
    assert markets["swapgg"].vendor == "swapgg"


def test_connect_all_reads_a_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)

    assert set(connect_all(_write(tmp_path))) == {"tm", "swapgg"}


def test_a_config_without_markets_says_how_to_add_one(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="no markets configured"):
        load_config(_write(tmp_path, 'currency = "USD"\n'), environ={})


def test_connect_all_of_no_markets_is_empty() -> None:
    assert connect_all(Config(markets=())) == {}

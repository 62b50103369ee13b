"""load_config / connect_all: markets from TOML, credentials from the environment, never shown."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from skinmarkets import connect_all
from skinmarkets._secret import Secret
from skinmarkets.config import (
    CONFIG_EXAMPLE,
    Config,
    ConfigWarning,
    find_config,
    load_config,
    permission_problem,
    user_config_path,
)
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


def test_a_credential_written_inline_is_held_as_a_secret_with_a_warning(tmp_path: Path) -> None:
    path = _write(tmp_path, '[[markets]]\nvendor = "swapgg"\napi_key = "inline-secret-key"\n')

    with pytest.warns(ConfigWarning, match=r'Use api_key_env = "SWAPGG_API_KEY"') as caught:
        config = load_config(path, environ={})

    assert isinstance(config.markets[0].options["api_key"], Secret)
    assert "inline-secret-key" not in repr(config) + str(caught[0].message)


def test_a_credential_written_inline_is_refused_when_asked(tmp_path: Path) -> None:
    path = _write(tmp_path, '[[markets]]\nvendor = "swapgg"\napi_key = "inline-secret-key"\n')

    with pytest.raises(ConfigurationError) as caught:
        load_config(path, environ={}, allow_inline_secrets=False)

    message = str(caught.value)
    assert 'Use api_key_env = "SWAPGG_API_KEY" in [[markets]] "swapgg"' in message
    assert "export SWAPGG_API_KEY=…" in message
    assert "inline-secret-key" not in message


@pytest.mark.parametrize(
    "line",
    ['proxy = "http://user:hunter2@proxy.example:3128"', 'base_url = "https://tok@api.example"'],
)
def test_a_url_with_a_password_in_the_file_is_an_inline_credential(
    tmp_path: Path, line: str
) -> None:
    text = f'[[markets]]\nvendor = "swapgg"\napi_key_env = "SWAP_KEY"\n{line}\n'
    key = line.split(" ")[0]

    with pytest.raises(ConfigurationError, match=f'Use {key}_env = "SWAPGG_{key.upper()}"'):
        load_config(_write(tmp_path, text), environ=ENV, allow_inline_secrets=False)


def test_a_store_url_with_a_password_in_the_file_is_an_inline_credential(tmp_path: Path) -> None:
    text = 'store = "redis://:pw@redis.internal:6379/0"\n' + TOML

    with pytest.raises(ConfigurationError, match="export SKINMARKETS_STORE="):
        load_config(_write(tmp_path, text), environ=ENV, allow_inline_secrets=False)


def test_a_missing_environment_variable_names_it_and_the_fix(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError) as caught:
        load_config(_write(tmp_path), environ={"TM_KEY": KEY})

    assert str(caught.value) == (
        f"{tmp_path / 'skinmarkets.toml'}: $SWAP_KEY is not set (api_key_env in [[markets]] "
        '"swapgg"): export SWAP_KEY=…, or set enabled = false in that table'
    )


def test_markets_with_unset_variables_can_be_skipped_instead(tmp_path: Path) -> None:
    config = load_config(_write(tmp_path), environ={"TM_KEY": KEY}, skip_unset=True)

    assert [m.name for m in config.markets] == ["tm"]
    assert config.skipped["swapgg"].startswith("$SWAP_KEY is not set")


def test_enabled_false_leaves_a_market_out_unread(tmp_path: Path) -> None:
    text = (
        TOML + '\n[[markets]]\nname = "later"\nvendor = "plugin-not-installed"\nenabled = false\n'
    )

    config = load_config(_write(tmp_path, text), environ=ENV)

    assert [m.name for m in config.markets] == ["tm", "swapgg"]
    assert config.disabled == ("later",)


def test_an_unknown_vendor_suggests_the_closest_and_lists_the_known_ones(tmp_path: Path) -> None:
    path = _write(tmp_path, '[[markets]]\nvendor = "market-tm"\n')

    with pytest.raises(
        ConfigurationError, match=r'unknown vendor "market-tm"; did you mean "market_tm"\?.*swapgg'
    ):
        load_config(path, environ={})


def test_an_unknown_option_suggests_the_closest(tmp_path: Path) -> None:
    path = _write(tmp_path, '[[markets]]\nvendor = "swapgg"\napi_kye_env = "SWAP_KEY"\n')

    with pytest.raises(
        ConfigurationError, match='unknown option "api_kye_env"; did you mean "api_key_env"'
    ):
        load_config(path, environ=ENV)


def test_an_unknown_top_level_key_suggests_the_closest(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match='"curency"; did you mean "currency"'):
        load_config(_write(tmp_path, 'curency = "USD"\n' + TOML), environ=ENV)


def test_a_connect_error_is_said_in_the_files_terms(tmp_path: Path) -> None:
    config = load_config(
        _write(tmp_path, TOML.replace("timeout = 2.5", "deadline = 0")), environ=ENV
    )

    with pytest.raises(ConfigurationError) as caught:
        connect_all(config)

    message = str(caught.value)
    assert message.startswith(f'{tmp_path / "skinmarkets.toml"}: [[markets]] "swapgg": ')
    assert 'write e.g. deadline = 60 in [[markets]] "swapgg"' in message
    assert "sm.connect" not in message


def test_a_missing_credential_says_which_variable_to_add(tmp_path: Path) -> None:
    config = load_config(_write(tmp_path, '[[markets]]\nname = "tm"\nvendor = "market_tm"\n'))

    with pytest.raises(ConfigurationError, match='has no api_key: add api_key_env = "TM_API_KEY"'):
        connect_all(config)


def test_connect_all_options_go_to_every_market_over_the_files(tmp_path: Path) -> None:
    markets = connect_all(load_config(_write(tmp_path), environ=ENV), options={"deadline": 7})

    for market in markets.values():
        assert market.client.transport.options.deadline == 7  # type: ignore[attr-defined]


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


@pytest.mark.parametrize(
    ("platform", "environ", "expected"),
    [
        ("linux", {"HOME": "/h", "XDG_CONFIG_HOME": "/x"}, "/x/skinmarkets/config.toml"),
        ("linux", {"HOME": "/h"}, "/h/.config/skinmarkets/config.toml"),
        (
            "linux",
            {"HOME": "/h", "XDG_CONFIG_HOME": "relative"},
            "/h/.config/skinmarkets/config.toml",
        ),
        ("darwin", {"HOME": "/h"}, "/h/Library/Application Support/skinmarkets/config.toml"),
        ("win32", {"HOME": "/h", "APPDATA": "/a"}, "/a/skinmarkets/config.toml"),
    ],
)
def test_the_user_config_lives_in_the_platforms_config_folder(
    platform: str, environ: dict[str, str], expected: str
) -> None:
    assert user_config_path(environ, platform=platform) == Path(expected)


def test_find_config_takes_the_variable_then_the_working_directory_then_the_user_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    environ = {"HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "xdg")}
    assert find_config(environ) is None
    user = tmp_path / "xdg" / "skinmarkets" / "config.toml"
    user.parent.mkdir(parents=True)
    user.write_text(TOML, encoding="utf-8")
    assert find_config(environ) == user
    here = _write(tmp_path)
    assert find_config(environ) == Path("skinmarkets.toml") and here.is_file()
    assert find_config({**environ, "SKINMARKETS_CONFIG": "/named.toml"}) == Path("/named.toml")


def test_load_config_without_a_path_reads_the_user_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    user = tmp_path / "xdg" / "skinmarkets" / "config.toml"
    user.parent.mkdir(parents=True)
    user.write_text(TOML, encoding="utf-8")

    config = load_config(environ={**ENV, "XDG_CONFIG_HOME": str(tmp_path / "xdg")})

    assert config.path == user and len(config.markets) == 2


@pytest.mark.parametrize(
    ("mode", "expected"),
    [(0o600, None), (0o640, "can be read by other users (mode 640)"), (0o646, "can be changed")],
)
def test_permission_problem_names_a_file_others_can_read_or_change(
    tmp_path: Path, mode: int, expected: str | None
) -> None:
    path = _write(tmp_path)
    path.chmod(mode)

    problem = permission_problem(path)

    if expected is None:
        assert problem is None
    else:
        assert problem is not None and expected in problem and f"chmod 600 {path}" in problem


def test_a_proxy_read_from_the_environment_never_shows_its_password(tmp_path: Path) -> None:
    from skinmarkets.config import load_config

    path = tmp_path / "skinmarkets.toml"
    path.write_text(
        '[[markets]]\nname = "tm"\nvendor = "market_tm"\napi_key_env = "TM_KEY"\n'
        'proxy_env = "TM_PROXY"\n'
    )
    config = load_config(
        path, environ={"TM_KEY": "k" * 20, "TM_PROXY": "http://u:hunter22@proxy:3128"}
    )
    assert "hunter22" not in repr(config) and "hunter22" not in repr(config.markets[0])


def test_the_example_config_loads_with_each_built_in_vendors_table(tmp_path: Path) -> None:
    variables = ("TM_KEY", "SWAPGG_KEY", "SKINSBACK_CLIENT_ID", "SKINSBACK_CLIENT_SECRET")
    config = load_config(_write(tmp_path, CONFIG_EXAMPLE), environ=dict.fromkeys(variables, "k"))

    assert CONFIG_EXAMPLE.startswith('currency = "USD"')
    assert [m.vendor for m in config.markets] == ["market_tm", "swapgg", "skinsback"]
    assert config.disabled == ("mannco",)  # a disabled table is shown last


def test_importing_the_config_module_loads_no_vendor() -> None:
    import subprocess
    import sys

    code = (
        "import sys, skinmarkets.config; "
        "print(sorted(m for m in sys.modules if m.startswith('skinmarkets.vendors')))"
    )
    done = subprocess.run(  # noqa: S603 - our own interpreter and a fixed script
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "[]"

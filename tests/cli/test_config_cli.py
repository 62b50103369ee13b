"""How the command line finds and reads its config: where it looks, what it refuses, what it
warns about, and markets skipped or disabled. Files are real; ``connect`` is faked."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from skinmarkets.registry import connect as real_connect
from tests.cli.conftest import TM_CONFIG, Fakes, write_config
from tests.cli.test_main import envelope, run

SWAP = '[[markets]]\nname = "swap"\nvendor = "swapgg"\napi_key_env = "SWAP_KEY"\n'


@pytest.fixture
def keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TM_API_KEY", "tm-key-0123456789")
    monkeypatch.setenv("SWAP_KEY", "swap-key-0123456789")


# where the file is looked for


def _found_in(capsys: pytest.CaptureFixture[str], fakes: Fakes, *argv: str) -> list[str]:
    """The market names connected by ``balance`` (each config below names a market by where
    it lives)."""
    code, out, err = run(capsys, "balance", "--json", *argv)
    assert code == 0, err
    return list(envelope(out)["result"])


def _marker(name: str) -> str:
    return f'[[markets]]\nname = "{name}"\nvendor = "market_tm"\napi_key_env = "TM_API_KEY"\n'


def test_the_config_is_looked_for_in_order(
    capsys: pytest.CaptureFixture[str],
    fakes: Fakes,
    keys: None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    user = write_config(tmp_path / "xdg" / "skinmarkets" / "config.toml", _marker("user"))
    assert _found_in(capsys, fakes) == ["user"]
    write_config(Path("skinmarkets.toml").resolve(), _marker("here"))
    assert _found_in(capsys, fakes) == ["here"]
    named = write_config(tmp_path / "named.toml", _marker("env"))
    monkeypatch.setenv("SKINMARKETS_CONFIG", str(named))
    assert _found_in(capsys, fakes) == ["env"]
    explicit = write_config(tmp_path / "explicit.toml", _marker("flag"))
    assert _found_in(capsys, fakes, "--config", str(explicit)) == ["flag"]
    assert user.is_file()


def test_without_xdg_config_home_the_user_file_is_under_dot_config(
    capsys: pytest.CaptureFixture[str],
    fakes: Fakes,
    keys: None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("XDG_CONFIG_HOME")
    write_config(tmp_path / "home" / ".config" / "skinmarkets" / "config.toml", _marker("home"))
    assert _found_in(capsys, fakes) == ["home"]


def test_without_any_config_it_explains_how_to_write_one(
    capsys: pytest.CaptureFixture[str], fakes: Fakes, tmp_path: Path
) -> None:
    code, out, err = run(capsys, "compare", "X")
    assert code == 2
    assert out == ""
    for needed in (
        "skinmarkets.toml",
        "SKINMARKETS_CONFIG",
        "--config",
        str(tmp_path / "xdg" / "skinmarkets" / "config.toml"),
        'vendor = "market_tm"',
        "api_key_env",
        "enabled = false",
        "--sandbox",
    ):
        assert needed in err
    assert not fakes.connected


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (
            ["--config", "nowhere.toml"],
            "error: config file 'nowhere.toml' not found (named by --config)",
        ),
        ([], "error: config file 'gone.toml' not found (named by $SKINMARKETS_CONFIG)"),
    ],
)
def test_a_named_config_that_is_missing_is_an_error_naming_who_named_it(
    capsys: pytest.CaptureFixture[str],
    fakes: Fakes,
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    expected: str,
) -> None:
    monkeypatch.setenv("SKINMARKETS_CONFIG", "gone.toml")
    code, _, err = run(capsys, "balance", *argv)
    assert code == 2
    assert err.startswith(expected) and len(err.splitlines()) == 1


# what it refuses and warns about


def test_a_credential_written_in_the_file_is_refused_in_toml_terms(
    capsys: pytest.CaptureFixture[str], fakes: Fakes
) -> None:
    write_config(
        Path("skinmarkets.toml").resolve(),
        '[[markets]]\nname = "tm"\nvendor = "market_tm"\napi_key = "inline-secret-value"\n',
    )
    code, out, err = run(capsys, "balance")
    assert code == 2
    assert "inline-secret-value" not in out + err
    assert 'Use api_key_env = "TM_API_KEY" in [[markets]] "tm" and export TM_API_KEY' in err
    assert len(err.splitlines()) == 1
    assert not fakes.connected


def test_a_file_other_users_can_read_is_warned_about(
    capsys: pytest.CaptureFixture[str], fakes: Fakes, keys: None
) -> None:
    write_config(Path("skinmarkets.toml").resolve(), TM_CONFIG, mode=0o644)
    code, _, err = run(capsys, "balance")
    assert code == 0
    assert (
        "warning: skinmarkets.toml can be read by other users (mode 644): "
        "chmod 600 skinmarkets.toml\n"
    ) in err


def test_a_private_file_draws_no_warning(
    capsys: pytest.CaptureFixture[str], fakes: Fakes, keys: None, config_file: Path
) -> None:
    _, _, err = run(capsys, "balance")
    assert "warning" not in err


def test_a_file_other_users_can_change_is_warned_about_as_such(
    capsys: pytest.CaptureFixture[str], fakes: Fakes, keys: None
) -> None:
    write_config(Path("skinmarkets.toml").resolve(), TM_CONFIG, mode=0o666)
    _, _, err = run(capsys, "balance")
    assert "can be changed by other users (mode 666)" in err


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '[[markets]]\nvendor = "market-tm"\n',
            'unknown vendor "market-tm"; did you mean "market_tm"?',
        ),
        (
            '[[markets]]\nvendor = "market_tm"\napi_kye_env = "K"\n',
            'unknown option "api_kye_env"; did you mean "api_key_env"?',
        ),
        (
            'curency = "USD"\n' + TM_CONFIG,
            'unknown top-level key "curency"; did you mean "currency"?',
        ),
        (
            '[[markets]]\nvendor = "market_tm"\nenabled = "no"\n',
            "write enabled = true or enabled = false",
        ),
    ],
)
def test_config_mistakes_are_said_in_toml_terms(
    capsys: pytest.CaptureFixture[str], fakes: Fakes, text: str, expected: str
) -> None:
    write_config(Path("skinmarkets.toml").resolve(), text)
    code, _, err = run(capsys, "balance")
    assert code == 2
    assert expected in err
    assert "sm.connect" not in err


def test_a_missing_credential_is_said_in_toml_terms(
    capsys: pytest.CaptureFixture[str], fakes: Fakes, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("skinmarkets.config.connect", real_connect)  # its refusal is translated
    write_config(
        Path("skinmarkets.toml").resolve(), '[[markets]]\nname = "tm"\nvendor = "market_tm"\n'
    )
    code, _, err = run(capsys, "balance")
    assert code == 2
    assert err == (
        'error: skinmarkets.toml: [[markets]] "tm" has no api_key: add '
        'api_key_env = "TM_API_KEY" to it and export TM_API_KEY=…\n'
    )


# skipped and disabled markets


def test_a_market_whose_variable_is_unset_is_skipped_with_a_warning(
    capsys: pytest.CaptureFixture[str], fakes: Fakes, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SWAP_KEY", "swap-key-0123456789")
    write_config(Path("skinmarkets.toml").resolve(), TM_CONFIG + SWAP)
    code, out, err = run(capsys, "balance", "--json")
    assert code == 0
    data = envelope(out)
    assert list(data["result"]) == ["swap"]
    assert data["skipped"]["tm"].startswith("$TM_API_KEY is not set")
    assert "export TM_API_KEY=…" in data["skipped"]["tm"]
    assert 'warning: skipped tm: $TM_API_KEY is not set (api_key_env in [[markets]] "tm")' in err
    assert [vendor for vendor, _ in fakes.connected] == ["swapgg"]


def test_a_market_named_with_market_whose_variable_is_unset_is_an_error(
    capsys: pytest.CaptureFixture[str], fakes: Fakes, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SWAP_KEY", "swap-key-0123456789")
    write_config(Path("skinmarkets.toml").resolve(), TM_CONFIG + SWAP)
    code, out, err = run(capsys, "balance", "--market", "tm")
    assert code == 2
    assert out == ""
    assert err.startswith('error: market "tm" cannot be asked: $TM_API_KEY is not set')
    assert "export TM_API_KEY=…" in err
    assert not fakes.connected


def test_when_every_market_is_skipped_it_is_a_configuration_error(
    capsys: pytest.CaptureFixture[str], fakes: Fakes
) -> None:
    write_config(Path("skinmarkets.toml").resolve(), TM_CONFIG)
    code, _, err = run(capsys, "balance")
    assert code == 2
    assert err.splitlines()[-1].startswith("error: no market to ask")


def test_enabled_false_leaves_a_market_out_without_reading_its_variables(
    capsys: pytest.CaptureFixture[str], fakes: Fakes, keys: None
) -> None:
    disabled = '[[markets]]\nname = "old"\nvendor = "not-installed"\nenabled = false\n'
    write_config(Path("skinmarkets.toml").resolve(), TM_CONFIG + disabled)
    code, out, err = run(capsys, "balance", "--json")
    assert code == 0, err
    assert list(envelope(out)["result"]) == ["tm"]
    assert envelope(out)["skipped"] == {}
    code, _, err = run(capsys, "balance", "--market", "old")
    assert code == 2
    assert 'market "old" has enabled = false' in err and "set enabled = true" in err


def test_market_names_a_configured_market_or_suggests_one(
    capsys: pytest.CaptureFixture[str], fakes: Fakes, keys: None
) -> None:
    write_config(Path("skinmarkets.toml").resolve(), TM_CONFIG + SWAP)
    code, out, _ = run(capsys, "balance", "--json", "--market", "swap")
    assert code == 0
    assert list(envelope(out)["result"]) == ["swap"]
    code, _, err = run(capsys, "balance", "--market", "swop")
    assert code == 2
    assert 'no market named "swop"' in err and 'did you mean "swap"?' in err


def test_timeout_reaches_every_configured_market_over_the_file(
    capsys: pytest.CaptureFixture[str], fakes: Fakes, keys: None
) -> None:
    write_config(Path("skinmarkets.toml").resolve(), TM_CONFIG + "timeout = 30\n" + SWAP)
    code, _, _ = run(capsys, "balance", "--timeout", "2.5")
    assert code == 0
    assert [(o["timeout"], o["deadline"]) for _, o in fakes.connected] == [(2.5, 2.5)] * 2


def test_the_config_currency_and_rates_are_used(
    capsys: pytest.CaptureFixture[str], fakes: Fakes, keys: None
) -> None:
    write_config(
        Path("skinmarkets.toml").resolve(),
        'currency = "eur"\n[rates]\nbase = "USD"\nEUR = "0.92"\n' + TM_CONFIG,
    )
    run(capsys, "compare", "X")
    (call,) = fakes.asked("compare")
    assert call["currency"] == "EUR"
    assert call["rates"].rate("USD", "EUR") == Decimal("0.92")

"""Edges of the command line found in review: hostile input must be one ``error:`` line with
the documented exit code (never a traceback), and the command ``buy`` prints to settle an
unknown outcome must run against the same markets.

Each test has its own HOME, config and state folders and working directory; nothing is sent
anywhere (``connect`` is faked where a config is read)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

import skinmarkets as sm
from skinmarkets import Listing, Money
from skinmarkets.cli import main
from skinmarkets.errors import OutcomeUnknown
from skinmarkets.sandbox import _statefile
from skinmarkets.sandbox._sandbox import EMULATIONS
from skinmarkets.sandbox._state import State
from tests.support import own_folders

REDLINE = "AK-47 | Redline (Field-Tested)"
TM_CONFIG = '[[markets]]\nname = "tm"\nvendor = "market_tm"\napi_key_env = "TM_API_KEY"\n'


@pytest.fixture(autouse=True)
def home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """This test's own home, config and state folders and working directory."""
    own_folders(monkeypatch, tmp_path)
    return tmp_path


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err, stdin=io.StringIO())
    assert "Traceback" not in out.getvalue() + err.getvalue()
    return code, out.getvalue(), err.getvalue()


def test_a_config_file_that_is_not_utf8_is_exit_2_not_a_traceback(tmp_path: Path) -> None:
    config = tmp_path / "binary.toml"
    config.write_bytes(b"\xff\xfe\x00[[markets]]\n")
    config.chmod(0o600)
    code, out, err = cli("--config", str(config), "balance")
    assert code == 2
    assert out == ""
    assert err.startswith("error: ") and "binary.toml" in err and "UTF-8" in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "since", ["0001-01-01T00:00+01:00", "9999-12-31T23:00-14:00", "0001-01-01T00:00:00+23:59"]
)
def test_a_since_beyond_the_calendar_is_one_line_and_exit_2(since: str) -> None:
    code, out, err = cli("--sandbox", "history", "--since", since)
    assert code == 2
    assert out == ""
    assert err.startswith("error: argument --since: ")
    assert len(err.strip().splitlines()) == 1


class _LostAnswer:
    """A market_tm stand-in: lists one offer; its purchase's answer is lost."""

    vendor = "market_tm"

    def __init__(self) -> None:
        from skinmarkets.vendors.market_tm import MarketTM

        self.capabilities = MarketTM.capabilities
        self.bought: list[str | None] = []

    def list_for_sale(self, name: str, limit: int = 20) -> list[Listing]:
        return [Listing("market_tm", "700000001", name, Money("12.03", "USD"), 730)]

    def buy(
        self, listing: Listing, *, max_price: Money | None = None, custom_id: str | None = None
    ) -> Any:
        self.bought.append(custom_id)
        raise OutcomeUnknown("buy: no answer came", vendor="market_tm", custom_id=custom_id)


def test_the_command_to_settle_an_unknown_purchase_names_the_config_it_ran_with(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run again without ``--config``, the printed command would read another config (or
    none): other markets under the same names, where the lookup cannot find the purchase."""
    config = tmp_path / "trading account.toml"
    config.write_text(TM_CONFIG, encoding="utf-8")
    config.chmod(0o600)
    monkeypatch.setenv("TM_API_KEY", "tm-key-0123456789")
    market = _LostAnswer()
    monkeypatch.setattr("skinmarkets.config.connect", lambda vendor, **options: market)
    code, out, err = cli(
        "buy", "700000001", "--market", "tm", "--name", REDLINE, "--max-price", "12.50",
        "--yes", "--custom-id", "c-7", "--config", str(config), "--json",
    )  # fmt: skip
    assert code == 1
    assert json.loads(out)["result"]["outcome"] == "unknown"
    assert market.bought == ["c-7"]
    (rerun,) = [line.strip() for line in err.splitlines() if line.startswith("    skinmarkets")]
    assert f"--config '{config}'" in rerun
    assert rerun.endswith("--custom-id c-7")


def test_the_buy_hint_of_listings_names_the_config_it_ran_with(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "trading.toml"
    config.write_text(TM_CONFIG, encoding="utf-8")
    config.chmod(0o600)
    monkeypatch.setenv("TM_API_KEY", "tm-key-0123456789")
    monkeypatch.setattr("skinmarkets.config.connect", lambda vendor, **options: _LostAnswer())
    code, _, err = cli("listings", REDLINE, "--config", str(config))
    assert code == 0
    (hint,) = [line for line in err.splitlines() if line.startswith("to buy one: ")]
    assert f"skinmarkets --config {config} buy 700000001 --market tm" in hint


@pytest.mark.parametrize("offset", ["NaN", "Infinity", "-Infinity"])
def test_a_state_file_with_a_clock_that_cannot_be_is_refused(tmp_path: Path, offset: str) -> None:
    """A non-finite clock offset made every later sandbox answer an HTTP 500."""
    path = tmp_path / "paper.json"
    code, _, err = cli("--sandbox-state", str(path), "withdraw", "--market", "swapgg")
    assert code == 0, err
    text = path.read_text(encoding="utf-8")
    assert '"clock_offset": 0.0' in text
    path.write_text(text.replace('"clock_offset": 0.0', f'"clock_offset": {offset}'), "utf-8")
    with pytest.raises(_statefile.StateFileError, match="clock_offset"):
        _statefile.restore(_fresh_state(), json.loads(path.read_text(encoding="utf-8")))
    code, out, err = cli("--sandbox-state", str(path), "balance")
    assert code == 2
    assert out == ""
    assert "clock_offset" in err and "sandbox reset" in err


def _fresh_state() -> State:
    return State({vendor: emulation.profile for vendor, emulation in EMULATIONS.items()})


def test_the_rerun_of_a_purchase_whose_listing_is_gone_finds_it_and_never_buys_twice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # swap.gg cannot look a purchase up by custom id. The purchase went through, its answer was
    # cut and the inventory search failed: the outcome is unknown. Rerun as printed, the listing
    # is no longer offered (it was bought): the rerun must still ask the library, which finds
    # the purchase, and must not say "no listing" (which reads as "not bought").
    with sm.sandbox() as box:
        monkeypatch.setenv("SG_KEY", box.credentials("swapgg")["api_key"])
        config = tmp_path / "trading.toml"
        config.write_text(
            f'store = "{tmp_path / "store.sqlite3"}"\n'
            '[[markets]]\nname = "sg"\nvendor = "swapgg"\napi_key_env = "SG_KEY"\n'
            f'base_url = "{box.base_url("swapgg")}"\n'
        )
        config.chmod(0o600)
        code, out, err = cli("--config", str(config), "--json", "listings", REDLINE, "--limit", "1")
        assert code == 0, err
        (listing,) = json.loads(out)["result"]["sg"]
        buy = ["--config", str(config), "--json", "buy", listing["id"], "--market", "sg"]
        buy += [
            "--name",
            REDLINE,
            "--max-price",
            listing["price"]["amount"],
            "--yes",
            "--custom-id",
            "c1",
        ]
        box.fail_next("swapgg", "buy", "garbled")  # bought, the answer cut in half
        for _ in range(10):
            box.fail_next("swapgg", "inventory", "html")  # and the search cannot tell
        code, out, err = cli(*buy)
        assert (code, json.loads(out)["result"]["outcome"]) == (1, "unknown"), err
        box.state.faults.clear()
        bought = len(box.state.purchases)

        code, out, err = cli(*buy)  # the command it printed

        result = json.loads(out)["result"]
        assert (code, result["outcome"]) == (0, "bought"), err
        assert result["purchase"]["custom_id"] == "c1"
        assert len(box.state.purchases) == bought  # found, not bought again

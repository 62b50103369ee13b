"""Paper trading across processes: a sandbox's state saved to a file and loaded again
(``sm.sandbox(state_path=...)``, ``Sandbox.save``), and what a bad file does."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

import skinmarkets as sm
from skinmarkets.sandbox import _statefile
from skinmarkets.sandbox._profile import BUILT_IN_PROFILES
from skinmarkets.sandbox._state import State

REDLINE = "AK-47 | Redline (Field-Tested)"


def test_a_purchase_and_its_trade_are_there_after_loading_the_saved_state(tmp_path: Path) -> None:
    path = tmp_path / "paper" / "state.json"
    with sm.sandbox(state_path=path) as sb:
        market = sb.connect("market_tm")
        bought = market.buy(market.list_for_sale(REDLINE)[0], custom_id="paper-1")
        (sent,) = market.withdraw()
        sb.save()

    with sm.sandbox(state_path=path) as again:
        market = again.connect("market_tm")
        assert market.get_purchase("paper-1").id == bought.id
        assert [t.id for t in market.active_trades()] == [sent.id]
        assert again.balance_of("market_tm") == sm.Money("500.00", "USD") - bought.price
        assert bought.id not in [x.id for x in market.list_for_sale(REDLINE)]
        # new ids continue after the saved ones: nothing is handed out twice
        assert int(again.state.new_id()) > int(sent.id)


def test_trades_keep_pointing_at_their_purchases_after_loading(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    with sm.sandbox(state_path=path) as sb:
        market = sb.connect("swapgg")
        market.buy(market.list_for_sale(REDLINE)[0])
        (trade,) = market.withdraw()
        sb.save()
    with sm.sandbox(state_path=path) as again:
        again.accept(trade)  # settles the loaded trade's purchases, the same objects
        (purchase,) = again.state.purchases["swapgg"]
        assert purchase.state == "delivered"


def test_the_file_holds_amounts_as_strings_and_no_credential(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    with sm.sandbox(state_path=path) as sb:
        sb.set_balance("swapgg", "12.345")
        sb.save()
    text = path.read_text(encoding="utf-8")
    data = json.loads(text)
    assert data["format"] == "skinmarkets-sandbox-state" and data["version"] == 1
    assert data["accounts"]["swapgg"] == {"currency": "EUR", "balance": "12.345"}
    assert all(isinstance(o["price"], str) for o in data["offers"]["market_tm"])
    for profile in BUILT_IN_PROFILES.values():
        for key, value in profile.credentials.items():
            if key != "trade_url":
                assert value not in text
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_saving_replaces_the_file_whole_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    path.write_text("old", encoding="utf-8")
    _statefile.save(State(), path)
    assert json.loads(path.read_text(encoding="utf-8"))["format"] == _statefile.FORMAT
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state.json"]


def test_a_sandbox_without_a_state_path_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.chdir(tmp_path)
    with sm.sandbox() as sb:
        market = sb.connect("market_tm")
        market.buy(market.list_for_sale(REDLINE)[0])
        assert sb.state_path is None
        with pytest.raises(ValueError, match="no state_path"):
            sb.save()
    assert list(tmp_path.iterdir()) == []


def test_a_missing_file_is_a_fresh_start(tmp_path: Path) -> None:
    with sm.sandbox(state_path=tmp_path / "new.json") as sb:
        assert sb.balance_of("mannco") == sm.Money("500.00", "USD")
    assert not (tmp_path / "new.json").exists()  # only save() writes


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ('{"format": "skinmarkets-sandbox-state", "vers', "not JSON"),
        ("[1, 2]", "not a skinmarkets sandbox state"),
        ('{"format": "skinmarkets-sandbox-state", "version": 2}', "version is 2"),
    ],
    ids=["cut", "foreign", "newer"],
)
def test_a_file_that_is_not_a_state_of_this_version_is_refused_and_left_alone(
    tmp_path: Path, content: str, reason: str
) -> None:
    path = tmp_path / "state.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(_statefile.StateFileError, match=reason) as raised:
        sm.sandbox(state_path=path)
    assert isinstance(raised.value, sm.errors.ConfigurationError)
    assert path.read_text(encoding="utf-8") == content


def test_a_value_that_cannot_be_true_loads_nothing(tmp_path: Path) -> None:
    saved = _statefile.snapshot(State())
    saved["accounts"]["market_tm"]["balance"] = "100.00"
    saved["offers"]["swapgg"][0]["price"] = 12.5  # a JSON number: amounts are strings
    state = State()
    before = _statefile.snapshot(state)
    with pytest.raises(_statefile.StateFileError, match=r"offers\.swapgg\[0\]\.price"):
        _statefile.restore(state, saved)
    assert _statefile.snapshot(state) == before  # all or nothing: the balance was not taken


def test_a_trade_naming_an_unknown_purchase_is_refused() -> None:
    saved = _statefile.snapshot(State())
    saved["trades"]["mannco"] = [
        {
            "id": "1",
            "purchases": ["404"],
            "created": 0,
            "secret": "S001",
            "bot_id": "1",
            "state": "sent",
        }
    ]
    with pytest.raises(_statefile.StateFileError, match="names a purchase that is not in"):
        _statefile.restore(State(), saved)

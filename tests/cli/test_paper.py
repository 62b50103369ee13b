"""The paper-trading state file's lock, where the file lives, and the parsers of amounts and
times the trading commands read."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from skinmarkets.cli import _paper
from skinmarkets.cli._args import parse
from skinmarkets.cli._confirm import Amount, parse_amount
from skinmarkets.cli._history import parse_since
from skinmarkets.cli._output import UsageError
from skinmarkets.money import Money
from tests.cli.test_trading import REDLINE, Ran, buy_args, cheapest, cli

NOW = datetime(2024, 5, 10, 12, 0, tzinfo=UTC)


class StepClock:
    """Seconds that move ``step`` each time they are read (no test sleeps)."""

    def __init__(self, step: float) -> None:  # float ok: seconds
        self.now = 0.0  # float ok: seconds
        self.step = step

    def __call__(self) -> float:  # float ok: seconds
        self.now += self.step
        return self.now


# the lock


def test_a_second_holder_waits_then_gives_up_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "sandbox.json"
    waited: list[str] = []
    slept: list[float] = []  # float ok: seconds
    with (
        _paper.locked(path),
        pytest.raises(_paper.StateInUse, match="is in use by another skinmarkets command"),
        _paper.locked(
            path,
            wait=1.0,
            clock=StepClock(0.4),
            sleep=slept.append,
            waiting=lambda: waited.append("told"),
        ),
    ):
        pytest.fail("the lock was taken twice")
    assert waited == ["told"]  # said once, however long it waits
    assert len(slept) == 2


def test_the_lock_is_free_again_after_the_block(tmp_path: Path) -> None:
    path = tmp_path / "sandbox.json"
    with _paper.locked(path):
        pass
    with _paper.locked(path, wait=0):
        assert (tmp_path / "sandbox.json.lock").exists()


def test_a_writing_command_gives_up_on_a_held_lock_but_a_reading_one_runs(
    paper: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    listing = cheapest("market_tm")
    monkeypatch.setattr(_paper, "_LOCK_WAIT", 0)
    with _paper.locked(paper):  # another command is buying
        ran = cli(*buy_args(listing, "market_tm", "--max-price", "13", "--yes"))
        assert ran.code == 1
        assert ran.err.splitlines()[-1] == (
            f"error: sandbox state {str(paper)!r} is in use by another skinmarkets command "
            "(waited 0 s); try again when it has finished"
        )
        assert cli("--sandbox", "balance").code == 0
    assert not paper.exists()  # the refused command saved nothing


# where the file lives


def test_the_default_state_file_is_in_the_xdg_state_directory(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr("sys.platform", "linux")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg"))
    assert _paper.state_path(None) == tmp_path / "xdg" / "skinmarkets" / "sandbox.json"
    assert _paper.state_path("~/paper.json") == Path.home() / "paper.json"


def test_sandbox_state_implies_sandbox_before_or_after_the_command() -> None:
    before = parse(["--sandbox-state", "a.json", "balance"])
    after = parse(["balance", "--sandbox-state", "b.json"])
    assert (before.sandbox, before.sandbox_state) == (True, "a.json")
    assert (after.sandbox, after.sandbox_state) == (True, "b.json")
    assert parse(["balance"]).sandbox is False


# amounts


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("4", "4", None),
        ("4.00", "4.00", None),
        (" 12.345 ", "12.345", None),
        ("5.00USD", "5.00", "USD"),
        ("5.00 eur", "5.00", "EUR"),
    ],
)
def test_an_amount_is_read_exactly_with_an_optional_currency(
    text: str, amount: str, currency: str | None
) -> None:
    parsed = parse_amount(text)
    assert (parsed.amount, parsed.currency) == (Decimal(amount), currency)
    assert str(parsed.amount) == amount  # the digits as written: 4.00 stays 4.00


@pytest.mark.parametrize(
    "text", ["", "4,00", "-1", "0", "0.000", "1e3", "inf", "NaN", "4.0.0", "$4", "4 dollars"]
)
def test_what_is_not_an_amount_is_refused(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError, match="is not an amount"):
        parse_amount(text)


def test_an_amount_takes_the_currency_of_what_is_bought_unless_it_names_another() -> None:
    assert parse_amount("4.10").money("EUR", "--max-price") == Money("4.10", "EUR")
    assert parse_amount("4.10eur").money("EUR", "--max-price") == Money("4.10", "EUR")
    with pytest.raises(UsageError, match="is in USD but the price is in EUR"):
        Amount(Decimal("4.10"), "USD", "4.10USD").money("EUR", "--max-price")


# times


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7", datetime(2024, 5, 3, 12, 0, tzinfo=UTC)),
        ("2024-05-01", datetime(2024, 5, 1, tzinfo=UTC)),
        ("2024-05-01T08:30", datetime(2024, 5, 1, 8, 30, tzinfo=UTC)),
        ("2024-05-01T08:30+02:00", datetime(2024, 5, 1, 6, 30, tzinfo=UTC)),
    ],
)
def test_since_is_days_back_a_date_or_a_time_in_utc(text: str, expected: datetime) -> None:
    assert parse_since(text, now=lambda: NOW) == expected


@pytest.mark.parametrize("text", ["0", "36501", "soon", "2024-05-11"])
def test_since_refuses_what_is_not_a_past_time(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError):
        parse_since(text, now=lambda: NOW)


def test_buy_and_sell_options_are_parsed(paper: Path) -> None:
    args = parse(
        [
            "buy",
            "7",
            "--name",
            REDLINE,
            "--max-price",
            "4.5",
            "--market",
            "m",
            "--custom-id",
            "a-1",
            "-y",
        ]
    )
    assert (args.listing_id, args.name, args.custom_id, args.yes) == ("7", REDLINE, "a-1", True)
    assert args.max_price.amount == Decimal("4.5")
    with pytest.raises(UsageError, match="is not a custom id"):
        parse(
            [
                "buy",
                "7",
                "--name",
                "x",
                "--max-price",
                "1",
                "--market",
                "m",
                "--custom-id",
                "no spaces",
            ]
        )
    ran: Ran = cli("--sandbox", "sell", "1", "--market", "swapgg", "--price", "1,5", "--yes")
    assert ran.code == 2 and "is not an amount" in ran.err

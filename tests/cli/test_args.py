"""The command line's grammar: global options anywhere, ``--market``, names from files and
stdin, and every misuse as one line on stderr with exit code 2."""

from __future__ import annotations

import io
import shlex
from pathlib import Path

import pytest

from skinmarkets.cli import main
from skinmarkets.cli._args import parse
from tests.cli.conftest import REDLINE, Fakes
from tests.cli.test_main import run

GLOBALS = ["--sandbox", "--json", "--market", "market_tm", "--timeout", "7", "--currency", "eur"]


@pytest.mark.parametrize(
    "argv",
    [
        [*GLOBALS, "compare", REDLINE],
        ["compare", REDLINE, *GLOBALS],
        ["compare", *GLOBALS, REDLINE],
        [
            "--sandbox",
            "--json",
            "compare",
            REDLINE,
            "--market",
            "market_tm",
            "--timeout",
            "7",
            "--currency",
            "EUR",
        ],
    ],
    ids=["before", "after", "around the name", "split"],
)
def test_global_options_are_the_same_before_or_after_the_command(argv: list[str]) -> None:
    args = parse(argv)
    assert (args.command, args.names) == ("compare", [REDLINE])
    assert args.sandbox and args.json
    assert args.market == ["market_tm"]
    assert args.timeout == 7.0  # float ok: seconds
    assert args.currency == "EUR"


def test_market_adds_up_before_and_after_the_command_once_each() -> None:
    args = parse(["--market", "a", "balance", "--market", "b", "--market", "a"])
    assert args.market == ["a", "b"]


def test_a_later_value_wins_over_an_earlier_one() -> None:
    assert parse(["--timeout", "3", "balance", "--timeout", "9"]).timeout == 9.0


def test_names_and_options_may_be_mixed() -> None:
    args = parse(["compare", "A", "--json", "B", "--sandbox", "C"])
    assert args.names == ["A", "B", "C"] and args.json and args.sandbox


def test_names_come_from_at_files_file_options_and_stdin(tmp_path: Path) -> None:
    listed = tmp_path / "names.txt"
    listed.write_text(
        f"# my watch list\n\n  {REDLINE}  \nAWP | Asiimov (Field-Tested)\n   # indented note\n",
        encoding="utf-8",
    )
    more = tmp_path / "more.txt"
    more.write_text("Glock-18 | Fade (Factory New)\n" + REDLINE + "\n", encoding="utf-8")
    stdin = io.StringIO("M4A4 | Howl (Minimal Wear)\n\n")
    args = parse(["compare", "First", f"@{listed}", "--file", str(more), "-"], stdin=stdin)
    assert args.names == [
        "First",
        REDLINE,
        "AWP | Asiimov (Field-Tested)",
        "M4A4 | Howl (Minimal Wear)",
        "Glock-18 | Fade (Factory New)",
    ]


def test_file_dash_reads_stdin_for_arbitrage_too() -> None:
    args = parse(["arbitrage", "--file", "-"], stdin=io.StringIO(f"{REDLINE}\n"))
    assert args.names == [REDLINE]


def test_arbitrage_without_names_covers_every_item() -> None:
    assert parse(["arbitrage"]).names == []


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["compar", REDLINE], "unknown command 'compar'; did you mean \"compare\"?"),
        (["--jsn", "vendors"], 'unknown option --jsn; did you mean "--json"?'),
        (["balance", "--sandboks"], 'unknown option --sandboks; did you mean "--sandbox"?'),
        ([], "choose a command: vendors, compare"),
        (["compare", "--sandbox"], "no item names"),
        (["arbitrage", "--limit", "0"], "'0' is not a positive whole number"),
        (["--timeout", "0", "balance"], "'0' is not a number of seconds"),
        (["balance", "--timeout", "soon"], "'soon' is not a number of seconds"),
        (["balance", "--timeout", "inf"], "'inf' is not a number of seconds"),
        (["balance", "--timeout", "nan"], "'nan' is not a number of seconds"),
        (["compare", "X", "--currency", "dollars"], "'dollars' is not a currency code"),
        (["watch", "--kinds", "prices"], "unknown kind(s) prices"),
        (["compare", "@/no/such/file"], "cannot read names from /no/such/file"),
    ],
)
def test_misuse_is_one_line_saying_what_to_do_and_exit_2(
    capsys: pytest.CaptureFixture[str], fakes: Fakes, argv: list[str], expected: str
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert len(err.splitlines()) == 1, err
    assert err.startswith("error: ") and expected in err


def test_an_empty_names_file_is_an_error_not_the_whole_catalogue(
    capsys: pytest.CaptureFixture[str], fakes: Fakes, tmp_path: Path
) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing yet\n\n", encoding="utf-8")
    code, _, err = run(capsys, "arbitrage", "--sandbox", "--file", str(empty))
    assert code == 2
    assert f"no item names in {empty}" in err
    assert not fakes.asked("arbitrage")


def test_an_unknown_market_suggests_the_closest_one(
    capsys: pytest.CaptureFixture[str], fakes: Fakes
) -> None:
    code, _, err = run(capsys, "balance", "--sandbox", "--market", "market-tm")
    assert code == 2
    assert err == (
        'error: no market named "market-tm" in the sandbox; did you mean "market_tm"? '
        "(markets: market_tm, mannco)\n"
    )


def test_market_restricts_what_is_asked(capsys: pytest.CaptureFixture[str], fakes: Fakes) -> None:
    code, out, _ = run(capsys, "--market", "mannco", "balance", "--sandbox")
    assert code == 0
    assert "mannco" in out and "market_tm" not in out


def test_version_prints_and_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("skinmarkets ")


def _readme_commands() -> list[list[str]]:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Command line") :]
    block = section[
        section.index("```bash\n") + 8 : section.index("```", section.index("```bash") + 7)
    ]
    return [shlex.split(line, comments=True) for line in block.splitlines() if line.strip()]


@pytest.mark.parametrize("argv", _readme_commands(), ids=lambda argv: " ".join(argv[1:3]))
def test_every_command_in_the_readme_parses(
    argv: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "watchlist.txt").write_text(f"{REDLINE}\n", encoding="utf-8")
    assert argv[0] == "skinmarkets"
    args = parse(argv[1:])
    assert args.command in ("vendors", "compare", "arbitrage", "balance", "trades")

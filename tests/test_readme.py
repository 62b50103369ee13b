"""README.md opens with the set-up commands, and .ci/run runs exactly its test command."""

from __future__ import annotations

import re
import shlex
from decimal import ROUND_DOWN
from pathlib import Path

import pytest

from skinmarkets import Money, Rates
from skinmarkets.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _setup_commands() -> list[str]:
    block = re.search(r"```bash\n(.*?)```", README, re.S)
    assert block is not None, "README.md must open with a bash block of set-up commands"
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_readme_opens_with_two_setup_commands() -> None:
    first_block = README.index("```bash")
    assert README.index("\n## ") > first_block, "the set-up block must come before any section"
    assert len(_setup_commands()) == 2


def test_first_setup_command_installs_and_compares_in_the_sandbox(
    capsys: pytest.CaptureFixture[str],
) -> None:
    install, _, run = _setup_commands()[0].partition(" && ")
    assert "pip install" in install
    argv = shlex.split(run)
    assert argv[:3] == ["skinmarkets", "compare", "--sandbox"]

    assert main(argv[1:]) == 0
    out = capsys.readouterr().out
    assert "AK-47 | Redline (Field-Tested)" in out
    assert "market_tm" in out and "swapgg" in out and "skinsback" in out


def test_second_setup_command_installs_and_runs_the_tests() -> None:
    system, install, test = _setup_commands()[1].split(" && ")
    assert system == "sh .ci/system-deps"  # redis-server for the store tests
    assert "pip install" in install and '".[dev]"' in install
    assert test.startswith("python -m pytest")


def test_ci_runs_exactly_the_readme_set_up_and_test_commands() -> None:
    system, _, test_command = _setup_commands()[1].split(" && ")
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert system in ci_lines
    assert test_command in ci_lines


def test_readme_money_examples_hold() -> None:
    assert str(Money.from_minor(3573, "USD", scale=1000)) == "3.573 USD"
    assert Money("3.5739", "USD").to_minor(scale=1000, rounding=ROUND_DOWN) == 3573
    assert Money("3.573", "USD").convert("EUR", Rates({"EUR": "0.92"})) == Money("3.28716", "EUR")
    with pytest.raises(TypeError):
        Money(3.573, "USD")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="not a whole number"):
        Money("3.5739", "USD").to_minor(scale=1000)


def test_readme_sandbox_example_runs_as_written() -> None:
    section = README[README.index("## Paper trading with the sandbox") :]
    block = re.search(r"```python\n(.*?)```", section, re.S)
    assert block is not None
    code = block.group(1)
    assert "sb.sell_to_buyer" in code  # the block this test is about
    namespace: dict[str, object] = {}
    exec(compile(code, "README.md (sandbox example)", "exec"), namespace)  # noqa: S102
    sold = namespace["mine"]
    assert getattr(sold, "market", None) == "mannco"


def test_readme_sandbox_realtime_example_runs_as_written(
    capsys: pytest.CaptureFixture[str],
) -> None:
    section = README[README.index("### Realtime in the sandbox") :]
    block = re.search(r"```python\n(.*?)```", section, re.S)
    assert block is not None and "events()" in block.group(1)
    exec(compile(block.group(1), "README.md (sandbox realtime)", "exec"), {})  # noqa: S102
    printed = capsys.readouterr().out
    assert "PurchaseUpdated" in printed and "BalanceChanged" in printed

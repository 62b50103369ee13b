"""Every code block of README.md is complete on its own and checked as a user would use it.

Every ```python block carries a marker on the line just before it (an HTML comment, invisible
once rendered), and a block without one fails :func:`test_every_python_block_is_classified`:

- ``<!-- snippet: run -->``: runs offline (the built-in sandbox, or no market at all). It is
  run as a script in a subprocess, in a scratch home, and must leave that home untouched. A
  top-level statement whose comment names an exception (``Money(3.573, "USD")  # TypeError:
  …``) must raise that exception; every other statement must not raise.
- ``<!-- snippet: type-check only; <why it cannot run here> -->``: needs a real vendor account,
  an environment variable or a server.

Every block, run or not, is compiled and type-checked as a user's own file: ``mypy --strict``
(and pyright, strict, where it is installed) over all blocks at once, from a scratch directory
outside the checkout, so that ``skinmarkets`` is found through the install. ```bash blocks:
every ``skinmarkets …`` command parses; ```toml blocks parse (a config loads).
"""

from __future__ import annotations

import ast
import builtins
import io
import json
import os
import re
import shlex
import subprocess
import sys
import tokenize
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest

from skinmarkets import errors
from skinmarkets.cli._args import parse
from skinmarkets.config import load_config

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
SAMPLE = ROOT / "examples" / "skinsback_webhook_sample.json"
TIMEOUT = 120  # seconds one snippet or one type checker may take before the test fails

MARKER = re.compile(r"<!-- snippet: (?:(?P<run>run)|type-check only; (?P<why>\S.*?)) -->")
FENCE = re.compile(r"^```(?P<lang>[\w-]*)\n(?P<code>.*?)^```[ \t]*$", re.S | re.M)


class Block(NamedTuple):
    """One fenced code block of README.md."""

    lang: str
    line: int  # of the opening fence
    code: str
    marker: str  # the line just before the fence

    @property
    def runs(self) -> bool:
        found = MARKER.fullmatch(self.marker)
        return found is not None and found["run"] is not None

    @property
    def file_name(self) -> str:
        return f"readme_line_{self.line:04d}.py"


def _blocks(*langs: str) -> list[Block]:
    found = []
    for match in FENCE.finditer(README):
        if match["lang"] not in langs:
            continue
        before = README[: match.start()].rstrip("\n").rpartition("\n")[2]
        line = README.count("\n", 0, match.start()) + 1
        found.append(Block(match["lang"], line, match["code"], before.strip()))
    return found


PYTHON = _blocks("python")
RUN = [block for block in PYTHON if block.runs]


def _block_id(block: Block) -> str:
    return f"README.md:{block.line}"


def test_the_readme_has_python_blocks_of_both_kinds() -> None:
    # guards the fence pattern: a README whose blocks all went unseen would check nothing
    assert len(PYTHON) >= 10
    assert RUN and len(RUN) < len(PYTHON)


def test_every_python_block_is_classified() -> None:
    unclassified = [
        f"README.md:{block.line} (the line before it: {block.marker!r})"
        for block in PYTHON
        if MARKER.fullmatch(block.marker) is None
    ]
    assert not unclassified, (
        "put <!-- snippet: run --> or <!-- snippet: type-check only; <why> --> on the line just "
        "before each ```python block: " + "; ".join(unclassified)
    )


@pytest.mark.parametrize("block", PYTHON, ids=_block_id)
def test_every_python_block_compiles(block: Block) -> None:
    compile(block.code, _block_id(block), "exec")


# ---------------------------------------------------------------------- type checking


@pytest.fixture(scope="module")
def snippets(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every python block as a file of its own, in a directory outside the checkout."""
    folder = tmp_path_factory.mktemp("readme_snippets")
    for block in PYTHON:
        (folder / block.file_name).write_text(block.code, encoding="utf-8")
    return folder


def _tool_env(home: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_CACHE_HOME": str(home / "cache"),
        "PYRIGHT_PYTHON_IGNORE_WARNINGS": "1",  # no look for a newer pyright over the network
    }
    env.pop("PYTHONPATH", None)  # the install, not a path to the checkout
    env.pop("MYPYPATH", None)
    return env


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run this interpreter with ``args``; killed if it outlives ``TIMEOUT``."""
    process = subprocess.Popen(  # noqa: S603 - our interpreter, a type checker or our runner
        [sys.executable, *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        out, err = process.communicate(timeout=TIMEOUT)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def _run_tool(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return _run(args, cwd, _tool_env(cwd))


def _the_install_is_this_checkout(cwd: Path) -> None:
    done = _run_tool(["-c", "import skinmarkets; print(skinmarkets.__file__)"], cwd=cwd)
    found = done.stdout.strip()
    assert done.returncode == 0 and Path(found).parent == ROOT / "skinmarkets", (
        "outside the checkout, skinmarkets is not this checkout's "
        f"({found or done.stderr.strip().splitlines()[-1]}): type checkers would check the README "
        'against something else; install it with python -m pip install -e ".[dev]"'
    )


def test_every_python_block_passes_mypy_strict_as_a_users_file(snippets: Path) -> None:
    pytest.importorskip("mypy")
    _the_install_is_this_checkout(snippets)
    done = _run_tool(["-m", "mypy", "--strict", "--python-version", "3.11", "."], cwd=snippets)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"no issues found in {len(PYTHON)} source files" in done.stdout


def test_every_python_block_passes_pyright_strict_as_a_users_file(snippets: Path) -> None:
    pytest.importorskip("pyright")  # in the dev extra; it brings its own node (pyright[nodejs])
    _the_install_is_this_checkout(snippets)
    config = {
        "typeCheckingMode": "strict",
        # The README shows values REPL-style: `market.name   # 'market_tm:cs2'`.
        "reportUnusedExpression": False,
    }
    (snippets / "pyrightconfig.json").write_text(json.dumps(config), encoding="utf-8")
    done = _run_tool(
        ["-m", "pyright", "--pythonpath", sys.executable, "--outputjson", "."],
        cwd=snippets,
    )
    report = json.loads(done.stdout)  # --outputjson: no version check over the network either
    problems = [
        f"{Path(d['file']).name}:{d['range']['start']['line'] + 1}: {d['message']}"
        for d in report["generalDiagnostics"]
    ]
    assert report["summary"]["filesAnalyzed"] == len(PYTHON)
    assert not problems and done.returncode == 0, "\n".join(problems) or done.stderr


# ---------------------------------------------------------------------- running


def _exception_named(name: str) -> type[BaseException] | None:
    found = getattr(builtins, name, None) or getattr(errors, name, None)
    return found if isinstance(found, type) and issubclass(found, BaseException) else None


def _expected_exceptions(source: str) -> dict[int, type[BaseException]]:
    """Line -> the exception its comment says the statement raises (``# TypeError: …``)."""
    expected = {}
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type != tokenize.COMMENT:
            continue
        for name in re.findall(r"#\s*([A-Z]\w*):", token.string):
            exception = _exception_named(name)
            if exception is not None:
                expected[token.start[0]] = exception
    return expected


def run_snippet(path: str) -> None:
    """Run one README block as a script, statement by statement (the subprocess's entry)."""
    source = Path(path).read_text(encoding="utf-8")
    expected = _expected_exceptions(source)
    unchecked = set(expected)
    namespace: dict[str, object] = {"__name__": "__main__"}
    for statement in ast.parse(source, path).body:
        code = compile(ast.Module([statement], type_ignores=[]), path, "exec")
        lines = range(statement.lineno, (statement.end_lineno or statement.lineno) + 1)
        raises = [expected[n] for n in lines if n in expected]
        if not raises or hasattr(statement, "body"):  # a compound statement: not checkable
            exec(code, namespace)  # noqa: S102 - the README's own code
            continue
        unchecked.difference_update(lines)
        try:
            exec(code, namespace)  # noqa: S102
        except raises[0]:
            continue
        raise AssertionError(f"line {statement.lineno}: {raises[0].__name__} was not raised")
    if unchecked:
        raise AssertionError(
            f"lines {sorted(unchecked)} say they raise, but only a top-level statement of its "
            "own can be checked"
        )


@pytest.fixture
def scratch_home(tmp_path: Path) -> Iterator[Path]:
    """An empty home; the test fails if a snippet wrote anything into it."""
    home = tmp_path / "home"
    home.mkdir()
    yield home
    left = sorted(str(p.relative_to(home)) for p in home.rglob("*"))
    assert not left, f"a sandbox snippet wrote into the home directory: {left}"


@pytest.mark.parametrize("block", RUN, ids=_block_id)
def test_every_run_block_runs_offline(block: Block, tmp_path: Path, scratch_home: Path) -> None:
    script = tmp_path / block.file_name
    script.write_text(block.code, encoding="utf-8")
    env = {
        **os.environ,
        "HOME": str(scratch_home),
        "XDG_STATE_HOME": str(scratch_home / ".local" / "state"),
        "XDG_CONFIG_HOME": str(scratch_home / ".config"),
        "XDG_CACHE_HOME": str(scratch_home / ".cache"),
        "XDG_DATA_HOME": str(scratch_home / ".local" / "share"),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    for name in ("SKINMARKETS_STORE", "SKINMARKETS_CONFIG"):  # as on a fresh machine
        env.pop(name, None)
    runner = "import sys; from tests.test_readme_snippets import run_snippet as r; r(sys.argv[1])"
    done = _run(["-c", runner, str(script)], cwd=tmp_path, env=env)
    assert done.returncode == 0, f"README.md:{block.line} failed:\n{done.stdout}\n{done.stderr}"


def test_a_statement_that_says_it_raises_must_raise(tmp_path: Path) -> None:
    script = tmp_path / "snippet.py"
    script.write_text('from skinmarkets import Money\nMoney("1", "USD")  # TypeError: …\n')
    with pytest.raises(AssertionError, match="line 2: TypeError was not raised"):
        run_snippet(str(script))


def test_a_statement_that_raises_without_saying_so_fails(tmp_path: Path) -> None:
    script = tmp_path / "snippet.py"
    script.write_text('from skinmarkets import Money\nMoney(1.5, "USD")  # Money: exact\n')
    with pytest.raises(TypeError):
        run_snippet(str(script))


def test_a_raises_comment_inside_a_block_cannot_pass_unchecked(tmp_path: Path) -> None:
    script = tmp_path / "snippet.py"
    script.write_text('if True:\n    int("1")  # ValueError: never raised\n')
    with pytest.raises(AssertionError, match="only a top-level statement"):
        run_snippet(str(script))


# ---------------------------------------------------------------------- the webhook handler


def test_the_webhook_block_accepts_the_signed_sample_and_refuses_a_tampered_copy(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (block,) = [b for b in PYTHON if "def on_webhook(" in b.code]
    sample = json.loads(SAMPLE.read_text(encoding="utf-8"))
    monkeypatch.setenv("SKINSBACK_CLIENT_SECRET", sample["client_secret"])
    namespace: dict[str, object] = {}
    exec(compile(block.code, _block_id(block), "exec"), namespace)  # noqa: S102
    on_webhook = namespace["on_webhook"]
    assert callable(on_webhook)

    first = sample["deliveries"][0]
    answers = [on_webhook(d["body"].encode(), d["headers"]) for d in sample["deliveries"]]
    tampered = on_webhook(first["body"].replace("65", "66").encode(), first["headers"])

    assert answers == [200] * len(sample["deliveries"]) and tampered == 403
    assert "PurchaseEvent(" in capsys.readouterr().out


# ---------------------------------------------------------------------- shell and toml blocks


def _commands() -> list[list[str]]:
    found = []
    for block in _blocks("bash", "sh", "shell", "console"):
        for line in block.code.splitlines():
            words = shlex.split(line, comments=True)
            command: list[str] = []
            for word in [*words, "&&"]:
                if word in {"&&", "||", "|", ";"}:
                    if command[:1] == ["skinmarkets"]:
                        found.append(command)
                    command = []
                else:
                    command.append(word)
    return found


COMMANDS = _commands()


def test_the_readme_shows_skinmarkets_commands() -> None:
    assert len(COMMANDS) >= 5  # the set-up line and "## Command line"


@pytest.mark.parametrize("argv", COMMANDS, ids=" ".join)
def test_every_skinmarkets_command_in_the_readme_parses(
    argv: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for word in argv:  # @FILE arguments: a file of names, as the reader would have
        if word.startswith("@"):
            (tmp_path / word[1:]).write_text("AK-47 | Redline (Field-Tested)\n", encoding="utf-8")
    args = parse(argv[1:], stdin=io.StringIO(""))
    assert args.command == next(word for word in argv[1:] if not word.startswith("-"))


@pytest.mark.parametrize("block", _blocks("toml"), ids=_block_id)
def test_every_toml_block_parses(block: Block, tmp_path: Path) -> None:
    document = tomllib.loads(block.code)
    if "markets" in document:  # a skinmarkets.toml: it loads, credentials from the environment
        path = tmp_path / "skinmarkets.toml"
        path.write_text(block.code, encoding="utf-8")
        path.chmod(0o600)
        config = load_config(path, environ={"TM_KEY": "k" * 20})
        assert [(m.name, m.vendor) for m in config.markets] == [("tm", "market_tm")]

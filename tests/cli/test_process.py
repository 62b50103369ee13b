"""The console script as a user runs it: a separate process (``python -m skinmarkets``, what the
``skinmarkets`` script calls), its exit codes, JSON, a closed pipe and Ctrl-C.

Every process runs in an empty folder with its own HOME and config folders, has a timeout, and
is killed at teardown if it is still running. The markets are the sandbox (``--sandbox``, in the
child) or, for Ctrl-C and ``--timeout``, a config file naming a sandbox started here and a
127.0.0.1 server that accepts connections and never answers.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import skinmarkets as sm
from tests.cli.conftest import REDLINE, write_config

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
DEADLINE = 60  # float ok: seconds any one process may run


def strict_json(text: str) -> Any:
    def no_float(value: str) -> Decimal:
        raise AssertionError(f"a JSON float in the output: {value}")

    return json.loads(text, parse_float=no_float)


@pytest.fixture
def environ(tmp_path: Path) -> dict[str, str]:
    """The child's environment: this checkout importable, nothing of the real home."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("SKINMARKETS_") and not k.lower().endswith("_proxy")
    }
    env.pop("COLUMNS", None)
    env.update(
        PYTHONPATH=str(ROOT),
        HOME=str(tmp_path / "home"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_STATE_HOME=str(tmp_path / "state"),
        SKINMARKETS_STORE="memory",
        PYTHONUNBUFFERED="1",
    )
    return env


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    folder = tmp_path / "work"
    folder.mkdir()
    return folder


@pytest.fixture
def start(environ: dict[str, str], workdir: Path) -> Iterator[Callable[..., subprocess.Popen[str]]]:
    """Start ``python -m skinmarkets ARGS``; every process still running at teardown is killed."""
    started: list[subprocess.Popen[str]] = []

    def run(*argv: str, **kwargs: Any) -> subprocess.Popen[str]:
        kwargs.setdefault("stdout", subprocess.PIPE)
        kwargs.setdefault("stderr", subprocess.PIPE)
        process = subprocess.Popen(  # noqa: S603 - our own interpreter, fixed arguments
            [sys.executable, "-m", "skinmarkets", *argv],
            cwd=workdir,
            env=environ,
            text=True,
            **kwargs,
        )
        started.append(process)
        return process

    yield run
    for process in started:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=DEADLINE)


def finished(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=DEADLINE)
    assert "Traceback" not in err, err
    return process.returncode, out, err


@pytest.mark.parametrize(
    "argv",
    [
        ["--sandbox", "--json", "compare", REDLINE],
        ["compare", REDLINE, "--sandbox", "--json"],
        ["--json", "compare", "--sandbox", REDLINE],
    ],
    ids=["before", "after", "split"],
)
def test_global_options_work_before_or_after_the_command(
    start: Callable[..., subprocess.Popen[str]], argv: list[str]
) -> None:
    code, out, _ = finished(start(*argv))
    assert code == 0
    data = strict_json(out)
    assert set(data["result"]["rows"][REDLINE]) == {"market_tm", "swapgg", "skinsback", "mannco"}


@pytest.mark.parametrize(
    "argv",
    [
        ["vendors"],
        ["compare", REDLINE, "ak-47 | redline (field-tested)"],
        ["arbitrage", "--limit", "3"],
        ["balance"],
        ["trades"],
    ],
)
def test_every_command_prints_one_json_envelope_without_floats(
    start: Callable[..., subprocess.Popen[str]], argv: list[str]
) -> None:
    code, out, _ = finished(start("--sandbox", "--json", *argv))
    assert code == 0
    data = strict_json(out)
    assert set(data) == {"result", "failures", "skipped"}
    if argv[0] == "compare":
        swapgg = data["result"]["rows"][REDLINE]["swapgg"]  # EUR converted to USD
        assert swapgg["lowest_ask"]["amount"] == "14.02"
        assert data["result"]["suggestions"] == {
            "ak-47 | redline (field-tested)": "AK-47 | Redline (Field-Tested)"
        }
    if argv[0] == "arbitrage":
        assert data["skipped"]["mannco"].startswith("no whole price list")


def test_a_usage_error_is_one_line_and_exit_2(
    start: Callable[..., subprocess.Popen[str]],
) -> None:
    code, out, err = finished(start("--sandbox", "compar", REDLINE))
    assert code == 2
    assert out == ""
    assert err == (
        "error: unknown command 'compar'; did you mean \"compare\"? (commands: vendors, compare, "
        "arbitrage, balance, trades, watch, listings, buy, sell, withdraw, history, inventory, "
        "sandbox) (see: skinmarkets --help)\n"
    )


def test_names_come_from_stdin(start: Callable[..., subprocess.Popen[str]]) -> None:
    process = start("--sandbox", "--json", "compare", "-", stdin=subprocess.PIPE)
    out, err = process.communicate(f"# wanted\n{REDLINE}\n\n", timeout=DEADLINE)
    assert process.returncode == 0, err
    assert list(strict_json(out)["result"]["rows"]) == [REDLINE]


def test_a_closed_stdout_ends_quietly_with_exit_0(
    start: Callable[..., subprocess.Popen[str]],
) -> None:
    read, write = os.pipe()
    os.close(read)  # the reader is gone before anything is written, as with `| true`
    try:
        process = start("vendors", "--json", stdout=write)
    finally:
        os.close(write)
    code, _, err = finished(process)
    assert code == 0
    assert err == ""


# ---------------------------------------------------------------- paper trading across processes


def _listings(start: Callable[..., subprocess.Popen[str]], market: str, n: int) -> list[Any]:
    code, out, err = finished(
        start("--sandbox", "--json", "listings", REDLINE, "--market", market, "--limit", str(n))
    )
    assert code == 0, err
    found: list[Any] = strict_json(out)["result"][market]
    return found


def _buy(listing: Any, *extra: str) -> list[str]:
    return ["--sandbox", "buy", listing["id"], "--market", "market_tm", "--name", REDLINE, *extra]


def _available(start: Callable[..., subprocess.Popen[str]]) -> str:
    code, out, _ = finished(start("--sandbox", "--json", "balance", "--market", "market_tm"))
    assert code == 0
    amount: str = strict_json(out)["result"]["market_tm"]["available"]["amount"]
    return amount


def test_paper_trading_spans_processes_until_reset(
    start: Callable[..., subprocess.Popen[str]], tmp_path: Path
) -> None:
    (listing,) = _listings(start, "market_tm", 1)
    state = tmp_path / "state" / "skinmarkets" / "sandbox.json"
    assert not state.exists()  # reading commands save nothing

    argv = _buy(listing, "--max-price", "12.50", "--custom-id", "proc-1", "--yes", "--json")
    code, out, err = finished(start(*argv, stdin=subprocess.DEVNULL))
    assert code == 0, err
    assert strict_json(out)["result"]["outcome"] == "bought"
    assert state.is_file()

    code, out, _ = finished(start("--sandbox", "--json", "history", "--since", "1"))
    assert code == 0
    (entry,) = strict_json(out)["result"]["market_tm"]
    assert (entry["custom_id"], entry["price"]["amount"]) == ("proc-1", "12.030")
    assert _available(start) == "487.97"
    assert listing["id"] not in [x["id"] for x in _listings(start, "market_tm", 50)]

    code, out, _ = finished(start("sandbox", "reset"))
    assert code == 0 and "deleted" in out
    assert not state.exists()
    assert _available(start) == "500.00"


def test_buy_without_a_terminal_or_yes_refuses_with_exit_2(
    start: Callable[..., subprocess.Popen[str]], tmp_path: Path
) -> None:
    argv = ["--sandbox", "buy", "700000001", "--market", "market_tm", "--name", REDLINE]
    code, out, err = finished(start(*argv, "--max-price", "20", stdin=subprocess.DEVNULL))
    assert code == 2
    assert out == ""
    assert err == (
        "error: buy asks for confirmation, and stdin is not a terminal: nothing was done; "
        "add --yes to buy without asking\n"
    )
    assert not (tmp_path / "state" / "skinmarkets").exists()


def test_two_purchases_at_once_are_both_kept(
    start: Callable[..., subprocess.Popen[str]],
) -> None:
    first, second = _listings(start, "market_tm", 2)
    processes = [
        start(*_buy(listing, "--max-price", "13", "--yes"), stdin=subprocess.DEVNULL)
        for listing in (first, second)
    ]
    for process in processes:
        code, _, err = finished(process)
        assert code == 0, err
    paid = Decimal(first["price"]["amount"]) + Decimal(second["price"]["amount"])
    assert Decimal(_available(start)) == Decimal("500.00") - paid  # neither save lost the other


# ---------------------------------------------------------------- Ctrl-C and --timeout


class Silent:
    """A 127.0.0.1 server that accepts every connection and never answers."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.accepted: queue.Queue[socket.socket] = queue.Queue()
        self.connected = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            self.accepted.put(connection)
            self.connected.set()

    def close(self) -> None:
        self.server.close()
        while not self.accepted.empty():
            self.accepted.get().close()


@pytest.fixture
def silent() -> Iterator[Silent]:
    server = Silent()
    yield server
    server.close()


@pytest.fixture
def sandbox() -> Iterator[Any]:
    with sm.sandbox() as sb:
        yield sb


@pytest.fixture
def stuck_config(workdir: Path, environ: dict[str, str], silent: Silent, sandbox: Any) -> Path:
    """./skinmarkets.toml: "stuck" (market_tm at the silent server) and "swapgg" (the sandbox)."""
    environ["STUCK_KEY"] = "stuck-key-0123456789"
    environ["SWAPGG_KEY"] = sandbox.credentials("swapgg")["api_key"]
    return write_config(
        workdir / "skinmarkets.toml",
        f"""store = "memory"
[rates]
base = "USD"
EUR = "0.92"

[[markets]]
name = "stuck"
vendor = "market_tm"
api_key_env = "STUCK_KEY"
base_url = "http://127.0.0.1:{silent.port}"

[[markets]]
name = "swapgg"
vendor = "swapgg"
api_key_env = "SWAPGG_KEY"
base_url = "{sandbox.base_url("swapgg")}"
""",
    )


def _lines(stream: Any) -> queue.Queue[str]:
    """Every line ``stream`` gives, as it comes."""
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        for line in stream:
            lines.put(line)
        lines.put("")

    threading.Thread(target=read, daemon=True).start()
    return lines


def _wait_for(lines: queue.Queue[str], text: str, seen: list[str]) -> None:
    ends = time.monotonic() + DEADLINE
    while time.monotonic() < ends:
        line = lines.get(timeout=ends - time.monotonic())
        seen.append(line)
        if text in line:
            return
        assert line, f"ended before {text!r}: {''.join(seen)}"
    raise AssertionError(f"no {text!r} within {DEADLINE} s: {''.join(seen)}")


@pytest.mark.parametrize("command", [["compare", REDLINE], ["balance"]])
def test_ctrl_c_ends_within_a_second_prints_what_arrived_and_exits_130(
    start: Callable[..., subprocess.Popen[str]],
    stuck_config: Path,
    silent: Silent,
    command: list[str],
) -> None:
    process = start(*command)
    assert process.stderr is not None
    lines = _lines(process.stderr)
    seen: list[str] = []
    _wait_for(lines, "swapgg: done in", seen)  # one market has answered
    assert silent.connected.wait(DEADLINE)  # the other is stuck in a read
    process.send_signal(signal.SIGINT)
    sent = time.monotonic()
    process.wait(timeout=DEADLINE)
    took = time.monotonic() - sent
    assert process.stdout is not None
    out = process.stdout.read()
    rest = "".join(iter(lambda: lines.get(timeout=DEADLINE), ""))
    err = "".join(seen) + rest
    assert took < 1.0, f"took {took:.2f} s"
    assert process.returncode == 130
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert "swapgg" in out  # what had arrived
    assert "failed stuck: interrupted before it answered" in err


def test_timeout_gives_up_on_a_silent_market_and_exits_1(
    start: Callable[..., subprocess.Popen[str]], stuck_config: Path
) -> None:
    began = time.monotonic()
    code, out, _ = finished(start("--timeout", "1", "--json", "compare", REDLINE))
    took = time.monotonic() - began
    assert code == 1
    data = strict_json(out)
    assert data["failures"] == {"stuck": "no answer within 1.0 s (--timeout)"}
    assert set(data["result"]["rows"][REDLINE]) == {"swapgg"}
    assert took < DEADLINE / 4, f"took {took:.1f} s"


def test_a_second_ctrl_c_is_no_traceback_either(
    start: Callable[..., subprocess.Popen[str]], stuck_config: Path, silent: Silent
) -> None:
    process = start("balance", "--market", "stuck")
    assert process.stderr is not None
    lines = _lines(process.stderr)
    assert silent.connected.wait(DEADLINE)
    process.send_signal(signal.SIGINT)
    process.send_signal(signal.SIGINT)
    process.wait(timeout=DEADLINE)
    err = "".join(iter(lambda: lines.get(timeout=DEADLINE), ""))
    assert process.returncode == 130
    assert "Traceback" not in err

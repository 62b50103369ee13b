"""The examples in ``examples/`` run as a user runs them (subprocesses against the sandbox, or
the webhook sample replayed on 127.0.0.1) and say what happened.

They are type-checked by ``.ci/run`` (``mypy --strict`` from inside ``examples/``, so that the
installed package is what mypy sees).
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from types import ModuleType

import pytest

import skinmarkets as sm
from skinmarkets.vendors.skinsback import PurchaseEvent, parse_event, verify_event_signature
from tests.proxy_support import closed_port

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SAMPLE = EXAMPLES / "skinsback_webhook_sample.json"
TIMEOUT = 120  # seconds one example may take before the test fails (and kills it)

Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def run(tmp_path: Path) -> Iterator[Run]:
    """Run an example with this interpreter, in a scratch home; killed if still running."""
    started: list[subprocess.Popen[str]] = []
    env = {
        **os.environ,
        "HOME": str(tmp_path),  # never the real home
        "SKINMARKETS_STORE": "memory",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    env.pop("SKINSBACK_CLIENT_SECRET", None)
    env.pop("SKINMARKETS_CONFIG", None)

    def run_example(name: str, *args: str) -> subprocess.CompletedProcess[str]:
        process = subprocess.Popen(  # noqa: S603 - our interpreter, our example, fixed args
            [sys.executable, str(EXAMPLES / name), *args],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        started.append(process)
        out, err = process.communicate(timeout=TIMEOUT)
        return subprocess.CompletedProcess(process.args, process.returncode, out, err)

    yield run_example
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name.removesuffix(".py"), EXAMPLES / name)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ---------------------------------------------------------------------- arbitrage_bot.py


def test_the_arbitrage_bot_buys_the_best_opportunity_in_the_sandbox(run: Run) -> None:
    done = run("arbitrage_bot.py", "--sandbox")

    assert done.returncode == 0, done.stderr
    assert "best: buy AWP | Asiimov (Field-Tested) on market_tm" in done.stdout
    assert "bought AWP | Asiimov (Field-Tested) on market_tm:cs2 for" in done.stdout
    assert "custom_id arb-" in done.stdout


def test_the_arbitrage_bot_says_when_there_is_no_opportunity(run: Run) -> None:
    done = run("arbitrage_bot.py", "--sandbox", "--min-profit", "0.5")

    assert done.returncode == 0, done.stderr
    assert "no opportunity above 50% on mannco, market_tm, skinsback, swapgg" in done.stdout
    assert "bought" not in done.stdout


def test_the_arbitrage_bot_tells_markets_down_from_no_opportunity(
    capsys: pytest.CaptureFixture[str],
) -> None:
    bot = _load("arbitrage_bot.py")
    with closed_port() as port:
        down = {
            vendor: sm.connect(
                vendor, api_key="k" * 20, base_url=f"http://127.0.0.1:{port}", max_retries=0
            )
            for vendor in ("market_tm", "swapgg")
        }
        code = bot.trade_once(down, Decimal("0.05"))

    assert code == 1
    out = capsys.readouterr().out
    assert out.startswith("markets down, nothing is known:")
    assert "no opportunity" not in out


# ---------------------------------------------------------------------- realtime_watcher.py


def test_the_realtime_watcher_prints_the_sandbox_events(run: Run) -> None:
    pytest.importorskip("websocket")
    done = run("realtime_watcher.py", "--sandbox", "--seconds", "4")

    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("StreamStatus(market='skinsback:cs2'")
    assert "state='connected'" in lines[0]
    assert any(line.startswith("bought, custom_id ") for line in lines)
    assert any(line.startswith("PurchaseUpdated(") for line in lines)
    assert any(line.startswith("BalanceChanged(") for line in lines)


# ---------------------------------------------------------------------- skinsback_webhook.py


def test_the_webhook_sample_is_signed_with_its_client_secret() -> None:
    sample = json.loads(SAMPLE.read_text(encoding="utf-8"))
    for delivery in sample["deliveries"]:
        body = delivery["body"].encode()
        assert verify_event_signature(
            body, delivery["headers"]["Signature"], sample["client_secret"]
        )
    first = parse_event(sample["deliveries"][0]["body"].encode())
    assert isinstance(first, PurchaseEvent)
    assert (first.buy_id, first.custom_id, str(first.price)) == ("65", "123456", "29.93 USD")


def test_the_webhook_receiver_accepts_the_signed_sample_and_refuses_a_tampered_copy(
    run: Run,
) -> None:
    done = run("skinsback_webhook.py", "--replay", str(SAMPLE))

    assert done.returncode == 0, done.stderr
    answers = [line for line in done.stdout.splitlines() if ": HTTP " in line]
    assert answers == [
        "delivery 1: HTTP 200",
        "delivery 2: HTTP 200",
        "delivery 3: HTTP 200",
        "a repeat of delivery 1: HTTP 200",
        "delivery 1 tampered with: HTTP 403",
    ]
    assert "event: purchase 65 of AK-47 | Safari Mesh (Minimal Wear): PENDING" in done.stdout
    assert "event: purchase 65: SENT (waiting_accept), offer 4176876858" in done.stdout
    assert "event: balance is now 100.50" in done.stdout
    assert "repeat, skipped: purchase 65" in done.stdout


def test_the_webhook_receiver_refuses_to_serve_without_a_client_secret(run: Run) -> None:
    done = run("skinsback_webhook.py", "--port", "0")

    assert done.returncode == 2
    assert "set SKINSBACK_CLIENT_SECRET" in done.stderr

"""One Market TM key in four processes: the store keeps them under 5 requests in any second.

Market TM deletes a key that sends more than 5 requests per second, and counts arrivals. Four
separate Python processes (``tests.integration.store_worker``), two threads each, call
``market.balance()`` with one key against a recording 127.0.0.1 stand-in; every process has its
own limiter object, so only the shared store keeps them in line. At the stand-in: never more
than 5 arrivals in any 1 s window, and the four together use at least 80 % of the allowed rate
(N arrivals within ``(N - 5) / 5 / 0.8`` s of the first). Without a shared store the same run
sees 20 in one second (issue 11).

Each store kind in turn: the default (an SQLite file in the user's state directory, here a
temporary HOME), a file path, an ``sqlite:///`` URL, and a real Redis server.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.integration.loopback import LoopbackServer, RecordedRequest, Reply, loopback
from tests.integration.store_support import (
    Worker,
    busiest_window,
    child_env,
    spawn,
    utilisation,
)
from tests.integration.test_rate_limit_loopback import assert_never_more_than_limit

pytestmark = pytest.mark.integration

__all__ = ["loopback"]  # the fixture, imported for pytest (the others: conftest.py)

LIMIT = 5  # requests in any WINDOW
WINDOW = 1.0  # float ok: seconds
MIN_USE = 0.8  # of the allowed rate, with several processes competing
PROCESSES = 4
THREADS = 2
CALLS = 6  # per thread: 4 x 2 x 6 = 48 arrivals, >= 8.6 s at 5/s
MONEY_PATH = "/api/v2/get-money"
MONEY = {"success": True, "money": 1.5, "currency": "USD"}

Start = Callable[[Callable[[RecordedRequest], Reply]], LoopbackServer]


def money_answer(request: RecordedRequest) -> Reply:
    return Reply.json(MONEY)


def run_four_processes(
    server: LoopbackServer,
    started: list[Worker],
    home: Path,
    api_key: str,
    store: str | None,
) -> list[float]:
    """Start the processes, release them together, return the stand-in's arrival times."""
    env = child_env(home)
    options: dict[str, object] = {"api_key": api_key, "base_url": server.url, "deadline": 10}
    if store is not None:
        options["store"] = store
    procs = [
        spawn(started, env, "market_tm", name=f"process-{i}", **options) for i in range(PROCESSES)
    ]
    for proc in procs:
        proc.ready(timeout=30)
    assert server.requests == [], "nothing is sent while connecting"
    command = {"op": "balance", "threads": THREADS, "calls": CALLS}
    for proc in procs:
        proc.send(command)
    total = PROCESSES * THREADS * CALLS
    budget = 10 + total / LIMIT / MIN_USE  # seconds: generous; the assertions judge the rate
    for proc in procs:
        answer = proc.read(timeout=budget)
        assert answer["event"] == "done", answer
        assert answer["failures"] == [], f"{proc.name}: {answer['failures']}"
        assert answer["calls"] == THREADS * CALLS
    for proc in procs:
        assert proc.finish() == 0, proc.stderr
    arrivals = server.arrivals(path=MONEY_PATH)
    assert len(arrivals) == total, f"{len(arrivals)} arrivals, expected {total}"
    return arrivals


def assert_uses_rate(arrivals: list[float]) -> None:
    used = utilisation(arrivals, LIMIT, WINDOW)
    took = max(arrivals) - min(arrivals)
    assert used >= MIN_USE, (
        f"{len(arrivals)} arrivals took {took:.2f} s: {used:.0%} of {LIMIT}/s used, "
        f"need >= {MIN_USE:.0%} (busiest window {busiest_window(arrivals)})"
    )


@pytest.mark.parametrize("form", ["path", "sqlite-url"])
def test_four_processes_share_an_sqlite_file(
    form: str, loopback: Start, workers: list[Worker], tmp_path: Path
) -> None:
    server = loopback(money_answer)
    file = tmp_path / "shared" / "s.sqlite3"
    file.parent.mkdir()
    store = str(file) if form == "path" else f"sqlite:///{file}"

    arrivals = run_four_processes(server, workers, tmp_path / "home", f"k-{form}", store)

    assert_never_more_than_limit(arrivals)
    assert_uses_rate(arrivals)
    assert file.is_file(), "the store is the file that was named"


def test_four_processes_share_the_default_store_in_the_state_directory(
    loopback: Start, workers: list[Worker], tmp_path: Path
) -> None:
    server = loopback(money_answer)
    home = tmp_path / "home"

    arrivals = run_four_processes(server, workers, home, "k-default", store=None)

    assert_never_more_than_limit(arrivals)
    assert_uses_rate(arrivals)
    # $XDG_STATE_HOME/skinmarkets/store.sqlite3, XDG_STATE_HOME being home/state in the children
    assert (home / "state" / "skinmarkets" / "store.sqlite3").is_file()


def test_four_processes_share_a_redis_store(
    loopback: Start, workers: list[Worker], tmp_path: Path, redis_url: str
) -> None:
    server = loopback(money_answer)

    arrivals = run_four_processes(server, workers, tmp_path / "home", "k-redis", redis_url)

    assert_never_more_than_limit(arrivals)
    assert_uses_rate(arrivals)
    # Nothing went to a file: the default store was not used instead of Redis.
    assert not (tmp_path / "home" / "state" / "skinmarkets").exists()


def test_without_a_shared_store_the_processes_would_break_the_limit(
    loopback: Start, workers: list[Worker], tmp_path: Path
) -> None:
    """The control: "memory" in each process is what issue 11 measured (20 in one second).

    It shows the stand-in and the workers can go faster than the limit, so the tests above
    pass because of the store, not because the processes were slow.
    """
    server = loopback(money_answer)
    env = child_env(tmp_path / "home")
    options = {"api_key": "k-memory", "base_url": server.url, "store": "memory"}
    procs = [spawn(workers, env, "market_tm", name=f"p{i}", **options) for i in range(2)]
    for proc in procs:
        proc.ready(timeout=30)
    for proc in procs:
        proc.send({"op": "balance", "threads": 1, "calls": LIMIT})
    for proc in procs:
        assert proc.read(timeout=30)["failures"] == []
    arrivals = server.arrivals(path=MONEY_PATH)
    assert len(arrivals) == 2 * LIMIT
    assert busiest_window(arrivals) > LIMIT, (
        f"2 processes x {LIMIT} calls with private stores: busiest window "
        f"{busiest_window(arrivals)}"
    )

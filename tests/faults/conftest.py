"""Fixtures of the fault suite: one proxy per module, a fresh sandbox per cell, the summary.

A fresh sandbox per cell because every write changes its state (the three copies of an item a
market lists run out after three buys, and a withdraw takes every held item). Starting one is
cheap; stopping one waits for its server's next 50 ms poll, so sandboxes are stopped in the
background and joined when the module ends. The proxy is only re-armed per cell. The suite-wide
``tests/conftest.py`` resets the shared rate limiters (and write journals) before every test, so
no cell waits on another's window.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

import skinmarkets as sm
from skinmarkets.sandbox import Sandbox
from tests.faults.proxy import FaultProxy
from tests.faults.verdicts import MATRIX


@pytest.fixture(scope="module")
def proxy() -> Iterator[FaultProxy]:
    """The fault proxy, started for the module and torn down with nothing left behind."""
    server = FaultProxy().start()
    try:
        yield server
    finally:
        server.close()
    assert not server.alive_threads, f"proxy threads still running: {server.alive_threads}"
    assert server.open_sockets == 0, f"{server.open_sockets} proxy sockets left open"


@pytest.fixture(scope="module")
def _stopping() -> Iterator[list[threading.Thread]]:
    """Sandboxes being stopped in the background; all joined (stopped) when the module ends."""
    threads: list[threading.Thread] = []
    yield threads
    for thread in threads:
        thread.join(timeout=10)
    assert not [t for t in threads if t.is_alive()], "a sandbox did not stop"


@pytest.fixture
def sb(_stopping: list[threading.Thread]) -> Iterator[Sandbox]:
    sandbox = sm.sandbox()
    try:
        yield sandbox
    finally:
        stopper = threading.Thread(target=sandbox.stop, name="sandbox-stop", daemon=True)
        stopper.start()
        _stopping.append(stopper)


@pytest.fixture(autouse=True)
def _journal_in_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the write journal in this process: custom ids are fixed per cell, and a journal
    persisted by an earlier run (the design's default store) would already know them."""
    monkeypatch.setenv("SKINMARKETS_STORE", "memory")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The fault matrix's totals, after every run that had cells (``-q`` included)."""
    lines = MATRIX.summary()
    if not lines:
        return
    terminalreporter.write_sep("=", "write fault matrix")
    for line in lines:
        terminalreporter.write_line(line)

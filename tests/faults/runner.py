"""Running one cell: connect the real adapter through the proxy, break the write, judge it.

Timing: reads and connects time out after 1 s, so a held answer costs a compliant client about
a second; ``deadline=`` (2 s, when ``connect`` takes it) bounds a trickling answer. A cell may
take ``CELL_BOUND`` seconds, more than any compliant client needs (deadline + lookups); the
proxy gives up on a trickle at ``DRIP_CAP`` and on a held answer at ``CELL_BOUND``, and notes
that the client sat through it, so a client without a deadline costs 3 s, not forever.

Each cell is set up (connect, the reads and writes that make the state the write starts from)
through a cell of its own with nothing broken, then the fault's cell is armed for the one call
under test: a set-up write on the same route (Mannco lists and reprices with one request) is
never taken for the write, and the fault never strikes the set-up.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

import skinmarkets as sm
from skinmarkets import errors
from skinmarkets.protocol import Marketplace
from skinmarkets.sandbox import Sandbox
from tests.faults.proxy import Cell, Fault, FaultProxy
from tests.faults.verdicts import (
    MATRIX,
    Finding,
    Outcome,
    describe,
    exposed_logs,
    judge,
    judge_batch_repeat,
    judge_repeat,
    mask,
)
from tests.faults.writes import Operation, WriteSpec, custom_id_for, custom_ids_sent

__all__ = ["CELL_BOUND", "DEADLINE", "DRIP_CAP", "run_batch_repeat", "run_repeat", "run_write"]

TIMEOUT = (1.0, 1.0)  # (connect, read) seconds
MAX_RETRIES = 2
DEADLINE = 2.0
CELL_BOUND = 5.0
DRIP_CAP = DEADLINE + 1.0
#: Credentials that are not secrets: the trade URL is the user's public trade link.
NOT_SECRET = frozenset({"trade_url"})


def connect_through(proxy: FaultProxy, sb: Sandbox, vendor: str) -> Marketplace:
    """The real adapter for ``vendor`` pointed at the proxy, with ``deadline=`` if it takes it."""
    options: dict[str, Any] = {
        "base_url": f"{proxy.url}/{vendor}",
        "timeout": TIMEOUT,
        "max_retries": MAX_RETRIES,
        **sb.credentials(vendor),
    }
    try:
        market = sm.connect(vendor, deadline=DEADLINE, **options)
    except (errors.ConfigurationError, TypeError):  # no deadline= yet: run without it
        MATRIX.deadline_accepted.add(False)
        return sm.connect(vendor, **options)
    MATRIX.deadline_accepted.add(True)
    return market


def secrets_of(sb: Sandbox, *cells: Cell) -> set[str]:
    """Every credential of the sandbox accounts, and the bearer tokens the client sent."""
    found = {
        value
        for vendor in sb.vendors
        for name, value in sb.credentials(vendor).items()
        if name not in NOT_SECRET
    }
    for cell in cells:
        found |= cell.tokens
    return {s for s in found if s}


def timed(call: Callable[[], object]) -> Outcome:
    started = time.monotonic()
    try:
        result = call()
    except Exception as exc:  # judged by the verdict: only SkinMarketsError may escape
        return Outcome(error=exc, elapsed=time.monotonic() - started)
    return Outcome(result=result, elapsed=time.monotonic() - started)


def _arm(proxy: FaultProxy, sb: Sandbox, spec: WriteSpec, fault: Fault | None) -> Cell:
    return proxy.begin(
        upstream=sb.url,
        is_write=spec.is_write,
        is_success=spec.is_success,
        fault=fault,
        hold_cap=CELL_BOUND,
        drip_cap=DRIP_CAP,
    )


def _close(market: Marketplace) -> None:
    close = getattr(market, "close", None)
    if callable(close):
        close()


@dataclass
class _Run:
    """One cell's adapter, its prepared write, and the sandbox state the write moves."""

    market: Marketplace
    operation: Operation
    custom_id: str
    setup: Cell  # the set-up's traffic (its tokens are secrets too)
    level: Decimal = Decimal(0)  # the probe's last reading

    def call(self, market: Marketplace | None = None) -> Outcome:
        return timed(lambda: self.operation.call(market or self.market))

    def moved(self) -> bool:
        """Whether the probed state moved the write's way since the last reading."""
        now = self.operation.probe()
        changed = self.operation.moved(self.level, now)
        self.level = now
        return changed

    def bought(self) -> dict[str, str | None] | None:
        """``buy_many``: each order's purchase in the sandbox now; None for other writes."""
        return self.operation.bought() if self.operation.bought is not None else None


def _setup(
    proxy: FaultProxy,
    sb: Sandbox,
    spec: WriteSpec,
    cell_id: str,
    group: str,
    caplog: pytest.LogCaptureFixture,
) -> _Run:
    """Connect and prepare the write through a set-up cell with nothing broken; a failure is
    the harness's. Arm the fault's cell afterwards."""
    caplog.set_level(logging.DEBUG, logger="skinmarkets")
    caplog.set_level(logging.DEBUG, logger="urllib3")
    setup = _arm(proxy, sb, spec, None)
    market = connect_through(proxy, sb, spec.vendor)
    custom_id = custom_id_for(cell_id)
    try:
        run = _Run(market, spec.prepare(sb, market, custom_id), custom_id, setup)
        run.level = run.operation.probe()
        proxy.finish(setup)
        if setup.problems:
            raise RuntimeError(f"the proxy failed during set-up: {setup.problems}")
    except Exception as exc:
        _close(market)
        finding = Finding("harness", f"setting the cell up failed: {type(exc).__name__}: {exc}")
        _verdict(cell_id, group, [finding], "no write was tried", secrets_of(sb, setup))
        raise  # not reached: _verdict fails the test
    return run


def _verdict(
    cell_id: str, group: str, findings: list[Finding], summary: str, secrets: set[str]
) -> None:
    MATRIX.add(cell_id, group, findings)
    if findings:
        pytest.fail(mask(f"{cell_id}: {summary}\n{describe(findings)}", secrets), pytrace=False)


def run_write(
    proxy: FaultProxy,
    sb: Sandbox,
    spec: WriteSpec,
    fault: Fault | None,
    cell_id: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """One cell: the write hit by ``fault`` (None: the control cell), judged; fails the test."""
    run = _setup(proxy, sb, spec, cell_id, spec.label, caplog)
    cell = _arm(proxy, sb, spec, fault)
    try:
        outcome = run.call()
        proxy.finish(cell)
        moved = run.moved()
        bought = run.bought()
    finally:
        _close(run.market)
    secrets = secrets_of(sb, run.setup, cell)
    findings = judge(
        spec,
        outcome,
        cell,
        moved=moved,
        custom_id=run.custom_id,
        secrets=secrets,
        logs=exposed_logs(caplog.records, caplog.text),
        bound=CELL_BOUND,
        bought=bought,
        refused=run.operation.refused,
    )
    summary = (
        f"done={cell.done}, write sent {len(cell.writes)}x / reached {len(cell.reached)}x; "
        f"caller got {outcome.describe()} in {outcome.elapsed:.2f} s"
    )
    _verdict(cell_id, spec.label, findings, summary, secrets)


def run_repeat(
    proxy: FaultProxy,
    sb: Sandbox,
    spec: WriteSpec,
    fault: Fault,
    cell_id: str,
    caplog: pytest.LogCaptureFixture,
    *,
    new_market: bool,
) -> None:
    """A buy hit by ``fault`` after the sandbox acted, then the same buy (same custom_id) again
    with nothing in the way, on the same market object or on a new one connected the same way:
    the second call must not send the write."""
    group = f"{spec.vendor}-rebuy" + ("_new_market" if new_market else "")
    run = _setup(proxy, sb, spec, cell_id, group, caplog)
    first_cell = _arm(proxy, sb, spec, fault)
    second_market = None
    try:
        first = run.call()
        proxy.finish(first_cell)
        moved_first = run.moved()
        second_cell = _arm(proxy, sb, spec, None)
        if new_market:
            second_market = connect_through(proxy, sb, spec.vendor)
        second = run.call(second_market)
        proxy.finish(second_cell)
        moved_second = run.moved()
    finally:
        _close(run.market)
        if second_market is not None:
            _close(second_market)
    secrets = secrets_of(sb, run.setup, first_cell, second_cell)
    findings = judge_repeat(
        spec,
        first,
        second,
        first_cell,
        second_cell,
        moved=(moved_first, moved_second),
        custom_id=run.custom_id,
        secrets=secrets,
        logs=exposed_logs(caplog.records, caplog.text),
        bound=CELL_BOUND,
    )
    summary = (
        f"1st call: done={first_cell.done}, caller got {first.describe()}; 2nd call"
        f"{' (new market object)' if new_market else ''}: write sent "
        f"{len(second_cell.writes)}x, caller got {second.describe()} in {second.elapsed:.2f} s"
    )
    _verdict(cell_id, group, findings, summary, secrets)


def run_batch_repeat(
    proxy: FaultProxy,
    sb: Sandbox,
    spec: WriteSpec,
    fault: Fault,
    cell_id: str,
    caplog: pytest.LogCaptureFixture,
    *,
    new_market: bool,
) -> None:
    """A ``buy_many`` hit by ``fault`` after the sandbox acted, then the same orders (same
    custom_ids) again with nothing in the way, on the same market object or a new one: the
    second call may send a batch only for the orders the first left refused."""
    group = f"{spec.vendor}-rebuy_many" + ("_new_market" if new_market else "")
    run = _setup(proxy, sb, spec, cell_id, group, caplog)
    first_cell = _arm(proxy, sb, spec, fault)
    second_market = None
    try:
        first = run.call()
        proxy.finish(first_cell)
        moved = run.moved()
        bought_first = run.bought() or {}
        second_cell = _arm(proxy, sb, spec, None)
        if new_market:
            second_market = connect_through(proxy, sb, spec.vendor)
        second = run.call(second_market)
        proxy.finish(second_cell)
        bought_second = run.bought() or {}
    finally:
        _close(run.market)
        if second_market is not None:
            _close(second_market)
    secrets = secrets_of(sb, run.setup, first_cell, second_cell)
    findings = judge_batch_repeat(
        first,
        second,
        first_cell,
        second_cell,
        moved=moved,
        bought=(bought_first, bought_second),
        refused=run.operation.refused,
        secrets=secrets,
        logs=exposed_logs(caplog.records, caplog.text),
        bound=CELL_BOUND,
    )
    resent = sorted(i for s in second_cell.writes for i in custom_ids_sent(s.body))
    summary = (
        f"1st call: done={first_cell.done}, caller got {first.describe()}; 2nd call"
        f"{' (new market object)' if new_market else ''}: sent {len(second_cell.writes)}x "
        f"(custom_ids {resent}), caller got {second.describe()} in {second.elapsed:.2f} s"
    )
    _verdict(cell_id, group, findings, summary, secrets)

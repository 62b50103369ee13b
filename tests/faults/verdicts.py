"""Judging one cell against what the sandbox really did, and the matrix totals of the run.

The proxy decides "done" (the sandbox's real answer to a forwarded write was the vendor's
success envelope), never the adapter. Against it, per DESIGN.md "Writes: one flow, never lost,
never twice":

- done     -> a well-formed result or ``OutcomeUnknown``; any other error is a LOST write;
- not done -> an error (``OutcomeUnknown`` included); a result is a PHANTOM;
- the write is sent at most once (DOUBLE otherwise), only ``SkinMarketsError`` escapes
  (FOREIGN), no credential shows anywhere the user can see it (LEAK), and the cell ends in
  bounded time without the proxy having to give up on the client (HANG).

A ``buy_many`` batch is judged per item instead, against the sandbox's purchases by custom_id
(the envelope only says the request went through, not which items were bought): an item the
sandbox bought carries its purchase or ``OutcomeUnknown``, one it did not buy never a purchase.
"""

from __future__ import annotations

import traceback
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from skinmarkets import errors
from skinmarkets.models import Listing, Purchase, Trade
from skinmarkets.vendors.skinsback import BatchItemResult
from tests.faults.proxy import Cell
from tests.faults.writes import WriteSpec, custom_ids_sent

__all__ = [
    "CATEGORIES",
    "MATRIX",
    "Finding",
    "Matrix",
    "Outcome",
    "describe",
    "exposed_logs",
    "judge",
    "judge_batch_repeat",
    "judge_repeat",
    "mask",
]

#: Failure categories, in the order the summary prints them.
CATEGORIES = ("lost", "phantom", "double", "foreign", "malformed", "leak", "hang", "harness")


@dataclass(frozen=True)
class Finding:
    """One broken promise of a cell."""

    category: str
    detail: str


@dataclass
class Outcome:
    """What the caller got from one call: a result or an exception, and how long it took."""

    result: object = None
    error: BaseException | None = None
    elapsed: float = 0.0

    def describe(self) -> str:
        if self.error is not None:
            return type(self.error).__name__
        if isinstance(self.result, list):
            kinds = {type(item).__name__ for item in self.result} or {"items"}
            return f"list of {len(self.result)} {'/'.join(sorted(kinds))}"
        return type(self.result).__name__

    def exposed(self) -> dict[str, str]:
        """Everything of the outcome a user can print: where -> text."""
        texts: dict[str, str] = {}
        if self.error is not None:
            texts["str(exc)"] = str(self.error)
            texts["repr(exc)"] = repr(self.error)
            texts["traceback"] = "".join(traceback.format_exception(self.error))
            texts["repr(exc.raw)"] = repr(getattr(self.error, "raw", None))
        results = self.result if isinstance(self.result, list) else [self.result]
        for n, result in enumerate(r for r in results if r is not None):
            texts[f"repr(result[{n}])"] = repr(result)
            texts[f"repr(result[{n}].raw)"] = repr(getattr(result, "raw", None))
            # A batch item hides its purchase's raw and its error's text behind repr=False.
            purchase, error = getattr(result, "purchase", None), getattr(result, "error", None)
            if purchase is not None:
                texts[f"repr(result[{n}].purchase.raw)"] = repr(getattr(purchase, "raw", None))
            if isinstance(error, BaseException):
                texts[f"str(result[{n}].error)"] = str(error)
                texts[f"repr(result[{n}].error.raw)"] = repr(getattr(error, "raw", None))
        return texts


def mask(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every secret replaced, so a failure report leaks nothing either."""
    for secret in sorted(secrets, key=len, reverse=True):
        text = text.replace(secret, "<secret>")
    return text


def _short(error: BaseException, secrets: Iterable[str]) -> str:
    return mask(f"{type(error).__name__}: {error}", secrets)[:300]


def _malformed(spec: WriteSpec, result: object, custom_id: str) -> str | None:
    """Why ``result`` cannot be the outcome of this write, or None when it can."""
    if spec.operation == "buy":
        if not isinstance(result, Purchase):
            return f"buy returned {type(result).__name__}, not a Purchase"
        if result.custom_id != custom_id:
            return f"the Purchase has custom_id {result.custom_id!r}, not the one given"
        if not (isinstance(result.id, str) and result.id):
            return f"the Purchase has id {result.id!r}"
        if result.price.amount <= 0:
            return f"the Purchase says it cost {result.price}"
    elif spec.operation == "withdraw":
        if not isinstance(result, list) or not all(isinstance(t, Trade) for t in result):
            return f"withdraw returned {type(result).__name__}, not a list of Trade"
        if any(not (isinstance(t.id, str) and t.id) for t in result):
            return "a Trade has no id"
    elif spec.operation == "sell":
        if not isinstance(result, Listing):
            return f"sell returned {type(result).__name__}, not a Listing"
        if result.price.amount <= 0:
            return f"the Listing says it is priced {result.price}"
    elif spec.operation in ("reprice", "delist") and result is not None:
        return f"{spec.operation} returned {type(result).__name__}, not None"
    return None


def _outcome_findings(
    spec: WriteSpec, outcome: Outcome, *, done: bool, custom_id: str, secrets: set[str]
) -> list[Finding]:
    """(2) and (3): the caller's outcome against what the sandbox did."""
    error, result = outcome.error, outcome.result
    if error is not None and not isinstance(error, errors.SkinMarketsError):
        stack = mask("".join(traceback.format_exception(error)[-3:]), secrets)
        return [Finding("foreign", f"{_short(error, secrets)} escaped\n{stack}")]
    findings = []
    if done:
        if isinstance(error, errors.OutcomeUnknown):
            if spec.operation == "buy" and error.custom_id != custom_id:
                findings.append(
                    Finding(
                        "malformed",
                        f"OutcomeUnknown.custom_id is {error.custom_id!r}, not the buy's",
                    )
                )
        elif error is not None:
            findings.append(
                Finding(
                    "lost",
                    f"the sandbox did the {spec.operation} but the caller was told "
                    f"{_short(error, secrets)}",
                )
            )
        elif spec.operation == "withdraw" and result == []:
            findings.append(
                Finding("lost", "the sandbox sent a trade but withdraw returned [] (nothing)")
            )
        else:
            wrong = _malformed(spec, result, custom_id)
            if wrong is not None:
                findings.append(Finding("malformed", wrong))
    elif error is None:
        findings.append(
            Finding(
                "phantom",
                f"the sandbox did NOT do the {spec.operation} but the caller got "
                f"{outcome.describe()}: {mask(repr(result), secrets)[:200]}",
            )
        )
    return findings


def _batch_item(
    custom_id: str, purchase_id: str | None, item: BatchItemResult, secrets: set[str]
) -> list[Finding]:
    """One item of a batch against the sandbox: ``purchase_id`` is its purchase there, if any."""
    findings = []
    purchase, error = item.purchase, item.error
    if purchase is not None and error is not None:
        findings.append(Finding("malformed", f"item {custom_id} has a purchase AND an error"))
    if purchase_id is None:
        if purchase is not None:
            findings.append(
                Finding(
                    "phantom",
                    f"the sandbox did NOT buy item {custom_id} but it carries a purchase: "
                    f"{mask(repr(purchase), secrets)[:200]}",
                )
            )
        elif error is None:
            findings.append(Finding("malformed", f"item {custom_id}: neither purchase nor error"))
        return findings
    if purchase is not None:
        if purchase.id != purchase_id:
            findings.append(
                Finding(
                    "malformed",
                    f"item {custom_id}: the Purchase has id {purchase.id!r}, the sandbox's is "
                    f"{purchase_id!r}",
                )
            )
        if purchase.custom_id != custom_id:
            findings.append(
                Finding(
                    "malformed",
                    f"item {custom_id}: the Purchase has custom_id {purchase.custom_id!r}",
                )
            )
        if purchase.price.amount <= 0:
            findings.append(
                Finding(
                    "malformed", f"item {custom_id}: the Purchase says it cost {purchase.price}"
                )
            )
    elif isinstance(error, errors.OutcomeUnknown):
        if error.custom_id != custom_id:
            findings.append(
                Finding(
                    "malformed",
                    f"item {custom_id}: OutcomeUnknown.custom_id is {error.custom_id!r}",
                )
            )
    else:
        told = _short(error, secrets) if error is not None else "nothing"
        findings.append(
            Finding("lost", f"the sandbox bought item {custom_id} but it carries {told}")
        )
    return findings


def _batch_findings(
    outcome: Outcome, bought: Mapping[str, str | None], secrets: set[str]
) -> list[Finding]:
    """(2) and (3) for ``buy_many``: every item's outcome against the sandbox's purchases."""
    error, result = outcome.error, outcome.result
    if error is not None and not isinstance(error, errors.SkinMarketsError):
        stack = mask("".join(traceback.format_exception(error)[-3:]), secrets)
        return [Finding("foreign", f"{_short(error, secrets)} escaped\n{stack}")]
    done = [c for c, purchase_id in bought.items() if purchase_id is not None]
    if error is not None:
        # Raised for the whole batch: only OutcomeUnknown may stand for items that were bought.
        if done and not isinstance(error, errors.OutcomeUnknown):
            return [
                Finding(
                    "lost",
                    f"the sandbox bought {len(done)} item(s) of the batch but buy_many raised "
                    f"{_short(error, secrets)}",
                )
            ]
        return []
    if not isinstance(result, list) or not all(isinstance(r, BatchItemResult) for r in result):
        return [Finding("malformed", f"buy_many returned {outcome.describe()}")]
    if [r.custom_id for r in result] != list(bought):
        return [
            Finding(
                "malformed",
                f"buy_many returned items {[r.custom_id for r in result]}, not one per order "
                f"in order {list(bought)}",
            )
        ]
    findings = []
    for item in result:
        findings += _batch_item(item.custom_id, bought[item.custom_id], item, secrets)
    return findings


def _batch_harness(
    cell: Cell, bought: Mapping[str, str | None], refused: frozenset[str]
) -> list[Finding]:
    """A batch the sandbox took (its envelope said success) bought every order but the ones
    set up to be refused, and never those: else the cell does not test what it says."""
    findings = []
    wrongly = sorted(c for c in refused if bought.get(c) is not None)
    if wrongly:
        findings.append(Finding("harness", f"the sandbox bought {wrongly}, set up to be refused"))
    missing = sorted(c for c, p in bought.items() if p is None and c not in refused)
    if cell.done and missing:
        findings.append(
            Finding("harness", f"the batch went through but the sandbox did not buy {missing}")
        )
    return findings


def _leaks(texts: dict[str, str], secrets: set[str]) -> list[Finding]:
    """(4): every place a credential shows, once per place."""
    return [
        Finding("leak", f"a credential shows in {where}")
        for where, text in texts.items()
        if any(secret in text for secret in secrets)
    ]


def _hangs(outcome: Outcome, cell: Cell, bound: float) -> list[Finding]:
    """(5): the call ended in time, and the client gave up on a held or trickling answer."""
    findings = []
    if outcome.elapsed > bound:
        findings.append(Finding("hang", f"the call took {outcome.elapsed:.1f} s (bound {bound} s)"))
    for what in cell.outlived:
        cap = cell.hold_cap if what == "hold" else cell.drip_cap
        findings.append(
            Finding(
                "hang", f"the client still waited on the {what} after {cap:g} s; the proxy cut it"
            )
        )
    return findings


def _harness(cell: Cell, *, done: bool, moved: bool) -> list[Finding]:
    """The harness's own consistency: the envelope and the sandbox state agree on "done"."""
    findings = [Finding("harness", problem) for problem in cell.problems]
    writes = cell.writes
    if cell.fault is not None and not any(s.fault for s in writes):
        # The route never matched: every "pass" of this cell would be meaningless.
        findings.append(Finding("harness", f"the fault {cell.fault.label} never struck"))
    if done != moved:
        findings.append(
            Finding(
                "harness",
                f"the proxy read done={done} from the envelope but the sandbox state "
                f"{'moved' if moved else 'did not move'}",
            )
        )
    return findings


def judge(
    spec: WriteSpec,
    outcome: Outcome,
    cell: Cell,
    *,
    moved: bool,
    custom_id: str,
    secrets: set[str],
    logs: dict[str, str],
    bound: float,
    bought: Mapping[str, str | None] | None = None,
    refused: frozenset[str] = frozenset(),
) -> list[Finding]:
    """Every broken promise of one call of a write hit by one fault.

    ``bought``: for ``buy_many``, each order's purchase in the sandbox after the call (None:
    not bought); ``refused``: the orders the sandbox was set up to refuse.
    """
    done = cell.done
    findings = _harness(cell, done=done, moved=moved)
    if bought is not None:
        findings += _batch_harness(cell, bought, refused)
    writes, reached = cell.writes, cell.reached
    if cell.fault is None and not (writes and done):
        # The control: with nothing broken the write must go through, or the route is wrong.
        findings.append(Finding("harness", "with nothing broken, the write was not done"))
    if len(writes) > 1:
        findings.append(
            Finding(
                "double",
                f"the write was sent {len(writes)} times ({len(reached)} reached the sandbox, "
                f"{sum(s.succeeded for s in writes)} done)",
            )
        )
    if bought is not None:
        findings += _batch_findings(outcome, bought, secrets)
    else:
        findings += _outcome_findings(
            spec, outcome, done=done, custom_id=custom_id, secrets=secrets
        )
    findings += _leaks(outcome.exposed() | logs, secrets)
    findings += _hangs(outcome, cell, bound)
    return findings


def judge_repeat(
    spec: WriteSpec,
    first: Outcome,
    second: Outcome,
    first_cell: Cell,
    second_cell: Cell,
    *,
    moved: tuple[bool, bool],
    custom_id: str,
    secrets: set[str],
    logs: dict[str, str],
    bound: float,
) -> list[Finding]:
    """The second ``buy`` with the same custom_id, after a first one the sandbox did.

    Only the second call is judged (the first is its own cell): it must send nothing, and
    report the first purchase or ``OutcomeUnknown``. ``moved``: whether the sandbox state
    moved during the first and during the second call.
    """
    findings = _harness(first_cell, done=first_cell.done, moved=moved[0])
    findings += _harness(second_cell, done=second_cell.done, moved=moved[1])
    if not first_cell.done:
        findings.append(Finding("harness", "the first buy was not done: nothing to repeat"))
    sent = second_cell.writes
    if sent:
        findings.append(
            Finding(
                "double",
                f"buy again with the same custom_id sent the write again ({len(sent)}x, "
                f"{sum(s.succeeded for s in sent)} done) after the first call gave "
                f"{first.describe()}",
            )
        )
    findings += _outcome_findings(spec, second, done=True, custom_id=custom_id, secrets=secrets)
    findings += _leaks(second.exposed() | logs, secrets)
    findings += _hangs(second, second_cell, bound)
    return findings


def _settled_by(first: Outcome, bought: Mapping[str, str | None]) -> set[str]:
    """The orders a repeat must never send again: bought by the sandbox, or left done or
    ambiguous by the first call (a purchase, ``OutcomeUnknown``, or the whole call unknown)."""
    settled = {c for c, purchase_id in bought.items() if purchase_id is not None}
    if isinstance(first.error, errors.OutcomeUnknown):
        return settled | set(bought)
    if isinstance(first.result, list):
        for item in first.result:
            if isinstance(item, BatchItemResult) and (
                item.purchase is not None or isinstance(item.error, errors.OutcomeUnknown)
            ):
                settled.add(item.custom_id)
    return settled


def judge_batch_repeat(
    first: Outcome,
    second: Outcome,
    first_cell: Cell,
    second_cell: Cell,
    *,
    moved: bool,
    bought: tuple[Mapping[str, str | None], Mapping[str, str | None]],
    refused: frozenset[str],
    secrets: set[str],
    logs: dict[str, str],
    bound: float,
) -> list[Finding]:
    """The second ``buy_many`` with the same orders (same custom_ids), after a first batch the
    sandbox took. Only the second call is judged: it may send one batch, and only for orders
    the first call left refused; every item must still match the sandbox.

    ``moved``: whether the sandbox state moved during the first call; ``bought``: each order's
    purchase in the sandbox after the first and after the second call. The second cell's
    envelope says nothing about purchases (a batch of refused orders alone is a success that
    buys nothing), so only the per-item truth is checked for it.
    """
    findings = _harness(first_cell, done=first_cell.done, moved=moved)
    findings += _batch_harness(first_cell, bought[0], refused)
    findings += [Finding("harness", problem) for problem in second_cell.problems]
    if not first_cell.done:
        findings.append(Finding("harness", "the first batch was not done: nothing to repeat"))
    sent = second_cell.writes
    if len(sent) > 1:
        findings.append(
            Finding("double", f"buy_many again sent {len(sent)} purchase requests, not one")
        )
    settled = _settled_by(first, bought[0])
    for request in sent:
        ids = custom_ids_sent(request.body)
        if not ids:
            findings.append(Finding("harness", "cannot read the custom_ids the repeat sent"))
        if ids & settled:
            findings.append(
                Finding(
                    "double",
                    f"buy_many again sent {sorted(ids & settled)} after the first call left "
                    f"them done or ambiguous (it gave {first.describe()})",
                )
            )
    findings += _batch_findings(second, bought[1], secrets)
    findings += _leaks(second.exposed() | logs, secrets)
    findings += _hangs(second, second_cell, bound)
    return findings


# ---------------------------------------------------------------------- the matrix


@dataclass
class Matrix:
    """Every cell's findings this run; printed by ``pytest_terminal_summary``."""

    cells: dict[str, list[Finding]] = field(default_factory=dict)
    groups: dict[str, str] = field(default_factory=dict)  # cell id -> "vendor-operation"
    deadline_accepted: set[bool] = field(default_factory=set)

    def add(self, cell_id: str, group: str, findings: list[Finding]) -> None:
        self.cells[cell_id] = findings
        self.groups[cell_id] = group

    def _line(self, ids: list[str]) -> str:
        failing = [i for i in ids if self.cells[i]]
        counts: Counter[str] = Counter()
        for i in ids:
            counts.update({f.category for f in self.cells[i]})  # a cell counts once per category
        parts = ", ".join(f"{c} {counts[c]}" for c in CATEGORIES)
        return f"{len(ids)} cells, {len(failing)} failing: {parts}"

    def summary(self) -> list[str]:
        if not self.cells:
            return []
        deadline = {frozenset({True}): "yes", frozenset({False}): "no"}.get(
            frozenset(self.deadline_accepted), "sometimes"
        )
        lines = [f"ALL  {self._line(list(self.cells))}"]
        for group in sorted(set(self.groups.values())):
            ids = [i for i, g in self.groups.items() if g == group]
            lines.append(f"  {group:<31} {self._line(ids)}")
        lines.append(f"connect(deadline=...) accepted: {deadline}")
        return lines


#: The one matrix of the run (tests add to it, the conftest prints it).
MATRIX = Matrix()


def describe(findings: list[Finding]) -> str:
    """A failure message: one line per finding, grouped by category."""
    ordered = sorted(findings, key=lambda f: CATEGORIES.index(f.category))
    return "\n".join(f"  [{f.category}] {f.detail}" for f in ordered)


def exposed_logs(records: Iterable[Any], text: str) -> dict[str, str]:
    """Captured log records (formatted one by one, and the handler's text with tracebacks)."""
    texts = {"the captured log text": text}
    for record in records:
        try:
            message = record.getMessage()
        except Exception as exc:  # a record whose args do not fit its format
            message = f"{record.msg!r} {record.args!r} ({exc!r})"
        key = f"log record of {record.name}"
        texts[key] = texts.get(key, "") + "\n" + message
    return texts

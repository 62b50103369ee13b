"""Ask every market at once, show each one's progress, and stop waiting on Ctrl-C or a timeout.

Each market's call runs in a daemon thread of its own and reports to one queue; the main thread
only waits on that queue, a tenth of a second at a time, so Ctrl-C (which Python delivers to the
main thread) is seen at once, and ``--timeout`` is checked as often. A market still busy then is
abandoned: its thread is a daemon, and whatever it started (the library's own pool threads, a
socket read) is cut off when the process ends (see ``skinmarkets.cli.main``). What arrived
before is kept, so a command can still print it.

Progress goes to stderr: one line per market as it finishes ("market_tm: done in 1.2 s"), and
on a terminal a status line, redrawn in place, naming the markets still awaited.
"""

from __future__ import annotations

import io
import os
import queue
import threading
from collections.abc import Callable, Mapping
from typing import Generic, TextIO, TypeVar

import attrs

from skinmarkets._seconds import Seconds
from skinmarkets.cli._output import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, Output, seconds_text
from skinmarkets.cli._table import truncated
from skinmarkets.errors import SkinMarketsError

__all__ = ["INTERRUPTED", "Gathered", "gather", "still_waiting"]

T = TypeVar("T")

INTERRUPTED = "interrupted before it answered"
_POLL: Seconds = 0.1  # the main thread waits before looking at Ctrl-C and the clock

_workers: list[threading.Thread] = []  # every call's thread, until it is seen to have ended


def still_waiting() -> bool:
    """Whether a market's call abandoned after Ctrl-C or ``--timeout`` is still running."""
    _workers[:] = [t for t in _workers if t.is_alive()]
    return bool(_workers)


@attrs.frozen
class Gathered(Generic[T]):
    """What came back: answers, failures (market -> message), and whether Ctrl-C ended it."""

    answers: Mapping[str, T]
    failures: Mapping[str, str]
    interrupted: bool

    def exit_code(self, output: Output) -> int:
        """130 after Ctrl-C (saying so), 1 when a market failed, else 0."""
        if self.interrupted:
            output.note("interrupted: showing what had arrived")
            return EXIT_INTERRUPTED
        return EXIT_FAILED if self.failures else EXIT_OK


@attrs.frozen
class _Outcome(Generic[T]):
    """One call's end: its answer (boxed, so that None is an answer too) or its exception."""

    name: str
    ended: Seconds  # by the output's clock
    answer: tuple[T] | None = None
    error: BaseException | None = None


def _terminal_columns(stream: TextIO) -> int:
    """The width of the terminal ``stream`` writes to (80 when it cannot be told)."""
    try:
        return os.get_terminal_size(stream.fileno()).columns or 80
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        return 80


class _Status:
    """The progress lines on stderr: a line per finished market, a status line on a terminal."""

    def __init__(self, output: Output, started: Seconds) -> None:
        self._output = output
        self._started = started
        self._shown = 0  # characters of the status line now on screen
        self._columns = output.width or _terminal_columns(output.err)

    def _clear(self) -> None:
        if self._shown:
            self._output.err.write("\r" + " " * self._shown + "\r")
            self._shown = 0

    def waiting(self, names: list[str]) -> None:
        if not self._output.live:
            return
        self._clear()
        if names:
            elapsed = self._output.clock() - self._started
            text = truncated(
                f"waiting for {', '.join(names)} ({seconds_text(elapsed)})…", self._columns - 1
            )
            self._output.err.write(text)
            self._shown = len(text)
        self._output.err.flush()

    def finished(self, line: str) -> None:
        self._clear()
        self._output.note(line)

    def close(self) -> None:
        self._clear()
        self._output.err.flush()


def gather(
    calls: Mapping[str, Callable[[], T]],
    output: Output,
    *,
    limit: Seconds | None = None,
    failed: Callable[[T], str | None] = lambda answer: None,
    what: str = "",
) -> Gathered[T]:
    """Run every call at once; wait for all, for ``limit`` seconds, or until Ctrl-C.

    A ``SkinMarketsError`` is that market's failure; ``failed`` says whether an answer is a
    failure all the same (for the progress line only); ``what`` follows the market's name in
    the progress lines. Any other exception is a bug and is raised again here, in the main
    thread.
    """
    done: queue.Queue[_Outcome[T]] = queue.Queue()
    started = output.clock()

    def run(name: str, call: Callable[[], T]) -> None:
        try:
            done.put(_Outcome(name, output.clock(), answer=(call(),)))
        except BaseException as exc:  # reported to the main thread, never lost
            done.put(_Outcome(name, output.clock(), error=exc))

    for name, call in calls.items():
        worker = threading.Thread(
            target=run, args=(name, call), daemon=True, name=f"skinmarkets-cli-{name}"
        )
        worker.start()
        _workers.append(worker)
    answers: dict[str, T] = {}
    failures: dict[str, str] = {}
    pending = list(calls)
    status = _Status(output, started)
    interrupted = False
    try:
        while pending:
            status.waiting(pending)
            try:
                outcome = done.get(timeout=_POLL)
            except queue.Empty:
                if limit is not None and output.clock() - started >= limit:
                    for name in pending:
                        failures[name] = f"no answer within {seconds_text(limit)} (--timeout)"
                        status.finished(f"{name}{what}: {failures[name]}")
                    pending.clear()
                continue
            name = outcome.name
            pending.remove(name)
            took = seconds_text(outcome.ended - started)
            if outcome.answer is not None:
                (answers[name],) = outcome.answer
                problem = failed(answers[name])
                status.finished(f"{name}{what}: {'failed after' if problem else 'done in'} {took}")
            elif isinstance(outcome.error, SkinMarketsError):
                failures[name] = str(outcome.error) or type(outcome.error).__name__
                status.finished(f"{name}{what}: failed after {took}")
            elif outcome.error is not None:
                status.close()
                raise outcome.error  # a bug, not a market's answer: shown as it is
    except KeyboardInterrupt:
        interrupted = True
        for name in pending:
            failures[name] = INTERRUPTED
    finally:
        status.close()
    return Gathered(answers=answers, failures=failures, interrupted=interrupted)

"""Paper trading across commands: where ``--sandbox`` keeps its state, its lock, ``sandbox reset``.

``--sandbox`` loads the sandbox's state (balances, listings, purchases, trades) from a JSON file
at the start of a command, so ``skinmarkets --sandbox buy …`` and a later ``skinmarkets
--sandbox history`` see the same purchase. The file is ``--sandbox-state PATH``, else
``sandbox.json`` in the user's state directory, next to the default store
(``$XDG_STATE_HOME/skinmarkets/sandbox.json``, else ``~/.local/state/skinmarkets/…``; macOS
``~/Library/Application Support/skinmarkets/``; Windows ``%LOCALAPPDATA%\\skinmarkets\\``).
The format is ``skinmarkets.sandbox._statefile``'s: amounts as decimal strings, no credential.

Who saves: only the commands that change something (:data:`WRITES`: ``buy``, ``sell``,
``withdraw``), at their end — also after a failure or Ctrl-C, for what the sandbox did is what
happened. They hold an exclusive lock (``flock`` on ``PATH.lock``) from loading to saving, so two
of them at once run one after the other and neither loses the other's purchase; one waits up to
30 s, then gives up (exit 1). The other commands read without the lock and save nothing: the
file is replaced atomically, so they always read a whole one (the state before or after a
concurrent write). Without ``flock`` (Windows) there is no lock: the file is never corrupt,
and the last command to save wins.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shlex
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from skinmarkets._seconds import Seconds
from skinmarkets._store import default_path
from skinmarkets.cli._json import envelope
from skinmarkets.cli._output import EXIT_OK, Output, UsageError
from skinmarkets.errors import ConfigurationError, SkinMarketsError

__all__ = [
    "FILE_NAME",
    "WRITES",
    "StateInUse",
    "StateNotSaved",
    "locked",
    "looks_like_state",
    "reset_hint",
    "sandbox_command",
    "shell_quote",
    "state_path",
]

#: The state file's name in the user's state directory.
FILE_NAME = "sandbox.json"
#: Commands that change the sandbox's state, and so save it (under the lock).
WRITES = frozenset({"buy", "sell", "withdraw"})
#: The marker every state file starts with (``_statefile.FORMAT``), for ``reset`` to recognise.
_MARKER = '"skinmarkets-sandbox-state"'
_LOCK_WAIT: Seconds = 30.0  # a writing command waits for another one to finish
_LOCK_POLL: Seconds = 0.1  # between two tries of a held lock


class StateInUse(SkinMarketsError):
    """Another skinmarkets process held the sandbox state's lock for too long."""


class StateNotSaved(SkinMarketsError):
    """The sandbox state could not be written back at the end of a command."""


def state_path(explicit: str | None) -> Path:
    """``--sandbox-state PATH``, else ``sandbox.json`` in the user's state directory."""
    if explicit is not None:
        return Path(explicit).expanduser()
    return default_path().parent / FILE_NAME


def reset_hint(explicit: str | None) -> str:
    """What to do about a state file that cannot be loaded: reset it, or name another one."""
    if explicit is not None and not looks_like_state(state_path(explicit)):
        return (
            "it is not a sandbox state file, so it was left alone: name another --sandbox-state "
            "file (it is created on first use)"
        )
    option = f" --sandbox-state {shell_quote(explicit)}" if explicit is not None else ""
    return f"to start paper trading afresh, run: skinmarkets sandbox reset{option}"


def shell_quote(text: str) -> str:
    """``text`` quoted for a POSIX shell when it needs to be, for the commands we suggest."""
    return shlex.quote(text)


@contextlib.contextmanager
def locked(
    path: Path,
    *,
    waiting: Callable[[], None] | None = None,
    wait: Seconds | None = None,
    clock: Callable[[], Seconds] = time.monotonic,
    sleep: Callable[[Seconds], None] = time.sleep,
) -> Iterator[None]:
    """Hold the exclusive lock of the state file ``path`` (``PATH.lock``) for the block.

    Waits up to ``wait`` seconds (default 30) for another process to let go (``waiting`` is
    called once if it has to wait; Ctrl-C stops the wait), then raises :class:`StateInUse`.
    """
    wait = _LOCK_WAIT if wait is None else wait
    if sys.platform == "win32":  # no flock: atomic replace only (see the module docstring)
        yield
        return
    import fcntl

    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        raise ConfigurationError(
            f"cannot use the sandbox state {str(path)!r}: {exc.strerror or exc}; name a file in "
            "a folder you can write with --sandbox-state"
        ) from None
    try:
        until = clock() + wait
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if clock() >= until:
                    raise StateInUse(
                        f"sandbox state {str(path)!r} is in use by another skinmarkets command "
                        f"(waited {wait:g} s); try again when it has finished"
                    ) from None
                if not told and waiting is not None:
                    waiting()
                    told = True
                sleep(_LOCK_POLL)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def looks_like_state(path: Path) -> bool:
    """Whether ``path`` starts like a sandbox state file (even one cut short)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(200).decode("utf-8", errors="replace")
    except OSError:
        return False
    return _MARKER in head or not head.strip()


def sandbox_command(args: argparse.Namespace, output: Output) -> int:
    """``skinmarkets sandbox reset``: delete the paper-trading state (fresh accounts next run).

    The default file is always ours to delete. A file named by ``--sandbox-state`` is deleted
    only when it starts like a sandbox state (or is empty): a mistyped path must not cost the
    user a file of their own.

    JSON result: ``{"path": "...", "deleted": true|false}``.
    """
    path = state_path(args.sandbox_state)
    deleted = False
    with locked(path, waiting=lambda: output.note(f"waiting for another command using {path}…")):
        if path.exists():
            if args.sandbox_state is not None and not looks_like_state(path):
                raise UsageError(
                    f"{path} does not look like a skinmarkets sandbox state; it was left as it "
                    "is (delete it yourself if it is one)"
                )
            path.unlink()
            deleted = True
    if output.json:
        output.result(envelope({"path": str(path), "deleted": deleted}, {}, {}))
    elif deleted:
        output.result(f"sandbox state reset: deleted {path}; the next --sandbox run starts afresh")
    else:
        output.result(f"sandbox state already fresh: {path} does not exist")
    return EXIT_OK

"""Parent side of the store tests: worker processes, their environment, and the stand-ins.

``Worker`` is one ``python -m tests.integration.store_worker`` child (see that module for the
protocol): started with a JSON spec, it connects, says ``ready`` and runs the commands written to
it. Every read has a timeout, and ``stop`` ends the child by its PID (SIGKILL), so a hung child
never outlives its test. The ``workers`` fixture starts them and stops every one at teardown.

Children never see the real home: ``child_env`` points ``HOME`` and ``XDG_STATE_HOME`` at a
temporary folder and drops ``SKINMARKETS_STORE`` (the suite sets it to ``memory``), so a child
without ``store=`` uses the default store under that folder.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

__all__ = [
    "REPO",
    "Worker",
    "WorkerFailed",
    "busiest_window",
    "child_env",
    "spawn",
    "store_bytes",
    "utilisation",
    "wait_for",
    "workers",
]

REPO = Path(__file__).resolve().parents[2]
CHILD_TIMEOUT = 120  # seconds a child may live at most (its own SIGALRM)


def child_env(home: Path, *, store: str | None = None) -> dict[str, str]:
    """The environment of a child: this one, with ``home`` as HOME and the state directory.

    ``SKINMARKETS_STORE`` is removed, or set to ``store`` when given.
    """
    env = dict(os.environ)
    env.pop("SKINMARKETS_STORE", None)
    if store is not None:
        env["SKINMARKETS_STORE"] = store
    (home / "state").mkdir(parents=True, exist_ok=True)
    env["HOME"] = str(home)
    env["XDG_STATE_HOME"] = str(home / "state")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    env["PYTHONUNBUFFERED"] = "1"
    return env


class WorkerFailed(AssertionError):
    """A child died, timed out or answered something unexpected."""


class Worker:
    """One child process running ``tests.integration.store_worker``."""

    def __init__(self, spec: Mapping[str, Any], env: Mapping[str, str], name: str) -> None:
        self.name = name
        self.spec = dict(spec)
        self.spec.setdefault("timeout", CHILD_TIMEOUT)
        self.process = subprocess.Popen(  # noqa: S603 - this interpreter, our worker module
            [sys.executable, "-m", "tests.integration.store_worker", json.dumps(self.spec)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=REPO,
            env=dict(env),
            text=True,
        )
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._stderr: list[str] = []
        threading.Thread(target=self._pump, daemon=True, name=f"{name}-stdout").start()
        threading.Thread(target=self._drain, daemon=True, name=f"{name}-stderr").start()

    @property
    def pid(self) -> int:
        return self.process.pid

    def _pump(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._lines.put(line)
        self._lines.put(None)

    def _drain(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self._stderr.append(line)

    @property
    def stderr(self) -> str:
        return "".join(self._stderr)[-4000:]

    def read(self, timeout: float) -> dict[str, Any]:  # float ok: seconds
        """The child's next JSON line, within ``timeout`` seconds."""
        try:
            line = self._lines.get(timeout=timeout)
        except queue.Empty:
            raise WorkerFailed(
                f"{self.name} (pid {self.pid}) said nothing for {timeout} s; stderr:\n{self.stderr}"
            ) from None
        if line is None:
            self.process.wait(timeout=5)
            raise WorkerFailed(
                f"{self.name} (pid {self.pid}) ended (exit {self.process.returncode}) before "
                f"answering; stderr:\n{self.stderr}"
            )
        try:
            answer: dict[str, Any] = json.loads(line)
        except ValueError:
            raise WorkerFailed(f"{self.name} printed {line!r}; stderr:\n{self.stderr}") from None
        if answer.get("event") in {"crashed", "bad_command"}:
            raise WorkerFailed(f"{self.name}: {answer}; stderr:\n{self.stderr}")
        return answer

    def ready(self, timeout: float = 30.0) -> None:  # float ok: seconds
        """Wait until the child has connected."""
        answer = self.read(timeout)
        if answer.get("event") != "ready":
            raise WorkerFailed(f"{self.name} did not connect: {answer}")

    def send(self, command: Mapping[str, Any]) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()

    def call(self, command: Mapping[str, Any], timeout: float) -> dict[str, Any]:  # float ok
        self.send(command)
        return self.read(timeout)

    def finish(self, timeout: float = 10.0) -> int:  # float ok: seconds
        """Ask the child to exit and wait for it (killed when it does not)."""
        if self.process.poll() is None:
            try:
                self.send({"op": "exit"})
                self.process.stdin.close()  # type: ignore[union-attr]
            except OSError:
                pass
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.stop()
        return int(self.process.returncode)

    def kill(self) -> None:
        """SIGKILL the child now (a crash: no cleanup runs in it) and reap it."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)

    def stop(self) -> None:
        """End the child whatever it is doing (teardown)."""
        self.kill()
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            try:
                if stream is not None:
                    stream.close()
            except OSError:
                pass


Spawn = Callable[..., Worker]


def spawn(
    started: list[Worker], env: Mapping[str, str], vendor: str, name: str = "worker", **connect: Any
) -> Worker:
    worker = Worker({"vendor": vendor, "connect": connect}, env, name)
    started.append(worker)
    return worker


@pytest.fixture
def workers() -> Iterator[list[Worker]]:
    """A list to append started ``Worker``s to; every one is killed at teardown."""
    started: list[Worker] = []
    yield started
    for worker in started:
        worker.stop()


def busiest_window(arrivals: Sequence[float], window: float = 1.0) -> int:  # float ok
    """The most arrivals in any window [t, t + window) of ``arrivals``."""
    times = sorted(arrivals)
    best, start = 0, 0
    for end, t in enumerate(times):
        while t - times[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best


def utilisation(arrivals: Sequence[float], limit: int, window: float = 1.0) -> float:  # float ok
    """How much of the allowed rate N arrivals used: the least time they need at ``limit`` per
    ``window`` (the first ``limit`` may go at once), over the time they took."""
    times = sorted(arrivals)
    needed = (len(times) - limit) / limit * window
    took = times[-1] - times[0]
    return needed / took if took > 0 else float("inf")  # float ok: a ratio


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:  # float ok
    """Poll ``condition`` every 10 ms until true; fail naming ``what`` after ``timeout``."""
    give_up = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > give_up:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.01)


def store_bytes(store: str) -> bytes:
    """Everything a store holds, as bytes: an SQLite file with its -wal and -shm, or every key
    and value of a Redis database (read with the ``redis`` package of the dev extra)."""
    if store.startswith(("redis://", "rediss://")):
        import redis  # the [redis] extra; in dev

        client = redis.Redis.from_url(store)
        try:
            chunks: list[bytes] = []
            for key in client.scan_iter(count=1000):
                chunks.append(key)
                kind = client.type(key)
                if kind == b"string":
                    chunks.append(client.get(key) or b"")
                elif kind == b"hash":
                    for field, value in client.hgetall(key).items():
                        chunks += [field, value]
                elif kind == b"list":
                    chunks += client.lrange(key, 0, -1)
                elif kind == b"set":
                    chunks += list(client.smembers(key))
                elif kind == b"zset":
                    chunks += [m for m, _ in client.zrange(key, 0, -1, withscores=True)]
                else:
                    chunks.append(client.dump(key) or b"")
            return b"\n".join(chunks)
        finally:
            client.close()
    path = Path(store.removeprefix("sqlite://")) if store.startswith("sqlite://") else Path(store)
    return b"".join(
        p.read_bytes() for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists()
    )

"""A real ``redis-server`` on 127.0.0.1 for the store tests and the store benchmark.

``RedisServer`` starts ``redis-server --port P --bind 127.0.0.1 --save "" --appendonly no`` on a
free port as a child process, waits (bounded) until it answers ``PING``, and stops it by its PID
(terminate, wait, kill). It talks RESP over a plain socket, so it needs neither ``redis-cli`` nor
the ``redis`` package. No fake: the store's Lua script and transactions run in the real server.

Pytest fixtures (import them into the test module, like ``loopback``)::

    from tests.integration.redis_server import redis_server, redis_url  # noqa: F401

    def test_x(redis_url):  # "redis://127.0.0.1:P/0", emptied before the test
        ...

``redis_server`` is session-scoped (one server for the whole run); ``redis_url`` gives each test
the URL of database 0 after ``FLUSHALL``, so no test sees another's keys. A machine without
``redis-server`` fails the fixture with the fix (CI installs it in ``.ci/run``): never a skip.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType

import pytest

__all__ = ["RedisServer", "RedisUnavailable", "free_port", "redis_server", "redis_url"]

STARTUP_SECONDS = 10.0  # float ok: seconds
STOP_SECONDS = 5.0  # float ok: seconds


class RedisUnavailable(RuntimeError):
    """redis-server is not installed, or did not come up."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _command(port: int, *words: str, timeout: float = 1.0) -> bytes:  # float ok: seconds
    """Send one RESP command to 127.0.0.1:port and return the first line of the answer."""
    payload = f"*{len(words)}\r\n".encode()
    for word in words:
        data = word.encode()
        payload += b"$%d\r\n%s\r\n" % (len(data), data)
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as conn:
        conn.sendall(payload)
        answer = b""
        while not answer.endswith(b"\r\n"):
            chunk = conn.recv(4096)
            if not chunk:
                break
            answer += chunk
    return answer.strip()


class RedisServer:
    """One ``redis-server`` child process on a free 127.0.0.1 port; a context manager."""

    def __init__(self, executable: str | None = None) -> None:
        found = executable or shutil.which("redis-server")
        if found is None:
            raise RedisUnavailable(
                "redis-server is not installed: the store tests run a real Redis on 127.0.0.1. "
                "Install it (Debian: apt-get install -y redis-server; .ci/run does this in CI)"
            )
        self.executable = found
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None
        self._workdir: tempfile.TemporaryDirectory[str] | None = None

    @property
    def url(self) -> str:
        """``redis://127.0.0.1:P/0``."""
        return self.url_for(0)

    def url_for(self, db: int) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> RedisServer:
        """Start the server and wait until it answers PING (at most STARTUP_SECONDS)."""
        self._workdir = tempfile.TemporaryDirectory(prefix="skinmarkets-redis-")
        log = Path(self._workdir.name) / "redis.log"
        last_error = ""
        for _ in range(3):  # the free port may be taken between the probe and the bind
            self.port = free_port()
            self.process = subprocess.Popen(  # noqa: S603 - the redis-server found on PATH
                [
                    self.executable,
                    "--port",
                    str(self.port),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--dir",
                    self._workdir.name,
                    "--logfile",
                    str(log),
                    "--daemonize",
                    "no",
                ],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                cwd=self._workdir.name,
            )
            give_up = time.monotonic() + STARTUP_SECONDS
            while time.monotonic() < give_up:
                if self.process.poll() is not None:
                    break
                try:
                    if _command(self.port, "PING") == b"+PONG":
                        return self
                except OSError as exc:
                    last_error = f"{type(exc).__name__}: {exc}"
                time.sleep(0.02)
            stderr = b""
            if self.process.poll() is not None and self.process.stderr is not None:
                stderr = self.process.stderr.read()
            self._stop_process()
            text = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            last_error = f"{last_error}; stderr: {stderr.decode(errors='replace')!r}; log: {text}"
        self.stop()
        raise RedisUnavailable(
            f"redis-server did not answer PING within {STARTUP_SECONDS:g} s ({last_error})"
        )

    def flush(self) -> None:
        """Empty every database (FLUSHALL)."""
        answer = _command(self.port, "FLUSHALL", timeout=5.0)
        if answer != b"+OK":
            raise RedisUnavailable(f"FLUSHALL answered {answer!r}")

    def ping(self) -> bool:
        try:
            return _command(self.port, "PING") == b"+PONG"
        except OSError:
            return False

    def _stop_process(self) -> None:
        process, self.process = self.process, None
        if process is None:
            return
        if process.poll() is None:
            process.terminate()  # by PID: only the server this object started
            try:
                process.wait(timeout=STOP_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=STOP_SECONDS)
        if process.stderr is not None:
            process.stderr.close()

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL after STOP_SECONDS) and remove its folder."""
        self._stop_process()
        if self._workdir is not None:
            self._workdir.cleanup()
            self._workdir = None

    def __enter__(self) -> RedisServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    """One real redis-server for the test session; fails (never skips) when it cannot run."""
    try:
        server = RedisServer().start()
    except RedisUnavailable as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def redis_url(redis_server: RedisServer) -> str:
    """``redis://127.0.0.1:P/0`` of the session's server, emptied (FLUSHALL) for this test."""
    if not redis_server.ping():
        pytest.fail("the test session's redis-server stopped answering PING", pytrace=False)
    redis_server.flush()
    return redis_server.url

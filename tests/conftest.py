"""Suite-wide rules: no network but 127.0.0.1, and no limiter, journal or secret state shared
between tests."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from typing import Any

import pytest

from skinmarkets import _ratelimit, _secret, _store

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _loopback_only(address: Any) -> None:
    host = address[0] if isinstance(address, tuple) else address
    if isinstance(host, str) and host in {"localhost"}:
        return
    try:
        if ipaddress.ip_address(host).is_loopback:
            return
    except ValueError:
        pass
    raise OSError(f"tests are offline: connecting to {address!r} is not allowed (only 127.0.0.1)")


def _guarded_connect(self: socket.socket, address: Any) -> None:
    if self.family in (socket.AF_INET, socket.AF_INET6):
        _loopback_only(address)
    _real_connect(self, address)


def _guarded_connect_ex(self: socket.socket, address: Any) -> int:
    if self.family in (socket.AF_INET, socket.AF_INET6):
        _loopback_only(address)
    return _real_connect_ex(self, address)


@pytest.fixture(autouse=True, scope="session")
def _offline() -> Iterator[None]:
    socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _guarded_connect_ex  # type: ignore[method-assign]
    yield
    socket.socket.connect = _real_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _real_connect_ex  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def _fresh_limiters(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # Every test uses the in-process store unless it is about the store (it then names its own
    # store= or sets SKINMARKETS_STORE): no test writes to the real home.
    monkeypatch.setenv(_store.ENV_VAR, "memory")
    _ratelimit._reset_shared_limiters()
    _store._forget_open_stores()
    yield
    _ratelimit._reset_shared_limiters()
    _store._forget_open_stores()


@pytest.fixture(autouse=True)
def _fresh_secrets() -> Iterator[None]:
    # A credential an earlier test registered ("wrong", "k-123") would be scrubbed from this
    # test's answers and error bodies: each test starts with none.
    _secret._reset_secrets()
    yield
    _secret._reset_secrets()

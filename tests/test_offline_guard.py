"""The suite itself must stay offline."""

from __future__ import annotations

import socket

import pytest


def test_connecting_outside_loopback_fails() -> None:
    with (
        socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s,
        pytest.raises(OSError, match="offline"),
    ):
        s.connect(("192.0.2.1", 443))

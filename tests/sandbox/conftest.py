"""A fresh sandbox per test; a held "timeout" request outlives the tests' 0.3 s read timeout."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import skinmarkets as sm
from skinmarkets.sandbox import Sandbox

#: Read timeout the fault tests give the adapters; the sandbox holds a timed-out request longer.
SHORT_TIMEOUT = 0.3


@pytest.fixture
def sb() -> Iterator[Sandbox]:
    with sm.sandbox(timeout_delay=1.0) as sandbox:
        yield sandbox

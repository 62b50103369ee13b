"""Transport: the vendor's envelope reader judges each answer once; its payload is the answer's."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import responses

from skinmarkets import errors
from skinmarkets._http import HttpAnswer, Transport
from skinmarkets._ratelimit import RateLimit, SlidingWindowLimiter
from tests.transport_support import BASE_URL, make_transport, read_envelope


class RecordingLimiter(SlidingWindowLimiter):
    """A roomy limiter that records every ``defer`` instead of waiting for it."""

    def __init__(self) -> None:
        super().__init__(RateLimit(100, 1.0))
        self.deferred: list[float] = []

    def defer(self, seconds: float) -> None:  # float ok: seconds
        self.deferred.append(seconds)


@pytest.fixture
def mock() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as m:
        yield m


def _counting(transport: Transport) -> list[int]:
    """Make ``transport`` count its reader's calls (by answer status)."""
    calls: list[int] = []

    def reader(answer: HttpAnswer, operation: str) -> Any:
        calls.append(answer.status)
        return read_envelope(answer, operation)

    transport._read_envelope = reader
    return calls


def test_the_readers_payload_is_the_answers_payload(mock: responses.RequestsMock) -> None:
    mock.get(f"{BASE_URL}/item", json={"ok": True, "name": "AK"})
    transport = make_transport()
    calls = _counting(transport)

    answer = transport.request("GET", "/item", operation="item")

    assert answer.payload == {"ok": True, "name": "AK"}
    assert calls == [200]


def test_an_opted_in_3xx_that_is_no_refusal_is_read_once(mock: responses.RequestsMock) -> None:
    mock.get(f"{BASE_URL}/item", json={"ok": True}, status=300)
    transport = make_transport(max_retries=0)
    transport.refusal_statuses = frozenset({300})
    calls = _counting(transport)

    with pytest.raises(errors.APIError) as caught:
        transport.request("GET", "/item", operation="item")

    assert caught.value.http_status == 300
    assert calls == [300]


def test_a_rate_limit_the_reader_raises_defers_the_limiter(mock: responses.RequestsMock) -> None:
    mock.get(f"{BASE_URL}/item", json={"ok": False, "error": "slow down"})
    transport = make_transport(max_retries=0)
    limiter = RecordingLimiter()
    transport.limiter = limiter

    def reader(answer: HttpAnswer, operation: str) -> Any:
        raise errors.RateLimited(
            "testvendor: item: slow down", retry_after=7.0, vendor="testvendor", operation=operation
        )

    transport._read_envelope = reader

    with pytest.raises(errors.RateLimited):
        transport.request("GET", "/item", operation="item")

    assert limiter.deferred == [7.0]
